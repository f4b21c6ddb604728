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
