"""What teachers asked for (issue 12): themes, the lecture pace, a log iteration axis, marks
where settings changed, the settings in exports, typing the sample, the squared errors in
forward, the published gradient flagged, and each optimizer's own default rate."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from core import OPTIMIZERS, Trainer, export_run
from tests.conftest import paused_app, refused_line, screen_text, shown
from tests.loops import Plain
from tui.app import make_app
from tui.cli.main import main
from tui.cli.options import parse_settings
from tui.format import rate
from tui.lesson.stages import STAGES
from tui.model.pace import GROWTH, OFFSET, Pace
from tui.settings import Settings
from tui.widgets.loss_chart import LossChart

SIZE = (80, 24)
CLEAR = ("end", *["backspace"] * 12)
"""Keys that empty a dialog's input field."""
CELSIUS = list(range(-50, 50))
FAHRENHEIT = [c * 9 / 5 + 32 for c in CELSIUS]


# -- --theme ------------------------------------------------------------------------


def test_an_unknown_theme_is_refused_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused_line(["--theme", "neon"], capsys)
    assert "unknown theme 'neon'" in line and "high-contrast" in line and "nord" in line


@pytest.mark.parametrize("theme", ["high-contrast", "nord"])
async def test_a_theme_by_name_is_the_apps(theme: str) -> None:
    app = make_app(parse_settings(["--paused", "--theme", theme]))
    async with app.run_test(size=SIZE):
        assert app.theme == theme
        assert app.current_theme.name == theme


# -- the lecture pace ------------------------------------------------------------------


def test_the_lecture_pace_takes_the_first_20_iterations_at_2_per_second() -> None:
    pace = Pace(lecture=True)
    assert pace.advance(0, 5.0) == 10.0 and pace.rate(5) == 2.0
    assert pace.advance(0, 10.0) == 20.0
    # then the usual curve, from iteration 20
    assert math.isclose(pace.advance(0, 11.0), (20 + OFFSET) * math.exp(GROWTH) - OFFSET)
    assert pace.advance(100, 1.0) == Pace().advance(100, 1.0)
    assert pace.describe() == "lecture"


def test_lesson_mode_starts_at_the_lecture_pace_unless_told_otherwise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parse_settings(["--lesson"]).lecture_pace
    assert not parse_settings(["--lesson", "--pace", "auto"]).lecture_pace
    assert parse_settings(["--pace", "lecture"]).lecture_pace
    assert not parse_settings([]).lecture_pace
    line = refused_line(["--pace", "lecture", "--speed", "5"], capsys)
    assert "--pace: not allowed with argument --speed" in line
    assert f"chapter from 1 to {len(STAGES)}" in refused_line(["--lesson", "99"], capsys), (
        "--lesson takes every chapter there is"
    )
    assert "not allowed with argument --headless" in refused_line(
        ["--headless", "--lesson"], capsys
    )


# -- the loss chart: t, and marks where a setting changed ------------------------------


async def test_t_puts_the_iterations_on_a_log_axis() -> None:
    app = paused_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.controller.driver.trainer.run(9_999)
        await pilot.press("n")
        region = app.query_one("#loss-panel").region
        rows = screen_text(app).splitlines()[region.y : region.bottom]
        axis = rows[-2][region.x : region.right]
        assert "5,000" in axis and "log scale" not in rows[-1]
        await pilot.press("t")
        rows = screen_text(app).splitlines()[region.y : region.bottom]
        axis = rows[-2][region.x : region.right]
        assert axis.strip("│ ").split() == ["0", "100", "10k"], axis
        assert "iterations: log scale" in rows[-1]
        await pilot.press("t")
        assert "log scale" not in screen_text(app).splitlines()[region.bottom - 1]


async def test_the_loss_chart_marks_where_the_rate_or_optimizer_changed() -> None:
    app = paused_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.controller.driver.trainer.run(2_999)
        await pilot.press("n")
        chart = app.query_one(LossChart)
        before = str(chart.render()).count("│")
        await pilot.press("o")  # the next optimizer from iteration 3,000
        app.controller.driver.trainer.run(2_999)
        await pilot.press("n")
        assert app.main_screen.view is not None and app.main_screen.view.trainer.changes == (3_000,)
        assert str(chart.render()).count("│") >= before + 10, "a vertical line at 3,000"


