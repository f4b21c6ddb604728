"""The samples a neuron learns from: paired Celsius and Fahrenheit readings."""

from __future__ import annotations

import numbers
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

from core.printable import printable
from core.types import FloatArray

TUTORIAL_LOW = -50
"""The tutorial's first Celsius sample (Python's ``range(-50, 50)``)."""
TUTORIAL_HIGH = 50
"""The tutorial's upper bound, excluded as in ``range``."""
MAX_MAGNITUDE = 1e100
"""Larger values would overflow the loss (their squares times the samples)."""


def celsius_to_fahrenheit(celsius: FloatArray) -> FloatArray:
    """The exact relation the neuron should discover: F = C × 9/5 + 32."""
    return celsius * 9.0 / 5.0 + 32.0


@dataclass(frozen=True, eq=False)
class Dataset:
    """Paired readings held as read-only float64 arrays, validated on construction.

    A dataset that cannot teach a line is refused with a ``ValueError`` whose
    message says what to change: the two columns must pair up one to one, hold
    at least two finite numbers each (within ±1e100), and the Celsius values
    must not all be equal (with a single temperature no weight can be learnt).
    Anything but real numbers (a numeric string, bytes, a bool, a date, a
    masked array) is a ``TypeError``.
    """

    celsius: FloatArray
    """Inputs, in degrees Celsius."""
    fahrenheit: FloatArray
    """Targets, in degrees Fahrenheit, one per Celsius value."""

    def __init__(self, celsius: ArrayLike, fahrenheit: ArrayLike) -> None:
        c = _as_column("celsius", celsius)
        f = _as_column("fahrenheit", fahrenheit)
        if c.size != f.size:
            raise ValueError(
                f"celsius has {c.size} values but fahrenheit has {f.size}; "
                "they must pair up one to one"
            )
        if c.size < 2:
            raise ValueError(f"a line needs at least two samples, got {c.size}")
        if np.all(c == c[0]):
            raise ValueError(
                f"every celsius value is {c[0]:g}; at least two different "
                "temperatures are needed to learn a weight"
            )
        if not np.mean((c - np.mean(c)) ** 2) > 0.0:
            raise ValueError(
                f"the celsius values are too close together (they span {np.ptp(c):.3g}) "
                "to learn a weight"
            )
        object.__setattr__(self, "celsius", c)
        object.__setattr__(self, "fahrenheit", f)

    def __len__(self) -> int:
        return int(self.celsius.size)

    def __repr__(self) -> str:
        return (
            f"Dataset({len(self)} samples, celsius {self.celsius.min():g}..{self.celsius.max():g})"
        )

    @property
    def is_exact_line(self) -> bool:
        """True when every sample lies on F = C × 9/5 + 32 (up to rounding)."""
        expected = celsius_to_fahrenheit(self.celsius)
        return bool(np.allclose(self.fahrenheit, expected, rtol=1e-12, atol=1e-9))

    @classmethod
    def tutorial(cls) -> Dataset:
        """The tutorial's data: celsius = -50..49, fahrenheit = c × 9/5 + 32."""
        return cls.synthetic()

    @classmethod
    def synthetic(
        cls,
        low: float = TUTORIAL_LOW,
        high: float = TUTORIAL_HIGH,
        samples: int = TUTORIAL_HIGH - TUTORIAL_LOW,
        *,
        noise: float = 0.0,
        seed: int | None = 0,
    ) -> Dataset:
        """``samples`` evenly spaced temperatures in [low, high), on the true line.

        The upper bound is excluded as in Python's ``range``, so the defaults
        give exactly the tutorial's integers -50..49. ``noise`` adds Gaussian
        noise of that standard deviation (°F) to fahrenheit, drawn from
        ``numpy.random.default_rng(seed)`` so a run can be repeated.
        """
        if not (np.isfinite(low) and np.isfinite(high)) or not low < high:
            raise ValueError(f"the celsius range needs low < high, got {low:g} and {high:g}")
        if samples < 2:
            raise ValueError(f"a line needs at least two samples, got {samples}")
        if not np.isfinite(noise) or noise < 0:
            raise ValueError(f"noise must be a finite number >= 0, got {noise:g}")
        celsius = np.linspace(low, high, samples, endpoint=False)
        fahrenheit = celsius_to_fahrenheit(celsius)
        if noise > 0:
            fahrenheit = fahrenheit + np.random.default_rng(seed).normal(0.0, noise, samples)
        return cls(celsius, fahrenheit)


