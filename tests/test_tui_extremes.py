"""Issue 14, items 6 and 7: degenerate ranges and enormous learning rates draw, never crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import paused_app, screen_text, shown
from tui.model.driver import RunState
from tui.widgets.banner import halvings_below
from tui.widgets.ticks import padded

SIZE = (80, 24)


@pytest.mark.parametrize(
    "rows",
    [
        "20.0,68.0\n20.000000000000004,68.0\n",  # two samples one rounding step apart
        "0,32\n1e-20,32\n",  # a flat line over a sliver of celsius
    ],
)
async def test_a_data_file_with_a_degenerate_range_draws_its_charts(
    tmp_path: Path, rows: str
) -> None:
    path = tmp_path / "narrow.csv"
    path.write_text("celsius,fahrenheit\n" + rows)
    app = paused_app(data=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "v", "v", "e")
        screen = screen_text(app)
        assert "truth" in screen and "┤" in screen, "the chart and its axis are drawn"
        assert app.controller.driver.trainer.iteration == 1


async def test_a_celsius_range_narrower_than_rounding_draws_its_charts() -> None:
    app = paused_app(celsius_range=(0.0, 1e-15))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "v")
        assert "loss landscape" in screen_text(app)


def test_padded_ranges_are_never_empty_and_keep_real_ones() -> None:
    assert padded(32.0, 32.0) == pytest.approx((30.4, 33.6))
    assert padded(0.0, 0.0) == (-1.0, 1.0)
    low, high = padded(20.0, 20.000000000000004)
    assert high - low > 1.0, "narrower than rounding: drawn as a point"
    assert padded(0.0, 1e-20) == (0.0, 1e-20), "a tiny but real range stays"
    assert padded(-50.0, 49.0, 0.02) == pytest.approx((-51.98, 50.98))
    assert padded(float("nan"), 1.0) == (-1.0, 1.0)


async def test_the_largest_learning_rate_diverges_and_says_how_to_recover() -> None:
    app = paused_app(learning_rate=1e308)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        assert app.controller.driver.state is RunState.DIVERGED
        banner = shown(app, "#banner")
        assert "Press - 1033 times to halve it below the limit" in banner
        await pilot.press("e", "v")
        assert "DIVERGED" in shown(app, "#status")


async def test_l_accepts_1e308_and_everything_stays_finite() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "backspace", *"1e308", "enter")
        assert app.controller.driver.trainer.learning_rate == 1e308
        await pilot.press("n", "n", "v")
        assert app.controller.driver.state is RunState.DIVERGED
        assert "lr 1e308" in shown(app, "#status")


async def test_plus_stops_at_a_thousand() -> None:
    app = paused_app(learning_rate=600.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert app.controller.driver.trainer.learning_rate == 600.0
        note = list(app._notifications)[-1]
        assert note.title == "Learning rate unchanged" and "no higher than 1e3" in note.message
        await pilot.press("minus", "plus")
        assert app.controller.driver.trainer.learning_rate == 600.0


def test_halvings_below_the_limit_are_counted_without_overflow() -> None:
    assert halvings_below(5e-3, 1.2e-3) == 3
    assert halvings_below(1e308, 1.2e-3) == 1033
    assert halvings_below(1.0, float("inf")) == 1
