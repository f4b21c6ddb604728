"""Issue 20 goal 1: a training frame's changed lines reach the screen without waking each
line's own task (``tui.widgets.refresh_soon``), and the screen is the one Textual's own way
draws, frame after frame and key after key. Counted in messages, never timed
(``tests/perf/frame_parts.py`` times the frame)."""

from __future__ import annotations

import asyncio
from typing import Any

import pyte
import pytest
from textual import messages
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from tests.conftest import frames_by_hand, paused_app
from tests.counting import calls_on
from tests.waiting import settle
from tui.app import TrainerApp, charts_due
from tui.widgets.panel import PanelText, TextLine, ViewPanel
from tui.widgets.refresh_soon import RefreshSoon
from tui.widgets.status_bar import StatusBar

SIZE = (80, 24)
LINES = (StatusBar, PanelText, TextLine)


def frame(app: TrainerApp) -> None:
    """One training frame as the app's timer makes it, a fifth of a second of the pace
    (not the clock's: two apps given the same frames train alike)."""
    fps = app.settings.fps
    app.controller.tick(1 / fps, 1.0, frame_interval=1 / fps)
    app._frames += 1
    app.refresh_view(charts=charts_due(app._frames, fps))


def test_the_lines_handle_no_idle_of_their_own() -> None:
    """``RefreshSoon`` does what Textual's ``Widget._on_idle`` does (check the refresh);
    a line with its own idle handler would miss it."""
    for line in LINES:
        assert issubclass(line, RefreshSoon), line
        for cls in line.__mro__:
            if cls in (Widget, MessagePump) or not issubclass(cls, MessagePump):
                continue
            assert "_on_idle" not in vars(cls) and "on_idle" not in vars(cls), cls


async def test_a_training_frame_wakes_none_of_the_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """While training, the status line, the loss readout and the parameter panels' lines
    change every frame: each tells the screen (an ``Update`` each), without a ``Prompt`` to
    its own task (before: one each a frame, and its task's turn, ``Idle`` and handlers), and
    the frame is still one compositor pass."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        frames_by_hand(app)
        await pilot.press("space")
        await settle(pilot)
        posted: list[tuple[MessagePump, object]] = []
        post = MessagePump.post_message

        def counted(self: MessagePump, message: Any) -> bool:
            posted.append((self, message))
            return bool(post(self, message))

        monkeypatch.setattr(MessagePump, "post_message", counted)
        passes = calls_on(monkeypatch, Screen, "_compositor_refresh")
        frames = 6
        for _frame in range(frames):
            frame(app)
            await settle(pilot)
        assert app.controller.running
        prompted = [
            type(pump).__name__
            for pump, message in posted
            if isinstance(message, messages.Prompt) and isinstance(pump, LINES)
        ]
        assert prompted == []
        updated = {
            type(message.widget).__name__
            for _pump, message in posted
            if isinstance(message, messages.Update)
        }
        assert {"StatusBar", "PanelText", "TextLine"} <= updated
        assert len(passes) == frames


class Terminal:
    """What a terminal shows of the app: each update Textual would write (headless, it
    writes none) fed to a terminal emulator, so a line whose news never reached the screen
    stays stale here as it would on a learner's terminal."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, app: TrainerApp) -> None:
        self._screen = pyte.Screen(*SIZE)
        self._stream = pyte.Stream(self._screen)
        display = App._display

        def written(shown: App[Any], screen: Screen[Any], update: Any) -> None:
            if isinstance(update, CompositorUpdate) and shown is app:
                self._stream.feed(update.render_segments(app.console))
            display(shown, screen, update)

        monkeypatch.setattr(App, "_display", written)

    def cells(self) -> list[list[tuple[str, str, str, bool, bool]]]:
        """The screen cell by cell: each cell's text, colours, bold and reverse."""
        buffer = self._screen.buffer
        return [
            [
                (cell.data, cell.fg, cell.bg, cell.bold, cell.reverse)
                for cell in (buffer[row][column] for column in range(SIZE[0]))
            ]
            for row in range(SIZE[1])
        ]


async def painted() -> None:
    """Let the app's loop run until a frame is painted, waking no widget (``pilot.pause``
    has every widget's task run a callback, whose ``Idle`` would tell the screen what a
    line did not)."""
    for _turn in range(2):
        await asyncio.sleep(1 / 30)  # the frame's turns come in order: any wait holds them


