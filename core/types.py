"""Type aliases shared by the engine's modules."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
"""A numpy array of float64 values."""

Phase = Literal["forward", "backward", "update"]
"""The three phases of one training iteration, in the order they run."""

Matrix = tuple[float, float, float, float]
"""A 2×2 matrix [[a, b], [c, d]] as (a, b, c, d): small enough for plain floats."""
