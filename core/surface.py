"""The loss as an exact quadratic in (weight, bias), built from a few moments of the data.

For one linear neuron and mean squared error the loss over (weight, bias) is a
bowl whose shape depends on the data only through its means. Knowing that bowl
answers every question the learner asks about it (where its bottom is, how
stretched it is, how large a step stays stable) and lets training jump ahead in
O(1) per iteration whatever the number of samples.

Everything is computed in *error coordinates*, relative to the least-squares
optimum (w*, b*), with the data centred on its mean Celsius ``c̄``::

    e_w = w − w*,  e_b = b − b*,  u = e_w·c̄ + e_b   (the error at c = c̄)
    loss(w, b)     = r + (e_w·σ)² + u²                (r = loss at the optimum, σ² = var(c))
    ∂loss/∂weight  = 2·((e_w·σ)·σ + u·c̄)
    ∂loss/∂bias    = 2·u

so a loss close to its minimum is a sum of non-negative terms, never a small
difference of large ones. The weight's term is scaled before it is squared:
e_w² alone can overflow where the loss cannot (celsius spanning 1e-150 with
fahrenheit near 1e100 puts w* near 1e250), and (e_w·σ)² overflows only where
the loss itself is beyond floating point, as the direct forward pass would be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from core.dataset import Dataset
from core.types import FloatArray


@dataclass(frozen=True)
class LossSurface:
    """The quadratic bowl of mean squared error over (weight, bias) for one dataset."""

    samples: int
    """How many samples the moments summarise."""
    mean_celsius: float
    """c̄, the mean input."""
    var_celsius: float
    """var(c) = mean((c − c̄)²), the spread of the inputs (always > 0)."""
    sd_celsius: float
    """σ = √var(c): the loss scales the weight's error by it before squaring."""
    var_fahrenheit: float
    """var(f): the loss of the best constant prediction, a natural loss scale."""
    optimum_weight: float
    """w*, the least-squares weight: cov(c, f) / var(c)."""
    optimum_bias: float
    """b*, the least-squares bias: f̄ − w*·c̄."""
    minimum_loss: float
    """r, the mean squared residual at the optimum (0 for exact data)."""

    @classmethod
    def of(cls, dataset: Dataset) -> LossSurface:
        """Compute the moments of ``dataset`` once, centred for accuracy."""
        c, f = dataset.celsius, dataset.fahrenheit
        mean_c = float(np.mean(c))
        mean_f = float(np.mean(f))
        dc = c - mean_c
        df = f - mean_f
        var_c = float(np.mean(dc * dc))
        weight = float(np.mean(dc * df)) / var_c
        residual = df - weight * dc
        return cls(
            samples=len(dataset),
            mean_celsius=mean_c,
            var_celsius=var_c,
            sd_celsius=math.sqrt(var_c),
            var_fahrenheit=float(np.mean(df * df)),
            optimum_weight=weight,
            optimum_bias=mean_f - weight * mean_c,
            minimum_loss=float(np.mean(residual * residual)),
        )

    # -- the loss and its gradient ------------------------------------------

    @overload
    def loss(self, weight: float, bias: float) -> float: ...
    @overload
    def loss(self, weight: FloatArray, bias: FloatArray) -> FloatArray: ...
    def loss(self, weight: float | FloatArray, bias: float | FloatArray) -> float | FloatArray:
        """Mean squared error at (weight, bias); accepts arrays of parameters."""
        e_w, u = self._errors(weight, bias)
        spread = e_w * self.sd_celsius
        loss: float | FloatArray = self.minimum_loss + spread * spread + u * u
        return loss

    @overload
    def gradient(self, weight: float, bias: float) -> tuple[float, float]: ...
    @overload
    def gradient(self, weight: FloatArray, bias: FloatArray) -> tuple[FloatArray, FloatArray]: ...
    def gradient(
        self, weight: float | FloatArray, bias: float | FloatArray
    ) -> tuple[float, float] | tuple[FloatArray, FloatArray]:
        """(∂loss/∂weight, ∂loss/∂bias) at (weight, bias); accepts arrays."""
        e_w, u = self._errors(weight, bias)
        sd = self.sd_celsius
        return 2.0 * (e_w * sd * sd + u * self.mean_celsius), 2.0 * u

    @overload
    def at(self, weight: float, bias: float) -> tuple[float, float, float]: ...
    @overload
    def at(
        self, weight: FloatArray, bias: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]: ...
    def at(self, weight: Any, bias: Any) -> tuple[Any, Any, Any]:
        """(loss, ∂loss/∂weight, ∂loss/∂bias) at one point, in plain floats, or at arrays
        of points.

        ``loss`` and ``gradient`` in one pass, for the step-by-step path, which
        needs all three after every update and cannot afford arrays for them,
        and for a closed-form run's history rows, which share the errors; the
        same arithmetic as those two, so the same numbers. Plain floats also
        never warn: an overflow gives inf (and inf − inf nan), which the
        trainer judges explicitly (arrays: callers silence with ``errstate``).
        """
        e_w, u = self._errors(weight, bias)
        sd = self.sd_celsius
        spread = e_w * sd
        loss = self.minimum_loss + spread * spread + u * u
        return loss, 2.0 * (spread * sd + u * self.mean_celsius), 2.0 * u

    def _errors(self, weight: Any, bias: Any) -> tuple[Any, Any]:
        """(e_w, u): the weight's error and the prediction's error at c̄."""
        e_w = weight - self.optimum_weight
        return e_w, e_w * self.mean_celsius + (bias - self.optimum_bias)

    # -- the shape of the bowl ------------------------------------------------

    @property
    def hessian(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """H = 2·[[mean(c²), c̄], [c̄, 1]]: the (constant) curvature of the loss."""
        mean_c2 = self.var_celsius + self.mean_celsius**2
        return ((2.0 * mean_c2, 2.0 * self.mean_celsius), (2.0 * self.mean_celsius, 2.0))

    @property
    def eigenvalues(self) -> tuple[float, float]:
        """H's eigenvalues (λ_min, λ_max): the curvature across and along the valley.

        λ_max comes from the trace, λ_min from det(H) = 4·var(c) / λ_max, which
        keeps it accurate even when the two differ by many orders of magnitude.
        """
        (a, b), (_, d) = self.hessian
        half_gap = 0.5 * (a - d)
        lam_max = 0.5 * (a + d) + math.hypot(half_gap, b)
        return 4.0 * self.var_celsius / lam_max, lam_max

    @property
    def eigenvectors(self) -> FloatArray:
        """Unit eigenvectors of H as columns, in the order of ``eigenvalues``.

        Each column is a direction in (weight, bias) along which gradient
        descent acts independently, shrinking the error by (1 − lr·λ) per step.
        """
        (a, b), (_, d) = self.hessian
        if b == 0.0:
            # Centred data: weight and bias are already independent.
            # The smaller diagonal entry is λ_min, whose eigenvector comes first.
            return np.eye(2) if a <= d else np.array([[0.0, 1.0], [1.0, 0.0]])
        # Stable Jacobi rotation that diagonalises [[a, b], [b, d]].
        tau = (d - a) / (2.0 * b)
        t = math.copysign(1.0, tau) / (abs(tau) + math.hypot(1.0, tau))
        cos = 1.0 / math.hypot(1.0, t)
        sin = t * cos
        first = np.array([cos, -sin])  # eigenvalue a − t·b
        second = np.array([sin, cos])  # eigenvalue d + t·b
        if a - t * b >= d + t * b:
            first, second = second, first
        return np.column_stack([first, second])

    @property
    def max_stable_learning_rate(self) -> float:
        """2 / λ_max: gradient descent diverges for any larger learning rate."""
        return 2.0 / self.eigenvalues[1]

    @property
    def fastest_learning_rate(self) -> float:
        """2 / (λ_min + λ_max): the rate at which gradient descent converges fastest.

        Gradient descent multiplies the error along each direction of curvature λ by
        1 − lr·λ. The slowest of the two factors is smallest when the two are equal and
        opposite, 1 − lr·λ_min = −(1 − lr·λ_max): then both shrink by (κ − 1)/(κ + 1) per
        iteration. On a round bowl (κ = 1, standardised inputs: λ = 2 both ways) that is
        0, and lr 0.5 lands on the optimum in one step; on the tutorial's valley it is just
        below the stable limit 2/λ_max, and the weight zigzags across the valley.

            >>> from core import Trainer
            >>> Trainer(standardize=True).training_surface.fastest_learning_rate
            0.5
            >>> f"{Trainer().training_surface.fastest_learning_rate:.4e}"
            '1.1983e-03'
        """
        lam_min, lam_max = self.eigenvalues
        return 2.0 / (lam_min + lam_max)

    @property
    def fastest_factor(self) -> float:
        """(κ − 1)/(κ + 1), computed as (λ_max − λ_min)/(λ_max + λ_min): how much gradient
        descent at ``fastest_learning_rate`` leaves of the error each iteration (0: one
        step lands on the optimum)."""
        lam_min, lam_max = self.eigenvalues
        return (lam_max - lam_min) / (lam_max + lam_min)

    @property
    def condition_number(self) -> float:
        """λ_max / λ_min, the ratio of the curvatures; the valley's contours are √κ times longer
        than they are wide."""
        lam_min, lam_max = self.eigenvalues
        return lam_max / lam_min
