"""Issue 20 goal 1: a frame does only the work that changes what is seen (counted in work
done, not timed: the timings are in tests/perf/frame_parts.py)."""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import numpy as np
import pytest
from rich.ansi import AnsiDecoder
from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from tests.conftest import frames_by_hand, paused_app
from tests.waiting import until
from tui.app import CHART_FPS, charts_due
from tui.model.view import Charts
from tui.widgets import loss_chart, plot_text
from tui.widgets.banner import DivergenceBanner
from tui.widgets.fit_chart import FitChart
from tui.widgets.landscape_chart import LandscapeChart
from tui.widgets.loss_chart import LossChart
from tui.widgets.loss_panel import LossPanel
from tui.widgets.parameter_panel import ParameterPanel
from tui.widgets.race_row import RaceRow
from tui.widgets.status_bar import StatusBar

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def drawn(chart: LossChart) -> list[str]:
    """The chart as plotext draws it, without colours."""
    return ANSI.sub("", chart.plt.build()).splitlines()


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
@pytest.mark.parametrize("log_x", [False, True])
async def test_the_loss_curve_is_handed_to_plotext_per_dot(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], log_x: bool
) -> None:
    """A long run's curve reaches plotext as the points that light its dots, and the chart
    is drawn dot for dot as from every point (before: every kept row, ~1,100)."""
    app = paused_app()
    async with app.run_test(size=size) as pilot:
        app.controller.driver.trainer.run(3_000)
        if log_x:
            await pilot.press("t")
        await pilot.press("n")
        await pilot.pause()
        chart = app.query_one(LossChart)
        rows = app.controller.driver.trainer.history.rows().shape[0]
        handed: list[int] = []
        plot = chart.plt.plot

        def counting(*args: Any, **kwargs: Any) -> Any:
            handed.append(len(args[0]))
            return plot(*args, **kwargs)

        monkeypatch.setattr(chart.plt, "plot", counting)
        chart.replot()
        reduced = drawn(chart)
        monkeypatch.setattr(loss_chart, "per_dot", lambda xs, *_: np.arange(xs.size))
        chart.replot()
        assert reduced == drawn(chart)
        assert rows > 1_000
        # On a log axis the first iterations spread over the chart: fewer share a dot.
        share = 0.6 if log_x else 1 / 3
        assert handed[0] < rows * share, f"{handed[0]} points handed to plotext for {rows} rows"


async def test_a_frame_the_same_as_the_last_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new ``View`` with the same values (a paused trainer's frame, a dialog pushed or
    popped) leaves every panel that can say what it draws from untouched."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # one step: the panels have numbers and a gradient
        await pilot.pause()
        drawn_by: list[str] = []
        for panel in (ParameterPanel, FitChart, LossPanel, DivergenceBanner, RaceRow):
            show = panel.show

            def spy(self: Any, view: Any, show: Any = show) -> None:
                drawn_by.append(type(self).__name__)
                show(self, view)

            monkeypatch.setattr(panel, "show", spy)
        app.refresh_view()
        await pilot.pause()
        assert drawn_by == []
        await pilot.press("s")  # a step changes the numbers: they are drawn
        await pilot.pause()
        assert drawn_by.count("ParameterPanel") == 2


async def test_no_training_frame_redraws_both_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """At ``--fps 1`` (as served) each chart is still redrawn every other frame, but the fit
    chart and the loss chart on alternate frames: no frame pays for both (before: both on
    the same frame, which made the p95 frame about twice the mean, issue 20 goal 1)."""
    app = paused_app(fps=1)
    async with app.run_test(size=(80, 24)) as pilot:
        frames_by_hand(app)
        await pilot.press("space")  # training, as a served session starts
        await pilot.pause()
        replotted: list[str] = []
        replot = plot_text.PlotText.replot

        def spy(self: plot_text.PlotText) -> None:
            replotted.append(type(self).__name__)
            replot(self)

        monkeypatch.setattr(plot_text.PlotText, "replot", spy)
        frames: list[set[str]] = []
        for _ in range(12):
            app._last_tick -= 1.0  # a second since the last frame, as at --fps 1
            app._tick()
            await pilot.pause()
            frames.append(set(replotted))
            replotted.clear()
        assert app.controller.running
        assert all(len(charts) < 2 for charts in frames), frames
        fit = [n for n, charts in enumerate(frames) if "FitChart" in charts]
        loss = [n for n, charts in enumerate(frames) if "LossChart" in charts]
        # Each on every other frame, as before, when its picture moved by a dot (the loss
        # chart's, early in a run, now and then does not).
        assert len({n % 2 for n in fit}) == len({n % 2 for n in loss}) == 1, frames
        assert {n % 2 for n in fit} != {n % 2 for n in loss}, frames
        assert len(fit) >= 5 and len(loss) >= 4, frames


