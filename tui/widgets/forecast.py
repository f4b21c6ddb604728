"""A strip under the status line that says what lies ahead: instability, no progress, or,
when a run ends at its target, how far each parameter still is and when it arrives."""

from __future__ import annotations

import math

from textual.widget import Widget
from textual.widgets import Static

from tui.format import approximate, factor, number, rate, rates_apart
from tui.i18n import _, ngettext
from tui.model.driver import RunState
from tui.model.outlook import Outlook
from tui.model.view import ParameterView, TrainerView, View
from tui.widgets.banner import halvings_below
from tui.widgets.panel import ViewPanel

SYMBOLS = {"weight": "w", "bias": "b"}
"""How the sentences name each parameter in a formula: ``|b − 32| < 0.01``."""
UNITS = {"weight": "", "bias": " °F"}
"""The unit written after a parameter's distance (the weight's, °F per °C, is left out)."""


class ForecastStrip(ViewPanel, Static):
    """Full width, one or two lines, shown only when there is something to foresee.

    In order of precedence: nothing once training has diverged (the banner
    explains that); UNSTABLE while the rate makes the error grow, from the first
    frame; NO PROGRESS while some direction's factor per iteration is exactly 1;
    and when a run has ended at its target, one line per parameter: how far it
    still is and the iteration from which it stays within its tolerance, at this
    rate ("unknown" without a closed form, never a guess).
    """

    DEFAULT_CSS = """
    ForecastStrip {
        display: none;
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    ForecastStrip.-visible {
        display: block;
    }
    ForecastStrip.-warning {
        background: $error 25%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._shown = ""
        self._panels: list[Widget] = []
        """The parameter panels, which give a row each to the strip on a short screen."""

    def show(self, view: View) -> None:
        """Say what lies ahead, or hide when nothing needs saying."""
        text, warning = forecast(view)
        self.set_class(bool(text), "-visible")
        self.set_class(warning, "-warning")
        # The parameter panels make room for the strip on short terminals (app.tcss). The
        # class is theirs, not the screen's: a class set on the screen restyles every widget
        # on it (~10 ms, at the frame a run ends; issue 20), on them only them.
        if not self._panels:
            self._panels = list(self.screen.query("ParameterPanel"))
        for panel in self._panels:
            panel.set_class(bool(text), "-forecasting")
        if text != self._shown:
            self._shown = text
            self.update(text)

    def render_text(self) -> str:
        """What the strip says, as plain text (empty while hidden)."""
        return str(self.render()) if self._shown else ""


def forecast(view: View) -> tuple[str, bool]:
    """What the strip says about ``view`` (empty: nothing, and the strip is hidden), and
    whether it is a warning."""
    trainer = view.trainer
    if trainer.diverged_at is not None:
        return "", False  # the banner explains it
    if trainer.outlook.unstable:
        return unstable(trainer), True
    if trainer.outlook.stalled:
        return stalled(trainer), True
    if trainer.outlook.oscillating:
        return oscillating(trainer), True
    if ended(view):
        return "\n".join(arrival(trainer, p) for p in (trainer.weight, trainer.bias)), False
    return "", False


def ended(view: View) -> bool:
    """The run has stopped at its target (done, or stepped there) and not gone past it."""
    trainer = view.trainer
    at_target = trainer.completed >= view.target and not view.past_target
    finished = trainer.next_phase == "forward"
    return view.state in (RunState.DONE, RunState.OSCILLATING) or (
        view.state is RunState.PAUSED and at_target and finished
    )


def unstable(trainer: TrainerView) -> str:
    """Why the error grows, by how much per iteration, when it will be declared diverged,
    and the key that helps."""
    forecast: Outlook = trainer.outlook
    learning_rate, limit = trainer.mode.learning_rate, trainer.stable_limit
    shown, bound = rates_apart(learning_rate, limit)
    radius = forecast.spectral_radius if forecast.spectral_radius is not None else math.inf
    text = _(
        "[b]UNSTABLE[/b]: lr {rate} > limit {limit}, so the error grows ×{factor} per iteration"
    ).format(rate=shown, limit=bound, factor=factor(radius))
    if forecast.diverges_at is not None:
        text += _("; diverges at iteration {iteration}").format(
            iteration=approximate(forecast.diverges_at, forecast.digits)
        )
    return _with_the_way_below(text, learning_rate, limit)


def oscillating(trainer: TrainerView) -> str:
    """Why the run goes round the optimum for ever, and the key that helps."""
    learning_rate, limit = trainer.mode.learning_rate, trainer.stable_limit
    shown, bound = rates_apart(learning_rate, limit)
    text = _(
        "[b]OSCILLATING[/b]: lr {rate} > limit {limit}, which holds at the optimum alone (this "
        "gradient is not linear): the run goes round the optimum for ever, neither converging "
        "nor diverging"
    ).format(rate=shown, limit=bound)
    return _with_the_way_below(text, learning_rate, limit)


def stalled(trainer: TrainerView) -> str:
    """Which direction makes no progress, why, and the key that helps."""
    forecast = trainer.outlook
    learning_rate = trainer.mode.learning_rate
    if len(forecast.no_progress) > 1:
        where = _("in any direction")
    elif forecast.no_progress == (0,):
        where = _("along the valley")
    else:
        where = _("across the valley")
    text = _(
        "[b]NO PROGRESS[/b] {where}: at lr {rate} the error there is multiplied by exactly 1 "
        "each iteration (in floating point), so the target is never reached."
    ).format(where=where, rate=rate(learning_rate))
    if learning_rate < trainer.stable_limit:
        advice = _("Raise the rate with [b]+[/b] or [b]l[/b].")
    else:
        advice = _("Lower the rate with [b]-[/b].")
    return f"{text} {advice}"


def shortfall(parameter: ParameterView) -> str:
    """``bias 4.23 °F short``, ``weight 0.0005 over`` or ``bias on target``."""
    unit = UNITS.get(parameter.name, "")
    distance = number(abs(parameter.distance), 3)
    if parameter.distance > 0:
        return _("{name} {distance}{unit} short").format(
            name=_(parameter.name), distance=distance, unit=unit
        )
    if parameter.distance < 0:
        return _("{name} {distance}{unit} over").format(
            name=_(parameter.name), distance=distance, unit=unit
        )
    return _("{name} on target").format(name=_(parameter.name))


def arrival(trainer: TrainerView, parameter: ParameterView) -> str:
    """``bias 4.23 °F short; |b − 32| < 0.01 at iteration 40,243 at this rate``."""
    where = shortfall(parameter)
    symbol = SYMBOLS.get(parameter.name, parameter.name)
    target, tolerance = number(parameter.target, 6), number(parameter.tolerance, 3)
    condition = f"|{symbol} − {target}| < {tolerance}"
    now = trainer.completed
    if not trainer.outlook.predictable:
        when = _("{condition}: when is unknown ({optimizer} has no closed form)").format(
            condition=condition, optimizer=_(trainer.optimizer_title)
        )
    elif parameter.arrives_at is None:
        when = _("{condition} never at this rate").format(condition=condition)
    elif parameter.arrives_at <= now:
        when = _("{condition} from here on").format(condition=condition)
    else:
        when = _("{condition} at iteration {iteration} at this rate").format(
            condition=condition,
            iteration=approximate(parameter.arrives_at, trainer.outlook.digits),
        )
    return _("{where}; {when}").format(where=where, when=when)


def _with_the_way_below(sentence: str, learning_rate: float, limit: float) -> str:
    """``sentence``, then how many presses of - bring the rate below ``limit``."""
    presses = halvings_below(learning_rate, limit)
    advice = ngettext(
        "Press [b]-[/b] once to go below the limit.",
        "Press [b]-[/b] {n} times to go below the limit.",
        presses,
    ).format(n=presses)
    return _("{sentence}. {advice}").format(sentence=sentence, advice=advice)
