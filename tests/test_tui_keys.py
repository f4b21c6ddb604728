"""Every key of the trainer, driven through Textual's Pilot at 80×24."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from core import Trainer
from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui.format import number
from tui.keys import KEYS
from tui.model.driver import RunState
from tui.screens.help import HelpScreen
from tui.screens.rate_dialog import RateDialog

SIZE = (80, 24)


async def test_the_first_screen_shows_every_panel_with_the_untrained_numbers() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE):
        untrained = Trainer(seed=0)
        assert "PAUSED" in shown(app, "#status")
        assert "iter 0/10,000" in shown(app, "#status")
        assert "lr 1e-4 (stable < 1.2e-3)" in shown(app, "#status")
        assert "seed 0" in shown(app, "#status")
        weight = shown(app, "#weight-panel")
        assert f"now     {number(untrained.weight, 7)} → 1.8\n" in weight
        bias = shown(app, "#bias-panel")
        assert f"now     {number(untrained.bias, 7)} → 32\n" in bias
        assert number(untrained.loss, 6) in shown(app, "#loss-value")
        screen = screen_text(app)
        for legend in ("truth", "untrained", "now"):
            assert legend in screen
        assert "°F = w × °C + b" in screen and "°C" in screen.splitlines()[-3]


async def test_space_toggles_between_running_and_paused() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert app.controller.driver.state is RunState.RUNNING
        assert "RUNNING" in shown(app, "#status")
        await pilot.press("space")
        assert app.controller.driver.state is RunState.PAUSED
        stopped_at = app.controller.driver.trainer.iteration
        await pilot.pause(0.3)
        assert app.controller.driver.trainer.iteration == stopped_at
        assert "PAUSED" in shown(app, "#status")


async def test_s_advances_exactly_one_phase_and_the_panels_follow() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.controller.driver.trainer
        await pilot.press("s")
        assert (trainer.next_phase, trainer.iteration) == ("backward", 0)
        await pilot.press("s")
        assert (trainer.next_phase, trainer.iteration) == ("update", 0)
        await pilot.press("s")
        assert (trainer.next_phase, trainer.iteration) == ("forward", 1)
        assert "iter 1/10,000" in shown(app, "#status")
        assert number(trainer.weight, 7) in shown(app, "#weight-panel")
        assert number(trainer.bias, 7) in shown(app, "#bias-panel")


async def test_s_pauses_a_running_trainer_first() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "s")
        assert app.controller.driver.state is RunState.PAUSED
        assert app.controller.driver.last_event is not None
        phase_after_step = app.controller.driver.trainer.next_phase
        await pilot.pause(0.3)
        assert app.controller.driver.trainer.next_phase == phase_after_step


async def test_n_advances_exactly_one_iteration_or_finishes_the_one_in_progress() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.controller.driver.trainer
        await pilot.press("n")
        assert (trainer.iteration, trainer.next_phase) == (1, "forward")
        await pilot.press("n", "n")
        assert trainer.iteration == 3
        await pilot.press("s", "n")
        assert (trainer.iteration, trainer.next_phase) == (4, "forward")
        reference = Trainer(seed=0)
        reference.run(4)
        assert trainer.weight == pytest.approx(reference.weight, rel=1e-12)
        assert "iter 4/10,000" in shown(app, "#status")


async def test_plus_and_equals_double_the_learning_rate_and_minus_halves_it() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert app.controller.driver.trainer.learning_rate == 2e-4
        assert "lr 2e-4" in shown(app, "#status")
        await pilot.press("equals_sign")
        assert app.controller.driver.trainer.learning_rate == 4e-4
        await pilot.press("minus", "minus", "minus")
        assert app.controller.driver.trainer.learning_rate == 5e-5
        assert "lr 5e-5" in shown(app, "#status")


async def test_l_applies_a_typed_learning_rate() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert isinstance(app.screen, RateDialog)
        await pilot.press(*"3e-4", "enter")  # the current value is selected: typing replaces it
        assert not isinstance(app.screen, RateDialog)
        assert app.controller.driver.trainer.learning_rate == 3e-4
        assert "lr 3e-4" in shown(app, "#status")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0", "must be a finite number > 0, not '0'"),
        ("-1e-3", "must be a finite number > 0, not '-1e-3'"),
        ("nan", "must be a finite number > 0, not 'nan'"),
        ("1e999", "must be a finite number > 0, not '1e999'"),
        ("fast", "must be a finite number > 0, not 'fast'"),
        ("", "must be a finite number > 0, not ''"),
        ("\u0661\u0662", "must be a finite number > 0, not '\u0661\u0662'"),  # ASCII only
        ("1_0", "Refused: '1_0' has _ in it; type 10 if you mean that."),  # float() read 10
    ],
)
async def test_l_refuses_a_bad_learning_rate_and_changes_nothing(typed: str, reason: str) -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        dialog = app.screen
        await pilot.press("backspace", *typed, "enter")
        assert app.screen is dialog, "the dialog stays open for a correction"
        assert reason in shown(app, "#rate-error")
        assert app.controller.driver.trainer.learning_rate == 1e-4
        await pilot.press("escape")
        assert not isinstance(app.screen, RateDialog)
        assert app.controller.driver.trainer.learning_rate == 1e-4
        assert "lr 1e-4" in shown(app, "#status")


async def test_r_restores_iteration_zero_and_the_initial_parameters() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "n", "n", "n", "s")
        await pilot.press("r")
        trainer = app.controller.driver.trainer
        untrained = Trainer(seed=0)
        assert trainer.iteration == 0 and trainer.next_phase == "forward"
        assert (trainer.weight, trainer.bias) == (untrained.weight, untrained.bias)
        assert trainer.learning_rate == 2e-4, "reset keeps the learning rate"
        assert "iter 0/10,000" in shown(app, "#status")
        assert number(untrained.weight, 7) in shown(app, "#weight-panel")


async def test_pace_keys_double_and_halve_the_speed_shown_in_the_status_line() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("greater_than_sign")
        assert app.controller.driver.pace.factor == 2 and "auto ×2" in shown(app, "#status")
        await pilot.press("less_than_sign", "less_than_sign")
        assert app.controller.driver.pace.factor == 0.5 and "auto ×1/2" in shown(app, "#status")


async def test_q_quits_with_status_zero() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_question_mark_opens_help_listing_every_key() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        text = screen_text(app)
        for key in ("space", "Double the learning rate", "Type an exact learning rate", "Quit"):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_help_wraps_each_key_under_its_own_column_once_its_scrollbar_shows(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Help's tables are broken for the width they get; at 120×40 the text first fits
    without a scrollbar, is broken for 92 cells, then needs one and has 90: it used to stay
    broken for 92, so Textual wrapped it again and words such as "momentum," fell to the
    left of the column, under the keys."""
    monkeypatch.setattr(HelpScreen, "_widths", {})  # the first help at this size
    keys = {key.display for key in KEYS} | {"ctrl+p"}
    app = paused_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        table = app.screen.query_one("#help-keys")
        await until(pilot, lambda: table.content_size.width > 0, "help laid out")
        await pilot.pause()
        await pilot.pause()
        width, height = table.content_size
        rows = [
            "".join(s.text for s in strip)
            for strip in table.render_lines(Region(0, 0, width, height))
        ]
        starts = {row.split()[0] for row in rows if row.strip() and not row.startswith(" ")}
        assert starts <= keys, f"not keys, at the left of help's table: {starts - keys}"


