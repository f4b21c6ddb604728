"""One frozen record per frame of everything on screen, built from the driver and its trainer.

Every panel draws from the same ``View``: the app builds one each frame
(``build_view``) and hands it to all of them, so two panels cannot disagree
about a number. A panel formats its part and keeps no copy of shared numbers.

Where later features go:

* a number about one trainer (a prediction, a stability verdict) is a field of
  ``TrainerView``, filled in ``trainer_view``; the panels that show it read it;
* a second trainer racing the first is ``View.race``, a ``TrainerView`` of its own;
* a pane that takes the explanation's place (a lesson) reads ``View`` like the others.

Numbers stay numbers here; words and digits are the panels' business.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Flag, auto
from typing import TYPE_CHECKING

from core import (
    GRADIENT_RULES,
    OPTIMIZERS,
    BackwardEvent,
    Dataset,
    ForwardEvent,
    LossSurface,
    Trainer,
    UpdateEvent,
)
from core.events import Event
from core.history import COLUMNS
from core.types import FloatArray, Phase
from tui.model.driver import Mode, RunState
from tui.model.outlook import BIAS_TOLERANCE, WEIGHT_TOLERANCE, Outlook
from tui.model.pace import Pace

if TYPE_CHECKING:  # (the lesson's and hands mode's modules load when a session opens them)
    from core import GradientCheck
    from tui.lesson.state import LessonState
    from tui.model.driver import Driver
    from tui.model.hands import Hands


@dataclass(frozen=True, eq=False)
class Gradient:
    """The gradient the last backward pass computed: at which parameters, and for which update.

    The backward pass of iteration k differentiates the loss at the parameters iteration
    k − 1 left (those its forward pass used), and update k steps with it. The exported row
    k − 1 holds this gradient (in raw celsius), not row k: a row's gradient is measured at
    that row's parameters (``core.history.COLUMNS``).
    """

    update: int
    """The update that steps with it: the iteration whose backward pass computed it."""
    weight: float
    """∂loss/∂weight, in the coordinates it was computed in (those of z when standardised)."""
    bias: float
    """∂loss/∂bias (the same in both coordinates)."""
    standardized: bool
    """True if it was computed on standardised inputs, so ``weight`` is that of z."""
    by_hand: bool = False
    """True if it was computed at the (weight, bias) the learner set by hand (hands mode,
    ``h``) at ``at_iteration``, not at those that iteration's training left."""

    @property
    def at_iteration(self) -> int:
        """The iteration whose (weight, bias) it was computed at: the one before ``update``
        (0: the untrained parameters)."""
        return self.update - 1


@dataclass(frozen=True, eq=False)
class ParameterView:
    """One parameter as its panel shows it, in the original units (°F per °C, °F)."""

    name: str
    """``weight`` or ``bias``: the panel's title, and which gradient is its own."""
    value: float
    """Where the parameter is now."""
    target: float
    """The least-squares optimum it heads for."""
    distance: float
    """target − value."""
    progress: float
    """The share of the initial distance covered (1 arrived, < 0 further away than at the start)."""
    gradient: float | None
    """Its component of ``TrainerView.gradient``, or None before any backward pass."""
    tolerance: float
    """It has arrived once |target − value| stays below this (``tui.model.outlook``)."""
    arrives_at: int | None
    """The iteration from which it stays within ``tolerance`` for good at the current
    settings; None if never or unknown (``TrainerView.outlook.predictable`` tells which)."""


@dataclass(frozen=True, eq=False)
class Phases:
    """The most recent event of each phase, and the last of all.

    ``forward`` belongs to the iteration of ``backward`` whenever both exist,
    so the backward explanation finds the outputs it differentiates.
    """

    forward: ForwardEvent | None
    backward: BackwardEvent | None
    update: UpdateEvent | None
    last: Event | None
    """The phase performed most recently, the one the explanation explains."""


