"""The shape every "type a value" dialog shares: a question, a field, a refusal line, a hint.

The rate (``l``), sample (``#``) and seek (``g``) dialogs differ only in what they
ask and how they read the answer; the rest (escape cancels, enter reads, a
refusal stays in the dialog in one line, a second enter of one burst acts on
nothing once the dialog has closed) lives here once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from core.numerals import DECIMAL
from tui.i18n import N_, _
from tui.screens.kept_background import KeptBackground

Answer = TypeVar("Answer")


class Refused(str):
    """What ``read`` returns for input it cannot take: the one line the dialog shows."""


def decimal(typed: str) -> float | None:
    """The typed text as a finite float, if it is written in ASCII decimal
    (``core.numerals.DECIMAL``); None otherwise. ``float()`` alone reads ``1_0`` as 10,
    other scripts' digits, ``inf`` and ``nan``."""
    if not DECIMAL.fullmatch(typed):
        return None
    value = float(typed)
    return value if math.isfinite(value) else None


def underscore_refusal(typed: str) -> Refused | None:
    """The one line for a number written with ``_`` (``1_0``: Python's digit separator,
    which a dialog does not read), or None if there is none."""
    if "_" not in typed:
        return None
    return Refused(
        _("Refused: {typed} has _ in it; type {plain} if you mean that.").format(
            typed=repr(typed), plain=typed.replace("_", "")
        )
    )


class AskDialog(KeptBackground, ModalScreen[Answer | None], Generic[Answer]):
    """Asks for one value; dismisses with it, or with None when cancelled with escape.

    A subclass names its widgets' ids (``NAME``), says what it asks (``question``),
    what the field starts with (``initial``), how enter acts (``hint``) and how the
    typed text is read (``read``: the value, or a ``Refused`` line).
    """

    DEFAULT_CSS = """
    AskDialog {
        align: center middle;
    }
    AskDialog > Vertical {
        width: 58;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    AskDialog .refusal {
        color: $error;
        height: auto;
    }
    AskDialog .note {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    NAME: ClassVar[str]
    """The prefix of the field's and the refusal's ids (``rate`` → ``#rate-input``)."""

    def question(self) -> str:
        raise NotImplementedError

    def initial(self) -> str:
        raise NotImplementedError

    def hint(self) -> str:
        """How to answer, dimmed under everything else (``enter to apply · escape …``)."""
        raise NotImplementedError

    def read(self, typed: str) -> Answer | Refused:
        raise NotImplementedError

    def notes(self) -> Iterator[Widget]:
        """Lines between the refusal and the hint (none unless a dialog has some)."""
        return iter(())

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question())
            yield Input(value=self.initial(), id=f"{self.NAME}-input", select_on_focus=True)
            yield Static("", id=f"{self.NAME}-error", classes="refusal")
            yield from self.notes()
            yield Label("[dim]" + self.hint() + "[/dim]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:
            return  # a second enter of one burst: the dialog has closed, the screen under it stays
        answer = self.read(event.value.strip())
        if isinstance(answer, Refused):
            self.query_one(f"#{self.NAME}-error", Static).update(Content(str(answer)))
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)
