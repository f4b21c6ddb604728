"""The loss history on a logarithmic scale (and the iterations too, with ``t``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from core.types import FloatArray
from tui.format import count
from tui.themes import on_background
from tui.widgets.cells import cell_centre, curve_cells, factor, to_dots
from tui.widgets.plot_text import PlotText
from tui.widgets.ticks import DecadeAxis, decade_axis, nice_ticks

if TYPE_CHECKING:
    from numpy.typing import NDArray

SMALLEST_LOSS = 1e-300
"""Losses below this (exactly 0 at a perfect fit) count as this (log10 needs a number > 0)."""
FLOOR_DECADE = -12
"""Losses below 1e-12 are drawn at 1e-12: below it is rounding (Adam reaches 1e-30), and a
race to there squeezed the other curve into one row (issue 22)."""
MOST_DECADES = 8
"""The y axis shows at most this many decades down from the highest loss; lower losses are
drawn at its bottom, labelled ``≤``."""
LINE_COLOR = (204, 121, 167)
"""Okabe & Ito's reddish purple."""
RACE_COLOR = (0, 158, 115)
"""Okabe & Ito's bluish green: the racing trainer, as on the fit chart."""
MARK_COLOR = (128, 128, 128)
"""The vertical marks where a setting changed."""
WEB_MARKER = "•"
"""The curve's mark in a browser (``c2f-tui serve web``), as the fit chart's beads."""
FURNITURE_ROWS = 2
"""Rows spent on the x axis and its labels (no top frame, no axis titles)."""


