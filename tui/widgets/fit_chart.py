"""The tutorial's picture, live: truth, untrained and current predictions over Celsius."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from textual_plotext import PlotextPlot

from core import Dataset
from core.dataset import celsius_to_fahrenheit
from core.neuron import predict
from core.types import FloatArray
from tui.ticks import labels, nice_ticks

TRUTH_COLOR = "blue"
UNTRAINED_COLOR = "red"
CURRENT_COLOR = "green"
SAMPLE_COLOR = "orange"


@dataclass(frozen=True)
class Markers:
    """The plotext marker of each series."""

    truth: str
    untrained: str
    current: str
    points: str
    sample: str
    error: str


COLOURED = Markers("braille", "braille", "braille", "dot", "●", "braille")
"""Braille lines, told apart by colour as in the tutorial's picture."""
MONOCHROME = Markers("braille", "·", "+", "dot", "●", "│")
"""With NO_COLOR set, the lines are told apart by their marks instead."""
ASCII = Markers("*", ".", "+", "o", "#", "|")
"""``--ascii``: plain characters for fonts without braille."""

PLOT_FURNITURE_ROWS = 4
"""Rows of the widget plotext spends on frame, tick labels and axis label, not on data."""


class FitChart(PlotextPlot):
    """x = Celsius, y = Fahrenheit: the truth in blue, untrained in red, current in green
    (as in the tutorial's picture; the terminal's theme decides the exact shades).

    The chart owns its series and redraws itself only when the current line
    has moved by at least half a plot dot, so a converged or paused run costs
    no output at all.
    """

    DEFAULT_CSS = """
    FitChart {
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(
        self,
        dataset: Dataset,
        untrained: tuple[float, float],
        *,
        ascii_markers: bool = False,
        id: str | None = None,  # noqa: A002 - Textual's name for it
    ) -> None:
        super().__init__(id=id)
        self._dataset = dataset
        self._untrained = untrained
        self._ascii = ascii_markers
        c, f = dataset.celsius, dataset.fahrenheit
        self._x = np.array([c.min(), c.max()])
        truth = celsius_to_fahrenheit(self._x)
        low = min(float(f.min()), float(truth.min()))
        high = max(float(f.max()), float(truth.max()))
        margin = 0.08 * (high - low)
        self._ylim = (low - margin, high + margin)
        self._weight, self._bias = untrained
        self._highlight: int | None = None
        self._drawn: tuple[object, ...] | None = None
        self._thinned: tuple[tuple[int, int], FloatArray, FloatArray] | None = None

    def show(self, weight: float, bias: float, *, highlight: int | None = None) -> None:
        """Draw the current line for (weight, bias), and mark sample ``highlight`` if given."""
        self._weight, self._bias, self._highlight = weight, bias, highlight
        key = (self._visible_line(), highlight, self.size)
        if key != self._drawn:
            self._drawn = key
            self.replot()

    def _visible_line(self) -> tuple[int, int]:
        """The current line's end points in braille dots of the plot: what the eye can see."""
        low, high = self._ylim
        rows = max(self.size.height - PLOT_FURNITURE_ROWS, 1) * 4  # braille: 4 dots a row
        ends = predict(self._x, self._weight, self._bias)
        with np.errstate(over="ignore", invalid="ignore"):
            scaled = np.clip((ends - low) / (high - low) * rows, -rows, 2 * rows)
        return int(scaled[0]), int(scaled[1])

    def on_resize(self) -> None:
        self.replot()

    @property
    def markers(self) -> Markers:
        """ASCII if asked for; distinct shapes when colour is off (NO_COLOR); else braille."""
        if self._ascii:
            return ASCII
        return MONOCHROME if self.is_mounted and self.app.no_color else COLOURED

    def replot(self) -> None:
        """Rebuild the figure from the stored series and refresh this widget."""
        plt = self.plt
        plt.clear_data()
        markers = self.markers
        monochrome = markers is MONOCHROME
        self._line(celsius_to_fahrenheit(self._x), markers.truth, TRUTH_COLOR, "truth")
        untrained = predict(self._x, *self._untrained)
        self._line(untrained, markers.untrained, UNTRAINED_COLOR, "untrained", monochrome)
        current = predict(self._x, self._weight, self._bias)
        self._line(current, markers.current, CURRENT_COLOR, "now", monochrome)
        if not self._dataset.is_exact_line:
            c, f = self._samples_to_draw()  # drawn after the lines, so on top of them
            plt.scatter(
                c.tolist(), f.tolist(), marker=markers.points, color=TRUTH_COLOR, label="data"
            )
        if self._highlight is not None:
            self._mark_sample(self._highlight, markers)
        low, high = float(self._x[0]), float(self._x[1])
        margin = 0.02 * (high - low)  # points at the ends stay clear of the frame
        plt.xlim(low - margin, high + margin)
        plt.ylim(*self._ylim)
        xticks = nice_ticks(low, high, 5)
        yticks = nice_ticks(*self._ylim, max(3, min(6, self.size.height // 3)))
        plt.xticks(xticks, labels(xticks))
        plt.yticks(yticks, labels(yticks))
        plt.xlabel("celsius")
        plt.ylabel("°F")
        self.refresh()

    def _line(
        self, ends: FloatArray, marker: str, color: str, label: str, pale: bool = False
    ) -> None:
        """Draw the straight line through (x ends, ``ends``), cut to the visible band.

        plotext walks a line dot by dot, so a line whose ends are far off the
        chart (a diverged weight of −2710 reaches ±135,000 °F) would cost
        seconds; only the part inside the y-range is handed to it. ``pale``
        lines (with NO_COLOR) are drawn in the foreground colour, which stays
        legible when colours turn to greys.
        """
        segment = clip_to_band(self._x, ends, self._ylim)
        if segment is not None:
            xs, ys = segment
            self.plt.plot(xs, ys, marker=marker, color="default" if pale else color, label=label)

    def _samples_to_draw(self) -> tuple[FloatArray, FloatArray]:
        """One sample per dot the chart can show, so thousands of samples draw as fast as 100.

        plotext's cost grows with the points given (about 0.4 s for 100,000), not
        with the dots lit; samples that would land on the same dot of this
        widget's grid (2×4 braille dots per cell) are drawn once. Recomputed
        only when the widget's size changes.
        """
        size = (max(self.size.width, 1), max(self.size.height, 1))
        if self._thinned is None or self._thinned[0] != size:
            c, f = self._dataset.celsius, self._dataset.fahrenheit
            columns, rows = size[0] * 2, size[1] * 4
            low, high = self._ylim
            x = ((c - c.min()) / (c.max() - c.min()) * columns).astype(np.int64)
            y = ((f - low) / (high - low) * rows).astype(np.int64)
            _, first = np.unique(x * (rows + 1) + y, return_index=True)
            first.sort()
            self._thinned = (size, c[first], f[first])
        return self._thinned[1], self._thinned[2]

    def _mark_sample(self, index: int, markers: Markers) -> None:
        """The sample as a dot, and a vertical segment from it to the prediction: its error."""
        plt = self.plt
        c = float(self._dataset.celsius[index])
        f = float(self._dataset.fahrenheit[index])
        output = float(predict(np.array([c]), self._weight, self._bias)[0])
        low, high = self._ylim
        reach = min(max(output, low), high)  # a far-off prediction: up to the chart's edge
        label = f"sample {c:g} °C"
        plt.plot([c, c], [f, reach], marker=markers.error, color=SAMPLE_COLOR, label=label)
        plt.scatter([c], [f], marker=markers.sample, color=SAMPLE_COLOR)


def clip_to_band(
    x: FloatArray, y: FloatArray, band: tuple[float, float]
) -> tuple[list[float], list[float]] | None:
    """The part of the segment from (x0, y0) to (x1, y1) with y inside ``band``, or None."""
    (x0, x1), (y0, y1) = x.tolist(), y.tolist()
    if not all(math.isfinite(v) for v in (y0, y1)):
        return None
    low, high = band
    if y0 == y1:
        return ([x0, x1], [y0, y1]) if low <= y0 <= high else None
    t_low, t_high = (low - y0) / (y1 - y0), (high - y0) / (y1 - y0)
    start, end = max(0.0, min(t_low, t_high)), min(1.0, max(t_low, t_high))
    if start > end:
        return None
    xs = [x0 + (x1 - x0) * start, x0 + (x1 - x0) * end]
    ys = [y0 + (y1 - y0) * start, y0 + (y1 - y0) * end]
    return xs, ys
