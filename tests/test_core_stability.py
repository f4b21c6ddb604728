"""One divergence rule for every path, and stability known before anything runs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core import Dataset, Trainer
from tests.registry import LINEAR_OPTIMIZERS


def stepped(trainer: Trainer, limit: int = 3 * 1_000_000) -> Trainer:
    for _ in itertools.islice(trainer.steps(), limit):
        pass
    return trainer


CASES = [
    *({"learning_rate": rate} for rate in (1.2e-3, 1.25e-3, 5e-3, 1.0, 1e6, 1e300)),
    *({"optimizer": "momentum", "learning_rate": rate} for rate in (2.3e-3, 3e-3, 1e-2, 1e300)),
    *({"standardize": True, "learning_rate": rate} for rate in (1.01, 1.5, 1e200)),
]


@pytest.mark.parametrize("settings", CASES, ids=lambda s: "-".join(map(str, s.values())))
def test_the_predicted_iteration_is_where_run_and_steps_declare_divergence(
    settings: dict[str, object],
) -> None:
    predicting = Trainer(seed=0, **settings)  # type: ignore[arg-type]
    expected = predicting.divergence_expected_at
    assert predicting.iteration == 0, "predicting runs nothing"
    assert not predicting.stable
    radius = predicting.spectral_radius
    assert radius is not None and radius > 1.0
    walked = stepped(Trainer(seed=0, **settings))  # type: ignore[arg-type]
    ran = Trainer(seed=0, **settings)  # type: ignore[arg-type]
    ran.run(10**15)
    assert walked.diverged and ran.diverged
    assert expected == walked.diverged_at == ran.diverged_at
    assert ran.iteration == walked.iteration
    assert np.isfinite([ran.weight, ran.bias, walked.weight, walked.bias]).all()
    assert ran.divergence_expected_at == ran.diverged_at


def test_a_rate_just_above_the_limit_is_unstable_from_the_start() -> None:
    """--lr 1.2e-3: 2/λ_max ≈ 1.19976e-3. The loss grows 1,000-fold by iteration 10,000;
    divergence is declared at 18,872, and known before the first step."""
    trainer = Trainer(seed=0, learning_rate=1.2e-3)
    assert trainer.learning_rate > trainer.max_stable_learning_rate
    assert not trainer.stable
    radius = trainer.spectral_radius
    assert radius == pytest.approx(abs(1 - 1.2e-3 * trainer.surface.eigenvalues[1]), rel=1e-12)
    assert trainer.divergence_expected_at == 18_872
    trainer.run(10_000)
    assert not trainer.diverged and trainer.loss > 1_000 * 1_707
    assert trainer.divergence_expected_at == 18_872, "the same from wherever it is asked"


@pytest.mark.parametrize("optimizer", LINEAR_OPTIMIZERS)
def test_just_below_the_limit_is_stable_and_never_diverges(optimizer: str) -> None:
    trainer = Trainer(seed=0, optimizer=optimizer)
    trainer.learning_rate = 0.99 * trainer.max_stable_learning_rate
    radius = trainer.spectral_radius
    assert radius is not None and radius < 1.0 and trainer.stable
    assert trainer.divergence_expected_at is None
    assert trainer.run(200_000) == 200_000
    assert not trainer.diverged


def test_a_curvature_below_floating_point_resolution_stalls_its_direction() -> None:
    """Celsius spanning 1e-150: η·λ_min ≈ 1e-305, so 1 − η·λ rounds to 1. That direction
    (the weight) makes no progress, neither stepping nor in closed form; the trainer
    says so rather than promise convergence."""
    trainer = Trainer(Dataset([0.0, 1e-150], [0.0, 1e100]), seed=0)
    directions = trainer.directions
    assert directions is not None
    flat, steep = directions
    assert flat.stalled and flat.factor == 1.0 and not flat.converges
    assert not steep.stalled and steep.converges
    assert trainer.spectral_radius == 1.0 and not trainer.stable
    assert trainer.divergence_expected_at is None
    assert trainer.iterations_to() is None, "the weight never gets there"
    walked = stepped(Trainer(Dataset([0.0, 1e-150], [0.0, 1e100]), seed=0), 3 * 200)
    trainer.run(200)
    assert trainer.weight == walked.weight == trainer.initial_weight
    assert trainer.bias == pytest.approx(walked.bias, rel=1e-9)


def test_without_a_closed_form_stability_is_what_has_happened_so_far() -> None:
    trainer = Trainer(seed=0, optimizer="adam")
    assert trainer.spectral_radius is None and trainer.directions is None
    assert trainer.stable and trainer.divergence_expected_at is None
    assert not trainer.has_closed_form