class LossChart(PlotText):
    """log10(loss) against iteration, with ticks at whole decades, evenly spaced.

    plotext's own log scale fails on a second build (plotext 5.3.2: "math
    domain error"), so the chart plots log10 values on a linear axis and
    labels the ticks with the losses they stand for. The axes snap to whole
    decades and to the iteration target, so the frame stays still while the
    curve grows into it, and a redraw happens only when the curve's newest
    point lands on a different plot dot.
    """

    DEFAULT_CSS = """
    LossChart {
        height: 1fr;
        min-height: 4;
    }
    """

    def __init__(
        self,
        *,
        ascii_markers: bool = False,
        web: bool = False,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        # A browser's terminal draws braille from a font, as faint dots: beads there.
        self._marker = "*" if ascii_markers else WEB_MARKER if web else "braille"
        self._iterations: FloatArray = np.zeros(0)
        self._log_losses: FloatArray = np.zeros(0)
        self._race: tuple[FloatArray, FloatArray] | None = None
        self._marks: tuple[int, ...] = ()
        self._log_x = False
        self._x_max = 1.0
        self._log_range = (0.0, 1.0)
        self._drawn: tuple[object, ...] | None = None

    @property
    def axis(self) -> DecadeAxis:
        """The y axis for the decades shown, at this height."""
        return loss_axis(*self._log_range, max(self.size.height - FURNITURE_ROWS, 1))

    @property
    def floored(self) -> bool:
        """Some loss lies below the axis and is drawn on its bottom (labelled ``≤``)."""
        return self._log_range[0] < self.axis.low

    def show(
        self,
        iterations: FloatArray,
        losses: FloatArray,
        x_max: float,
        *,
        race: tuple[FloatArray, FloatArray] | None = None,
        marks: tuple[int, ...] = (),
        log_x: bool = False,
    ) -> None:
        """Plot the loss at each iteration on an x axis reaching at least ``x_max``.

        ``race`` is a racing trainer's (iterations, losses), drawn in its own colour and
        mark; ``marks`` the iterations after which a setting changed, drawn as vertical
        lines; ``log_x`` puts the iterations on a logarithmic axis.
        """
        self._iterations, self._log_losses = _finite_logs(iterations, losses)
        self._race = None if race is None else _finite_logs(*race)
        logs = self._log_losses
        if self._race is not None and self._race[1].size:
            logs = np.concatenate([logs, self._race[1]])
        if not logs.size:
            return
        last_x = float(self._iterations[-1]) if self._iterations.size else 0.0
        self._x_max = max(x_max, last_x, 1.0)
        self._log_range = (float(logs.min()), float(logs.max()))
        self._marks, self._log_x = marks, log_x
        axis = self.axis
        width, height = max(self.size.width, 1), max(self.size.height, 1)
        dot_x = int(self._x(last_x) / self._x(self._x_max) * width * 2)
        last_log = float(self._log_losses[-1]) if self._log_losses.size else 0.0
        last_log = max(last_log, axis.low)
        dot_y = int((last_log - axis.low) / (axis.high - axis.low) * height * 4)
        race_end = None
        if self._race is not None and self._race[1].size:
            race_log = max(float(self._race[1][-1]), axis.low)
            race_end = (float(self._race[0][-1]), round(race_log * height * 4))
        key = (dot_x, dot_y, race_end, marks, log_x, self._x_max, axis, self.size)
        if key != self._drawn:
            self._drawn = key
            self.replot()

    def _race_line(self, ylabels: list[str], colour: tuple[int, int, int]) -> None:
        """The racer's curve as x marks on the cells the main curve's mark would light for
        the same losses, over the main curve on every other cell: identical losses share
        cells, and where the curves meet both show (an x rounds on its own, coarser grid
        and was drawn a row off the main curve, or hidden under it)."""
        assert self._race is not None
        canvas = self._canvas(ylabels)
        if min(canvas) < 2:
            return
        axis = self.axis
        xs, ys = self._per_dot(*self._race)
        limits = ((0.0, self._x(self._x_max)), (axis.low, axis.high))
        cells = curve_cells(xs, ys, limits, canvas, self._marker)
        if self._log_losses.size:
            cells = cells[::2]
        self.plt.scatter(
            [cell_centre(column, limits[0], canvas[0]) for column, _row in cells],
            [cell_centre(row, limits[1], canvas[1]) for _column, row in cells],
            marker="x",
            color=colour,
        )

    def _canvas(self, ylabels: list[str]) -> tuple[int, int]:
        """The cells (columns, rows) plotext draws the data on: the chart but the y labels,
        the y axis' column and the x axis' rows."""
        return (
            max(self.size.width, 1) - 1 - max((len(label) for label in ylabels), default=0),
            max(self.size.height - FURNITURE_ROWS, 1),
        )

    def _x(self, iteration: float) -> float:
        """Where an iteration sits on the x axis: itself, or log10(iteration + 1) with ``t``."""
        return math.log10(iteration + 1.0) if self._log_x else iteration

    def _per_dot(self, iterations: FloatArray, logs: FloatArray) -> tuple[list[float], list[float]]:
        """The points plotext needs to draw this curve as it would draw every point.

        plotext walks each segment between two points dot by dot in pure Python, so its
        cost grows with the points, not with the dots it lights (a run keeps a thousand
        rows or more; the chart is some sixty dots wide). The points are put on plotext's
        own dots, as plotext puts them (``to_dots``), and ``per_dot`` keeps one of each run.
        """
        xs = np.log10(iterations + 1.0) if self._log_x else iterations
        axis = self.axis
        logs = np.maximum(logs, axis.low)  # below the axis: on its bottom, labelled ≤
        columns, rows = self._canvas(self._ylabels(axis))
        across, down = factor(self._marker)
        if columns < 1:  # plotext draws no data: nothing to thin for
            return xs.tolist(), logs.tolist()
        kept = per_dot(
            to_dots(xs, (0.0, self._x(self._x_max)), columns * across),
            to_dots(logs, (axis.low, axis.high), rows * down),
        )
        return xs[kept].tolist(), logs[kept].tolist()

    @property
    def _drawn_on(self) -> bool:
        """There is a curve to draw (else the figure is empty)."""
        return bool(self._log_losses.size) or self._race is not None

    @property
    def _dark(self) -> bool:
        return not self.is_mounted or self.app.current_theme.dark

    def under(self) -> object | None:
        """What the axes and the marks are drawn from (``fill_under``); None for an empty
        figure."""
        if not self._drawn_on:
            return None
        axis = self.axis
        return (axis, self.floored, self._x_max, self._log_x, self._marks, self._dark)

    def fill_over(self) -> None:
        """The curves, over the axes and the marks (``fill_under``)."""
        if not self._drawn_on:
            return
        plt, dark = self.plt, self._dark
        if self._log_losses.size:
            xs, ys = self._per_dot(self._iterations, self._log_losses)
            plt.plot(xs, ys, marker=self._marker, color=on_background(LINE_COLOR, dark=dark))
        if self._race is not None and self._race[1].size:
            self._race_line(self._ylabels(self.axis), on_background(RACE_COLOR, dark=dark))

    def fill_under(self) -> None:
        """The axes and the marks where a setting changed: what stays while the curve grows
        (``PlotText`` keeps plotext's picture of it and draws the curves over it)."""
        plt = self.plt
        plt.clear_data()
        if not self._drawn_on:
            return
        dark = self._dark
        for mark in self._marks:
            plt.vline(self._x(mark), color=on_background(MARK_COLOR, dark=dark))
        # A signal without points: plotext draws an axis' ticks only for a figure with a
        # signal on it, so the axes drawn alone are drawn as under the curve.
        plt.plot([], [])
        axis = self.axis
        plt.xaxes(True, False)
        plt.yaxes(True, False)
        plt.ylim(axis.low, axis.high)
        plt.yticks(list(axis.ticks), self._ylabels(axis))
        plt.xlim(0, self._x(self._x_max))
        if self._log_x:
            shown = log_ticks(self._x_max)
            plt.xticks([self._x(t) for t in shown], [_short_count(t) for t in shown])
        else:
            xticks = [t for t in nice_ticks(0, self._x_max, 3) if t == int(t)]
            plt.xticks(xticks, [_short_count(t) for t in xticks])

    def _ylabels(self, axis: DecadeAxis) -> list[str]:
        """The y ticks' labels: the losses they stand for."""
        labels = [f"1e{decade}" for decade in axis.ticks]
        if self.floored:
            labels[0] = f"≤{labels[0]}"  # the bottom tick is the floor (``bottom_at_low``)
        return labels


def loss_axis(lowest: float, highest: float, rows: int) -> DecadeAxis:
    """The y axis for log10 losses from ``lowest`` to ``highest`` over ``rows`` rows: from the
    highest loss's decade down at most ``MOST_DECADES``, never below ``FLOOR_DECADE``; lower
    losses are drawn on its bottom, and then the axis' whole extent is at most
    ``MOST_DECADES`` (losses that fit are shown as before, with room for even ticks).

    >>> loss_axis(-30.0, 3.2, 8)  # 1,707 → 1e-30 on 8 rows: 1e-3 (≤) to 1e3
    DecadeAxis(low=-3.0, high=4.0, ticks=(-3, -1, 1, 3))
    >>> loss_axis(-20.0, -5.0, 8).low, loss_axis(1.2, 3.2, 8).low
    (-12.0, 1.0)
    """
    high = math.ceil(highest)
    first = min(max(math.floor(lowest), high - MOST_DECADES, FLOOR_DECADE), high - 1)
    if lowest >= first:  # every loss fits: the axis as the ticks want it
        return decade_axis(first, high, rows)
    axes = (decade_axis(low, high, rows, bottom_at_low=True) for low in range(first, high))
    # Ticks on evenly spaced rows can stretch the axis past the data: then give up decades
    # at the bottom, as long as two labels remain.
    fitting = (a for a in axes if a.high - a.low <= MOST_DECADES and len(a.ticks) >= 2)
    return next(fitting, decade_axis(first, high, rows, bottom_at_low=True))


def log_ticks(x_max: float, most: int = 4) -> list[float]:
    """Iteration 0 and at most ``most - 1`` powers of ten up to ``x_max``, the largest always
    among them, evenly spaced in decades (1 is left out: it sits too close to 0).

    >>> log_ticks(10_000), log_ticks(50), log_ticks(10**12)
    ([0.0, 100.0, 10000.0], [0.0, 10.0], [0.0, 10000.0, 100000000.0, 1000000000000.0])
    """
    powers = [10.0**k for k in range(1, int(math.log10(max(x_max, 1.0))) + 1)]
    step = max(1, math.ceil(len(powers) / (most - 1)))
    return [0.0, *powers[::-1][::step][::-1]]


def per_dot(columns: FloatArray, rows: FloatArray) -> NDArray[np.intp]:
    """Which points of a polyline on plotext's dots (``columns``, ``rows``: each point's dot,
    as plotext puts it) plotext draws as it draws the whole one: the first of each run of
    consecutive points on one dot.

    plotext walks from dot to dot (``get_lines``: each segment's dots but its last, then
    the last point's), and the walk depends on the dots alone: a step within a run lights
    nothing of its own, and the step from one run to the next goes from the same dot to the
    same dot whichever points of the runs it starts and ends on. So the dots lit, and their
    order, are the whole polyline's.

    >>> per_dot(np.arange(8.0) // 2, np.array([0.0, 0, 0, 3, 3, 3, 3, 9]))
    array([0, 2, 3, 4, 6, 7])
    """
    moved = (columns[1:] != columns[:-1]) | (rows[1:] != rows[:-1])
    # Not ``np.unique``: it imports ``numpy.ma``, ~7 ms of CPU before the first frame (issue 20).
    return np.flatnonzero(np.r_[True, moved])


def _finite_logs(iterations: FloatArray, losses: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The finite points, with log10 of each loss (a loss of 0 drawn at ``SMALLEST_LOSS``)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        finite = np.isfinite(losses) & np.isfinite(iterations)
        logs = np.log10(np.maximum(losses[finite], SMALLEST_LOSS))
    return iterations[finite], logs


def _short_count(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1_000:g}k"
    return count(int(value))
