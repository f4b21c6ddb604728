"""How fast training runs on screen, in iterations per second.

The tutorial's run has two acts: the weight is fitted within the first few
hundred iterations, then the bias climbs slowly for thousands more. A constant
pace would flash through the first act and drag through the second, so by
default the pace grows with the iteration count (``AUTO``):

    iterations per second = GROWTH × (iteration + OFFSET)

which gives every factor of growth the same screen time. At the default factor
the first 100 iterations take about 3 s, the first 500 about 7 s and all
10,000 about 15 s. ``>`` and ``<`` double or halve the factor; ``--speed``
replaces the curve with a fixed pace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GROWTH = 0.35
"""Relative growth of the automatic pace per second of wall time."""
OFFSET = 50.0
"""Iterations added before growth applies, so iteration 0 has a pace too (17.5/s)."""
MIN_FACTOR = 2.0**-10
MAX_FACTOR = 2.0**20


@dataclass
class Pace:
    """The pace of training: the automatic curve, or a fixed rate, times a factor."""

    fixed: float | None = None
    """Iterations per second at factor 1, or None for the automatic curve."""
    factor: float = 1.0
    """What ``>`` and ``<`` double and halve."""

    def advance(self, iteration: float, seconds: float) -> float:
        """Where the (fractional) iteration count should be after ``seconds`` more."""
        if self.fixed is not None:
            return iteration + self.fixed * self.factor * seconds
        return (iteration + OFFSET) * math.exp(GROWTH * self.factor * seconds) - OFFSET

    def rate(self, iteration: float) -> float:
        """Iterations per second at ``iteration``."""
        if self.fixed is not None:
            return self.fixed * self.factor
        return GROWTH * self.factor * (iteration + OFFSET)

    def faster(self) -> None:
        """Double the pace (up to a limit)."""
        self.factor = min(self.factor * 2.0, MAX_FACTOR)

    def slower(self) -> None:
        """Halve the pace (down to a limit)."""
        self.factor = max(self.factor / 2.0, MIN_FACTOR)

    def describe(self) -> str:
        """Short label for the status line: ``auto``, ``auto ×4``, ``500/s``."""
        if self.fixed is None:
            if self.factor == 1.0:
                return "auto"
            label = f"{self.factor:g}" if self.factor >= 1 else f"1/{1 / self.factor:g}"
            return f"auto ×{label}"
        return f"{self.fixed * self.factor:g}/s"
