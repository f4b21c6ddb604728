"""The step generator's contract: order, numbering, snapshots, the tutorial's run, reset."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from core import Dataset, Trainer
from core.events import Event

TUTORIAL_WEIGHT = 0.8444218515250481
TUTORIAL_BIAS = 0.7579544029403025


def pull(trainer: Trainer, count: int) -> list[Event]:
    return list(itertools.islice(trainer.steps(), count))


def test_seed_zero_starts_where_the_tutorials_code_starts() -> None:
    random.seed(0)
    expected = (random.random(), random.random())
    trainer = Trainer(seed=0)
    assert (trainer.weight, trainer.bias) == expected == (TUTORIAL_WEIGHT, TUTORIAL_BIAS)
    assert trainer.iteration == 0
    assert trainer.learning_rate == 1e-4


def test_given_parameters_override_the_draws_one_by_one() -> None:
    trainer = Trainer(seed=0, bias=5.0)
    assert (trainer.weight, trainer.bias) == (TUTORIAL_WEIGHT, 5.0)


def test_no_seed_draws_one_and_records_it_so_the_run_can_be_repeated() -> None:
    first = Trainer()
    again = Trainer(seed=first.seed)
    assert (first.weight, first.bias) == (again.weight, again.bias)


def test_phases_run_in_order_and_iterations_are_numbered_from_one() -> None:
    trainer = Trainer(seed=0)
    events = pull(trainer, 12)
    assert [e.phase for e in events] == ["forward", "backward", "update"] * 4
    assert [e.iteration for e in events] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert trainer.iteration == 4
    assert trainer.next_phase == "forward"


def test_every_event_has_every_field_of_its_type() -> None:
    """Every field of every event is filled, with its phase's own name."""
    for event in pull(Trainer(seed=0), 3):
        assert len(event) == len(type(event)._fields)
        assert event == type(event)(*event)
        assert event.phase == type(event)._field_defaults["phase"]


def test_iteration_counts_only_completed_iterations() -> None:
    trainer = Trainer(seed=0)
    seen = []
    for event in trainer.steps():
        seen.append((event.phase, trainer.iteration))
        if len(seen) == 4:
            break
    assert seen == [("forward", 0), ("backward", 0), ("update", 1), ("forward", 1)]


def test_each_phase_carries_the_tutorials_numbers() -> None:
    trainer = Trainer(seed=0)
    forward, backward, update = pull(trainer, 3)
    c, f = trainer.dataset.celsius, trainer.dataset.fahrenheit
    assert forward.phase == "forward" and backward.phase == "backward"
    assert update.phase == "update"
    expected_output = c * TUTORIAL_WEIGHT + TUTORIAL_BIAS
    assert np.allclose(forward.output, expected_output, rtol=1e-15)
    assert forward.loss == pytest.approx(np.mean((expected_output - f) ** 2), rel=1e-14)
    expected_grad_output = 2 * (expected_output - f) / 100
    assert np.allclose(backward.grad_output, expected_grad_output, rtol=1e-14)
    assert backward.grad_weight == pytest.approx(np.sum(expected_grad_output * c), rel=1e-13)
    assert backward.grad_bias == pytest.approx(np.sum(expected_grad_output), rel=1e-13)
    assert update.learning_rate == 1e-4
    assert (update.previous_weight, update.previous_bias) == (TUTORIAL_WEIGHT, TUTORIAL_BIAS)
    assert update.weight == TUTORIAL_WEIGHT - 1e-4 * backward.grad_weight
    assert update.bias == TUTORIAL_BIAS - 1e-4 * backward.grad_bias
    assert (trainer.weight, trainer.bias) == (update.weight, update.bias)


def test_events_are_immutable_snapshots_that_outlive_training() -> None:
    trainer = Trainer(seed=0)
    forward, backward, update = pull(trainer, 3)
    kept_output = forward.output.copy()
    pull(trainer, 30)
    trainer.reset()
    assert np.array_equal(forward.output, kept_output)
    with pytest.raises(AttributeError):
        forward.loss = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        forward.output[0] = 0.0
    with pytest.raises(ValueError):
        backward.grad_output[0] = 0.0
    with pytest.raises(AttributeError):
        update.weight = 0.0  # type: ignore[misc]
    assert not np.shares_memory(forward.output, trainer.dataset.celsius)


def test_the_tutorials_run_ends_where_the_reference_says() -> None:
    trainer = Trainer(learning_rate=1e-4, seed=0)
    for _ in trainer.steps():
        if trainer.iteration == 10_000:
            break
    assert trainer.weight == pytest.approx(1.797460, rel=1e-6)
    assert trainer.bias == pytest.approx(27.77008, rel=1e-6)
    assert trainer.loss == pytest.approx(17.8869, rel=1e-5)
    assert trainer.loss == pytest.approx(17.886872, rel=1e-6)


def test_run_gives_the_same_numbers_as_pulling_the_same_iterations() -> None:
    pulled = Trainer(seed=3, learning_rate=5e-4)
    for _ in pulled.steps():
        if pulled.iteration == 2_000:
            break
    ran = Trainer(seed=3, learning_rate=5e-4)
    assert ran.run(2_000) == 2_000
    assert ran.iteration == pulled.iteration == 2_000
    for name in ("weight", "bias", "loss"):
        assert getattr(ran, name) == pytest.approx(getattr(pulled, name), rel=1e-9), name


