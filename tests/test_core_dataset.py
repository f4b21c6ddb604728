"""Dataset: the tutorial's data, and every way a dataset is refused."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

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
        ([[0, 1], [2, 3]], [1, 2], "celsius must be a flat sequence"),
        ([0, 10**400], [1, 2], r"celsius\[1\] is beyond ±1e\+100 or not a number"),
        ([0, 1], [1, 1e200], r"fahrenheit\[1\] is 1e\+200; values beyond"),
        ([0, 1e-200], [1, 2], "too close together"),
    ],
)
def test_invalid_datasets_are_refused_with_an_actionable_message(
    celsius: object, fahrenheit: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Dataset(celsius, fahrenheit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("celsius", "message"),
    [
        (["0", "1.5"], r"celsius\[0\] is a string \('0'\); only real numbers are accepted"),
        ([0, "1.5"], r"celsius\[1\] is a string \('1.5'\)"),
        (np.array(["0", "1.5"]), "celsius holds strings; only real numbers are accepted"),
        ([b"0", b"1"], r"celsius\[0\] is bytes \(b'0'\)"),
        (b"01", "celsius must be a sequence of numbers, not bytes"),
        ("01", "celsius must be a sequence of numbers, not a string"),
        ([0, True], r"celsius\[1\] is a bool \(True\)"),
        (np.array([True, False]), "celsius holds booleans"),
        ([0, np.bool_(True)], r"celsius\[1\] is a bool"),
        (np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[D]"), "celsius holds dates"),
        ([np.datetime64("2024-01-01"), 1.0], r"celsius\[0\] is a date \(2024-01-01\)"),
        ([0, 1j], r"celsius\[1\] is a complex number \(1j\)"),
        (np.array([0, 1j]), "celsius holds complex numbers"),
        ([0, None], r"celsius\[1\] is a NoneType \(None\)"),
        (np.ma.masked_array([0.0, 1.0, 2.0], mask=[False, True, False]), "masked array"),
    ],
)
def test_anything_but_real_numbers_is_a_type_error_naming_it(celsius: object, message: str) -> None:
    fahrenheit = [32.0, 33.8, 35.6][: len(celsius)]  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=message):
        Dataset(celsius, fahrenheit)  # type: ignore[arg-type]


def test_real_numbers_of_every_kind_are_accepted() -> None:
    data = Dataset(
        [0, np.int64(10), np.float32(20.0), Fraction(30), Decimal("40.5"), range(50, 51)[0]],
        np.array([32.0, 50.0, 68.0, 86.0, 104.9, 122.0]),
    )
    assert data.celsius.tolist() == [0.0, 10.0, 20.0, 30.0, 40.5, 50.0]
    assert Dataset(range(-50, 50), np.arange(-50, 50) * 1.8 + 32).is_exact_line


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
