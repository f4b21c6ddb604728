"""The charts beside the lesson stay readable (issue 22): text panes take the rows their words
need and no more, the charts get the rest, and ``w`` folds the lesson to one line.

The axes are read off the screen as a learner reads them: the chart's rows above its x axis,
the rows whose y axis carries a label, and the numbers under the x axis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

import tui.i18n
from tests.conftest import screen_text
from tests.test_lesson_mode import SIZE, lesson_app, pane
from tui.app import TrainerApp
from tui.lesson.chapters import languages, load
from tui.lesson.stages import STAGES, chapter_number
from tui.widgets.loss_chart import FURNITURE_ROWS
from tui.widgets.pane_rows import CHART_ROWS_TALL

_Y_LABEL = re.compile(r"^\s*[-\d.]+(e-?\d+)?┤")


@dataclass(frozen=True)
class Axes:
    plot_rows: int
    """Rows of plot above the x axis."""
    y_labels: int
    """Rows whose y axis carries a number."""
    x_labels: int
    """Numbers under the x axis."""


def chart_axes(app: TrainerApp) -> Axes:
    """The axes of the chart on show (the fit, or the loss landscape), as drawn on screen."""
    fit = app.query_one("#fit-chart")
    chart = fit if fit.display else app.query_one("#landscape")
    region = chart.region
    rows = [
        row[region.x + 1 : region.right - 1]
        for row in screen_text(app).splitlines()[region.y + 1 : region.bottom - 1]
    ]
    axis = next(index for index, row in enumerate(rows) if "└" in row)
    plot = [row for row in rows[:axis] if "┌" not in row]  # the landscape's top frame
    under = rows[axis + 1] if axis + 1 < len(rows) else ""
    return Axes(
        len(plot),
        sum(1 for row in plot if _Y_LABEL.match(row)),
        len(re.findall(r"-?\d+(?:\.\d+)?", under)),
    )


def folded_line(app: TrainerApp) -> str:
    """The folded lesson's one row, as on screen."""
    region = app.query_one("#lesson").region
    assert region.height == 1, "folded to one line"
    return screen_text(app).splitlines()[region.y]


def blank_rows(app: TrainerApp, selector: str) -> int:
    """Rows of a pane with nothing written in them."""
    region = app.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return sum(1 for row in rows if not row.strip())


async def test_at_150x44_the_panes_keep_no_blank_rows_and_the_loss_chart_six_rows_of_plot() -> None:
    """The issue's screen (a browser at 1200×800 px): chapter 3 with the explanation open. The
    lesson kept 5 blank rows and the explanation 8 while the loss chart had 2 rows of plot."""
    app = lesson_app("forward")
    async with app.run_test(size=(150, 44)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#explain").display, "the explanation is open beside the lesson"
        assert blank_rows(app, "#lesson") == 0
        assert blank_rows(app, "#explain") == 0
        assert app.query_one("#loss-chart").size.height - FURNITURE_ROWS >= 6
        await pilot.press("s")  # the forward phase: the explanation's table needs more rows
        await pilot.pause()
        assert blank_rows(app, "#explain") == 0
        assert app.query_one("#loss-chart").size.height - FURNITURE_ROWS >= 6


@pytest.mark.slow  # fourteen chapters turned at each size: 8 to 14 s
@pytest.mark.parametrize("size", [(120, 40), (150, 44), (200, 60)])
async def test_on_a_tall_screen_the_charts_keep_their_rows_in_every_chapter(
    size: tuple[int, int],
) -> None:
    """From 34 rows, every chapter leaves the charts their least (the loss chart 6 rows of
    plot), its text taking only what it needs."""
    app = lesson_app(1)
    async with app.run_test(size=size) as pilot:
        for _chapter in STAGES:
            await pilot.pause()
            await pilot.pause()
            title = app.controller.lesson and app.controller.lesson.stage.slug
            assert app.query_one("#main").region.height >= CHART_ROWS_TALL, title
            assert app.query_one("#loss-chart").size.height - FURNITURE_ROWS >= 6, title
            assert blank_rows(app, "#lesson") == 0, title
            await pilot.press("pagedown")


@pytest.mark.parametrize("language", languages())
@pytest.mark.parametrize("chapter", range(1, len(STAGES) + 1))
async def test_at_80x24_every_chapters_chart_keeps_labelled_axes_and_w_folds_the_lesson(
    chapter: int, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unfolded, the chart beside the chapter keeps two labelled y ticks and its x labels;
    folded (w), the lesson is one line saying the step to do, and the chart has at least 10
    rows of plot; w again brings every word back."""
    monkeypatch.setattr(tui.i18n, "_language", language)
    app = lesson_app(chapter)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        slug = STAGES[chapter - 1].slug
        unfolded = chart_axes(app)
        assert unfolded.y_labels >= 2 and unfolded.x_labels >= 2, (slug, unfolded)
        words = pane(app)
        await pilot.press("w")
        await pilot.pause()
        line = folded_line(app)
        first_step = re.sub(r"\*\*|\{.*", "", load(language)[chapter - 1].steps[0])[:12]
        assert f"{chapter}/{len(STAGES)}" in line and first_step.strip() in line, line
        folded = chart_axes(app)
        assert folded.plot_rows >= 10 and folded.y_labels >= 2 and folded.x_labels >= 2, (
            slug,
            folded,
        )
        await pilot.press("w")
        await pilot.pause()
        await pilot.pause()  # the pane's new height, then its lines broken for that width
        assert pane(app) == words


async def test_the_fold_stays_from_chapter_to_chapter_and_is_in_the_footer() -> None:
    app = lesson_app(chapter_number("valley"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert " w Fold " in screen_text(app).splitlines()[-1]
        await pilot.press("w", "pagedown")
        await pilot.pause()
        assert "w unfold" in folded_line(app)
        footer = screen_text(app).splitlines()[-1]
        assert " w Unfold " in footer and "Fold" not in footer.replace("Unfold", ""), footer
        await pilot.press("w")
        await pilot.pause()
        assert " w Fold " in screen_text(app).splitlines()[-1], "unfolded: Fold again"
