"""The training loop as a step generator: forward, backward, update, forward, ...

``Trainer`` holds the neuron's state; ``steps()`` is a thin generator over
``step()``, so any number of subscribers (a script's for-loop, the Textual app)
advance the same trainer one phase at a time, and ``run(n)`` jumps ahead by
whole iterations on the exact quadratic ``LossSurface`` in O(1) per iteration.

Divergence. With a learning rate above 2/λ_max the loss grows without bound.
After every update the trainer measures the loss at the new parameters and
declares divergence when the parameters or that loss are not finite, or when
the loss exceeds ``RUNAWAY_FACTOR`` times its reference scale (the larger of
the untrained loss, var(fahrenheit) and 1 °F², capped at ``LOSS_CEILING``).
Stable gradient descent only
ever lowers the loss, so that bound is never met by a run that converges. The
trainer then keeps the last finite parameters, stops advancing, emits no
warning and raises nothing; ``reset()`` recovers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import Final

import numpy as np
from numpy.typing import NDArray

from core import neuron
from core.dataset import Dataset
from core.events import BackwardEvent, Event, ForwardEvent, UpdateEvent
from core.history import Trajectory
from core.optimizers import Optimizer, make_optimizer
from core.scaling import IDENTITY, Scaling
from core.surface import LossSurface
from core.types import FloatArray, Phase

RUNAWAY_FACTOR: Final = 1e6
"""Divergence is declared once the loss exceeds this multiple of its reference scale."""

LOSS_CEILING: Final = 1e250
"""No state with a larger loss is ever accepted (nor started from): below it, no sum
over samples in forward or backward can overflow, so the step path needs no
``numpy.errstate`` and no warning can arise."""

_new: Final = tuple.__new__
"""Builds an event from all its fields at once (see ``Trainer._run_forward``)."""

CHUNK: Final = 16_384
"""Iterations ``run`` computes per vectorised block (bounds its temporary memory)."""


def check_learning_rate(value: float) -> float:
    """``value`` as a float if it is a finite number > 0, else a ValueError."""
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

    ``optimizer`` is "gd" (the tutorial's), "momentum" or "adam" (see
    ``core.optimizers``). ``standardize=True`` trains on standardised celsius
    (``core.scaling``): the events then carry the neuron's own numbers (the
    weight and bias of z), while ``weight``, ``bias``, ``history`` and
    ``surface`` stay in the original units.
    """

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        learning_rate: float = 1e-4,
        weight: float | None = None,
        bias: float | None = None,
        seed: int | None = None,
        optimizer: str = "gd",
        standardize: bool = False,
    ) -> None:
        self.dataset: Final = dataset if dataset is not None else Dataset.tutorial()
        """The samples trained on, in their original units."""
        self.surface: Final = LossSurface.of(self.dataset)
        """The exact loss bowl of this data over the original (weight, bias): the
        optimum, and everything the panels show."""
        self._use_scaling(standardize)
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        elif isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"seed must be an integer, got {seed!r}")
        self.seed: Final = seed
        """The seed the initial parameters were drawn with."""
        draws = random.Random(seed)
        drawn_weight, drawn_bias = draws.random(), draws.random()
        self.initial_weight: Final = _finite("weight", drawn_weight if weight is None else weight)
        """The untrained weight that ``reset()`` returns to."""
        self.initial_bias: Final = _finite("bias", drawn_bias if bias is None else bias)
        """The untrained bias that ``reset()`` returns to."""
        self._learning_rate = check_learning_rate(learning_rate)
        self._optimizer: Optimizer = make_optimizer(optimizer)
        self.reset()

    def _use_scaling(self, standardize: bool) -> None:
        """Train on standardised celsius (or not): the data and bowl the neuron sees."""
        self._scaling = Scaling.standardizing(self.dataset) if standardize else IDENTITY
        if standardize:
            inputs = self._scaling.inputs(self.dataset.celsius)
            self._training_data = Dataset(inputs, self.dataset.fahrenheit)
            self._training_surface = LossSurface.of(self._training_data)
        else:
            self._training_data, self._training_surface = self.dataset, self.surface
        self._jacobian = neuron.jacobian(self._training_data.celsius)
        self._error = np.empty_like(self._training_data.celsius)
        """Scratch for output − fahrenheit, written by forward and read by backward."""

    # -- state ----------------------------------------------------------------

    def reset(self) -> None:
        """Return to the untrained parameters and iteration 0.

        The learning rate, the optimizer and the input scaling stay as they are.
        """
        self._weight = self.initial_weight
        self._bias = self.initial_bias
        self._train_weight, self._train_bias = self._scaling.to_training(
            self.initial_weight, self.initial_bias
        )
        self._loss = self._loss_at(self._weight, self._bias)
        self._iteration = 0
        self._next_phase: Phase = "forward"
        self._backward: BackwardEvent | None = None
        self._optimizer.reset()
        scale = max(self._loss, self.surface.var_fahrenheit, 1.0)
        self._runaway_loss = min(RUNAWAY_FACTOR * scale, LOSS_CEILING)
        self._diverged_at: int | None = None if self._loss <= LOSS_CEILING else 0
        self.history = Trajectory(self._row(self._weight, self._bias))
        """The run so far, thinned to a bounded number of rows (see ``core.history``)."""

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
        """(∂loss/∂weight, ∂loss/∂bias) at the current parameters."""
        return self.surface.gradient(self._weight, self._bias)

    @property
    def distance(self) -> tuple[float, float]:
        """How far (weight, bias) still are from the optimum: (w* − w, b* − b)."""
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
        """True once training has run away; nothing advances until ``reset()``."""
        return self._diverged_at is not None

    @property
    def diverged_at(self) -> int | None:
        """The iteration at which divergence was declared.

        0 means training could not start: the untrained loss is not finite or
        exceeds ``LOSS_CEILING``.
        """
        return self._diverged_at

    @property
    def learning_rate(self) -> float:
        """The step size of the next update; must be a finite number > 0."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = check_learning_rate(value)

    @property
    def optimizer(self) -> str:
        """The name of the update rule in use ("gd", "momentum" or "adam")."""
        return self._optimizer.name

    @optimizer.setter
    def optimizer(self, name: str) -> None:
        """Switch rule; the parameters stay, the new rule starts with no memory."""
        self._optimizer = make_optimizer(name)

    # -- input scaling --------------------------------------------------------

    @property
    def standardize(self) -> bool:
        """True while training on standardised celsius (zero mean, unit variance).

        Setting it keeps the neuron's predictions: the current parameters are
        carried into the new coordinates (an iteration in progress is finished
        first) and the optimizer's memory is cleared.
        """
        return not self._scaling.is_identity

    @standardize.setter
    def standardize(self, value: bool) -> None:
        if bool(value) == self.standardize:
            return
        while self._next_phase != "forward" and not self.diverged:
            self.step()
        self._use_scaling(bool(value))
        self._train_weight, self._train_bias = self._scaling.to_training(self._weight, self._bias)
        self._backward = None
        self._optimizer.reset()

    @property
    def scaling(self) -> Scaling:
        """How the training coordinates relate to the original ones."""
        return self._scaling

    @property
    def training_data(self) -> Dataset:
        """The samples as the neuron sees them: celsius standardised when ``standardize``."""
        return self._training_data

    @property
    def training_surface(self) -> LossSurface:
        """The bowl gradient descent walks: its curvature sets the stable learning rates.

        The same as ``surface`` unless ``standardize`` is on.
        """
        return self._training_surface

    @property
    def max_stable_learning_rate(self) -> float:
        """The largest learning rate that converges, for this optimizer and scaling.

        2/λ_max of the training surface for gradient descent; larger with
        momentum; infinite for Adam, whose steps the curvature does not scale.
        """
        return self._optimizer.max_stable_learning_rate(self._training_surface)

    @property
    def training_parameters(self) -> tuple[float, float]:
        """(weight, bias) as the neuron multiplies them: of z when standardised."""
        return self._train_weight, self._train_bias

    # -- the step generator ---------------------------------------------------

    def steps(self) -> Iterator[Event]:
        """Yield one event per phase, forward → backward → update, while pulled.

        The generator ends if training diverges.
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

    # The three phases below run once per iteration each, and on the tutorial's
    # 100 samples their bookkeeping costs as much as their arithmetic. So each
    # event is made with tuple.__new__ from all its fields in order (an event
    # class's own __new__ is a Python function: a frame per event), and arrays
    # are made read-only with a positional setflags. The fields are the same.

    def _run_forward(self) -> ForwardEvent:
        dataset = self._training_data
        weight, bias = self._train_weight, self._train_bias
        output, loss = neuron.forward_into(
            dataset.celsius, dataset.fahrenheit, weight, bias, self._error
        )
        output.setflags(False)  # type: ignore[call-arg]  # write=False, positionally: cheaper
        return _new(ForwardEvent, (self._iteration + 1, weight, bias, output, loss, "forward"))

    def _run_backward(self) -> BackwardEvent:
        grad_output, grad_weight, grad_bias = neuron.backward_from_error(
            self._jacobian, self._error
        )
        grad_output.setflags(False)  # type: ignore[call-arg]  # write=False
        # Kept until the next backward pass, not just until the update: on large
        # data, releasing it every iteration lets glibc hand the memory back to
        # the system and fault it in again (a page fault per 4 KiB).
        event = self._backward = _new(
            BackwardEvent, (self._iteration + 1, grad_output, grad_weight, grad_bias, "backward")
        )
        return event

    def _run_update(self) -> UpdateEvent:
        backward = self._backward
        assert backward is not None
        grad_weight, grad_bias = backward.grad_weight, backward.grad_bias
        previous_weight, previous_bias = self._train_weight, self._train_bias
        learning_rate = self._learning_rate
        optimizer = self._optimizer
        weight, bias, state = optimizer.step(
            previous_weight, previous_bias, grad_weight, grad_bias, learning_rate
        )
        iteration = self._iteration + 1
        self._accept_one(weight, bias)
        return _new(
            UpdateEvent,
            (
                iteration,
                learning_rate,
                optimizer.name,
                grad_weight,
                grad_bias,
                previous_weight,
                previous_bias,
                self._train_weight,
                self._train_bias,
                self._loss,
                self._diverged_at is not None,
                state,
                "update",
            ),
        )

    # -- whole iterations, fast -----------------------------------------------

    def run(self, n: int) -> int:
        """Perform ``n`` whole iterations without yielding; return how many completed.

        An iteration in progress (after a ``step()`` to forward or backward) is
        finished first and not counted in ``n``. Fewer than ``n`` complete only
        if training diverges. The numbers equal pulling the same iterations
        through ``steps()`` up to rounding (1e-9 relative).
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"iterations must be a whole number >= 0, got {n!r}")
        while self._next_phase != "forward" and not self.diverged:
            self.step()
        start = self._iteration
        while self._iteration - start < n and not self.diverged:
            count = min(CHUNK, n - (self._iteration - start))
            with np.errstate(over="ignore", invalid="ignore"):
                weights, biases = self._optimizer.trajectory(
                    self._training_surface,
                    self._train_weight,
                    self._train_bias,
                    self._learning_rate,
                    count,
                )
                self._accept(weights, biases)
        return self._iteration - start

    # -- bookkeeping shared by both paths -------------------------------------

    def _accept_one(self, weight: float, bias: float) -> None:
        """Adopt one update, unless it runs away: ``_accept`` for a single step, in floats.

        The same judgement as ``_accept`` with plain Python floats, which are
        many times cheaper than one-element arrays on the step-by-step path.
        ``weight`` and ``bias`` are training parameters; the history records
        them in the original units.
        """
        train_weight, train_bias = weight, bias
        if not self._scaling.is_identity:
            weight, bias = self._scaling.to_original(weight, bias)
        loss, grad_weight, grad_bias = self.surface.at(weight, bias)
        finite = math.isfinite(weight) and math.isfinite(bias)
        if not (finite and math.isfinite(loss) and loss <= self._runaway_loss):
            self._diverged_at = self._iteration + 1
            if not finite:
                return
        iteration = self._iteration = self._iteration + 1
        self._weight, self._bias, self._loss = weight, bias, loss
        self._train_weight, self._train_bias = train_weight, train_bias
        self.history.append((iteration, weight, bias, loss, grad_weight, grad_bias))

    def _accept(self, weights: FloatArray, biases: FloatArray) -> None:
        """Adopt consecutive parameter updates up to the first that runs away.

        Called inside ``numpy.errstate``: non-finite values are expected here
        and are judged explicitly rather than warned about. The arrays hold
        training parameters; the history records the original ones.
        """
        train_weights, train_biases = weights, biases
        if not self._scaling.is_identity:
            weights, biases = self._scaling.arrays_to_original(weights, biases)
        losses = self.surface.loss(weights, biases)
        finite = np.isfinite(weights) & np.isfinite(biases)
        healthy = finite & np.isfinite(losses) & (losses <= self._runaway_loss)
        accepted = weights.size if healthy.all() else int(np.argmin(healthy))
        if accepted < weights.size:
            self._diverged_at = self._iteration + accepted + 1
            if finite[accepted]:
                accepted += 1  # keep the finite parameters that ran away, for display
        if accepted:
            last = accepted - 1
            first_iteration = self._iteration + 1
            self._iteration += accepted
            self._weight = float(weights[last])
            self._bias = float(biases[last])
            self._train_weight = float(train_weights[last])
            self._train_bias = float(train_biases[last])
            self._loss = float(losses[last])
            # Rows only for what the history can keep: iterations at multiples of
            # its stride (which only ever grows), and the latest.
            stride = self.history.stride
            kept = np.arange(-first_iteration % stride, accepted, stride)
            if kept.size == 0 or kept[-1] != last:
                kept = np.append(kept, last)
            rows = self._rows(first_iteration + kept, weights[kept], biases[kept], losses[kept])
            self.history.extend(rows)

    def _loss_at(self, weight: float, bias: float) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(self.surface.loss(np.array([weight]), np.array([bias]))[0])

    def _row(self, weight: float, bias: float) -> FloatArray:
        weights, biases = np.array([weight]), np.array([bias])
        losses = np.array([self._loss_at(weight, bias)])
        row: FloatArray = self._rows(np.array([self._iteration]), weights, biases, losses)[0]
        return row

    def _rows(
        self,
        iterations: NDArray[np.int_],
        weights: FloatArray,
        biases: FloatArray,
        losses: FloatArray,
    ) -> FloatArray:
        """History rows (see ``core.history.COLUMNS``) for these iterations and states."""
        grad_weight, grad_bias = self.surface.gradient(weights, biases)
        return np.column_stack([iterations, weights, biases, losses, grad_weight, grad_bias])

    def __repr__(self) -> str:
        return (
            f"Trainer(iteration={self._iteration}, weight={self._weight:.6g}, "
            f"bias={self._bias:.6g}, loss={self._loss:.6g}, "
            f"learning_rate={self._learning_rate:g}, seed={self.seed})"
        )


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number
