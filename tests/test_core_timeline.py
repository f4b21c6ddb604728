"""The timeline (core.timeline): seek() to any iteration, back or forward, with the settings
that were in force there; segments, their replacement and merging; checkpoints and replay."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core import Dataset, LossSurface, Segment, Trainer, timeline
from core.events import ForwardEvent, UpdateEvent
from core.gradient_rules import gradient_rule
from core.optimizers import AdamState, MomentumState, make_optimizer
from core.timeline import Point, Span, Timeline
from tests.loops import Plain
from tests.registry import OPTIMIZER_NAMES


def trained_to(iteration: int, **settings: object) -> Trainer:
    trainer = Trainer(seed=0, **settings)  # type: ignore[arg-type]
    trainer.run(iteration)
    return trainer


@pytest.mark.parametrize(
    "settings",
    [*({"optimizer": name} for name in OPTIMIZER_NAMES), {"gradient": "published"}],
    ids=[*OPTIMIZER_NAMES, "published"],
)
def test_seeking_back_and_forward_lands_where_training_to_it_lands(
    settings: dict[str, object],
) -> None:
    trainer = trained_to(9_000, **settings)
    for target in (5_000, 1_234, 0, 7_777, 20_000):
        assert trainer.seek(target) == target
        reference = trained_to(target, **settings)
        assert trainer.iteration == target
        assert (trainer.weight, trainer.bias) == pytest.approx(
            (reference.weight, reference.bias), rel=1e-12
        )
        assert np.allclose(trainer.history.rows(), reference.history.rows(), rtol=1e-12, atol=0)


def test_after_a_seek_the_steps_go_on_from_there_at_the_forward_phase() -> None:
    trainer = Trainer(seed=0, optimizer="momentum")
    events = trainer.steps()
    for _ in itertools.islice(events, 3 * 50 + 2):  # mid-iteration 51: after its backward
        pass
    trainer.seek(20)
    forward, _, update = itertools.islice(events, 3)
    assert isinstance(forward, ForwardEvent) and isinstance(update, UpdateEvent)
    assert (forward.iteration, update.iteration) == (21, 21)
    data = trainer.dataset
    plain = Plain.of(
        data.celsius, data.fahrenheit, trainer.initial_weight, trainer.initial_bias, beta=0.9
    )
    plain.run(1e-4, 20)
    assert forward.weight == pytest.approx(plain.weight, rel=1e-12)
    state = update.state
    assert isinstance(state, MomentumState)
    assert state.previous_velocity_weight == pytest.approx(plain.velocity_weight, rel=1e-10)
    plain.step(1e-4)
    assert (update.weight, update.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-12)


def test_seeking_back_across_changes_restores_the_settings_in_force_then() -> None:
    trainer = Trainer(seed=0)
    trainer.run(1_000)
    trainer.learning_rate = 5e-4
    trainer.run(1_000)
    trainer.optimizer = "momentum"
    trainer.run(1_000)
    trainer.standardize = True
    trainer.run(1_000)
    assert trainer.segments == (
        Segment(0, 1e-4, "gd", False, "chain"),
        Segment(1_000, 5e-4, "gd", False, "chain"),
        Segment(2_000, 5e-4, "momentum", False, "chain"),
        Segment(3_000, 5e-4, "momentum", True, "chain"),
    )
    end = (trainer.weight, trainer.bias)
    trainer.seek(1_500)
    assert (trainer.learning_rate, trainer.optimizer, trainer.standardize) == (5e-4, "gd", False)
    assert trainer.segment == trainer.segments[1]
    trainer.seek(2_500)
    assert (trainer.optimizer, trainer.standardize) == ("momentum", False)
    trainer.seek(3_000)  # where a change happened: the settings chosen there
    assert trainer.standardize
    trainer.seek(500)
    assert trainer.learning_rate == 1e-4
    trainer.seek(4_000)  # forward again along the recorded segments
    assert trainer.standardize and (trainer.weight, trainer.bias) == pytest.approx(end, rel=1e-12)
    # The same run made in one go, through the same changes, by a plain loop.
    data = trainer.dataset
    plain = Plain.of(data.celsius, data.fahrenheit, trainer.initial_weight, trainer.initial_bias)
    plain.run(1e-4, 1_000).run(5e-4, 1_000)
    plain.beta, plain.velocity_weight, plain.velocity_bias = 0.9, 0.0, 0.0  # a fresh start
    plain.run(5e-4, 1_000)
    assert trainer.segments[-1].standardize
    trainer.seek(3_000)
    assert trainer.weight == pytest.approx(plain.weight, rel=1e-10)


def test_training_on_after_seeking_back_drops_the_later_segments() -> None:
    trainer = Trainer(seed=0)
    trainer.run(1_000)
    trainer.optimizer = "momentum"
    trainer.run(1_000)
    trainer.seek(600)
    assert len(trainer.segments) == 2, "kept until training goes on (a seek may redo them)"
    trainer.run(10)
    assert trainer.segments == (Segment(0, 1e-4, "gd", False, "chain"),)
    assert trainer.optimizer == "gd"
    trainer.seek(300)
    trainer.learning_rate = 2e-4  # a change is training on too
    assert [s.start for s in trainer.segments] == [0, 300]
    assert trainer.history.rows()[-1, 0] == 300


def test_changes_at_one_iteration_make_one_segment_and_undoing_them_makes_none() -> None:
    trainer = Trainer(seed=0)
    trainer.run(100)
    trainer.learning_rate = 2e-4
    trainer.learning_rate = 4e-4
    assert [s.learning_rate for s in trainer.segments] == [1e-4, 4e-4]
    trainer.learning_rate = 1e-4
    assert trainer.segments == (Segment(0, 1e-4, "gd", False, "chain"),)


def test_adam_replays_from_a_checkpoint_to_the_exact_state() -> None:
    trainer = trained_to(20_000, optimizer="adam")
    trainer.seek(13_001)
    reference = trained_to(13_001, optimizer="adam")
    assert (trainer.weight, trainer.bias) == (reference.weight, reference.bias)
    events = list(itertools.islice(trainer.steps(), 3))
    expected = list(itertools.islice(reference.steps(), 3))
    assert events[2].state == expected[2].state
    assert isinstance(events[2].state, AdamState) and events[2].state.t == 13_002


def test_seeking_forward_stops_at_divergence_and_back_recovers() -> None:
    trainer = Trainer(seed=0, learning_rate=1.25e-3)
    assert trainer.seek(10**6) == 95 and trainer.diverged_at == 95
    assert trainer.seek(50) == 50 and not trainer.diverged
    assert trainer.divergence_expected_at == 95


@pytest.mark.parametrize("bad", [-1, 2.5, True, "7"])
def test_seek_refuses_what_is_not_a_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        Trainer(seed=0).seek(bad)  # type: ignore[arg-type]


def test_each_row_is_labelled_with_the_segment_that_made_it() -> None:
    trainer = Trainer(seed=0)
    trainer.run(100)
    trainer.learning_rate = 2e-4
    trainer.run(100)
    labels = {
        int(row[0]): trainer.segment_at(int(row[0])).learning_rate for row in trainer.history.rows()
    }
    assert (labels[0], labels[100], labels[101], labels[200]) == (1e-4, 1e-4, 2e-4, 2e-4)


def test_rules_without_a_closed_form_keep_a_bounded_number_of_checkpoints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timeline, "MAX_CHECKPOINTS", 8)
    trainer = Trainer(seed=0, optimizer="adam")
    trainer.run(300_000)
    span = trainer._span
    assert len(span.checkpoints) == 300_000 // span.spacing <= 8
    assert span.spacing > timeline.CHECKPOINT_SPACING
    assert all(point.iteration % span.spacing == 0 for point in span.checkpoints)


def first_span(optimizer: str = "gd", rate: float = 1e-4) -> tuple[Timeline, Span]:
    data = Dataset.tutorial()
    line = Timeline(
        data,
        LossSurface.of(data),
        Segment(0, rate, optimizer, False, "chain"),
        make_optimizer(optimizer),
        gradient_rule("chain"),
        0.5,
        0.5,
    )
    return line, line.current


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_a_span_gives_the_state_its_updates_reach(optimizer: str) -> None:
    line, span = first_span(optimizer)
    weight, bias, memory = 0.5, 0.5, None
    rule, surface = span.rule, line.coordinates(False).surface
    for _ in range(5_000):
        grad_weight, grad_bias = surface.gradient(weight, bias)
        weight, bias, memory = rule.step(weight, bias, grad_weight, grad_bias, 1e-4, memory)
    point = span.point_at(5_000)
    assert point.iteration == 5_000
    assert point.weight == pytest.approx(weight, rel=1e-9)
    assert point.bias == pytest.approx(bias, rel=1e-9)
    assert type(point.memory) is type(memory)


def test_a_change_where_no_update_was_made_replaces_and_changing_back_merges() -> None:
    line, span = first_span()
    rule, chain = make_optimizer("gd"), gradient_rule("chain")
    at_100 = Point(100, 1.0, 2.0, None)
    line.change(
        Segment(100, 2e-4, "gd", False, "chain"),
        at_100,
        rule,
        chain,
        memory_reset=False,
    )
    assert [s.start for s in line.segments] == [0, 100] and line.index == 1
    line.change(
        Segment(100, 3e-4, "gd", False, "chain"),
        at_100,
        rule,
        chain,
        memory_reset=False,
    )
    assert [s.learning_rate for s in line.segments] == [1e-4, 3e-4]
    line.change(
        Segment(100, 1e-4, "gd", False, "chain"),
        at_100,
        rule,
        chain,
        memory_reset=False,
    )
    assert line.segments == (span.segment,) and line.current is span and line.index == 0


def test_going_back_keeps_the_later_segments_until_training_goes_on() -> None:
    line, _ = first_span()
    rule, chain = make_optimizer("gd"), gradient_rule("chain")
    for start, rate in ((100, 2e-4), (200, 3e-4)):
        line.change(
            Segment(start, rate, "gd", False, "chain"),
            Point(start, 1.0, 2.0, None),
            rule,
            chain,
            memory_reset=False,
        )
    assert line.next_start() is None
    assert line.go_back(150).segment.start == 100 and line.has_future
    assert line.segment_at(150).start == 100 and line.segment_at(201).start == 200
    assert line.next_start() == 200
    assert line.enter_next().segment.learning_rate == 3e-4
    line.go_back(50)
    line.drop_future(50)
    assert [s.start for s in line.segments] == [0] and not line.has_future


def test_a_restart_forgets_every_segment_and_keeps_what_they_shared() -> None:
    line, first = first_span()
    line.change(
        Segment(100, 2e-4, "gd", False, "chain"),
        Point(100, 1.0, 2.0, None),
        first.rule,
        first.gradient,
        memory_reset=False,
    )
    coordinates, form = line.coordinates(False), first.closed_form
    line.restart(first.segment, first.rule, first.gradient, 0.5, 0.5)
    assert line.segments == (first.segment,) and line.index == 0
    assert line.current is not first and line.current.start == first.start
    assert line.coordinates(False) is coordinates and line.current.closed_form is form