@dataclass(frozen=True, eq=False)
class TrainerView:
    """Everything about one trainer that the screen shows."""

    seed: int
    iteration: int
    """The iteration on screen: the one in progress while mid-iteration (after forward or
    backward), else the last completed. The status and the explanation show this number."""
    completed: int
    """Iterations completed (the trainer's own count)."""
    next_phase: Phase
    weight: ParameterView
    bias: ParameterView
    loss: float
    """The loss at the current parameters."""
    least_loss: float
    """The least loss this data allows (at the optimum)."""
    loss_scale: float
    """var(fahrenheit): below 1e-12 of it, a least loss is rounding noise."""
    mode: Mode
    """Optimizer, scaling and learning rate now."""
    event_mode: Mode
    """The mode the last event was computed under (differs from ``mode`` after z, o, l, +, -)."""
    optimizer_title: str
    """The optimizer's name for people (``core.OPTIMIZERS``)."""
    stable_limit: float
    """The largest learning rate that converges for this optimizer and scaling (inf: none)."""
    above_limit: bool
    """The learning rate is at or above ``stable_limit``: expect divergence."""
    lambda_max: float
    """The steepest curvature of the bowl being walked (the training surface)."""
    condition_number: float
    """κ of the bowl being walked."""
    landscape_condition_number: float
    """κ of the bowl over the original (weight, bias), which the landscape draws."""
    shift: float
    """The mean celsius subtracted when standardised (0 otherwise)."""
    scale: float
    """The spread celsius is divided by when standardised (1 otherwise)."""
    gradient: Gradient | None
    """What the last backward pass computed, or None before any (or after r)."""
    phases: Phases
    diverged_at: int | None
    """The iteration at which training diverged, or None."""
    diverged_rate: float
    """The learning rate in force when it last diverged."""
    untrained: tuple[float, float]
    """The initial (weight, bias): the untrained line, and where r returns to."""
    dataset: Dataset
    """The samples in their own units."""
    inputs: Dataset
    """The samples as the neuron sees them (celsius standardised when ``mode.standardized``)."""
    surface: LossSurface
    """The loss bowl over the original (weight, bias)."""
    outlook: Outlook
    """What the closed form says lies ahead: stability, divergence, arrival (issue 11)."""
    gradient_rule: str = "chain"
    """The backward pass in force (a key of ``core.GRADIENT_RULES``)."""
    changes: tuple[int, ...] = ()
    """Iterations after which the rate, optimizer, scaling or gradient rule changed
    (``Trainer.segments``' starts, 0 left out): the loss chart marks them."""
    check: GradientCheck | None = None
    """When the last phase was backward: its gradient against central differences of the
    loss (the published rule fails it)."""

    @property
    def unconverged(self) -> tuple[ParameterView, ...]:
        """The parameters not yet within their tolerances for good (empty: converged).

        Converged is what ``f`` jumps to past the target and the forecast strip counts
        to: |w − w*| < 0.001 and |b − b*| < 0.01 (``tui.model.outlook``). A parameter is
        in once it is within its tolerance and, with a closed form, stays there
        (momentum can pass through and leave again); without one, within it now.
        """
        return tuple(
            parameter
            for parameter in (self.weight, self.bias)
            if not (
                abs(parameter.distance) < parameter.tolerance
                and (
                    not self.outlook.predictable
                    or (parameter.arrives_at is not None and parameter.arrives_at <= self.completed)
                )
            )
        )


@dataclass(frozen=True, eq=False)
class RunSoFar:
    """The run so far, for the charts (thinned by ``core.history``), as columns."""

    iterations: FloatArray
    weights: FloatArray
    biases: FloatArray
    losses: FloatArray


@dataclass(frozen=True, eq=False)
class Sample:
    """The sample the explanation and the chart single out."""

    index: int
    celsius: float
    fahrenheit: float
    input: float
    """What the neuron multiplies: celsius, or its z when standardised."""


