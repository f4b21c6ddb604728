"""What each chapter does to the live app: the state it starts from, and the steps it checks.

A chapter's words are in the chapters file (``tui.lesson.chapters``); here, keyed
by the same id, is its ``Setup`` (the trainer and the screen as the chapter
needs them: truth line only, forward at 42 °C, a rate too large, a race…) and
one check per step of its "try this", each a question about the frame on
screen and what was seen earlier in the chapter (``Seen``). The checks read the
``View``; they never ask the trainer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tui.lesson.state import Seen
from tui.model.driver import RunState
from tui.model.race import RaceSpec
from tui.model.view import View

ALL_LINES = frozenset(("truth", "untrained", "now"))
EXPLAINED_CELSIUS = 42.0
"""The tutorial's own example sample."""
ARRIVED = 0.95
"""The weight counts as (nearly) learnt once it has covered this share of its way: on the
tutorial's data within the first hundred iterations, while the bias has barely moved."""


@dataclass(frozen=True)
class Setup:
    """The state a chapter starts from: always the untrained neuron of the app's data and
    seed, then these settings, trained or stepped this far."""

    optimizer: str = "gd"
    learning_rate: float | None = None
    """None: the optimizer's default."""
    rate_times_limit: float | None = None
    """If given, the learning rate is this multiple of the stable limit (on any data)."""
    rate_times_samples: bool = False
    """If true, the learning rate is the optimizer's default × the number of samples: the
    step a gradient summed over the samples (not averaged) would take at the default rate."""
    standardize: bool = False
    gradient: str = "chain"
    iterations: int = 0
    """Whole iterations trained before the chapter starts."""
    phases: int = 0
    """Then this many phases stepped (1: forward done, 2: forward and backward)."""
    running: bool = False
    explaining: bool = False
    """The explanation is open (shown where there is room beside the lesson)."""
    mark_sample: bool = False
    """The explained sample is marked on the chart."""
    landscape: bool = False
    lines: frozenset[str] = ALL_LINES
    """The fit chart's lines on show."""
    celsius: float = EXPLAINED_CELSIUS
    """The sample explained: the one nearest this temperature."""
    race: RaceSpec | None = None
    """A second trainer racing the first from the start, or None."""
    weight: float | None = None
    """If given, the weight is set to this by hand and hands mode is on (``h``)."""


Check = Callable[[View, Seen], bool]
"""One step of a chapter's "try this": done, judged from the frame and what was seen."""


@dataclass(frozen=True)
class Stage:
    """A chapter's set-up, the checks of its steps, and what ``c`` races in it."""

    slug: str
    setup: Setup
    steps: tuple[Check, ...]
    hint: Check | None = None
    """True while the learner is on a wrong track (the chapter's hint is then shown)."""
    races: tuple[tuple[Setup, RaceSpec], ...] = field(default=())
    """What ``c`` does in this chapter, press by press: start again from this set-up, with
    this race (then, after the last, no race). Empty: ``c`` as everywhere."""


# -- the checks ------------------------------------------------------------------


def sample_moved(view: View, seen: Seen) -> bool:
    return view.display.sample != seen.start_sample


def sample_near(celsius: float) -> Check:
    def check(view: View, seen: Seen) -> bool:
        data = view.trainer.dataset.celsius
        nearest = min(view.display.order, key=lambda i: abs(float(data[i]) - celsius))
        return view.display.sample == nearest

    return check


def last_phase(phase: str, iteration: int) -> Check:
    """The last phase performed is ``phase`` of ``iteration``, or training went past it."""

    def check(view: View, seen: Seen) -> bool:
        event = view.trainer.phases.last
        return event is not None and (
            event.iteration > iteration or (event.iteration == iteration and event.phase == phase)
        )

    return check


def completed(iterations: int) -> Check:
    def check(view: View, seen: Seen) -> bool:
        return view.trainer.completed >= iterations

    return check


def weight_learnt(view: View, seen: Seen) -> bool:
    """Paused (by the learner, or at the target) once the weight has (almost) arrived."""
    stopped = view.state in (RunState.PAUSED, RunState.DONE) and not view.held
    return stopped and view.trainer.weight.progress >= ARRIVED


def paused_early(view: View, seen: Seen) -> bool:
    stopped = view.state is RunState.PAUSED and not view.held
    return stopped and view.trainer.completed > 0 and view.trainer.weight.progress < ARRIVED


