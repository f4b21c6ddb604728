"""Where each panel sits: the status line and forecast on top, the fit chart beside the
weight, bias and loss panels, the race row, and the explanation's slot (shared with the
lesson) below.

Apart from ``tui.app`` so that the app holds the wiring (the frame loop, which keys
act now) and this the arrangement; ``app.tcss`` sizes what is placed here. Every
panel is bound to the app's one ``view`` and draws its part of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from tui.widgets.banner import DivergenceBanner
from tui.widgets.explain_panel import ExplainPanel
from tui.widgets.fit_chart import FitChart
from tui.widgets.forecast import ForecastStrip
from tui.widgets.lesson_pane import LessonPane
from tui.widgets.loss_panel import LossPanel
from tui.widgets.parameter_panel import ParameterPanel
from tui.widgets.race_row import RaceRow
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.app import TrainerApp


def panels(app: TrainerApp) -> ComposeResult:
    """The panels, each bound to ``app.view``, in the order the screen shows them."""
    view = type(app).view
    trainer, ascii_marks = app.driver.trainer, app.settings.ascii
    untrained = (trainer.initial_weight, trainer.initial_bias)
    yield StatusBar().data_bind(view)
    yield ForecastStrip(id="forecast").data_bind(view)
    with Horizontal(id="main"):
        with Vertical(id="chart-column"):
            yield DivergenceBanner(id="banner").data_bind(view)
            chart = FitChart(trainer.dataset, untrained, ascii_markers=ascii_marks, id="fit-chart")
            yield chart.data_bind(view)
        with Vertical(id="sidebar"):
            yield ParameterPanel("weight", id="weight-panel").data_bind(view)
            yield ParameterPanel("bias", id="bias-panel").data_bind(view)
            yield LossPanel(ascii_markers=ascii_marks).data_bind(view)
    yield RaceRow(id="race-row").data_bind(view)
    with Vertical(id="pane"):  # the explanation's slot, shared with the lesson
        yield LessonPane(id="lesson").data_bind(view)
        yield ExplainPanel(id="explain").data_bind(view)
