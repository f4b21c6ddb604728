"""Rules that turn a gradient into a step: the tutorial's gradient descent, momentum, Adam.

Each rule is one class that describes itself: its command-line ``name``, a
``title`` and one-sentence ``summary`` for people, its ``default_learning_rate``,
the typed record of what it computed on the way to an update (``StepState``:
a velocity, Adam's moments), the update ``formula`` and its lines with the live
numbers (``explain``), and the largest learning rate at which it converges. A
new rule is one subclass registered in ``OPTIMIZERS``; the command line, the
app's ``o`` key, its help and its explanation panel read everything from there,
and its ``title`` and ``summary``, marked with ``N_``, reach the app's catalog.

A rule holds no state between updates. What it must remember (momentum's
velocity, Adam's moments) is the ``StepState`` of its previous update, which
the caller hands back to ``step`` as ``memory`` (None for a rule's first
update). So a trainer can keep, copy, checkpoint and restore that memory like
any other number, which going back in time (``Trainer.seek``) needs.

Rules whose update is linear in the gradient with constant coefficients
(``LinearOptimizer``: gradient descent and heavy-ball momentum) also give their
``iteration_matrix``: on the quadratic loss bowl it is all ``core.linear`` needs
to jump to any iteration in closed form. Adam divides by a running gradient
size, which is not linear: trainers run it one update at a time.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from core import neuron
from core.step_states import AdamState as AdamState
from core.step_states import MomentumState as MomentumState
from core.step_states import StepState as StepState
from core.types import Matrix

if TYPE_CHECKING:
    from core.events import UpdateEvent

Format = Callable[[float], str]
"""Turns a number into the text a reader sees (the UI decides digits and style)."""


def N_(message: str) -> str:
    """``message`` unchanged: marks a rule's words for people (``title``, ``summary``) for
    gettext's extractor, which reads this file with the app's own (docs/translating.md).
    Core never translates; the app passes these texts through its ``_()`` where it shows
    them, so a new rule's words reach the catalog without being copied anywhere."""
    return message


class Optimizer(ABC):
    """An update rule: how gradients become a step, and everything it says about itself."""

    name: ClassVar[str]
    """Short name used on the command line, in events and in exports."""
    title: ClassVar[str]
    """The rule's name for people, e.g. "gradient descent"."""
    summary: ClassVar[str]
    """One sentence on what the rule does differently, for notifications and help."""
    formula: ClassVar[str]
    """The update rule in symbols, one line."""
    default_learning_rate: ClassVar[float] = 1e-4
    """The rate this rule is used with when none is given."""

    @abstractmethod
    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
        memory: StepState | None = None,
    ) -> tuple[float, float, StepState]:
        """New (weight, bias) after one update, and what the rule computed on the way.

        ``memory`` is the state this rule returned at its previous update (None
        for its first); the state returned is the memory for the next one.
        """

    @abstractmethod
    def max_stable_learning_rate(self, curvature: float) -> float:
        """The largest learning rate at which this rule converges on a bowl whose
        steepest curvature (largest Hessian eigenvalue) is ``curvature``."""

    def stepper(self, learning_rate: float, memory: StepState | None) -> Stepper:
        """Updates in a row at ``learning_rate``, starting from ``memory`` (see ``Stepper``)."""
        return _StepByStep(self, learning_rate, memory)

    @classmethod
    def explain(cls, event: UpdateEvent, number: Format, rate: Format) -> tuple[str, ...]:
        """The update of ``event`` written out: the formula, then each parameter's step
        with its live numbers (``number`` formats values, ``rate`` the learning rate)."""
        lr = rate(event.learning_rate)
        return (
            cls.formula,
            _step_line(
                "weight", event.previous_weight, lr, event.grad_weight, event.weight, number
            ),
            _step_line("bias  ", event.previous_bias, lr, event.grad_bias, event.bias, number),
        )