def landscape_shown(view: View, seen: Seen) -> bool:
    return view.display.landscape


def at_target(view: View, seen: Seen) -> bool:
    return view.trainer.completed >= view.target


def raced_to_target(view: View, seen: Seen) -> bool:
    return view.race is not None and at_target(view, seen) and view.race.completed >= view.target


def diverged(view: View, seen: Seen) -> bool:
    return seen.diverged_at is not None


def rate_below_limit(view: View, seen: Seen) -> bool:
    return not view.trainer.above_limit


def started_again(view: View, seen: Seen) -> bool:
    trainer = view.trainer
    return trainer.completed == 0 and trainer.diverged_at is None and not trainer.above_limit


def converging(view: View, seen: Seen) -> bool:
    """Training again from the start (after ``r``), below the limit, and not diverged."""
    trainer = view.trainer
    return trainer.completed > 0 and trainer.diverged_at is None and not trainer.above_limit


def stepped_standardised(view: View, seen: Seen) -> bool:
    trainer = view.trainer
    return trainer.mode.standardized and trainer.completed >= 1


def tried_weight(weight: float) -> Check:
    """The learner's hand put the weight at ``weight`` (hands mode) during the chapter."""

    def check(view: View, seen: Seen) -> bool:
        return any(abs(tried - weight) < 1e-9 for tried, *_rest in seen.tried)

    return check


def descent_took_over(view: View, seen: Seen) -> bool:
    """Out of hands mode, training has gone on from where the hand left the neuron."""
    return view.hands is None and view.trainer.completed >= 1


def raced(optimizer: str) -> Check:
    def check(view: View, seen: Seen) -> bool:
        return optimizer in seen.races

    return check


# -- the chapters ----------------------------------------------------------------

RAW_RUN = Setup(running=True)
"""The tutorial's run, going: what the "fixes" chapter's races start from."""

STAGES: tuple[Stage, ...] = (
    Stage("data", Setup(lines=frozenset(("truth",)), mark_sample=True), (sample_moved,)),
    Stage(
        "neuron",
        Setup(lines=frozenset(("truth", "untrained")), mark_sample=True),
        (sample_near(0.0),),
    ),
    Stage("forward", Setup(explaining=True, mark_sample=True), (last_phase("forward", 1),)),
    Stage(
        "backward",
        Setup(explaining=True, mark_sample=True, phases=1),
        (last_phase("backward", 1),),
    ),
    Stage("graph", Setup(mark_sample=True, phases=2), (sample_moved, last_phase("backward", 2))),
    Stage(
        "grad-output",
        Setup(mark_sample=True, phases=1),
        (last_phase("backward", 1), sample_moved),
    ),
    Stage(
        "update",
        Setup(explaining=True, mark_sample=True, phases=2),
        (last_phase("update", 1), completed(2)),
    ),
    Stage(
        "hands",
        Setup(weight=0.8),
        (tried_weight(0.9), tried_weight(0.7), descent_took_over),
    ),
    Stage("training", Setup(running=True), (weight_learnt,), hint=paused_early),
    Stage("valley", Setup(iterations=2_000), (landscape_shown, at_target)),
    Stage(
        "too-large",
        Setup(rate_times_limit=1.25),
        (diverged, rate_below_limit, started_again),
    ),
    Stage(
        "mean",
        Setup(rate_times_samples=True),
        # Below the limit by l (the rate ÷ N, as the chapter asks) or by - (as the banner
        # says): either way the run no longer diverges.
        (diverged, rate_below_limit, converging),
    ),
    Stage(
        "fixes",
        Setup(standardize=True, learning_rate=0.5),
        (stepped_standardised, raced("momentum"), raced("adam")),
        races=(
            (RAW_RUN, RaceSpec(optimizer="momentum")),
            (RAW_RUN, RaceSpec(optimizer="adam")),
        ),
    ),
    Stage(
        "autograd",
        Setup(mark_sample=True, phases=2),
        (last_phase("update", 1), last_phase("backward", 2)),
    ),
    Stage("published", Setup(race=RaceSpec(gradient="published")), (raced_to_target,)),
)
"""Every chapter, in order (``--lesson N`` opens ``STAGES[N - 1]``)."""


def chapter_number(slug: str) -> int:
    """The 1-based number of the chapter ``slug`` (``--lesson N``), wherever it is placed."""
    return next(number for number, stage in enumerate(STAGES, start=1) if stage.slug == slug)
