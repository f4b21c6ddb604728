"""A run as a timeline: the stretches under one set of settings, and how to revisit them.

Every change of learning rate, optimizer, input scaling or gradient rule
starts a new ``Segment`` at the iteration it was made (the updates after it
use the new settings), and so does a move of the parameters by hand (the
updates after it start from where the learner put them). To go back to any
iteration exactly, each segment keeps the state it started from: for gradient
descent and momentum with the chain rule that state and the closed form
(``core.linear``) give every later iteration at once; the other rules replay
from the nearest ``Point`` kept along the way, one every ``spacing`` iterations.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import Final

from core import neuron
from core.dataset import Dataset
from core.gradient_rules import GradientRule
from core.linear import ClosedForm, Origin
from core.optimizers import LinearOptimizer, Optimizer, StepState
from core.scaling import IDENTITY, Scaling
from core.surface import LossSurface
from core.types import FloatArray

CHECKPOINT_SPACING: Final = 4_096
"""Iterations between the states kept for replaying rules without a closed form."""

MAX_CHECKPOINTS: Final = 1_024
"""A segment keeps at most this many; then it keeps every other one and doubles the spacing,
so memory stays bounded and a replay never runs more than 1/1,024 of the segment."""


@dataclass(frozen=True)
class Segment:
    """A stretch of the run under one set of settings: what the loss chart marks and an
    export's rows are labelled with."""

    start: int
    """The iteration at which these settings took over: updates start + 1, … use them."""
    learning_rate: float
    """The learning rate of these updates."""
    optimizer: str
    """The optimizer's name (a key of ``core.OPTIMIZERS``)."""
    standardize: bool
    """True if the neuron saw standardised celsius."""
    gradient_rule: str
    """The backward pass's name (a key of ``core.GRADIENT_RULES``)."""
    set_to: tuple[float, float] | None = None
    """The (weight, bias), in the original units, that the learner set by hand where this
    segment starts (``Trainer.set_parameters``); None if it starts where training left off.
    Part of the segment's identity: two hand moves at one iteration are two timelines."""

    def same_settings(self, other: Segment) -> bool:
        """True if ``other`` trains exactly as this does (wherever each starts)."""
        return (self.learning_rate, self.optimizer, self.standardize, self.gradient_rule) == (
            other.learning_rate,
            other.optimizer,
            other.standardize,
            other.gradient_rule,
        )


@dataclass(frozen=True)
class Point:
    """The state after an iteration, in its segment's training coordinates."""

    iteration: int
    """How many iterations had completed."""
    weight: float
    """The neuron's weight (of standardised celsius if the segment standardises)."""
    bias: float
    """The neuron's bias."""
    memory: StepState | None
    """The optimizer's memory: the state of its last update (None: none yet)."""


@dataclass(frozen=True)
class Coordinates:
    """The data as the neuron sees it under one input scaling, and its loss bowl."""

    scaling: Scaling
    """How training parameters relate to the original ones."""
    data: Dataset
    """The samples with celsius scaled."""
    surface: LossSurface
    """The bowl of the scaled samples, over the training parameters."""
    jacobian: FloatArray
    """∂output/∂(weight, bias) for every scaled sample."""

    @staticmethod
    def of(dataset: Dataset, surface: LossSurface, *, standardize: bool) -> Coordinates:
        """``dataset`` (whose bowl is ``surface``) as the neuron sees it, celsius
        standardised or not."""
        if standardize:
            scaling = Scaling.standardizing(dataset)
            dataset = Dataset(scaling.inputs(dataset.celsius), dataset.fahrenheit)
            surface = LossSurface.of(dataset)
        else:
            scaling = IDENTITY
        return Coordinates(scaling, dataset, surface, neuron.jacobian(dataset.celsius))


