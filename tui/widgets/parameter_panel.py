"""A panel for one parameter: where it is, where it is heading, how far, when it arrives, and
its gradient."""

from __future__ import annotations

import math
from typing import Literal

from rich.cells import cell_len as cells
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content

from tui.format import count, number, rounded
from tui.i18n import N_, _, ngettext
from tui.model.driver import RunState
from tui.model.view import ParameterView, TrainerView, View
from tui.widgets.kept_rows import KeptRows
from tui.widgets.panel import PanelText, ViewPanel, fields_of, parsed

BAR_WIDTH = 8
BLOCKS = " ▏▎▍▌▋▊▉█"
LINES = 5
"""The most lines a panel shows; with less room it shows fewer, the most needed first."""
LABELS = (N_("now"), N_("target"), N_("to go"), N_("gradient"))
GRADIENT_LABELS = (
    N_("at iter {at}'s w, b → update {update}"),
    N_("at {at}'s w, b → update {update}"),
    N_("at {at} → update {update}"),
)
"""The gradient's label on the border below it, longest first: the first that fits says at
which iteration's (weight, bias) the gradient was computed and which update steps with it
(``at 419's w, b → update 420``); beyond them, ``419 → 420``."""
HAND_LABELS = (N_("at your w, b → update {update}"), N_("yours → update {update}"))
"""The label, longest first, of a gradient computed at the (weight, bias) the learner set by
hand (hands mode): not the iteration's own, which training had left elsewhere."""


