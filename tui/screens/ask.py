"""The shape every "type a value" dialog shares: a question, a field, a refusal line, a hint.

The rate (``l``), sample (``#``) and seek (``g``) dialogs differ only in what they
ask and how they read the answer; the rest (escape cancels, enter reads, a
refusal stays in the dialog in one line, a second enter of one burst acts on
nothing once the dialog has closed) lives here once, and so does keeping a dialog
between opens (``kept_dialog``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from core.numerals import DECIMAL
from tui.i18n import N_, _
from tui.screens.kept_background import KeptBackground

if TYPE_CHECKING:
    from typing_extensions import Self

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

    ASKED: ClassVar[tuple[str, ...]]
    """The attributes ``__init__`` sets to what the dialog asks about (the value now, the
    limits): a kept dialog opened again takes them from a new one (``ask_as``)."""

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
            yield Label(self.question(), id=f"{self.NAME}-question")
            yield Input(value=self.initial(), id=f"{self.NAME}-input", select_on_focus=True)
            yield Static("", id=f"{self.NAME}-error", classes="refusal")
            yield from self.notes()
            yield Label(self._hint_markup(), id=f"{self.NAME}-hint")

    def _hint_markup(self) -> str:
        return "[dim]" + self.hint() + "[/dim]"

    def ask_as(self, fresh: Self) -> bool:
        """Kept from its last open, ask now what ``fresh`` (a new dialog of this kind, never
        shown) asks, and show what it would show: its question, its value in the field,
        no refusal, its notes and hint. Only the widgets whose text changed are updated (an
        update lays the dialog out again). False if ``fresh`` has other notes (the seek
        dialog's line on replaying comes and goes): then it must be shown instead."""
        shown = list(self.query_one(Vertical).children)
        notes = list(fresh.notes())
        if [(type(note), note.id) for note in shown[3:-1]] != [
            (type(note), note.id) for note in notes
        ]:
            return False
        for name in self.ASKED:
            setattr(self, name, getattr(fresh, name))
        question, field, refusal, *kept_notes, hint = shown
        note_texts = [cast(Static, note).content for note in notes]
        texts = [fresh.question(), "", *note_texts, fresh._hint_markup()]
        for widget, text in zip([question, refusal, *kept_notes, hint], texts, strict=True):
            if cast(Static, widget).content != text:
                cast(Static, widget).update(text)
        value = fresh.initial()
        if cast(Input, field).value != value:
            cast(Input, field).value = value
        return True

    def on_screen_suspend(self) -> None:
        """Closed (kept for the next open, ``kept_dialog``): the field loses focus, so that
        opened again it takes it as a new dialog's does (its text selected, the cursor
        shown and blinking; kept focused, its cursor blinked on while the dialog was
        closed), and nothing stays selected by the mouse. Covered (the palette over it),
        it keeps both: uncovered, the field is as it was left, cursor and selection."""
        if self in self.app.screen_stack:
            return
        self.set_focus(None)
        self.clear_selection()

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


Dialog = TypeVar("Dialog", bound=AskDialog[Any])


def kept_dialog(app: App[Any], fresh: Dialog) -> Dialog:
    """The dialog to show: the one of ``fresh``'s kind the app kept from its last open,
    asking what ``fresh`` asks (``AskDialog.ask_as``), or ``fresh``, kept for the next.

    Composing, mounting and styling a dialog's widgets, and the second layout their first
    sizes ask for, were more than half of an open (issue 20 goal 2); a dialog Textual
    keeps installed is shown again with its texts brought up to date. The trainer under it
    is drawn afresh, and a new theme or terminal size Textual applies as it shows it again
    (tests/test_tui_kept_dialogs.py compares it with a new dialog after each). A dialog of
    this kind already on the stack (opened from the palette over itself) gets a new one.
    """
    name = f"c2f-tui-{fresh.NAME}"
    if app.is_screen_installed(name):
        kept = app.get_screen(name, type(fresh))
        if kept in app.screen_stack:
            return fresh
        if kept.ask_as(fresh):
            return kept
        app.uninstall_screen(kept)
        kept.remove()
    app.install_screen(fresh, name)
    return fresh
