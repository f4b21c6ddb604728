"""A banner across the chart that says what went wrong and what to do about it."""

from __future__ import annotations

import math

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from tui.format import count, rates_apart
from tui.i18n import _, ngettext
from tui.model.view import View
from tui.widgets.panel import ViewPanel


def halvings_below(learning_rate: float, limit: float) -> int:
    """How many presses of ``-`` bring ``learning_rate`` below ``limit`` (at least one).

    Taken as a difference of logarithms, each of a finite positive number, so it
    stays finite when the ratio itself would overflow (lr 1e308 against 1e-3).
    """
    if not (learning_rate > 0 and limit > 0 and math.isfinite(learning_rate)):
        return 1
    if not math.isfinite(limit):
        return 1
    return max(1, math.ceil(math.log2(learning_rate) - math.log2(limit) + 1e-12))


CHART_MIN_ROWS = 8
"""The fit chart's least height (``FitChart``'s min-height): its border, plot and legend."""


class DivergenceBanner(ViewPanel, Static):
    """Shown only while training has diverged: why, and the keys that recover."""

    DEFAULT_CSS = """
    DivergenceBanner {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error 25%;
        color: $text;
        border-left: thick $error;
    }
    DivergenceBanner.-visible {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._shown = ""

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def _crowds_chart(self, text: str) -> bool:
        """Whether ``text`` would take rows the fit chart below needs for its border and
        legend (at 80×24 in a lesson the full sentence took five and cut the chart off)."""
        parent = self.parent
        column = parent.size.height if isinstance(parent, Widget) else 0
        width = self.content_size.width
        if not width or not column:
            return False  # not laid out yet: a resize shows it again
        rows = len(Content.from_markup(text).wrap(width))
        return column - rows < CHART_MIN_ROWS

    def part(self, view: View) -> object:
        return "calm" if view.trainer.diverged_at is None else None  # hidden: nothing to draw

    def show(self, view: View) -> None:
        """Explain the divergence, or hide the banner when there is none.

        The advice follows the rate: how many presses of ``-`` still bring it
        below the limit, then ``r`` once it is there.
        """
        trainer = view.trainer
        diverged_at = trainer.diverged_at
        self.set_class(diverged_at is not None, "-visible")
        if diverged_at is None:
            return
        limit, learning_rate = trainer.stable_limit, trainer.mode.learning_rate
        diverged_rate, limit_then = rates_apart(trainer.diverged_rate, limit)
        cause = _(
            "[b]Training diverged at iteration {iteration}[/b]: learning rate {rate} is "
            "above the stable limit {limit}, so each step overshoots the valley further."
        ).format(iteration=count(diverged_at), rate=diverged_rate, limit=limit_then)
        if learning_rate < limit:
            advice = _("Now {rate} is stable: press [b]r[/b] to start again.").format(
                rate=rates_apart(learning_rate, limit)[0]
            )
        else:
            presses = halvings_below(learning_rate, limit)
            advice = ngettext(
                "Press [b]-[/b] once to halve it below the limit, then [b]r[/b].",
                "Press [b]-[/b] {n} times to halve it below the limit, then [b]r[/b].",
                presses,
            ).format(n=presses)
        text = f"{cause} {advice}"
        if self._crowds_chart(text):  # the status line says the rest
            short = _("[b]Diverged at iteration {iteration}[/b]: lr {rate} > limit {limit}.")
            text = (
                short.format(iteration=count(diverged_at), rate=diverged_rate, limit=limit_then)
                + f" {advice}"
            )
        if text != self._shown:
            self._shown = text
            self.update(text)
