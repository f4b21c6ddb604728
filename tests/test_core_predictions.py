"""Predictions (core.predictions): the future from the closed form, and what float64 resolves.

iterations_to refuses a tolerance float64 cannot resolve at the rate (issue 23 item 4).

At lr 1e-4 on the tutorial's data an update moves the bias by less than half an
ulp of 32 once it is about 9e-12 away: stepping stalls there for ever. The
closed form used to promise |b − 32| < 1e-12 from iteration 155,397.
"""

from __future__ import annotations

from itertools import islice

import pytest

from core import Trainer, predictions
from core.position import Position
from core.predictions import Forecast
from tests.loops import Moments


def walk(trainer: Trainer, count: int) -> list[tuple[float, float]]:
    """``count`` iterations of an independent loop (plain floats, moments summed here)."""
    moments = Moments.of(trainer.dataset.celsius, trainer.dataset.fahrenheit)
    return list(islice(moments.walk(trainer.weight, trainer.bias, trainer.learning_rate), count))


def test_a_tolerance_below_what_stepping_can_reach_gets_none_and_a_reason() -> None:
    trainer = Trainer(seed=0)
    steps = walk(trainer, 400_000)
    closest = min(abs(b - 32.0) for _, b in steps[300_000:])
    assert closest > 1e-12, "stepping stalls short of 1e-12"
    assert trainer.iterations_to(1e-12, 1e-12) is None
    resolution = trainer.resolution
    assert resolution is not None and resolution[1] >= closest / 2


def test_a_tolerance_above_the_resolution_is_still_predicted_and_holds() -> None:
    trainer = Trainer(seed=0)
    arrival = trainer.iterations_to(1e-9, 1e-9)
    assert arrival is not None
    steps = walk(trainer, arrival + 50_000)
    w_star, b_star = trainer.surface.optimum_weight, trainer.surface.optimum_bias
    inside = [abs(w - w_star) < 1e-9 and abs(b - b_star) < 1e-9 for w, b in steps]
    assert all(inside[arrival - 1 :]), "within from the predicted iteration on"
    assert not inside[arrival - 2], "and not before it"


def test_the_stable_limit_is_two_over_the_largest_curvature_and_more_with_momentum() -> None:
    gd, momentum = Trainer(seed=0), Trainer(seed=0, optimizer="momentum")
    largest = max(gd.surface.eigenvalues)
    assert predictions.max_stable_learning_rate(gd._span) == pytest.approx(2 / largest)
    assert predictions.max_stable_learning_rate(momentum._span) == pytest.approx(3.8 / largest)


def test_divergence_at_is_the_first_iteration_a_plain_loop_runs_away() -> None:
    trainer = Trainer(seed=0, learning_rate=5e-3)
    position: Position = trainer._position
    span = trainer._span
    assert span.closed_form is not None
    found = predictions.divergence_at(
        span, span.closed_form, 0, trainer.surface, position.runs_away
    )
    moments = Moments.of(trainer.dataset.celsius, trainer.dataset.fahrenheit)
    walk = moments.walk(trainer.weight, trainer.bias, 5e-3)
    first = next(
        k
        for k, (weight, bias) in enumerate(walk, start=1)
        if position.runs_away(trainer.surface.at(weight, bias)[0])
    )
    assert found == first == 4


def test_a_forecast_searches_once_per_segment_and_iteration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trainer = Trainer(seed=0)
    forecast: Forecast = trainer._forecast
    searches = []
    search = predictions.iterations_to

    def counted(*args: object) -> int | None:
        searches.append(args)
        return search(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(predictions, "iterations_to", counted)
    assert forecast.iterations_to((1e-3, 1e-2)) == 40_243
    assert forecast.iterations_to((1e-3, 1e-2)) == 40_243
    assert len(searches) == 1
    trainer.run(1_000)
    assert forecast.iterations_to((1e-3, 1e-2)) == 40_243
    assert len(searches) == 2
    trainer.learning_rate = 2e-4  # a new segment at iteration 1,000: a new answer
    assert forecast.iterations_to((1e-3, 1e-2)) == trainer.iterations_to() < 40_243
    assert len(searches) == 3