def test_an_export_says_which_rate_and_optimizer_made_each_row(tmp_path: Path) -> None:
    trainer = Trainer(seed=0)
    trainer.run(100)
    trainer.learning_rate = 2e-4
    trainer.optimizer = "momentum"
    trainer.run(100)
    with export_run(tmp_path / "run.csv", trainer).open(newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header[-2:] == ["learning_rate", "optimizer"]
    made_by = {int(row[0]): (float(row[-2]), row[-1]) for row in rows}
    assert made_by[1] == made_by[100] == (1e-4, "gd"), "iteration 100's update was the first's"
    assert made_by[101] == made_by[200] == (2e-4, "momentum")
    document = json.loads(export_run(tmp_path / "run.json", trainer).read_text())
    assert document["rows"][-1][-2:] == [2e-4, "momentum"]


# -- the explained sample and the forward table -------------------------------------


async def test_hash_asks_for_the_sample_and_refuses_what_is_not_a_temperature() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("number_sign")
        await pilot.press(*CLEAR, *"warm", "enter")
        assert "Refused: type a temperature such as 42 or -7.5, not 'warm'" in shown(
            app, "#sample-error"
        )
        await pilot.press(*CLEAR, *"1e400", "enter")
        assert "Refused" in shown(app, "#sample-error")
        await pilot.press("escape")
        assert app.main_screen.view is not None and app.main_screen.view.sample.celsius == 42, (
            "escape changes nothing"
        )
        await pilot.press("number_sign", *CLEAR, *"-7.4", "enter")
        assert app.main_screen.view.sample.celsius == -7, "the nearest sample"
        assert "sample -7 °C" in shown(app, "#explain")


async def test_forward_tabulates_the_squared_errors_of_the_sample_and_its_neighbours() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        text = shown(app, "#explain")
        start = Trainer(seed=0)
        squared = [(c * start.weight + start.bias - (c * 9 / 5 + 32)) ** 2 for c in range(40, 45)]
        heads = next(line for line in text.splitlines() if line.startswith("sample "))
        cells = next(line for line in text.splitlines() if line.startswith("(output − f)²"))
        assert heads.split()[1::2] == ["40", "41", "42", "43", "44"]
        assert [float(cell) for cell in cells.split()[3:]] == pytest.approx(squared, rel=1e-3)
        assert "(output − f)²" in screen_text(app), "it fits at 80×24"


# -- the published gradient -----------------------------------------------------------


async def test_the_explanation_shows_the_published_rule_and_the_check_flags_it() -> None:
    app = paused_app(step_mode=True, gradient="published")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s")
        text = shown(app, "#explain")
        assert "grad_weight = Σ grad_output × output" in text
        assert "× celsius" not in text
        assert "✗ gradient check fails: ∂loss/∂weight is -1561.707" in text
        assert "✗ gradient check fails" in screen_text(app), "on screen at 80×24"
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s")
        text = shown(app, "#explain")
        assert "Σ grad_output × celsius" in text
        assert "✓ gradient check: central differences of the loss give -1561.707" in text


def test_headless_published_gives_the_issues_numbers_against_a_plain_loop(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--headless", "--json", "--gradient", "published"]) == 0
    result = json.loads(capsys.readouterr().out)
    start = Trainer(seed=0)
    loop = Plain.of(CELSIUS, FAHRENHEIT, start.weight, start.bias, published=True)
    loop.run(1e-4, 10_000)
    assert result["gradient"] == "published"
    assert np.allclose(
        [result["weight"], result["bias"], result["loss"]],
        [loop.weight, loop.bias, loop.loss()],
        rtol=1e-9,
        atol=0,
    )
    assert (round(result["weight"], 5), round(result["bias"], 4)) == (1.87269, 27.8193)
    assert round(result["loss"], 3) == 22.187


# -- each optimizer's own default rate -----------------------------------------------


def test_adam_without_lr_trains_at_its_own_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--headless", "--json", "--optimizer", "adam"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["learning_rate"] == 0.1
    assert result["loss"] < 1e-6, "not 924, as at gradient descent's 1e-4"


async def test_o_takes_each_optimizers_default_unless_the_rate_was_set_by_hand() -> None:
    cycle = [*list(OPTIMIZERS.items())[1:], next(iter(OPTIMIZERS.items()))]
    assert any(rule.default_learning_rate != 1e-4 for _name, rule in cycle), "a rate changes"
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        for name, rule in cycle:  # o's order is the registry's, back to gradient descent
            await pilot.press("o")
            trainer = app.controller.driver.trainer
            assert (trainer.optimizer, trainer.learning_rate) == (name, rule.default_learning_rate)
            default = f"lr {rate(rule.default_learning_rate)}, its default"
            assert default in list(app._notifications)[-1].message
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        for _name, _rule in cycle:
            await pilot.press("minus", "o")  # a rate halved by hand stays
            halved = app.controller.driver.trainer.learning_rate
            assert (
                f"lr stays {rate(halved)}, the rate you set" in list(app._notifications)[-1].message
            )
        assert halved == 1e-4 / 2 ** len(cycle)
    app = make_app(Settings(paused=True, learning_rate=2e-4))
    async with app.run_test(size=SIZE) as pilot:
        for _name, _rule in cycle:
            await pilot.press("o")
            assert app.controller.driver.trainer.learning_rate == 2e-4, "--lr always wins"


async def test_a_dot_typed_in_a_dialog_is_a_dot_not_the_next_chapter() -> None:
    app = make_app(Settings(lesson=3))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *CLEAR, *"0.5", "enter")
        assert app.controller.driver.trainer.learning_rate == 0.5
        assert app.controller.lesson is not None and app.controller.lesson.chapter == 3