class ParameterPanel(ViewPanel, KeptRows, Vertical):
    """Current value, the least-squares target, the distance still to go, the iterations
    until it stays within its tolerance for good (``≈ 30,243 iterations to go``), and the
    gradient.

    The gradient is the one the last backward pass computed, labelled with the iteration
    whose parameters it was computed at and the update that uses it, and absent until
    backward has run: the forward → backward → update story, not the slope at wherever
    the parameter is now.

    Its lines are one widget (``PanelText``) that repaints only the rows whose line
    changed, not the whole bordered panel (over SSH, bytes count). With fewer rows
    than ``LINES`` the panel folds the target into the first line, then drops the
    iterations to go (the forecast strip says them when a run ends), the distance,
    and the gradient's line (the border below says the gradient then, while paused).
    """

    SIZED_BY_LAYOUT = True

    DEFAULT_CSS = """
    ParameterPanel {
        height: 6;
        padding: 0 1;
    }
    """

    def __init__(self, name: Literal["weight", "bias"], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._name = name
        self.border_title = _(name)
        self._shown: list[str] = []
        self._text = PanelText()
        """Its lines, one a row."""

    def compose(self) -> ComposeResult:
        yield self._text

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def part(self, view: View) -> object:
        trainer = view.trainer
        parameter = trainer.weight if self._name == "weight" else trainer.bias
        gradient = trainer.gradient
        return (
            fields_of(parameter),
            None if gradient is None else fields_of(gradient),
            view.state is RunState.RUNNING,
            trainer.outlook,
            trainer.completed,
        )

    def show(self, view: View) -> None:
        """Display this parameter's numbers; repaints only the lines that changed."""
        trainer = view.trainer
        parameter = trainer.weight if self._name == "weight" else trainer.bias
        gradient = trainer.gradient
        z = gradient is not None and gradient.standardized and self._name == "weight"
        update = gradient.update if gradient is not None else None
        texts = self.lines(parameter, update, of_z=z, arrival=arrival(trainer, parameter))
        # Where the gradient was computed and which update used it, on the border below it.
        # Folded to one line, the panel has no line for the gradient: the border says it
        # instead (the lessons talk of it), but not while training runs. While training
        # runs the gradient is always the latest update's: said in words that do not
        # change, since a new border repaints the whole panel (bytes over SSH).
        # The border keeps 3 cells at each end: 6 of the panel's width, its content's + 2.
        room = self.size.width - 2 if self.size.width else 26
        if gradient is None or (len(texts) < 2 and view.state is RunState.RUNNING):
            subtitle = ""
        elif len(texts) < 2:
            name = _("gradient (z)") if z else _("gradient")
            line = self._gradient_line(name, parameter.gradient, update, room)
            subtitle = Content.from_markup(line).plain
        elif view.state is RunState.RUNNING:
            subtitle = _("used by the latest update")
        else:
            subtitle = gradient_label(
                gradient.at_iteration, gradient.update, room, by_hand=gradient.by_hand
            )
        self.set_border_text(subtitle=subtitle)
        texts += [""] * (LINES - len(texts))
        self._text.show_lines([parsed(text) for text in texts])  # repaints what changed
        self._shown = texts

    def lines(
        self, parameter: ParameterView, update: int | None, *, of_z: bool, arrival: str = ""
    ) -> list[str]:
        """The panel's lines for the rows it has, as markup (``update``: the update the
        gradient is for, None before any backward pass; ``arrival``: see ``arrival``)."""
        # ``size`` is the content area, inside the border and padding.
        rows = max(self.size.height, 1) if self.size.height else LINES
        width = max(self.size.width, 20) if self.size.width else 28
        labels = [_(label) for label in LABELS]
        pad = max(cells(label) for label in labels) - 1  # values start after "gradient "
        if of_z:
            labels[3] = _("gradient (z)")

        def label(index: int) -> str:
            text = labels[index]
            return f"[dim]{text}{' ' * (pad - cells(text))}[/dim] "

        value, target = number(parameter.value, 7), number(parameter.target, 7)
        now = f"{label(0)}[b]{value}[/b]"
        gradient = self._gradient_line(labels[3], parameter.gradient, update, width)
        distance = _distance(parameter.distance, parameter.target)
        progress = 1.0 if distance == "0" else parameter.progress  # arrived, to rounding
        to_go = f"{label(2)}{distance:<9} {progress_bar(progress)}"
        if rows >= 5:
            return [now, f"{label(1)}{target}", to_go, arrival, gradient]
        now_and_target = f"{now} [dim]→[/dim] {target}"
        if rows == 4:
            return [now_and_target, to_go, arrival, gradient]
        folded = [now_and_target, to_go, gradient] if rows == 3 else [now_and_target, gradient]
        return folded[:rows]

    @staticmethod
    def _gradient_line(name: str, gradient: float | None, update: int | None, width: int) -> str:
        """``gradient -1561.71`` (where it was computed and its update are on the border
        below); a dim note before the first backward pass."""
        if gradient is None or update is None:
            return f"[dim]{name} " + _("after backward") + "[/dim]"
        for digits in (6, 4, 2):
            text = f"[dim]{name}[/dim] {number(gradient, digits)}"
            if parsed(text).cell_length <= width:
                break
        return text

    def render_text(self) -> str:
        """The panel's lines as plain text (what a user reads)."""
        return "\n".join(line.plain for line in self._text.lines).rstrip("\n")


def gradient_label(at: int, update: int, width: int, *, by_hand: bool = False) -> str:
    """``at 419's w, b → update 420`` in the words that fit ``width`` cells (see
    ``GRADIENT_LABELS``); ``at your w, b → update 420`` if computed at parameters set by
    hand (``HAND_LABELS``)."""
    for template in HAND_LABELS if by_hand else GRADIENT_LABELS:
        text = _(template).format(at=count(at), update=count(update))
        if cells(text) <= width:
            return text
    return f"{count(at)} → {count(update)}"


def arrival(trainer: TrainerView, parameter: ParameterView, width: int = 28) -> str:
    """``≈ 30,243 iterations to go`` until the parameter stays within its tolerance for good;
    ``within 0.01 for good`` once it does; ``never at this rate``; ``unknown`` without a
    closed form (Adam), never a guess; ``diverged: r starts again`` once the rate is made
    stable after a divergence (a diverged run goes nowhere, so core forecasts no arrival:
    "never at this rate" would contradict the status line's "stable")."""
    if not trainer.outlook.predictable:
        return "[dim]" + _("iterations to go: unknown") + "[/dim]"
    if trainer.diverged_at is not None and trainer.outlook.stable:
        return "[b $text-error]" + _("diverged: r starts again") + "[/]"
    if parameter.arrives_at is None:
        return "[b $text-error]" + _("never at this rate") + "[/]"
    remaining = rounded(parameter.arrives_at - trainer.completed, trainer.outlook.digits)
    if remaining <= 0:
        text = _("within {tolerance} for good").format(tolerance=number(parameter.tolerance, 3))
        return f"[$success]{text}[/]"
    for shown in (count(remaining), number(remaining, 3)):
        text = ngettext("≈ {n} iteration to go", "≈ {n} iterations to go", remaining)
        text = text.format(n=shown)
        if cells(text) <= width:
            break
    return text


def _distance(distance: float, target: float) -> str:
    """The way still to go, at most 9 characters; rounding noise at the target reads 0."""
    if abs(distance) <= 1e-9 * max(1.0, abs(target)):
        return "0"
    text = number(distance, 6)
    return text if len(text) <= 9 else number(distance, 3)


def progress_bar(progress: float) -> str:
    """A bar of the share of the way covered, e.g. ``██████▉·``; ``away`` if moving away."""
    if math.isnan(progress) or progress < 0:
        return "[b $text-error]" + _("away") + "[/]"
    eighths = math.floor(min(progress, 1.0) * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    bar = ("█" * full + (BLOCKS[part] if part else "")).ljust(BAR_WIDTH, "·")
    return f"[$success]{bar}[/]"
