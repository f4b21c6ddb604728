"""The loss landscape: its grid, its contour ellipses and its shading bands, against the surface."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import Dataset, LossSurface
from core.landscape import contour, contour_levels, loss_bands, loss_grid, valley_window
from core.neuron import forward


def test_the_grid_is_lowest_at_the_least_squares_optimum() -> None:
    data = Dataset.synthetic(-20, 40, 300, noise=4.0, seed=3)
    surface = LossSurface.of(data)
    weights = np.linspace(surface.optimum_weight - 1, surface.optimum_weight + 1, 201)
    biases = np.linspace(surface.optimum_bias - 30, surface.optimum_bias + 30, 301)
    grid = loss_grid(surface, weights, biases)
    assert grid.shape == (201, 301)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    assert (i, j) == (100, 150)  # the centre of both ranges: the optimum itself
    assert grid[i, j] == pytest.approx(surface.minimum_loss, rel=1e-9)
    # and every value is the mean squared error the neuron would measure there
    for a, b in [(0, 0), (57, 211), (200, 300)]:
        direct = forward(data.celsius, data.fahrenheit, float(weights[a]), float(biases[b]))[1]
        assert grid[a, b] == pytest.approx(direct, rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(level=st.floats(min_value=1e-3, max_value=1e6), seed=st.integers(0, 1000))
def test_contours_lie_on_their_level(level: float, seed: int) -> None:
    data = Dataset.synthetic(-50, 50, 100, noise=3.0, seed=seed)
    surface = LossSurface.of(data)
    curve = contour(surface, surface.minimum_loss + level)
    assert curve is not None
    weights, biases = curve
    losses = surface.loss(weights, biases)
    assert np.allclose(losses, surface.minimum_loss + level, rtol=1e-6)


def test_the_tutorials_contours_are_834_times_longer_than_wide_in_curvature() -> None:
    surface = LossSurface.of(Dataset.tutorial())
    curve = contour(surface, 100.0, points=4001)
    assert curve is not None
    _, biases = curve
    # Half-widths along the eigenvectors: √(2L/λ); their ratio is √κ ≈ 28.9.
    widths = np.sqrt(2 * 100.0 / np.asarray(surface.eigenvalues))
    assert widths[0] / widths[1] == pytest.approx(np.sqrt(surface.condition_number), rel=1e-9)
    assert np.ptp(biases) / 2 == pytest.approx(widths[0], rel=1e-3)
    assert contour(surface, surface.minimum_loss) is None


def test_levels_and_bands_step_by_quarters_of_the_excess_loss() -> None:
    surface = LossSurface.of(Dataset.tutorial())
    levels = contour_levels(surface, 1024.0, 4)
    assert levels == pytest.approx([1024.0, 256.0, 64.0, 16.0], abs=1e-9)
    bands = loss_bands(surface, np.array([2000.0, 1000.0, 200.0, 60.0, 1e-40]), 1024.0)
    assert bands[:4].tolist() == [0.0, 0.0, 1.0, 2.0]
    assert bands[4] > 20


def test_the_valley_window_centres_the_weight_and_holds_the_path() -> None:
    surface = LossSurface.of(Dataset.tutorial())
    window = valley_window(surface, np.array([0.84, 1.7]), np.array([0.76, 10.0]))
    centre = (window.weight_low + window.weight_high) / 2
    assert centre == pytest.approx(surface.optimum_weight)
    assert window.weight_low < 0.84 and window.bias_low < 0.76 < 32 < window.bias_high
