"""The ``l``, ``#`` and ``g`` dialogs are kept between opens (issue 20 goal 2): the app shows
the dialog it composed last time, its texts brought up to date, instead of composing,
mounting, styling and laying out its widgets twice again (``tui.screens.ask.kept_dialog``).
Kept, a dialog must still read and look as a new one would after whatever happened while
it was closed, answer as a new one does, close with escape, let q and ctrl+c quit, and not
grow with every open.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from rich.segment import Segment
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

import tui.screens.ask
from tests.conftest import paused_app, screen_text
from tests.counting import calls_on, count_restyles
from tests.waiting import escape_to, settle, until
from tui.app import TrainerApp
from tui.screens.ask import AskDialog

SIZE = (80, 24)
KEYS = ("l", "number_sign", "g")
"""The keys that open the rate, sample and seek dialogs."""


async def open_dialog(pilot: Pilot[Any], app: TrainerApp, key: str) -> AskDialog[Any]:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, AskDialog), "the dialog open")
    await settle(pilot)
    assert isinstance(app.screen, AskDialog)
    return app.screen


@pytest.mark.parametrize("key", KEYS)
async def test_a_dialog_opened_again_is_not_composed_mounted_or_laid_out_again(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second and third dialogs are the first shown again: not composed, no widget
    mounted, each of its widgets styled once as the screen resumes (and the field again as
    it takes the focus), laid out at most once (a new one: styled as mounted and again as
    it resumed, and laid out twice, the second time because the first sized its widgets)."""
    composed = calls_on(monkeypatch, AskDialog, "compose")
    restyled = count_restyles(monkeypatch)
    layouts = calls_on(monkeypatch, Screen, "_refresh_layout")
    app = paused_app()
    counts = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(3):
            composed.clear()
            restyled.clear()
            layouts.clear()
            mounted = len(app._registry)
            dialog = await open_dialog(pilot, app, key)
            mounted = len(app._registry) - mounted
            ours = {dialog, *dialog.walk_children()}
            styled = sum(node in ours for nodes in restyled for node in nodes)
            counts.append((len(composed), mounted, styled, layouts.count(dialog)))
            await escape_to(pilot, app.main_screen, "the dialog")
    first, second, third = counts
    assert first[0] == 1 and first[1] >= 5  # the screen, its box, question, field, refusal, hint
    assert second == third == (0, 0, len(ours) + 1, 0)


def drawn(app: TrainerApp) -> tuple[list[list[Segment]], tuple[object, ...]]:
    """What the dialog on top shows, cell for cell and colour for colour (its cursor held
    on, as blinking would make two captures differ), its field's state (focus, selection
    with the cursor at its end, scrolling) and the screen's size classes. (Not where the
    terminal's hidden cursor is put: Textual puts it where a new dialog's field was before
    it was laid out, a kept one's where it is.)"""
    field = app.screen.query_one(Input)
    state = (field.has_focus, field.selection, field.scroll_offset, set(app.screen.classes))
    field.cursor_blink = False
    lines = [list(line) for line in app.screen._compositor.render_strips()]
    field.cursor_blink = True
    return lines, state


async def change_while_closed(pilot: Pilot[Any], app: TrainerApp, change: str) -> None:
    """What happens to the trainer between two opens of a dialog."""
    if change == "trained":
        before = screen_text(app)
        await pilot.press("n", "n", "n", "+", "right")  # steps, a rate, a sample further
        await settle(pilot)
        assert screen_text(app) != before
    elif change == "theme":
        app.theme = "textual-light"
        await settle(pilot)
    elif change == "resized":
        await pilot.resize_terminal(130, 40)
        await settle(pilot)
    elif change == "rule without a closed form":  # g's dialog gains its line on replaying
        assert not app.controller.seek_range()[2]
        await pilot.press("o", "o", "o")
        await settle(pilot)
        assert app.controller.seek_range()[2]


WHILE_OPEN = ("nothing", "typed", "typed long", "refused", "selected")
"""What the learner does in the dialog before escape."""
WHILE_CLOSED = ("trained", "theme", "resized", "rule without a closed form")


