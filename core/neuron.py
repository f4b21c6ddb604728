"""The tutorial's neuron, one function per phase: forward, backward, update.

``output = celsius × weight + bias`` predicts Fahrenheit; the loss is the mean
squared error. These are the formulas the tutorial derives by hand, written for
arrays of samples. They never judge the numbers: the trainer only calls them on
parameters whose loss is below ``core.position.LOSS_CEILING``, where nothing can
overflow.
"""

from __future__ import annotations

import numpy as np

from core.types import FloatArray


def predict(celsius: FloatArray, weight: float, bias: float) -> FloatArray:
    """The neuron's output for each input: celsius × weight + bias."""
    return celsius * weight + bias


def forward(
    celsius: FloatArray, fahrenheit: FloatArray, weight: float, bias: float
) -> tuple[FloatArray, float]:
    """Predict every sample and measure the mean squared error.

    output[i] = celsius[i] × weight + bias
    loss      = Σ (output[i] − fahrenheit[i])² / N
    """
    return forward_into(celsius, fahrenheit, weight, bias, np.empty_like(celsius))


def forward_into(
    celsius: FloatArray, fahrenheit: FloatArray, weight: float, bias: float, error: FloatArray
) -> tuple[FloatArray, float]:
    """``forward``, also leaving output − fahrenheit in ``error``, an array the caller owns.

    The trainer hands that error on to ``backward_from_error`` rather than
    subtracting the same arrays twice per iteration, and reuses one array for
    it: on large data a fresh one each time costs the allocator a page fault
    per 4 KiB, which is more than the arithmetic.
    """
    output = celsius * weight + bias  # predict(), inlined: this runs every iteration
    np.subtract(output, fahrenheit, error)  # into error, as out= would (but cheaper)
    loss = float(np.dot(error, error)) / celsius.size
    return output, loss


def backward(
    celsius: FloatArray, fahrenheit: FloatArray, output: FloatArray
) -> tuple[FloatArray, float, float]:
    """Apply the chain rule, from the loss back to the parameters.

    grad_output[i] = ∂loss/∂output[i] = 2 (output[i] − fahrenheit[i]) / N
    grad_weight    = Σ ∂loss/∂output[i] · ∂output[i]/∂weight = Σ grad_output[i] × celsius[i]
    grad_bias      = Σ ∂loss/∂output[i] · ∂output[i]/∂bias   = Σ grad_output[i] × 1

    (The tutorial's published code multiplies by ``output[i]`` instead of
    ``celsius[i]`` in grad_weight; this is the rule its text derives.)
    """
    return backward_from_error(jacobian(celsius), output - fahrenheit)


def jacobian(celsius: FloatArray) -> FloatArray:
    """∂output[i]/∂(weight, bias) = (celsius[i], 1) for every sample: an N×2 array.

    It does not depend on the parameters, so the trainer makes it once per dataset.
    """
    jacobian: FloatArray = np.column_stack([celsius, np.ones_like(celsius)])
    return jacobian


def backward_from_error(jacobian: FloatArray, error: FloatArray) -> tuple[FloatArray, float, float]:
    """``backward`` from the forward pass's error = output − fahrenheit (left unmodified).

    Both sums of the chain rule are one product with the ``jacobian``:
    (grad_weight, grad_bias) = Σ grad_output[i] × ∂output[i]/∂(weight, bias),
    which on small data costs half as much as two separate reductions.
    """
    grad_output = error * (2.0 / error.size)
    grad_weight, grad_bias = np.dot(grad_output, jacobian).tolist()
    return grad_output, grad_weight, grad_bias


def backward_published(
    celsius: FloatArray, fahrenheit: FloatArray, output: FloatArray
) -> tuple[FloatArray, float, float]:
    """The backward pass of the tutorial's published code, which is not the chain rule.

    grad_weight = Σ grad_output[i] × output[i]     (the chain rule has × celsius[i])

    Kept to show what the slip does: it still trains, towards the right line,
    but slower and along a bent path (see ``core.gradient_rules``).
    """
    return backward_published_from_error(output - fahrenheit, output)


def backward_published_from_error(
    error: FloatArray, output: FloatArray
) -> tuple[FloatArray, float, float]:
    """``backward_published`` from the forward pass's error = output − fahrenheit."""
    grad_output = error * (2.0 / error.size)
    return grad_output, float(np.dot(grad_output, output)), float(np.sum(grad_output))


def update(
    weight: float, bias: float, grad_weight: float, grad_bias: float, learning_rate: float
) -> tuple[float, float]:
    """Step each parameter downhill, in proportion to its gradient.

    weight ← weight − learning_rate × grad_weight
    bias   ← bias   − learning_rate × grad_bias
    """
    return weight - learning_rate * grad_weight, bias - learning_rate * grad_bias
