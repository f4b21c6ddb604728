"""The loss panel: the current mean squared error, the least it can be, and its history
(a racing trainer's beside it, marks where a setting changed)."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.format import loss as format_loss
from tui.i18n import _
from tui.model.view import Charts, RunSoFar, View
from tui.widgets.kept_rows import KeptRows
from tui.widgets.loss_chart import LossChart
from tui.widgets.panel import TextLine, ViewPanel, parsed


class LossPanel(ViewPanel, KeptRows, Vertical):
    """A one-line readout of the loss, and below it (where there is room) its log-scale history.

    When the explanation needs the room (see ``app.tcss``) the history gives way and
    the readout stays.
    """

    SIZED_BY_LAYOUT = True

    DEFAULT_CSS = """
    LossPanel {
        height: 1fr;
    }
    LossPanel > #loss-value {
        height: 1;
    }
    """

    def __init__(self, *, ascii_markers: bool = False, web: bool = False) -> None:
        super().__init__(id="loss-panel")
        self.border_title = _("loss (mean squared error)")
        self._ascii = ascii_markers
        self._web = web
        self._text = ""

    def on_resize(self) -> None:
        # Folded to its readout (see app.tcss), the panel's title is its rule: keep it short.
        folded = self.size.height <= 1
        title = _("loss") if folded else _("loss (mean squared error)")
        if title != self.border_title:  # the same title set again repaints the whole panel
            self.border_title = title

    def compose(self) -> ComposeResult:
        yield TextLine(id="loss-value")
        yield LossChart(ascii_markers=self._ascii, web=self._web, id="loss-chart")

    def part(self, view: View) -> object:
        trainer = view.trainer
        readout = (
            trainer.loss,
            trainer.loss_scale,
            trainer.least_loss,
            view.display.log_iterations,
        )
        if view.trajectory is None or Charts.LOSS not in view.redraw_charts:
            return readout
        racing = view.race_trajectory
        return (
            *readout,
            _ends(view.trajectory),
            None if racing is None else _ends(racing),
            trainer.changes,
            view.target,
        )

    def show(self, view: View) -> None:
        """The current loss next to the least it can reach on this data (rounding noise of
        an exact fit shown as its bound, ``< 2.7e-9``: ``tui.format.loss``)."""
        trainer = view.trainer
        scale = trainer.loss_scale
        loss = format_loss(trainer.loss, scale, 7)
        least = format_loss(trainer.least_loss, scale, 3)
        text = f"[b]{loss}[/b]  [dim]" + _("least") + f" {least}[/dim]"
        if text != self._text:
            self._text = text
            self.query_one("#loss-value", Static).update(parsed(text), layout=False)  # height 1
        self.set_border_text(
            subtitle=_("iterations: log scale") if view.display.log_iterations else ""
        )
        if view.trajectory is not None and Charts.LOSS in view.redraw_charts:
            trajectory, racing = view.trajectory, view.race_trajectory
            self.query_one(LossChart).show(
                trajectory.iterations,
                trajectory.losses,
                view.target,
                race=None if racing is None else (racing.iterations, racing.losses),
                marks=trainer.changes,
                log_x=view.display.log_iterations,
            )


def _ends(run: RunSoFar) -> tuple[object, ...]:
    """What the loss chart draws from a run, as it decides whether to redraw
    (``LossChart.show``): its length and last point, and the range of its finite losses."""
    losses = run.losses[np.isfinite(run.losses)]
    last = (float(run.iterations[-1]), float(run.losses[-1])) if run.iterations.size else None
    extent = (float(losses.min()), float(losses.max())) if losses.size else None
    return (run.iterations.size, last, extent)
