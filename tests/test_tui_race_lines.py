"""A race on the fit chart you can read (issue 22 item 4): two neurons with the same weights
drawn on the same cells, and both lines visible where they meet, at 80×24."""

from __future__ import annotations

import random
import re

import plotext
import pytest

from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui.app import TrainerApp, make_app
from tui.lesson.stages import STAGES
from tui.model.race import parse_compare
from tui.settings import Settings
from tui.widgets.cells import curve_cells, line_cells

SIZE = (80, 24)
QUADRANTS = set("▖▗▘▝▀▄▌▐▚▞▙▛▜▟█")
"""The marks of the neuron's line ("hd": quadrants of a cell)."""
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cells(chart_text: str, marks: set[str]) -> set[tuple[int, int]]:
    """The (row, column) of every character of ``marks`` in a chart's text."""
    return {
        (row, column)
        for row, line in enumerate(chart_text.splitlines())
        for column, character in enumerate(line)
        if character in marks
    }


def plotext_cells(
    xs: tuple[float, ...], ys: tuple[float, ...], canvas: tuple[int, int], marker: str
) -> set[tuple[int, int]]:
    """The cells plotext itself lights for a segment on a bare canvas (the oracle)."""
    plotext.clear_figure()
    plotext.plotsize(*canvas)
    plotext.xaxes(False, False)
    plotext.yaxes(False, False)
    plotext.xticks([])
    plotext.yticks([])
    plotext.xlim(0.0, 1.0)
    plotext.ylim(0.0, 1.0)
    plotext.plot(list(xs), list(ys), marker=marker)
    lines = ANSI.sub("", plotext.build()).split("\n")
    rows = canvas[1]
    return {
        (column, rows - 1 - row)
        for row, line in enumerate(lines)
        for column, character in enumerate(line)
        if character != " "
    }


@pytest.mark.parametrize("marker", ["hd", "braille", "x"])
def test_line_cells_are_the_cells_plotext_lights(marker: str) -> None:
    generator = random.Random(22)
    for _case in range(100):
        canvas = (generator.randint(3, 40), generator.randint(3, 20))
        xs = (generator.uniform(-1.0, 0.3), generator.uniform(0.7, 2.0))
        ys = (generator.uniform(-1.0, 2.0), generator.uniform(-1.0, 2.0))
        limits = ((0.0, 1.0), (0.0, 1.0))
        got = set(line_cells(xs, ys, limits, canvas, marker))
        assert got == plotext_cells(xs, ys, canvas, marker), (canvas, xs, ys)


@pytest.mark.parametrize("marker", ["braille", "*"])
def test_curve_cells_are_the_cells_plotext_lights(marker: str) -> None:
    generator = random.Random(8)
    for _case in range(100):
        canvas = (generator.randint(3, 40), generator.randint(3, 20))
        points = sorted(generator.uniform(0.0, 1.0) for _point in range(generator.randint(1, 30)))
        xs, ys = tuple(points), tuple(generator.uniform(0.0, 1.0) for _point in points)
        got = curve_cells(list(xs), list(ys), ((0.0, 1.0), (0.0, 1.0)), canvas, marker)
        assert len(got) == len(set(got))
        assert set(got) == plotext_cells(xs, ys, canvas, marker), (canvas, xs, ys)


async def test_a_racer_with_the_same_weights_is_drawn_on_the_neurons_cells_and_both_show() -> None:
    """At iteration 0 both trainers have the same weights: the x line was drawn a row off the
    "now" line. Now it lies on the very cells the neuron's line has without a race, every
    other one, and the neuron's line shows between. (The race row takes a row: without a
    race, one row less gives the chart the same size.)"""
    alone = paused_app()
    async with alone.run_test(size=(80, 29)) as pilot:
        await pilot.pause()
        neuron = cells(shown(alone, "#fit-chart"), QUADRANTS)
        size = alone.query_one("#fit-chart").size
    racing = paused_app(compare=parse_compare("gradient=published"))
    async with racing.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert racing.query_one("#fit-chart").size == size
        text = shown(racing, "#fit-chart")
        racer, now = cells(text, {"x"}), cells(text, QUADRANTS)
    assert racer and now, "both lines show"
    assert racer | now == neuron and not racer & now, text


async def test_the_published_chapter_at_80x24_shows_both_lines_after_f() -> None:
    """``--lesson`` on the published-gradient chapter, then f, at 80×24: the race's x line
    was hidden under the neuron's line."""
    chapter = next(n for n, stage in enumerate(STAGES, 1) if stage.slug == "published")
    app = make_app(Settings(lesson=chapter))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        racer = app.controller.race
        assert racer is not None
        await until(pilot, lambda: racer.driver.trainer.iteration == 10_000, "the race at 10,000")
        await pilot.pause()
        text = shown(app, "#fit-chart")
    assert len(cells(text, {"x"})) >= 5, text
    assert len(cells(text, QUADRANTS)) >= 5, text


# -- in a browser (issue 22 item 8) ---------------------------------------------------

BRAILLE = {chr(code) for code in range(0x2801, 0x2900)}


async def test_served_to_a_browser_the_lines_are_ruled_and_beaded_and_the_truth_is_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a browser's terminal half blocks draw a thick staircase and braille faint dots (the
    truth looked like the untrained line's dots): there the truth is ruled (─ ╱), the neuron
    now a line of beads (●), each a mark of its own in the legend too; the race's x lies on
    the beads' cells. The loss curve is beads (•) too."""
    monkeypatch.setattr(TrainerApp, "is_web", property(lambda _app: True))
    app = paused_app(compare=parse_compare("gradient=published"))
    async with app.run_test(size=(150, 44)) as pilot:
        await pilot.press("n", "n", "n", "n", "n")
        await pilot.pause()
        text = shown(app, "#fit-chart")
        legend = next(row for row in screen_text(app).splitlines() if "truth" in row)
        loss = shown(app, "#loss-chart")
    assert cells(loss, {"•"}) and not cells(loss, BRAILLE), loss
    assert not cells(text, QUADRANTS | BRAILLE), text
    assert len(cells(text, {"╱"})) > 10 and len(cells(text, {"●"})) > 20, text
    assert cells(text, {"x"}), "the race shows"
    assert "── truth" in legend and "·· untrained" in legend and "●● now" in legend, legend


async def test_in_a_terminal_the_marks_stay_fine() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = shown(app, "#fit-chart")
    assert cells(text, QUADRANTS) and cells(text, BRAILLE) and not cells(text, {"●", "╱"})
