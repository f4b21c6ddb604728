"""Issue 20 goal 2: a dialog costs little to open and close, counted without a clock.

A modal screen's background is the screen under it, tinted, drawn through Rich: each
opened dialog drew the trainer again at each of its three layouts, although nothing under
it had changed (``tui.screens.kept_background``). Help drew its two tables twice at every
open, once at a guessed width and once at the width it got (``tui.screens.help``).
"""

from __future__ import annotations

import time
from typing import Any, cast

import pytest
from rich.segment import Segment
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.content import Content
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.visual import RenderOptions, RichVisual
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static

from tests.conftest import paused_app, screen_text
from tests.counting import calls_on, count_restyles
from tests.pty_harness import PtyApp, command
from tests.waiting import settle, until
from tui.screens.help import HelpScreen
from tui.screens.kept_background import KeptBackground, tinted_lines
from tui.screens.palette import Palette, PaletteCommand

SIZE = (80, 24)
DIALOGS = ("l", "#", "g", "question_mark", "ctrl+p")
"""The keys that open a dialog: rate, sample, seek, help and the command palette."""


def count_backgrounds(monkeypatch: pytest.MonkeyPatch) -> list[Compositor]:
    """Every drawing of a whole screen into lines from now on (what a modal screen's
    background, the screen under it, is drawn from), by the screen's compositor."""
    drawn: list[Compositor] = []
    original = Compositor.render_strips

    def counted(self: Compositor, size: Any = None) -> list[Strip]:
        drawn.append(self)
        return original(self, size)

    monkeypatch.setattr(Compositor, "render_strips", counted)
    return drawn


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
            assert drawn == [app.main_screen._compositor]


