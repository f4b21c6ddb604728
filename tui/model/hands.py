"""Hands on the weights: the learner moves the weight and the bias, and watches the loss answer.

The tutorial's thought experiment: at weight 0.8, should it become 0.9 or 0.7? In hands
mode (``h``) the arrow keys move the parameters in steps of a size ``{`` and ``}`` make
10× coarser or finer, and the loss, the gradients and the charts follow each move. The
moves are ``core``'s (``Trainer.set_parameters``); this record holds only the step size and
the path the hand took, for the status line and the landscape. No Textual here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

COARSEST: Final = 2
"""``{`` goes no coarser: weight steps of 10, bias steps of 100."""
FINEST: Final = -5
"""``}`` goes no finer: weight steps of 1e-6, bias steps of 1e-5."""
PATH_POINTS: Final = 256
"""The landscape shows at most this many of the latest hand-set points."""


@dataclass(frozen=True)
class Hands:
    """Hands mode: its step size and the points the hand has set since the mode began."""

    scale: int = 0
    """The step's power of ten: the weight moves by 10^(scale − 1), the bias by 10^scale
    (0.1 and 1 at first: the tutorial's 0.8 → 0.9, and a degree Fahrenheit)."""
    path: tuple[tuple[float, float], ...] = ()
    """(weight, bias) where the mode began and after each move, oldest first."""

    @property
    def weight_step(self) -> float:
        return step(self.scale - 1)

    @property
    def bias_step(self) -> float:
        return step(self.scale)

    def coarser(self) -> Hands | None:
        """Steps 10× larger (None: already the coarsest)."""
        return replace(self, scale=self.scale + 1) if self.scale < COARSEST else None

    def finer(self) -> Hands | None:
        """Steps 10× smaller (None: already the finest)."""
        return replace(self, scale=self.scale - 1) if self.scale > FINEST else None

    def visit(self, weight: float, bias: float) -> Hands:
        """The hand has set (weight, bias): the path goes on there."""
        if self.path and self.path[-1] == (weight, bias):
            return self
        return replace(self, path=(*self.path, (weight, bias))[-PATH_POINTS:])


def step(exponent: int) -> float:
    """10^exponent, written exactly as its decimal (0.1, not 0.1000…01)."""
    return float(f"1e{exponent}")


def nudge(value: float, exponent: int, direction: int) -> float:
    """The next multiple of 10^exponent above (``direction`` +1) or below (-1) ``value``.

    Like a slider's notches: from 0.8444 the weight goes to 0.9 or 0.8, and from 0.9 to
    1.0 or 0.8, so the numbers a learner reads stay round ones (0.9, not 0.9444).
    """
    size = step(exponent)
    notches = value / size
    nearest = round(notches)
    if math.isclose(notches, nearest, rel_tol=1e-9, abs_tol=1e-9):
        target = nearest + direction
    else:
        target = math.ceil(notches) if direction > 0 else math.floor(notches)
    digits = max(0, -exponent)
    return round(target * size, digits) + 0.0  # + 0.0: never -0.0
