"""What a caller passes to the trainer, checked: each wrong value is one clear ValueError.

Counts and seeds may be Python or numpy integers, never bools; numbers must be
finite. A notebook's mistake gets a sentence naming the argument and what it
must be, not a numpy warning or a wrong answer later.
"""

from __future__ import annotations

import math
import operator

import numpy as np

from core.history import LAST_ITERATION


def check_learning_rate(value: float) -> float:
    """``value`` as a float if it is a finite number > 0, else a ValueError."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"learning rate must be a number, got {value!r}")
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"learning rate must be a number, got {value!r}") from None
    if not math.isfinite(rate) or rate <= 0.0:
        raise ValueError(f"learning rate must be a finite number > 0, got {value!r}")
    return rate


def whole(name: str, value: int) -> int:
    """``value`` as an int ≥ 0 (a Python or numpy integer, not a bool), else a ValueError."""
    number = integer(name, value)
    if number < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return number


def within_limit(request: str, iteration: int) -> int:
    """``iteration`` if a run can reach it, else a ValueError naming the limit."""
    if iteration > LAST_ITERATION:
        raise ValueError(
            f"{request} would pass the last iteration a run can reach, 2**63 - 1 "
            "(iterations are counted in 64 bits; a stable run is on the optimum long before)"
        )
    return iteration


def integer(name: str, value: int) -> int:
    """``value`` as an int (a Python or numpy integer, not a bool), else a ValueError."""
    message = f"{name} must be a whole number >= 0, got {value!r}"
    if name == "seed":
        message = f"seed must be an integer, got {value!r}"
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(message)
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(message) from None


def finite(name: str, value: float) -> float:
    """``value`` as a float if it is a finite number, else a ValueError naming ``name``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def positive(name: str, value: float) -> float:
    """``value`` as a float if it is a finite number > 0, else a ValueError naming ``name``."""
    number = finite(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number