class ClosedForms:
    """The closed forms of the settings used lately, shared by the segments using them.

    A timeline of thousands of rate changes keeps thousands of small segments,
    not thousands of closed forms (each holds 126 matrices).
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._forms: dict[tuple[object, ...], ClosedForm] = {}

    def of(self, span: Span) -> ClosedForm:
        """The closed form of ``span``'s settings (a linear segment's)."""
        rule = span.rule
        assert isinstance(rule, LinearOptimizer)
        key = (span.segment.standardize, span.segment.learning_rate, type(rule), rule.beta)
        form = self._forms.get(key)
        if form is None:
            if len(self._forms) >= self._size:
                self._forms.clear()
            surface = span.coordinates.surface
            form = self._forms[key] = ClosedForm(surface, span.segment.learning_rate, rule)
        return form


class Span:
    """One segment of the timeline with what revisiting it needs (mutable: checkpoints)."""

    def __init__(
        self,
        segment: Segment,
        start: Point,
        rule: Optimizer,
        gradient: GradientRule,
        coordinates: Coordinates,
        *,
        memory_reset: bool,
        forms: ClosedForms,
    ) -> None:
        self.segment: Final = segment
        """The settings, and where they took over."""
        self.start: Final = start
        """The state the segment started from."""
        self.rule: Final = rule
        """The optimizer."""
        self.gradient: Final = gradient
        """The backward pass."""
        self.coordinates: Final = coordinates
        """The scaled data and bowl."""
        self.memory_reset = memory_reset
        """True if the optimizer's memory was cleared where this segment starts."""
        self.linear: Final = isinstance(rule, LinearOptimizer) and gradient.linear
        """True if every iteration of this segment has a closed form (gradient descent and
        momentum with the chain rule)."""
        self._forms = forms
        self.spacing = CHECKPOINT_SPACING
        """Iterations between checkpoints (doubles as they would exceed ``MAX_CHECKPOINTS``)."""
        self.checkpoints: list[Point] = []
        """States at multiples of ``spacing``, oldest first (rules without a closed form)."""

    @property
    def closed_form(self) -> ClosedForm | None:
        """The closed form of this segment's updates, if it has one."""
        return self._forms.of(self) if self.linear else None

    @cached_property
    def origin(self) -> Origin:
        """The start state as the closed form's origin (linear segments only)."""
        form = self.closed_form
        assert form is not None and isinstance(self.rule, LinearOptimizer)
        start = self.start
        return form.origin(start.weight, start.bias, self.rule.velocity(start.memory))

    def checkpoint(self, point: Point) -> None:
        """Keep ``point`` (its iteration a multiple of ``spacing``) for later replays."""
        self.checkpoints.append(point)
        if len(self.checkpoints) > MAX_CHECKPOINTS:
            self.spacing *= 2
            self.checkpoints = [p for p in self.checkpoints if p.iteration % self.spacing == 0]

    def nearest_checkpoint(self, iteration: int) -> Point:
        """The latest kept state at or before ``iteration`` (the start, if none)."""
        best = self.start
        for point in self.checkpoints:
            if point.iteration > iteration:
                break
            best = point
        return best

    def forget_after(self, iteration: int) -> None:
        """Drop checkpoints after ``iteration`` (the run goes another way from there)."""
        self.checkpoints = [p for p in self.checkpoints if p.iteration <= iteration]

    def point_at(self, iteration: int) -> Point:
        """The state at ``iteration`` of this segment: by closed form, or replayed from a
        checkpoint."""
        form = self.closed_form
        if form is not None:
            return self.closed_form_point(form, iteration)
        point = self.nearest_checkpoint(iteration)
        surface, gradient = self.coordinates.surface, self.gradient.on_surface
        stepper = self.rule.stepper(self.segment.learning_rate, point.memory)
        weight, bias = point.weight, point.bias
        for _ in range(iteration - point.iteration):
            grad_weight, grad_bias = gradient(surface, weight, bias)
            weight, bias = stepper(weight, bias, grad_weight, grad_bias)
        return Point(iteration, weight, bias, stepper.memory())

    def closed_form_point(self, form: ClosedForm, iteration: int) -> Point:
        """The state at ``iteration`` of this linear segment, its memory included."""
        rule = self.rule
        assert isinstance(rule, LinearOptimizer)
        if iteration == self.start.iteration:
            return self.start
        modes = form.advance(self.origin, iteration - self.start.iteration)
        weight, bias = form.parameters(self.origin, modes)
        if form.memoryless:
            return Point(iteration, weight, bias, rule.remember((0.0, 0.0), (0.0, 0.0)))
        before = form.advance(self.origin, iteration - 1 - self.start.iteration)
        memory = rule.remember(form.velocity(before), form.velocity(modes))
        return Point(iteration, weight, bias, memory)


