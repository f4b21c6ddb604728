"""Issue 10, observations 1–11: what a new user saw at 80×24, each now a check.

Every test reads the screen as the user does (the status line, the panels, the
Footer), so that it says what was wrong, not how the code used to be arranged.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from rich.cells import cell_len as cells

from core import Trainer
from core.events import UpdateEvent
from core.optimizers import AdamState, MomentumState
from tests.conftest import decade_ticks, paused_app, screen_text, shown
from tests.registry import o_presses
from tests.waiting import until
from tui.app import TrainerApp, make_app
from tui.format import number, rate
from tui.lesson.stages import chapter_number
from tui.model.driver import RunState
from tui.settings import Settings

SIZE = (80, 24)


async def footer(pilot: Any) -> str:
    """The Footer, the last row of the screen, once it has been redrawn."""
    await pilot.pause()
    return screen_text(pilot.app).splitlines()[-1]


def header(app: TrainerApp) -> str:
    """The explanation's title row: the phase and iteration it explains (or what changed)."""
    titles = ("· iteration ", "set-up changed", "before iteration")
    rows = screen_text(app).splitlines()
    return next((row for row in rows[2:] if any(title in row for title in titles)), "")


def panel(app: TrainerApp, name: str) -> str:
    """A parameter panel as the screen shows it, borders included."""
    region = app.query_one(f"#{name}-panel").region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(row[region.x : region.right] for row in rows)


def rows_of(app: TrainerApp, selector: str) -> int:
    return app.query_one(selector).outer_size.height


# 1. The gradient in the panels is the one the last backward pass computed.


async def test_the_panels_show_the_gradient_backward_computed_labelled_with_its_iteration() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        assert "after backward" in shown(app, "#weight-panel"), "no gradient before backward"
        await pilot.press("s")
        assert "after backward" in shown(app, "#weight-panel"), "forward computes no gradient"
        await pilot.press("s")
        backward = app.controller.driver.latest["backward"]
        weight, bias = panel(app, "weight"), panel(app, "bias")
        assert f"gradient {number(backward.grad_weight, 6)}" in weight
        assert f"gradient {number(backward.grad_bias, 6)}" in bias
        assert "at 0's w, b → update 1" in weight and "at 0's w, b → update 1" in bias
        await pilot.press("s")
        # The update moved the weight; the gradient shown is still the one it used,
        # the same number the explanation writes out (−1561.707 there, to 7 figures).
        assert f"gradient {number(backward.grad_weight, 6)}" in panel(app, "weight")
        assert f"({number(backward.grad_weight, 7)})" in shown(app, "#explain")
        await pilot.press("s", "s")
        following = app.controller.driver.latest["backward"]
        assert following.iteration == 2
        assert f"gradient {number(following.grad_weight, 6)}" in panel(app, "weight")
        assert "at 1's w, b → update 2" in panel(app, "weight")


# 2. The explanation belongs to its event and to the mode it was computed in.


async def test_the_explanation_never_mixes_an_old_update_with_a_new_mode() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z", "l", "backspace", *"0.5", "enter", "e", "n")
        assert "update (gd) · iteration 1" in header(app)
        await pilot.press("z", *o_presses("gd", "adam"))
        text = shown(app, "#explain")
        assert "update (gd)" not in text, "the gd update is no longer what the screen is set to"
        assert "set-up changed" in header(app)
        assert "gd → adam" in text and "standardised celsius → raw celsius" in text
        assert "+∞" not in text
        await pilot.press("s", "s", "s")
        assert "update (adam) · iteration 2" in header(app)
        text = shown(app, "#explain")
        assert "+∞" not in text and "stable below" not in text
        assert "(no stable limit)" in shown(app, "#status")
        await pilot.press("r")
        assert "before iteration 1" in header(app), "r: nothing computed yet to explain"
        assert "update" not in shown(app, "#explain")


async def test_a_learning_rate_change_says_what_changed_until_the_next_phase() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "plus")
        assert "Learning rate: 1e-4 → 2e-4." in shown(app, "#explain")
        await pilot.press("s")
        assert "update (gd) · iteration 1" in header(app)
        assert "2e-4 × (" in shown(app, "#explain"), "the update used the new rate"


# 3. Step mode at 80×24 and 80×22: the explanation, a readable chart, the loss, the panels.


