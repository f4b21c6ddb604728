"""How fast training runs on screen, in iterations per second.

The tutorial's run has two acts: the weight is fitted within the first few
hundred iterations, then the bias climbs slowly for thousands more. A constant
pace would flash through the first act and drag through the second, so by
default the pace grows with the iteration count (``AUTO``):

    iterations per second = GROWTH × (iteration + OFFSET)

which gives every factor of growth the same screen time. At the default factor
the first 100 iterations take about 3 s, the first 500 about 7 s and all
10,000 about 15 s. ``>`` and ``<`` double or halve the factor, within 1/64× and
64× (slower looks hung, faster is what ``f`` is for); ``--speed`` replaces the
curve with a fixed pace.

The lecture pace (``--pace lecture``, the default in lesson mode) is the same
curve after a slow start: the first ``LECTURE_ITERATIONS`` at ``LECTURE_RATE``
per second, so a class sees the weight's first steps one by one instead of the
whole climb in under a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GROWTH = 0.35
"""Relative growth of the automatic pace per second of wall time."""
OFFSET = 50.0
"""Iterations added before growth applies, so iteration 0 has a pace too (17.5/s)."""
MIN_FACTOR = 2.0**-6
"""``<`` stops at 1/64 of the pace: the automatic curve then starts at one iteration
every 4 seconds."""
MAX_FACTOR = 2.0**6
"""``>`` stops at 64 times the pace: the whole tutorial run in about a quarter second."""
LECTURE_ITERATIONS = 20
"""The lecture pace takes this many iterations slowly, then follows the curve."""
LECTURE_RATE = 2.0
"""Iterations per second of the lecture pace's slow start (at factor 1)."""


@dataclass
class Pace:
    """The pace of training: the automatic curve, or a fixed rate, times a factor."""

    fixed: float | None = None
    """Iterations per second at factor 1, or None for the automatic curve."""
    factor: float = 1.0
    """What ``>`` and ``<`` double and halve."""
    lecture: bool = False
    """The first ``LECTURE_ITERATIONS`` slowly, then the curve (ignored with ``fixed``)."""

    def advance(self, iteration: float, seconds: float) -> float:
        """Where the (fractional) iteration count should be after ``seconds`` more."""
        if self.fixed is not None:
            return iteration + self.fixed * self.factor * seconds
        if self.lecture and iteration < LECTURE_ITERATIONS:
            slow = LECTURE_RATE * self.factor
            needed = (LECTURE_ITERATIONS - iteration) / slow
            if seconds <= needed:
                return iteration + slow * seconds
            iteration, seconds = float(LECTURE_ITERATIONS), seconds - needed
        return (iteration + OFFSET) * math.exp(GROWTH * self.factor * seconds) - OFFSET

    def rate(self, iteration: float) -> float:
        """Iterations per second at ``iteration``."""
        if self.fixed is not None:
            return self.fixed * self.factor
        if self.lecture and iteration < LECTURE_ITERATIONS:
            return LECTURE_RATE * self.factor
        return GROWTH * self.factor * (iteration + OFFSET)

    @property
    def is_default(self) -> bool:
        """True at the pace the run started with (factor 1)."""
        return self.factor == 1.0

    @property
    def at_fastest(self) -> bool:
        return self.factor >= MAX_FACTOR

    @property
    def at_slowest(self) -> bool:
        return self.factor <= MIN_FACTOR

    def faster(self) -> bool:
        """Double the pace, up to ``MAX_FACTOR``; False if it was already there."""
        before = self.factor
        self.factor = min(self.factor * 2.0, MAX_FACTOR)
        return self.factor != before

    def slower(self) -> bool:
        """Halve the pace, down to ``MIN_FACTOR``; False if it was already there."""
        before = self.factor
        self.factor = max(self.factor / 2.0, MIN_FACTOR)
        return self.factor != before

    def describe(self, *, short: bool = False) -> str:
        """Label for the status line: ``auto``, ``auto ×4``, ``500/s``; short: ``×4``, ``500/s``."""
        if self.fixed is None:
            name = "lecture" if self.lecture else "auto"
            if self.factor == 1.0:
                return name
            label = f"{self.factor:g}" if self.factor >= 1 else f"1/{1 / self.factor:g}"
            return f"×{label}" if short else f"{name} ×{label}"
        return f"{self.fixed * self.factor:g}/s"