@pytest.mark.parametrize("fps", [1, 2, 5, 10, 60])
def test_each_chart_keeps_its_rate_and_never_shares_a_frame(fps: int) -> None:
    """At every frame rate each chart is due once every ``chart_every`` frames, as when
    they were drawn together, and never on the same frame as the other."""
    chart_every = max(2, math.ceil(fps / CHART_FPS))
    due = [charts_due(frame, fps) for frame in range(4 * chart_every)]
    assert Charts.BOTH not in due
    assert due.count(Charts.FIT) == due.count(Charts.LOSS) == 4


async def test_a_chart_decodes_only_the_lines_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart's picture becomes the very text ``Text.from_ansi`` makes, but a line already
    seen is not decoded again (before: every line of both charts at every render)."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.controller.driver.trainer.run(500)
        await pilot.press("n")
        await pilot.pause()
        decode_line = AnsiDecoder.decode_line
        decoded: list[str] = []

        def counting(self: AnsiDecoder, line: str) -> Text:
            decoded.append(line)
            return decode_line(self, line)

        for chart in (app.query_one(FitChart), app.query_one(LossChart)):
            output = chart.plt.build()
            first = chart.render().text
            assert first == Text.from_ansi(output)
            monkeypatch.setattr(AnsiDecoder, "decode_line", counting)
            again = chart.render().text
            monkeypatch.setattr(AnsiDecoder, "decode_line", decode_line)
            assert again == first
            assert decoded == [], f"{len(decoded)} lines decoded again"
        app.controller.driver.trainer.run(2_000)  # the curves move: new lines, decoded anew
        app.refresh_view(charts=True)
        await pilot.pause()
        for chart in (app.query_one(FitChart), app.query_one(LossChart)):
            assert chart.render().text == Text.from_ansi(chart.plt.build())


async def test_a_chart_repaints_only_the_rows_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the curves move, a chart repaints the rows of its picture whose line changed,
    each cut into strips once, and shows what a whole repaint shows (before: every row of
    both charts, cut afresh and written to the terminal, at every chart tick)."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.controller.driver.trainer.run(300)
        app.refresh_view(charts=True)
        await pilot.pause()
        charts = (app.query_one(FitChart), app.query_one(LossChart))
        repainted: dict[str, list[tuple[Region, ...]]] = {"FitChart": [], "LossChart": []}
        refresh = Widget.refresh

        def spy(self: Widget, *regions: Region, **options: Any) -> Any:
            if type(self).__name__ in repainted:
                repainted[type(self).__name__].append(regions)
            return refresh(self, *regions, **options)

        cut: list[Any] = []
        row_strip = plot_text.row_strip

        def cutting(line: Any, y: int, *args: Any) -> Any:
            strip = row_strip(line, y, *args)
            cut.append(strip)
            return strip

        monkeypatch.setattr(Widget, "refresh", spy)
        monkeypatch.setattr(plot_text, "row_strip", cutting)
        app.controller.driver.trainer.run(300)  # both curves move by a few dots
        app.refresh_view(charts=True)
        await pilot.pause()
        monkeypatch.setattr(plot_text, "row_strip", row_strip)
        monkeypatch.setattr(Widget, "refresh", refresh)
        rows = 0
        for chart in charts:
            calls = repainted[type(chart).__name__]
            assert calls, f"{type(chart).__name__} did not repaint"
            regions = [region for call in calls for region in call]
            assert regions, f"{type(chart).__name__} repainted all of itself"
            assert len(regions) < chart.size.height, "some rows are unchanged"
            rows += len(regions)
            partly = chart.render_lines(Region(0, 0, *chart.outer_size))
            chart.refresh()
            assert chart.render_lines(Region(0, 0, *chart.outer_size)) == partly
        assert len(cut) == rows, "each changed row cut once, the others kept"
        assert None not in cut, "rows made from plotext's runs, not cut by Textual"


