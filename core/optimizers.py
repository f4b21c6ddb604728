"""Rules that turn a gradient into a step: the tutorial's gradient descent, momentum, Adam.

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
from typing import Protocol

import numpy as np

from core import neuron
from core.surface import LossSurface
from core.types import FloatArray

Details = tuple[tuple[str, float], ...]
"""Named intermediate values of one step, for display."""


class Optimizer(Protocol):
    """The contract every update rule meets."""

    name: str
    """Short name used on the command line and in events."""

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
    ) -> tuple[float, float, Details]:
        """New (weight, bias) after one update, and the values that produced it."""
        ...

    def trajectory(
        self,
        surface: LossSurface,
        weight: float,
        bias: float,
        learning_rate: float,
        count: int,
    ) -> tuple[FloatArray, FloatArray]:
        """Weights and biases after each of ``count`` updates from (weight, bias)."""
        ...

    def reset(self) -> None:
        """Forget any state carried between steps."""
        ...

    def max_stable_learning_rate(self, surface: LossSurface) -> float:
        """The largest learning rate at which this rule still converges on ``surface``."""
        ...


class GradientDescent:
    """parameter ← parameter − learning_rate × gradient, as in the tutorial."""

    name = "gd"

    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
    ) -> tuple[float, float, Details]:
        new_weight, new_bias = neuron.update(weight, bias, grad_weight, grad_bias, learning_rate)
        return new_weight, new_bias, ()

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

    def reset(self) -> None:
        """Plain gradient descent carries no state."""

    def max_stable_learning_rate(self, surface: LossSurface) -> float:
        """2/λ_max: beyond it the steepest direction overshoots further each step."""
        return surface.max_stable_learning_rate


class _Stepwise(ABC):
    """``trajectory`` for optimizers without a closed form: one O(1) update at a time.

    The gradient comes from the loss surface's moments, so each iteration
    costs the same whatever the number of samples. Subclasses give ``step``
    (see ``Optimizer``).
    """

    @abstractmethod
    def step(
        self,
        weight: float,
        bias: float,
        grad_weight: float,
        grad_bias: float,
        learning_rate: float,
    ) -> tuple[float, float, Details]: ...

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
    ) -> tuple[float, float, Details]:
        self.velocity_weight = self.beta * self.velocity_weight + grad_weight
        self.velocity_bias = self.beta * self.velocity_bias + grad_bias
        details = (
            ("beta", self.beta),
            ("velocity_weight", self.velocity_weight),
            ("velocity_bias", self.velocity_bias),
        )
        return (
            weight - learning_rate * self.velocity_weight,
            bias - learning_rate * self.velocity_bias,
            details,
        )


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
    ) -> tuple[float, float, Details]:
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
        details = (
            ("t", float(self.t)),
            ("m_hat_weight", m_hat_weight),
            ("v_hat_weight", v_hat_weight),
            ("m_hat_bias", m_hat_bias),
            ("v_hat_bias", v_hat_bias),
            ("step_weight", step_weight),
            ("step_bias", step_bias),
        )
        return weight - step_weight, bias - step_bias, details


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
