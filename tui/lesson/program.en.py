# One neuron learns to turn Celsius into Fahrenheit, by gradient
# descent, in the tutorial's shape: data, forward, backward,
# update_parameters, and the training loop. c2f-tui shows it (p)
# beside its numbers; run it yourself with: python program.py
import numpy as np

LEARNING_RATE = 1e-4
ITERATIONS = 10_000
GRADIENT = "chain"  # or "published": the tutorial's code

# The data: 100 temperatures, -50 to 49 °C, and the truth.
celsius = np.arange(-50, 50, dtype=float)
fahrenheit = celsius * 9 / 5 + 32
N = len(celsius)

# The start: random.seed(0), then random.random() twice.
weight = 0.8444218515250481
bias = 0.7579544029403025


def forward(weight, bias):
    # Predict every sample, then the mean squared error.
    output = celsius * weight + bias
    loss = np.sum((output - fahrenheit) ** 2) / N
    return output, loss


def backward(output):  # the chain rule, back from the loss
    grad_output = 2 * (output - fahrenheit) / N
    if GRADIENT == "chain":  # ∂output/∂weight = celsius
        grad_weight = np.sum(grad_output * celsius)
    else:  # the published code: not the chain rule
        grad_weight = np.sum(grad_output * output)
    grad_bias = np.sum(grad_output)  # ∂output/∂bias = 1
    return grad_weight, grad_bias


def update_parameters(grad_weight, grad_bias):
    # Each parameter steps against its gradient.
    global weight, bias
    weight = weight - LEARNING_RATE * grad_weight
    bias = bias - LEARNING_RATE * grad_bias


def train():
    for iteration in range(ITERATIONS):
        output, loss = forward(weight, bias)
        grad_weight, grad_bias = backward(output)
        update_parameters(grad_weight, grad_bias)
        if iteration % 1000 == 0:
            print("iteration", iteration, "loss", loss)


if __name__ == "__main__":
    train()
    print("weight", weight, "bias", bias)
    print("loss", forward(weight, bias)[1])
