"""The loss landscape over (weight, bias): a grid of losses, and its contour lines, exactly.

The loss of a linear neuron is a quadratic bowl (``core.surface``), so its
level sets are ellipses: in the Hessian's eigenbasis Q, a loss L is reached
where ½·Σ λ_i·z_i² = L − r, i.e. on the ellipse with semi-axes
√(2(L − r)/λ_i) along each eigenvector. The ellipses' axes differ by
√(λ_max/λ_min) (≈ 29 on the tutorial's data): the narrow valley.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.surface import LossSurface
from core.types import FloatArray


def loss_grid(surface: LossSurface, weights: FloatArray, biases: FloatArray) -> FloatArray:
    """The loss at every (weight, bias) pair: ``grid[i, j]`` is at (weights[i], biases[j])."""
    weight_grid, bias_grid = np.meshgrid(np.asarray(weights), np.asarray(biases), indexing="ij")
    grid: FloatArray = surface.loss(weight_grid, bias_grid)
    return grid


def contour(
    surface: LossSurface, level: float, points: int = 256
) -> tuple[FloatArray, FloatArray] | None:
    """The closed curve of (weight, bias) where the loss equals ``level``.

    None if ``level`` is not above the least loss (there is no such curve).
    """
    excess = level - surface.minimum_loss
    if not excess > 0.0 or not math.isfinite(excess):
        return None
    angles = np.linspace(0.0, 2.0 * math.pi, points)
    semi_axes = np.sqrt(2.0 * excess / np.asarray(surface.eigenvalues))
    along = np.vstack([semi_axes[0] * np.cos(angles), semi_axes[1] * np.sin(angles)])
    errors = surface.eigenvectors @ along
    return surface.optimum_weight + errors[0], surface.optimum_bias + errors[1]


def contour_levels(surface: LossSurface, highest: float, count: int = 6) -> list[float]:
    """``count`` losses from ``highest`` down towards the minimum, evenly spaced in log(L − r).

    Each level's excess over the minimum is a quarter of the one above, so
    each ellipse is half the size of the one outside it.
    """
    excess = highest - surface.minimum_loss
    if not excess > 0.0 or not math.isfinite(excess):
        return []
    return [surface.minimum_loss + excess * 4.0**-k for k in range(count)]


@dataclass(frozen=True)
class Window:
    """A rectangle of parameter space: what a landscape view shows."""

    weight_low: float
    weight_high: float
    bias_low: float
    bias_high: float


def valley_window(
    surface: LossSurface, weights: FloatArray, biases: FloatArray, margin: float = 0.08
) -> Window:
    """A window centred on the optimum's weight, holding the optimum and every given point.

    Centring the weight puts the valley floor across the middle of the view,
    so a path that first drops into the valley and then slides along it shows
    both moves.
    """
    points_w = np.asarray(weights, dtype=np.float64)
    points_b = np.asarray(biases, dtype=np.float64)
    finite = np.isfinite(points_w) & np.isfinite(points_b)
    points_w, points_b = points_w[finite], points_b[finite]
    w_star, b_star = surface.optimum_weight, surface.optimum_bias
    reach = float(np.max(np.abs(points_w - w_star), initial=0.0))
    half_height = (1.0 + 2.0 * margin) * reach or 0.1 * max(1.0, abs(w_star))
    b_low = float(np.min(points_b, initial=b_star))
    b_high = float(np.max(points_b, initial=b_star))
    pad = margin * (b_high - b_low) or 0.1 * max(1.0, abs(b_star))
    return Window(w_star - half_height, w_star + half_height, b_low - pad, b_high + pad)


def loss_bands(surface: LossSurface, losses: FloatArray, reference: float) -> FloatArray:
    """Which band each loss falls in: band k holds excess losses (L − r) within
    (reference·4^-(k+1), reference·4^-k]; band 0 also holds everything above.

    Equal steps in log(L − r), each band a quarter of the excess of the one
    above it: the shading of a contour map whose ellipses halve in size.
    """
    excess = np.maximum(np.asarray(losses) - surface.minimum_loss, np.finfo(np.float64).tiny)
    scale = reference - surface.minimum_loss
    if not scale > 0.0 or not math.isfinite(scale):
        scale = float(np.max(excess))
    bands = np.floor((math.log(scale) - np.log(excess)) / math.log(4.0))
    result: FloatArray = np.nan_to_num(np.maximum(bands, 0.0), nan=0.0)
    return result
