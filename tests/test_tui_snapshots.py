"""What the screen looks like at 80×24: SVG snapshots, reviewed by eye before committing.

Every snapshot starts paused with seed 0, so the picture depends only on the
keys pressed, never on timing.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.conftest import paused_app

SIZE = (80, 24)


def test_first_screen(snap_compare: Any) -> None:
    """The untrained neuron: red and green lines together, far from the blue truth."""
    assert snap_compare(paused_app(), terminal_size=SIZE)


def test_paused_mid_training(snap_compare: Any) -> None:
    """After 2,000 iterations: the weight is nearly there, the bias is still climbing."""

    async def train(pilot: Pilot[Any]) -> None:
        pilot.app.driver.trainer.run(1_999)  # type: ignore[attr-defined]
        await pilot.press("n")

    assert snap_compare(paused_app(), terminal_size=SIZE, run_before=train)


def test_diverged_run(snap_compare: Any) -> None:
    """lr 5e-3, four times the stable limit: DIVERGED, with what to do about it."""
    keys = ["n"] * 8
    assert snap_compare(paused_app(learning_rate=5e-3), press=keys, terminal_size=SIZE)
