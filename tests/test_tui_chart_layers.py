"""A chart drawn over the part of it that stays is plotext's picture of the whole figure
(issue 20 goal 1: the fit chart's axes, truth, data and untrained line are built once, and
only the lines that move are drawn over them, each as plotext draws a line)."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text

from tests.conftest import paused_app, screen_text
from tui.model.view import Charts, TrainerView, View
from tui.widgets.fit_chart import ASCII, UNICODE, WEB, FitChart
from tui.widgets.loss_chart import WEB_MARKER, LossChart
from tui.widgets.plot_text import picture_of

LINES = st.frozensets(st.sampled_from(("untrained", "now"))).map(lambda s: s | {"truth"})
PARAMETER = st.one_of(
    st.floats(-3.0, 6.0),  # near the truth (w 1.8, b 32): on the chart
    st.floats(-3_000.0, 3_000.0),  # mostly off it, or cutting a corner
)
LINE = st.tuples(PARAMETER, st.floats(-200.0, 300.0) | st.floats(-1e5, 1e5))


LOOKS: tuple[tuple[str, bool, Any], ...] = (
    ("textual-dark", False, UNICODE),
    ("textual-light", False, UNICODE),
    ("textual-light", True, UNICODE),
    ("textual-light", True, ASCII),
    ("textual-dark", True, ASCII),
    ("textual-dark", False, ASCII),
    ("textual-dark", False, WEB),
    ("textual-dark", True, WEB),
    ("textual-light", True, WEB),
    ("textual-light", False, WEB),
    ("textual-light", False, ASCII),
    ("textual-dark", False, UNICODE),
)
"""Theme, no colour and marks, each changed on its own from one look to the next."""


async def check_layers(sizes: tuple[tuple[int, int], ...], examples: int) -> None:
    """At each terminal size and for each look in turn, lines drawn one after the other on
    one chart (so that a kept part drawn for another size or look, or with other lines
    shown, would show)."""
    app = paused_app(samples=40, noise=6.0)
    async with app.run_test(size=sizes[0]) as pilot:
        await pilot.pause()
        chart = app.query_one(FitChart)
        samples = len(chart._dataset.celsius)

        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            derandomize=True,
        )
        @given(
            line=LINE,
            race=st.none() | LINE,
            highlight=st.none() | st.integers(0, samples - 1),
            lines=LINES,
        )
        def drawn_as_whole(
            line: tuple[float, float],
            race: tuple[float, float] | None,
            highlight: int | None,
            lines: frozenset[str],
        ) -> None:
            (chart._weight, chart._bias), chart._race = line, race
            chart._highlight, chart._lines = highlight, lines
            chart.replot()
            assert chart._built is not None
            ours = chart._built[1]
            chart.fill()  # the whole figure, built whole by plotext (on a copy: a build
            # changes the figure, and the next example draws over the figure as the app has it)
            whole = picture_of(copy.deepcopy(chart.plt))
            assert ours == whole
            assert chart.render().text == Text.from_ansi(copy.deepcopy(chart.plt).build())

        for size in sizes:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert chart.size.area, f"the fit chart is shown at {size}"
            for theme, no_color, markers in LOOKS:
                app.theme, app.no_color, chart.markers = theme, no_color, markers
                drawn_as_whole()


async def test_the_fit_chart_drawn_over_its_kept_part_is_plotexts_whole_picture() -> None:
    """At 80×24 then 120×40, for lines on and off the chart, a race, an explained sample, the lines
    shown or not, a light or dark theme, no colour, braille, ASCII and the browser's marks,
    one after the other on one chart (so a kept part drawn for other settings would show):
    cell for cell, colour for colour, what plotext builds from the whole figure."""
    await check_layers(((80, 24), (120, 40)), 12)


@pytest.mark.slow
async def test_the_fit_chart_layers_at_other_sizes() -> None:
    await check_layers(((120, 40), (80, 24), (200, 50), (100, 30)), 40)


LOSS = st.floats(0.0, 1e6) | st.sampled_from((0.0, 1e-40, 1e-13, float("inf"), float("nan")))
CURVE = st.lists(LOSS, min_size=0, max_size=60).map(np.array)


async def check_loss_layers(sizes: tuple[tuple[int, int], ...], examples: int) -> None:
    """The loss chart, likewise: curves of any losses (none, zero, below the floor, not
    finite), a race, marks where a setting changed, iterations on a log axis."""
    app = paused_app()
    async with app.run_test(size=sizes[0]) as pilot:
        await pilot.pause()
        chart = app.query_one(LossChart)

        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            derandomize=True,
        )
        @given(
            losses=CURVE,
            step=st.sampled_from((1.0, 7.0, 1_000.0)),
            race=st.none() | CURVE,
            x_max=st.sampled_from((50.0, 1_000.0, 1e6)),
            marks=st.lists(st.integers(0, 5_000), max_size=3).map(tuple),
            log_x=st.booleans(),
        )
        def drawn_as_whole(
            losses: Any,
            step: float,
            race: Any,
            x_max: float,
            marks: tuple[int, ...],
            log_x: bool,
        ) -> None:
            iterations = np.arange(losses.size) * step
            racing = None if race is None else (np.arange(race.size) * step, race)
            chart._drawn = None  # drawn whatever moved
            chart.show(iterations, losses, x_max, race=racing, marks=marks, log_x=log_x)
            chart.replot()
            assert chart._built is not None
            ours = chart._built[1]
            chart.fill()
            assert ours == picture_of(copy.deepcopy(chart.plt))

        for size in sizes:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert chart.size.area, f"the loss chart is shown at {size}"
            for theme, no_color, marker in (
                ("textual-dark", False, "braille"),
                ("textual-light", False, "braille"),
                ("textual-light", True, "braille"),
                ("textual-light", True, "*"),
                ("textual-dark", True, WEB_MARKER),
            ):
                app.theme, app.no_color, chart._marker = theme, no_color, marker
                drawn_as_whole()


async def test_the_loss_chart_drawn_over_its_kept_axes_is_plotexts_whole_picture() -> None:
    await check_loss_layers(((80, 24), (120, 40)), 15)


@pytest.mark.slow
async def test_the_loss_chart_layers_at_other_sizes() -> None:
    await check_loss_layers(((120, 40), (80, 24), (200, 50), (100, 30)), 60)


async def test_a_moving_line_is_drawn_without_plotext_building_the_chart_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the neuron's line and the loss curve move, plotext draws them over the charts'
    kept parts: it does not build either chart again, and walks only the moving lines into
    braille (before: both charts built whole, the truth line walked again each time)."""
    import plotext._utility as plotext_utility
    from textual_plotext.plot import Plot

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.controller.driver.trainer.run(300)
        app.refresh_view(charts=True)
        await pilot.pause()
        charts = (app.query_one(FitChart), app.query_one(LossChart))
        before = [chart._built for chart in charts]
        builds: list[object] = []
        grouped: list[int] = []
        build, hd_group = Plot._build_matrix, plotext_utility.hd_group

        def building(plot: Plot) -> None:
            builds.append(plot)
            build(plot)

        def grouping(x: list[int], *rest: Any) -> Any:
            grouped.append(len(x))
            return hd_group(x, *rest)

        monkeypatch.setattr(Plot, "_build_matrix", building)
        monkeypatch.setattr(plotext_utility, "hd_group", grouping)
        app.controller.driver.trainer.run(300)  # the line and the curve move by a few dots
        app.refresh_view(charts=True)
        await pilot.pause()
        after = [chart._built for chart in charts]
        assert all(
            b is not None and a is not None and a[1] != b[1]
            for a, b in zip(after, before, strict=True)
        )
        assert builds == []
        assert len(grouped) == 2, "the neuron's line and the loss curve, nothing else"


