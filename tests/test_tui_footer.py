"""Issue 20 goal 2: the Footer is remade only when its keys change, and then only as much as
they did (a recompose removed, mounted and styled ten keys at every dialog opened)."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from tests.conftest import paused_app, screen_text
from tests.counting import calls_on
from tests.waiting import until
from tui.app import TrainerApp
from tui.widgets.footer import TrainerFooter

SIZE = (80, 24)
DIALOGS = ("l", "#", "g", "question_mark", "ctrl+p")
"""The keys that open a dialog: rate, sample, seek, help and the command palette."""


@pytest.mark.parametrize("key", DIALOGS)
async def test_a_dialog_opened_and_closed_leaves_the_footer_as_it_was(key: str) -> None:
    """The same keys on offer before and after: the Footer keeps the very same key widgets
    (before, each push and pop of a screen made new ones)."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = list(app.main_screen.query(FooterKey))
        footer = screen_text(app).splitlines()[-1]
        await pilot.press(key)
        await until(pilot, lambda: app.screen is not app.main_screen, "the dialog open")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main_screen, "the dialog closed")
        await pilot.pause()
        after = list(app.main_screen.query(FooterKey))
        assert len(before) > 5
        assert [id(k) for k in after] == [id(k) for k in before]
        assert screen_text(app).splitlines()[-1] == footer


@pytest.mark.parametrize(
    ("mode", "key"),
    [("hands", key) for key in ("l", "question_mark", "ctrl+p")]
    + [("lesson", key) for key in ("l", "question_mark", "ctrl+p")],
)
async def test_the_footer_under_a_dialog_is_the_trainers_in_hands_and_lesson_mode(
    mode: str, key: str
) -> None:
    """In hands mode (the arrows, braces and escape) and in a lesson (the chapter keys) the
    Footer under a dialog keeps the keys it had: it is part of the tinted trainer, whose keys
    do nothing through a dialog, these no more than space or s. Before, those keys alone
    were taken out of it as a dialog opened and put back as it closed (two recomposes of the
    Footer and a layout of the trainer per dialog). Through the dialog they still do nothing:
    the dialog has the arrows, and the parameters and the chapter stay."""
    app = paused_app(lesson=1) if mode == "lesson" else paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if mode == "hands":
            await pilot.press("h")
            await until(pilot, lambda: app.controller.hands is not None, "hands mode")
        for _pause in range(3):
            await pilot.pause()
        before = list(app.main_screen.query(FooterKey))
        footer = screen_text(app).splitlines()[-1]
        trainer = app.controller.driver.trainer
        parameters, lesson = (trainer.weight, trainer.bias), app.controller.lesson
        chapter = None if lesson is None else lesson.chapter
        await pilot.press(key)
        await until(pilot, lambda: app.screen is not app.main_screen, "the dialog open")
        for _pause in range(3):
            await pilot.pause()
        under = list(app.main_screen.query(FooterKey))
        await pilot.press("right", "pagedown")  # the dialog's, not the trainer's
        assert app.screen is not app.main_screen
        assert (trainer.weight, trainer.bias) == parameters
        if lesson is not None:
            assert app.controller.lesson is lesson and lesson.chapter is chapter
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main_screen, "the dialog closed")
        for _pause in range(3):
            await pilot.pause()
        after = list(app.main_screen.query(FooterKey))
        assert [id(k) for k in under] == [id(k) for k in before]
        assert [id(k) for k in after] == [id(k) for k in before]
        assert screen_text(app).splitlines()[-1] == footer
        if mode == "hands":
            assert any(k.action == "weight_up" for k in after)
        else:
            assert any(k.action == "next_chapter" for k in after)


class Toggling(App[None]):
    """Two keys, and ``t``, which greys the first out and back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "first", "First"),
        Binding("b", "second", "Second"),
        Binding("t", "toggle", "Toggle"),
    ]
    enabled = True

    def compose(self) -> ComposeResult:
        yield TrainerFooter(compact=True)

    def action_toggle(self) -> None:
        self.enabled = not self.enabled
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "first" and not self.enabled else True


async def test_one_key_changed_is_updated_alone() -> None:
    """A key greyed out is that key updated in place: the others are the same widgets,
    untouched, and the greyed one shows as disabled."""
    app = Toggling()
    async with app.run_test(size=(60, 3)) as pilot:
        await pilot.pause()
        before = list(app.query(FooterKey))
        assert [k.action for k in before] == ["first", "second", "toggle", "command_palette"]
        assert not before[0].has_class("-disabled")
        await pilot.press("t")
        await until(pilot, lambda: app.query(FooterKey)[0].has_class("-disabled"), "greyed")
        after = list(app.query(FooterKey))
        assert [id(k) for k in after] == [id(k) for k in before]
        await pilot.press("t")
        await until(pilot, lambda: not app.query(FooterKey)[0].has_class("-disabled"), "back")
        assert [id(k) for k in app.query(FooterKey)] == [id(k) for k in before]


ROUND = ("space", "space", "left_square_bracket", "right_square_bracket", "e")
"""Training, paused, stepping with the explanation (its sample keys), the next sample, paused
again: each of the first four changes the keys on offer, as a class's learners do every few
seconds (issue 20 goal 3)."""


async def footer_lines(app: TrainerApp, rounds: int, made: list[object] | None = None) -> list[str]:
    """The Footer's line after each key of ``rounds`` rounds of ``ROUND`` (``made``: emptied as
    the last round begins)."""
    lines = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for round_number in range(rounds):
            if made is not None and round_number == rounds - 1:
                made.clear()
            for key in ROUND:
                await pilot.press(key)
                for _pause in range(3):  # the Footer follows after a refresh
                    await pilot.pause()
                lines.append(screen_text(app).splitlines()[-1])
    return lines


async def test_keys_that_change_the_offer_show_kept_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """space, [ and e change the keys on offer. Once the Footer has shown a set of keys, it
    shows it again with the key widgets it made for it, making none (before, each change
    removed ten keys and mounted and styled ten new ones: ~25 ms of CPU a press); and what
    it shows is, key for key, what Textual's Footer composes afresh each time."""
    monkeypatch.setattr(TrainerFooter, "recompose", Widget.recompose)
    monkeypatch.setattr(TrainerFooter, "show_now", lambda _footer: None)
    expected = await footer_lines(paused_app(), rounds=2)
    monkeypatch.undo()
    made = calls_on(monkeypatch, FooterKey, "__init__")
    lines = await footer_lines(paused_app(), rounds=2, made=made)
    assert {"Run", "Pause", "Explain", "sample"} <= set(" ".join(lines).split())
    assert lines == expected
    assert made == [], f"{len(made)} keys made again in the second round"
