"""Input scaling: training on standardised celsius while speaking in the original units.

With z = (celsius − shift) / scale, a neuron ``w′·z + b′`` predicts exactly what
``w·celsius + b`` predicts when

    w = w′ / scale,          b = b′ − w′ · shift / scale
    w′ = w · scale,          b′ = b + w · shift

Standardising (shift = mean, scale = standard deviation) makes the loss bowl
round: its Hessian becomes 2·I, the condition number 1, and a learning rate of
1/λ = 0.5 lands on the optimum in a single step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.dataset import Dataset
from core.types import FloatArray


@dataclass(frozen=True)
class Scaling:
    """The map between original parameters (w, b) and training parameters (w′, b′)."""

    shift: float = 0.0
    """Subtracted from celsius (the mean, when standardising)."""
    scale: float = 1.0
    """Then divided into it (the standard deviation, when standardising)."""

    @classmethod
    def standardizing(cls, dataset: Dataset) -> Scaling:
        """Zero mean and unit (population) variance for this dataset's celsius."""
        mean = float(np.mean(dataset.celsius))
        spread = math.sqrt(float(np.mean((dataset.celsius - mean) ** 2)))
        return cls(shift=mean, scale=spread)

    @property
    def is_identity(self) -> bool:
        """True when training happens in the original units."""
        return self.shift == 0.0 and self.scale == 1.0

    def inputs(self, celsius: FloatArray) -> FloatArray:
        """z = (celsius − shift) / scale."""
        scaled: FloatArray = (celsius - self.shift) / self.scale
        return scaled

    def to_training(self, weight: float, bias: float) -> tuple[float, float]:
        """(w′, b′) predicting the same as (weight, bias)."""
        return weight * self.scale, bias + weight * self.shift

    def to_original(self, weight: float, bias: float) -> tuple[float, float]:
        """(w, b) predicting the same as training parameters (weight, bias)."""
        original_weight = weight / self.scale
        return original_weight, bias - original_weight * self.shift

    def arrays_to_original(
        self, weights: FloatArray, biases: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """``to_original`` for arrays of training parameters."""
        original_weights: FloatArray = weights / self.scale
        original_biases: FloatArray = biases - original_weights * self.shift
        return original_weights, original_biases


IDENTITY = Scaling()
"""No scaling: the tutorial's setting."""
