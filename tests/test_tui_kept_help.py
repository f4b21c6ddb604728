"""Help is kept between opens (issue 20 goal 2): the app shows the help it composed last
time instead of composing, mounting and styling its widgets again
(``tui.screens.help.kept_help``). Kept, it must still read and look as a new help would
after whatever happened while it was closed, close with escape, let q and ctrl+c quit,
and not grow with every open.
"""

from __future__ import annotations

import gc
from typing import Any, ClassVar

import pytest
from rich.segment import Segment
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from core import OPTIMIZERS, Momentum
from tests.conftest import paused_app, screen_text
from tests.counting import calls_on, count_restyles
from tests.waiting import escape_to, settle, until
from tui.app import TrainerApp
from tui.screens.help import HelpScreen

SIZE = (80, 24)


async def open_help(pilot: Pilot[Any], app: TrainerApp, new: bool = False) -> list[list[Segment]]:
    """Help opened with ``?`` (or a new ``HelpScreen`` pushed), settled: what it shows,
    cell for cell and colour for colour."""
    if new:
        app.push_screen(HelpScreen())
    else:
        await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help open")
    await settle(pilot)
    return [list(line) for line in app.screen._compositor.render_strips()]


async def test_help_opened_again_is_not_composed_mounted_or_styled_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second and third help are the first shown again: not composed, no widget
    mounted, each of its widgets styled once as the screen resumes (a new help's were
    styled as they were mounted and again as it resumed)."""
    composed = calls_on(monkeypatch, HelpScreen, "compose")
    restyled = count_restyles(monkeypatch)
    app = paused_app()
    counts = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(3):
            composed.clear()
            restyled.clear()
            mounted = len(app._registry)
            await open_help(pilot, app)
            help_screen = app.screen
            mounted = len(app._registry) - mounted
            ours = {help_screen, *help_screen.walk_children()}
            styled = sum(node in ours for nodes in restyled for node in nodes)
            counts.append((len(composed), mounted, styled))
            await escape_to(pilot, app.main_screen, "help")
    first, second, third = counts
    assert first[0] == 1 and first[1] >= 4  # the screen, its scroll, the two tables
    assert second == third == (0, 0, len(ours)), "each widget styled once, as help resumes"


class Gentle(Momentum):
    """An optimizer added to the registry while help is closed."""

    name: ClassVar[str] = "gentle"
    title: ClassVar[str] = "gentle momentum"
    summary: ClassVar[str] = "Gentle momentum (β 0.5)."
    beta = 0.5


CHANGES = ("nothing", "trained", "scrolled", "theme", "resized", "optimizer added")
"""What happens between two opens of help."""


@pytest.mark.slow
@pytest.mark.parametrize("change", CHANGES)
async def test_help_opened_again_reads_and_looks_as_a_new_help(
    change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever happened while it was closed, help opened again with ``?`` shows what a
    help composed anew shows then, cell for cell and colour for colour: the trainer as it
    is now under it, the top of the text (not where it was scrolled to), the theme now,
    the terminal's new size, an optimizer added to the registry named in its guide."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_help(pilot, app)
        if change == "scrolled":
            await pilot.press("pagedown", "pagedown")
            await settle(pilot)
            assert app.screen.query_one(VerticalScroll).scroll_y > 0
        await escape_to(pilot, app.main_screen, "help")
        if change == "trained":
            before = screen_text(app)
            await pilot.press("n", "n", "n")
            await settle(pilot)
            assert screen_text(app) != before
        elif change == "theme":
            app.theme = "textual-light"
            await settle(pilot)
        elif change == "resized":
            await pilot.resize_terminal(130, 40)  # -wide and -tall
            await settle(pilot)
        elif change == "optimizer added":
            monkeypatch.setitem(OPTIMIZERS, Gentle.name, Gentle)
        kept = await open_help(pilot, app)
        kept_classes = set(app.screen.classes)
        await escape_to(pilot, app.main_screen, "help")
        new = await open_help(pilot, app, new=True)
        new_classes = set(app.screen.classes)
        await escape_to(pilot, app.main_screen, "help")
        assert kept == new and kept_classes == new_classes
        if change == "resized":
            assert len(kept) == 40 and sum(len(seg.text) for seg in kept[0]) == 130
        if change == "optimizer added":
            await open_help(pilot, app)
            help_text = ""
            for _line in range(60):  # read it all, as a user would: scrolling down
                await pilot.press("down")
                await pilot.pause()
                help_text += screen_text(app)
            assert "gentle momentum" in help_text


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit_from_help_opened_again(key: str) -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_help(pilot, app)
        await escape_to(pilot, app.main_screen, "help")
        await open_help(pilot, app)
        await pilot.press(key)
    assert app.return_code == 0


async def test_help_kept_does_not_grow_with_every_open() -> None:
    """Opened and closed again and again, one help lives on, and the app holds no more
    widgets than after the first."""
    app = paused_app()
    held = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(6):
            await open_help(pilot, app)
            await escape_to(pilot, app.main_screen, "help")
            gc.collect()
            alive = sum(isinstance(thing, HelpScreen) for thing in gc.get_objects())
            held.append((alive, len(app._registry)))
    assert held == [held[0]] * 6 and held[0][0] <= 1


async def test_help_asked_for_over_help_is_a_second_help() -> None:
    """Help already on the stack (the palette's Help over help): a second help covers it,
    and escape closes each in turn."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_help(pilot, app)
        first = app.screen
        app.action_help()
        await until(pilot, lambda: app.screen is not first, "a second help")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is first, "the first help again")
        await escape_to(pilot, app.main_screen, "help")