class Stepper(ABC):
    """One rule's updates in a row, its memory kept in plain floats between them.

    ``Optimizer.step`` is the rule as a function: one update, and its state as a
    typed record. A trainer looping over thousands of updates (``Trainer.run``
    for rules without a closed form) calls a stepper instead, which does the
    same arithmetic without building that record each time; a rule whose
    record is costly (Adam's has thirteen fields) defines ``step`` through its
    stepper, so the arithmetic is written once.
    """

    @abstractmethod
    def __call__(
        self, weight: float, bias: float, grad_weight: float, grad_bias: float
    ) -> tuple[float, float]:
        """New (weight, bias) after one more update."""

    @abstractmethod
    def memory(self) -> StepState | None:
        """The state of the last update: the memory to go on from (None before any)."""


class _StepByStep(Stepper):
    """A stepper for any rule: ``step`` each time, its state kept as the memory."""

    def __init__(self, rule: Optimizer, learning_rate: float, memory: StepState | None) -> None:
        self._step, self._rate, self._memory = rule.step, learning_rate, memory

    def __call__(
        self, weight: float, bias: float, grad_weight: float, grad_bias: float
    ) -> tuple[float, float]:
        weight, bias, self._memory = self._step(
            weight, bias, grad_weight, grad_bias, self._rate, self._memory
        )
        return weight, bias

    def memory(self) -> StepState | None:
        return self._memory


class LinearOptimizer(Optimizer):
    """A rule whose update is linear in (parameters, velocity, gradient), with constant
    coefficients: heavy-ball momentum with some β, gradient descent being β = 0.

    On a quadratic bowl, along one eigenvector of the Hessian (curvature λ),
    the parameter's error z and the velocity taken as a step, u = η·v, move by

        u ← β·u + η·λ·z          (v ← β·v + gradient; the gradient along it is λ·z)
        z ← z − u                (parameter ← parameter − η·v)

    a fixed 2×2 ``iteration_matrix`` of the one number η·λ. ``core.linear``
    raises it to any power, which is what makes every iteration reachable at once.
    """

    beta: ClassVar[float] = 0.0
    """β, the share of the previous velocity kept (0: no memory at all)."""

    def iteration_matrix(self, rate_times_curvature: float) -> Matrix:
        """[[1 − ηλ, −β], [ηλ, β]], acting on (z, u) along a direction of curvature λ."""
        x = rate_times_curvature
        return (1.0 - x, -self.beta, x, self.beta)

    def max_stable_learning_rate(self, curvature: float) -> float:
        """2(1 + β)/λ_max, the heavy-ball bound on a quadratic (2/λ_max for β = 0)."""
        return 2.0 * (1.0 + self.beta) / curvature

    @abstractmethod
    def velocity(self, memory: StepState | None) -> tuple[float, float]:
        """The velocity (in gradient units) a memory carries into the next update."""

    @abstractmethod
    def remember(
        self, previous_velocity: tuple[float, float], velocity: tuple[float, float]
    ) -> StepState:
        """The memory of an update that left ``velocity``, made in closed form."""


def _step_line(
    name: str, before: float, lr: str, direction: float, after: float, number: Format
) -> str:
    """``weight ← 0.8444 − 1e-4 × (−1561.7) = 1.0006``; when the new value is written as the
    old one (late in a run the step is below the digits shown), the change is added, so an
    update that moved the parameter never reads as one that did nothing:
    ``weight ← 1.796897 − 1e-4 × (-0.006205058) = 1.796897 (Δ +6.205058e-7)``."""
    line = f"{name} ← {number(before)} − {lr} × ({number(direction)}) = {number(after)}"
    if after != before and number(after) == number(before):
        change = after - before
        line += f" (Δ {'+' if change > 0 else ''}{number(change)})"
    return line


class GradientDescent(LinearOptimizer):
    """parameter ← parameter − learning_rate × gradient, as in the tutorial."""

    name = "gd"
    title = N_("gradient descent")
    summary = N_(
        "Plain gradient descent, the tutorial's: each step is the learning rate times the gradient."
    )
    formula = "parameter ← parameter − learning_rate × gradient"

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
        memory: StepState | None = None,
    ) -> tuple[float, float, StepState]:
        new_weight, new_bias = neuron.update(weight, bias, grad_weight, grad_bias, learning_rate)
        return new_weight, new_bias, _NOTHING

    def velocity(self, memory: StepState | None) -> tuple[float, float]:
        return 0.0, 0.0

    def remember(
        self, previous_velocity: tuple[float, float], velocity: tuple[float, float]
    ) -> StepState:
        return _NOTHING