def markup_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, each markup that Textual parses (``Content.from_markup``), in order."""
    parsed: list[str] = []
    from_markup = Content.from_markup

    def counting(markup: str, **variables: Any) -> Content:
        parsed.append(markup)
        return from_markup(markup, **variables)

    monkeypatch.setattr(Content, "from_markup", counting)
    return parsed


async def test_the_same_titles_and_status_are_not_parsed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fit chart's titles and legend and the status line are measured (parsed from
    markup) to choose the longest that fits; the same texts again, as on every training
    frame for the titles, are not parsed again (before: six to eight parses a frame)."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        view = app.main_screen.view
        assert view is not None
        chart, status = app.query_one(FitChart), app.query_one(StatusBar)
        chart._set_titles(view)
        status.show(view)
        parsed = markup_parses(monkeypatch)
        chart._set_titles(view)
        status.show(view)
        assert parsed == []


async def test_frames_that_move_only_the_line_do_not_make_the_fit_charts_titles_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The formula, the set-up and the legend are made from a slice of the view that
    training does not change: frames that move the line make none of them again (before:
    both titles written out and the legend coloured at every frame); a new set-up does."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        chart = app.query_one(FitChart)
        made: list[object] = []
        legend = FitChart._legend

        def spy(self: FitChart, view: Any) -> tuple[str, ...]:
            made.append(view)
            return legend(self, view)

        monkeypatch.setattr(FitChart, "_legend", spy)
        shown = chart._drawn
        before = chart.border_title
        await pilot.press("n", "n")
        await pilot.pause()
        assert chart._drawn != shown  # the line moved, and the chart drew it
        assert made == []
        assert chart.border_title == before
        await pilot.press("z")  # standardised inputs: the set-up changes
        await pilot.pause()
        assert len(made) == 1
        assert chart.border_title != before
        assert "standardised" in str(chart.border_title)


async def test_a_parameter_panels_slice_is_compared_without_copying_the_view(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A parameter panel's slice of the view, taken every frame, holds the view's values as
    they are (before: ``dataclasses.astuple`` deep-copied each of them, ~20 µs a record),
    and still tells a frame that moved the parameter from one that did not."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "s")  # an iteration and a forward pass: a gradient to show
        await pilot.pause()
        panel = app.query_one("#weight-panel", ParameterPanel)
        view = app.main_screen.view
        assert view is not None and view.trainer.gradient is not None
        copies: list[object] = []
        deepcopy = copy.deepcopy

        def counting(value: Any, *args: Any) -> Any:
            copies.append(value)
            return deepcopy(value, *args)

        monkeypatch.setattr(copy, "deepcopy", counting)
        part = panel.part(view)
        assert copies == []
        assert view.trainer.weight.value in part[0]  # type: ignore[index]
        assert panel.part(app.controller.frame(charts=False)) == part
        await pilot.press("s", "s")  # the rest of the iteration: the weight moves
        await pilot.pause()
        assert panel.part(app.controller.frame(charts=False)) != part


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_chart_is_cut_into_the_strips_textual_cuts_from_its_text(
    size: tuple[int, int],
) -> None:
    """Line by line, a chart's strips are those Textual cuts from ``Text.from_ansi`` of the
    whole picture, to the style and to each cell's place (which text selection reads), also
    after a repaint of a few rows (the rows are made from plotext's runs, not cut by
    Textual: ``plot_text.row_strip``)."""
    app = paused_app()
    async with app.run_test(size=size) as pilot:
        for _ in range(2):
            app.controller.driver.trainer.run(300)
            app.refresh_view(charts=True)
            await pilot.pause()
            for chart in (app.query_one(FitChart), app.query_one(LossChart)):
                width, height = chart.size
                text = Text.from_ansi(chart.plt.build())
                whole = Visual.to_strips(
                    chart, Content.from_rich_text(text), width, height, chart.visual_style
                )
                lines = Visual.to_strips(chart, chart.render(), width, height, chart.visual_style)
                for y, (ours, textual) in enumerate(zip(lines, whole, strict=True)):
                    assert list(ours) == list(textual), f"row {y}"


async def test_a_chart_whose_figure_changed_and_is_refreshed_shows_the_new_figure() -> None:
    """Code that changes a chart's figure and calls Textual's ``refresh``, as
    textual-plotext's users do (rather than ``redraw``), sees the new figure drawn, not
    the picture built before."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.query_one(LossChart)
        before = str(chart.render())
        chart.plt.vline(5_000.0)  # a mark plotext draws as a column of │
        chart.refresh()
        await pilot.pause()
        after = str(chart.render())
        assert after != before
        assert after.count("│") >= before.count("│") + 3


