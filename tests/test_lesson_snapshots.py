"""What lesson mode looks like, reviewed by eye: the first chapter, backward, the bias's
valley, the hands chapter and the published gradient at 80×24 and 120×40; the graph at
80×24 (in Chinese too, in test_zh_snapshots.py); the valley folded (w) at 80×24, its chart
given the rows.

Each starts from ``--lesson N`` with seed 0; the published chapter runs both trainers to
10,000 iterations first (the race's last phases come through the events, so the picture
depends only on the keys pressed). Every other chapter's chart is checked at 80×24, folded
and not, in test_lesson_layout.py.
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


async def _fold(pilot: Pilot[Any]) -> None:
    await pilot.press("w")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("slug", "run_before"),
    [
        ("data", _settle),
        ("backward", _settle),
        ("valley", _settle),
        ("hands", _settle),
        ("published", _race_to_the_end),
    ],
    ids=["data", "backward", "valley", "hands", "published"],
)
def test_lesson_chapter(snap_compare: Any, slug: str, run_before: Any, size: Any) -> None:
    app = make_app(Settings(lesson=chapter_number(slug)))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_the_graph_at_80x24(snap_compare: Any) -> None:
    """The dependency graph in text, its values and gradients in columns, the chart above."""
    app = make_app(Settings(lesson=chapter_number("graph")))
    assert snap_compare(app, terminal_size=SIZES[0], run_before=_settle)


def test_a_folded_chapter_gives_the_chart_its_rows(snap_compare: Any) -> None:
    app = make_app(Settings(lesson=chapter_number("valley")))
    assert snap_compare(app, terminal_size=SIZES[0], run_before=_fold)