@pytest.mark.parametrize(("rows", "chart_rows"), [(24, 14), (22, 12)])
async def test_step_mode_leaves_the_chart_its_rows_and_keeps_the_loss_on_screen(
    rows: int, chart_rows: int
) -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=(80, rows)) as pilot:
        await pilot.press("s", "s", "s")
        assert rows_of(app, "#fit-chart") >= chart_rows >= 12
        explain = app.query_one("#explain").region
        rows = screen_text(app).splitlines()[explain.y : explain.bottom]
        assert 1 < len(rows) <= 8 and all(row.strip() for row in rows), "its lines, no blank"
        screen = screen_text(app)
        assert "update (gd) · iteration 1" in screen
        assert f"{number(app.controller.driver.trainer.loss, 7)}  least < 2.7e-9" in screen, (
            "the loss"
        )
        for name in ("weight", "bias"):
            assert f"{name} ─" in screen and "gradient" in shown(app, f"#{name}-panel")
        chart = app.query_one("#fit-chart").render()
        assert "truth" not in str(chart), "the legend is on the border, not over the data"
        lines = screen.splitlines()
        assert any("truth" in line and "╰" in line for line in lines), "legend on the border"
        assert re.search(r"100┤|50┤", screen) and "°C" in screen, "both axes are labelled"


# 4. Help (and every dialog) pauses training; the Footer names what space does now.


async def test_help_pauses_a_running_trainer_and_resumes_it_only_if_it_was_running() -> None:
    app = make_app(Settings(fps=1))
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller.driver.state is RunState.RUNNING
        await pilot.press("question_mark")
        assert app.controller.driver.state is RunState.PAUSED
        stopped_at = app.controller.driver.trainer.iteration
        await pilot.pause(0.3)
        app._tick()
        assert app.controller.driver.trainer.iteration == stopped_at, (
            "nothing trains behind the help"
        )
        await pilot.press("escape")
        assert app.controller.driver.state is RunState.RUNNING, "it was running: it runs on"
        await pilot.press("space", "question_mark", "escape")
        assert app.controller.driver.state is RunState.PAUSED, "it was paused: it stays paused"
        await pilot.press("space", "l")
        assert app.controller.driver.state is RunState.PAUSED, (
            "the learning-rate dialog holds it too"
        )
        await pilot.press("escape")
        assert app.controller.driver.state is RunState.RUNNING


async def test_the_footer_names_what_space_does_in_every_state() -> None:
    app = paused_app(iterations=3, fps=1, learning_rate=1e-4)
    async with app.run_test(size=SIZE) as pilot:
        assert "space Run" in await footer(pilot)
        await pilot.press("space")
        assert "space Pause" in await footer(pilot)
        app._tick()  # 3 iterations: the target
        app.controller.driver.trainer.run(0)
        while app.controller.driver.state is RunState.RUNNING:
            app._tick()
        await pilot.pause()
        assert app.controller.driver.state is RunState.DONE
        assert "space Continue" in await footer(pilot) and "Pause" not in await footer(pilot)
        await pilot.press("space")
        assert app.controller.driver.state is RunState.RUNNING and "space Pause" in await footer(
            pilot
        )


# Each context with a key only its Footer offers: the row read is that context's.
FOOTER_CONTEXTS: list[tuple[dict[str, Any], list[str], str]] = [
    ({}, [], "space Run"),  # paused
    ({"step_mode": True}, ["s"], "e Explain"),  # stepping
    ({"iterations": 1}, ["n"], "space Continue"),  # at the target
    ({"learning_rate": 5e-3}, ["n"] * 4, "r Reset"),  # diverged
    ({"paused": False}, [], "space Pause"),  # running
    ({"lesson": 1}, [], "pgdn"),  # a lesson, paused
    # a lesson, running
    ({"lesson": chapter_number("training"), "paused": False}, [], "space Pause"),
    # a lesson's run diverged: - joins the chapter keys
    ({"lesson": chapter_number("too-large")}, ["f"], "lr÷2"),
]


