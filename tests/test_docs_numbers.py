"""The numbers docs/api.md states, checked against the engine and the geometry (issue 23 item 7)."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

from core import Trainer
from core.optimizers import MomentumState

API = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")


def test_the_valley_ratio_is_the_square_root_of_the_condition_number() -> None:
    stated = re.search(r"valley about (\d+) times longer than it is wide", API)
    assert stated is not None
    kappa = Trainer(seed=0).surface.condition_number
    assert int(stated.group(1)) == round(math.sqrt(kappa))


def test_adams_row_says_it_is_the_first_entry_and_that_it_leaves_again() -> None:
    row = next(line for line in API.splitlines() if line.startswith("| Adam (0.9"))
    trainer = Trainer(seed=0, optimizer="adam")
    optimum = (trainer.surface.optimum_weight, trainer.surface.optimum_bias)

    def inside() -> bool:
        return abs(trainer.weight - optimum[0]) < 1e-3 and abs(trainer.bias - optimum[1]) < 1e-2

    trainer.run(1_034)
    assert not inside()
    trainer.run(1)
    assert inside() and "1,035 first, not for good" in row
    trainer.run(6_480 - 1_035)
    assert inside()
    trainer.run(1)
    assert not inside() and "leaves at 6,481" in row


def test_turning_standardising_on_clears_momentums_velocity_as_documented() -> None:
    assert "so does changing\n`standardize`" in API
    trainer = Trainer(seed=0, optimizer="momentum")
    trainer.run(10)
    trainer.standardize = True
    update = list(itertools.islice(trainer.steps(), 3))[-1]
    state = update.state  # type: ignore[attr-defined]
    assert isinstance(state, MomentumState)
    assert state.previous_velocity_weight == 0.0 == state.previous_velocity_bias