@dataclass(frozen=True)
class CodeView:
    """What the code pane shows: the phase last performed and the values of the variables
    its lines bind, for the explained sample (arrays) or over all samples (sums)."""

    phase: Phase | None
    """The phase whose lines are highlighted (None before the first, or after r)."""
    iteration: int
    """The iteration that phase belongs to."""
    gradient: str
    """The gradient rule in force: its grad_weight line is the one that runs."""
    optimizer: str
    """The optimizer of the phase shown: only gradient descent is the program's update."""
    standardized: bool
    """The phase was computed on standardised celsius, which the program does not use."""
    learning_rate: float
    """The learning rate of the update (the program's LEARNING_RATE, unless changed)."""
    sample: float
    """The explained sample's celsius: an array's value is shown at it."""
    values: tuple[tuple[str, tuple[float, ...]], ...] = ()
    """Each variable the phase binds, with its value (an update's parameter: before, after)."""


def code_view(trainer: TrainerView, sample: Sample) -> CodeView:
    """The code pane's numbers: those of the trainer's last event (``Phases.last``), the
    arrays' at ``sample``."""
    event = trainer.phases.last
    values: tuple[tuple[str, tuple[float, ...]], ...] = ()
    learning_rate = trainer.mode.learning_rate
    index = sample.index
    if isinstance(event, ForwardEvent):
        values = (
            ("weight", (event.weight,)),
            ("bias", (event.bias,)),
            ("output", (float(event.output[index]),)),
            ("loss", (event.loss,)),
        )
    elif isinstance(event, BackwardEvent):
        values = (
            ("grad_output", (float(event.grad_output[index]),)),
            ("grad_weight", (event.grad_weight,)),
            ("grad_bias", (event.grad_bias,)),
        )
    elif isinstance(event, UpdateEvent):
        learning_rate = event.learning_rate
        values = (
            ("grad_weight", (event.grad_weight,)),
            ("grad_bias", (event.grad_bias,)),
            ("weight", (event.previous_weight, event.weight)),
            ("bias", (event.previous_bias, event.bias)),
        )
    gradient = event.gradient if isinstance(event, BackwardEvent) else trainer.gradient_rule
    return CodeView(
        phase=None if event is None else event.phase,
        iteration=0 if event is None else event.iteration,
        gradient=gradient,
        optimizer=event.optimizer if isinstance(event, UpdateEvent) else trainer.mode.optimizer,
        standardized=trainer.event_mode.standardized,
        learning_rate=learning_rate,
        sample=sample.celsius,
        values=values,
    )


@dataclass(frozen=True)
class Display:
    """What the user chose to look at (not the trainer's state): the app's own toggles."""

    order: tuple[int, ...]
    """Sample indices from coldest to warmest: the order ``[`` and ``]`` walk."""
    sample: int
    """Index of the explained sample."""
    explaining: bool = False
    """The explanation panel is open."""
    landscape: bool = False
    """The chart shows the loss landscape instead of the fit."""
    log_iterations: bool = False
    """The loss chart's iteration axis is logarithmic (``t``)."""
    lines: frozenset[str] = frozenset(("truth", "untrained", "now"))
    """The fit chart's lines on show (a lesson's first chapters hide some)."""
    mark_sample: bool = False
    """The explained sample is marked on the fit chart even with the explanation closed
    (a lesson's chapter about samples)."""
    code: bool = False
    """The code pane is open (``p``): the program, its phase's lines highlighted."""
    lesson_folded: bool = False
    """The lesson pane is folded to one line (``w``), so that the charts have its rows."""

    @property
    def marking(self) -> bool:
        """The fit chart marks the explained sample."""
        return self.explaining or self.mark_sample

    @classmethod
    def of(cls, dataset: Dataset, *, celsius: float, explaining: bool) -> Display:
        """Explaining (or ready to explain) the sample nearest ``celsius``."""
        values = dataset.celsius
        order = tuple(sorted(range(len(values)), key=lambda i: float(values[i])))
        nearest = min(order, key=lambda i: abs(float(values[i]) - celsius))
        return cls(order, nearest, explaining)

    def nearest(self, dataset: Dataset, celsius: float) -> Display:
        """Explaining (or ready to explain) the sample nearest ``celsius``."""
        values = dataset.celsius
        sample = min(self.order, key=lambda i: abs(float(values[i]) - celsius))
        return replace(self, sample=sample)

    def step_sample(self, step: int) -> Display:
        """The next warmer (``step`` > 0) or colder sample, stopping at the ends; explained."""
        position = min(max(self.order.index(self.sample) + step, 0), len(self.order) - 1)
        return replace(self, sample=self.order[position], explaining=True)


