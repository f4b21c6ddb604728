"""What lesson mode looks like: chapters 1, 4, 7 and 10 at 80×24 and 120×40, reviewed by eye.

Each starts from ``--lesson N`` with seed 0; chapter 10 runs both trainers to 10,000
iterations first (the race's last phases come through the events, so the picture depends
only on the keys pressed).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.waiting import until
from tui.app import make_app
from tui.settings import Settings

SIZES = [(80, 24), (120, 40)]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def _race_to_the_end(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await pilot.press("f")
    await until(pilot, lambda: app.main_screen.view.lesson.done, "both at 10,000")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("chapter", "run_before"),
    [(1, _settle), (4, _settle), (7, _settle), (10, _race_to_the_end)],
    ids=["chapter-1", "chapter-4", "chapter-7", "chapter-10"],
)
def test_lesson_chapter(snap_compare: Any, chapter: int, run_before: Any, size: Any) -> None:
    app = make_app(Settings(lesson=chapter))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
