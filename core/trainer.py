"""The training loop as a step generator: forward, backward, update, forward, ...

``Trainer`` holds the neuron's state; ``steps()`` is a thin generator over
``step()``, so any number of subscribers (a script's for-loop, the Textual app)
advance the same trainer one phase at a time. ``run(n)`` jumps ahead by whole
iterations: for gradient descent and momentum (with the chain rule) in closed
form, in O(log n) whatever n (``core.linear``); for Adam and the tutorial's
published gradient one update at a time on the loss surface's moments, O(1)
per iteration whatever the number of samples. ``seek(k)`` goes to any
iteration, back or forward: the run is a timeline of ``Segment``s, one per
setting in force (``core.timeline``).

Divergence. With a learning rate above the stable limit the loss grows
without bound. One rule judges every iteration, whichever way it was reached
(``Trainer._runs_away``): divergence is declared at the first iteration whose
loss, measured at the parameters it produced, is not finite or exceeds
``RUNAWAY_FACTOR`` times its reference scale (the larger of the untrained loss,
var(fahrenheit) and 1 °F², capped at ``LOSS_CEILING``). Stable gradient descent
only ever lowers the loss, so that bound is never met by a run that
converges. The step path applies the rule after each update; the closed form
finds the same first iteration by bisection with bounds, without visiting the
others (``core.linear.first_where``). The trainer then keeps the last finite
parameters, stops advancing, emits no warning and raises nothing; ``reset()``
or ``seek()`` to an earlier iteration recovers.

Predictions. With a closed form the future is known: ``spectral_radius``
(ρ of the iteration matrix; the error grows by ρ per iteration when ρ > 1),
``stable`` (ρ < 1), ``divergence_expected_at`` and ``iterations_to`` (when the
parameters reach, for good, a tolerance of the optimum).
"""

from __future__ import annotations

import bisect
import math
import operator
import random
from collections.abc import Callable, Iterator
from typing import Final

import numpy as np

from core import neuron
from core.dataset import Dataset
from core.events import BackwardEvent, Event, ForwardEvent, UpdateEvent
from core.gradient_rules import GradientRule, gradient_rule
from core.history import LAST_ITERATION, Trajectory, kept_iterations
from core.linear import ClosedForm, Direction, first_where, last_where
from core.optimizers import LinearOptimizer, Optimizer, make_optimizer
from core.scaling import IDENTITY, Scaling
from core.surface import LossSurface
from core.timeline import ClosedForms, Coordinates, Point, Segment, Span
from core.types import Phase

RUNAWAY_FACTOR: Final = 1e6
"""Divergence is declared once the loss exceeds this multiple of its reference scale."""

LOSS_CEILING: Final = 1e250
"""No state with a larger loss is ever accepted (nor started from): below it, no sum
over samples in forward or backward can overflow, so the step path needs no
``numpy.errstate`` and no warning can arise."""

SETTLED: Final = 1e-9
"""A run whose next gradient step moves no parameter by more than this share of its size
(at least 1) has come to rest: it is not ``Trainer.oscillating``."""

HORIZON: Final = 2**62
"""Predictions look at most this many iterations ahead."""


class NoClosedFormError(ValueError):
    """A prediction was asked of a rule without a closed form (Adam, the published gradient):
    its future is unknown without running it."""


