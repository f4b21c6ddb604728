"""The app's subscription to the step generator: pacing, pausing, stepping, stopping.

``Driver`` knows nothing of Textual. The app calls ``tick()`` from a timer and
the action methods from keys; the driver pulls events from ``Trainer.steps()``
(or, when a frame needs thousands of iterations, jumps ahead with
``Trainer.run()`` and pulls only the last iteration), within a time budget so
that the event loop never blocks. Everything the screen shows is read from the
trainer and the latest events kept here.

Moving through the run's timeline (``b``, ``g``, ``f``'s jump past the target)
goes through one method, ``seek``, so that every driver (a second trainer racing
the first has one too) moves the same way.
"""

from __future__ import annotations

import copy
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Final

from core import GRADIENT_RULES, OPTIMIZERS, Event, ForwardEvent, LinearOptimizer, Segment, Trainer
from core.types import Phase
from tui.model.outlook import Forecaster, Outlook
from tui.model.pace import Pace

PHASES: tuple[Phase, ...] = ("forward", "backward", "update")
"""The phases in the order an iteration performs them."""

STEPS_PER_FRAME = 1
"""Above this many iterations in one frame, jump ahead with ``run()`` instead of pulling: only
a frame's last iteration is drawn (its events are what the panels show), so the ones before it
need no events. At the default pace a frame at ``--fps 1`` holds ~200 iterations; pulled, three
events each, they were a fifth of the frame's CPU (issue 20). ``run()`` gives the numbers
stepping gives, up to rounding (``Trainer.run``)."""
RUN_CHUNK = 20_000
"""Iterations per ``run()`` call, so the time budget is checked often."""
MAX_FRAME_GAP = 0.25
"""A gap between frames longer than this and than one frame (a stall) does not turn into
a burst of iterations."""
RATE_WINDOW = 1.0
"""Seconds over which the measured iterations per second are averaged."""
MAX_SEEK: Final = 10**18
"""The furthest iteration ``seek`` is asked to reach (the closed form goes below 2**63)."""
REPLAY_LIMIT: Final = 50_000
"""The most updates a seek replays one at a time (Adam, the published gradient: a few µs
each, about a quarter of a second in all, which the screen waits for); the closed form
costs the same however far it goes."""
PARTNER_SHARE_BESIDE_CLOSED_FORM: Final = 0.9
"""The share of a tick's budget a racing partner may spend when this trainer jumps ahead by
its closed form (it then needs almost none); otherwise they share it half and half."""
PHASES_DONE: Final[dict[Phase, int]] = {"forward": 0, "backward": 1, "update": 2}
"""How many phases of the iteration in progress are done, by the phase that comes next."""


class RunState(str, Enum):
    """What training is doing, as the status line names it."""

    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    OSCILLATING = "oscillating"
    """At the target, but the run neither converges nor diverges (``Trainer.oscillating``)."""
    DIVERGED = "diverged"


@dataclass(frozen=True)
class Mode:
    """What the formulas of an update depend on, and what z, o, l, + and - change."""

    optimizer: str
    """The update rule's name in ``core.OPTIMIZERS``."""
    standardized: bool
    """Training on standardised celsius."""
    learning_rate: float
    """The step size of the next update."""
    gradient: str = "chain"
    """The backward pass's rule in ``core.GRADIENT_RULES``."""

    @classmethod
    def of(cls, trainer: Trainer) -> Mode:
        return cls(
            trainer.optimizer, trainer.standardize, trainer.learning_rate, trainer.gradient_rule
        )


