"""The tutorial's neuron, one function per phase: forward, backward, update.

``output = celsius × weight + bias`` predicts Fahrenheit; the loss is the mean
squared error. These are the formulas the tutorial derives by hand, written for
arrays of samples. They never judge the numbers: the trainer only calls them on
parameters whose loss is below ``core.trainer.LOSS_CEILING``, where nothing can
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
    output = predict(celsius, weight, bias)
    error = output - fahrenheit
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
    grad_output = (output - fahrenheit) * (2.0 / celsius.size)
    grad_weight = float(np.dot(grad_output, celsius))
    grad_bias = float(grad_output.sum())
    return grad_output, grad_weight, grad_bias


def update(
    weight: float, bias: float, grad_weight: float, grad_bias: float, learning_rate: float
) -> tuple[float, float]:
    """Step each parameter downhill, in proportion to its gradient.

    weight ← weight − learning_rate × grad_weight
    bias   ← bias   − learning_rate × grad_bias
    """
    return weight - learning_rate * grad_weight, bias - learning_rate * grad_bias
