"""ctrl+p's palette is our own and kept between opens (issue 20 goal 2,
``tui.screens.palette``): opened again it is not composed, mounted, or its options cut
into lines again. Kept, it must still read and look as a new palette would, whatever
happened while it was closed, and behave as Textual's: typing filters, the keys move,
enter or a click runs the highlighted command, escape closes, q and ctrl+c quit.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.segment import Segment
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList

from tests.conftest import paused_app
from tests.counting import calls_on
from tests.mash_harness import MashedApp
from tests.waiting import escape_to, settle, until
from tui.app import TrainerApp
from tui.screens.palette import Palette, PaletteList
from tui.settings import Settings

SIZE = (80, 24)


def is_palette(screen: object) -> bool:
    """A command palette, ours or Textual's (its class, ``CommandPalette.is_open``)."""
    return isinstance(screen, Screen) and screen.has_class("--textual-command-palette")


async def open_palette(pilot: Pilot[Any], app: TrainerApp) -> list[list[Segment]]:
    """ctrl+p, settled: what the palette shows, cell for cell and colour for colour."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: is_palette(app.screen), "the palette open")
    await until(pilot, lambda: bool(app.screen.query_one(OptionList).option_count), "listed")
    app.screen.query_one(Input).cursor_blink = False  # the same cursor in every view
    await settle(pilot)
    return [list(line) for line in app.screen._compositor.render_strips()]


def titles(app: TrainerApp) -> list[str]:
    """The first line of each option the palette lists."""
    options = app.screen.query_one(OptionList).options
    return [str(option.prompt).split("\n")[0] for option in options]


async def test_the_palette_opened_again_is_not_composed_mounted_or_cut_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second and third ctrl+p show the first palette again: not composed, nothing
    mounted, and its 31 two-line options not cut into lines again (Textual's palette was
    made anew at each open, its list filled again and every option wrapped twice)."""
    composed = calls_on(monkeypatch, Screen, "_compose")
    cut = calls_on(monkeypatch, Content, "render_strips")
    measured = calls_on(monkeypatch, Content, "get_height")
    app = paused_app()
    counts = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(3):
            composed.clear()
            cut.clear()
            measured.clear()
            mounted = len(app._registry)
            await open_palette(pilot, app)
            mounted = len(app._registry) - mounted
            prompts = [option.prompt for option in app.screen.query_one(OptionList).options]
            wrapped = [c for c in cut + measured if any(c is prompt for prompt in prompts)]
            counts.append((len([s for s in composed if is_palette(s)]), mounted, len(wrapped)))
            await escape_to(pilot, app.main_screen, "the palette")
    first, second, third = counts
    assert first[0] == 1 and first[1] >= 5 and first[2] >= len(prompts)
    assert second == third == (0, 0, 0)


CHANGES = ("nothing", "searched", "moved", "theme", "resized", "trained", "lesson")
"""What happens between two opens of the palette."""


@pytest.mark.parametrize("change", CHANGES)
async def test_the_palette_opened_again_reads_and_looks_as_a_new_one(change: str) -> None:
    """Whatever happened while it was closed, the palette opened again with ctrl+p shows
    what a new palette shows then, cell for cell and colour for colour: nothing typed,
    every command by title with the first highlighted (after a search and escape, after
    moving down the list), the theme now, the terminal's size now, the trainer under it
    as it is, the commands on offer now (a lesson open: "Close the lesson")."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_palette(pilot, app)
        every = titles(app)
        if change == "searched":
            await pilot.press(*"lr")
            await until(pilot, lambda: titles(app) != every, "the search's results")
        elif change == "moved":
            await pilot.press("down", "down", "pagedown")
            await settle(pilot)
            assert app.screen.query_one(OptionList).highlighted not in (None, 0)
        await escape_to(pilot, app.main_screen, "the palette")
        if change == "theme":
            app.theme = "textual-light"
        elif change == "resized":
            await pilot.resize_terminal(100, 30)
        elif change == "trained":
            await pilot.press("n", "n", "n")
        elif change == "lesson":
            app.action_toggle_lesson()
        await settle(pilot)
        kept = app.screen_stack and app.get_screen("c2f-tui-palette-commands")
        again = await open_palette(pilot, app)
        assert app.screen is kept, "the kept palette"
        assert app.screen.query_one(Input).value == ""
        assert app.screen.query_one(OptionList).highlighted == 0
        reopened = titles(app)
        if change == "lesson":
            assert "Close the lesson" in reopened and "Lesson" not in reopened
        else:
            assert reopened == every
        await escape_to(pilot, app.main_screen, "the palette")
        app.uninstall_screen("c2f-tui-palette-commands")  # the next ctrl+p makes a new one
        await kept.remove()
        new = await open_palette(pilot, app)
        assert app.screen is not kept
        assert again == new


async def test_typing_filters_best_first_and_enter_runs_the_highlighted_command() -> None:
    """Typed letters keep the commands whose titles hold them in order, best first (as
    Textual's ``SystemCommandsProvider``); enter runs the first, once, over the trainer."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_palette(pilot, app)
        await pilot.press(*"iter")
        await until(pilot, lambda: titles(app)[0] == "Iter (n)", "Iter first")
        assert titles(app) == ["Iter (n)", "Log iter (t)"]
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is app.main_screen, "the palette closed")
        await until(pilot, lambda: app.controller.driver.trainer.iteration == 1, "one iteration")


