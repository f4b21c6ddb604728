"""The loss bowl: optimum, curvature and stable rates, against independent computations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core import Dataset, LossSurface
from core.neuron import forward

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def test_tutorial_figures_from_the_reference() -> None:
    surface = LossSurface.of(Dataset.tutorial())
    (a, b), (c, d) = surface.hessian
    assert (a, b, c, d) == pytest.approx((1667.0, -1.0, -1.0, 2.0), rel=1e-12)
    lam_min, lam_max = surface.eigenvalues
    assert lam_max == pytest.approx(1667.0006, rel=1e-6)
    assert lam_min == pytest.approx(1.9994, rel=1e-4)
    assert surface.condition_number == pytest.approx(833.75, rel=1e-4)
    assert surface.max_stable_learning_rate == pytest.approx(1.1998e-3, rel=1e-4)
    assert surface.optimum_weight == pytest.approx(1.8, rel=1e-12)
    assert surface.optimum_bias == pytest.approx(32.0, rel=1e-12)
    assert surface.minimum_loss == pytest.approx(0.0, abs=1e-20)


@settings(max_examples=200, deadline=None)
@given(
    celsius=st.lists(finite, min_size=2, max_size=40, unique=True),
    slope=finite,
    noise_seed=st.integers(0, 2**16),
    weight=finite,
    bias=finite,
)
def test_surface_matches_least_squares_and_the_array_loss(
    celsius: list[float], slope: float, noise_seed: int, weight: float, bias: float
) -> None:
    c = np.array(celsius)
    assume(np.ptp(c) > 1e-3)
    f = slope * c + np.random.default_rng(noise_seed).normal(0, 10, c.size)
    data = Dataset(c, f)
    surface = LossSurface.of(data)
    fitted_w, fitted_b = np.linalg.lstsq(np.column_stack([c, np.ones_like(c)]), f, rcond=None)[0]
    scale = 1 + abs(fitted_b) + abs(fitted_w) * (1 + np.abs(c).max())
    assert abs(surface.optimum_weight - fitted_w) * (1 + np.abs(c).max()) < 1e-7 * scale
    assert abs(surface.optimum_bias - fitted_b) < 1e-7 * scale
    direct = forward(data.celsius, data.fahrenheit, weight, bias)[1]
    assert surface.loss(weight, bias) == pytest.approx(direct, rel=1e-9, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(celsius=st.lists(finite, min_size=2, max_size=40, unique=True))
def test_eigen_decomposition_matches_numpy(celsius: list[float]) -> None:
    assume(np.ptp(celsius) > 1e-3)
    surface = LossSurface.of(Dataset(celsius, np.zeros(len(celsius))))
    hessian = np.array(surface.hessian)
    expected = np.linalg.eigvalsh(hessian)
    assert surface.eigenvalues[1] == pytest.approx(expected[1], rel=1e-12)
    # λ_min from the determinant is at least as accurate as numpy's.
    assert surface.eigenvalues[0] == pytest.approx(expected[0], rel=1e-6, abs=1e-9 * expected[1])
    vectors = surface.eigenvectors
    assert np.allclose(vectors.T @ vectors, np.eye(2), atol=1e-12)
    rebuilt = vectors @ np.diag(surface.eigenvalues) @ vectors.T
    assert np.allclose(rebuilt, hessian, rtol=1e-9, atol=1e-9 * expected[1])


def test_standardised_inputs_make_a_round_bowl() -> None:
    c = np.arange(-50, 50, dtype=float)
    z = (c - c.mean()) / c.std()
    surface = LossSurface.of(Dataset(z, c * 1.8 + 32))
    assert surface.eigenvalues == pytest.approx((2.0, 2.0))
    assert surface.condition_number == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(weight=finite, bias=finite)
def test_at_is_loss_and_gradient_in_one_pass(weight: float, bias: float) -> None:
    """The step path judges divergence with ``at``, the fast path with ``loss``: they must agree."""
    surface = LossSurface.of(Dataset.synthetic(-10, 30, 50, noise=2.0, seed=4))
    assert surface.at(weight, bias) == (surface.loss(weight, bias), *surface.gradient(weight, bias))
