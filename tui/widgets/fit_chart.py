"""The tutorial's picture, live: truth, untrained and current predictions over Celsius."""

from __future__ import annotations

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


COLOURED = Markers("braille", "braille", "braille", "dot", "●")
"""Braille lines, told apart by colour as in the tutorial's picture."""
MONOCHROME = Markers("braille", "·", "+", "dot", "●")
"""With NO_COLOR set, the lines are told apart by their marks instead."""
ASCII = Markers("*", ".", "+", "o", "#")
"""``--ascii``: plain characters for fonts without braille."""

PLOT_FURNITURE_ROWS = 4
"""Rows of the widget plotext spends on frame, tick labels and axis label, not on data."""


class FitChart(PlotextPlot):
    """x = Celsius, y = Fahrenheit: the truth in blue, untrained in red, current in green.

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
        x = self._x.tolist()
        if not self._dataset.is_exact_line:
            c, f = self._samples_to_draw()
            plt.scatter(c.tolist(), f.tolist(), marker=markers.points, color=TRUTH_COLOR)
        truth = celsius_to_fahrenheit(self._x).tolist()
        plt.plot(x, truth, marker=markers.truth, color=TRUTH_COLOR, label="truth")
        untrained = predict(self._x, *self._untrained).tolist()
        plt.plot(x, untrained, marker=markers.untrained, color=UNTRAINED_COLOR, label="untrained")
        current = predict(self._x, self._weight, self._bias)
        if np.all(np.isfinite(current)):
            plt.plot(x, current.tolist(), marker=markers.current, color=CURRENT_COLOR, label="now")
        if self._highlight is not None:
            self._mark_sample(self._highlight, markers)
        plt.xlim(float(self._x[0]), float(self._x[1]))
        plt.ylim(*self._ylim)
        xticks = nice_ticks(float(self._x[0]), float(self._x[1]), 5)
        yticks = nice_ticks(*self._ylim, max(3, min(6, self.size.height // 3)))
        plt.xticks(xticks, labels(xticks))
        plt.yticks(yticks, labels(yticks))
        plt.xlabel("celsius")
        plt.ylabel("°F")
        self.refresh()

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
        label = f"sample {c:g}°C"
        plt.plot([c, c], [f, output], marker=markers.truth, color=SAMPLE_COLOR, label=label)
        plt.scatter([c], [f], marker=markers.sample, color=SAMPLE_COLOR)
