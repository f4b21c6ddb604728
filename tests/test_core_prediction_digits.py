"""Near the stable limit, only the digits the rate's rounding supports (issue 23 item 2).

At the limit × (1 + 1e-12) the engine's divergence iteration and exact arithmetic's
differ in the fifth digit: a one-ulp change of the rate moves it more than that.
"""

from __future__ import annotations

import math
import subprocess
import sys

import mpmath

from core import Trainer
from tests.exact import Exact
from tui.format import approximate, rounded


def exact_divergence(trainer: Trainer, threshold: float) -> int:
    """The first iteration whose loss, in exact arithmetic, exceeds ``threshold`` (by
    bisection: near the limit the loss grows without falling back)."""
    data = trainer.dataset
    exact = Exact(data.celsius, data.fahrenheit, trainer.learning_rate)
    mp = exact.context
    start = (trainer.weight, trainer.bias)
    c = [mp.mpf(float(x)) for x in data.celsius]
    f = [mp.mpf(float(y)) for y in data.fahrenheit]

    def loss(k: int) -> mpmath.mpf:
        w, b = exact.at(*start, k)
        return mp.fsum(
            (mp.mpf(w) * x + mp.mpf(b) - y) ** 2 for x, y in zip(c, f, strict=True)
        ) / len(c)

    low, high = 1, 2**44
    while high - low > 1:
        middle = (low + high) // 2
        if loss(middle) > threshold:
            high = middle
        else:
            low = middle
    return high


def test_the_digits_shown_are_those_exact_arithmetic_agrees_with() -> None:
    probe = Trainer(seed=0)
    rate = probe.max_stable_learning_rate * (1 + 1e-12)
    trainer = Trainer(seed=0, learning_rate=rate)
    engine = trainer.divergence_expected_at
    digits = trainer.prediction_digits
    assert engine is not None and digits is not None
    exact = exact_divergence(trainer, trainer._runaway_loss)
    assert engine != exact, "every digit would be a false promise"
    assert rounded(engine, digits) == rounded(exact, digits)
    assert approximate(engine, digits).startswith("≈ ")
    # and no more digits than a one-ulp change of the rate leaves in place
    for neighbour in (math.nextafter(rate, 0), math.nextafter(rate, 1)):
        moved = Trainer(seed=0, learning_rate=neighbour).divergence_expected_at
        assert moved is not None
        assert abs(moved - engine) < 10 ** (len(str(engine)) - digits)


def test_far_from_the_limit_every_digit_is_shown() -> None:
    trainer = Trainer(seed=0, learning_rate=2 * Trainer(seed=0).max_stable_learning_rate)
    assert trainer.prediction_digits is None
    assert approximate(7, None) == "7"
    assert Trainer(seed=0).prediction_digits is None


def test_headless_prints_the_supported_digits_with_an_approximately_sign() -> None:
    rate = Trainer(seed=0).max_stable_learning_rate * (1 + 1e-12)
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--headless", "--lr", repr(rate), "--iterations", "10"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "diverges at iteration ≈ 3,780,000,000,000" in result.stdout, result.stdout


def test_a_rate_that_lands_on_the_optimum_in_one_step_predicts_exactly() -> None:
    """Standardised gradient descent at lr 0.5 has ρ = 0 (one step lands on the optimum):
    every digit of its predictions holds. (ln ρ crashed the screen: math domain error.)"""
    trainer = Trainer(seed=0, standardize=True, learning_rate=0.5)
    assert trainer.spectral_radius == 0.0
    assert trainer.prediction_digits is None
    assert trainer.iterations_to() == 1
