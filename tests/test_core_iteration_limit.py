"""The iteration counter's limit, 2**63 − 1: reached exactly, refused beyond, no IndexError."""

from __future__ import annotations

import pytest

from core import LAST_ITERATION, Trainer
from tests.registry import LINEAR_OPTIMIZERS


def state(trainer: Trainer) -> tuple[int, float, float]:
    return trainer.iteration, trainer.weight, trainer.bias


@pytest.mark.parametrize("optimizer", LINEAR_OPTIMIZERS)
def test_the_last_iteration_is_reached_on_the_optimum(optimizer: str) -> None:
    trainer = Trainer(seed=0, optimizer=optimizer)
    assert trainer.run(LAST_ITERATION) == LAST_ITERATION == 2**63 - 1
    assert trainer.weight == pytest.approx(1.8, rel=1e-12)
    assert trainer.bias == pytest.approx(32.0, rel=1e-12)


@pytest.mark.parametrize("optimizer", LINEAR_OPTIMIZERS)
@pytest.mark.parametrize("n", [2**63, 10**30])
def test_a_run_beyond_it_is_refused_naming_the_limit_and_changes_nothing(
    optimizer: str, n: int
) -> None:
    trainer = Trainer(seed=0, optimizer=optimizer)
    trainer.run(10)
    before = state(trainer)
    with pytest.raises(ValueError, match=r"2\*\*63 - 1"):
        trainer.run(n)
    assert state(trainer) == before


def test_two_runs_that_together_pass_it_refuse_the_second() -> None:
    trainer = Trainer(seed=0)
    trainer.run(2**62)
    before = state(trainer)
    with pytest.raises(ValueError, match=r"2\*\*63 - 1"):
        trainer.run(2**62)
    assert state(trainer) == before
    assert trainer.run(2**62 - 1) == 2**62 - 1


def test_a_seek_beyond_it_is_refused_naming_the_limit() -> None:
    trainer = Trainer(seed=0, optimizer="momentum")
    trainer.run(100)
    with pytest.raises(ValueError, match=r"2\*\*63 - 1"):
        trainer.seek(10**30)
    assert trainer.iteration == 100
    assert trainer.seek(LAST_ITERATION) == LAST_ITERATION


def test_predictions_late_in_a_run_look_no_further_than_the_limit() -> None:
    # lr 1e-30 makes no progress in floating point: the tolerance is never met, and the
    # search for it, started past 2**62, must stop at the limit rather than index past it.
    stalled = Trainer(seed=0, learning_rate=1e-30)
    stalled.run(2**62 + 5)
    assert stalled.iterations_to() is None
    assert stalled.divergence_expected_at is None
    unstable = Trainer(seed=0, learning_rate=1.2e-3)
    assert unstable.divergence_expected_at == 18_872
