"""The charts beside the lesson stay readable (issue 22): text panes take the rows their words
need and no more, the charts get the rest, and ``w`` folds the lesson to one line.

The axes are read off the screen as a learner reads them: the chart's rows above its x axis,
the rows whose y axis carries a label, and the numbers under the x axis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

import tui.i18n
from tests.conftest import screen_text
from tests.test_lesson_mode import SIZE, lesson_app, pane
from tests.waiting import until
from tui.app import TrainerApp
from tui.lesson.chapters import languages, load
from tui.lesson.stages import STAGES, chapter_number
from tui.model.driver import RunState
from tui.notices import OVER_TEXT_TIMEOUT
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


def panel_rows(app: TrainerApp, selector: str) -> list[str]:
    """A panel's rows on screen, its borders included."""
    region = app.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


@pytest.mark.parametrize("chapter", ["graph", "autograd"])
async def test_at_80x24_weight_and_bias_fold_alike_and_both_keep_their_gradient(
    chapter: str,
) -> None:
    """A learner's report: after a backward pass in these chapters the weight panel had
    folded to "now 1.000593 → 1.8" while the bias panel kept its gradient, though the
    lesson talks of weight.grad. The sidebar's odd row went to the bias panel."""
    app = lesson_app(chapter)
    async with app.run_test(size=SIZE) as pilot:
        for key in "sss":  # update, forward, backward: new gradients
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        weight, bias = panel_rows(app, "#weight-panel"), panel_rows(app, "#bias-panel")
        assert len(weight) == len(bias), (weight, bias)
        for rows in (weight, bias):
            assert any("gradient" in row for row in rows), rows


@pytest.mark.parametrize("language", languages())
async def test_at_80x24_the_divergence_banner_leaves_the_fit_chart_its_border_and_legend(
    language: str,
) -> None:
    """A learner's report: in the chapter "too-large", once the run diverged the banner's five
    lines pushed the fit chart's bottom border and legend off screen (the lesson's header
    followed its x labels). The banner says it in fewer lines where the chart needs them."""
    tui.i18n.set_language(language)  # the suite's fixture sets English back
    app = lesson_app("too-large")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await until(pilot, lambda: app.controller.driver.state is RunState.DIVERGED, "divergence")
        await pilot.pause()
        await pilot.pause()
        chart = app.query_one("#fit-chart").region
        rows = screen_text(app).splitlines()
        assert chart.bottom <= app.query_one("#main").region.bottom
        bottom = rows[chart.bottom - 1]  # the chart's at its left (a wide glyph counts once)
        assert chart.x == 0 and bottom.startswith("╰") and "╯" in bottom, bottom
        assert "⠒⠒" in bottom, "the legend, on the chart's bottom border"
        banner = screen_text(app).splitlines()[app.query_one("#banner").region.y]
        assert "19" in banner, "the banner still says where the run diverged"


def notices_said(app: TrainerApp, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float]]:
    """Each notice's title and the seconds it is given, as the app asks for them."""
    said: list[tuple[str, float]] = []
    notify = app.notify

    def spy(message: str, *, title: str = "", timeout: float | None = None, **rest: Any) -> None:
        said.append((title, app.NOTIFICATION_TIMEOUT if timeout is None else timeout))
        notify(message, title=title, timeout=timeout, **rest)

    monkeypatch.setattr(app, "notify", spy)
    return said


async def test_at_80x24_a_notice_the_screen_echoes_leaves_the_lesson_and_the_code_soon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A learner's report: in the chapter "fixes", c showed a three-line "Race" notice over
    the lesson's steps for five seconds, and h one over the code pane, though the race row
    and the status line say the same. Over those panes such a notice goes within
    OVER_TEXT_TIMEOUT; with the lesson folded it keeps its time, and so does a warning."""
    app = lesson_app("fixes")
    async with app.run_test(size=SIZE) as pilot:
        said = notices_said(app, monkeypatch)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert said[-1][0] == "Race" and said[-1][1] <= OVER_TEXT_TIMEOUT, said
        await pilot.press("w", "c")  # folded: the lesson is one line, under no notice
        await pilot.pause()
        assert said[-1] == ("Race", 5.0), said
    app = lesson_app("fixes", step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        said = notices_said(app, monkeypatch)
        await pilot.press("p", "h")  # the code pane in the lesson's place, then hands
        await pilot.pause()
        assert said[-1][0] == "Hands on the weights" and said[-1][1] <= OVER_TEXT_TIMEOUT, said
        await pilot.press("c")  # refused, with the way out: a warning keeps its time
        await pilot.pause()
        assert said[-1] == ("Race", 5.0), said
