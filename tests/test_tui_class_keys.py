"""Issue 20 goal 3: the keys a class of learners presses (space, s, [, ], e, t, +, -, l) do the
work their effect needs and no more: counted in calls and restyles, never timed
(``tests/perf/key_costs.py`` times them)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from tests.conftest import frames_by_hand, paused_app, screen_text
from tests.counting import calls_on, count_restyles
from tui.app import TrainerApp
from tui.widgets.fit_chart import FitChart
from tui.widgets.status_bar import StatusBar

SIZE = (80, 24)


async def settle(pilot: Any) -> None:
    for _pause in range(3):
        await pilot.pause()


async def test_opening_the_explanation_restyles_only_what_its_rules_move(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """[ opens the explanation and e closes it: on a short screen the rules of ``-explaining``
    fold the loss history and the parameter panels. Only those panels (and the explanation)
    are styled again; the status line, the fit chart and the Footer's keys are not (before,
    the class set on the screen restyled its every node, ~40, ~12 ms of each press)."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("left_square_bracket", "e"):
            restyled = count_restyles(monkeypatch)
            await pilot.press(key)
            await settle(pilot)
            nodes = [node for nodes in restyled for node in nodes]
            assert any(node.id == "loss-chart" for node in nodes), key
            untouched = (StatusBar, FitChart, FooterKey)
            assert not [node for node in nodes if isinstance(node, untouched)], key
            monkeypatch.undo()


async def screenshot_after(app: TrainerApp, pilot: Any, keys: tuple[str, ...]) -> list[str]:
    """The screen after each key, then after Textual restyles the whole screen: both."""
    shots = []
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
        shots.append(app.export_screenshot())
        app.update_styles(app.screen)  # what Textual's set_class on the screen does
        await settle(pilot)
        shots.append(app.export_screenshot())
    return shots


@pytest.mark.parametrize(
    ("lesson", "keys"),
    [
        (None, ("left_square_bracket", "right_square_bracket", "p", "p", "e", "p", "e", "p")),
        (1, ("w", "w", "p", "w", "p", "pagedown", "w")),
    ],
)
async def test_the_layout_classes_style_the_screen_as_a_whole_restyle(
    lesson: int | None, keys: tuple[str, ...]
) -> None:
    """After each key that opens or closes the explanation, the code pane or the lesson, or
    folds the lesson, the screen is what it becomes when Textual restyles all of it."""
    app = paused_app(lesson=lesson) if lesson else paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shots = await screenshot_after(app, pilot, keys)
        for index, key in enumerate(keys):
            assert shots[2 * index] == shots[2 * index + 1], f"after {key}"


async def test_space_is_one_layout_and_one_paint(monkeypatch: pytest.MonkeyPatch) -> None:
    """space pauses and runs: the status line and the Footer's keys (Pause or Run, and the
    stepping keys) change together, in one layout and one paint of the screen (before, the
    Footer followed after the paint, recomposed: two or three layouts and paints a press)."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        frames_by_hand(app)  # no training frame between the key and the count
        await pilot.press("space", "space")  # (the Footer makes the keys it first shows)
        await settle(pilot)
        for key, status in (("space", "RUNNING"), ("space", "PAUSED")):
            layouts = calls_on(monkeypatch, Screen, "_refresh_layout")
            paints = calls_on(monkeypatch, Screen, "_compositor_refresh")
            await pilot.press(key)
            await settle(pilot)
            assert status in screen_text(app).splitlines()[0]
            assert (len(layouts), len(paints)) == (1, 1), status
            monkeypatch.undo()
