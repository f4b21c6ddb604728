"""Textual's command palette, made deaf once it has closed."""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.message import Message
from textual.widgets import Input, OptionList


class Palette(CommandPalette):
    """The command palette (ctrl+p) and the theme picker, which act on nothing once closed.

    Keys come faster than screens close. Two enters in one burst select twice, and the
    second selection, arriving after the palette has closed, closes the screen under it
    instead (Textual raises ScreenStackError and the app dies); a key typed just as the
    palette closes starts a search whose results, arriving after its list is gone, kill the
    app too (NoMatches). Both messages reach this class's handlers before the palette's own,
    so a closed palette drops them there.
    """

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _deaf_once_closed(self, message: Message) -> None:
        if not self.is_active:
            message.prevent_default()  # the base class's handlers do not run
            message.stop()
