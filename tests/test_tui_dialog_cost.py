"""Issue 20 goal 2: a dialog costs little to open and close, counted without a clock.

A modal screen's background is the screen under it, tinted, drawn through Rich: each
opened dialog drew the trainer again at each of its three layouts, although nothing under
it had changed (``tui.screens.kept_background``). Help drew its two tables twice at every
open, once at a guessed width and once at the width it got (``tui.screens.help``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tests.conftest import paused_app, screen_text
from tests.waiting import until
from tui.screens.help import HelpScreen
from tui.screens.kept_background import KeptBackground

SIZE = (80, 24)
DIALOGS = ("l", "#", "g", "question_mark", "ctrl+p")
"""The keys that open a dialog: rate, sample, seek, help and the command palette."""


def count_backgrounds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every drawing of a modal screen's background (the screen under it) from now on."""
    drawn: list[object] = []
    original = BackgroundScreen.__rich_console__

    def counted(
        self: BackgroundScreen, console: Console, options: ConsoleOptions
    ) -> Iterable[Segment]:
        drawn.append(self.screen)
        return original(self, console, options)

    monkeypatch.setattr(BackgroundScreen, "__rich_console__", counted)
    return drawn


async def settle(pilot: Any) -> None:
    """Let every layout and repaint a screen change asks for happen."""
    for _pause in range(5):
        await pilot.pause()


@pytest.mark.parametrize("key", DIALOGS)
async def test_a_dialog_draws_the_trainer_under_it_once(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened, laid out, focused and closed: the tinted trainer under the dialog is drawn
    once (it was drawn at each of the dialog's layouts: three times, help four)."""
    drawn = count_backgrounds(monkeypatch)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(2):
            drawn.clear()
            await pilot.press(key)
            await until(pilot, lambda: app.screen is not app.main_screen, "the dialog open")
            await settle(pilot)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, "the dialog closed")
            await settle(pilot)
            assert drawn == [app.main_screen]


class Under(App[None]):
    """A line of text, and a modal screen over it that keeps its background."""

    def compose(self) -> ComposeResult:
        yield Static("before", id="under")


class Over(KeptBackground, ModalScreen[None]):
    DEFAULT_CSS = "Over { align: center bottom; }"

    def compose(self) -> ComposeResult:
        yield Label("a dialog")


async def test_what_changes_under_a_dialog_is_drawn_under_it() -> None:
    """The kept background is drawn again when the screen under changes (a dialog over a
    screen that changes must not show it as it was)."""
    app = Under()
    async with app.run_test(size=(30, 5)) as pilot:
        await app.push_screen(Over())
        await settle(pilot)
        assert "before" in screen_text(app)
        app.query_one("#under", Static).update("after")
        await settle(pilot)
        assert "after" in screen_text(app) and "before" not in screen_text(app)
        app.screen.refresh()  # a repaint of the dialog alone keeps what it last drew
        await settle(pilot)
        assert "after" in screen_text(app)


async def test_help_opened_again_at_one_size_is_drawn_at_its_width_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second help opened at a size composes its tables for the width they get there:
    they are not drawn at another width first and updated (the first help is), and it
    reads as the first did."""
    updated: list[str | None] = []
    original = Static.update

    def counted(self: Static, *args: Any, **kwargs: Any) -> None:
        updated.append(self.id)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Static, "update", counted)
    monkeypatch.setattr(HelpScreen, "_widths", {})  # as if help had never been opened
    app = paused_app()
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(2):
            updated.clear()
            await pilot.press("question_mark")
            await until(pilot, lambda: app.screen is not app.main_screen, "help open")
            await settle(pilot)
            seen.append((screen_text(app), [i for i in updated if i and i.startswith("help")]))
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, "help closed")
            await settle(pilot)
    (first, first_updates), (second, second_updates) = seen
    assert first_updates == ["help-keys", "help-text"]
    assert second_updates == []
    assert second == first
