"""Momentum and Adam, written by hand in core, against hand computations and the tutorial's data."""

from __future__ import annotations

import itertools
import math
import re

import pytest

from core import OPTIMIZERS, Dataset, Trainer
from core.events import UpdateEvent
from core.optimizers import AdamState, MomentumState

# A two-sample line, f = 2c + 1, small enough to follow on paper: from w = b = 0,
# grad_output = 2 (output − f) / 2, grad_weight = Σ grad_output × c, grad_bias = Σ grad_output.
PAPER = Dataset([0.0, 1.0], [1.0, 3.0])


def updates(trainer: Trainer, count: int) -> list[UpdateEvent]:
    events = itertools.islice(trainer.steps(), 3 * count)
    return [event for event in events if isinstance(event, UpdateEvent)]


def gradient_on_paper(weight: float, bias: float) -> tuple[float, float]:
    """The chain rule on PAPER, term by term."""
    outputs = [0.0 * weight + bias, 1.0 * weight + bias]
    grad_outputs = [2 * (outputs[0] - 1.0) / 2, 2 * (outputs[1] - 3.0) / 2]
    return grad_outputs[0] * 0.0 + grad_outputs[1] * 1.0, grad_outputs[0] + grad_outputs[1]


def test_momentum_matches_three_updates_worked_by_hand() -> None:
    # v ← 0.9 v + g;  p ← p − 0.1 v, from w = b = 0:
    #   g = (−3, −4)      v = (−3, −4)       → w = 0.3,   b = 0.4
    #   g = (−2.3, −2.9)  v = (−5.0, −6.5)   → w = 0.8,   b = 1.05
    #   g = (−1.15, −1.1) v = (−5.65, −6.95) → w = 1.365, b = 1.745
    trainer = Trainer(PAPER, weight=0.0, bias=0.0, learning_rate=0.1, optimizer="momentum")
    steps = updates(trainer, 3)
    expected = [(0.3, 0.4), (0.8, 1.05), (1.365, 1.745)]
    for update, (weight, bias) in zip(steps, expected, strict=True):
        assert update.optimizer == "momentum"
        assert (update.weight, update.bias) == pytest.approx((weight, bias), rel=1e-12)
    state = steps[2].state
    assert isinstance(state, MomentumState)
    assert state.previous_velocity_weight == pytest.approx(-5.0, rel=1e-12)
    assert state.velocity_weight == pytest.approx(-5.65, rel=1e-12)


def test_adam_matches_three_updates_worked_by_hand() -> None:
    trainer = Trainer(PAPER, weight=0.0, bias=0.0, learning_rate=0.1, optimizer="adam")
    steps = updates(trainer, 3)
    weight = bias = 0.0
    m = [0.0, 0.0]
    v = [0.0, 0.0]
    for t, update in enumerate(steps, start=1):
        gradients = gradient_on_paper(weight, bias)
        new = []
        for i, (parameter, g) in enumerate(zip((weight, bias), gradients, strict=True)):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            m_hat = m[i] / (1 - 0.9**t)
            v_hat = v[i] / (1 - 0.999**t)
            new.append(parameter - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8))
        weight, bias = new
        assert (update.weight, update.bias) == pytest.approx((weight, bias), rel=1e-12)
    # Adam's first step is lr·sign(g) whatever the gradient's size: 0.1 for both.
    assert (steps[0].weight, steps[0].bias) == pytest.approx((0.1, 0.1), rel=1e-7)


def test_adam_converges_on_the_tutorials_data_from_seed_0_at_lr_0_1() -> None:
    trainer = Trainer(seed=0, learning_rate=0.1, optimizer="adam")
    reached = None
    for iteration in range(1, 5_001):
        trainer.run(1)
        if abs(trainer.weight - 1.8) < 1e-3 and abs(trainer.bias - 32.0) < 0.01:
            reached = iteration
            break
    assert reached == 1_035  # gradient descent at 1e-4 needs 40,243 (README)
    trainer.run(1_000)
    assert trainer.weight == pytest.approx(1.8, abs=1e-9)
    assert trainer.bias == pytest.approx(32.0, abs=1e-9)


@pytest.mark.parametrize(
    ("optimizer", "rate"), [(name, rule.default_learning_rate) for name, rule in OPTIMIZERS.items()]
)
def test_run_and_steps_agree_for_every_optimizer(optimizer: str, rate: float) -> None:
    pulled = Trainer(seed=1, learning_rate=rate, optimizer=optimizer)
    for _ in pulled.steps():
        if pulled.iteration == 500:
            break
    ran = Trainer(seed=1, learning_rate=rate, optimizer=optimizer)
    ran.run(500)
    assert ran.weight == pytest.approx(pulled.weight, rel=1e-9)
    assert ran.bias == pytest.approx(pulled.bias, rel=1e-9)


def test_momentum_diverges_like_gradient_descent_when_the_rate_is_too_large() -> None:
    trainer = Trainer(seed=0, learning_rate=5e-3, optimizer="momentum")
    trainer.run(10_000)
    assert trainer.diverged and trainer.diverged_at is not None
    trainer.reset()
    assert not trainer.diverged and trainer.iteration == 0


def test_an_unknown_optimizer_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match=re.escape(f"choose one of: {', '.join(OPTIMIZERS)}")):
        Trainer(optimizer="lbfgs")


def test_switching_optimizer_keeps_the_parameters_and_clears_its_memory() -> None:
    trainer = Trainer(seed=0, learning_rate=1e-4, optimizer="momentum")
    trainer.run(50)
    position = (trainer.weight, trainer.bias, trainer.iteration)
    trainer.optimizer = "adam"
    assert (trainer.weight, trainer.bias, trainer.iteration) == position
    first = updates(trainer, 1)[0]
    assert first.optimizer == "adam"
    assert isinstance(first.state, AdamState)
    assert first.state.t == 1, "Adam starts counting afresh"


@pytest.mark.parametrize(("optimizer", "ratio"), [("gd", 2.0), ("momentum", 3.8)])
def test_the_stable_limit_separates_convergence_from_divergence(
    optimizer: str, ratio: float
) -> None:
    trainer = Trainer(seed=0, optimizer=optimizer)
    limit = trainer.max_stable_learning_rate
    assert limit == pytest.approx(ratio / trainer.surface.eigenvalues[1], rel=1e-12)
    trainer.learning_rate = 0.98 * limit
    trainer.run(200_000)
    assert not trainer.diverged
    trainer.reset()
    trainer.learning_rate = 1.02 * limit
    trainer.run(200_000)
    assert trainer.diverged


def test_adam_has_no_curvature_limit() -> None:
    trainer = Trainer(seed=0, optimizer="adam", learning_rate=1.0)
    assert trainer.max_stable_learning_rate == float("inf")
    trainer.run(20_000)
    assert not trainer.diverged
