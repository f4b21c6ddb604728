"""Dataset: the tutorial's data, and every way a dataset is refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import Dataset


def test_tutorial_data_is_the_integers_minus_50_to_49_on_the_true_line() -> None:
    data = Dataset.tutorial()
    assert len(data) == 100
    assert data.celsius.tolist() == [float(c) for c in range(-50, 50)]
    assert data.fahrenheit.tolist() == [c * 9 / 5 + 32 for c in range(-50, 50)]
    assert data.is_exact_line


def test_columns_are_float64_read_only_copies() -> None:
    celsius = [0, 10, 20]
    source = np.array([32.0, 50.0, 68.0])
    data = Dataset(celsius, source)
    assert data.celsius.dtype == np.float64 and data.fahrenheit.dtype == np.float64
    source[0] = 999.0
    assert data.fahrenheit[0] == 32.0
    with pytest.raises(ValueError):
        data.celsius[0] = 1.0


@pytest.mark.parametrize(
    ("celsius", "fahrenheit", "message"),
    [
        ([0, 1, 2], [32, 33.8], "celsius has 3 values but fahrenheit has 2"),
        ([5], [41], "at least two samples, got 1"),
        ([], [], "at least two samples, got 0"),
        ([0, math.nan], [32, 33], r"celsius\[1\] is nan"),
        ([0, 1], [32, math.inf], r"fahrenheit\[1\] is inf"),
        ([0, -math.inf], [32, 33], r"celsius\[1\] is -inf"),
        ([3, 3, 3], [1, 2, 3], "every celsius value is 3"),
        (["a", "b"], [1, 2], "celsius must hold only numbers"),
        ([[0, 1], [2, 3]], [1, 2], "celsius must be a flat sequence"),
        ([0, 1j], [1, 2], "celsius must hold real numbers"),
        ([0, 10**400], [1, 2], "celsius must hold only numbers"),
        ([0, 1], [1, 1e200], r"fahrenheit\[1\] is 1e\+200; values beyond"),
        ([0, 1e-200], [1, 2], "too close together"),
    ],
)
def test_invalid_datasets_are_refused_with_an_actionable_message(
    celsius: object, fahrenheit: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Dataset(celsius, fahrenheit)  # type: ignore[arg-type]


def test_synthetic_line_excludes_the_upper_bound_like_range() -> None:
    data = Dataset.synthetic(0, 10, 5)
    assert data.celsius.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert data.is_exact_line


def test_synthetic_noise_is_seeded_and_leaves_the_exact_line() -> None:
    first = Dataset.synthetic(noise=2.0, seed=7)
    again = Dataset.synthetic(noise=2.0, seed=7)
    other = Dataset.synthetic(noise=2.0, seed=8)
    assert np.array_equal(first.fahrenheit, again.fahrenheit)
    assert not np.array_equal(first.fahrenheit, other.fahrenheit)
    assert not first.is_exact_line
    residual = first.fahrenheit - (first.celsius * 1.8 + 32)
    assert 1.5 < residual.std() < 2.5


@pytest.mark.parametrize(
    ("low", "high", "samples", "noise", "message"),
    [
        (5, 5, 10, 0.0, "low < high"),
        (0, 10, 1, 0.0, "at least two samples"),
        (0, 10, 10, -1.0, "noise must be a finite number >= 0"),
    ],
)
def test_synthetic_refuses_impossible_settings(
    low: float, high: float, samples: int, noise: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Dataset.synthetic(low, high, samples, noise=noise)
