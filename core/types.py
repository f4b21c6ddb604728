"""Type aliases shared by the engine's modules."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

FloatArray = np.ndarray[tuple[Any, ...], np.dtype[np.float64]]
"""A numpy array of float64 values: ``numpy.typing.NDArray[np.float64]``, spelled out so
that the engine does not import ``numpy.typing`` (numpy itself never does; ~0.5 ms of
every start-up, issue 20)."""

Phase = Literal["forward", "backward", "update"]
"""The three phases of one training iteration, in the order they run."""

Matrix = tuple[float, float, float, float]
"""A 2×2 matrix [[a, b], [c, d]] as (a, b, c, d): small enough for plain floats."""
