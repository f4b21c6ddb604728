"""The driver and the pace, without Textual: pacing, stopping, stepping, resetting."""

from __future__ import annotations

import pytest

from core import Trainer
from tui.model.driver import Driver, RunState
from tui.model.pace import Pace


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def driver(**options: object) -> Driver:
    trainer = Trainer(seed=0, learning_rate=options.pop("learning_rate", 1e-4))  # type: ignore[arg-type]
    return Driver(trainer, clock=FakeClock(), **options)  # type: ignore[arg-type]


def seconds_to_reach(pace: Pace, iteration: int, frame: float = 0.1) -> float:
    position, elapsed = 0.0, 0.0
    while position < iteration:
        position = pace.advance(position, frame)
        elapsed += frame
    return elapsed


def test_the_default_pace_shows_both_acts_within_ten_to_twenty_seconds() -> None:
    pace = Pace()
    assert 10 <= seconds_to_reach(pace, 10_000) <= 20
    # The weight's act (the first few hundred iterations) gets seconds, not a blink.
    assert seconds_to_reach(pace, 100) >= 2.5
    assert seconds_to_reach(pace, 500) >= 6


def test_faster_and_slower_double_and_halve_the_pace() -> None:
    pace = Pace()
    base = seconds_to_reach(pace, 10_000, frame=0.01)
    pace.faster()
    assert seconds_to_reach(pace, 10_000, frame=0.01) == pytest.approx(base / 2, rel=0.01)
    fixed = Pace(fixed=500)
    fixed.slower()
    assert fixed.rate(0) == 250 and fixed.describe() == "250/s"


def test_tick_follows_the_pace_and_stops_exactly_at_the_target() -> None:
    d = driver(target=1_000, pace=Pace(fixed=300))
    assert d.tick(0.1, budget=1.0) == 30
    assert d.trainer.iteration == 30 and d.state is RunState.RUNNING
    for _ in range(100):
        d.tick(0.25, budget=1.0)
    assert d.trainer.iteration == 1_000
    assert d.state is RunState.DONE
    assert d.tick(0.25, budget=1.0) == 0


def test_a_low_frame_rate_keeps_the_pace_and_only_a_stall_is_cut_short() -> None:
    d = driver(target=10_000, pace=Pace(fixed=100))
    assert d.tick(1.0, budget=1.0, frame_interval=1.0) == 100  # --fps 1: a whole second
    assert d.tick(0.5, budget=1.0, frame_interval=0.5) == 50  # --fps 2
    assert d.tick(30.0, budget=1.0, frame_interval=1.0) == 100  # a stall: one frame at most
    assert d.tick(30.0, budget=1.0, frame_interval=0.2) == 25  # --fps 5: the 0.25 s limit


def test_space_after_done_continues_past_the_target() -> None:
    d = driver(target=10, pace=Pace(fixed=1_000))
    d.tick(0.25, budget=1.0)
    assert d.state is RunState.DONE
    d.toggle()
    assert d.state is RunState.RUNNING
    d.tick(0.25, budget=1.0)
    assert d.trainer.iteration > 10 and d.state is RunState.RUNNING


def test_a_frame_never_works_past_its_budget() -> None:
    clock = FakeClock()
    trainer = Trainer(seed=0)
    d = Driver(trainer, target=10**9, pace=Pace(fixed=1e9), clock=clock)
    original_run = trainer.run

    def slow_run(n: int) -> int:
        clock.now += 0.01  # each chunk "takes" 10 ms
        return original_run(n)

    trainer.run = slow_run  # type: ignore[method-assign]
    done = d.tick(0.1, budget=0.025)
    assert clock.now <= 0.03 + 1e-9
    assert 0 < done < 1e8


def test_big_frames_jump_with_run_and_still_yield_the_last_iteration_as_events() -> None:
    d = driver(target=10**6, pace=Pace(fixed=1e6))
    d.tick(0.1, budget=1.0)
    assert d.trainer.iteration == 100_000
    update = d.latest["update"]
    assert update.phase == "update" and update.iteration == 100_000
    assert d.latest["forward"].iteration == 100_000


def test_divergence_stops_the_run_and_reset_waits_paused() -> None:
    d = driver(target=10_000, pace=Pace(fixed=1_000), learning_rate=5e-3)
    d.tick(0.25, budget=1.0)
    assert d.state is RunState.DIVERGED
    assert d.tick(0.25, budget=1.0) == 0
    d.toggle()
    assert d.state is RunState.DIVERGED, "space cannot resume a diverged run"
    assert d.step_phase() is None
    d.set_learning_rate(1e-4)
    d.reset()
    assert d.state is RunState.PAUSED and d.trainer.iteration == 0
    d.toggle()
    d.tick(0.25, budget=1.0)
    assert d.trainer.iteration == 250 and d.state is RunState.RUNNING


def test_stepping_pauses_and_walks_the_phases() -> None:
    d = driver(target=100)
    phases = [d.step_phase() for _ in range(4)]
    assert [e.phase for e in phases if e] == ["forward", "backward", "update", "forward"]
    assert d.state is RunState.PAUSED
    assert d.step_iteration() == 1
    assert d.trainer.iteration == 2 and d.trainer.next_phase == "forward"


def test_fast_forward_reaches_the_target_over_several_frames() -> None:
    d = driver(target=50_000, running=False)
    assert d.fast_forward() == 50_000
    frames = 0
    while d.fast_forwarding:
        d.tick(0.1, budget=1.0)
        frames += 1
    assert d.trainer.iteration == 50_000 and d.state is RunState.DONE
    assert d.fast_forward() == 550_000
    while d.fast_forwarding:
        d.tick(0.1, budget=1.0)
    assert d.trainer.iteration == 550_000 and d.state is RunState.PAUSED


def test_a_frame_of_many_iterations_makes_events_for_its_last_only() -> None:
    """Only a frame's last iteration is drawn: the ones before it are run without events (a
    frame at ``--fps 1`` holds ~200 at the default pace), and land where stepping lands."""
    d = driver(target=10**6, pace=Pace(fixed=200))
    stepped = Trainer(seed=0, learning_rate=1e-4)
    pulled = []
    events = d._events
    d._events = (pulled.append(event) or event for event in events)  # type: ignore[assignment]
    d.tick(1.0, budget=1.0, frame_interval=1.0)
    assert d.trainer.iteration == 200
    assert [event.phase for event in pulled] == ["forward", "backward", "update"]
    assert d.latest["update"].iteration == 200
    for _phase in range(3 * 200):  # what pulling every iteration gave
        stepped.step()
    assert d.trainer.weight == pytest.approx(stepped.weight, rel=1e-9)
    assert d.trainer.bias == pytest.approx(stepped.bias, rel=1e-9)