class Charts(Flag):
    """Which charts a frame redraws. The frame loop redraws each at its own rate but
    never both on one frame (a frame carrying both cost twice a text frame, the p95 of
    issue 20); a command, a settled run or a hold ending redraws both at once."""

    NONE = 0
    FIT = auto()
    """The chart in the fit chart's place: the fit, or the loss landscape."""
    LOSS = auto()
    """The loss chart."""
    BOTH = FIT | LOSS


@dataclass(frozen=True, eq=False)
class View:
    """One frame of the screen."""

    state: RunState
    target: int
    """The iteration at which a run stops and shows done."""
    goal: int | None
    """While ``f`` races: the iteration it races to."""
    past_target: bool
    """Training was asked to go on beyond the target."""
    held: bool
    """Paused by the app, not the user (a dialog or a too-small window); resumes by itself."""
    pace: Pace
    """The pace of training (a copy: the status names it when it is not the default)."""
    speed: float
    """Iterations per second now (the pace while it keeps up, else what is achieved)."""
    trainer: TrainerView
    sample: Sample
    display: Display
    redraw_charts: Charts
    """The charts this frame redraws (each a few kilobytes over SSH, so not every frame)."""
    trajectory: RunSoFar | None
    """The run so far, when this frame redraws a chart (else None: they keep theirs)."""
    race: TrainerView | None = None
    """A second trainer racing the first (issue 12), when there is one."""
    race_trajectory: RunSoFar | None = None
    """The race's run so far, on frames that redraw the charts."""
    lesson: LessonState | None = None
    """The lesson's chapter and what the learner has done in it, in lesson mode."""
    code: CodeView | None = None
    """The code pane's phase and values, while it is open."""
    hands: Hands | None = None
    """Hands mode (``h``): its step size and the path the hand took; None when off."""

    @property
    def explaining(self) -> bool:
        return self.display.explaining

    @property
    def settled(self) -> bool:
        """Nothing is advancing on the timer: the charts show the final picture."""
        return self.state is not RunState.RUNNING


def _set_by_hand(trainer: Trainer, iteration: int) -> bool:
    """Whether the parameters at ``iteration`` are the ones the learner set by hand there
    (the segment in force starts there, with ``set_to``)."""
    segment = trainer.segment
    return segment.set_to is not None and segment.start == iteration


def trainer_view(driver: Driver) -> TrainerView:
    """The numbers of the driver's trainer, as one record."""
    trainer: Trainer = driver.trainer
    surface = trainer.surface
    training_surface = trainer.training_surface
    mode = driver.mode
    latest = driver.latest
    backward = latest.get("backward")
    event_mode = driver.event_mode
    gradient = None
    if isinstance(backward, BackwardEvent):
        gradient = Gradient(
            backward.iteration,
            backward.grad_weight,
            backward.grad_bias,
            standardized=event_mode.standardized,
            by_hand=_set_by_hand(trainer, backward.iteration - 1),
        )
    distance_weight, distance_bias = trainer.distance
    progress_weight, progress_bias = trainer.progress
    forward, update = latest.get("forward"), latest.get("update")
    limit = trainer.max_stable_learning_rate
    scaling = trainer.scaling
    outlook = driver.outlook
    optimizer = OPTIMIZERS.get(mode.optimizer)
    return TrainerView(
        seed=trainer.seed,
        iteration=trainer.iteration + (trainer.next_phase != "forward"),
        completed=trainer.iteration,
        next_phase=trainer.next_phase,
        weight=ParameterView(
            "weight",
            trainer.weight,
            surface.optimum_weight,
            distance_weight,
            progress_weight,
            None if gradient is None else gradient.weight,
            WEIGHT_TOLERANCE,
            outlook.weight_arrives_at,
        ),
        bias=ParameterView(
            "bias",
            trainer.bias,
            surface.optimum_bias,
            distance_bias,
            progress_bias,
            None if gradient is None else gradient.bias,
            BIAS_TOLERANCE,
            outlook.bias_arrives_at,
        ),
        loss=trainer.loss,
        least_loss=surface.minimum_loss,
        loss_scale=surface.var_fahrenheit,
        mode=mode,
        event_mode=event_mode,
        optimizer_title=optimizer.title if optimizer is not None else mode.optimizer,
        stable_limit=limit,
        above_limit=trainer.learning_rate >= limit,
        lambda_max=training_surface.eigenvalues[1],
        condition_number=training_surface.condition_number,
        landscape_condition_number=surface.condition_number,
        shift=scaling.shift,
        scale=scaling.scale,
        gradient=gradient,
        phases=Phases(
            forward if isinstance(forward, ForwardEvent) else None,
            backward if isinstance(backward, BackwardEvent) else None,
            update if isinstance(update, UpdateEvent) else None,
            driver.last_event,
        ),
        diverged_at=trainer.diverged_at,
        diverged_rate=driver.diverged_rate,
        untrained=(trainer.initial_weight, trainer.initial_bias),
        dataset=trainer.dataset,
        inputs=trainer.training_data,
        surface=surface,
        outlook=outlook,
        gradient_rule=trainer.gradient_rule,
        changes=tuple(segment.start for segment in trainer.segments if segment.start > 0),
        check=_check(trainer, driver.last_event, forward),
    )