class Timeline:
    """A run's segments, oldest first, and the one in force at the current iteration.

    After a seek back, the segments beyond the current iteration remain (a seek
    forward follows them again) until training goes on from here, which drops
    them, like an undo history.
    """

    def __init__(
        self,
        dataset: Dataset,
        surface: LossSurface,
        first: Segment,
        rule: Optimizer,
        gradient: GradientRule,
        weight: float,
        bias: float,
    ) -> None:
        self._dataset, self._surface = dataset, surface
        self._coordinates: dict[bool, Coordinates] = {}
        self._forms = ClosedForms()
        self.restart(first, rule, gradient, weight, bias)

    def coordinates(self, standardize: bool) -> Coordinates:
        """The data and bowl the neuron sees with or without standardised celsius (made once,
        for every segment that uses them)."""
        coordinates = self._coordinates.get(standardize)
        if coordinates is None:
            coordinates = Coordinates.of(self._dataset, self._surface, standardize=standardize)
            self._coordinates[standardize] = coordinates
        return coordinates

    def restart(
        self, first: Segment, rule: Optimizer, gradient: GradientRule, weight: float, bias: float
    ) -> None:
        """Forget every segment: the run starts again at iteration 0 under ``first``'s
        settings, from ``weight`` and ``bias`` in the original units."""
        coordinates = self.coordinates(first.standardize)
        start = Point(0, *coordinates.scaling.to_training(weight, bias), None)
        span = Span(first, start, rule, gradient, coordinates, memory_reset=True, forms=self._forms)
        self.spans = [span]
        """Every segment of the run, oldest first."""
        self.index = 0
        """Where ``current`` is in ``spans``."""
        self.current = span
        """The segment in force at the current iteration."""
        self.has_future = False
        """True after a seek back: later segments or checkpoints exist, to be dropped
        as soon as training goes on from here."""

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The settings of every segment, oldest first."""
        return tuple(span.segment for span in self.spans)

    def segment_at(self, iteration: int) -> Segment:
        """The segment whose settings made iteration ``iteration`` (the last one starting
        before it; the first for iteration 0): how a history row is labelled."""
        starts = [span.segment.start for span in self.spans]
        index = max(0, bisect.bisect_left(starts, iteration) - 1)
        return self.spans[index].segment

    def change(
        self,
        segment: Segment,
        start: Point,
        rule: Optimizer,
        gradient: GradientRule,
        *,
        memory_reset: bool,
    ) -> None:
        """Train on from ``start`` (in ``segment``'s coordinates) under its settings: a new
        segment.

        If the current segment has made no update yet it is replaced (or, if that
        restores the settings before it, merged back into them).
        """
        reset = memory_reset
        span = self.current
        index = self.index
        if span.segment.start == start.iteration:  # it governed no update: replace it
            reset = reset or span.memory_reset
            before = self.spans[index - 1] if index else None
            if before is not None and before.segment.same_settings(segment) and not reset:
                del self.spans[index]
                self.index = index - 1
                self.current = before
                return
            del self.spans[index]
            index -= 1
        coordinates = self.coordinates(segment.standardize)
        self.current = Span(
            segment, start, rule, gradient, coordinates, memory_reset=reset, forms=self._forms
        )
        self.spans.append(self.current)
        self.index = index + 1

    def go_back(self, iteration: int) -> Span:
        """Make the segment in force at ``iteration`` (not after the current one) current,
        keeping the later ones until ``drop_future``."""
        starts = [span.segment.start for span in self.spans]
        self.index = bisect.bisect_right(starts, iteration) - 1
        self.current = self.spans[self.index]
        self.has_future = True
        return self.current

    def next_start(self) -> int | None:
        """Where the next recorded segment starts, if a seek back left one."""
        following = self.index + 1
        return self.spans[following].segment.start if following < len(self.spans) else None

    def enter_next(self) -> Span:
        """Make the next recorded segment current (a seek forward reached its start)."""
        self.index += 1
        self.current = self.spans[self.index]
        return self.current

    def drop_future(self, iteration: int) -> None:
        """Training goes on from ``iteration``: forget the segments and checkpoints beyond it."""
        if self.has_future:
            del self.spans[self.index + 1 :]
            self.current.forget_after(iteration)
            self.has_future = False
