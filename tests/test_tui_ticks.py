"""Axes that read well: log ticks at whole decades on evenly spaced rows, at every height."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from textual.app import App, ComposeResult

from tests.conftest import decade_ticks
from tui.widgets.loss_chart import LossChart
from tui.widgets.ticks import decade_axis


def plotext_row(value: float, low: float, high: float, rows: int) -> int:
    """The row plotext puts ``value`` on (plotext 5.3, ``_utility.get_matrix_data``)."""
    return math.floor(round(0.5 + (rows - 1) * (value - low) / (high - low), 8))


@pytest.mark.parametrize("rows", range(3, 61))
@pytest.mark.parametrize(("low", "high"), [(0, 1), (1, 4), (-1, 4), (-30, 4), (-300, 4), (2, 9)])
def test_decade_ticks_fall_on_evenly_spaced_rows_and_cover_the_data(
    rows: int, low: int, high: int
) -> None:
    axis = decade_axis(low, high, rows)
    assert axis.low <= low and axis.high >= high, "the curve fits on the axis"
    positions = [plotext_row(tick, axis.low, axis.high, rows) for tick in axis.ticks]
    assert all(0 <= row < rows for row in positions)
    gaps = {b - a for a, b in itertools.pairwise(positions)}
    assert len(gaps) <= 1, positions
    if rows >= 3 and len(positions) > 1:
        assert min(gaps) >= 2, "a blank row between labels"
    strides = {b - a for a, b in itertools.pairwise(axis.ticks)}
    assert len(strides) <= 1 and all(isinstance(tick, int) for tick in axis.ticks)


class OneChart(App[None]):
    """Nothing but a loss chart, so its height is exactly the one under test."""

    def __init__(self, height: int) -> None:
        super().__init__()
        self.height = height

    def compose(self) -> ComposeResult:
        chart = LossChart(id="chart")
        chart.styles.height = self.height
        yield chart


@pytest.mark.parametrize("height", range(5, 17))
async def test_the_loss_chart_labels_decades_evenly_at_every_height_from_five(height: int) -> None:
    app = OneChart(height)
    async with app.run_test(size=(40, 20)) as pilot:
        chart = app.query_one(LossChart)
        iterations = np.arange(0.0, 2_000.0)
        losses = 1707.3 * np.exp(-iterations / 300.0) + 3.0  # four decades and a bit
        chart.show(iterations, losses, 2_000)
        await pilot.pause()
        decade_ticks(str(chart.render()))


def chart_rows(text: str, marks: str) -> set[int]:
    """The rows of a chart's text holding any of ``marks``."""
    return {row for row, line in enumerate(text.splitlines()) if any(m in line for m in marks)}


async def test_a_race_to_1e_30_keeps_at_most_eight_decades_and_marks_the_floor() -> None:
    """Issue 22: with Adam racing, the axis stretched to 1e-30 and gradient descent's curve
    (1,707 → 17) became one flat row. The axis shows at most 8 decades; what lies below is
    drawn at the bottom, labelled ≤."""
    app = OneChart(12)
    async with app.run_test(size=(40, 20)) as pilot:
        chart = app.query_one(LossChart)
        iterations = np.arange(0.0, 10_000.0)
        slow = 1707.3 * np.exp(-iterations / 2_200.0) + 17.0
        fast = 1707.3 * np.exp(-iterations / 120.0) + 1e-30
        chart.show(iterations, slow, 10_000, race=(iterations, fast))
        await pilot.pause()
        text = str(chart.render())
        labels = [line.split("┤")[0].strip() for line in text.splitlines() if "┤" in line]
        decades = [int(label.lstrip("≤").removeprefix("1e")) for label in labels]
        assert max(decades) - min(decades) <= 8, labels
        assert labels[-1].startswith("≤"), "the floor says that lower losses are drawn on it"
        assert all(not label.startswith("≤") for label in labels[:-1]), labels
        assert len(chart_rows(text, "⠁⠂⠄⡀⠈⠐⠠⢀⠉⠒⠤⣀")) >= 2, "gradient descent's curve falls"


async def test_losses_below_1e_12_are_drawn_at_the_floor_never_below_1e_12() -> None:
    app = OneChart(12)
    async with app.run_test(size=(40, 20)) as pilot:
        chart = app.query_one(LossChart)
        iterations = np.arange(0.0, 1_000.0)
        chart.show(iterations, 1e-5 * np.exp(-iterations / 20.0), 1_000)
        await pilot.pause()
        text = str(chart.render())
        labels = [line.split("┤")[0].strip() for line in text.splitlines() if "┤" in line]
        assert labels[-1].startswith("≤") and -12 <= chart.axis.low <= -11, labels


async def test_a_race_with_the_same_losses_is_drawn_on_the_curves_cells_and_both_show() -> None:
    """Two trainers with the same losses: the x curve was drawn a row off the main one, or
    hidden under it. Now its marks lie on the main curve's cells, every other one."""
    iterations = np.arange(0.0, 2_000.0)
    losses = 1707.3 * np.exp(-iterations / 300.0) + 3.0
    app = OneChart(12)
    async with app.run_test(size=(40, 20)) as pilot:
        chart = app.query_one(LossChart)
        chart.show(iterations, losses, 2_000)
        await pilot.pause()
        alone = chart_rows_and_columns(str(chart.render()), BRAILLE)
        chart.show(iterations, losses, 2_000, race=(iterations, losses.copy()))
        await pilot.pause()
        text = str(chart.render())
    racer, main = chart_rows_and_columns(text, {"x"}), chart_rows_and_columns(text, BRAILLE)
    assert racer and main, text
    assert racer | main == alone, text


BRAILLE = {chr(code) for code in range(0x2801, 0x2900)}


def chart_rows_and_columns(text: str, marks: set[str]) -> set[tuple[int, int]]:
    return {
        (row, column)
        for row, line in enumerate(text.splitlines())
        for column, character in enumerate(line)
        if character in marks
    }
