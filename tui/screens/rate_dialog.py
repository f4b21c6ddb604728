"""A small dialog to type an exact learning rate."""

from __future__ import annotations

import math
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from core import check_learning_rate
from tui.format import rates_apart
from tui.i18n import N_, _


class RateDialog(ModalScreen[float | None]):
    """Asks for a learning rate; refuses anything but a finite number > 0.

    Dismisses with the new rate, or None if cancelled with escape.
    """

    DEFAULT_CSS = """
    RateDialog {
        align: center middle;
    }
    RateDialog > Vertical {
        width: 58;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    RateDialog #rate-error {
        color: $error;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, current: float, max_stable: float) -> None:
        super().__init__()
        self._current = current
        self._max_stable = max_stable

    def compose(self) -> ComposeResult:
        with Vertical():
            if math.isfinite(self._max_stable):
                label = _("Learning rate (now {rate}; stable below {limit})")
            else:
                label = _("Learning rate (now {rate}; no stable limit)")
            current, limit = rates_apart(self._current, self._max_stable)
            yield Label(label.format(rate=current, limit=limit))
            yield Input(value=current, id="rate-input", select_on_focus=True)
            yield Static("", id="rate-error")
            yield Label("[dim]" + _("enter to apply · escape to cancel") + "[/dim]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:
            return  # a second enter of one burst: the dialog has closed, the screen under it stays
        typed = event.value.strip()
        try:
            value = check_learning_rate(_as_number(typed))
        except ValueError:
            self.query_one("#rate-error", Static).update(
                Content(
                    _(
                        "Refused: the learning rate must be a finite number > 0, not {typed}."
                    ).format(typed=repr(typed))
                )
            )
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)


def _as_number(text: str) -> float:
    """The typed text as a float, or a ValueError a learner can act on."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(
            _("learning rate must be a number, got {text}").format(text=repr(text))
        ) from None
