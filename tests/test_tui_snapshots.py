"""What the screen looks like: SVG snapshots, reviewed by eye before committing.

80×24 first (most SSH terminals), then 80×22 (the smallest the app accepts), 100×30,
120×40 and 200×50. Every snapshot starts paused with seed 0, so the picture depends
only on the keys pressed, never on timing.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import paused_app

SIZE = (80, 24)
SIZES = [(80, 24), (80, 22), (100, 30), (120, 40), (200, 50)]


def test_first_screen(snap_compare: Any) -> None:
    """The untrained neuron: red and green lines together, far from the blue truth."""
    assert snap_compare(paused_app(), terminal_size=SIZE)


@pytest.mark.parametrize("size", SIZES)
def test_paused_mid_training(snap_compare: Any, size: tuple[int, int]) -> None:
    """After 2,000 iterations: the weight is nearly there, the bias is still climbing."""

    async def train(pilot: Pilot[Any]) -> None:
        pilot.app.controller.driver.trainer.run(1_999)  # type: ignore[attr-defined]
        await pilot.press("n")

    assert snap_compare(paused_app(), terminal_size=size, run_before=train)


@pytest.mark.parametrize("size", SIZES)
def test_step_mode_mid_run(snap_compare: Any, size: tuple[int, int]) -> None:
    """--step after 419 iterations, then forward and backward of iteration 420: the
    explanation, the chart with the sample's error, the gradients labelled "at 419's w, b →
    update 420"."""

    async def train(pilot: Pilot[Any]) -> None:
        pilot.app.controller.driver.trainer.run(419)  # type: ignore[attr-defined]
        await pilot.press("s", "s")

    assert snap_compare(paused_app(step_mode=True), terminal_size=size, run_before=train)


def test_diverged_run(snap_compare: Any) -> None:
    """lr 5e-3, four times the stable limit: DIVERGED, with what to do about it."""
    keys = ["n"] * 4  # the fourth update runs away
    assert snap_compare(paused_app(learning_rate=5e-3), press=keys, terminal_size=SIZE)


def _step_mode_after(steps: int) -> Any:
    async def press(pilot: Pilot[Any]) -> None:
        for _ in range(steps):
            await pilot.press("s")

    return press


def test_step_mode_forward(snap_compare: Any) -> None:
    """--step, one s: the forward pass for 42 °C and the loss over all samples."""
    app = paused_app(step_mode=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=_step_mode_after(1))


def test_step_mode_backward(snap_compare: Any) -> None:
    """Two s: the chain rule, from the loss back to the weight and the bias."""
    app = paused_app(step_mode=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=_step_mode_after(2))


def test_step_mode_update(snap_compare: Any) -> None:
    """Three s: both parameters step against their gradients, and say which way."""
    app = paused_app(step_mode=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=_step_mode_after(3))


@pytest.mark.parametrize("size", [(80, 24), (160, 40)])
def test_code_pane_backward(snap_compare: Any, size: tuple[int, int]) -> None:
    """p, then forward and backward: the program's backward lines lit with their values, in
    the explanation's place at 80×24 and beside it at 160×40."""

    async def press(pilot: Pilot[Any]) -> None:
        await pilot.press("p", "s", "s")

    assert snap_compare(paused_app(step_mode=True), terminal_size=size, run_before=press)


def _landscape_after(iterations: int) -> Any:
    async def show(pilot: Pilot[Any]) -> None:
        if iterations:
            pilot.app.controller.driver.trainer.run(iterations - 1)  # type: ignore[attr-defined]
            await pilot.press("n")
        await pilot.press("v")

    return show


def test_ascii_landscape_legend_describes_its_marks(snap_compare: Any) -> None:
    """--ascii: bands drawn with . : + # @, and the legend says so."""
    app = paused_app(ascii=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=_landscape_after(2_000))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_landscape_untrained(snap_compare: Any, size: tuple[int, int]) -> None:
    """Iteration 0: the valley across the chart, the neuron far below it on the left."""
    assert snap_compare(paused_app(), terminal_size=size, run_before=_landscape_after(0))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_landscape_after_2000_iterations(snap_compare: Any, size: tuple[int, int]) -> None:
    """2,000 iterations: the path climbed into the valley and crawls along it."""
    assert snap_compare(paused_app(), terminal_size=size, run_before=_landscape_after(2_000))


def test_unstable_from_the_first_frame(snap_compare: Any) -> None:
    """lr 1.2e-3, just above the limit 1.19976e-3: UNSTABLE before any iteration, with the
    growth per iteration and the iteration at which divergence will be declared."""
    assert snap_compare(paused_app(learning_rate=1.2e-3), terminal_size=SIZE)


@pytest.mark.parametrize("step_mode", [False, True])
def test_done_says_how_far_each_parameter_is_and_when_it_arrives(
    snap_compare: Any, step_mode: bool
) -> None:
    """The default run at its target: "bias 4.23 °F short; |b − 32| < 0.01 at iteration
    40,243 at this rate", in the normal layout and in step mode's."""

    async def finish(pilot: Pilot[Any]) -> None:
        await pilot.press("f")
        while pilot.app.controller.driver.fast_forwarding:  # type: ignore[attr-defined]
            pilot.app._tick()  # type: ignore[attr-defined]
        await pilot.pause()

    app = paused_app(step_mode=step_mode)
    assert snap_compare(app, terminal_size=SIZE, run_before=finish)


def test_hands_mode_on_the_landscape(snap_compare: Any) -> None:
    """After 300 iterations, h, v, then the weight moved down three notches by hand and the
    bias up two: the status names the mode and its step, the landscape shows the run's path,
    the hand's points and the arrow the way downhill (−gradient), the Footer the mode's keys."""

    async def move(pilot: Pilot[Any]) -> None:
        pilot.app.controller.driver.trainer.run(299)  # type: ignore[attr-defined]
        await pilot.press("n", "h", "v", "left", "left", "left", "up", "up")

    assert snap_compare(paused_app(), terminal_size=SIZE, run_before=move)
