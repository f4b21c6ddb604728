"""The chain rule in backward() against central differences, the independent oracle."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core import Dataset, gradient_check
from core.types import FloatArray

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    size = draw(st.integers(min_value=2, max_value=50))
    celsius = draw(st.lists(finite, min_size=size, max_size=size))
    fahrenheit = draw(st.lists(finite, min_size=size, max_size=size))
    if max(celsius) - min(celsius) < 1e-3:  # a line needs two distinct temperatures
        celsius[0] = celsius[1] + 1.0
    return Dataset(celsius, fahrenheit)


@settings(max_examples=300, deadline=None)
@given(data=datasets(), weight=finite, bias=finite)
def test_backward_agrees_with_central_differences(
    data: Dataset, weight: float, bias: float
) -> None:
    check = gradient_check(data, weight, bias)
    assert check.relative_error < 1e-6, check


@settings(max_examples=50, deadline=None)
@given(weight=finite, bias=finite)
def test_backward_on_the_tutorial_data_passes(weight: float, bias: float) -> None:
    assert gradient_check(Dataset.tutorial(), weight, bias).passed


def test_the_tutorials_published_rule_fails_the_check() -> None:
    """Its code forms grad_weight from the output instead of celsius: the check must catch it."""

    def published(
        celsius: FloatArray, fahrenheit: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        grad_output = 2.0 * (output - fahrenheit) / celsius.size
        return grad_output, float(np.dot(grad_output, output)), float(np.sum(grad_output))

    check = gradient_check(
        Dataset.tutorial(), 0.8444218515250481, 0.7579544029403025, backward=published
    )
    assert not check.passed
    assert check.relative_error > 0.1
