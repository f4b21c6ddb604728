"""Nesterov momentum, one class in core/optimizers.py, against Sutskever et al.'s look-ahead
loop (tests/loops.py), which shares no code with core: stepping, the closed form at any
iteration, going back, the predictions and the stable limit."""

from __future__ import annotations

import pytest

from core import OPTIMIZERS, Trainer
from core.optimizers import LinearOptimizer, Nesterov
from tests.loops import Plain, least_squares


def loop(trainer: Trainer, rate: float) -> Plain:
    data = trainer.dataset
    return Plain.of(
        data.celsius, data.fahrenheit, trainer.initial_weight, trainer.initial_bias,
        beta=0.9, nesterov=True,
    )  # fmt: skip


def test_it_is_registered_with_a_closed_form() -> None:
    assert OPTIMIZERS["nesterov"] is Nesterov and issubclass(Nesterov, LinearOptimizer)


@pytest.mark.parametrize("rate", [1e-4, 5e-4])
def test_stepping_and_the_closed_form_follow_the_look_ahead_loop(rate: float) -> None:
    stepped = Trainer(seed=0, optimizer="nesterov", learning_rate=rate)
    for _ in stepped.steps():
        if stepped.iteration == 500:
            break
    plain = loop(stepped, rate).run(rate, 500)
    assert (stepped.weight, stepped.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-9)
    ran = Trainer(seed=0, optimizer="nesterov", learning_rate=rate)
    ran.run(5_000)  # closed form
    plain.run(rate, 4_500)
    assert (ran.weight, ran.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-9)
    assert abs(ran.bias - 32.0) > 1e-3 or rate > 1e-4, "at 1e-4 still on its way: a real test"


def test_a_trillion_iterations_in_closed_form_and_back() -> None:
    trainer = Trainer(seed=0, optimizer="nesterov")
    assert trainer.has_closed_form
    assert trainer.run(10**12) == 10**12
    w_star, b_star = least_squares(trainer.dataset.celsius, trainer.dataset.fahrenheit)
    assert (trainer.weight, trainer.bias) == pytest.approx((w_star, b_star), rel=1e-12)
    assert trainer.seek(1_234) == 1_234  # back from 10^12 to where stepping would be
    plain = loop(trainer, 1e-4).run(1e-4, 1_234)
    assert (trainer.weight, trainer.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-9)


def test_iterations_to_is_when_the_loop_arrives_for_good() -> None:
    trainer = Trainer(seed=0, optimizer="nesterov", learning_rate=5e-4)
    arrival = trainer.iterations_to(weight_tolerance=1e-3, bias_tolerance=1e-2)
    assert arrival is not None and 0 < arrival < 50_000
    plain = loop(trainer, 5e-4)
    w_star, b_star = least_squares(trainer.dataset.celsius, trainer.dataset.fahrenheit)
    last_outside = 0
    for iteration in range(1, 3 * arrival):
        plain.step(5e-4)
        if abs(plain.weight - w_star) >= 1e-3 or abs(plain.bias - b_star) >= 1e-2:
            last_outside = iteration
    assert last_outside + 1 == arrival


def test_the_stable_limit_is_nesterovs_and_separates_convergence_from_divergence() -> None:
    trainer = Trainer(seed=0, optimizer="nesterov")
    limit = trainer.max_stable_learning_rate
    curvature = trainer.surface.eigenvalues[1]
    assert limit == pytest.approx(2 * 1.9 / (2.8 * curvature), rel=1e-12)
    assert limit < Trainer(seed=0, optimizer="momentum").max_stable_learning_rate
    for share, diverges in ((0.98, False), (1.02, True)):
        trainer.reset()
        trainer.learning_rate = share * limit
        predicted = trainer.divergence_expected_at
        assert (predicted is not None) is diverges
        trainer.run(200_000)
        assert trainer.diverged is diverges
        assert trainer.diverged_at == predicted, "declared where the closed form said"
