"""Independent oracles for the engine: training written out plainly, sharing no code with core.

Each loop computes the gradient from the samples (or from moments summed here),
with the update written as the tutorial and the textbooks write it, so a
closed form or a shortcut in core that drifts from the mathematics disagrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass
class Plain:
    """Heavy-ball momentum (β = 0: gradient descent) on mean squared error, sample by sample;
    with ``nesterov``, Nesterov's momentum as Sutskever et al. (2013) write it."""

    celsius: np.ndarray
    fahrenheit: np.ndarray
    weight: float
    bias: float
    beta: float = 0.0
    velocity_weight: float = 0.0
    velocity_bias: float = 0.0
    published: bool = False
    nesterov: bool = False

    @classmethod
    def of(
        cls,
        celsius: ArrayLike,
        fahrenheit: ArrayLike,
        weight: float,
        bias: float,
        **more: float | bool,
    ) -> Plain:
        return cls(np.asarray(celsius, float), np.asarray(fahrenheit, float), weight, bias, **more)  # type: ignore[arg-type]

    def gradient(self) -> tuple[float, float]:
        output = self.celsius * self.weight + self.bias
        grad_output = 2.0 * (output - self.fahrenheit) / self.celsius.size
        times = output if self.published else self.celsius
        return float(np.sum(grad_output * times)), float(np.sum(grad_output))

    def loss(self) -> float:
        error = self.celsius * self.weight + self.bias - self.fahrenheit
        return float(np.mean(error * error))

    def step(self, rate: float) -> None:
        grad_weight, grad_bias = self.gradient()
        if self.nesterov:
            self._look_ahead(rate, grad_weight, grad_bias)
            return
        self.velocity_weight = self.beta * self.velocity_weight + grad_weight
        self.velocity_bias = self.beta * self.velocity_bias + grad_bias
        self.weight -= rate * self.velocity_weight
        self.bias -= rate * self.velocity_bias

    def _look_ahead(self, rate: float, grad_weight: float, grad_bias: float) -> None:
        """v ← β·v − η·∇f(θ + β·v); θ ← θ + v, with v a step (not a gradient). This loop's
        (weight, bias) is the look-ahead point θ + β·v, where the gradient is taken:
        θ' + β·v' = (θ + β·v) − β·v + (1 + β)·v'."""
        beta = self.beta
        old_weight, old_bias = self.velocity_weight, self.velocity_bias
        self.velocity_weight = beta * old_weight - rate * grad_weight
        self.velocity_bias = beta * old_bias - rate * grad_bias
        self.weight += -beta * old_weight + (1.0 + beta) * self.velocity_weight
        self.bias += -beta * old_bias + (1.0 + beta) * self.velocity_bias

    def run(self, rate: float, count: int) -> Plain:
        for _ in range(count):
            self.step(rate)
        return self


@dataclass
class Moments:
    """The same heavy-ball loop in plain floats, its gradient from sums taken once: fast
    enough to walk hundreds of thousands of iterations in a test."""

    mean_c: float
    mean_c2: float
    mean_f: float
    mean_cf: float

    @classmethod
    def of(cls, celsius: ArrayLike, fahrenheit: ArrayLike) -> Moments:
        c, f = np.asarray(celsius, float), np.asarray(fahrenheit, float)
        return cls(float(c.mean()), float((c * c).mean()), float(f.mean()), float((c * f).mean()))

    def walk(
        self, weight: float, bias: float, rate: float, beta: float = 0.0
    ) -> Iterator[tuple[float, float]]:
        """(weight, bias) after each iteration, for ever."""
        velocity_weight = velocity_bias = 0.0
        while True:
            # ∂/∂w mean((cw + b − f)²) = 2(w·mean(c²) + b·mean(c) − mean(cf)), ∂/∂b likewise
            grad_weight = 2.0 * (weight * self.mean_c2 + bias * self.mean_c - self.mean_cf)
            grad_bias = 2.0 * (weight * self.mean_c + bias - self.mean_f)
            velocity_weight = beta * velocity_weight + grad_weight
            velocity_bias = beta * velocity_bias + grad_bias
            weight -= rate * velocity_weight
            bias -= rate * velocity_bias
            yield weight, bias


PLAIN_RULES: dict[str, dict[str, float | bool]] = {
    "gd": {"beta": 0.0},
    "momentum": {"beta": 0.9},
    "nesterov": {"beta": 0.9, "nesterov": True},
}
"""``Plain``'s settings for each linear rule, by its name in ``core.OPTIMIZERS``: the oracle a
closed-form test of every such rule follows."""


def least_squares(celsius: ArrayLike, fahrenheit: ArrayLike) -> tuple[float, float]:
    """The optimum (w*, b*) by numpy's least squares."""
    c = np.asarray(celsius, float)
    design = np.column_stack([c, np.ones_like(c)])
    (weight, bias), *_ = np.linalg.lstsq(design, np.asarray(fahrenheit, float), rcond=None)
    return float(weight), float(bias)
