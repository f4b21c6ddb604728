"""Step-by-step mode: each phase's formula on screen with core's numbers in it."""

from __future__ import annotations

import itertools

import pytest

from core import Trainer
from core.events import BackwardEvent, ForwardEvent, UpdateEvent
from tests.conftest import paused_app, screen_text, shown
from tui.format import number, rate

SIZE = (80, 24)


def header(app: object) -> str:
    """The explanation's header line: its title on the left, the sample and next key right."""
    return shown(app, "#explain-header")  # type: ignore[arg-type]


def core_events(count: int) -> list[object]:
    """The events core itself yields for the first phases of the default run."""
    return list(itertools.islice(Trainer(seed=0).steps(), count))


async def test_step_mode_starts_paused_with_the_explanation_open() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE):
        assert "PAUSED" in shown(app, "#status")
        assert app.query_one("#explain").display
        explanation = shown(app, "#explain")
        assert "Press s for the first, forward" in explanation
        assert "sample 42 °C" in header(app)


async def test_three_steps_walk_forward_backward_update_with_cores_numbers() -> None:
    forward, backward, update = core_events(3)
    assert isinstance(forward, ForwardEvent) and isinstance(backward, BackwardEvent)
    assert isinstance(update, UpdateEvent)
    sample = 92  # celsius 42 in -50..49
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        text = shown(app, "#explain")
        assert "── forward · iteration 1 ─" in header(app)
        assert "output = celsius × weight + bias" in text
        assert (
            f"= 42 × {number(forward.weight, 7)} + {number(forward.bias, 7)} = "
            f"{number(float(forward.output[sample]), 7)}"
        ) in text
        assert f"= {number(forward.loss, 7)}" in text
        assert "next: backward" in header(app)

        await pilot.press("s")
        text = shown(app, "#explain")
        assert "── backward · iteration 1 ─" in header(app)
        assert "∂loss/∂output" in text and "∂output/∂weight" in text
        assert f"= {number(float(backward.grad_output[sample]), 7)}" in text
        assert f"= {number(backward.grad_weight, 7)}" in text
        assert f"= {number(backward.grad_bias, 7)}" in text

        await pilot.press("s")
        text = shown(app, "#explain")
        assert "── update (gd) · iteration 1 ─" in header(app)
        assert (
            f"weight ← {number(update.previous_weight, 7)} − {rate(update.learning_rate)} × "
            f"({number(update.grad_weight, 7)}) = {number(update.weight, 7)}"
        ) in text
        assert f"= {number(update.bias, 7)}" in text
        assert "both up: gradients negative, so larger values lower the loss" in text
        assert "lr × λ_max = 0.167 (stable below 2)" in text
        assert "iter 1/10,000" in shown(app, "#status")


@pytest.mark.slow
async def test_brackets_choose_the_explained_sample() -> None:
    forward = core_events(1)[0]
    assert isinstance(forward, ForwardEvent)
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "right_square_bracket")
        assert "sample 43 °C" in header(app)
        assert f"= {number(float(forward.output[93]), 7)}" in shown(app, "#explain")
        await pilot.press(*["left_square_bracket"] * 3)
        assert "sample 40 °C" in header(app)
        assert f"= 40 × {number(forward.weight, 7)}" in shown(app, "#explain")
        await pilot.press(*["left_square_bracket"] * 92)  # 90 steps down to -50 °C, and 2 more
        assert "sample -50 °C" in header(app), "stops at the coldest"


async def test_e_toggles_the_explanation_in_any_mode() -> None:
    """Closed at start, the explanation is not even composed (issue 20: the first frame
    mounts only what it shows); ``e`` composes and opens it, and closes it again."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        assert not app.query("#explain"), "composed when first opened"
        assert app.query_one("#loss-chart").display
        await pilot.press("e")
        explain = app.query_one("#explain")
        assert explain.display
        assert not app.query_one("#loss-chart").display, "at 24 rows the loss history makes room"
        assert "1707.305" in shown(app, "#loss-value"), "the loss readout stays"
        await pilot.press("n")
        assert "update (gd) · iteration 1" in header(app)
        await pilot.press("e")
        assert not explain.display and app.query_one("#loss-chart").display


async def test_the_chart_marks_the_explained_sample() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        chart = app.query_one("#fit-chart")
        assert "42 °C" in str(chart.border_subtitle), "the legend names the sample marked"
        assert "●" in str(chart.render())
        await pilot.press("e")
        assert "42 °C" not in str(chart.border_subtitle)
        assert "●" not in str(chart.render())


async def test_a_small_terminal_asks_for_room_and_recovers() -> None:
    app = paused_app()
    async with app.run_test(size=(50, 15)) as pilot:
        assert "needs a terminal of at least 80×22" in screen_text(app)
        assert "PAUSED" not in screen_text(app)
        await pilot.press("plus", "r", "space")
        assert app.controller.driver.trainer.learning_rate == 1e-4, (
            "keys do nothing behind the notice"
        )
        assert app.controller.driver.state.value == "paused"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(app)
        assert "needs a terminal" not in text
        assert "PAUSED" in text and "truth" in text


async def test_an_update_that_rounds_away_shows_its_change() -> None:
    """Issue 22 item 6: at iteration 9,000 the weight's update read
    ``1.796897 − 1e-4 × (-0.006205058) = 1.796897``, as if nothing moved; the change is
    shown when the new value is written as the old one (and only then)."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "backspace", *"8999", "enter", "s", "s", "s")
        await pilot.pause()
        trainer = app.controller.driver.trainer
        assert trainer.iteration == 9_000
        update = app.controller.driver.latest["update"]
        assert isinstance(update, UpdateEvent)
        change = update.weight - update.previous_weight
        text = shown(app, "#explain")
        assert f"= {number(update.weight, 7)} (Δ +{number(change, 7)})" in text
        assert number(update.weight, 7) == number(update.previous_weight, 7)
        assert number(update.bias, 7) != number(update.previous_bias, 7)
        assert text.count("Δ") == 1, "the bias's update is visible without it"