_NOTHING = StepState()
"""Gradient descent's state: it computes nothing besides the gradient."""


class Momentum(LinearOptimizer):
    """Gradient descent with a velocity that remembers past gradients (β = 0.9).

    velocity  ← β × velocity + gradient
    parameter ← parameter − learning_rate × velocity

    Along the valley, where the gradient keeps its sign, the velocity grows to
    about 1/(1 − β) = 10 gradients; across it, where the sign flips, it cancels.
    A subclass may set another ``beta``.
    """

    name = "momentum"
    title = N_("momentum")
    summary = N_(
        "Momentum (β 0.9): a velocity accumulates the gradients, so steps along the valley "
        "grow about tenfold."
    )
    formula = "v ← β × v_prev + gradient;  parameter ← parameter − learning_rate × v"
    beta = 0.9

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
        memory: StepState | None = None,
    ) -> tuple[float, float, MomentumState]:
        previous_weight, previous_bias = self.velocity(memory)
        beta = self.beta
        velocity_weight = beta * previous_weight + grad_weight
        velocity_bias = beta * previous_bias + grad_bias
        state = MomentumState(
            beta=beta,
            previous_velocity_weight=previous_weight,
            previous_velocity_bias=previous_bias,
            velocity_weight=velocity_weight,
            velocity_bias=velocity_bias,
        )
        return (
            weight - learning_rate * velocity_weight,
            bias - learning_rate * velocity_bias,
            state,
        )

    def velocity(self, memory: StepState | None) -> tuple[float, float]:
        if isinstance(memory, MomentumState):
            return memory.velocity_weight, memory.velocity_bias
        return 0.0, 0.0

    def remember(
        self, previous_velocity: tuple[float, float], velocity: tuple[float, float]
    ) -> MomentumState:
        return MomentumState(
            beta=self.beta,
            previous_velocity_weight=previous_velocity[0],
            previous_velocity_bias=previous_velocity[1],
            velocity_weight=velocity[0],
            velocity_bias=velocity[1],
        )

    @classmethod
    def explain(cls, event: UpdateEvent, number: Format, rate: Format) -> tuple[str, ...]:
        state = event.state
        assert isinstance(state, MomentumState)
        lr = rate(event.learning_rate)
        beta = number(state.beta)
        lines = [cls.formula]
        for name, v_prev, gradient, v, before, after in (
            (
                "weight",
                state.previous_velocity_weight,
                event.grad_weight,
                state.velocity_weight,
                event.previous_weight,
                event.weight,
            ),
            (
                "bias",
                state.previous_velocity_bias,
                event.grad_bias,
                state.velocity_bias,
                event.previous_bias,
                event.bias,
            ),
        ):
            lines.append(
                f"v_{name} = {beta} × ({number(v_prev)}) + ({number(gradient)}) = {number(v)}"
            )
            step = cls.step_velocity(state.beta, gradient, v)
            lines.append(_step_line(f"{name:<6}", before, lr, step, after, number))
        return tuple(lines)

    @staticmethod
    def step_velocity(beta: float, gradient: float, velocity: float) -> float:
        """What the step multiplies by the rate: the velocity itself."""
        return velocity


