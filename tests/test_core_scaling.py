"""Standardised inputs: the same neuron in round-bowl coordinates, reported in original units."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import Dataset, Trainer
from core.events import ForwardEvent, UpdateEvent
from core.neuron import predict
from core.scaling import Scaling
from tests.registry import OPTIMIZER_NAMES

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None)
@given(weight=finite, bias=finite, seed=st.integers(0, 1000))
def test_scaled_parameters_predict_what_the_original_ones_do(
    weight: float, bias: float, seed: int
) -> None:
    data = Dataset.synthetic(-30, 70, 50, noise=2.0, seed=seed)
    scaling = Scaling.standardizing(data)
    z = scaling.inputs(data.celsius)
    assert np.mean(z) == pytest.approx(0.0, abs=1e-12) and np.std(z) == pytest.approx(1.0)
    scaled = scaling.to_training(weight, bias)
    expected = predict(data.celsius, weight, bias)
    assert np.allclose(predict(z, *scaled), expected, rtol=1e-9, atol=1e-9)
    assert scaling.to_original(*scaled) == pytest.approx((weight, bias), rel=1e-9, abs=1e-9)


def test_standardised_training_predicts_the_same_at_the_same_parameters() -> None:
    plain = Trainer(seed=0)
    scaled = Trainer(seed=0, standardize=True)
    assert (scaled.weight, scaled.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-12)
    first_plain = next(plain.steps())
    first_scaled = next(scaled.steps())
    assert isinstance(first_plain, ForwardEvent) and isinstance(first_scaled, ForwardEvent)
    assert np.allclose(first_scaled.output, first_plain.output, rtol=1e-12)
    assert first_scaled.loss == pytest.approx(first_plain.loss, rel=1e-12)
    # The events carry the neuron's own numbers: the weight of z, not of celsius.
    assert first_scaled.weight == pytest.approx(plain.weight * np.std(plain.dataset.celsius))


def test_standardising_makes_the_bowl_round() -> None:
    trainer = Trainer(seed=0, standardize=True)
    assert trainer.surface.condition_number == pytest.approx(833.75, rel=1e-4)
    assert trainer.training_surface.condition_number == pytest.approx(1.0, rel=1e-12)
    assert trainer.training_surface.max_stable_learning_rate == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("path", ["steps", "run"])
def test_lr_one_half_reaches_the_optimum_in_one_iteration(path: str) -> None:
    trainer = Trainer(seed=0, learning_rate=0.5, standardize=True)
    if path == "steps":
        events = list(itertools.islice(trainer.steps(), 3))
        update = events[-1]
        assert isinstance(update, UpdateEvent) and update.iteration == 1
    else:
        trainer.run(1)
    assert trainer.iteration == 1
    assert trainer.weight == pytest.approx(1.8, rel=1e-9)
    assert trainer.bias == pytest.approx(32.0, rel=1e-9)
    assert trainer.loss == pytest.approx(0.0, abs=1e-9)


def test_switching_scaling_mid_run_keeps_the_line_and_goes_on() -> None:
    trainer = Trainer(seed=0)
    trainer.run(100)
    list(itertools.islice(trainer.steps(), 1))  # a forward in progress
    before = (trainer.iteration, trainer.weight, trainer.bias)
    trainer.standardize = True
    assert trainer.iteration == before[0] + 1, "the iteration in progress is finished first"
    line = predict(trainer.dataset.celsius, trainer.weight, trainer.bias)
    z = trainer.scaling.inputs(trainer.dataset.celsius)
    assert np.allclose(predict(z, *trainer.training_parameters), line, rtol=1e-12)
    trainer.learning_rate = 0.5
    trainer.run(1)
    assert (trainer.weight, trainer.bias) == pytest.approx((1.8, 32.0), rel=1e-9)
    trainer.standardize = False
    assert trainer.training_parameters == pytest.approx((1.8, 32.0), rel=1e-9)


def test_the_history_stays_in_original_units() -> None:
    trainer = Trainer(seed=0, learning_rate=0.3, standardize=True)  # error × 0.4 a step
    for _ in trainer.steps():
        if trainer.iteration == 3:
            break
    trainer.run(20)
    rows = trainer.history.rows()
    assert rows[0, 1:3].tolist() == pytest.approx([trainer.initial_weight, trainer.initial_bias])
    assert rows[-1, 1:3].tolist() == pytest.approx([trainer.weight, trainer.bias])
    assert rows[-1, 1] == pytest.approx(1.8, rel=1e-6)


@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_run_and_steps_agree_when_standardised(optimizer: str) -> None:
    rate = 0.05
    pulled = Trainer(seed=2, learning_rate=rate, standardize=True, optimizer=optimizer)
    for _ in pulled.steps():
        if pulled.iteration == 200:
            break
    ran = Trainer(seed=2, learning_rate=rate, standardize=True, optimizer=optimizer)
    ran.run(200)
    assert (ran.weight, ran.bias) == pytest.approx((pulled.weight, pulled.bias), rel=1e-9)
