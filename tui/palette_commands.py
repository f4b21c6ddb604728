"""The command palette: what it lists, and the two palettes the app opens.

Apart from ``tui.app`` because the palette is a second way to every key (by name,
with the key's description, only where the key acts now) and Textual's own palette
needed guarding (``tui.screens.palette``); the app keeps only the methods Textual
calls by name, each one line into here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from tui import keys
from tui.i18n import _

if TYPE_CHECKING:
    from tui.app import TrainerApp


def open_palette(app: TrainerApp) -> None:
    """ctrl+p: Textual's command palette, deaf once closed (``tui.screens.palette``)."""
    from tui.screens.palette import Palette

    if app.use_command_palette and not isinstance(app.screen, Palette):
        app.push_screen(Palette(id="--command-palette", placeholder=_("Search for commands…")))


def open_theme_picker(app: TrainerApp) -> None:
    """The palette's Theme command: the theme picker, deaf once closed, as ctrl+p's."""
    from textual.theme import ThemeProvider

    from tui.screens.palette import Palette

    app.push_screen(Palette(providers=[ThemeProvider], placeholder=_("Search for themes…")))


def system_commands(
    app: TrainerApp, textual_commands: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """Textual's commands, then every key that is on offer now, by name."""
    for command in textual_commands:
        # Served over SSH, Textual's screenshot would be saved on the server's disk;
        # in a browser (the web driver) it is a download, so it stays.
        if not (command.title == "Screenshot" and app.settings.served and not app.is_web):
            yield command._replace(title=_(command.title), help=_(command.help))
    lesson = _("Close the lesson") if app.lesson is not None else _("Lesson")
    yield SystemCommand(
        lesson,
        _("The tutorial chapter by chapter, on the live trainer (--lesson)."),
        app.action_toggle_lesson,
    )
    for key in keys.KEYS:
        if key.action != "quit" and app.check_action(key.action, ()) is True:
            title = f"{_(key.label)} ({key.display})"
            yield SystemCommand(title, keys.describe(key), getattr(app, f"action_{key.action}"))