class Nesterov(Momentum):
    """Nesterov's accelerated momentum (β = 0.9), in the form that needs only the gradient
    at the current parameters (as PyTorch's ``nesterov=True``):

    velocity  ← β × velocity + gradient
    parameter ← parameter − learning_rate × (gradient + β × velocity)

    The step looks ahead along the new velocity, so it brakes before it overshoots. It is
    Sutskever et al.'s "gradient at θ + β·v" rule with the look-ahead point as the
    parameters. On a bowl its iteration matrix is [[1 − (1 + β)ηλ, −β²], [ηλ, β]]:
    stable below 2(1 + β)/((1 + 2β)·λ_max), 1.36/λ_max at β = 0.9.
    """

    name = "nesterov"
    title = N_("Nesterov momentum")
    summary = N_(
        "Nesterov momentum (β 0.9): the step looks ahead along the velocity, so it brakes "
        "before it overshoots."
    )
    formula = (
        "v ← β × v_prev + gradient;  parameter ← parameter − learning_rate × (gradient + β × v)"
    )

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
        memory: StepState | None = None,
    ) -> tuple[float, float, MomentumState]:
        _, _, state = super().step(weight, bias, grad_weight, grad_bias, learning_rate, memory)
        beta = self.beta
        return (
            weight - learning_rate * (grad_weight + beta * state.velocity_weight),
            bias - learning_rate * (grad_bias + beta * state.velocity_bias),
            state,
        )

    def iteration_matrix(self, rate_times_curvature: float) -> Matrix:
        """[[1 − (1 + β)ηλ, −β²], [ηλ, β]] on (z, u): u ← β·u + ηλ·z, z ← z − ηλ·z − β·u."""
        x, beta = rate_times_curvature, self.beta
        return (1.0 - (1.0 + beta) * x, -beta * beta, x, beta)

    def max_stable_learning_rate(self, curvature: float) -> float:
        """2(1 + β)/((1 + 2β)·λ_max): where the iteration matrix's eigenvalue reaches −1."""
        return 2.0 * (1.0 + self.beta) / ((1.0 + 2.0 * self.beta) * curvature)

    @staticmethod
    def step_velocity(beta: float, gradient: float, velocity: float) -> float:
        """The step looks ahead: gradient + β × v."""
        return gradient + beta * velocity


class Adam(Optimizer):
    """Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8), as in Keras' Celsius-to-Fahrenheit example.

    m ← β1·m + (1 − β1)·g            (average gradient)
    v ← β2·v + (1 − β2)·g²           (average squared gradient)
    m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)     (bias corrections)
    parameter ← parameter − learning_rate × m̂ / (√v̂ + ε)

    Dividing by √v̂ gives each parameter a step of about ``learning_rate``
    whatever the size of its gradient: the weight's steep wall and the bias's
    flat valley floor are crossed at the same speed. √v is carried between
    updates (as √v ← hypot(√β2·√v, √(1 − β2)·|g|)), so gradients whose squares
    overflow still give that step rather than a silent zero.
    """

    name = "adam"
    title = N_("Adam")
    summary = N_(
        "Adam: each parameter's step is scaled by its own gradient history, about one "
        "learning rate long (Keras' example uses 0.1)."
    )
    formula = "parameter ← parameter − lr × m̂/(√v̂ + ε);  m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)"
    default_learning_rate = 0.1
    beta1 = 0.9
    beta2 = 0.999
    epsilon = 1e-8

    def max_stable_learning_rate(self, curvature: float) -> float:
        """None from the curvature: each step is about ``learning_rate`` long at most."""
        return math.inf

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
        memory: StepState | None = None,
    ) -> tuple[float, float, AdamState]:
        stepper = _AdamStepper(self, learning_rate, memory)
        weight, bias = stepper(weight, bias, grad_weight, grad_bias)
        state = stepper.memory()
        assert state is not None  # one update made
        return weight, bias, state

    def stepper(self, learning_rate: float, memory: StepState | None) -> _AdamStepper:
        return _AdamStepper(self, learning_rate, memory)

    @classmethod
    def explain(cls, event: UpdateEvent, number: Format, rate: Format) -> tuple[str, ...]:
        state = event.state
        assert isinstance(state, AdamState)
        lr = rate(event.learning_rate)
        lines = [f"m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  t = {state.t}", cls.formula]
        for name, m, v, m_hat, v_hat, before, after in (
            (
                "weight",
                state.m_weight,
                state.v_weight,
                state.m_hat_weight,
                state.v_hat_weight,
                event.previous_weight,
                event.weight,
            ),
            (
                "bias",
                state.m_bias,
                state.v_bias,
                state.m_hat_bias,
                state.v_hat_bias,
                event.previous_bias,
                event.bias,
            ),
        ):
            lines.append(
                f"{name:<6} m {number(m)}  v {number(v)}  m̂ {number(m_hat)}  v̂ {number(v_hat)}"
            )
            lines.append(
                f"{name:<6} ← {number(before)} − {lr} × ({number(m_hat)}) / √{number(v_hat)}"
                f" = {number(after)}"
            )
        return tuple(lines)


