"""One line for a racing trainer: what it changes, where it is, and its loss."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from tui.format import count, number, rate
from tui.i18n import _
from tui.model.view import TrainerView, View
from tui.widgets.panel import ViewPanel


def race_label(leader: TrainerView, racer: TrainerView) -> str:
    """What the racer does differently, in a few words: ``momentum``, ``adam lr 0.1``,
    ``published gradient``, ``standardised``."""
    ours, theirs = leader.mode, racer.mode
    parts = []
    if theirs.optimizer != ours.optimizer:
        parts.append(theirs.optimizer)
    if theirs.learning_rate != ours.learning_rate:
        parts.append(f"lr {rate(theirs.learning_rate)}")
    if theirs.standardized != ours.standardized:
        parts.append(_("standardised") if theirs.standardized else _("raw"))
    if racer.gradient_rule != leader.gradient_rule:
        parts.append(
            _("published gradient") if racer.gradient_rule == "published" else _("chain rule")
        )
    return " ".join(parts) if parts else _("same set-up")


class RaceRow(ViewPanel, Static):
    """The racer's numbers in one row under the charts, in the colour and mark of its line.

    Hidden while there is no race. The leader's numbers are in the panels beside
    the chart; this row gives the racer's, shortened to the width it has.
    """

    DEFAULT_CSS = """
    RaceRow {
        display: none;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    RaceRow.-racing {
        display: block;
    }
    """

    def __init__(self, *, mark: str = "x", id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._mark = mark * 2
        self._shown = ""

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def part(self, view: View) -> object:
        return "no race" if view.race is None else None  # hidden: nothing to draw

    def show(self, view: View) -> None:
        racer = view.race
        self.set_class(racer is not None, "-racing")
        if racer is None:
            return
        width = max(self.size.width - 2, 20) if self.size.width else 78
        text = ""
        for digits, short in ((7, False), (6, False), (6, True), (5, True), (4, True), (3, True)):
            text = self.line(view.trainer, racer, digits, short=short)
            if cell_len(text) <= width:
                break
        if text != self._shown:
            self._shown = text
            self.update(f"[#009e73]{self._mark}[/] {text}", layout=False)

    def line(self, leader: TrainerView, racer: TrainerView, digits: int, *, short: bool) -> str:
        """The row without its mark: label, iteration, weight, bias, loss (or divergence);
        ``short`` drops the word "race" and writes w and b."""
        label = race_label(leader, racer)
        if not short:
            label = _("race: {label}").format(label=label)
        if racer.diverged_at is not None:
            state = _("DIVERGED at {iteration}").format(iteration=count(racer.diverged_at))
        else:
            state = _("iter {iteration}").format(iteration=count(racer.iteration))
        weight, bias = ("w", "b") if short else (_("weight"), _("bias"))
        numbers = "  ".join(
            (
                f"{weight} {number(racer.weight.value, digits)}",
                f"{bias} {number(racer.bias.value, digits)}",
                _("loss") + f" {number(racer.loss, digits)}",
            )
        )
        return f"{label}  {state}  {numbers}"

    def render_text(self) -> str:
        """The row as plain text (what a user reads)."""
        return f"{self._mark} {self._shown}" if self._shown else ""
