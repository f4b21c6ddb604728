"""The loss panel: the current mean squared error and its history."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from core.types import FloatArray
from tui.format import number
from tui.widgets.loss_chart import LossChart


class LossPanel(Vertical):
    """Current loss, where it started, the least it can be, and the log-scale history."""

    DEFAULT_CSS = """
    LossPanel {
        height: 1fr;
    }
    LossPanel > #loss-value {
        height: 1;
    }
    """

    def __init__(self, *, ascii_markers: bool = False) -> None:
        super().__init__(id="loss-panel")
        self.border_title = "loss (mean squared error)"
        self._ascii = ascii_markers
        self._text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="loss-value")
        yield LossChart(ascii_markers=self._ascii, id="loss-chart")

    def show_value(self, loss: float, minimum: float, scale: float) -> None:
        """The current loss next to the least it can reach on this data.

        A least loss below a trillionth of ``scale`` (the data's own variance)
        is rounding noise of an exact fit and is shown as 0.
        """
        least = "0" if minimum <= 1e-12 * scale else number(minimum, 3)
        text = f"[b]{number(loss, 6)}[/b]  [dim]least {least}[/dim]"
        if text != self._text:
            self._text = text
            self.query_one("#loss-value", Static).update(text, layout=False)  # height 1

    def show_history(self, iterations: FloatArray, losses: FloatArray, target: int) -> None:
        """Redraw the history chart (call at the chart's own, lower rate)."""
        self.query_one(LossChart).show(np.asarray(iterations), np.asarray(losses), target)
