"""An independent oracle for ``backward()``: central differences of the loss.

If the chain rule in ``core.neuron.backward`` were wrong (as the tutorial's
published code is, multiplying by the output instead of the input), the
slopes measured here would disagree with it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core import neuron
from core.dataset import Dataset
from core.types import FloatArray

Backward = Callable[[FloatArray, FloatArray, FloatArray], tuple[FloatArray, float, float]]
"""The signature of ``core.neuron.backward``, so a different rule can be checked."""

RELATIVE_STEP = 1e-3
"""Each parameter is nudged by this fraction of its size (at least this much).

The loss is a quadratic, so central differences carry no truncation error at
any step; a large step only shrinks the rounding error of the subtraction."""


@dataclass(frozen=True)
class GradientCheck:
    """Analytic gradients next to numeric ones, and how far apart they are."""

    analytic: tuple[float, float]
    """(grad_weight, grad_bias) from ``backward()``."""
    numeric: tuple[float, float]
    """The same slopes measured by central differences of ``forward()``'s loss."""
    relative_error: float
    """The larger of the two disagreements beyond rounding, relative to the gradient."""

    @property
    def passed(self) -> bool:
        """True when the two agree to within one part in a million."""
        return self.relative_error < 1e-6


def gradient_check(
    dataset: Dataset, weight: float, bias: float, *, backward: Backward = neuron.backward
) -> GradientCheck:
    """Compare ``backward`` at (weight, bias) with central differences of the loss.

    The disagreement counted is what remains after subtracting the rounding
    error the finite difference itself can make (bounded from the sizes of
    the numbers each loss was computed from, over the step), so a gradient
    that is zero up to rounding checks as exact.
    """
    c, f = dataset.celsius, dataset.fahrenheit
    eps = sys.float_info.epsilon

    def loss(w: float, b: float) -> tuple[float, float]:
        """The loss, and a bound on the rounding error it may carry."""
        output, value = neuron.forward(c, f, w, b)
        # Each residual output − f can lose up to ε of the terms it subtracts;
        # the sum of squares adds N·ε of the loss itself.
        magnitude = np.abs(c * w) + abs(b) + np.abs(f)
        residual_noise = 2.0 * float(np.dot(np.abs(output - f), magnitude)) / c.size
        return value, eps * (c.size * value + residual_noise)

    output, _ = neuron.forward(c, f, weight, bias)
    _, grad_weight, grad_bias = backward(c, f, output)
    errors = []
    numeric = []
    for analytic, nudge in ((grad_weight, (1.0, 0.0)), (grad_bias, (0.0, 1.0))):
        size = abs(weight) if nudge[0] else abs(bias)
        step = RELATIVE_STEP * max(1.0, size)
        up, up_noise = loss(weight + step * nudge[0], bias + step * nudge[1])
        down, down_noise = loss(weight - step * nudge[0], bias - step * nudge[1])
        slope = (up - down) / (2.0 * step)
        rounding = 4.0 * (up_noise + down_noise) / (2.0 * step)
        scale = max(abs(analytic), abs(slope))
        excess = max(0.0, abs(analytic - slope) - rounding)
        errors.append(excess / scale if scale > 0.0 else 0.0)
        numeric.append(slope)
    return GradientCheck(
        analytic=(grad_weight, grad_bias),
        numeric=(numeric[0], numeric[1]),
        relative_error=float(np.max(errors)),
    )
