"""Rules that turn a gradient into a step: the tutorial's gradient descent, momentum, Adam.

Each rule is one class that describes itself: its command-line ``name``, a
``title`` and one-sentence ``summary`` for people, its ``default_learning_rate``,
the typed record of what it computed on the way to an update (``StepState``:
a velocity, Adam's moments), the update ``formula`` and its lines with the live
numbers (``explain``), and the largest learning rate at which it converges. A
new rule is one subclass registered in ``OPTIMIZERS``; the command line, the
app's ``o`` key, its help and its explanation panel read everything from there.

An optimizer offers two ways to move the parameters, which must agree:

* ``step`` makes one update from gradients the caller measured on the data
  (the step generator's path, one phase at a time);
* ``trajectory`` makes many updates at once from the exact quadratic
  ``LossSurface`` (the fast path behind ``Trainer.run``), returning the
  parameters after each of them.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from core import neuron
from core.surface import LossSurface
from core.types import FloatArray

if TYPE_CHECKING:
    from core.events import UpdateEvent

Format = Callable[[float], str]
"""Turns a number into the text a reader sees (the UI decides digits and style)."""


@dataclass(frozen=True)
class StepState:
    """What a rule computed on the way to one update, besides the gradient itself.

    Plain gradient descent needs nothing more; each other rule subclasses this
    with typed fields for its own quantities, so a reader (the explanation
    panel, a notebook) names them rather than looking them up by string.
    """


@dataclass(frozen=True)
class MomentumState(StepState):
    """The velocities of one momentum update: v = β × v_prev + gradient."""

    beta: float
    """β, the share of the previous velocity kept."""
    previous_velocity_weight: float
    """v_prev of the weight, before this update."""
    previous_velocity_bias: float
    """v_prev of the bias, before this update."""
    velocity_weight: float
    """v of the weight after this update: the step is −learning_rate × v."""
    velocity_bias: float
    """v of the bias after this update."""


@dataclass(frozen=True)
class AdamState(StepState):
    """Adam's running moments for one update, raw and bias-corrected."""

    t: int
    """How many Adam updates have been made, this one included."""
    m_weight: float
    """m of the weight: the running mean of its gradient."""
    m_bias: float
    """m of the bias."""
    v_weight: float
    """v of the weight: the running mean of its squared gradient."""
    v_bias: float
    """v of the bias."""
    m_hat_weight: float
    """m̂ = m / (1 − β1^t): m with the start-up bias removed."""
    m_hat_bias: float
    """m̂ of the bias."""
    v_hat_weight: float
    """v̂ = v / (1 − β2^t)."""
    v_hat_bias: float
    """v̂ of the bias."""
    step_weight: float
    """The weight's step, learning_rate × m̂ / (√v̂ + ε), subtracted from it."""
    step_bias: float
    """The bias's step."""


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
    ) -> tuple[float, float, StepState]:
        """New (weight, bias) after one update, and what the rule computed on the way."""

    @abstractmethod
    def trajectory(
        self,
        surface: LossSurface,
        weight: float,
        bias: float,
        learning_rate: float,
        count: int,
    ) -> tuple[FloatArray, FloatArray]:
        """Weights and biases after each of ``count`` updates from (weight, bias)."""

    def reset(self) -> None:  # noqa: B027 - deliberately a no-op: most rules keep state
        """Forget any state carried between steps (a stateless rule has none)."""

    @abstractmethod
    def max_stable_learning_rate(self, surface: LossSurface) -> float:
        """The largest learning rate at which this rule still converges on ``surface``."""

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


def _step_line(
    name: str, before: float, lr: str, direction: float, after: float, number: Format
) -> str:
    """``weight ← 0.8444 − 1e-4 × (−1561.7) = 1.0006``."""
    return f"{name} ← {number(before)} − {lr} × ({number(direction)}) = {number(after)}"


class GradientDescent(Optimizer):
    """parameter ← parameter − learning_rate × gradient, as in the tutorial."""

    name = "gd"
    title = "gradient descent"
    summary = (
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
    ) -> tuple[float, float, StepState]:
        new_weight, new_bias = neuron.update(weight, bias, grad_weight, grad_bias, learning_rate)
        return new_weight, new_bias, StepState()

    def trajectory(
        self,
        surface: LossSurface,
        weight: float,
        bias: float,
        learning_rate: float,
        count: int,
    ) -> tuple[FloatArray, FloatArray]:
        """All ``count`` iterates at once, in closed form.

        The error e = (w − w*, b − b*) obeys e ← (I − lr·H)·e. In H's
        eigenbasis Q the two directions are independent, so after k steps
        e_k = Q · diag((1 − lr·λ)^k) · Qᵀ · e_0: one power per direction and
        iteration, whatever the number of samples. Callers silence overflow
        (a divergent rate) with ``numpy.errstate`` and check finiteness.

        The powers are running products, five times cheaper than ``**``: each
        product rounds by half an ulp, so after k of them the power is exact to
        k·1.1e-16 relative (2e-12 for a 16,384-iteration chunk of ``run``).
        """
        basis = surface.eigenvectors
        factors = 1.0 - learning_rate * np.asarray(surface.eigenvalues)
        error = np.array([weight - surface.optimum_weight, bias - surface.optimum_bias])
        powers = np.cumprod(np.broadcast_to(factors, (count, 2)), axis=0)
        errors = (powers * (basis.T @ error)) @ basis.T
        return surface.optimum_weight + errors[:, 0], surface.optimum_bias + errors[:, 1]

    def max_stable_learning_rate(self, surface: LossSurface) -> float:
        """2/λ_max: beyond it the steepest direction overshoots further each step."""
        return surface.max_stable_learning_rate