async def use_and_close(pilot: Pilot[Any], app: TrainerApp, doing: str) -> None:
    """Open or not, what the learner does in a dialog, then escape."""
    if doing == "typed":
        await pilot.press("backspace", "1", "2")
    elif doing == "typed long":
        await pilot.press(*"12345678901234567890123456789012345678901234567890123456789012345")
    elif doing == "refused":
        await pilot.press("backspace", "x", "enter")
        await until(pilot, lambda: "Refused" in screen_text(app), "the refusal shown")
    elif doing == "selected":  # a mouse drag over the question
        await pilot.mouse_down(offset=(15, 10))
        await pilot.hover(offset=(40, 10))
        await pilot.mouse_up(offset=(40, 10))
    await settle(pilot)
    await escape_to(pilot, app.main_screen, "the dialog")


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    ("doing", "change"),
    [(doing, "nothing") for doing in WHILE_OPEN] + [("typed", change) for change in WHILE_CLOSED],
)
async def test_a_dialog_opened_again_reads_and_looks_as_a_new_one(
    key: str, doing: str, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the learner did in it and whatever happened while it was closed, a dialog
    opened again shows what a dialog composed anew shows then, cell for cell and colour
    for colour: the value of the moment in the field, selected, the cursor on; no refusal,
    no typed text, no mouse selection; the trainer as it is now under it, the theme now,
    the terminal's size; the seek dialog's line on replaying if the rule now needs it."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_dialog(pilot, app, key)
        await use_and_close(pilot, app, doing)
        await change_while_closed(pilot, app, change)
        kept = await open_dialog(pilot, app, key)
        kept_view = drawn(app)
        await escape_to(pilot, app.main_screen, "the dialog")
        with monkeypatch.context() as patched:
            patched.setattr(tui.screens.ask, "kept_dialog", lambda _app, fresh: fresh)
            new = await open_dialog(pilot, app, key)
            new_view = drawn(app)
            await escape_to(pilot, app.main_screen, "the dialog")
        assert new is not kept
        assert kept_view == new_view


ANSWERS = {
    "l": ("0.0025", "learning rate"),
    "number_sign": ("30", "sample"),
    "g": ("7", "iteration"),
}
"""A value each dialog takes, and what it sets."""


def answered(app: TrainerApp, key: str) -> float:
    """What the answer to ``key``'s dialog set: the rate, the sample's °C, the iteration."""
    trainer = app.controller.driver.trainer
    if key == "l":
        return float(trainer.learning_rate)
    if key == "number_sign":
        return float(trainer.dataset.celsius[app.controller.display.sample])
    return float(trainer.iteration)


@pytest.mark.parametrize("key", KEYS)
async def test_a_dialog_opened_again_answers_as_a_new_one(key: str) -> None:
    """Kept, a dialog reads its answer with what it asks about now: the value typed is
    applied, and after a step and a rate change it still is; a value it cannot take is
    refused in the dialog."""
    typed, refused = ANSWERS[key]
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(2):
            await open_dialog(pilot, app, key)
            await pilot.press("ctrl+a", "ctrl+k", *typed, "enter")
            await until(pilot, lambda: app.screen is app.main_screen, "the answer taken")
            await settle(pilot)
            assert answered(app, key) == pytest.approx(float(typed))
            await pilot.press("n", "+")  # a step further, another rate (g goes back again)
            await settle(pilot)
            assert answered(app, key) != pytest.approx(float(typed)) or key == "number_sign"
        dialog = await open_dialog(pilot, app, key)
        await pilot.press("ctrl+a", "ctrl+k", *refused, "enter")
        await until(pilot, lambda: "Refused" in screen_text(app), "a refusal")
        assert app.screen is dialog
        await escape_to(pilot, app.main_screen, "the dialog")


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("quit_key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit_from_a_dialog_opened_again(key: str, quit_key: str) -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_dialog(pilot, app, key)
        await escape_to(pilot, app.main_screen, "the dialog")
        await open_dialog(pilot, app, key)
        await pilot.press(quit_key)
    assert app.return_code == 0


async def test_kept_dialogs_do_not_grow_with_every_open() -> None:
    """Opened and closed again and again, one dialog of each kind lives on, its field
    without the focus (its cursor does not blink on while it is closed), and the app
    holds no more widgets than after the first round."""
    app = paused_app()
    held = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(4):
            for key in KEYS:
                dialog = await open_dialog(pilot, app, key)
                await escape_to(pilot, app.main_screen, "the dialog")
                assert not dialog.query_one(Input).has_focus
            gc.collect()
            alive = sum(isinstance(thing, AskDialog) for thing in gc.get_objects())
            held.append((alive, len(app._registry)))
    assert held == [held[0]] * 4 and held[0][0] <= 3


async def test_a_dialog_asked_for_over_itself_is_a_second_one() -> None:
    """The rate dialog already open (the palette's command over it): a second one covers
    it, and escape closes each in turn."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_dialog(pilot, app, "l")
        await escape_to(pilot, app.main_screen, "the dialog")
        first = await open_dialog(pilot, app, "l")
        app.action_ask_rate()
        await until(pilot, lambda: app.screen is not first, "a second dialog")
        assert isinstance(app.screen, AskDialog)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is first, "the first dialog again")
        await escape_to(pilot, app.main_screen, "the dialog")


@pytest.mark.parametrize("key", KEYS)
async def test_a_dialog_covered_and_uncovered_keeps_its_field_as_it_was_left(key: str) -> None:
    """The palette opened over a dialog, then closed: the field has the focus, the text
    typed and the cursor where they were, nothing selected (the dialog is not closed, so
    its field does not give up the focus and take it again, which selects its text); the
    first time and when the dialog is a kept one."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _cycle in range(2):
            dialog = await open_dialog(pilot, app, key)
            await pilot.press("end", "1", "2", "left")
            await settle(pilot)
            field = dialog.query_one(Input)
            left = (field.value, field.selection)
            await pilot.press("ctrl+p")
            await until(pilot, lambda shown=dialog: app.screen is not shown, "the palette over it")
            await settle(pilot)
            await pilot.press("escape")
            await until(pilot, lambda shown=dialog: app.screen is shown, "the dialog uncovered")
            await settle(pilot)
            assert field.has_focus and (field.value, field.selection) == left
            assert field.selection.is_empty
            await escape_to(pilot, app.main_screen, "the dialog")
