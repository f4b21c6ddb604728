"""A run as a timeline: the stretches under one set of settings, and how to revisit them.

Every change of learning rate, optimizer, input scaling or gradient rule
starts a new ``Segment`` at the iteration it was made (the updates after it
use the new settings). To go back to any iteration exactly, each segment keeps
the state it started from: for gradient descent and momentum with the chain
rule that state and the closed form (``core.linear``) give every later
iteration at once; the other rules replay from the nearest ``Point`` kept
along the way, one every ``spacing`` iterations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Final

from core.dataset import Dataset
from core.gradient_rules import GradientRule
from core.linear import ClosedForm, Origin
from core.optimizers import LinearOptimizer, Optimizer, StepState
from core.scaling import Scaling
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