def moved(view: View, weight: float, bias: float, race: tuple[float, float] | None) -> View:
    """The view with the neuron at (weight, bias) and a racer at ``race``, on a frame that
    redraws the charts."""

    def at(trainer: TrainerView, line: tuple[float, float]) -> TrainerView:
        return replace(
            trainer,
            weight=replace(trainer.weight, value=line[0]),
            bias=replace(trainer.bias, value=line[1]),
        )

    return replace(
        view,
        trainer=at(view.trainer, (weight, bias)),
        race=None if race is None else at(view.trainer, race),
        redraw_charts=Charts.FIT,
    )


async def walk_in_small_moves(
    markers: Any, *, racing: bool, marking: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int, int]:
    """The neuron (and a racer) moved 150 times by about a dot or less, each move shown as a
    frame shows it (``FitChart.show``); at each, the picture drawn is plotext's picture of
    the whole figure built afresh, and now and then the screen shows it. The moves, the
    replots and the replots whose picture was the one already drawn."""
    app = paused_app(samples=40, noise=6.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.query_one(FitChart)
        chart.markers = markers
        view = app.controller.frame(charts=True)
        if marking:
            view = replace(view, display=replace(view.display, mark_sample=True))
        replots: list[int] = []
        replot = FitChart.replot

        def counted(self: FitChart) -> None:
            replots.append(1)
            replot(self)

        monkeypatch.setattr(FitChart, "replot", counted)
        rng = np.random.default_rng(20)
        line, race = np.array([1.2, 20.0]), np.array([2.4, 40.0])
        chart.show(moved(view, *line, tuple(race) if racing else None))
        assert chart._built is not None
        shown, moves, same = chart._built[1], 150, 0
        for move in range(moves):
            # About a dot or less (a dot: 1/2 cell; at 80×24 ~2.5 °F across, ~5.7 °F down).
            line += rng.normal(0.0, (0.02, 0.8))
            race += rng.normal(0.0, (0.02, 0.8))
            before = len(replots)
            chart.show(moved(view, *line, tuple(race) if racing else None))
            picture = chart._built[1]
            if len(replots) > before and picture == shown:
                same += 1
            shown = picture
            chart.fill()  # the whole figure, built whole by plotext (on a copy)
            assert picture == picture_of(copy.deepcopy(chart.plt)), f"move {move}"
            if move % 25 == 24:
                await pilot.pause()
                region = chart.content_region
                on_screen = [
                    row[region.x : region.right]
                    for row in screen_text(app).splitlines()[region.y : region.bottom]
                ]
                whole = Text.from_ansi(copy.deepcopy(chart.plt).build()).plain.splitlines()
                assert on_screen == [row.ljust(region.width) for row in whole[: region.height]]
        return moves, len(replots), same


@pytest.mark.parametrize("markers", [UNICODE, WEB, ASCII], ids=["unicode", "web", "ascii"])
async def test_the_fit_chart_is_drawn_again_exactly_when_its_picture_changes(
    markers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The neuron's line moved by a dot or less at a time: the chart is put together and
    drawn again only for a move that changes its picture, the picture is plotext's of the
    whole figure after every move, and the screen shows it (before: moves of the line's
    ends by a braille dot, a quarter row, replotted, and half blocks are half a row, the
    web's beads a whole one: about half the replots drew the picture already shown)."""
    moves, replots, same = await walk_in_small_moves(
        markers, racing=False, marking=False, monkeypatch=monkeypatch
    )
    assert same == 0, f"{same} of {replots} replots drew the picture already shown"
    assert 0 < replots < moves  # some moves changed the picture, some did not


@pytest.mark.parametrize("markers", [UNICODE, WEB], ids=["unicode", "web"])
async def test_a_race_and_a_marked_sample_are_drawn_as_they_move(
    markers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a racer and the explained sample's error moving too, every picture is still
    plotext's of the whole figure, and on the screen."""
    moves, replots, _same = await walk_in_small_moves(
        markers, racing=True, marking=True, monkeypatch=monkeypatch
    )
    assert 0 < replots < moves


async def test_moving_lines_on_the_same_dots_are_not_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chart put together again whose moving lines plotext would draw on the same dots
    (here the loss curve, its last loss moved within its dot) keeps the picture drawn:
    plotext does not walk the lines again (before: at every replot). A move onto other
    dots is drawn, as plotext draws the whole figure."""
    import tui.widgets.plot_text as plot_text

    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.query_one(LossChart)
        iterations = np.arange(50.0)
        losses = 1_000.0 * 0.9**iterations
        chart.show(iterations, losses, 100.0)
        chart.replot()
        assert chart._built is not None
        shown = chart._built[1]
        drawn: list[int] = []
        draw = plot_text.draw_signal

        def spy(*args: Any) -> set[int]:
            drawn.append(1)
            return draw(*args)

        monkeypatch.setattr(plot_text, "draw_signal", spy)
        within = losses.copy()
        within[-1] *= 1.0001  # the last loss moved by far less than a dot
        chart.show(iterations, within, 100.0)
        chart.replot()
        assert chart._built[1] == shown
        assert drawn == []
        lower = losses.copy()
        lower[-1] /= 100.0  # two decades lower: other dots
        chart.show(iterations, lower, 100.0)
        chart.replot()
        assert drawn, "the curve's new end is drawn"
        assert chart._built[1] != shown
        chart.fill()
        assert chart._built[1] == picture_of(copy.deepcopy(chart.plt))