async def shots(
    monkeypatch: pytest.MonkeyPatch, app: TrainerApp, keys: tuple[str, ...]
) -> list[object]:
    """What the terminal shows after two training frames, and after each key and each of
    the two frames after it; last, after the whole screen is repainted."""
    terminal = Terminal(monkeypatch, app)
    taken: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        frames_by_hand(app)
        await pilot.press("space")
        await settle(pilot)
        for key in ("", *keys):
            if key:
                await pilot.press(key)
                await settle(pilot)
                taken.append(terminal.cells())
            for _frame in range(2):
                frame(app)
                await painted()
                taken.append(terminal.cells())
        app.screen.refresh()  # all of it repainted: what the screen holds now
        await settle(pilot)
        taken.append(terminal.cells())
    return taken


@pytest.mark.slow
async def test_the_screen_is_the_one_textuals_own_way_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Training frames and keys (rate up and down, pause, a phase, an iteration, the log
    scale, the explanation opened and closed) show the learner the same terminal, cell by
    cell, as when each line wakes its own task to tell the screen (Textual's
    ``check_idle``); and the last is what a repaint of the whole screen shows."""
    keys = ("plus", "minus", "space", "s", "n", "space", "t", "left_square_bracket", "e")
    ours = await shots(monkeypatch, paused_app(), keys)
    monkeypatch.setattr(RefreshSoon, "check_idle", MessagePump.check_idle)
    textuals = await shots(monkeypatch, paused_app(), keys)
    assert len(ours) == len(textuals)
    for number, (mine, theirs) in enumerate(zip(ours, textuals, strict=True)):
        assert mine == theirs, f"screen {number}"
    assert ours[-1] == ours[-2]  # nothing was left stale on the terminal


async def test_a_frame_reaches_every_panel_without_a_reactive_set_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The screen hands each frame's view to its panels (``ViewPanel.take_view``): one
    reactive assignment a frame (the screen's), not one more a panel through ``data_bind``
    (validators, watchers, computes: ~35 µs a panel, five a frame). Every panel, those
    mounted late too (the explanation, the code, the landscape), holds the frame's view and
    has drawn what it shows from it."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        frames_by_hand(app)
        for key in ("left_square_bracket", "p", "v", "space"):
            await pilot.press(key)
            await settle(pilot)
        set_on: list[object] = []
        assign = Reactive._set

        def counted(self: Reactive[Any], obj: Any, value: Any, always: bool = False) -> None:
            set_on.append(obj)
            assign(self, obj, value, always)

        monkeypatch.setattr(Reactive, "_set", counted)
        frame(app)
        await settle(pilot)
        assert app.controller.running
        assert [type(obj).__name__ for obj in set_on if isinstance(obj, ViewPanel)] == []
        assert app.main_screen in set_on
        screen = app.main_screen
        panels = [node for node in screen.walk_children() if isinstance(node, ViewPanel)]
        names = {type(panel).__name__ for panel in panels}
        assert {"ExplainPanel", "CodePane", "LandscapeChart", "ParameterPanel"} <= names
        assert all(panel.view is screen.view for panel in panels)
        status = screen.query_one(StatusBar)
        iteration = f"{app.controller.driver.trainer.iteration:,}"
        assert iteration in str(status.render())


def test_no_panel_hooks_its_view_where_take_view_would_skip_it() -> None:
    """``take_view`` sets the panel's view and calls ``watch_view``, as Textual's watcher
    did; a validator, a private watcher or a compute on ``view`` would be skipped."""
    from tui.widgets import code_pane, explain_panel, landscape_chart, lesson_pane

    panels: list[type] = []
    waiting = list(ViewPanel.__subclasses__())
    while waiting:
        panel = waiting.pop()
        panels.append(panel)
        waiting += panel.__subclasses__()
    modules = {panel.__module__ for panel in panels}
    for module in (code_pane, explain_panel, landscape_chart, lesson_pane):
        assert module.__name__ in modules
    hooks = ("validate_view", "_validate_view", "_watch_view", "compute_view", "_compute_view")
    assert [(panel, hook) for panel in panels for hook in hooks if hook in vars(panel)] == []
