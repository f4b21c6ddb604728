"""Issue 20 goal 1: the loss curve reaches plotext reduced to plotext's own dots, and the
chart is the very picture plotext draws from every point."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plotext._utility import get_matrix_data  # type: ignore[import-untyped]
from textual.app import App, ComposeResult

from tests.conftest import paused_app
from tui.widgets import loss_chart
from tui.widgets.cells import factor
from tui.widgets.loss_chart import LossChart


class OneChart(App[None]):
    """Nothing but a loss chart, the size of the terminal."""

    def __init__(self, *, ascii_markers: bool) -> None:
        super().__init__()
        self.ascii_markers = ascii_markers

    def compose(self) -> ComposeResult:
        yield LossChart(ascii_markers=self.ascii_markers, id="chart")


@st.composite
def histories(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A loss history as a trainer keeps one: decaying, or noisy, with plateaus, spikes,
    losses far below the axis' floor (and exact zeros), every row or every k-th."""
    size = draw(st.integers(1, 1_500))
    every = draw(st.sampled_from([1, 1, 3, 10]))
    iterations = np.arange(size, dtype=float) * every
    start = draw(st.floats(-3.0, 5.0))
    decades = draw(st.floats(0.0, 40.0))  # down to 1e-35: below FLOOR_DECADE and MOST_DECADES
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    logs = start - decades * (1.0 - np.exp(-iterations / max(iterations[-1] / 4.0, 1.0)))
    logs += rng.normal(0.0, draw(st.sampled_from([0.0, 0.01, 0.3, 2.0])), size)
    for _plateau in range(draw(st.integers(0, 3))):
        first = int(rng.integers(0, size))
        logs[first : first + int(rng.integers(1, 300))] = logs[first]
    for _spike in range(draw(st.integers(0, 3))):
        logs[int(rng.integers(0, size))] += rng.uniform(0.5, 8.0)
    losses = 10.0**logs
    if draw(st.booleans()):
        losses[-max(size // 10, 1) :] = 0.0  # a perfect fit: drawn at the smallest loss
    return iterations, losses


def pictures(chart: LossChart, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, list[int]]:
    """plotext's picture of the chart (with colours) from the reduced series, then from every
    point, and how many points each hands to plotext's ``plot``."""
    handed: list[int] = []
    plot = chart.plt.plot

    def counting(*args: Any, **kwargs: Any) -> Any:
        handed.append(len(args[0]))
        return plot(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(chart.plt, "plot", counting)
        chart.replot()
        reduced = chart.plt.build()
        patch.setattr(loss_chart, "per_dot", lambda columns, _rows: np.arange(columns.size))
        chart.replot()
        whole = chart.plt.build()
    return reduced, whole, handed


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("ascii_markers", [False, True])
async def test_the_reduced_curve_draws_the_picture_of_every_point(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], ascii_markers: bool
) -> None:
    app = OneChart(ascii_markers=ascii_markers)
    async with app.run_test(size=size):
        chart = app.query_one(LossChart)

        @settings(
            max_examples=60,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(
            history=histories(),
            race=st.none() | histories(),
            stretch=st.sampled_from([1.0, 1.0, 1.7, 10.0]),
            log_x=st.booleans(),
        )
        def check(
            history: tuple[np.ndarray, np.ndarray],
            race: tuple[np.ndarray, np.ndarray] | None,
            stretch: float,
            log_x: bool,
        ) -> None:
            iterations, losses = history
            chart.show(iterations, losses, float(iterations[-1]) * stretch, race=race, log_x=log_x)
            reduced, whole, handed = pictures(chart, monkeypatch)
            assert reduced == whole
            assert handed[-1] <= iterations.size

        check()


async def test_no_two_points_handed_to_plotext_share_one_of_its_dots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A default run's curve at 80×24 reaches plotext as one point per dot it steps on, so
    no two consecutive ones share a dot (before: the first and last of each run on a grid 8×
    finer, 237 points after 3,000 iterations, 213 of them on the dot before)."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.controller.driver.trainer.run(3_000)
        await pilot.press("n")
        await pilot.pause()
        chart = app.query_one(LossChart)
        handed: list[tuple[list[float], list[float]]] = []
        plot = chart.plt.plot

        def keeping(*args: Any, **kwargs: Any) -> Any:
            handed.append((list(args[0]), list(args[1])))
            return plot(*args, **kwargs)

        monkeypatch.setattr(chart.plt, "plot", keeping)
        chart.replot()
        xs, ys = handed[-1]  # after the axes' empty signal (``fill_under``)
        plot = chart.plt
        plot.build()  # plotext's own canvas and limits, and its own mapping onto its dots
        canvas, limits = plot.monitor.matrix, (plot.monitor.xlim[0], plot.monitor.ylim[0])
        across, down = factor("braille")
        column = np.array(get_matrix_data(xs, limits[0], len(canvas.Cols_canvas) * across))
        row = np.array(get_matrix_data(ys, limits[1], len(canvas.Rows_canvas) * down))
        shared = int(np.sum((column[1:] == column[:-1]) & (row[1:] == row[:-1])))
        assert len(xs) > 20 and shared == 0, f"{shared} of {len(xs)} points on the dot before"