async def test_each_chart_is_built_once_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first full frame builds each chart's picture once (issue 20 goal 4: the first
    Resize, at the size already laid out, built both again), and that picture is the one
    the chart draws for its size: its figure was put together for the size it is drawn at,
    not for the size it had when first shown (none)."""
    from textual_plotext.plot import Plot

    builds: list[int] = []
    real_build = Plot._build_matrix  # plotext's build of the picture (the charts read it)

    def counting(plot: Plot) -> None:
        builds.append(id(plot))
        real_build(plot)

    monkeypatch.setattr(Plot, "_build_matrix", counting)
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        charts = [app.query_one(FitChart), app.query_one(LossChart)]
        await until(pilot, lambda: all(id(chart.plt) in builds for chart in charts), "drawn")
        await pilot.pause(0.2)  # time for a second build, were there one
        assert [builds.count(id(chart.plt)) for chart in charts] == [1, 1]
        for chart in charts:
            shown = chart._built
            assert shown is not None and shown[0][0] == chart.size
            chart.replot()  # the figure put together afresh at this size
            assert chart._built is not None and chart._built[1] == shown[1]


async def test_a_chart_is_read_from_plotexts_matrix_not_from_its_ansi_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the curves move, plotext builds its matrix and the charts read their rows from
    it: plotext writes no ANSI text and nothing is decoded (before: plotext wrote the whole
    picture as ANSI text each build, ~30 % of its build, and each new line was decoded),
    and the picture is still ``Text.from_ansi`` of what plotext would have written."""
    from plotext._matrix import matrix_class

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.controller.driver.trainer.run(300)
        app.refresh_view(charts=True)
        await pilot.pause()
        written: list[object] = []
        decoded: list[str] = []
        set_canvas, decode_line = matrix_class.set_canvas, AnsiDecoder.decode_line

        def writing(matrix: Any) -> str:
            written.append(matrix)
            return set_canvas(matrix)  # type: ignore[no-any-return]

        def decoding(self: AnsiDecoder, line: str) -> Text:
            decoded.append(line)
            return decode_line(self, line)

        monkeypatch.setattr(matrix_class, "set_canvas", writing)
        monkeypatch.setattr(AnsiDecoder, "decode_line", decoding)
        app.controller.driver.trainer.run(300)  # both curves move by a few dots
        app.refresh_view(charts=True)
        await pilot.pause()
        assert (written, decoded) == ([], [])
        monkeypatch.setattr(matrix_class, "set_canvas", set_canvas)
        monkeypatch.setattr(AnsiDecoder, "decode_line", decode_line)
        for chart in (app.query_one(FitChart), app.query_one(LossChart)):
            assert chart.render().text == Text.from_ansi(chart.plt.build())


