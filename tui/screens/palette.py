"""Textual's command palette, made deaf once it has closed, and styled once as it opens."""

from __future__ import annotations

import contextlib
from typing import Any

from textual import on
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets import Input, LoadingIndicator, OptionList

from tui.screens.kept_background import KeptBackground

PALETTE_CLASS = "--textual-command-palette"
"""The class Textual's ``CommandPalette`` gives itself (``CommandPalette.is_open`` looks for it)."""
BUSY_FRAME = 1 / 16
"""Seconds between frames of the busy indicator while shown (Textual's LoadingIndicator's)."""


class Palette(KeptBackground, CommandPalette):
    """The command palette (ctrl+p) and the theme picker, which act on nothing once closed.

    Keys come faster than screens close. Two enters in one burst select twice, and the
    second selection, arriving after the palette has closed, closes the screen under it
    instead (Textual raises ScreenStackError and the app dies); a key typed just as the
    palette closes starts a search whose results, arriving after its list is gone, kill the
    app too (NoMatches). Both messages reach this class's handlers before the palette's own,
    so a closed palette drops them there.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Given Textual's class for an open palette from the start: added by the base's
        ``__init__`` (``--textual-command-palette``), it styled the palette, not yet
        mounted, at each open, only for it to be styled again as it is mounted."""
        classes = kwargs.pop("classes", None)
        kwargs["classes"] = " ".join(filter(None, (classes, PALETTE_CLASS)))
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        """Shown with its list from the start (after the base's ``_on_mount`` has started
        gathering the commands, before the screen is first styled as it resumes): Textual
        adds ``-ready`` to the palette and ``--visible`` and ``--list-visible`` to its list
        and field once the commands are gathered, each a restyle, the first of all eight of
        its widgets, and a layout (issue 20 goal 2). ctrl+p's commands and the themes are
        never none; a search that finds none hides the list as before (the base's watcher
        of ``_list_visible``)."""
        self.add_class("-ready", update=False)
        self.query_one(CommandList).add_class("--visible", update=False)
        self.query_one("#--input").add_class("--list-visible", update=False)
        self.set_reactive(CommandPalette._list_visible, True)
        # Its busy indicator, hidden until a search takes long, repainted itself 16 times a
        # second all along (a timer tick each, ~6 ms of CPU a second while the palette
        # stays open): it is animated only while shown.
        self.query_one(LoadingIndicator).auto_refresh = None
        self.watch(self, "_show_busy", self._animate_busy, init=False)

    def _animate_busy(self, busy: bool) -> None:
        self.query_one(LoadingIndicator).auto_refresh = BUSY_FRAME if busy else None

    def _action_command_list(self, action: str) -> None:
        # pageup/pagedown while the list is refilling: Textual's OptionList pages from the
        # highlighted option's line before it has laid the new options out into lines
        # (textual/widgets/_option_list.py, _move_page: KeyError). The key does nothing then.
        with contextlib.suppress(KeyError):
            super()._action_command_list(action)

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _deaf_once_closed(self, message: Message) -> None:
        if not self.is_active:
            message.prevent_default()  # the base class's handlers do not run
            message.stop()