def _masked(values: object) -> bool:
    """Whether ``values`` is a numpy masked array. A masked array can only exist once
    ``numpy.ma`` is imported, and numpy imports it only when first asked for (``np.ma``):
    asking here made every start-up import it (~7 ms of CPU before the first frame, issue 20)."""
    masked_arrays = sys.modules.get("numpy.ma")
    return masked_arrays is not None and isinstance(values, masked_arrays.MaskedArray)


def _as_column(name: str, values: ArrayLike | Sequence[float]) -> FloatArray:
    """Copy ``values`` into a read-only 1-D float64 array, or say why not.

    Only real numbers are taken: Python and numpy integers and floats,
    ``Fraction`` and ``Decimal``. numpy would convert much else without a word
    (the string ``"3.5"``, ``True``, a date, bytes) and would drop a masked
    array's mask, so each of those is refused with a ``TypeError`` naming
    where it is; a value that is a number but unusable (not finite, too
    large) is a ``ValueError``.
    """
    if _masked(values):
        raise TypeError(
            f"{name} is a masked array, whose mask would be ignored; pass only the values "
            "to use (drop the same pairs from both columns)"
        )
    if isinstance(values, str | bytes):
        raise TypeError(f"{name} must be a sequence of numbers, not {_kind(values)}")
    if isinstance(values, np.ndarray):
        raw = values
    else:
        try:
            raw = np.asarray(values, dtype=object)  # each element keeps its own type
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name} must be a sequence of numbers ({error})") from None
    if raw.ndim != 1:
        raise ValueError(f"{name} must be a flat sequence of numbers, got shape {raw.shape}")
    if raw.dtype.kind == "O":
        column = np.array([_real(name, index, value) for index, value in enumerate(raw)])
    elif raw.dtype.kind in "iuf":
        column = np.array(raw, dtype=np.float64)
    else:
        held = _DTYPE_KINDS.get(raw.dtype.kind, f"values of type {raw.dtype}")
        raise TypeError(f"{name} holds {held}; only real numbers are accepted")
    column = column.astype(np.float64, copy=False).reshape(-1)
    bad = np.flatnonzero(~np.isfinite(column))
    if bad.size:
        index = int(bad[0])
        raise ValueError(f"{name}[{index}] is {column[index]}; every value must be a finite number")
    big = np.flatnonzero(np.abs(column) > MAX_MAGNITUDE)
    if big.size:
        index = int(big[0])
        raise ValueError(
            f"{name}[{index}] is {column[index]:g}; values beyond ±{MAX_MAGNITUDE:g} "
            "would overflow the loss"
        )
    column.flags.writeable = False
    return column


_DTYPE_KINDS = {
    "b": "booleans",
    "U": "strings",
    "S": "bytes",
    "M": "dates (datetime64)",
    "m": "time spans (timedelta64)",
    "c": "complex numbers",
    "V": "records",
}
"""What an array of each numpy kind that is not a real number holds, in words."""


def _real(name: str, index: int, value: object) -> float:
    """``value`` as a float if it is a real number (not a bool); else say what it is."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError(f"{name}[{index}] is {_kind(value)}; only real numbers are accepted")
    try:
        return float(value)
    except (OverflowError, ValueError):  # an integer beyond float, Decimal's signalling NaN
        raise ValueError(
            f"{name}[{index}] is beyond ±{MAX_MAGNITUDE:g} or not a number; "
            "every value must be a finite number"
        ) from None


def _kind(value: object) -> str:
    """What ``value`` is, for a message: ``a string ('3.5')``, ``a bool (True)``."""
    shown = repr(value)
    if len(shown) > 24:
        shown = shown[:24] + "…"
    if isinstance(value, str):
        return f"a string ({printable(shown)})"
    if isinstance(value, bytes):
        return f"bytes ({shown})"
    if isinstance(value, bool | np.bool_):
        return f"a bool ({shown})"
    if isinstance(value, np.datetime64):
        return f"a date ({value})"
    if isinstance(value, complex | np.complexfloating):
        return f"a complex number ({shown})"
    return f"a {type(value).__name__} ({printable(shown)})"