class Driver:
    """Advances a ``Trainer`` at a pace, in bounded slices, and remembers the latest events.

    It also remembers the mode each event was computed under: a key that changes the
    optimizer, the scaling or the learning rate makes the last explanation stale
    (``event_mode`` then differs from ``mode``).
    """

    def __init__(
        self,
        trainer: Trainer,
        *,
        target: int,
        pace: Pace | None = None,
        running: bool = True,
        rate_by_hand: bool = True,
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
        self.rate_by_hand = rate_by_hand
        """The learning rate was chosen (``--lr``, ``l``, ``+``, ``-``), not an optimizer's
        default: ``next_optimizer`` then keeps it."""
        self._clock = clock
        self.state = RunState.RUNNING if running else RunState.PAUSED
        """Running, paused, done (reached the target) or diverged."""
        self._past_target = False
        self._fast_goal: int | None = None
        self._fraction = 0.0
        self._held = False
        self._resume_goal: int | None = None
        self._resume_after_hold = False
        self.mode = Mode.of(trainer)
        """The optimizer, scaling and learning rate in force now."""
        self._forecaster = Forecaster()
        self._subscribe()

    def _subscribe(self) -> None:
        self._events = self.trainer.steps()
        self.latest: dict[Phase, Event] = {}
        """The most recent event of each phase."""
        self.last_event: Event | None = None
        """The most recent event of any phase."""
        self.event_mode = self.mode
        """The mode the most recent event was computed under."""
        self._settle()

    @property
    def outlook(self) -> Outlook:
        """What the trainer's closed form says lies ahead under the current settings."""
        return self._forecaster.outlook(self.trainer)

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

    def tick(
        self,
        seconds: float,
        budget: float,
        *,
        frame_interval: float = 0.0,
        partner: Callable[[int, float], int] | None = None,
    ) -> int:
        """Advance by ``seconds`` of pace, spending at most ``budget`` seconds; return iterations.

        A running trainer stops exactly at the target (unless continuing past
        it) and at divergence. ``frame_interval`` is the time between frames the
        caller intends, so that at a low frame rate a regular frame is not mistaken
        for a stall (at ``--fps 1`` that would train at a quarter of the pace).

        ``partner`` (a race) goes first: given the iteration this tick would reach and
        a deadline, it returns the iteration it reached, and this trainer goes no
        further, so the two advance together however much slower the partner is.
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
        if partner is not None and wanted > 0:
            share = PARTNER_SHARE_BESIDE_CLOSED_FORM if self.trainer.has_closed_form else 0.5
            reached = partner(iteration + wanted, self._clock() + share * budget)
            wanted = min(wanted, max(0, reached - iteration))
            # The partner may overrun its share (a chunk of run() is not cut short): this
            # trainer still gets its own, to reach where the partner is.
            deadline = max(deadline, self._clock() + (1.0 - share) * budget)
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
            self.state = self._finished() if reached_target else RunState.PAUSED
        self._settle()
        return done

    def _advance(self, count: int, deadline: float) -> int:
        """Up to ``count`` iterations before ``deadline``; the last one always as events."""
        trainer = self.trainer
        start = trainer.iteration
        if count > STEPS_PER_FRAME:
            while not trainer.diverged and self._clock() < deadline:
                # run() first finishes an iteration in progress, which it does not count:
                # leave the last iteration, and that one, to the events below.
                in_progress = trainer.next_phase != "forward"
                remaining = count - 1 - (trainer.iteration - start) - in_progress
                if remaining <= 0:
                    break
                trainer.run(min(RUN_CHUNK, remaining))
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
            self.event_mode = self.mode
        return event

    def _pull_iteration(self) -> None:
        """Pull events up to and including the next update."""
        while (event := self._pull()) is not None and event.phase != "update":
            pass

    @property
    def past_target(self) -> bool:
        """True once training was asked to go on beyond the target."""
        return self._past_target

    @property
    def at_target(self) -> bool:
        """The target is reached and not yet passed: space would continue past it."""
        return self.trainer.iteration >= self.target and not self._past_target

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
            self.state = self._finished()

    def _finished(self) -> RunState:
        """The state of a run at its target: done, or oscillating for ever."""
        return RunState.OSCILLATING if self.trainer.oscillating else RunState.DONE

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
        self._resume_after_hold = False

    # -- holding: a pause the user did not ask for -----------------------------

    @property
    def held(self) -> bool:
        """True while something other than the user keeps training paused."""
        return self._held

    def hold_while(self, held: bool) -> bool:
        """Hold training (a dialog covers the screen, the window is too small) or let it go;
        True if that paused or resumed it.

        The caller says whether training is held now, from what it sees (the app: its
        screen stack and size), so a hold cannot outlive what caused it. When the hold
        ends, training resumes if, and only if, it was running (or fast-forwarding) when
        the hold began and nothing paused it meanwhile.
        """
        if held == self._held:
            return False
        self._held = held
        if held:
            if self.state is not RunState.RUNNING:
                return False
            goal = self._fast_goal
            self.pause()
            self._resume_after_hold, self._resume_goal = True, goal
            return True
        if not self._resume_after_hold:
            return False
        self._resume_after_hold = False
        if self.state is not RunState.PAUSED:
            return False
        self.state = RunState.RUNNING
        self._fast_goal, self._resume_goal = self._resume_goal, None
        self._fraction = 0.0
        self.measured_rate = 0.0
        return True

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
        """Race to the target; past it, jump to where the target tolerance is met.

        The race runs over the following frames, not in one blocking call. Past
        the target, if the closed form knows the iteration from which both
        parameters stay within their tolerances (``Outlook.arrives_at``) and it
        lies ahead, ``seek`` goes there at once (then ``fast_forwarding`` is
        False); otherwise the race goes on by another 10× the iterations done.
        Returns the goal (the iteration reached, for a jump).
        """
        if self.trainer.diverged:
            return None
        iteration = self.trainer.iteration
        if iteration < self.target:
            goal = self.target
        else:
            arrival = self.outlook.arrives_at
            if arrival is not None and iteration < arrival <= MAX_SEEK:
                return self.seek(arrival)  # where the target tolerance is met, at once
            goal = max(iteration * 11, iteration + 1)
            self._past_target = True
        self._fast_goal = goal
        self.state = RunState.RUNNING
        return goal

    # -- moving through the timeline ------------------------------------------

    def seek(self, iteration: int, *, phases: int = 0) -> int:
        """Go to ``iteration``, back or forward, and pause there; return the iteration reached.

        The screen then shows what training to it shows: the trainer at that
        iteration with the settings in force there (going back across a change
        restores them), and the latest events those of its forward, backward and
        update. ``phases`` (0 to 2) then performs that many phases of the next
        iteration, as ``s`` would. Going forward stops early only at divergence,
        and at ``MAX_SEEK``. At the target (and not mid-iteration) the run shows
        done, as a run that stops there does.
        """
        self.pause()
        trainer = self.trainer
        reached = trainer.seek(min(max(iteration, 0), MAX_SEEK))
        self.mode = Mode.of(trainer)
        self._subscribe()
        if reached > 0:
            self._replay_events(reached)
        if reached == iteration and not trainer.diverged:
            for _phase in range(phases):
                self._pull()
        self._past_target = reached > self.target
        self._fraction = 0.0
        self.measured_rate = 0.0
        at_target = reached == self.target and trainer.next_phase == "forward"
        self.state = self._finished() if at_target else RunState.PAUSED
        self._settle()
        return reached

    def back(self, *, phase: bool = False) -> int | None:
        """One iteration back (to the start of the one in progress, if mid-iteration), or
        with ``phase`` one phase back; paused. Returns the iteration on screen, or None if
        already at the very start."""
        trainer = self.trainer
        done, performed = trainer.iteration, PHASES_DONE[trainer.next_phase]
        if phase:
            iteration, phases = (done, performed - 1) if performed else (done - 1, 2)
        else:
            iteration, phases = (done, 0) if performed else (done - 1, 0)
        if iteration < 0:
            return None
        self.seek(iteration, phases=phases)
        return trainer.iteration + (trainer.next_phase != "forward")

    def set_parameters(self, weight: float, bias: float) -> None:
        """Put the weight and bias where the learner's hand says (``Trainer.set_parameters``:
        a new timeline segment), paused, then show the gradient there; ValueError (nothing
        changed) if core refuses them."""
        self.pause()
        self.trainer.set_parameters(weight, bias)
        self.mode = Mode.of(self.trainer)
        self._subscribe()
        self._past_target = self.trainer.iteration > self.target
        self.state = RunState.PAUSED
        self.show_gradient()

    def show_gradient(self) -> None:
        """Perform the forward and backward phases of the next iteration, as ``s`` twice would,
        so the loss, the gradients and the explanation are those of the parameters now (not
        of the previous iteration's); training has not moved, and goes on with the update."""
        self.pause()
        while self.trainer.next_phase != "update" and not self.trainer.diverged:
            self._pull()
        self._settle()

    def furthest_seek(self) -> int:
        """The furthest iteration ``seek`` reaches without replaying more than
        ``REPLAY_LIMIT`` updates one at a time (``MAX_SEEK`` if closed forms cover the way).

        Going back always costs little: rules without a closed form replay from a
        checkpoint kept every few thousand iterations. Going forward, such a rule
        replays every update between here and there, along the recorded segments and
        beyond the last one.
        """
        trainer = self.trainer
        segments = trainer.segments
        first = segments.index(trainer.segment)
        position, budget = trainer.iteration, REPLAY_LIMIT
        for number in range(first, len(segments)):
            end = segments[number + 1].start if number + 1 < len(segments) else MAX_SEEK
            if end <= position:
                continue
            if not _has_closed_form(segments[number]):
                if end - position > budget:
                    return position + budget
                budget -= end - position
            position = end
        return MAX_SEEK

    def _replay_events(self, iteration: int) -> None:
        """The events of ``iteration``'s three phases, as training to it made them.

        They are made on a copy of the trainer taken one iteration back: stepping
        the trainer itself would train on from there and drop the timeline beyond
        it (``Trainer.seek``'s undo history), which a seek must keep.
        """
        scratch = copy.deepcopy(self.trainer)
        scratch.seek(iteration - 1)
        mode = Mode.of(scratch)  # the settings that made this iteration
        for event in itertools.islice(scratch.steps(), 3):
            self.latest[event.phase] = event
            self.last_event = event
        self.event_mode = mode

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
        self.rate_by_hand = True
        self.mode = Mode.of(self.trainer)
        return self.trainer.learning_rate

    def next_optimizer(self) -> str:
        """Switch to the next update rule in ``core.OPTIMIZERS``' order; parameters stay.

        The learning rate stays if it was set by hand; otherwise it becomes the new
        rule's own default (Adam's 0.1 after gradient descent's 1e-4).
        """
        names = list(OPTIMIZERS)
        current = self.trainer.optimizer
        following = (names.index(current) + 1) % len(names) if current in names else 0
        name = names[following]
        self.trainer.optimizer = name
        if not self.rate_by_hand:
            self.trainer.learning_rate = OPTIMIZERS[name].default_learning_rate
        self.mode = Mode.of(self.trainer)
        return name

    def set_up(
        self, *, optimizer: str, learning_rate: float | None, standardize: bool, gradient: str
    ) -> None:
        """Start again, paused, from the untrained neuron with these settings (a lesson's
        chapter). ``learning_rate`` None is the optimizer's default, not set by hand."""
        self.reset()
        self.state = RunState.PAUSED
        self._resume_after_hold, self._resume_goal = False, None
        trainer = self.trainer
        trainer.optimizer = optimizer
        trainer.standardize = standardize
        trainer.gradient_rule = gradient
        default = OPTIMIZERS[optimizer].default_learning_rate
        trainer.learning_rate = default if learning_rate is None else learning_rate
        self.rate_by_hand = learning_rate is not None
        self.mode = Mode.of(trainer)
        self._subscribe()

    def start_running(self) -> None:
        """Run from here; while something holds training, as soon as the hold ends."""
        if self.trainer.diverged:
            return
        if self._held:
            self._resume_after_hold, self._resume_goal = True, None
            return
        self.state = RunState.RUNNING
        self._fraction = 0.0
        self.measured_rate = 0.0

    def follow(self, iteration: int, phase: Phase, deadline: float) -> bool:
        """Bring this driver's trainer to ``iteration`` with ``phase`` next, as another driver's
        (a race); back by seeking, forward by training. False if the deadline cut it short.

        It stops early at divergence (then it stays there until the leader goes back
        before that iteration).
        """
        trainer = self.trainer
        order = PHASES.index
        here = (trainer.iteration, order(trainer.next_phase))
        there = (iteration, order(phase))
        # Diverged, it goes back only if the leader went back before it ran away.
        went_back = (trainer.diverged_at or 0) > iteration if trainer.diverged else here > there
        if went_back:
            reached = trainer.seek(iteration)
            if self.state is RunState.DIVERGED:
                self.state = RunState.PAUSED
            self.mode = Mode.of(trainer)
            self._subscribe()
            if reached > 0:
                self._replay_events(reached)  # the racer's row shows that iteration's events
        if trainer.iteration < iteration:
            self._advance(iteration - trainer.iteration, deadline)
            self._settle()
            if trainer.iteration < iteration and not trainer.diverged:
                return False
        while (
            trainer.iteration == iteration
            and order(trainer.next_phase) < order(phase)
            and self._pull() is not None
        ):
            pass
        self._settle()
        return True

    def toggle_standardize(self) -> bool:
        """Train on standardised celsius, or stop; the line on the chart does not move.

        An iteration in progress is finished first, through the subscription,
        so the events on screen stay the trainer's own.
        """
        if self.trainer.next_phase != "forward" and not self.trainer.diverged:
            self._pull_iteration()
        self.trainer.standardize = not self.trainer.standardize
        self.mode = Mode.of(self.trainer)
        self._settle()
        return self.trainer.standardize


def _has_closed_form(segment: Segment) -> bool:
    """Whether a segment's updates have a closed form (as ``Trainer.has_closed_form`` says of
    the current one): a linear optimizer with a linear gradient rule."""
    optimizer = OPTIMIZERS.get(segment.optimizer)
    rule = GRADIENT_RULES.get(segment.gradient_rule)
    linear = optimizer is not None and issubclass(optimizer, LinearOptimizer)
    return linear and rule is not None and rule.linear