async def test_the_keys_move_through_the_list_and_a_click_runs_a_command() -> None:
    """down, pagedown, up and pageup move the highlight; with nothing typed, home and end go
    to the first and last command (in a typed search they move the field's cursor;
    ctrl+home and ctrl+end move the list); enter runs the highlighted one; a click on a
    command runs it, a click beside the palette closes it."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_palette(pilot, app)
        listed = app.screen.query_one(OptionList)
        moves = []
        for key in ("down", "down", "up", "pagedown", "pageup", "end", "home", "end"):
            await pilot.press(key)
            moves.append(listed.highlighted)
        last = listed.option_count - 1
        assert moves[:3] == [1, 2, 1] and moves[3] > 2 and moves[4] < moves[3]
        assert moves[5:] == [last, 0, last]
        assert titles(app)[last] == "lr÷2 (-)"
        rate = app.controller.driver.trainer.learning_rate
        await pilot.press("enter")
        await until(pilot, lambda: app.controller.driver.trainer.learning_rate == rate / 2, "÷2")
        await open_palette(pilot, app)
        await pilot.press(*"ite", "home")
        assert app.screen.query_one(Input).cursor_position == 0, "home in the typed search"
        await pilot.press("ctrl+end")
        assert listed.highlighted == 1, "ctrl+end: the last of Iter, Log iter"
        await pilot.press("ctrl+home")
        assert listed.highlighted == 0
        await pilot.click(offset=(40, 1))  # beside the palette, on the tinted trainer
        await until(pilot, lambda: app.screen is app.main_screen, "the palette closed")
        await open_palette(pilot, app)
        await pilot.press(*"iter")
        await until(pilot, lambda: titles(app)[0] == "Iter (n)", "Iter first")
        await pilot.click(PaletteList, offset=(4, 1))  # the first command's title
        await until(pilot, lambda: app.controller.driver.trainer.iteration == 1, "one iteration")
        assert app.screen is app.main_screen


async def test_the_theme_picker_is_the_palette_over_the_themes() -> None:
    """ctrl+p's Theme opens the theme picker: every theme by name; typing filters them and
    enter applies the highlighted one. Opened again, it is the same picker, emptied."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_palette(pilot, app)
        await pilot.press(*"theme")
        await until(pilot, lambda: titles(app)[0] == "Theme", "Theme first")
        await pilot.press("enter")
        picker_open = lambda: isinstance(app.screen, Palette) and "nord" in titles(app)  # noqa: E731
        await until(pilot, picker_open, "the theme picker")
        picker = app.screen
        assert titles(app) == sorted(app.available_themes)
        assert app.screen.query_one(Input).placeholder == "Search for themes…"
        await pilot.press(*"textual-light")
        await until(pilot, lambda: titles(app)[0] == "textual-light", "textual-light first")
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "textual-light", "the theme applied")
        assert app.screen is app.main_screen
        app.search_themes()
        await until(pilot, lambda: app.screen is picker, "the same picker")
        assert (
            app.screen.query_one(Input).value == ""
            and titles(app)[0] == sorted(app.available_themes)[0]
        )


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit_from_the_palette_opened_again(key: str) -> None:
    """As from every screen (``TrainerApp.on_event``): q and ctrl+c quit from the
    palette's search field, also once it has been closed and opened again."""
    app = MashedApp(Settings(paused=True))  # counts quitting instead
    async with app.run_test(size=SIZE) as pilot:
        for cycle in range(2):
            await open_palette(pilot, app)
            await pilot.press(key)
            await until(pilot, lambda cycle=cycle: app.quits > cycle, "quit asked")
            assert app.screen.query_one(Input).value == ""
            await escape_to(pilot, app.main_screen, "the palette")
