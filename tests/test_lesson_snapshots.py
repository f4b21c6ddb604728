"""What lesson mode looks like: four chapters (data, backward, valley and the last,
published) and the hands chapter at 80×24 and 120×40, reviewed by eye.

Each starts from ``--lesson N`` with seed 0; the last chapter runs both trainers to 10,000
iterations first (the race's last phases come through the events, so the picture depends
only on the keys pressed).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.waiting import until
from tui.app import make_app
from tui.lesson.stages import chapter_number
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
    [
        ("data", _settle),
        ("backward", _settle),
        ("valley", _settle),
        ("hands", _settle),
        ("published", _race_to_the_end),
    ],
    ids=[
        "chapter-data",
        "chapter-backward",
        "chapter-valley",
        "chapter-hands",
        "chapter-published",
    ],
)
def test_lesson_chapter(snap_compare: Any, chapter: str, run_before: Any, size: Any) -> None:
    app = make_app(Settings(lesson=chapter_number(chapter)))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