@pytest.mark.parametrize("key", DIALOGS)
async def test_a_dialog_closed_repaints_the_trainer_whole_once(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a dialog closes the trainer is drawn and sent whole once, to lift the tint (on
    main: twice, the second after Textual removed the dialog)."""
    whole: list[Compositor] = []
    original = Compositor.render_full_update

    def counted(self: Compositor, simplify: bool = False) -> Any:
        whole.append(self)
        return original(self, simplify=simplify)

    monkeypatch.setattr(Compositor, "render_full_update", counted)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(2):
            await pilot.press(key)
            await until(pilot, lambda: app.screen is not app.main_screen, "the dialog open")
            await settle(pilot)
            whole.clear()
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, "the dialog closed")
            await settle(pilot)
            assert whole.count(app.main_screen._compositor) == 1


@pytest.mark.slow
@pytest.mark.pty
def test_every_dialog_closed_leaves_the_terminal_as_it_was() -> None:
    """The real program in a pseudo-terminal: after each dialog opens and closes, every
    cell (text, colours, bold) is what it was before (nothing of the dialog or its tint
    is left for want of a repaint)."""
    keys = {"l": "l", "#": "#", "g": "g", "question_mark": "?", "ctrl+p": "\x10"}
    with PtyApp(command("--paused"), columns=SIZE[0], rows=SIZE[1]) as app:
        assert app.wait_for("Quit", timeout=30)
        app.wait_until_quiet(quiet=0.5)
        before = app.cells()
        for key in DIALOGS:
            app.press(keys[key])
            deadline = time.monotonic() + 10
            while app.cells() == before and time.monotonic() < deadline:
                time.sleep(0.01)
            assert app.cells() != before, key
            app.wait_until_quiet(quiet=0.3)
            app.press("escape")
            app.wait_until_quiet(quiet=0.5)
            assert app.cells() == before, key
        app.press("q")
        assert app.wait() == 0


@pytest.mark.parametrize(("key", "theme"), [(key, None) for key in DIALOGS] + [("l", "light")])
async def test_the_kept_background_is_drawn_as_textual_draws_it(
    key: str, theme: str | None
) -> None:
    """``tinted_lines`` (the trainer tinted without Rich's round trip) gives the very lines
    Textual's own BackgroundScreen gives, under every dialog, in a light theme too."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        if theme is not None:
            app.theme = "textual-light"
        await settle(pilot)
        await pilot.press(key)
        await until(pilot, lambda: app.screen is not app.main_screen, "the dialog open")
        await settle(pilot)
        dialog = app.screen
        background = BackgroundScreen(app.main_screen, dialog.styles.background)
        style = dialog.visual_style
        options = RenderOptions(dialog._get_style, dialog.styles, None, None)
        textuals = RichVisual(dialog, background).render_strips(*SIZE, style, options)
        ours = tinted_lines(background, style.rich_style, *SIZE)
        assert ours is not None
        assert [list(line) for line in ours] == [list(line) for line in textuals]
        assert [line.cell_length for line in ours] == [line.cell_length for line in textuals]


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
    they are not drawn at another width first and updated (the first help is); from the
    third, their lines are not cut again (the second cuts them for the width they have
    before the scrollbar shows); and each reads as the first did."""
    updated: list[str | None] = []
    original = Static.update

    def counted(self: Static, *args: Any, **kwargs: Any) -> None:
        updated.append(self.id)
        original(self, *args, **kwargs)

    cut: list[Content] = []
    original_cut = Content.render_strips

    def counted_cut(self: Content, *args: Any, **kwargs: Any) -> list[Strip]:
        cut.append(self)
        return original_cut(self, *args, **kwargs)

    monkeypatch.setattr(Static, "update", counted)
    monkeypatch.setattr(Content, "render_strips", counted_cut)
    monkeypatch.setattr(HelpScreen, "_widths", {})  # as if help had never been opened
    app = paused_app()
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(3):
            updated.clear()
            cut.clear()
            await pilot.press("question_mark")
            await until(pilot, lambda: app.screen is not app.main_screen, "help open")
            await settle(pilot)
            tables = [cast(Static, app.screen.query_one(f"#help-{name}")) for name in TABLES]
            contents = [getattr(table.visual, "content", table.visual) for table in tables]
            seen.append(
                (
                    screen_text(app),
                    [i for i in updated if i and i.startswith("help")],
                    [c for c in cut if any(c is content for content in contents)],
                )
            )
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, "help closed")
            await settle(pilot)
    (first, first_updates, _cuts), (second, second_updates, _cuts), (third, _, third_cuts) = seen
    assert first_updates == ["help-keys", "help-text"]
    assert second_updates == []
    assert third_cuts == []
    assert second == first and third == first


TABLES = ("keys", "text")
"""Help's two tables: ``#help-keys`` and ``#help-text``."""


async def test_the_palette_looks_as_textuals_and_is_styled_once_as_it_opens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ctrl+p's palette (ours, ``tui.screens.palette``) looks as Textual's own palette
    does, cell for cell and colour for colour: with every command, after a search (its
    matches best first, the matched letters underlined) and after a search that finds
    nothing. It is styled once as it is shown, not again as its commands arrive (Textual's
    restyled its eight widgets then)."""
    restyled = count_restyles(monkeypatch)
    app = paused_app()
    drawn: dict[str, list[list[list[Segment]]]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for palette in ("ours", "Textual's"):
            restyled.clear()
            if palette == "ours":
                await pilot.press("ctrl+p")
                await until(pilot, lambda: isinstance(app.screen, Palette), "the palette open")
            else:
                app.push_screen(CommandPalette())
                await until(pilot, lambda: app.screen.has_class("-ready"), "its commands")
            app.screen.query_one(Input).cursor_blink = False  # the same cursor in both
            await settle(pilot)
            restyles = [nodes[0] for nodes in restyled if len(nodes) > 1]
            views = drawn[palette] = [
                [list(line) for line in app.screen._compositor.render_strips()]
            ]
            for search, first in (("iter", "Iter (n)"), ("zxzxzx", "No matches found")):
                await pilot.press(*search)
                await until(pilot, lambda first=first: listed(app.screen)[0] == first, first)
                await pilot.pause(0.3)  # Textual's palette lists its matches in batches
                await settle(pilot)
                views.append([list(line) for line in app.screen._compositor.render_strips()])
            assert listed(app.screen) == ["No matches found"]
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, "the palette closed")
            await settle(pilot)
            if palette == "ours":
                assert len(restyles) == 1, "the palette styled once, as it resumed"
    assert drawn["ours"] == drawn["Textual's"]


def listed(screen: object) -> list[str]:
    """What a palette (ours or Textual's) lists: each option's first line."""
    options = cast(Screen[Any], screen).query_one(OptionList).options
    lines = [str(getattr(option.prompt, "renderable", option.prompt)) for option in options]
    return [line.split("\n")[0] for line in lines] or [""]


class AutoHelp(HelpScreen):
    """Help with Textual's scrollbar that comes when needed (as before ``overflow-y: scroll``)."""

    DEFAULT_CSS = "AutoHelp > VerticalScroll { overflow-y: auto; }"


@pytest.mark.parametrize("size", [SIZE, (120, 40)])
async def test_help_is_laid_out_twice_as_it_opens(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Help's scroll keeps its scrollbar from the first layout: shown after it (help is
    always longer than the screen), it narrowed the tables and placed itself, a third
    layout and repaint of help. Help reads and looks as with the scrollbar shown when
    needed, cell for cell and colour for colour."""
    layouts = calls_on(monkeypatch, Screen, "_refresh_layout")
    app = paused_app()
    drawn = []
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for help_screen in (HelpScreen, AutoHelp, HelpScreen):
            layouts.clear()
            app.push_screen(help_screen())
            await until(pilot, lambda kind=help_screen: type(app.screen) is kind, "help open")
            await settle(pilot)
            drawn.append([list(line) for line in app.screen._compositor.render_strips()])
            overflow = app.screen.query_one(VerticalScroll).styles.overflow_y
            assert overflow == ("auto" if help_screen is AutoHelp else "scroll")
            opened = [screen for screen in layouts if screen is app.screen]
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, "help closed")
            await settle(pilot)
        assert len(opened) == 2  # the second HelpScreen: its width known at this size
    assert drawn[0] == drawn[1] == drawn[2]


async def test_nothing_in_the_open_palette_repaints_itself_on_a_timer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the palette stays open and nothing is typed, none of its widgets repaints
    itself (Textual's palette's busy indicator, hidden, did 16 times a second, ~6 ms of
    CPU a second; ours searches at once and has none)."""
    ticks: list[Widget] = []
    original = Widget.automatic_refresh

    def counted(self: Widget) -> None:
        ticks.append(self)
        original(self)

    monkeypatch.setattr(Widget, "automatic_refresh", counted)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, Palette), "the palette open")
        await settle(pilot)
        ticks.clear()
        await pilot.pause(0.4)
        assert [widget for widget in ticks if widget.screen is app.screen] == []


async def test_the_palette_is_not_styled_before_it_is_mounted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ctrl+p's palette and the theme picker are made without styling anything: Textual's
    palette adds its class to itself as it is made, which styled it, not yet mounted, at
    every open (it is styled as it is mounted anyway). It still says it is a palette."""
    restyled = count_restyles(monkeypatch)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        restyled.clear()
        commands = [PaletteCommand("Quit", "Quit c2f-tui.", app.exit)]
        for palette in (
            Palette([], "Search for themes…"),
            Palette(commands, "Search for commands…", id="--commands-palette", classes="extra"),
        ):
            assert restyled == []
            assert palette.has_class("--textual-command-palette")
        assert palette.has_class("extra")
        app.push_screen(palette)
        await until(pilot, lambda: app.screen is palette, "the palette open")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main_screen, "the palette closed")