def check_learning_rate(value: float) -> float:
    """``value`` as a float if it is a finite number > 0, else a ValueError."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"learning rate must be a number, got {value!r}")
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"learning rate must be a number, got {value!r}") from None
    if not math.isfinite(rate) or rate <= 0.0:
        raise ValueError(f"learning rate must be a finite number > 0, got {value!r}")
    return rate


class Trainer:
    """One neuron, ``fahrenheit = weight × celsius + bias``, learning by gradient descent.

    ``dataset`` defaults to the tutorial's data. Initial parameters not given
    are the first two draws of ``random.Random(seed).random()`` (weight, then
    bias), so ``seed=0`` starts exactly where the tutorial's code starts after
    ``random.seed(0)``. ``seed=None`` draws a fresh seed from the operating
    system and keeps it in ``trainer.seed``, so any run can be repeated.

    ``optimizer`` is "gd" (the tutorial's), "momentum", "adam" or any other key
    of ``core.OPTIMIZERS``; ``learning_rate`` defaults to that optimizer's own
    (1e-4 for gd and momentum, 0.1 for Adam). ``gradient`` is "chain" or
    "published" (``core.gradient_rules``). ``standardize=True`` trains on
    standardised celsius (``core.scaling``): the events then carry the neuron's
    own numbers (the weight and bias of z), while ``weight``, ``bias``,
    ``history`` and ``surface`` stay in the original units.
    """

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        learning_rate: float | None = None,
        weight: float | None = None,
        bias: float | None = None,
        seed: int | None = None,
        optimizer: str = "gd",
        standardize: bool = False,
        gradient: str = "chain",
    ) -> None:
        if dataset is None:
            dataset = Dataset.tutorial()
        elif not isinstance(dataset, Dataset):
            raise TypeError(
                f"dataset must be a core.Dataset, e.g. Dataset(celsius, fahrenheit); "
                f"got {type(dataset).__name__}"
            )
        self.dataset: Final = dataset
        """The samples trained on, in their original units."""
        self.surface: Final = LossSurface.of(self.dataset)
        """The exact loss bowl of this data over the original (weight, bias): the
        optimum, and everything the panels show."""
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        self.seed: Final = _integer("seed", seed)
        """The seed the initial parameters were drawn with."""
        draws = random.Random(self.seed)
        drawn_weight, drawn_bias = draws.random(), draws.random()
        self.initial_weight: Final = _finite("weight", drawn_weight if weight is None else weight)
        """The untrained weight that ``reset()`` returns to."""
        self.initial_bias: Final = _finite("bias", drawn_bias if bias is None else bias)
        """The untrained bias that ``reset()`` returns to."""
        rule = make_optimizer(optimizer)
        rate = rule.default_learning_rate if learning_rate is None else learning_rate
        self._coordinates_by_scaling: dict[bool, Coordinates] = {}
        self._forms = ClosedForms()
        self._error = np.empty_like(dataset.celsius)
        """Scratch for output − fahrenheit, written by forward and read by backward."""
        self._output = self._error
        """The last forward pass's output (the published gradient multiplies by it)."""
        self._cache: dict[tuple[object, ...], int | None] = {}
        self._start_timeline(
            check_learning_rate(rate), rule, bool(standardize), gradient_rule(gradient)
        )

    def _coordinates(self, standardize: bool) -> Coordinates:
        """The data and bowl the neuron sees with or without standardised celsius."""
        coordinates = self._coordinates_by_scaling.get(standardize)
        if coordinates is None:
            if standardize:
                scaling = Scaling.standardizing(self.dataset)
                data = Dataset(scaling.inputs(self.dataset.celsius), self.dataset.fahrenheit)
                surface = LossSurface.of(data)
            else:
                scaling, data, surface = IDENTITY, self.dataset, self.surface
            coordinates = Coordinates(scaling, data, surface, neuron.jacobian(data.celsius))
            self._coordinates_by_scaling[standardize] = coordinates
        return coordinates

    # -- state ----------------------------------------------------------------

    def reset(self) -> None:
        """Return to the untrained parameters and iteration 0, with a new timeline.

        The learning rate, the optimizer, the input scaling and the gradient
        rule stay as they are; earlier segments are forgotten.
        """
        span = self._span
        self._start_timeline(
            span.segment.learning_rate, span.rule, span.segment.standardize, span.gradient
        )

    def _start_timeline(
        self, learning_rate: float, rule: Optimizer, standardize: bool, gradient: GradientRule
    ) -> None:
        coordinates = self._coordinates(standardize)
        weight, bias = coordinates.scaling.to_training(self.initial_weight, self.initial_bias)
        start = Point(0, weight, bias, None)
        segment = Segment(0, learning_rate, rule.name, standardize, gradient.name)
        self._span = Span(
            segment,
            start,
            rule,
            gradient,
            coordinates,
            memory_reset=True,
            forms=self._forms,
        )
        self._spans = [self._span]
        self._span_index = 0
        self._has_future = False
        """True after a seek back: later segments or checkpoints exist, to be dropped
        as soon as training goes on from here."""
        self._next_phase: Phase = "forward"
        self._backward: BackwardEvent | None = None
        self._cache.clear()
        self._take(start)
        untrained = self._loss
        self._untrained_loss = untrained
        scale = max(
            untrained if math.isfinite(untrained) else 0.0, self.surface.var_fahrenheit, 1.0
        )
        self._runaway_loss = min(RUNAWAY_FACTOR * scale, LOSS_CEILING)
        self._diverged_at: int | None = None if untrained <= LOSS_CEILING else 0
        self.history = Trajectory(self._row)
        """The run so far, on a fixed schedule of iterations (see ``core.history``)."""

    def _take(self, point: Point) -> None:
        """Make ``point`` (in the current segment's coordinates) the current state."""
        self._identity = self._span.coordinates.scaling.is_identity
        self._iteration = point.iteration
        self._train_weight, self._train_bias, self._memory = point.weight, point.bias, point.memory
        self._weight, self._bias = self._to_original(point.weight, point.bias)
        self._loss, self._grad_weight, self._grad_bias = self.surface.at(self._weight, self._bias)

    def _to_original(self, weight: float, bias: float) -> tuple[float, float]:
        if self._identity:
            return weight, bias
        return self._span.coordinates.scaling.to_original(weight, bias)

    def _row(self) -> tuple[float, ...]:
        """The history row of the current state (see ``core.history.COLUMNS``)."""
        return (
            self._iteration,
            self._weight,
            self._bias,
            self._loss,
            self._grad_weight,
            self._grad_bias,
        )

    @property
    def weight(self) -> float:
        """The current weight, in the original units (°F per °C), whatever the scaling."""
        return self._weight

    @property
    def bias(self) -> float:
        """The current bias, in the original units (°F), whatever the scaling."""
        return self._bias

    @property
    def loss(self) -> float:
        """The mean squared error at the current parameters (may be huge once diverged)."""
        return self._loss

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂loss/∂weight, ∂loss/∂bias) at the current parameters (the true derivatives,
        whatever ``gradient_rule`` trains with)."""
        return self.surface.gradient(self._weight, self._bias)

    @property
    def distance(self) -> tuple[float, float]:
        """How far (weight, bias) still are from the optimum: (w* − w, b* − b).

        For a teacher's sentence: ``distance[1]`` is how many °F the bias is short.
        """
        surface = self.surface
        return surface.optimum_weight - self._weight, surface.optimum_bias - self._bias

    @property
    def progress(self) -> tuple[float, float]:
        """The share of each parameter's initial distance to the optimum already covered.

        1.0 means arrived; 0.0 means no closer than untrained; negative means
        further away (as when overshooting or diverging). A parameter that
        started at the optimum (to 1e-12 relative) counts as arrived.
        """
        surface = self.surface
        shares = []
        for now, start, goal in (
            (self._weight, self.initial_weight, surface.optimum_weight),
            (self._bias, self.initial_bias, surface.optimum_bias),
        ):
            initial = abs(goal - start)
            arrived = initial <= 1e-12 * max(1.0, abs(goal))
            shares.append(1.0 if arrived else 1.0 - abs(goal - now) / initial)
        return shares[0], shares[1]

    @property
    def iteration(self) -> int:
        """How many iterations have completed (0 before training)."""
        return self._iteration

    @property
    def next_phase(self) -> Phase:
        """The phase the next ``step()`` will perform."""
        return self._next_phase

    @property
    def diverged(self) -> bool:
        """True once training has run away; nothing advances until ``reset()`` or a seek back."""
        return self._diverged_at is not None

    @property
    def diverged_at(self) -> int | None:
        """The iteration at which divergence was declared.

        0 means training could not start (see ``cannot_start``).
        """
        return self._diverged_at

    @property
    def cannot_start(self) -> str | None:
        """Why training cannot start at all, in one sentence, or None if it can.

        Then ``diverged_at`` is 0 and no learning rate helps (so ``reset()``
        does not either): the untrained loss itself is beyond what training
        can handle.
        """
        if self._diverged_at != 0:
            return None
        loss = self._untrained_loss
        size = "overflows" if not math.isfinite(loss) else f"is {loss:.3g}"
        return (
            f"training cannot start: the untrained loss {size} (weight {self.initial_weight:g}, "
            f"bias {self.initial_bias:g}), beyond {LOSS_CEILING:g}, where a training step's "
            "sums would overflow; start from a smaller weight or bias"
        )

    # -- settings: each change starts a segment -------------------------------

    @property
    def learning_rate(self) -> float:
        """The step size of the next update; must be a finite number > 0."""
        return self._span.segment.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._change(learning_rate=check_learning_rate(value))

    @property
    def optimizer(self) -> str:
        """The name of the update rule in use (a key of ``core.OPTIMIZERS``).

        Setting it keeps the parameters and the learning rate; the new rule
        starts with no memory.
        """
        return self._span.rule.name

    @optimizer.setter
    def optimizer(self, name: str) -> None:
        if name != self.optimizer:
            self._change(rule=make_optimizer(name))

    @property
    def gradient_rule(self) -> str:
        """The backward pass in use: "chain" or "published" (a key of ``core.GRADIENT_RULES``).

        Setting it finishes an iteration in progress first; the optimizer keeps its memory.
        """
        return self._span.gradient.name

    @gradient_rule.setter
    def gradient_rule(self, name: str) -> None:
        rule = gradient_rule(name)
        if rule is not self._span.gradient:
            self._finish_iteration()
            self._change(gradient=rule)

    @property
    def standardize(self) -> bool:
        """True while training on standardised celsius (zero mean, unit variance).

        Setting it keeps the neuron's predictions: the current parameters are
        carried into the new coordinates (an iteration in progress is finished
        first) and the optimizer's memory is cleared.
        """
        return self._span.segment.standardize

    @standardize.setter
    def standardize(self, value: bool) -> None:
        if bool(value) != self.standardize:
            self._finish_iteration()
            self._change(standardize=bool(value))

    def _finish_iteration(self) -> None:
        while self._next_phase != "forward" and not self.diverged:
            self.step()

    def _change(
        self,
        *,
        learning_rate: float | None = None,
        rule: Optimizer | None = None,
        standardize: bool | None = None,
        gradient: GradientRule | None = None,
    ) -> None:
        """Train on from the current iteration with other settings: a new segment.

        The segment starts at the current iteration, so the next update uses
        it. If the current segment has made no update yet it is replaced (or,
        if that restores the settings before it, merged back into them).
        """
        span = self._span
        old = span.segment
        new_rule = span.rule if rule is None else rule
        new_gradient = span.gradient if gradient is None else gradient
        segment = Segment(
            start=self._iteration,
            learning_rate=old.learning_rate if learning_rate is None else learning_rate,
            optimizer=new_rule.name,
            standardize=old.standardize if standardize is None else standardize,
            gradient_rule=new_gradient.name,
        )
        if segment == old:
            return
        self._drop_future()
        reset = rule is not None or segment.standardize != old.standardize
        coordinates = self._coordinates(segment.standardize)
        weight, bias = self._train_weight, self._train_bias
        if segment.standardize != old.standardize:
            weight, bias = coordinates.scaling.to_training(self._weight, self._bias)
        start = Point(self._iteration, weight, bias, None if reset else self._memory)
        index = self._span_index
        if old.start == self._iteration:  # it governed no update: replace it
            reset = reset or span.memory_reset
            before = self._spans[index - 1] if index else None
            if before is not None and before.segment.same_settings(segment) and not reset:
                del self._spans[index]
                self._span_index = index - 1
                self._span = before
                self._take(start)
                self._cache.clear()
                return
            del self._spans[index]
            index -= 1
        self._span = Span(
            segment,
            start,
            new_rule,
            new_gradient,
            coordinates,
            memory_reset=reset,
            forms=self._forms,
        )
        self._spans.append(self._span)
        self._span_index = index + 1
        self._take(start)
        self._cache.clear()

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The run's timeline: where each setting took over, oldest first.

        After a seek back, segments beyond the current iteration remain (a seek
        forward follows them again) until training goes on from here, which
        drops them, like an undo history.
        """
        return tuple(span.segment for span in self._spans)

    @property
    def segment(self) -> Segment:
        """The segment in force at the current iteration."""
        return self._span.segment

    def segment_at(self, iteration: int) -> Segment:
        """The segment whose settings made iteration ``iteration`` (the last one starting
        before it; the first for iteration 0): how a history row is labelled."""
        starts = [span.segment.start for span in self._spans]
        index = max(0, bisect.bisect_left(starts, _whole("iteration", iteration)) - 1)
        return self._spans[index].segment

    # -- input scaling --------------------------------------------------------

    @property
    def scaling(self) -> Scaling:
        """How the training coordinates relate to the original ones."""
        return self._span.coordinates.scaling

    @property
    def training_data(self) -> Dataset:
        """The samples as the neuron sees them: celsius standardised when ``standardize``."""
        return self._span.coordinates.data

    @property
    def training_surface(self) -> LossSurface:
        """The bowl gradient descent walks: its curvature sets the stable learning rates.

        The same as ``surface`` unless ``standardize`` is on.
        """
        return self._span.coordinates.surface

    @property
    def max_stable_learning_rate(self) -> float:
        """The largest learning rate that converges, for this optimizer, scaling and rule.

        2/λ_max of the training surface for gradient descent; 2(1 + β)/λ_max
        with momentum; infinite for Adam, whose steps the curvature does not
        scale. Under the published gradient, λ_max is that of its
        linearisation at the optimum: the limit near the end of training.
        """
        span = self._span
        return span.rule.max_stable_learning_rate(span.gradient.curvature(self.training_surface))

    @property
    def training_parameters(self) -> tuple[float, float]:
        """(weight, bias) as the neuron multiplies them: of z when standardised."""
        return self._train_weight, self._train_bias

    # -- the step generator ---------------------------------------------------

    def steps(self) -> Iterator[Event]:
        """Yield one event per phase, forward → backward → update, while pulled.

        The generator ends if training diverges. After ``seek`` or ``run`` it
        goes on from the trainer's new state, at the forward phase.
        """
        step = self.step
        while (event := step()) is not None:
            yield event

    def step(self) -> Event | None:
        """Perform the next phase and return its event (None once diverged)."""
        if self._diverged_at is not None:
            return None
        # No errstate needed: every accepted state has a loss below LOSS_CEILING.
        phase = self._next_phase
        event: Event
        if phase == "forward":
            event = self._run_forward()
            self._next_phase = "backward"
        elif phase == "backward":
            event = self._run_backward()
            self._next_phase = "update"
        else:
            event = self._run_update()
            self._next_phase = "forward"
        return event

    def _run_forward(self) -> ForwardEvent:
        data = self._span.coordinates.data
        weight, bias = self._train_weight, self._train_bias
        output, loss = neuron.forward_into(data.celsius, data.fahrenheit, weight, bias, self._error)
        output.setflags(write=False)
        self._output = output
        return ForwardEvent(self._iteration + 1, weight, bias, output, loss)

    def _run_backward(self) -> BackwardEvent:
        span = self._span
        grad_output, grad_weight, grad_bias = span.gradient.from_error(
            span.coordinates.jacobian, self._error, self._output
        )
        grad_output.setflags(write=False)
        # Kept until the next backward pass, not just until the update: on large
        # data, releasing it every iteration lets glibc hand the memory back to
        # the system and fault it in again (a page fault per 4 KiB).
        self._backward = BackwardEvent(
            self._iteration + 1, grad_output, grad_weight, grad_bias, gradient=span.gradient.name
        )
        return self._backward

    def _run_update(self) -> UpdateEvent:
        if self._has_future:
            self._drop_future()
        backward = self._backward
        assert backward is not None
        span = self._span
        learning_rate = span.segment.learning_rate
        previous_weight, previous_bias = self._train_weight, self._train_bias
        weight, bias, state = span.rule.step(
            previous_weight,
            previous_bias,
            backward.grad_weight,
            backward.grad_bias,
            learning_rate,
            self._memory,
        )
        iteration = self._iteration + 1
        self._adopt(iteration, weight, bias)
        if self._iteration == iteration:  # adopted: its memory too
            self._memory = state
            if not span.linear and iteration % span.spacing == 0:
                span.checkpoint(Point(iteration, weight, bias, state))
        return UpdateEvent(
            iteration=iteration,
            learning_rate=learning_rate,
            optimizer=span.rule.name,
            grad_weight=backward.grad_weight,
            grad_bias=backward.grad_bias,
            previous_weight=previous_weight,
            previous_bias=previous_bias,
            weight=self._train_weight,
            bias=self._train_bias,
            loss=self._loss,
            diverged=self._diverged_at is not None,
            state=state,
        )

    # -- the one divergence rule ----------------------------------------------

    def _runs_away(self, loss: float) -> bool:
        """The divergence rule, for every path: the loss at an update's parameters is not
        finite or has run away (NaN compares false, so it runs away too)."""
        return not loss <= self._runaway_loss

    def _adopt(self, iteration: int, weight: float, bias: float) -> bool:
        """Judge one update (training parameters) and make it the current state.

        Divergence keeps the update's parameters for display if they are finite,
        and otherwise the last finite ones. Returns False once diverged. The
        caller sets the optimizer's memory; the history keeps the row if the
        schedule does (its latest row is the current state, read when asked).
        """
        if self._identity:
            original_weight, original_bias = weight, bias
        else:
            original_weight, original_bias = self._span.coordinates.scaling.to_original(
                weight, bias
            )
        loss, grad_weight, grad_bias = self.surface.at(original_weight, original_bias)
        if self._runs_away(loss):
            self._diverged_at = iteration
            if not (math.isfinite(original_weight) and math.isfinite(original_bias)):
                return False
        self._iteration = iteration
        self._train_weight, self._train_bias = weight, bias
        self._weight, self._bias, self._loss = original_weight, original_bias, loss
        self._grad_weight, self._grad_bias = grad_weight, grad_bias
        history = self.history
        if iteration == history.next_due:
            row = (iteration, original_weight, original_bias, loss, grad_weight, grad_bias)
            history.append(iteration, row)
        return self._diverged_at is None

    # -- whole iterations, fast -----------------------------------------------

    def run(self, n: int) -> int:
        """Perform ``n`` whole iterations without yielding; return how many completed.

        An iteration in progress (after a ``step()`` to forward or backward) is
        finished first and not counted in ``n``. Fewer than ``n`` complete only
        if training diverges. The numbers equal pulling the same iterations
        through ``steps()`` up to rounding (1e-9 relative), and ``run(a)``
        then ``run(b)`` equals ``run(a + b)``.
        """
        n = _whole("iterations", n)
        in_progress = self._next_phase != "forward"  # finishing it counts one more
        _within_limit(
            f"run({n}) from iteration {self._iteration}", self._iteration + in_progress + n
        )
        self._finish_iteration()
        self._drop_future()
        start = self._iteration
        self._advance(start + n, along_timeline=False)
        return self._iteration - start

    def seek(self, iteration: int) -> int:
        """Go to ``iteration``, back or forward, and return the iteration reached.

        The state is exactly the one training to it gives (up to rounding),
        with the settings that were in force there: going back across a change
        restores the earlier settings, and a seek forward follows the recorded
        segments (then trains on with the last one). Going forward stops early
        only at divergence. The step generator continues from here at the
        forward phase; the history ends here. Training on (``step``, ``run``,
        a settings change) drops the segments after this iteration.
        """
        target = _within_limit(f"seek({iteration})", _whole("iteration", iteration))
        if target > self._iteration or (
            target == self._iteration and self._next_phase == "forward"
        ):
            self._next_phase, self._backward = "forward", None
            self._advance(target, along_timeline=True)
            return self._iteration
        starts = [span.segment.start for span in self._spans]
        index = bisect.bisect_right(starts, target) - 1
        self._span_index, self._span = index, self._spans[index]
        self._take(self._point_at(self._span, target))
        self._diverged_at = None if self._untrained_loss <= LOSS_CEILING else 0
        self._next_phase, self._backward = "forward", None
        self._has_future = True
        self._cache.clear()
        self.history.truncate(target)
        return target

    def _point_at(self, span: Span, iteration: int) -> Point:
        """The state at ``iteration`` of ``span``: by closed form, or replayed from a checkpoint."""
        form = span.closed_form
        if form is not None:
            return self._closed_form_point(span, form, iteration)
        point = span.nearest_checkpoint(iteration)
        surface, gradient = span.coordinates.surface, span.gradient.on_surface
        stepper = span.rule.stepper(span.segment.learning_rate, point.memory)
        weight, bias = point.weight, point.bias
        for _ in range(iteration - point.iteration):
            grad_weight, grad_bias = gradient(surface, weight, bias)
            weight, bias = stepper(weight, bias, grad_weight, grad_bias)
        return Point(iteration, weight, bias, stepper.memory())

    def _closed_form_point(self, span: Span, form: ClosedForm, iteration: int) -> Point:
        rule = span.rule
        assert isinstance(rule, LinearOptimizer)
        if iteration == span.start.iteration:
            return span.start
        modes = form.advance(span.origin, iteration - span.start.iteration)
        weight, bias = form.parameters(span.origin, modes)
        if form.memoryless:
            return Point(iteration, weight, bias, rule.remember((0.0, 0.0), (0.0, 0.0)))
        before = form.advance(span.origin, iteration - 1 - span.start.iteration)
        memory = rule.remember(form.velocity(before), form.velocity(modes))
        return Point(iteration, weight, bias, memory)

    def _drop_future(self) -> None:
        """Training goes on from here: forget the segments and checkpoints beyond it."""
        if self._has_future:
            del self._spans[self._span_index + 1 :]
            self._span.forget_after(self._iteration)
            self._has_future = False

    def _advance(self, target: int, *, along_timeline: bool) -> None:
        """Train on to ``target`` (or divergence), following the recorded segments if asked."""
        while self._diverged_at is None:
            following = self._span_index + 1 < len(self._spans) and along_timeline
            if following and self._spans[self._span_index + 1].segment.start <= self._iteration:
                self._span_index += 1
                self._span = self._spans[self._span_index]
                self._take(self._span.start)
                continue
            if self._iteration >= target:
                break
            end = target
            if following:
                end = min(target, self._spans[self._span_index + 1].segment.start)
            form = self._span.closed_form
            if form is not None:
                self._jump(form, end)
            else:
                self._loop(end)
        self._cache.clear()

    def _loop(self, end: int) -> None:
        """Rules without a closed form: one update at a time in plain floats, the gradient
        from the surface's moments (O(1) per iteration whatever the number of samples)."""
        span = self._span
        surface, gradient = span.coordinates.surface, span.gradient.on_surface
        stepper = span.rule.stepper(span.segment.learning_rate, self._memory)
        adopt = self._adopt
        weight, bias = self._train_weight, self._train_bias
        for iteration in range(self._iteration + 1, end + 1):
            grad_weight, grad_bias = gradient(surface, weight, bias)
            weight, bias = stepper(weight, bias, grad_weight, grad_bias)
            if not adopt(iteration, weight, bias):
                break
            if iteration % span.spacing == 0:
                span.checkpoint(Point(iteration, weight, bias, stepper.memory()))
        self._memory = stepper.memory()

    def _jump(self, form: ClosedForm, end: int) -> None:
        """Linear rules: straight to ``end`` in closed form, with the history's rows on the
        way, stopping at the first iteration the divergence rule refuses."""
        span = self._span
        now = self._iteration
        if form.memoryless and form.spectral_radius <= 1.0:
            # Gradient descent with ρ ≤ 1 shrinks (or keeps) the error along every direction
            # each iteration, so the loss never rises: from a healthy state nothing runs away.
            runaway = None
        else:
            runaway = first_where(
                now, end, self._may_run_away(span, form), self._ran_away_at(span, form)
            )
        last = end if runaway is None else runaway
        point = self._closed_form_point(span, form, last)
        if runaway is not None:
            self._diverged_at = runaway
            weight, bias = self._to_original(point.weight, point.bias)
            if not (math.isfinite(weight) and math.isfinite(bias)):
                last -= 1
                point = self._closed_form_point(span, form, last)
        if last == now:
            return
        kept = kept_iterations(now, last)
        if kept.size:
            with np.errstate(over="ignore", invalid="ignore"):
                weights, biases = form.advance_many(span.origin, kept - span.start.iteration)
                if not self._identity:
                    weights, biases = span.coordinates.scaling.arrays_to_original(weights, biases)
                losses, grad_weights, grad_biases = self.surface.at(weights, biases)
            self.history.extend(kept, weights, biases, losses, grad_weights, grad_biases)
        self._take(point)

    def _canonical(self, span: Span, form: ClosedForm, iteration: int) -> tuple[float, float]:
        """Original (weight, bias) at ``iteration`` of a linear segment, in closed form."""
        modes = form.advance(span.origin, iteration - span.start.iteration)
        weight, bias = form.parameters(span.origin, modes)
        scaling = span.coordinates.scaling
        return (weight, bias) if scaling.is_identity else scaling.to_original(weight, bias)

    def _may_run_away(self, span: Span, form: ClosedForm) -> Callable[[int, int], bool]:
        """For ``first_where``: could the loss run away somewhere in (a, b]?"""
        curvatures = [direction.curvature for direction in form.directions]

        def may(a: int, b: int) -> bool:
            modes = form.advance(span.origin, a - span.start.iteration)
            reach = form.reach(modes, 1, b - a)
            # loss = r + ½ Σ λᵢ zᵢ², at most this anywhere in the window
            most = form.minimum_loss + 0.5 * sum(
                lam * z * z for lam, z in zip(curvatures, reach, strict=True)
            )
            return self._runs_away(most)

        return may

    def _ran_away_at(self, span: Span, form: ClosedForm) -> Callable[[int], bool]:
        """For ``first_where``: does the divergence rule refuse iteration k?"""

        def ran_away(k: int) -> bool:
            return self._runs_away(self.surface.at(*self._canonical(span, form, k))[0])

        return ran_away

    # -- predictions (closed forms only) --------------------------------------

    @property
    def has_closed_form(self) -> bool:
        """True if the current settings have a closed form (gradient descent or momentum with
        the chain rule): then the predictions below are defined."""
        return self._span.linear

    @property
    def directions(self) -> tuple[Direction, Direction] | None:
        """The Hessian's two eigenvectors (training coordinates), each with its curvature and
        per-iteration factor, flattest first; None without a closed form.

        A direction whose ``stalled`` is true makes no progress in floating point
        (ρ = 1 there: "no progress in this direction").
        """
        form = self._span.closed_form
        return None if form is None else form.directions

    @property
    def spectral_radius(self) -> float | None:
        """ρ of the iteration matrix for the current optimizer, learning rate and scaling.

        Per iteration the error shrinks (ρ < 1) or grows (ρ > 1) by about ρ, the
        loss by ρ². None without a closed form (Adam, the published gradient).
        """
        form = self._span.closed_form
        return None if form is None else form.spectral_radius

    @property
    def stable(self) -> bool:
        """ρ < 1: training converges. Without a closed form: not diverged so far, and not
        ``oscillating``."""
        radius = self.spectral_radius
        if radius is None:
            return not self.diverged and not self.oscillating
        return radius < 1.0

    @property
    def oscillating(self) -> bool:
        """The run neither converges nor diverges: it goes round for ever.

        Only a rule without a closed form can (the published gradient, whose
        update is not linear): above its stable limit, which is local (that
        of its linearisation at the optimum, ``max_stable_learning_rate``),
        the optimum repels the run, yet the nonlinearity can keep it bounded,
        so the loss neither settles nor runs away. True when, with such a rule
        at a rate above its limit, the run has started, has not diverged, and
        its next update would still move a parameter by more than ``SETTLED``
        of its size: it has not come to rest anywhere. A linear rule above its
        limit diverges instead (``stable`` is False from the start).
        """
        span = self._span
        if span.linear or self._diverged_at is not None or self._iteration == 0:
            return False
        rate = span.segment.learning_rate
        if not rate > self.max_stable_learning_rate:
            return False
        weight, bias = self._train_weight, self._train_bias
        grad_weight, grad_bias = span.gradient.on_surface(span.coordinates.surface, weight, bias)
        return any(
            abs(rate * gradient) > SETTLED * max(abs(value), 1.0)
            for gradient, value in ((grad_weight, weight), (grad_bias, bias))
        )

    @property
    def prediction_digits(self) -> int | None:
        """How many significant digits of ``divergence_expected_at`` and ``iterations_to`` the
        rate's own rounding supports; None if all of them (or without a closed form).

        Both counts are about ln(distance ratio) / ln ρ. Near the stable limit ρ is
        within a hair of 1, and the half-ulp by which the float rate may differ from
        the rate meant moves ln ρ, and so the count, by a share u = |d ln ρ/d ln η|
        × 2⁻⁵³ / |ln ρ|: at the limit × (1 + 1e-12), u ≈ 2e-4, and the count
        3,779,995,142,522 is 3,780,263,940,782 in exact arithmetic. The digits are
        those above u (at least 1).
        """
        span = self._span
        form = span.closed_form
        if form is None:
            return None
        key = ("digits", id(span))
        if key not in self._cache:
            rate, rule = span.segment.learning_rate, span.rule
            assert isinstance(rule, LinearOptimizer)
            step = 1e-6
            nearby = ClosedForm(span.coordinates.surface, rate * (1.0 + step), rule)
            digits: int | None = None
            # ρ = 0 (standardised gradient descent at lr 0.5: one step lands on the optimum)
            # predicts exactly; so does ρ = 1, which never arrives nor diverges.
            rho, nearby_rho = form.spectral_radius, nearby.spectral_radius
            log_rho = math.log(rho) if rho > 0.0 and nearby_rho > 0.0 else 0.0
            if log_rho != 0.0:
                slope = abs(math.log(nearby_rho) - log_rho) / step
                share = slope * 2.0**-53 / abs(log_rho)
                if share > 1e-15:
                    digits = max(1, math.floor(-math.log10(share)))
            self._remember(key, digits)
        return self._cache[key]

    @property
    def divergence_expected_at(self) -> int | None:
        """The iteration at which divergence will be declared if training goes on with the
        current settings; None if never (and always None without a closed form).

        Found from the closed form without stepping; ``run`` then declares
        divergence at exactly this iteration.
        """
        if self._diverged_at is not None:
            return self._diverged_at
        span = self._span
        form = span.closed_form
        if form is None:
            return None
        key = ("divergence", id(span), self._iteration)
        if key not in self._cache:
            now = self._iteration
            self._remember(
                key,
                first_where(
                    now,
                    min(now + HORIZON, LAST_ITERATION),
                    self._may_run_away(span, form),
                    self._ran_away_at(span, form),
                ),
            )
        return self._cache[key]

    def iterations_to(
        self, weight_tolerance: float = 1e-3, bias_tolerance: float = 1e-2
    ) -> int | None:
        """The iteration from which |w − w*| < weight_tolerance and |b − b*| < bias_tolerance
        hold for good, if training goes on with the current settings.

        An absolute iteration number, as ``iteration`` counts (never less than
        the current one). "For good" means after the last violation, not the
        first touch: momentum can enter the tolerance and leave it again.
        Computed from the closed form without stepping. None if it never
        happens (an unstable rate, diverged, or a stalled direction that keeps
        the error beyond the tolerance), and None when a tolerance is not above
        ``resolution``: float64 cannot resolve it at this rate (stepping stalls
        short of it, and the closed form's answer would promise what no run
        shows). Raises ``NoClosedFormError`` for
        Adam and the published gradient, whose future is unknown without
        running it (check ``has_closed_form`` first).
        """
        tolerances = (
            _positive("weight_tolerance", weight_tolerance),
            _positive("bias_tolerance", bias_tolerance),
        )
        span = self._span
        form = span.closed_form
        if form is None:
            raise NoClosedFormError(
                f"{span.rule.title} with {span.gradient.title} has no closed form: "
                "the iterations to a tolerance are unknown without running it"
            )
        if self._diverged_at is not None or form.spectral_radius > 1.0:
            return None
        if any(t <= floor for t, floor in zip(tolerances, self.resolution or (), strict=True)):
            return None
        key = ("tolerance", id(span), self._iteration, *tolerances)
        if key not in self._cache:
            self._remember(key, self._iterations_to(span, form, tolerances))
        return self._cache[key]

    @property
    def resolution(self) -> tuple[float, float] | None:
        """The smallest distances to the optimum, (weight, bias) in the original units, that
        float64 resolves at the current settings; None without a closed form.

        An update moves a parameter by η × its gradient; once that falls below half
        an ulp of the parameter, stepping stalls, however long it goes on. Along
        the flattest direction (the smallest η·λ, grown by 1/(1 − β) with momentum,
        whose velocity builds up to that many gradients) that happens at a distance
        of about ulp(p*)/(2·η·λ): 1.8e-11 for the tutorial's bias at lr 1e-4, where
        stepping stalls at 8.9e-12. ``iterations_to`` returns None for a tolerance
        not above this (issue 23: it promised |b − 32| < 1e-12 at 155,397, which
        float64 cannot deliver).
        """
        span = self._span
        form = span.closed_form
        if form is None:
            return None
        assert isinstance(span.rule, LinearOptimizer)
        speed = min(d.curvature for d in form.directions) * span.segment.learning_rate
        speed = min(speed / (1.0 - span.rule.beta), 1.0)
        scaling = span.coordinates.scaling
        optimum = span.coordinates.surface
        half_ulps = (
            0.5 * math.ulp(optimum.optimum_weight),
            0.5 * math.ulp(optimum.optimum_bias),
        )
        surface = self.surface
        weight_floor = max(0.5 * math.ulp(surface.optimum_weight), half_ulps[0] / scaling.scale)
        bias_floor = max(
            0.5 * math.ulp(surface.optimum_bias),
            half_ulps[1] + abs(scaling.shift / scaling.scale) * half_ulps[0],
        )
        if speed <= 0.0:
            return math.inf, math.inf
        return weight_floor / speed, bias_floor / speed

    def _iterations_to(
        self, span: Span, form: ClosedForm, tolerances: tuple[float, float]
    ) -> int | None:
        surface = self.surface
        optimum = (surface.optimum_weight, surface.optimum_bias)
        # How a unit error along each direction shows in the original (weight, bias).
        scaling = span.coordinates.scaling
        mixes = [
            (q[0] / scaling.scale, q[1] - q[0] * scaling.shift / scaling.scale)
            for q in (d.vector for d in form.directions)
        ]

        def violated(k: int) -> bool:
            weight, bias = self._canonical(span, form, k)
            return not (
                abs(weight - optimum[0]) < tolerances[0] and abs(bias - optimum[1]) < tolerances[1]
            )

        def may_violate(a: int, last: int | None) -> bool:
            modes = form.advance(span.origin, a - span.start.iteration)
            reach = form.reach(modes, 1, last)
            for axis in (0, 1):
                most = sum(abs(mix[axis]) * z for mix, z in zip(mixes, reach, strict=True))
                if not most < tolerances[axis]:
                    return True
            return False

        now = self._iteration
        horizon, ahead = now, 1
        while may_violate(horizon, None):
            if ahead > HORIZON or horizon == LAST_ITERATION:
                return None  # a direction that never gets there
            horizon, ahead = min(now + ahead, LAST_ITERATION), 2 * ahead
        last = last_where(now, horizon, lambda a, b: may_violate(a, b - a), violated)
        if last is not None:
            return last + 1
        return now + 1 if violated(now) else now

    def _remember(self, key: tuple[object, ...], value: int | None) -> None:
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[key] = value

    def __repr__(self) -> str:
        return (
            f"Trainer(iteration={self._iteration}, weight={self._weight:.6g}, "
            f"bias={self._bias:.6g}, loss={self._loss:.6g}, "
            f"learning_rate={self.learning_rate:g}, seed={self.seed})"
        )


def _whole(name: str, value: int) -> int:
    """``value`` as an int ≥ 0 (a Python or numpy integer, not a bool), else a ValueError."""
    number = _integer(name, value)
    if number < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return number


def _within_limit(request: str, iteration: int) -> int:
    """``iteration`` if a run can reach it, else a ValueError naming the limit."""
    if iteration > LAST_ITERATION:
        raise ValueError(
            f"{request} would pass the last iteration a run can reach, 2**63 - 1 "
            "(iterations are counted in 64 bits; a stable run is on the optimum long before)"
        )
    return iteration


def _integer(name: str, value: int) -> int:
    """``value`` as an int (a Python or numpy integer, not a bool), else a ValueError."""
    message = f"{name} must be a whole number >= 0, got {value!r}"
    if name == "seed":
        message = f"seed must be an integer, got {value!r}"
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(message)
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(message) from None


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _positive(name: str, value: float) -> float:
    number = _finite(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number