@pytest.mark.parametrize(
    ("options", "keys", "context_key"),
    FOOTER_CONTEXTS,
    ids=[
        "paused",
        "stepping",
        "at-target",
        "diverged",
        "running",
        "lesson",
        "lesson-running",
        "lesson-diverged",
    ],
)
async def test_the_footer_fits_80_columns_in_every_context(
    options: dict[str, Any], keys: list[str], context_key: str
) -> None:
    app = make_app(Settings(**{"paused": True, **options}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await until(
            pilot,
            lambda: context_key in screen_text(app).splitlines()[-1],
            f"{context_key} for {options}",
        )
        row = screen_text(app).splitlines()[-1]
        assert "q Quit" in row and "? Help" in row and "^p palette" in row, (options, row)
        diverged = app.controller.driver.state is RunState.DIVERGED
        # Diverged, running cannot help: space is not offered (-, then r, is).
        assert ("space" in row) is not diverged, (options, row)
        assert cells(row.rstrip()) <= SIZE[0], (options, row)


async def test_closing_the_lesson_takes_its_keys_out_of_the_footer() -> None:
    app = make_app(Settings(paused=True, lesson=1))
    async with app.run_test(size=SIZE) as pilot:
        assert "pgdn" in await footer(pilot)
        app.action_toggle_lesson()
        await pilot.pause()
        assert app.controller.lesson is None
        assert "pgdn" not in await footer(pilot) and "chapter" not in await footer(pilot)
        app.action_toggle_lesson()
        await pilot.pause()
        assert "pgdn" in await footer(pilot)


# 5. Recovering from a too-small window restores the state and the Footer.


async def test_a_window_too_small_holds_training_and_enlarging_it_resumes_it() -> None:
    app = make_app(Settings(fps=1))
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller.driver.state is RunState.RUNNING
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.controller.driver.state is RunState.PAUSED
        assert "needs a terminal of at least 80×22" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.controller.driver.state is RunState.RUNNING
        assert "space Pause" in await footer(pilot) and "f Fast" in await footer(pilot)


# 6. The pace stays within 1/64× and 64×, and the status always shows it.


async def test_the_pace_has_bounds_and_the_status_shows_it_at_80_columns() -> None:
    app = make_app(Settings(fps=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["less_than_sign"] * 12)
        assert app.controller.driver.pace.factor == 1 / 64
        status = shown(app, "#status")
        assert "1/64" in status
        assert not re.search(r"(?<![\d.])0 it/s", status), status
        notice = list(app._notifications)[-1].message
        assert "slowest" in notice and "about 0 iterations" not in notice
        await pilot.press(*["greater_than_sign"] * 20)
        assert app.controller.driver.pace.factor == 64
        assert "×64" in shown(app, "#status")


# 7. The status and the explanation count the iteration the same way.


async def test_status_and_explanation_show_the_same_iteration_mid_iteration() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        for phase in ("forward", "backward", "update"):
            await pilot.press("s")
            assert "iter 1/10,000" in shown(app, "#status"), phase
            assert f"{phase}" in header(app) and "iteration 1" in header(app)
        await pilot.press("s")
        assert "iter 2/10,000" in shown(app, "#status") and "forward · iteration 2" in header(app)


# 8. Lines told apart without colour, in a palette for colour-vision deficiencies; warnings
#    that can be read.


@pytest.mark.parametrize("ascii_marks", [False, True])
async def test_each_fit_line_has_its_own_mark_in_the_legend(ascii_marks: bool) -> None:
    app = paused_app(ascii=ascii_marks)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # the neuron moves off its untrained line
        screen = screen_text(app)
        marks = [re.search(rf"(\S+) {name}\b", screen) for name in ("truth", "untrained", "now")]
        assert all(marks), screen
        legend = [match.group(1) for match in marks if match]
        assert len(set(legend)) == 3, legend
        chart = str(app.query_one("#fit-chart").render())
        for mark in legend:
            assert mark[0] in chart, f"the line drawn with {mark!r} is on the chart"


def test_the_fit_colours_are_okabe_itos_and_none_is_red_or_green() -> None:
    from tui.widgets import fit_chart

    okabe_ito = {
        (230, 159, 0),
        (86, 180, 233),
        (0, 158, 115),
        (240, 228, 66),
        (0, 114, 178),
        (213, 94, 0),
        (204, 121, 167),
    }
    colours = [
        fit_chart.TRUTH_COLOR,
        fit_chart.UNTRAINED_COLOR,
        fit_chart.CURRENT_COLOR,
        fit_chart.SAMPLE_COLOR,
    ]
    assert set(colours) <= okabe_ito and len(set(colours)) == 4
    assert (0, 158, 115) not in colours, "no green beside a red (vermillion) mark"


def _luminance(colour: Any) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(foreground: Any, background: Any) -> float:
    """WCAG 2 contrast ratio of two colours."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_a_learning_rate_above_its_limit_is_legible_in_the_default_theme() -> None:
    from textual.color import Color

    app = paused_app(learning_rate=5e-3)
    async with app.run_test(size=SIZE):
        assert app.theme == "textual-dark"
        status_row = app.screen._compositor.render_strips()[0]
        (warning,) = [segment for segment in status_row if "5e-3" in segment.text]
        assert warning.style is not None and warning.style.color is not None
        foreground = Color.from_rich_color(warning.style.color)
        background = Color.from_rich_color(warning.style.bgcolor)
        normal = Color.parse(app.get_css_variables()["foreground"])
        assert foreground != normal, "the rate above its limit stands out"
        assert contrast(foreground, background) >= 4.5


# 9. Log ticks at whole decades, evenly spaced, at every height.


@pytest.mark.parametrize("iterations", [420, 10_000])
@pytest.mark.parametrize("rows", [22, 24, 27, 30, 33, 40, 50])
async def test_the_loss_axis_labels_whole_decades_on_evenly_spaced_rows(
    rows: int, iterations: int
) -> None:
    app = paused_app()
    async with app.run_test(size=(80, rows)) as pilot:
        app.controller.driver.trainer.run(iterations - 1)
        await pilot.press("n")
        chart = app.query_one("#loss-chart")
        labelled = decade_ticks(str(chart.render()))
        powers = [int(label[2:]) for _row, label in labelled]
        assert len({a - b for a, b in itertools.pairwise(powers)}) == 1, labelled


# 10. Momentum and Adam explain themselves by name, with their numbers, in 80 columns.


async def test_the_momentum_update_names_its_velocity_with_the_numbers() -> None:
    reference = Trainer(seed=0, optimizer="momentum")
    events = list(itertools.islice(reference.steps(), 6))
    update = events[-1]
    assert isinstance(update, UpdateEvent) and isinstance(update.state, MomentumState)
    state = update.state
    app = paused_app(step_mode=True, optimizer="momentum")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        text = shown(app, "#explain")
        assert "v ← β × v_prev + gradient" in text
        assert (
            f"v_weight = 0.9 × ({number(state.previous_velocity_weight, 7)}) + "
            f"({number(update.grad_weight, 7)}) = {number(state.velocity_weight, 7)}"
        ) in text
        assert f"{rate(update.learning_rate)} × ({number(state.velocity_weight, 7)})" in text


async def test_the_adam_update_names_m_v_and_their_corrections_and_fits_80_columns() -> None:
    update = list(itertools.islice(Trainer(seed=0, optimizer="adam").steps(), 3))[-1]
    assert isinstance(update, UpdateEvent) and isinstance(update.state, AdamState)
    app = paused_app(step_mode=True, optimizer="adam", learning_rate=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        lines = shown(app, "#explain").splitlines()
        text = "\n".join(lines)
        for name in ("m ", "v ", "m̂ ", "v̂ "):
            assert f"weight {name}" in text.replace("  ", " ") or f" {name}" in text
        assert f"m̂ {number(update.state.m_hat_weight, 7)}" in text
        assert f"v̂ {number(update.state.v_hat_bias, 7)}" in text
        assert "both up" in text, "the direction line is on screen too"
        assert all(cells(line.rstrip()) <= 80 for line in lines)


# 11. The landscape's legend describes the marks it draws.


@pytest.mark.parametrize("ascii_marks", [True, False])
async def test_the_landscape_legend_says_what_its_marks_mean_without_colour(
    ascii_marks: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = paused_app(ascii=ascii_marks)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        legend = screen_text(app).splitlines()[-2]
        assert "brighter" not in legend
        marks = ".:+#@" if ascii_marks else "·░▒▓█"
        assert f"{marks}high→low" in legend.replace(" ", ""), legend
        assert "optimum" in legend and "…" not in legend


async def test_the_landscape_legend_in_colour_says_brighter_is_lower() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        assert "brighter is lower" in screen_text(app).splitlines()[-2]
