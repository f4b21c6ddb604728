"""A small dialog to type the iteration to go to (the ``g`` key)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.format import count
from tui.i18n import N_, _

SEPARATORS = (",", "_", " ", "\u202f", "\u00a0", "'")
"""Thousands separators a typed number may contain: ``40,243``, ``40_243``, ``40 243``."""
ECHOED = 24
"""Refused input is echoed up to this many characters."""


class SeekDialog(ModalScreen[int | None]):
    """Asks for an iteration from 0 to ``furthest``; refuses anything else in one line.

    ``limited`` says that ``furthest`` is set by replaying (a rule without a
    closed form replays every update going forward), not by the closed form's
    reach: a line under the input then says why, and what to do instead.
    Dismisses with the iteration, or None if cancelled with escape.
    """

    DEFAULT_CSS = """
    SeekDialog {
        align: center middle;
    }
    SeekDialog > Vertical {
        width: 56;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    SeekDialog #seek-error {
        color: $error;
        height: auto;
    }
    SeekDialog #seek-limit {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, current: int, furthest: int, *, limited: bool) -> None:
        super().__init__()
        self._current = current
        self._furthest = furthest
        self._limited = limited

    def compose(self) -> ComposeResult:
        with Vertical():
            title = _("Go to iteration (now {iteration})")
            yield Label(title.format(iteration=count(self._current)))
            yield Input(value=str(self._current), id="seek-input", select_on_focus=True)
            yield Static("", id="seek-error")
            if self._limited:  # a Static, so that the sentence wraps
                yield Static("[dim]" + self._limit_words() + "[/dim]", id="seek-limit")
            yield Label(
                "[dim]" + _("back restores the settings in force there") + "[/dim]",
            )
            yield Label("[dim]" + _("enter to go · escape to cancel") + "[/dim]")

    def _limit_words(self) -> str:
        ahead = self._furthest - self._current
        return _(
            "Without a closed form each update is replayed: at most {ahead} iterations "
            "ahead, to {furthest} (f races further)."
        ).format(ahead=count(ahead), furthest=count(self._furthest))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:
            return  # a second enter of one burst: the dialog has closed, the screen under it stays
        typed = event.value.strip()
        iteration = whole_number(typed)
        if iteration is None:
            echo = typed if len(typed) <= ECHOED else typed[:ECHOED] + "…"
            self._refuse(
                _("Refused: type a whole number of iterations, 0 or more, not {typed}.").format(
                    typed=repr(echo)
                )
            )
            return
        if iteration > self._furthest:  # (the line below the input says why, if it is near)
            self._refuse(
                _("Refused: at most iteration {furthest}.").format(furthest=count(self._furthest))
            )
            return
        self.dismiss(iteration)

    def _refuse(self, message: str) -> None:
        self.query_one("#seek-error", Static).update(Content(message))

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)


def whole_number(text: str) -> int | None:
    """The typed text as an iteration ≥ 0, or None: digits with optional thousands
    separators (``40,243``), or a whole number in exponent form (``1e6``)."""
    plain = text
    for separator in SEPARATORS:
        plain = plain.replace(separator, "")
    if plain.isascii() and plain.isdigit():
        return int(plain)
    if not plain.isascii() or "e" not in plain.lower():
        return None
    try:
        value = float(plain)
    except ValueError:
        return None
    if not (value >= 0 and value.is_integer() and value < 1e19):
        return None
    return int(value)
