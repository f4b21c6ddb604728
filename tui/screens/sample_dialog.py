"""A small dialog to type the temperature of the sample to explain (``#``)."""

from __future__ import annotations

import math
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.i18n import N_, _


class SampleDialog(ModalScreen[float | None]):
    """Asks for a temperature in °C; the app explains the sample nearest to it.

    Dismisses with the typed temperature, or None if cancelled with escape.
    Anything but a finite number (in ASCII digits) is refused in the dialog.
    """

    DEFAULT_CSS = """
    SampleDialog {
        align: center middle;
    }
    SampleDialog > Vertical {
        width: 52;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    SampleDialog #sample-error {
        color: $error;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, current: float, low: float, high: float) -> None:
        super().__init__()
        self._current = current
        self._low, self._high = low, high

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                _("Sample to explain, in °C ({low} to {high})").format(
                    low=f"{self._low:g}", high=f"{self._high:g}"
                )
            )
            yield Input(value=f"{self._current:g}", id="sample-input", select_on_focus=True)
            yield Static("", id="sample-error")
            yield Label("[dim]" + _("enter to explain it · escape to cancel") + "[/dim]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:
            return  # a second enter of one burst: the dialog has closed, the screen under it stays
        typed = event.value.strip()
        value = _as_number(typed)
        if value is None:
            self.query_one("#sample-error", Static).update(
                Content(
                    _("Refused: type a temperature such as 42 or -7.5, not {typed}.").format(
                        typed=repr(typed)
                    )
                )
            )
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)


def _as_number(text: str) -> float | None:
    """The typed text as a finite float, or None (digits other than ASCII are refused)."""
    if not text.isascii():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
