"""The loss history on a logarithmic scale."""

from __future__ import annotations

import math

import numpy as np
from textual_plotext import PlotextPlot

from core.types import FloatArray
from tui.format import count, number
from tui.ticks import nice_ticks

SMALLEST_LOSS = 1e-300
"""Losses below this (exactly 0 at a perfect fit) are drawn at this floor."""
LINE_COLOR = "magenta"


class LossChart(PlotextPlot):
    """log10(loss) against iteration, with ticks labelled as powers of ten.

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

    def __init__(self, *, ascii_markers: bool = False, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._marker = "*" if ascii_markers else "braille"
        self._iterations: FloatArray = np.zeros(0)
        self._log_losses: FloatArray = np.zeros(0)
        self._x_max = 1.0
        self._y_range = (0.0, 1.0)
        self._drawn: tuple[object, ...] | None = None

    def show(self, iterations: FloatArray, losses: FloatArray, x_max: float) -> None:
        """Plot the loss at each iteration on an x axis reaching at least ``x_max``."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            finite = np.isfinite(losses)
            logs = np.log10(np.maximum(losses[finite], SMALLEST_LOSS))
        self._iterations, self._log_losses = iterations[finite], logs
        if not logs.size:
            return
        last_x = float(self._iterations[-1])
        self._x_max = max(x_max, last_x, 1.0)
        low, high = math.floor(float(logs.min())), math.ceil(float(logs.max()))
        self._y_range = (float(low), float(max(high, low + 1)))
        width, height = max(self.size.width, 1), max(self.size.height, 1)
        dot_x = int(last_x / self._x_max * width * 2)
        dot_y = int((float(logs[-1]) - low) / (self._y_range[1] - low) * height * 4)
        key = (dot_x, dot_y, self._x_max, self._y_range, self.size)
        if key != self._drawn:
            self._drawn = key
            self.replot()

    def on_resize(self) -> None:
        self.replot()

    def replot(self) -> None:
        """Rebuild the figure and refresh this widget."""
        plt = self.plt
        plt.clear_data()
        if self._log_losses.size:
            plt.plot(
                self._iterations.tolist(),
                self._log_losses.tolist(),
                marker=self._marker,
                color=LINE_COLOR,
            )
            low, high = self._y_range
            plt.ylim(low, high)
            yticks = _log_ticks(low, high, max(2, min(5, self.size.height // 2)))
            plt.yticks(yticks, [_power_label(t) for t in yticks])
            plt.xlim(0, self._x_max)
            xticks = [t for t in nice_ticks(0, self._x_max, 3) if t == int(t)]
            plt.xticks(xticks, [_short_count(t) for t in xticks])
        self.refresh()


def _log_ticks(low: float, high: float, most: int) -> list[float]:
    """Whole powers of ten, thinned to at most ``most``."""
    whole = list(range(math.ceil(low), math.floor(high) + 1))
    stride = max(1, math.ceil(len(whole) / most))
    return [float(p) for p in whole[::stride]]


def _power_label(log_value: float) -> str:
    if abs(log_value - round(log_value)) < 1e-9:
        return f"1e{round(log_value)}"
    return number(10**log_value, 3)


def _short_count(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1_000:g}k"
    return count(int(value))
