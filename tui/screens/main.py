"""The trainer's own screen, under the help screen, dialogs and the palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from tui import keys

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from tui.app import TrainerApp


class MainScreen(Screen[None]):
    """The trainer's screen. Its Footer offers the keys of the current context; while
    another screen covers it (help, a dialog, the palette) training is held
    (``TrainerApp.follow_screens``, which follows the screen stack itself)."""

    app: TrainerApp

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return keys.for_footer(super().active_bindings, self.app.footer_actions())

    def on_resize(self) -> None:
        self.app.follow_screens()
