"""The run's position (core.position): one divergence rule for every path, the last finite
state kept, and a seek back recovering."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from core import Trainer
from core.position import LOSS_CEILING, RUNAWAY_FACTOR

TUTORIAL_WEIGHT = 0.8444218515250481
TUTORIAL_BIAS = 0.7579544029403025


def test_divergence_is_reported_within_a_few_iterations_and_reset_recovers() -> None:
    # pytest runs with warnings as errors: any numpy RuntimeWarning fails this test.
    trainer = Trainer(seed=0, learning_rate=5e-3)
    events = list(itertools.islice(trainer.steps(), 3 * 1000))
    assert trainer.diverged
    last = events[-1]
    assert last.phase == "update" and last.diverged
    assert last.iteration == trainer.diverged_at
    assert trainer.diverged_at is not None and trainer.diverged_at <= 10
    assert np.isfinite([trainer.weight, trainer.bias, trainer.loss]).all()
    assert trainer.step() is None
    assert trainer.run(100) == 0
    trainer.reset()
    assert not trainer.diverged
    assert (trainer.weight, trainer.bias) == (TUTORIAL_WEIGHT, TUTORIAL_BIAS)
    assert trainer.learning_rate == 5e-3
    trainer.learning_rate = 1e-4
    assert trainer.run(100) == 100


@pytest.mark.parametrize("rate", [1.25e-3, 5e-3, 1.0, 1e6, 1e300])
def test_run_and_steps_declare_divergence_at_the_same_iteration(rate: float) -> None:
    stepped = Trainer(seed=0, learning_rate=rate)
    for _ in stepped.steps():
        pass
    ran = Trainer(seed=0, learning_rate=rate)
    ran.run(1_000_000)
    assert stepped.diverged and ran.diverged
    assert ran.diverged_at == stepped.diverged_at
    assert ran.iteration == stepped.iteration
    assert np.isfinite([ran.weight, ran.bias, stepped.weight, stepped.bias]).all()


def test_just_below_the_stable_bound_nothing_diverges() -> None:
    trainer = Trainer(seed=0)
    trainer.learning_rate = 0.99 * trainer.surface.max_stable_learning_rate
    assert trainer.run(200_000) == 200_000
    assert not trainer.diverged
    assert trainer.weight == pytest.approx(1.8, rel=1e-9)
    assert trainer.bias == pytest.approx(32.0, rel=1e-9)


def test_the_runaway_bound_is_a_million_times_the_reference_scale() -> None:
    position = Trainer(seed=0)._position
    scale = max(position.untrained_loss, position.surface.var_fahrenheit, 1.0)
    assert position.runaway_loss == RUNAWAY_FACTOR * scale < LOSS_CEILING
    assert not position.runs_away(position.runaway_loss)
    assert position.runs_away(math.nextafter(position.runaway_loss, math.inf))
    assert position.runs_away(math.nan) and position.runs_away(math.inf)


def test_an_update_that_overflows_is_refused_and_the_last_finite_state_kept() -> None:
    position = Trainer(seed=0)._position
    assert position.adopt(1, 1.5, 20.0)
    assert (position.iteration, position.weight, position.bias) == (1, 1.5, 20.0)
    assert not position.adopt(2, math.inf, 20.0)
    assert position.diverged_at == 2
    assert (position.iteration, position.weight, position.bias) == (1, 1.5, 20.0)
    position.go_back(0)
    assert position.diverged_at is None and position.iteration == 0
    assert (position.weight, position.bias) == (TUTORIAL_WEIGHT, TUTORIAL_BIAS)