@pytest.mark.parametrize("half_span", [0.5, 2.0], ids=["mean-c2-below-1", "mean-c2-above-1"])
def test_run_follows_steps_on_exactly_centred_data(half_span: float) -> None:
    """Centred celsius makes the Hessian diagonal; run() must pair each curvature with its axis."""
    data = Dataset([-half_span, half_span], [0.0, 10.0])
    pulled = Trainer(data, seed=0, learning_rate=0.01)
    for _ in pulled.steps():
        if pulled.iteration == 50:
            break
    ran = Trainer(data, seed=0, learning_rate=0.01)
    ran.run(50)
    assert (ran.weight, ran.bias) == pytest.approx((pulled.weight, pulled.bias), rel=1e-9)


def test_run_finishes_an_iteration_in_progress_first() -> None:
    trainer = Trainer(seed=0)
    pull(trainer, 1)  # forward of iteration 1
    assert trainer.run(5) == 5
    assert trainer.iteration == 6
    assert trainer.next_phase == "forward"
    reference = Trainer(seed=0)
    reference.run(6)
    assert trainer.weight == pytest.approx(reference.weight, rel=1e-12)


def test_a_learning_rate_change_takes_effect_at_the_next_update_and_not_before() -> None:
    changed = Trainer(seed=0)
    steady = Trainer(seed=0)
    pull(changed, 4)  # iteration 1 complete, forward of iteration 2 done
    pull(steady, 4)
    changed.learning_rate = 1e-3
    backward_changed, update_changed = pull(changed, 2)
    backward_steady, update_steady = pull(steady, 2)
    assert backward_changed.grad_weight == backward_steady.grad_weight
    assert update_steady.learning_rate == 1e-4
    assert update_changed.learning_rate == 1e-3
    assert update_changed.weight == pytest.approx(
        update_changed.previous_weight - 1e-3 * backward_changed.grad_weight, rel=1e-15
    )
    assert update_changed.weight != update_steady.weight


@pytest.mark.parametrize("bad", [0.0, -1e-4, float("nan"), float("inf"), "fast"])
def test_a_learning_rate_that_is_not_a_finite_positive_number_is_refused(bad: object) -> None:
    trainer = Trainer(seed=0)
    with pytest.raises(ValueError, match="learning rate must be"):
        trainer.learning_rate = bad  # type: ignore[assignment]
    assert trainer.learning_rate == 1e-4
    with pytest.raises(ValueError, match="learning rate must be"):
        Trainer(learning_rate=bad)  # type: ignore[arg-type]


def test_reset_returns_to_iteration_zero_and_the_initial_parameters() -> None:
    trainer = Trainer(seed=0)
    pull(trainer, 7)
    trainer.run(50)
    trainer.reset()
    assert trainer.iteration == 0
    assert trainer.next_phase == "forward"
    assert (trainer.weight, trainer.bias) == (TUTORIAL_WEIGHT, TUTORIAL_BIAS)
    assert [e.iteration for e in pull(trainer, 3)] == [1, 1, 1]


def test_reset_after_a_settings_change_starts_one_segment_at_iteration_zero() -> None:
    """The settings in force stay, as one segment from iteration 0 (it kept the start of the
    last change, so going back to 0 and stepping on left no segment: the screen crashed)."""
    trainer = Trainer(seed=0)
    pull(trainer, 3)
    trainer.learning_rate = 2e-4
    trainer.reset()
    assert [(s.start, s.learning_rate) for s in trainer.segments] == [(0, 2e-4)]
    pull(trainer, 3)
    trainer.seek(0)
    pull(trainer, 3)
    assert trainer.segments == (trainer.segment,) and trainer.segment.start == 0
    assert trainer.iteration == 1 and trainer.learning_rate == 2e-4


def test_any_dataset_trains_to_its_own_least_squares_optimum() -> None:
    data = Dataset.synthetic(-10, 30, 200, noise=3.0, seed=1)
    trainer = Trainer(data, seed=0, learning_rate=1e-3)
    trainer.run(100_000)
    assert trainer.weight == pytest.approx(trainer.surface.optimum_weight, rel=1e-9)
    assert trainer.bias == pytest.approx(trainer.surface.optimum_bias, rel=1e-9)
    assert trainer.loss == pytest.approx(trainer.surface.minimum_loss, rel=1e-9)


@pytest.mark.parametrize("n", [-1, 1.5, True, "10"])
def test_run_refuses_a_count_that_is_not_a_whole_number(n: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        Trainer(seed=0).run(n)  # type: ignore[arg-type]


def test_history_starts_untrained_and_follows_the_run() -> None:
    trainer = Trainer(seed=0)
    pull(trainer, 30)
    trainer.run(990)
    rows = trainer.history.rows()
    assert rows[0, 0] == 0 and rows[0, 1] == TUTORIAL_WEIGHT
    assert rows[-1, 0] == 1000 and rows[-1, 1] == trainer.weight
    assert np.all(np.diff(rows[:, 0]) > 0)
    assert np.all(np.diff(rows[:, 3]) < 0)  # stable descent only ever lowers the loss


def test_distance_and_progress_measure_the_way_to_the_optimum() -> None:
    trainer = Trainer(seed=0)
    assert trainer.distance == pytest.approx((1.8 - TUTORIAL_WEIGHT, 32 - TUTORIAL_BIAS))
    assert trainer.progress == (0.0, 0.0)
    trainer.run(10_000)
    weight_share, bias_share = trainer.progress
    assert weight_share == pytest.approx(1 - (1.8 - 1.7974595) / (1.8 - TUTORIAL_WEIGHT), rel=1e-6)
    assert bias_share == pytest.approx(1 - (32 - 27.7700782) / (32 - TUTORIAL_BIAS), rel=1e-6)
    at_optimum = Trainer(weight=1.8, bias=32.0)
    assert at_optimum.progress == (1.0, 1.0)
