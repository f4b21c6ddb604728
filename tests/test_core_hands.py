"""Trainer.set_parameters: the learner's hands on the weights (issue 22 item 2).

A hand move starts a new timeline segment, so going back and forth across it, the closed
form and an export reproduce the run that was moved by hand; the optimizer's memory is
cleared there, as if training started afresh from the hand-set parameters.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import Trainer, export_run
from core.history import COLUMNS
from tests.registry import OPTIMIZER_NAMES

MOVED = (0.9, 5.0)
"""Where the hand puts the parameters: the tutorial's "what if the weight were 0.9?"."""


def moved_at(iteration: int, **settings: object) -> Trainer:
    """Trained to ``iteration`` from seed 0, then moved by hand to ``MOVED``."""
    trainer = Trainer(seed=0, **settings)  # type: ignore[arg-type]
    trainer.run(iteration)
    trainer.set_parameters(*MOVED)
    return trainer


def fresh(**settings: object) -> Trainer:
    """A trainer that starts where the hand put the other one."""
    return Trainer(weight=MOVED[0], bias=MOVED[1], **settings)  # type: ignore[arg-type]


def test_a_hand_move_is_where_the_trainer_is_with_its_loss_and_gradient() -> None:
    trainer = moved_at(300)
    assert trainer.iteration == 300
    assert (trainer.weight, trainer.bias) == MOVED
    assert trainer.loss == trainer.surface.at(*MOVED)[0]
    assert trainer.gradient == trainer.surface.gradient(*MOVED)
    assert trainer.segment.start == 300 and trainer.segment.set_to == MOVED
    assert len(trainer.segments) == 2


@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_training_on_from_a_hand_move_is_training_from_there_afresh(optimizer: str) -> None:
    """The optimizer's memory is cleared: momentum's velocity, Adam's moments start again."""
    trainer = moved_at(300, optimizer=optimizer)
    reference = fresh(optimizer=optimizer)
    trainer.run(700)
    reference.run(700)
    assert (trainer.weight, trainer.bias) == pytest.approx(
        (reference.weight, reference.bias), rel=1e-12
    )
    # and one phase at a time, through the events, the first update too
    stepped, fresh_one = moved_at(300, optimizer=optimizer), fresh(optimizer=optimizer)
    update = [stepped.step() for _ in range(3)][-1]
    first = [fresh_one.step() for _ in range(3)][-1]
    assert update is not None and first is not None
    assert (update.weight, update.bias) == pytest.approx((first.weight, first.bias), rel=1e-15)  # type: ignore[union-attr]


def test_seeking_across_a_hand_move_reproduces_both_sides_of_it() -> None:
    trainer = moved_at(300)
    trainer.run(500)
    at_800 = trainer.weight, trainer.bias
    before = Trainer(seed=0)
    before.run(299)
    after = fresh()
    after.run(200)
    assert trainer.seek(299) == 299
    assert (trainer.weight, trainer.bias) == pytest.approx((before.weight, before.bias), rel=1e-12)
    assert trainer.seek(300) == 300
    assert (trainer.weight, trainer.bias) == MOVED
    assert trainer.seek(500) == 500
    assert (trainer.weight, trainer.bias) == pytest.approx((after.weight, after.bias), rel=1e-12)
    trainer.seek(0)
    assert trainer.seek(800) == 800  # forward again, through the hand move
    assert (trainer.weight, trainer.bias) == pytest.approx(at_800, rel=1e-12)
    row = trainer.history.rows()[300]
    assert tuple(row[:3]) == (300, *MOVED)  # the row of the move holds the moved state


def test_the_closed_form_and_the_step_path_agree_after_a_hand_move() -> None:
    jumped, stepped = moved_at(40), moved_at(40)
    assert jumped.has_closed_form
    jumped.run(2_000)
    for _ in range(3 * 2_000):
        stepped.step()
    assert (jumped.weight, jumped.bias) == pytest.approx((stepped.weight, stepped.bias), rel=1e-9)
    predicted = moved_at(40).iterations_to()
    reference = fresh().iterations_to()
    assert predicted is not None and reference is not None
    assert predicted == reference + 40  # the forecast starts from the hand-set parameters


def test_the_export_holds_the_run_as_moved_by_hand(tmp_path: Path) -> None:
    trainer = moved_at(300)
    trainer.run(200)
    rows = np.loadtxt(
        export_run(tmp_path / "run.csv", trainer),
        delimiter=",",
        skiprows=1,
        usecols=range(len(COLUMNS)),
    )
    reference = fresh()
    reference.run(200)
    assert tuple(rows[300, :3]) == (300, *MOVED)
    np.testing.assert_allclose(rows[300:, 1:], reference.history.rows()[:, 1:], rtol=1e-12)
    document = json.loads(export_run(tmp_path / "run.json", trainer).read_text())
    assert document["moved_by_hand"] == [[300, *MOVED]]
    assert document["rows"][300][1:3] == list(MOVED)


def test_moves_at_one_iteration_replace_each_other_and_a_later_change_keeps_the_move() -> None:
    trainer = moved_at(300)
    trainer.set_parameters(0.7, 5.0)
    assert len(trainer.segments) == 2 and trainer.segment.set_to == (0.7, 5.0)
    assert trainer.history.rows()[300, 1] == 0.7
    trainer.learning_rate = 2e-4  # the same iteration: still starts where the hand put it
    assert trainer.segment.set_to == (0.7, 5.0) and (trainer.weight, trainer.bias) == (0.7, 5.0)
    trainer.run(10)
    trainer.seek(300)
    assert (trainer.weight, trainer.bias) == (0.7, 5.0)


def test_a_hand_move_abandons_an_iteration_in_progress_and_lifts_divergence() -> None:
    trainer = Trainer(seed=0)
    trainer.step()
    trainer.set_parameters(*MOVED)
    assert trainer.next_phase == "forward" and trainer.iteration == 0
    diverging = Trainer(seed=0, learning_rate=1e-2)
    diverging.run(1_000)
    assert diverging.diverged
    diverging.learning_rate = 1e-4
    diverging.set_parameters(*MOVED)
    assert not diverging.diverged
    assert diverging.run(10) == 10


@pytest.mark.parametrize("values", [(float("nan"), 0.0), (0.0, float("inf")), (1e200, 0.0)])
def test_a_move_training_could_not_start_from_is_refused_and_changes_nothing(
    values: tuple[float, float],
) -> None:
    trainer = Trainer(seed=0)
    trainer.run(10)
    before = trainer.weight, trainer.bias, trainer.segments
    with pytest.raises(ValueError, match=r"weight|bias"):
        trainer.set_parameters(*values)
    assert (trainer.weight, trainer.bias, trainer.segments) == before