class _AdamStepper(Stepper):
    """Adam's updates: the moments carried in floats, the record made on request."""

    def __init__(self, adam: Adam, learning_rate: float, memory: StepState | None) -> None:
        self.adam, self.learning_rate = adam, learning_rate
        self.keep, self.add = math.sqrt(adam.beta2), math.sqrt(1.0 - adam.beta2)
        if isinstance(memory, AdamState):
            self.t, self.m_weight, self.m_bias = memory.t, memory.m_weight, memory.m_bias
            self.root_v_weight, self.root_v_bias = memory.root_v_weight, memory.root_v_bias
        else:
            self.t, self.m_weight, self.m_bias = 0, 0.0, 0.0
            self.root_v_weight = self.root_v_bias = 0.0

    def __call__(
        self, weight: float, bias: float, grad_weight: float, grad_bias: float
    ) -> tuple[float, float]:
        b1 = self.adam.beta1
        self.t += 1
        self.m_weight = b1 * self.m_weight + (1.0 - b1) * grad_weight
        self.m_bias = b1 * self.m_bias + (1.0 - b1) * grad_bias
        # v ← β2·v + (1 − β2)·g², as √v: hypot never overflows where its result fits.
        keep, add = self.keep, self.add
        self.root_v_weight = math.hypot(keep * self.root_v_weight, add * grad_weight)
        self.root_v_bias = math.hypot(keep * self.root_v_bias, add * grad_bias)
        *_, step_weight, step_bias = self._corrected()
        return weight - step_weight, bias - step_bias

    def _corrected(self) -> tuple[float, float, float, float, float, float]:
        """(m̂_w, m̂_b, √v̂_w, √v̂_b, step_w, step_b): the bias-corrected moments and steps."""
        adam, t = self.adam, self.t
        correction1 = 1.0 - adam.beta1**t
        root_correction2 = math.sqrt(1.0 - adam.beta2**t)
        m_hat_weight = self.m_weight / correction1
        m_hat_bias = self.m_bias / correction1
        root_v_hat_weight = self.root_v_weight / root_correction2  # √v̂ = √v / √(1 − β2^t)
        root_v_hat_bias = self.root_v_bias / root_correction2
        rate, epsilon = self.learning_rate, adam.epsilon
        return (
            m_hat_weight,
            m_hat_bias,
            root_v_hat_weight,
            root_v_hat_bias,
            rate * m_hat_weight / (root_v_hat_weight + epsilon),
            rate * m_hat_bias / (root_v_hat_bias + epsilon),
        )

    def memory(self) -> AdamState | None:
        if self.t == 0:
            return None
        m_hat_w, m_hat_b, root_v_hat_w, root_v_hat_b, step_w, step_b = self._corrected()
        return AdamState(
            t=self.t,
            m_weight=self.m_weight,
            m_bias=self.m_bias,
            v_weight=self.root_v_weight * self.root_v_weight,
            v_bias=self.root_v_bias * self.root_v_bias,
            m_hat_weight=m_hat_w,
            m_hat_bias=m_hat_b,
            v_hat_weight=root_v_hat_w * root_v_hat_w,
            v_hat_bias=root_v_hat_b * root_v_hat_b,
            step_weight=step_w,
            step_bias=step_b,
            root_v_weight=self.root_v_weight,
            root_v_bias=self.root_v_bias,
        )


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "gd": GradientDescent,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adam": Adam,
}
"""Every optimizer by its command-line name."""


def make_optimizer(name: str) -> Optimizer:
    """An optimizer by name, or a ValueError listing the choices."""
    try:
        return OPTIMIZERS[name]()
    except (KeyError, TypeError):
        choices = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {choices}") from None
