"""Rules that turn a gradient into a step: the tutorial's plain gradient descent.

An optimizer offers two ways to move the parameters, which must agree:

* ``step`` makes one update from gradients the caller measured on the data
  (the step generator's path, one phase at a time);
* ``trajectory`` makes many updates at once from the exact quadratic
  ``LossSurface`` (the fast path behind ``Trainer.run``), returning the
  parameters after each of them.
"""

from __future__ import annotations

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
        """
        basis = surface.eigenvectors
        factors = 1.0 - learning_rate * np.asarray(surface.eigenvalues)
        error = np.array([weight - surface.optimum_weight, bias - surface.optimum_bias])
        steps = np.arange(1, count + 1)[:, np.newaxis]
        errors = (factors[np.newaxis, :] ** steps * (basis.T @ error)) @ basis.T
        return surface.optimum_weight + errors[:, 0], surface.optimum_bias + errors[:, 1]

    def reset(self) -> None:
        """Plain gradient descent carries no state."""


OPTIMIZERS: dict[str, type[Optimizer]] = {"gd": GradientDescent}
"""Every optimizer by its command-line name."""


def make_optimizer(name: str) -> Optimizer:
    """A fresh optimizer by name, or a ValueError listing the choices."""
    try:
        return OPTIMIZERS[name]()
    except KeyError:
        choices = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {choices}") from None
