# 一个神经元用梯度下降学会把摄氏度换算成华氏度，按教程的结构：
# 数据、forward、backward、update_parameters 和训练循环。
# c2f-tui 把它和实时数字并排显示（p 键）；
# 也可以自己运行：python program.py
import numpy as np

LEARNING_RATE = 1e-4
ITERATIONS = 10_000
GRADIENT = "chain"  # 或 "published"：教程发布的代码

# 数据：-50 到 49 °C 的 100 个温度，以及真实值。
celsius = np.arange(-50, 50, dtype=float)
fahrenheit = celsius * 9 / 5 + 32
N = len(celsius)

# 起点：random.seed(0)，再调用两次 random.random()。
weight = 0.8444218515250481
bias = 0.7579544029403025


def forward(weight, bias):
    # 预测每个样本，再算均方误差。
    output = celsius * weight + bias
    loss = np.sum((output - fahrenheit) ** 2) / N
    return output, loss


def backward(output):  # 链式法则：从损失往回求
    grad_output = 2 * (output - fahrenheit) / N
    if GRADIENT == "chain":  # ∂output/∂weight = celsius
        grad_weight = np.sum(grad_output * celsius)
    else:  # 教程发布的代码：不是链式法则
        grad_weight = np.sum(grad_output * output)
    grad_bias = np.sum(grad_output)  # ∂output/∂bias = 1
    return grad_weight, grad_bias


def update_parameters(grad_weight, grad_bias):
    # 每个参数沿梯度的反方向走一步。
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