async def test_a_changed_line_is_not_parsed_from_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step changes the status line and the panels' numbers: the new lines are made from
    their runs, whose tags were parsed before (before: each new line parsed whole, ~35 µs a
    tag, the status line and the gradient's line twice: measured, then shown)."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")  # a whole iteration: a gradient, an update
        await pilot.pause()
        parsed = markup_parses(monkeypatch)
        await pilot.press("s", "s", "s")
        await pilot.pause()
        status = app.query_one(StatusBar)
        lines = [line for panel in app.query(ParameterPanel) for line in panel._shown if line]
        assert "[" in status._shown and any("[" in line for line in lines)
        assert [line for line in parsed if line == status._shown or line in lines] == []


async def test_a_changed_line_is_made_as_one_text_not_joined_from_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An iteration changes the status and the panels' numbers: each new line is made at
    once, its text and the spans of its runs (before: two ``Content`` a run, then joined
    into the line, ~half of making a line); what it holds is checked against Textual's
    markup parser in ``test_lines_made_from_their_runs_are_what_markup_gives``."""
    from tests.counting import calls_on

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        before = app.query_one(StatusBar)._shown
        joined = calls_on(monkeypatch, Content, "join")
        await pilot.press("s", "s", "s")  # a whole iteration: new numbers
        await pilot.pause()
        assert app.query_one(StatusBar)._shown != before
        # A panel's lines are joined into its text (``PanelText``); no line from pieces.
        assert [separator for separator in joined if not separator.plain] == []


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_lines_made_from_their_runs_are_what_markup_gives(language: str) -> None:
    """The status and the panels' lines are made from their runs of one style, each tag
    parsed once (``panel.parsed``): the text and its styles are those Textual's markup
    parser gives, in every state a run goes through (stepping, paused, unstable, diverged)."""
    from tui import i18n
    from tui.widgets.panel import parsed

    i18n.set_language(language)
    try:
        app = paused_app()
        async with app.run_test(size=(80, 24)) as pilot:
            seen: set[str] = set()
            for keys in ("", "s", "s", "s", "ssssss", " ", " ", "+++", "++++++", " "):
                await pilot.press(*keys)
                await pilot.pause(0.5 if keys == " " else 0)
                status, loss = app.query_one(StatusBar), app.query_one(LossPanel)
                seen |= {status._shown, loss._text}
                seen |= {line for panel in app.query(ParameterPanel) for line in panel._shown}
            assert any("[" in line for line in seen) and len(seen) > 20
            for line in seen:
                ours, markup = parsed.__wrapped__(line), Content.from_markup(line)
                assert (ours.plain, ours.spans) == (markup.plain, markup.spans), line
    finally:
        i18n.set_language("en")


async def test_what_is_redrawn_each_frame_holds_no_links() -> None:
    """The lines and charts redrawn each frame say they hold no links, so Textual does not
    look for them at each render (``Widget.auto_links``: for a chart, every cell of every row
    restyled at each repaint)."""
    from tui.widgets.panel import PanelText, TextLine

    app = paused_app()
    async with app.run_test(size=(80, 24)):
        redrawn = [*app.query(TextLine), *app.query(PanelText), app.query_one(StatusBar)]
        redrawn += [app.query_one(FitChart), app.query_one(LossChart)]
        assert len(redrawn) >= 6 and not any(widget.auto_links for widget in redrawn)


def cut_by_textual(widget: Widget) -> list[list[Any]]:
    """The rows of ``widget`` as Textual cuts its text (``Widget.render_line``)."""
    width, height = widget.size
    lines = Visual.to_strips(widget, widget._render(), width, height, widget.visual_style)
    blank = Strip.blank(width, widget.visual_style.rich_style)
    return [list(lines[y] if y < len(lines) else blank) for y in range(height)]


async def test_a_changed_line_is_not_cut_by_textual(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step changes the status and the panels' numbers: each changed line's strip is made
    from its styled pieces (``panel.OwnStrip``), not wrapped, formatted and cut by Textual
    (before: every changed line, ~40 µs of its ~100 µs render)."""
    from tui.widgets.panel import TextLine

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        to_strips = Visual.to_strips
        cut: list[str] = []

        def counting(widget: Widget, *args: Any, **kwargs: Any) -> Any:
            cut.append(type(widget).__name__)
            return to_strips(widget, *args, **kwargs)

        monkeypatch.setattr(Visual, "to_strips", counting)
        before = [str(line.render()) for line in app.query(TextLine)]
        await pilot.press("s", "s", "s")
        await pilot.pause()
        changed = [str(line.render()) for line in app.query(TextLine)] != before
        cut_lines = [name for name in cut if name in ("TextLine", "StatusBar", "PanelText")]
        assert changed and cut_lines == []


def cut_line_by_line(panel: Widget, lines: tuple[Content, ...]) -> list[list[Any]]:
    """The rows of a panel's text as lines of their own show them (a widget a line, each
    cut by Textual at its row's height: what the panels drew before ``PanelText``)."""
    from tui.widgets.panel import at_row

    width, height = panel.size
    style = panel.visual_style
    blank = Strip.blank(width, style.rich_style)
    return [
        list(at_row(Visual.to_strips(panel, lines[y], width, 1, style)[0], y))
        if y < len(lines)
        else list(blank)
        for y in range(height)
    ]


@pytest.mark.parametrize(("size", "language"), [((80, 24), "en"), ((120, 40), "zh")])
async def test_lines_are_the_strips_textual_cuts(size: tuple[int, int], language: str) -> None:
    """Each line's strip, made from its pieces, is the one Textual cuts from its text, to
    the style and each cell's place, in every state a run goes through and in a theme of
    another palette; a parameter panel's rows, one widget for its lines, are those its
    lines cut one by one, as a widget a line drew them (and Textual's cut of the whole text
    where every line fits)."""
    from tui import i18n
    from tui.widgets.panel import OwnStrip, PanelText

    i18n.set_language(language)
    try:
        app = paused_app()
        async with app.run_test(size=size) as pilot:
            compared = panels = 0
            for keys in ("", "s", "sss", " ", " ", "+++", "++++++", " ", "T"):
                if keys == "T":
                    app.theme = "textual-light"
                else:
                    await pilot.press(*keys)
                await pilot.pause(0.5 if keys == " " else 0)
                lines = [widget for widget in app.query("*") if isinstance(widget, OwnStrip)]
                assert len(lines) >= 2  # the status, the loss readout
                for widget in lines:
                    if widget.display and widget.size.width and widget._line_strip():
                        ours = [list(widget.render_line(y)) for y in range(widget.size.height)]
                        assert ours == cut_by_textual(widget)
                        compared += 1
                for panel in app.query(PanelText):
                    ours = [list(panel.render_line(y)) for y in range(panel.size.height)]
                    assert ours == cut_line_by_line(panel, panel.lines), keys
                    if all(line.cell_length <= panel.size.width for line in panel.lines):
                        assert ours == cut_by_textual(panel), keys
                    panels += 1
            assert compared > 10 and panels > 10
    finally:
        i18n.set_language("en")


async def test_a_frame_renders_only_the_widgets_with_rows_to_redraw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step changes the status and the panels' numbers: Textual renders the widgets with
    a row to redraw, not the containers under the changed lines nor the lines that did not
    change, which the box around the changes touches (before: the screen, the columns,
    the panels, the Footer and the unchanged lines, ~20 widgets a frame)."""
    from textual._styles_cache import StylesCache

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        render_widget = StylesCache.render_widget
        rendered: list[tuple[str, bool]] = []

        def counting(self: StylesCache, widget: Widget, crop: Region) -> Any:
            redraw = bool(self._dirty_lines) or any(y not in self._cache for y in crop.line_range)
            rendered.append((type(widget).__name__, redraw))
            return render_widget(self, widget, crop)

        monkeypatch.setattr(StylesCache, "render_widget", counting)
        await pilot.press("s", "s", "s")  # a whole iteration: new numbers
        await pilot.pause()
        # The parameter panels (the lines, the status and the charts make their changed rows
        # themselves: PlainRows).
        assert len(rendered) >= 2, rendered
        assert [name for name, redraw in rendered if not redraw] == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_kept_rows_are_what_textual_renders(size: tuple[int, int]) -> None:
    """What the screen shows with each widget's rows kept (``KeptRows``) is what Textual
    renders afresh, after steps, a run, a theme of another palette and a new size."""
    from tui.widgets.kept_rows import KeptRows

    def composed() -> list[list[Any]]:
        return [list(strip) for strip in app.screen._compositor.render_strips()]

    app = paused_app()
    async with app.run_test(size=size) as pilot:
        for change in ("s", "sss", " ", " ", "theme", "resize", "n"):
            if change == "theme":
                app.theme = "textual-light"
            elif change == "resize":
                await pilot.resize_terminal(size[0] + 20, size[1] + 6)
            else:
                await pilot.press(*change)
            await pilot.pause(0.3 if change == " " else 0)
            kept = composed()
            widgets = [widget for widget in app.screen.walk_children(with_self=True)]
            held = [widget for widget in widgets if isinstance(widget, KeptRows)]
            assert len(held) > 15 and any(widget._kept_rows for widget in held)
            for widget in held:
                widget._kept_rows = None
            assert kept == composed(), change


async def test_a_panels_changed_rows_are_not_taken_through_every_style(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A parameter panel's lines, the loss readout and the status have no border, padding
    above or below, tint or opacity: a changed row is their line padded to the width in
    their background, not taken through Textual's way for any style a row could have
    (before: one ``StylesCache.render_line`` a changed row, ~a third of its cost)."""
    from textual._styles_cache import StylesCache

    from tui.widgets.panel import PanelText, TextLine

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        render_line = StylesCache.render_line
        styled: list[str] = []

        def counting(self: StylesCache, styles: Any, y: int, *args: Any) -> Any:
            styled.append(type(styles.node).__name__)
            return render_line(self, styles, y, *args)

        monkeypatch.setattr(StylesCache, "render_line", counting)
        panel = app.query_one("#weight-panel", ParameterPanel)
        before = panel.render_text()
        await pilot.press("s", "s", "s")  # a whole iteration: new numbers
        await pilot.pause()
        assert panel.render_text() != before
        plain = (PanelText.__name__, TextLine.__name__, StatusBar.__name__)
        assert [name for name in styled if name in plain] == []


async def test_a_moving_line_does_not_put_the_charts_fixed_part_together_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the neuron learns, only its line and the loss curve move: each frame that
    redraws a chart hands plotext the moving signals again, over the axes, ticks, truth,
    data and untrained line it already holds (before: ``fill_under`` at each redraw, the
    whole figure put together anew). The pictures are plotext's whole ones
    (tests/test_tui_chart_layers.py)."""
    from tests.counting import calls_on

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        fit, loss = app.query_one(FitChart), app.query_one(LossChart)
        under = calls_on(monkeypatch, FitChart, "fill_under")
        loss_under = calls_on(monkeypatch, LossChart, "fill_under")
        replotted = calls_on(monkeypatch, FitChart, "replot")
        loss_replotted = calls_on(monkeypatch, LossChart, "replot")
        pictures = (fit._built, loss._built)
        await pilot.press(*"s" * 12)  # four iterations: the line and the curve move
        await pilot.pause()
        assert fit._built != pictures[0] and loss._built != pictures[1]
        assert len(replotted) >= 2 and len(loss_replotted) >= 2
        assert under == [] and loss_under == []


async def test_a_charts_changed_rows_are_not_taken_through_every_style(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chart has a border all round and nothing else between its picture and its rows:
    a row its moving line changed is the picture's row between the border's two sides, not
    taken through Textual's way for any style a row could have (before: one
    ``StylesCache.render_line`` a changed row, ~13 a frame for the fit chart's line)."""
    from textual._styles_cache import StylesCache

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        chart = app.query_one(FitChart)
        render_line = StylesCache.render_line
        styled: list[int] = []

        def counting(self: StylesCache, styles: Any, y: int, *args: Any) -> Any:
            if styles.node is chart:
                styled.append(y)
            return render_line(self, styles, y, *args)

        monkeypatch.setattr(StylesCache, "render_line", counting)
        before = chart._built
        await pilot.press(*"s" * 12)  # four iterations: the neuron's line moves
        await pilot.pause()
        assert chart._built is not before and before is not None
        assert before[1] != chart._built[1], "the picture changed"
        assert styled == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_plain_rows_are_what_textual_renders(size: tuple[int, int]) -> None:
    """Every row of a widget whose rows are made plainly (``PlainRows``) is the row Textual
    renders for it afresh, after steps, a run, a theme of another palette, a new size, and
    with the lines' text selected."""
    from textual._styles_cache import StylesCache

    from tui.widgets.kept_rows import PlainRows

    app = paused_app()
    async with app.run_test(size=size) as pilot:
        for change in ("s", "sss", " ", " ", "theme", "resize", "n", "select", "chart", "vsss"):
            if change == "theme":
                app.theme = "textual-light"
            elif change == "resize":
                await pilot.resize_terminal(size[0] + 20, size[1] + 6)
            elif change == "select":
                await pilot.mouse_down("#weight-panel PanelText", offset=(2, 0))
                await pilot.mouse_up("#weight-panel PanelText", offset=(12, 1))
                await pilot.pause()
                assert app.screen.selections, "text is selected"
            elif change == "chart":  # the picture selected, then the line moved under it
                await pilot.mouse_down(FitChart, offset=(8, 3))
                await pilot.mouse_up(FitChart, offset=(30, 6))
                assert app.query_one(FitChart) in app.screen.selections
                await pilot.press(*"s" * 6)
                await pilot.pause()
            else:
                await pilot.press(*change)
            await pilot.pause(0.3 if change == " " else 0)
            plain = [w for w in app.screen.walk_children() if isinstance(w, PlainRows)]
            assert len(plain) >= 3
            shown = LandscapeChart if change == "vsss" else FitChart  # v: the loss landscape
            assert any(isinstance(widget, shown) and widget.display for widget in plain)
            for widget in plain:
                crop = Region(0, 0, *widget.region.size)
                ours = [list(strip) for strip in widget.render_lines(crop)]
                textuals = StylesCache().render_widget(widget, crop)
                assert ours == [list(strip) for strip in textuals], (change, widget)


async def test_the_end_of_a_run_restyles_the_strip_and_the_panels_not_the_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When a run ends the forecast strip appears and, on a short screen, the parameter
    panels give it a row each: they are restyled, not every widget on the screen (before:
    a class set on the screen restyled all of them, ~10 ms at the frame a run ends)."""
    from textual.css.stylesheet import Stylesheet

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        apply = Stylesheet.apply
        restyled: list[str] = []

        def counting(self: Stylesheet, node: Any, *args: Any, **kwargs: Any) -> Any:
            restyled.append(type(node).__name__)
            return apply(self, node, *args, **kwargs)

        monkeypatch.setattr(Stylesheet, "apply", counting)
        await pilot.press("f")
        while app.controller.driver.fast_forwarding:
            app._tick()
        await pilot.pause()
        forecast = app.query_one("#forecast")
        assert forecast.display and forecast.region.height == 2
        assert {panel.region.height for panel in app.query(ParameterPanel)} == {5}
        assert {"ForecastStrip", "ParameterPanel"} <= set(restyled)
        assert set(restyled) & {"MainScreen", "StatusBar", "FitChart", "LossChart"} == set()


async def test_a_panel_repaints_its_changed_rows_as_one_widget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step changes most of a parameter panel's lines: the panel's text is refreshed once,
    for the rows whose line changed (before: a widget a line, each refreshed, rendered and
    carried to the screen by its own messages)."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "s")
        await pilot.pause()
        panels = list(app.query(ParameterPanel))
        before = [panel.render_text().split("\n") for panel in panels]
        refresh = Widget.refresh
        refreshed: list[tuple[Widget, tuple[Region, ...]]] = []

        def counting(self: Widget, *regions: Region, **kwargs: Any) -> Any:
            if self.parent in panels:
                refreshed.append((self, regions))
            return refresh(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", counting)
        await pilot.press("n")  # one iteration, one frame
        await pilot.pause()
        after = [panel.render_text().split("\n") for panel in panels]
        assert len(refreshed) == len(panels), [type(widget).__name__ for widget, _ in refreshed]
        for panel, (widget, regions), old, new in zip(
            panels, refreshed, before, after, strict=True
        ):
            assert widget.parent is panel
            changed = [y for y, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            assert changed and sorted(region.y for region in regions) == changed