class _Stepwise(Optimizer):
    """``trajectory`` for optimizers without a closed form: one O(1) update at a time.

    The gradient comes from the loss surface's moments, so each iteration
    costs the same whatever the number of samples.
    """

    def trajectory(
        self,
        surface: LossSurface,
        weight: float,
        bias: float,
        learning_rate: float,
        count: int,
    ) -> tuple[FloatArray, FloatArray]:
        weights, biases = np.empty(count), np.empty(count)
        for k in range(count):
            grad_weight, grad_bias = surface.gradient(weight, bias)
            weight, bias, _ = self.step(weight, bias, grad_weight, grad_bias, learning_rate)
            weights[k], biases[k] = weight, bias
            if not (math.isfinite(weight) and math.isfinite(bias)):
                weights[k:], biases[k:] = weight, bias
                break
        return weights, biases


class Momentum(_Stepwise):
    """Gradient descent with a velocity that remembers past gradients (β = 0.9).

    velocity  ← β × velocity + gradient
    parameter ← parameter − learning_rate × velocity

    Along the valley, where the gradient keeps its sign, the velocity grows to
    about 1/(1 − β) = 10 gradients; across it, where the sign flips, it cancels.
    """

    name = "momentum"
    title = "momentum"
    summary = (
        "Momentum (β 0.9): a velocity accumulates the gradients, so steps along the valley "
        "grow about tenfold."
    )
    formula = "v ← β × v_prev + gradient;  parameter ← parameter − learning_rate × v"
    beta = 0.9

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.velocity_weight = 0.0
        self.velocity_bias = 0.0

    def max_stable_learning_rate(self, surface: LossSurface) -> float:
        """2(1 + β)/λ_max, the heavy-ball method's bound on a quadratic: 1.9× gd's."""
        return 2.0 * (1.0 + self.beta) / surface.eigenvalues[1]

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
    ) -> tuple[float, float, MomentumState]:
        previous_weight, previous_bias = self.velocity_weight, self.velocity_bias
        self.velocity_weight = self.beta * previous_weight + grad_weight
        self.velocity_bias = self.beta * previous_bias + grad_bias
        state = MomentumState(
            beta=self.beta,
            previous_velocity_weight=previous_weight,
            previous_velocity_bias=previous_bias,
            velocity_weight=self.velocity_weight,
            velocity_bias=self.velocity_bias,
        )
        return (
            weight - learning_rate * self.velocity_weight,
            bias - learning_rate * self.velocity_bias,
            state,
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
            lines.append(_step_line(f"{name:<6}", before, lr, v, after, number))
        return tuple(lines)


class Adam(_Stepwise):
    """Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8), as in Keras' Celsius-to-Fahrenheit example.

    m ← β1·m + (1 − β1)·g            (average gradient)
    v ← β2·v + (1 − β2)·g²           (average squared gradient)
    m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)     (bias corrections)
    parameter ← parameter − learning_rate × m̂ / (√v̂ + ε)

    Dividing by √v̂ gives each parameter a step of about ``learning_rate``
    whatever the size of its gradient: the weight's steep wall and the bias's
    flat valley floor are crossed at the same speed.
    """

    name = "adam"
    title = "Adam"
    summary = (
        "Adam: each parameter's step is scaled by its own gradient history, about one "
        "learning rate long (Keras' example uses 0.1)."
    )
    formula = "parameter ← parameter − lr × m̂/(√v̂ + ε);  m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)"
    default_learning_rate = 0.1
    beta1 = 0.9
    beta2 = 0.999
    epsilon = 1e-8

    def __init__(self) -> None:
        self.reset()

    def max_stable_learning_rate(self, surface: LossSurface) -> float:
        """None from the curvature: each step is about ``learning_rate`` long at most."""
        return math.inf

    def reset(self) -> None:
        self.t = 0
        self.m_weight = self.v_weight = 0.0
        self.m_bias = self.v_bias = 0.0

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
    ) -> tuple[float, float, AdamState]:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self.m_weight = b1 * self.m_weight + (1.0 - b1) * grad_weight
        self.m_bias = b1 * self.m_bias + (1.0 - b1) * grad_bias
        self.v_weight = b2 * self.v_weight + (1.0 - b2) * grad_weight * grad_weight
        self.v_bias = b2 * self.v_bias + (1.0 - b2) * grad_bias * grad_bias
        correction1 = 1.0 - b1**self.t
        correction2 = 1.0 - b2**self.t
        m_hat_weight = self.m_weight / correction1
        m_hat_bias = self.m_bias / correction1
        v_hat_weight = self.v_weight / correction2
        v_hat_bias = self.v_bias / correction2
        step_weight = learning_rate * m_hat_weight / (math.sqrt(v_hat_weight) + self.epsilon)
        step_bias = learning_rate * m_hat_bias / (math.sqrt(v_hat_bias) + self.epsilon)
        state = AdamState(
            t=self.t,
            m_weight=self.m_weight,
            m_bias=self.m_bias,
            v_weight=self.v_weight,
            v_bias=self.v_bias,
            m_hat_weight=m_hat_weight,
            m_hat_bias=m_hat_bias,
            v_hat_weight=v_hat_weight,
            v_hat_bias=v_hat_bias,
            step_weight=step_weight,
            step_bias=step_bias,
        )
        return weight - step_weight, bias - step_bias, state

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


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "gd": GradientDescent,
    "momentum": Momentum,
    "adam": Adam,
}
"""Every optimizer by its command-line name."""


def make_optimizer(name: str) -> Optimizer:
    """A fresh optimizer by name, or a ValueError listing the choices."""
    try:
        return OPTIMIZERS[name]()
    except KeyError:
        choices = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {choices}") from None