def _check(trainer: Trainer, last: Event | None, forward: Event | None) -> GradientCheck | None:
    """The gradient check of the backward pass just performed, at the parameters it used."""
    if not (isinstance(last, BackwardEvent) and isinstance(forward, ForwardEvent)):
        return None
    if forward.iteration != last.iteration or last.gradient not in GRADIENT_RULES:
        return None
    from core import gradient_check  # (loaded on first use: core.ON_FIRST_USE)

    rule = GRADIENT_RULES[last.gradient]
    data = trainer.training_data
    return gradient_check(data, forward.weight, forward.bias, backward=rule.backward)


def run_so_far(trainer: Trainer) -> RunSoFar:
    """The kept rows of the run, one copy for every chart of the frame."""
    rows = trainer.history.rows()
    iterations, weights, biases, losses = (
        rows[:, COLUMNS.index(name)] for name in ("iteration", "weight", "bias", "loss")
    )
    return RunSoFar(iterations, weights, biases, losses)


def build_view(
    driver: Driver,
    display: Display,
    *,
    charts: Charts,
    race: Driver | None = None,
    lesson: LessonState | None = None,
    hands: Hands | None = None,
) -> View:
    """The frame for the driver's state and the user's display choices.

    ``charts`` says which charts this frame redraws (they cost kilobytes over
    SSH, so the frame loop asks for each at a lower rate). ``race`` is the
    driver of a second trainer racing the first; ``lesson`` the lesson's state.
    """
    trainer = driver.trainer
    pace = driver.pace
    goal = driver.fast_goal
    rate_now = pace.rate(trainer.iteration)
    measured = driver.measured_rate
    # At the pace's own rate while the trainer keeps up: a slow pace measured over
    # a second of mostly empty frames would read 0 and look hung.
    if goal is not None:
        speed = measured
    else:
        speed = rate_now if measured >= 0.5 * rate_now or rate_now < 10 else measured
    index = display.sample
    trainer_now = trainer_view(driver)
    sample = Sample(
        index,
        float(trainer.dataset.celsius[index]),
        float(trainer.dataset.fahrenheit[index]),
        float(trainer.training_data.celsius[index]),
    )
    return View(
        state=driver.state,
        target=driver.target,
        goal=goal,
        past_target=driver.past_target,
        held=driver.held,
        pace=replace(pace),
        speed=speed,
        trainer=trainer_now,
        sample=sample,
        display=display,
        redraw_charts=charts,
        trajectory=run_so_far(trainer) if charts else None,
        race=trainer_view(race) if race is not None else None,
        race_trajectory=run_so_far(race.trainer) if race is not None and charts else None,
        lesson=lesson,
        code=code_view(trainer_now, sample) if display.code else None,
        hands=hands,
    )
