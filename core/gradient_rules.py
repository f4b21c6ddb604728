"""How the backward pass turns the output's error into a weight gradient: two rules.

``chain`` is the chain rule the tutorial derives, grad_weight = Σ grad_output ×
celsius. ``published`` is what the tutorial's published code computes,
Σ grad_output × output. Since output = celsius × weight + bias,

    Σ grad_output × output = weight × Σ grad_output × celsius + bias × Σ grad_output
                           = weight × ∂loss/∂weight + bias × ∂loss/∂bias,

so the published gradient is the true one mixed by the current parameters. It
vanishes at the optimum (where both true derivatives do) and also at
(0, mean fahrenheit), so training still ends on the right line from the
tutorial's start, but the map from one iteration to the next is no longer
linear: no closed form, no spectral radius, no predicted iterations. Near the
optimum it behaves like gradient descent on the matrix
K = [[w*, b*], [0, 1]]·H, whose largest eigenvalue sets its stable rate.

The identity above also gives the published gradient from the loss surface's
moments in O(1), whatever the number of samples.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import ClassVar

from core import neuron
from core.surface import LossSurface
from core.types import FloatArray


class GradientRule(ABC):
    """A backward pass: on the data (the step generator), and on the loss surface (``run``)."""

    name: ClassVar[str]
    """Short name used on the command line and in exports."""
    title: ClassVar[str]
    """The rule's name for people."""
    formula: ClassVar[str]
    """How grad_weight is computed, one line."""
    linear: ClassVar[bool]
    """True if the gradient is linear in (weight, bias): closed forms then apply."""

    @abstractmethod
    def backward(
        self, celsius: FloatArray, fahrenheit: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        """(grad_output, grad_weight, grad_bias) on the samples, as ``core.neuron.backward``
        (pass it to ``core.gradcheck.gradient_check`` to check this rule)."""

    @abstractmethod
    def from_error(
        self, jacobian: FloatArray, error: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        """``backward`` from the forward pass's error and output (the trainer's step path)."""

    @abstractmethod
    def on_surface(self, surface: LossSurface, weight: float, bias: float) -> tuple[float, float]:
        """(grad_weight, grad_bias) from the surface's moments, in O(1)."""

    @abstractmethod
    def curvature(self, surface: LossSurface) -> float:
        """The largest eigenvalue of the update's linearisation at the optimum."""


class ChainRule(GradientRule):
    """grad_weight = Σ grad_output × celsius: the derivative of the loss."""

    name = "chain"
    title = "the chain rule"
    formula = "grad_weight = Σ grad_output × celsius"
    linear = True

    def backward(
        self, celsius: FloatArray, fahrenheit: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        return neuron.backward(celsius, fahrenheit, output)

    def from_error(
        self, jacobian: FloatArray, error: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        return neuron.backward_from_error(jacobian, error)

    def on_surface(self, surface: LossSurface, weight: float, bias: float) -> tuple[float, float]:
        _, grad_weight, grad_bias = surface.at(weight, bias)
        return grad_weight, grad_bias

    def curvature(self, surface: LossSurface) -> float:
        return surface.eigenvalues[1]


class PublishedRule(GradientRule):
    """grad_weight = Σ grad_output × output, as in the tutorial's published code."""

    name = "published"
    title = "the tutorial's published code"
    formula = "grad_weight = Σ grad_output × output"
    linear = False

    def backward(
        self, celsius: FloatArray, fahrenheit: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        return neuron.backward_published(celsius, fahrenheit, output)

    def from_error(
        self, jacobian: FloatArray, error: FloatArray, output: FloatArray
    ) -> tuple[FloatArray, float, float]:
        return neuron.backward_published_from_error(error, output)

    def on_surface(self, surface: LossSurface, weight: float, bias: float) -> tuple[float, float]:
        # Σ grad_output × (celsius × w + b) = w × ∂loss/∂w + b × ∂loss/∂b
        _, grad_weight, grad_bias = surface.at(weight, bias)
        return weight * grad_weight + bias * grad_bias, grad_bias

    def curvature(self, surface: LossSurface) -> float:
        """Largest eigenvalue of K = [[w*, b*], [0, 1]]·H (its real part, if complex)."""
        (h11, h12), (h21, h22) = surface.hessian
        w, b = surface.optimum_weight, surface.optimum_bias
        k11, k12 = w * h11 + b * h21, w * h12 + b * h22
        k21, k22 = h21, h22
        half_trace = 0.5 * (k11 + k22)
        discriminant = half_trace * half_trace - (k11 * k22 - k12 * k21)
        return half_trace + math.sqrt(discriminant) if discriminant > 0.0 else half_trace


CHAIN = ChainRule()
PUBLISHED = PublishedRule()

GRADIENT_RULES: dict[str, GradientRule] = {rule.name: rule for rule in (CHAIN, PUBLISHED)}
"""Every gradient rule by its command-line name."""


def gradient_rule(name: str) -> GradientRule:
    """A gradient rule by name, or a ValueError listing the choices."""
    try:
        return GRADIENT_RULES[name]
    except (KeyError, TypeError):
        choices = ", ".join(GRADIENT_RULES)
        raise ValueError(f"unknown gradient rule {name!r}; choose one of: {choices}") from None
