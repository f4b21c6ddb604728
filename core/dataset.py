"""The samples a neuron learns from: paired Celsius and Fahrenheit readings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

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


def _as_column(name: str, values: ArrayLike | Sequence[float]) -> FloatArray:
    """Copy ``values`` into a read-only 1-D float64 array, or say why not."""
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a sequence of numbers ({error})") from None
    if raw.dtype.kind == "c":
        raise ValueError(f"{name} must hold real numbers, not complex ones")
    if raw.dtype.kind not in "biuf":
        try:
            raw = raw.astype(np.float64)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"{name} must hold only numbers") from None
    if raw.ndim != 1:
        raise ValueError(f"{name} must be a flat sequence of numbers, got shape {raw.shape}")
    column = np.array(raw, dtype=np.float64)
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
