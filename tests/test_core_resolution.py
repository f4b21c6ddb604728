"""iterations_to refuses a tolerance float64 cannot resolve at the rate (issue 23 item 4).

At lr 1e-4 on the tutorial's data an update moves the bias by less than half an
ulp of 32 once it is about 9e-12 away: stepping stalls there for ever. The
closed form used to promise |b − 32| < 1e-12 from iteration 155,397.
"""

from __future__ import annotations

from itertools import islice

from core import Trainer
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