async def test_every_action_is_in_the_command_palette() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE):
        titles = " ".join(command.title for command in app.get_system_commands(app.screen))
        for label in (
            "Run",
            "Step",
            "Iter",
            "lr×2",
            "lr÷2",
            "Set lr",
            "Reset",
            "Faster",
            "Slower",
            "Help",
            "Quit",
            "Theme",
        ):
            assert label in titles


async def test_divergence_shows_diverged_and_leaves_the_app_usable() -> None:
    app = paused_app(learning_rate=5e-3)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await pilot.press("n")
        trainer = app.controller.driver.trainer
        assert trainer.diverged and app.controller.driver.state is RunState.DIVERGED
        assert f"DIVERGED at {trainer.diverged_at}" in shown(app, "#status")
        banner = shown(app, "#banner")
        assert "learning rate 5e-3 is above the stable limit 1.2e-3" in banner
        assert "Press - 3 times to halve it below the limit, then r." in banner
        assert app.query_one("#banner").display
        footer = screen_text(app).splitlines()[-1]
        assert "Run" not in footer, "running cannot help a diverged trainer"
        assert "- lr÷2" in footer and "r Reset" in footer, footer
        await pilot.press("space")
        assert trainer.diverged, "space cannot run a diverged trainer"
        said = list(app._notifications)[-1].message
        assert said.startswith("Training has diverged: lower the learning rate with -"), said
        # Keys act one at a time (tui.key_order): wait for each one's effect, not a turn.
        await pilot.press("minus", "minus")
        banner_says = "Press - once"  # 1.25e-3 is still above the limit
        await until(pilot, lambda: banner_says in shown(app, "#banner"), banner_says)
        await pilot.press("minus")
        await until(pilot, lambda: trainer.learning_rate == 6.25e-4, "lr 6.25e-4")
        stable = "Now 6.25e-4 is stable: press r to start again."
        await until(pilot, lambda: stable in shown(app, "#banner"), stable)
        await pilot.press("r")
        await until(pilot, lambda: not trainer.diverged and trainer.iteration == 0, "r")
        await until(pilot, lambda: not app.query_one("#banner").display, "no banner")
        await pilot.press("space")
        await until(pilot, lambda: trainer.iteration > 0, "training again after r")
        await pilot.press("space")
        await until(pilot, lambda: app.controller.driver.state is RunState.PAUSED, "paused")
        assert not trainer.diverged, "6.25e-4 is below the stable limit"


async def test_the_status_says_which_phase_a_paused_iteration_stopped_after() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert "PAUSED after forward" in shown(app, "#status")
        await pilot.press("s")
        assert "PAUSED after backward" in shown(app, "#status")
        await pilot.press("s")
        status = shown(app, "#status")
        assert "PAUSED  iter 1/10,000" in status and "after" not in status


async def test_running_past_the_target_says_so() -> None:
    app = paused_app(iterations=5)
    async with app.run_test(size=SIZE) as pilot:
        app.controller.driver.trainer.run(4)
        await pilot.press("n")
        await until(pilot, lambda: app.controller.driver.at_target, "the target reached")
        await pilot.press("space")  # at the target, space continues past it
        await until(
            pilot, lambda: app.controller.driver.state is RunState.RUNNING, "running past it"
        )
        await pilot.press("space")
        await until(pilot, lambda: app.controller.driver.state is RunState.PAUSED, "paused past it")
        app.controller.driver.trainer.run(10)
        await pilot.press("n")

        def past() -> bool:
            iteration = app.controller.driver.trainer.iteration
            return iteration >= 16 and f"iter {iteration} (past 5)" in shown(app, "#status")

        await until(pilot, past, "the status saying the iteration is past the target")
