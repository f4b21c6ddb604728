"""What the screen looks like in Simplified Chinese (``--lang zh``): the main screen, step
mode in the middle of an iteration with the explanation open, and a lesson chapter, at
80×24 and 120×40, reviewed by eye.

The lesson's chapter text comes from ``tui/lesson/zh.md``; until that file exists the
lesson falls back to ``en.md`` (only its chapter text: the status line, the Footer and the
panels are Chinese). When zh.md arrives, regenerate ``test_lesson_chapter_in_chinese``
(``pytest tests/test_zh_snapshots.py -k lesson --snapshot-update``) and look at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import paused_app
from tui import i18n
from tui.app import make_app
from tui.lesson.stages import chapter_number
from tui.settings import Settings

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_in_chinese(snap_compare: Any, size: tuple[int, int]) -> None:
    """After 2,000 iterations, paused: the weight nearly there, the bias still climbing."""

    async def train(pilot: Pilot[Any]) -> None:
        pilot.app.controller.driver.trainer.run(1_999)  # type: ignore[attr-defined]
        await pilot.press("n")

    assert snap_compare(paused_app(), terminal_size=size, run_before=train)


@pytest.mark.parametrize("size", SIZES)
def test_step_mode_in_chinese(snap_compare: Any, size: tuple[int, int]) -> None:
    """--step after 419 iterations, then forward and backward of iteration 420: the
    chain rule explained, formulas as written, sentences in Chinese."""

    async def train(pilot: Pilot[Any]) -> None:
        pilot.app.controller.driver.trainer.run(419)  # type: ignore[attr-defined]
        await pilot.press("s", "s")

    assert snap_compare(paused_app(step_mode=True), terminal_size=size, run_before=train)


@pytest.mark.parametrize("size", SIZES)
def test_lesson_chapter_in_chinese(snap_compare: Any, size: tuple[int, int]) -> None:
    """--lesson 4 (backward), paused: see the module docstring about the chapter's text."""

    async def settle(pilot: Pilot[Any]) -> None:
        await pilot.pause()

    app = make_app(Settings(lesson=4, paused=True))
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_the_graph_in_chinese_at_80x24(snap_compare: Any) -> None:
    """The graph's drawing keeps its columns beside Chinese words (two cells a character)."""

    async def settle(pilot: Pilot[Any]) -> None:
        await pilot.pause()

    app = make_app(Settings(lesson=chapter_number("graph"), paused=True))
    assert snap_compare(app, terminal_size=SIZES[0], run_before=settle)
