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

Divergence is judged by one rule on every path, and the run's state, history and
moves along the timeline are a ``Position`` (``core.position``). With a closed
form the future is known without stepping: ``spectral_radius``, ``stable``,
``divergence_expected_at``, ``iterations_to`` (``core.predictions``).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from typing import Final

import numpy as np

from core import neuron, predictions
from core.arguments import check_learning_rate as check_learning_rate
from core.arguments import finite, integer, positive, whole, within_limit
from core.dataset import Dataset
from core.events import BackwardEvent, Event, ForwardEvent, UpdateEvent
from core.gradient_rules import gradient_rule
from core.history import Trajectory
from core.linear import Direction
from core.optimizers import make_optimizer
from core.position import RUNAWAY_FACTOR as RUNAWAY_FACTOR
from core.position import Position
from core.predictions import Forecast
from core.predictions import NoClosedFormError as NoClosedFormError
from core.scaling import Scaling
from core.surface import LossSurface
from core.timeline import Segment, Span, Timeline
from core.types import Phase


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
        self.seed: Final = integer("seed", seed)
        """The seed the initial parameters were drawn with."""
        draws = random.Random(self.seed)
        drawn_weight, drawn_bias = draws.random(), draws.random()
        self.initial_weight: Final = finite("weight", drawn_weight if weight is None else weight)
        """The untrained weight that ``reset()`` returns to."""
        self.initial_bias: Final = finite("bias", drawn_bias if bias is None else bias)
        """The untrained bias that ``reset()`` returns to."""
        rule = make_optimizer(optimizer)
        rate = check_learning_rate(
            rule.default_learning_rate if learning_rate is None else learning_rate
        )
        self._error = np.empty_like(dataset.celsius)
        """Scratch for output − fahrenheit, written by forward and read by backward."""
        self._output = self._error
        """The last forward pass's output (the published gradient multiplies by it)."""
        backward = gradient_rule(gradient)
        first = Segment(0, rate, rule.name, bool(standardize), backward.name)
        initial = self.initial_weight, self.initial_bias
        self._timeline = Timeline(dataset, self.surface, first, rule, backward, *initial)
        self._start()

    @property
    def _span(self) -> Span:
        """The segment in force at the current iteration, with what revisiting it needs (the
        step path reads ``_timeline.current`` itself: a property costs a call per phase)."""
        return self._timeline.current

    # -- state ----------------------------------------------------------------

    def reset(self) -> None:
        """Return to the untrained parameters and iteration 0, with a new timeline.

        The learning rate, the optimizer, the input scaling and the gradient
        rule stay as they are; earlier segments are forgotten.
        """
        span = self._span
        initial = self.initial_weight, self.initial_bias
        first = dataclasses.replace(span.segment, start=0)  # the settings now, from iteration 0
        self._timeline.restart(first, span.rule, span.gradient, *initial)
        self._start()

    def _start(self) -> None:
        """Iteration 0 of the timeline, at the forward phase."""
        self._position = Position(self.surface, self._timeline)
        self._forecast = Forecast(self._position)
        self._next_phase: Phase = "forward"
        self._last_backward: BackwardEvent | None = None

    @property
    def history(self) -> Trajectory:
        """The run so far, on a fixed schedule of iterations (see ``core.history``)."""
        return self._position.history

    @property
    def weight(self) -> float:
        """The current weight, in the original units (°F per °C), whatever the scaling."""
        return self._position.weight

    @property
    def bias(self) -> float:
        """The current bias, in the original units (°F), whatever the scaling."""
        return self._position.bias

    @property
    def loss(self) -> float:
        """The mean squared error at the current parameters (may be huge once diverged)."""
        return self._position.loss

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂loss/∂weight, ∂loss/∂bias) at the current parameters (the true derivatives,
        whatever ``gradient_rule`` trains with)."""
        return self.surface.gradient(self._position.weight, self._position.bias)

    @property
    def distance(self) -> tuple[float, float]:
        """How far (weight, bias) still are from the optimum: (w* − w, b* − b).

        For a teacher's sentence: ``distance[1]`` is how many °F the bias is short.
        """
        surface = self.surface
        return (
            surface.optimum_weight - self._position.weight,
            surface.optimum_bias - self._position.bias,
        )

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
            (self._position.weight, self.initial_weight, surface.optimum_weight),
            (self._position.bias, self.initial_bias, surface.optimum_bias),
        ):
            initial = abs(goal - start)
            arrived = initial <= 1e-12 * max(1.0, abs(goal))
            shares.append(1.0 if arrived else 1.0 - abs(goal - now) / initial)
        return shares[0], shares[1]

    @property
    def iteration(self) -> int:
        """How many iterations have completed (0 before training)."""
        return self._position.iteration

    @property
    def next_phase(self) -> Phase:
        """The phase the next ``step()`` will perform."""
        return self._next_phase

    @property
    def diverged(self) -> bool:
        """True once training has run away; nothing advances until ``reset()`` or a seek back."""
        return self._position.diverged_at is not None

    @property
    def diverged_at(self) -> int | None:
        """The iteration at which divergence was declared.

        0 means training could not start (see ``cannot_start``).
        """
        return self._position.diverged_at

    @property
    def cannot_start(self) -> str | None:
        """Why training cannot start at all, in one sentence, or None if it can.

        Then ``diverged_at`` is 0 and no learning rate helps (so ``reset()``
        does not either): the untrained loss itself is beyond what training
        can handle.
        """
        return self._position.cannot_start(self.initial_weight, self.initial_bias)

    def set_parameters(self, weight: float, bias: float) -> None:
        """Put the weight and bias (original units) where you like, at the current iteration,
        as the tutorial's thought experiment does ("what if the weight were 0.9?").

        Training goes on from there with the same settings: a new segment starts here
        (``core.timeline``), so ``seek`` back and forth, ``run``'s closed form and an
        export reproduce the run moved by hand. The optimizer's memory (momentum's
        velocity, Adam's moments) is cleared; an iteration in progress is abandoned; a
        divergence is lifted. ValueError if a value is not finite, or if the loss there is
        one the divergence rule refuses.
        """
        weight, bias = finite("weight", weight), finite("bias", bias)
        self._position.set_parameters(weight, bias)
        self._next_phase, self._last_backward = "forward", None

    # -- settings: each change starts a segment -------------------------------

    @property
    def learning_rate(self) -> float:
        """The step size of the next update; must be a finite number > 0."""
        return self._span.segment.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._position.change(learning_rate=check_learning_rate(value))

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
            self._position.change(rule=make_optimizer(name))

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
            self._position.change(gradient=rule)

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
            self._position.change(standardize=bool(value))

    def _finish_iteration(self) -> None:
        while self._next_phase != "forward" and not self.diverged:
            self.step()

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The run's timeline: where each setting took over, oldest first (after a seek back,
        the later ones too, until training goes on: see ``core.timeline.Timeline``)."""
        return self._timeline.segments

    @property
    def segment(self) -> Segment:
        """The segment in force at the current iteration."""
        return self._span.segment

    def segment_at(self, iteration: int) -> Segment:
        """The segment whose settings made iteration ``iteration`` (the last one starting
        before it; the first for iteration 0): how a history row is labelled."""
        return self._timeline.segment_at(whole("iteration", iteration))

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
        """The largest learning rate that converges, for this optimizer, scaling and rule:
        2/λ_max for gradient descent (``core.predictions.max_stable_learning_rate``)."""
        return predictions.max_stable_learning_rate(self._span)

    @property
    def fastest_learning_rate(self) -> float | None:
        """The learning rate at which gradient descent with the chain rule converges fastest
        on the bowl it walks, 2/(λ_min + λ_max) (``LossSurface.fastest_learning_rate``): 0.5
        on standardised inputs. None for the other rules (momentum's best rate depends on
        its β, and the others have no closed form)."""
        if not (self.optimizer == "gd" and self.has_closed_form):
            return None
        return self.training_surface.fastest_learning_rate

    @property
    def training_parameters(self) -> tuple[float, float]:
        """(weight, bias) as the neuron multiplies them: of z when standardised."""
        return self._position.train_weight, self._position.train_bias

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
        """Perform the next phase and return its event (None once diverged): ``_forward``,
        then ``_backward``, then ``_update``, the tutorial's three lines (``core.neuron``)."""
        if self._position.diverged_at is not None:
            return None
        # No errstate needed: every accepted state has a loss below position.LOSS_CEILING.
        phase = self._next_phase
        if phase == "forward":
            self._next_phase = "backward"
            return self._forward()
        if phase == "backward":
            self._next_phase = "update"
            return self._backward()
        self._next_phase = "forward"
        return self._update()

    def _forward(self) -> ForwardEvent:
        """output = celsius × weight + bias for every sample, and the loss."""
        position = self._position
        data = self._timeline.current.coordinates.data
        weight, bias = position.train_weight, position.train_bias
        output, loss = neuron.forward_into(data.celsius, data.fahrenheit, weight, bias, self._error)
        output.setflags(write=False)
        self._output = output
        return ForwardEvent(position.iteration + 1, weight, bias, output, loss)

    def _backward(self) -> BackwardEvent:
        """grad_output = 2 (output − fahrenheit) / N, then grad_weight = Σ grad_output × celsius
        and grad_bias = Σ grad_output (the chain rule; ``gradient_rule`` says which)."""
        span = self._timeline.current
        grad_output, grad_weight, grad_bias = span.gradient.from_error(
            span.coordinates.jacobian, self._error, self._output
        )
        grad_output.setflags(write=False)
        # Kept until the next backward pass, not just until the update: on large
        # data, releasing it every iteration lets glibc hand the memory back to
        # the system and fault it in again (a page fault per 4 KiB).
        self._last_backward = BackwardEvent(
            self._position.iteration + 1,
            grad_output,
            grad_weight,
            grad_bias,
            gradient=span.gradient.name,
        )
        return self._last_backward

    def _update(self) -> UpdateEvent:
        """parameter ← parameter − learning_rate × gradient (gradient descent; ``optimizer``
        says which rule), then the divergence rule judges the result (``Position.update``)."""
        position = self._position
        if self._timeline.has_future:
            position.drop_future()
        backward = self._last_backward
        assert backward is not None
        span = self._timeline.current
        learning_rate = span.segment.learning_rate
        previous_weight, previous_bias = position.train_weight, position.train_bias
        weight, bias, state = span.rule.step(
            previous_weight,
            previous_bias,
            backward.grad_weight,
            backward.grad_bias,
            learning_rate,
            position.memory,
        )
        iteration = position.iteration + 1
        position.update(iteration, weight, bias, state)
        return UpdateEvent(
            iteration=iteration,
            learning_rate=learning_rate,
            optimizer=span.rule.name,
            grad_weight=backward.grad_weight,
            grad_bias=backward.grad_bias,
            previous_weight=previous_weight,
            previous_bias=previous_bias,
            weight=position.train_weight,
            bias=position.train_bias,
            loss=position.loss,
            diverged=position.diverged_at is not None,
            state=state,
        )

    # -- whole iterations, fast -----------------------------------------------

    def run(self, n: int) -> int:
        """Perform ``n`` whole iterations without yielding; return how many completed.

        An iteration in progress (after a ``step()`` to forward or backward) is
        finished first and not counted in ``n``. Fewer than ``n`` complete only
        if training diverges. The numbers equal pulling the same iterations
        through ``steps()`` up to rounding (1e-9 relative), and ``run(a)``
        then ``run(b)`` equals ``run(a + b)``.
        """
        n = whole("iterations", n)
        in_progress = self._next_phase != "forward"  # finishing it counts one more
        within_limit(
            f"run({n}) from iteration {self._position.iteration}",
            self._position.iteration + in_progress + n,
        )
        self._finish_iteration()
        position = self._position
        position.drop_future()
        start = position.iteration
        position.advance(start + n, along_timeline=False)
        return position.iteration - start

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
        target = within_limit(f"seek({iteration})", whole("iteration", iteration))
        mid_iteration = self._next_phase != "forward"
        self._next_phase, self._last_backward = "forward", None
        return self._position.seek(target, mid_iteration=mid_iteration)

    # -- predictions (closed forms only) --------------------------------------

    @property
    def has_closed_form(self) -> bool:
        """True if the current settings have a closed form (gradient descent or momentum with
        the chain rule): then the predictions below are defined."""
        return self._span.linear

    @property
    def directions(self) -> tuple[Direction, Direction] | None:
        """The Hessian's two eigenvectors (training coordinates), each with its curvature and
        per-iteration factor, flattest first (``core.Direction``); None without a closed form."""
        form = self._span.closed_form
        return None if form is None else form.directions

    @property
    def spectral_radius(self) -> float | None:
        """ρ of the iteration matrix at the current settings: per iteration the error shrinks
        (ρ < 1) or grows (ρ > 1) by about ρ. None without a closed form."""
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
        """The run neither converges nor diverges: it goes round for ever (only a rule
        without a closed form can; see ``core.predictions.oscillating``)."""
        return self._forecast.oscillating()

    @property
    def prediction_digits(self) -> int | None:
        """How many significant digits of ``divergence_expected_at`` and ``iterations_to`` the
        rate's own rounding supports (``core.predictions``); None if all, or no closed form."""
        return self._forecast.digits()

    @property
    def divergence_expected_at(self) -> int | None:
        """The iteration at which divergence will be declared if training goes on with the
        current settings (``run`` declares it there); None if never, or without a closed form."""
        return self._forecast.divergence_at()

    def iterations_to(
        self, weight_tolerance: float = 1e-3, bias_tolerance: float = 1e-2
    ) -> int | None:
        """The iteration from which |w − w*| < weight_tolerance and |b − b*| < bias_tolerance
        hold for good, if training goes on with the current settings (never less than the
        current one). None if never, or if a tolerance is not above ``resolution``; raises
        ``NoClosedFormError`` without a closed form. See ``core.predictions.iterations_to``.
        """
        return self._forecast.iterations_to(
            (
                positive("weight_tolerance", weight_tolerance),
                positive("bias_tolerance", bias_tolerance),
            )
        )

    @property
    def resolution(self) -> tuple[float, float] | None:
        """The smallest distances to the optimum, (weight, bias) in the original units, that
        float64 resolves at the current settings (``core.predictions``); None without a closed
        form."""
        return self._forecast.resolution()

    def __repr__(self) -> str:
        return (
            f"Trainer(iteration={self._position.iteration}, weight={self._position.weight:.6g}, "
            f"bias={self._position.bias:.6g}, loss={self._position.loss:.6g}, "
            f"learning_rate={self.learning_rate:g}, seed={self.seed})"
        )
