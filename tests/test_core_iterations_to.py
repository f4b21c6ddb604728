"""iterations_to: when the parameters reach a tolerance of the optimum for good, from the
closed form, against loops that step every iteration and watch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core import Dataset, NoClosedFormError, Trainer
from tests.loops import Moments, Plain, least_squares


def reached_for_good(
    walk: list[tuple[float, float]],
    optimum: tuple[float, float],
    tolerances: tuple[float, float],
) -> int:
    """The iteration after the last one whose |w − w*| or |b − b*| is not within tolerance
    (``walk[k]`` is the state after k iterations; 0 if none ever is)."""
    reached = 0
    for iteration, (weight, bias) in enumerate(walk):
        if not (
            abs(weight - optimum[0]) < tolerances[0] and abs(bias - optimum[1]) < tolerances[1]
        ):
            reached = iteration + 1
    return reached


def plain_walk(trainer: Trainer, beta: float, count: int) -> list[tuple[float, float]]:
    data = trainer.dataset
    plain = Plain.of(data.celsius, data.fahrenheit, trainer.weight, trainer.bias, beta=beta)
    walk = [(plain.weight, plain.bias)]
    for _ in range(count):
        plain.step(trainer.learning_rate)
        walk.append((plain.weight, plain.bias))
    return walk


@pytest.mark.parametrize(
    ("optimizer", "beta", "expected", "horizon"),
    [("gd", 0.0, 40_243, 100_000), ("momentum", 0.9, 3_957, 40_000)],
)
def test_the_tutorials_run_reaches_the_default_tolerances_when_stepping_does(
    optimizer: str, beta: float, expected: int, horizon: int
) -> None:
    """|w − 1.8| < 1e-3 and |b − 32| < 1e-2 for good: found by stepping every sample."""
    trainer = Trainer(seed=0, optimizer=optimizer)
    assert trainer.iterations_to() == expected
    optimum = least_squares(trainer.dataset.celsius, trainer.dataset.fahrenheit)
    walk = plain_walk(trainer, beta, horizon)
    assert reached_for_good(walk, optimum, (1e-3, 1e-2)) == expected
    # Asked again later in the run, the answer is the same absolute iteration.
    trainer.run(1_000)
    assert trainer.iterations_to() == expected
    trainer.run(expected)  # past it: from here on it holds
    assert trainer.iterations_to() == trainer.iteration


def test_momentum_can_enter_the_tolerance_and_leave_it_again() -> None:
    """The answer is after the last violation, not the first touch."""
    trainer = Trainer(seed=0, optimizer="momentum", learning_rate=2e-3)
    optimum = least_squares(trainer.dataset.celsius, trainer.dataset.fahrenheit)
    walk = plain_walk(trainer, 0.9, 3_000)
    inside = [abs(w - optimum[0]) < 1e-2 for w, _ in walk]
    first_touch = inside.index(True)
    expected = reached_for_good(walk, optimum, (1e-2, 1e2))
    assert first_touch < expected, "the weight overshoots out of the tolerance again"
    assert trainer.iterations_to(weight_tolerance=1e-2, bias_tolerance=1e2) == expected


def test_an_unstable_rate_never_gets_there_and_adam_is_unknown() -> None:
    assert Trainer(seed=0, learning_rate=1.3e-3).iterations_to() is None
    with pytest.raises(NoClosedFormError, match="unknown"):
        Trainer(seed=0, optimizer="adam").iterations_to()
    with pytest.raises(NoClosedFormError, match="unknown"):
        Trainer(seed=0, gradient="published").iterations_to()


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_a_tolerance_must_be_a_positive_number(bad: float) -> None:
    with pytest.raises(ValueError, match="tolerance"):
        Trainer(seed=0).iterations_to(weight_tolerance=bad)


@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(min_value=-100, max_value=100),
    span=st.floats(min_value=1, max_value=200),
    samples=st.integers(2, 20),
    slope=st.floats(min_value=-20, max_value=20),
    noise=st.floats(min_value=0, max_value=5),
    seed=st.integers(0, 2**16),
    share=st.floats(min_value=0.05, max_value=0.95),
    momentum=st.booleans(),
    standardize=st.booleans(),
    tolerance=st.floats(min_value=1e-6, max_value=1.0),
)
def test_any_data_rate_seed_and_tolerance_agree_with_a_stepping_loop(
    low: float,
    span: float,
    samples: int,
    slope: float,
    noise: float,
    seed: int,
    share: float,
    momentum: bool,
    standardize: bool,
    tolerance: float,
) -> None:
    celsius = np.linspace(low, low + span, samples)
    fahrenheit = slope * celsius + 10.0 + np.random.default_rng(seed).normal(0, noise, samples)
    trainer = Trainer(
        Dataset(celsius, fahrenheit),
        seed=seed,
        optimizer="momentum" if momentum else "gd",
        standardize=standardize,
    )
    trainer.learning_rate = share * trainer.max_stable_learning_rate
    tolerances = (tolerance, 10 * tolerance)
    predicted = trainer.iterations_to(*tolerances)
    assert predicted is not None
    assume(predicted < 60_000)
    # Step well past the prediction in the coordinates the neuron trains in.
    z = trainer.training_data.celsius
    moments = Moments.of(z, fahrenheit)
    start = trainer.training_parameters
    steps = itertools.islice(
        moments.walk(*start, trainer.learning_rate, beta=0.9 if momentum else 0.0),
        2 * predicted + 2_000,
    )
    scaling = trainer.scaling
    optimum = (trainer.surface.optimum_weight, trainer.surface.optimum_bias)
    walked = [(trainer.weight, trainer.bias)] + [scaling.to_original(w, b) for w, b in steps]
    found = reached_for_good(walked, optimum, tolerances)
    if found != predicted:
        # Only where the distance sits within rounding of the tolerance at the boundary.
        assert abs(found - predicted) == 1
        weight, bias = walked[min(found, predicted)]
        gaps = (abs(weight - optimum[0]) - tolerances[0], abs(bias - optimum[1]) - tolerances[1])
        assert min(abs(gap) for gap in gaps) < 1e-9 * (1 + max(abs(v) for v in optimum))
