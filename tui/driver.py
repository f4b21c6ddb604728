"""The app's subscription to the step generator: pacing, pausing, stepping, stopping.

``Driver`` knows nothing of Textual. The app calls ``tick()`` from a timer and
the action methods from keys; the driver pulls events from ``Trainer.steps()``
(or, when a frame needs thousands of iterations, jumps ahead with
``Trainer.run()`` and pulls only the last iteration), within a time budget so
that the event loop never blocks. Everything the screen shows is read from the
trainer and the latest events kept here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import Enum

from core import OPTIMIZERS, Event, ForwardEvent, Trainer
from core.types import Phase
from tui.pace import Pace

STEPS_PER_FRAME = 2_000
"""Above this many iterations in one frame, jump ahead with ``run()`` instead of pulling."""
RUN_CHUNK = 20_000
"""Iterations per ``run()`` call, so the time budget is checked often."""
MAX_FRAME_GAP = 0.25
"""A gap between frames longer than this and than one frame (a stall) does not turn into
a burst of iterations."""
RATE_WINDOW = 1.0
"""Seconds over which the measured iterations per second are averaged."""


class RunState(str, Enum):
    """What training is doing, as the status line names it."""

    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    DIVERGED = "diverged"


class Driver:
    """Advances a ``Trainer`` at a pace, in bounded slices, and remembers the latest events."""

    def __init__(
        self,
        trainer: Trainer,
        *,
        target: int,
        pace: Pace | None = None,
        running: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.trainer = trainer
        """The trainer being driven."""
        self.target = target
        """The iteration at which a running trainer stops and shows done."""
        self.pace = pace if pace is not None else Pace()
        """How many iterations per second a running trainer advances."""
        self.measured_rate = 0.0
        """Iterations per second actually achieved, averaged over about a second."""
        self.diverged_rate = trainer.learning_rate
        """The learning rate at which training last diverged."""
        self._clock = clock
        self.state = RunState.RUNNING if running else RunState.PAUSED
        """Running, paused, done (reached the target) or diverged."""
        self._past_target = False
        self._fast_goal: int | None = None
        self._fraction = 0.0
        self._subscribe()

    def _subscribe(self) -> None:
        self._events = self.trainer.steps()
        self.latest: dict[Phase, Event] = {}
        """The most recent event of each phase."""
        self.last_event: Event | None = None
        """The most recent event of any phase."""
        self._settle()

    @property
    def latest_forward(self) -> ForwardEvent | None:
        """The most recent forward event (its outputs explain the backward pass)."""
        event = self.latest.get("forward")
        return event if isinstance(event, ForwardEvent) else None

    # -- the timer ------------------------------------------------------------

    @property
    def fast_forwarding(self) -> bool:
        """True while ``f`` is carrying the trainer to its goal."""
        return self._fast_goal is not None

    @property
    def fast_goal(self) -> int | None:
        """The iteration ``f`` is carrying the trainer to, while it does."""
        return self._fast_goal

    def tick(self, seconds: float, budget: float, *, frame_interval: float = 0.0) -> int:
        """Advance by ``seconds`` of pace, spending at most ``budget`` seconds; return iterations.

        A running trainer stops exactly at the target (unless continuing past
        it) and at divergence. ``frame_interval`` is the time between frames the
        caller intends, so that at a low frame rate a regular frame is not mistaken
        for a stall (at ``--fps 1`` that would train at a quarter of the pace).
        """
        if self.state is not RunState.RUNNING:
            return 0
        seconds = min(max(seconds, 0.0), max(MAX_FRAME_GAP, frame_interval))
        deadline = self._clock() + budget
        iteration = self.trainer.iteration
        if self._fast_goal is not None:
            wanted = self._fast_goal - iteration
        else:
            position = self.pace.advance(iteration + self._fraction, seconds)
            wanted = max(0, math.floor(position) - iteration)
            self._fraction = position - iteration - wanted
            if not self._past_target:
                wanted = min(wanted, max(0, self.target - iteration))
        done = self._advance(wanted, deadline)
        if done < wanted and self._fast_goal is None:
            self._fraction = 0.0  # could not keep up: do not build a backlog
        if seconds > 0.0:
            weight = 1.0 - math.exp(-seconds / RATE_WINDOW)
            self.measured_rate += weight * (done / seconds - self.measured_rate)
        if self._fast_goal is not None and self.trainer.iteration >= self._fast_goal:
            self._fast_goal = None
            self.measured_rate = 0.0  # the race's speed says nothing about the pace
            reached_target = self.trainer.iteration == self.target and not self._past_target
            self.state = RunState.DONE if reached_target else RunState.PAUSED
        self._settle()
        return done

    def _advance(self, count: int, deadline: float) -> int:
        """Up to ``count`` iterations before ``deadline``; the last one always as events."""
        trainer = self.trainer
        start = trainer.iteration
        if count > STEPS_PER_FRAME:
            while (
                trainer.iteration - start < count - 1
                and not trainer.diverged
                and self._clock() < deadline
            ):
                trainer.run(min(RUN_CHUNK, count - 1 - (trainer.iteration - start)))
        pulled = 0
        while trainer.iteration - start < count and not trainer.diverged:
            if pulled and self._clock() >= deadline:
                break  # one pull can take milliseconds on a large dataset: check each time
            self._pull_iteration()
            pulled += 1
        return trainer.iteration - start

    def _pull(self) -> Event | None:
        event = next(self._events, None)
        if event is not None:
            self.latest[event.phase] = event
            self.last_event = event
        return event

    def _pull_iteration(self) -> None:
        """Pull events up to and including the next update."""
        while (event := self._pull()) is not None and event.phase != "update":
            pass

    @property
    def past_target(self) -> bool:
        """True once training was asked to go on beyond the target."""
        return self._past_target

    def _settle(self) -> None:
        if self.trainer.diverged:
            if self.state is not RunState.DIVERGED:
                self.diverged_rate = self.trainer.learning_rate
                self.measured_rate = 0.0
            self.state = RunState.DIVERGED
            self._fast_goal = None
        elif (
            self.state is RunState.RUNNING
            and not self._past_target
            and self._fast_goal is None
            and self.trainer.iteration >= self.target
        ):
            self.state = RunState.DONE

    # -- commands from keys ---------------------------------------------------

    def toggle(self) -> None:
        """Pause a running trainer; resume a paused one; continue past the target when done."""
        if self.state is RunState.RUNNING:
            self.pause()
        elif self.state is not RunState.DIVERGED:
            if self.trainer.iteration >= self.target:
                self._past_target = True
            self.state = RunState.RUNNING
            self._fraction = 0.0
            self.measured_rate = 0.0

    def pause(self) -> None:
        """Stop advancing on the timer (stepping still works)."""
        if self.state is RunState.RUNNING:
            self.state = RunState.PAUSED
        self._fast_goal = None

    def step_phase(self) -> Event | None:
        """Pause, then perform exactly one phase; None if training has diverged."""
        self.pause()
        event = self._pull()
        self._settle()
        return event

    def step_iteration(self) -> int:
        """Pause, then finish the iteration in progress (a whole one at a boundary)."""
        self.pause()
        before = self.trainer.iteration
        if not self.trainer.diverged:
            self._pull_iteration()
        self._settle()
        return self.trainer.iteration - before

    def fast_forward(self) -> int | None:
        """Race to the target (or, past it, by another 10× the iterations done).

        Runs over the following frames, not in one blocking call; returns the goal.
        """
        if self.trainer.diverged:
            return None
        iteration = self.trainer.iteration
        if iteration < self.target:
            goal = self.target
        else:
            goal = max(iteration * 11, iteration + 1)
            self._past_target = True
        self._fast_goal = goal
        self.state = RunState.RUNNING
        return goal

    def reset(self) -> None:
        """Back to the untrained neuron at iteration 0.

        A running trainer keeps running; otherwise (paused, done or diverged)
        it waits, paused, for space.
        """
        self.trainer.reset()
        self._past_target = False
        self._fast_goal = None
        self._fraction = 0.0
        self.measured_rate = 0.0
        if self.state is not RunState.RUNNING:
            self.state = RunState.PAUSED
        self._subscribe()

    def set_learning_rate(self, value: float) -> float:
        """Apply a new learning rate at the next update; ValueError if not finite and > 0."""
        self.trainer.learning_rate = value
        return self.trainer.learning_rate

    def next_optimizer(self) -> str:
        """Switch to the next update rule (gd → momentum → adam → gd); parameters stay."""
        names = list(OPTIMIZERS)
        name = names[(names.index(self.trainer.optimizer) + 1) % len(names)]
        self.trainer.optimizer = name
        return name

    def toggle_standardize(self) -> bool:
        """Train on standardised celsius, or stop; the line on the chart does not move.

        An iteration in progress is finished first, through the subscription,
        so the events on screen stay the trainer's own.
        """
        if self.trainer.next_phase != "forward" and not self.trainer.diverged:
            self._pull_iteration()
        self.trainer.standardize = not self.trainer.standardize
        self._settle()
        return self.trainer.standardize
