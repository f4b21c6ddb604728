"""Issue 11 on screen: instability seen at once, predictions, and going back (b, g, f).

Every number the screen predicts is checked against ``core`` asked directly (its
own closed form, itself tested against stepping loops in tests/test_core_*), and
every screen reached by going back against the screen reached by training there.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from core import Trainer
from tests.conftest import paused_app, screen_text, shown
from tests.registry import OPTIMIZER_NAMES
from tui.app import TrainerApp
from tui.format import count
from tui.model.driver import RunState

SIZE = (80, 24)
MAX_FRAMES = 1_000
ANY = sys.float_info.max
"""A tolerance no distance exceeds: asks core about one parameter alone."""


def drive_until_settled(app: TrainerApp) -> None:
    """Frames until a fast-forward has arrived (called directly: no waiting on timers)."""
    for _frame in range(MAX_FRAMES):
        app._tick()
        if not app.controller.driver.fast_forwarding:
            return
    raise AssertionError("still fast-forwarding")


def notices(app: TrainerApp) -> str:
    return " ".join(str(note.message) for note in app._notifications)


def panels(app: TrainerApp) -> dict[str, str]:
    """What the user reads off the screen's text parts."""
    parts = {
        name: shown(app, selector)
        for name, selector in (
            ("status", "#status"),
            ("weight", "#weight-panel"),
            ("bias", "#bias-panel"),
            ("loss", "#loss-value"),
        )
    }
    # The strip is composed when it first has something to say: until then it says nothing.
    parts["forecast"] = shown(app, "#forecast") if app.screen.query("#forecast") else ""
    if app.controller.display.explaining:
        parts["explain"] = shown(app, "#explain")
    return parts


async def settled_screen(app: TrainerApp, pilot: Any) -> tuple[dict[str, str], str]:
    """The panels and the whole screen, with notifications cleared (they float over it)."""
    app.clear_notifications()
    app.refresh_view(charts=True)
    await pilot.pause()
    return panels(app), screen_text(app)


# -- instability, seen before any iteration runs ------------------------------------------


async def test_a_rate_just_above_the_limit_is_unstable_from_the_first_frame() -> None:
    app = paused_app(learning_rate=1.2e-3)
    async with app.run_test(size=SIZE):
        assert app.controller.driver.trainer.iteration == 0
        status = shown(app, "#status")
        assert "UNSTABLE" in status
        assert "lr 1.2e-3 > 1.19976e-3" in status or "lr 1.2e-3 > limit 1.19976e-3" in status
        expected = Trainer(seed=0, learning_rate=1.2e-3).divergence_expected_at
        assert expected == 18_872
        forecast = shown(app, "#forecast")
        assert "UNSTABLE: lr 1.2e-3 > limit 1.19976e-3" in forecast
        assert "the error grows ×1.0004 per iteration" in forecast
        assert f"diverges at iteration {count(expected)}" in forecast
        assert "Press - once" in forecast
        assert app.query_one("#forecast").region.height == 2, "two rows at 80 columns"
    # The panels say it where they have the rows for it; on a short screen they leave their
    # line of iterations to go to the strip (app.tcss). (Read at 80×24 it was in the panel
    # only until the first layout gave the screen its classes.)
    app = paused_app(learning_rate=1.2e-3)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "never at this rate" in shown(app, "#bias-panel")


async def test_the_rate_and_its_limit_keep_apart_in_the_dialog_and_the_banner() -> None:
    app = paused_app(learning_rate=1.2e-3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert "now 1.2e-3; stable below 1.19976e-3" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("g", *"20000", "enter")
        trainer = app.controller.driver.trainer
        assert trainer.diverged_at == 18_872, "g forward stops where divergence is declared"
        assert app.controller.driver.state is RunState.DIVERGED
        banner = shown(app, "#banner")
        assert "learning rate 1.2e-3 is above the stable limit 1.19976e-3" in banner
        assert not app.query_one("#forecast").display, "the banner explains a divergence"
        await pilot.press("b")
        assert trainer.iteration == 18_871 and not trainer.diverged, "b recovers from it"
        assert "UNSTABLE" in shown(app, "#status")


async def test_a_direction_without_progress_says_so() -> None:
    app = paused_app(learning_rate=1e-17)
    async with app.run_test(size=SIZE) as pilot:
        directions = Trainer(seed=0, learning_rate=1e-17).directions
        assert directions is not None and directions[0].stalled and not directions[1].stalled
        assert "NO PROGRESS" in shown(app, "#status")
        forecast = shown(app, "#forecast")
        assert "NO PROGRESS along the valley" in forecast and "never reached" in forecast
        await pilot.press("l", "backspace", *"1e-30", "enter")
        assert "NO PROGRESS in any direction" in shown(app, "#forecast")
        await pilot.press("l", *"1e-4", "enter")
        assert "NO PROGRESS" not in shown(app, "#status")
        assert not app.query_one("#forecast").display


# -- predictions ----------------------------------------------------------------------------


async def test_the_end_of_the_run_says_how_far_each_parameter_is_and_when_it_arrives() -> None:
    app = paused_app(fps=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        drive_until_settled(app)
        await pilot.pause()
        assert app.controller.driver.state is RunState.DONE
        reference = Trainer(seed=0)
        reference.run(10_000)
        weight_at = reference.iterations_to(1e-3, ANY)
        bias_at = reference.iterations_to(ANY, 1e-2)
        assert (weight_at, bias_at) == (14_663, 40_243)
        forecast = shown(app, "#forecast")
        assert "bias 4.23 °F short; |b − 32| < 0.01 at iteration 40,243 at this rate" in forecast
        assert "weight 0.00254 short; |w − 1.8| < 0.001 at iteration 14,663 at this rate" in (
            forecast
        )
        assert app.query_one("#forecast").region.height == 2
        assert "gradient" in shown(app, "#bias-panel"), "the panels make room, keep the story"


async def test_the_panels_count_the_iterations_to_go_as_training_runs() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "≈ 14,663 iterations to go" in shown(app, "#weight-panel")
        assert "≈ 40,243 iterations to go" in shown(app, "#bias-panel")
        app.controller.driver.trainer.run(4_999)
        await pilot.press("n")
        assert "≈ 9,663 iterations to go" in shown(app, "#weight-panel")
        assert "≈ 35,243 iterations to go" in shown(app, "#bias-panel")
        await pilot.press("g", "backspace", *"20000", "enter")
        assert "within 0.001 for good" in shown(app, "#weight-panel")
        assert "≈ 20,243 iterations to go" in shown(app, "#bias-panel")
        await pilot.press("plus")  # a new rate: a new prediction
        reference = Trainer(seed=0)
        reference.run(20_000)
        reference.learning_rate = 2e-4
        arrival = reference.iterations_to(ANY, 1e-2)
        assert arrival is not None
        assert f"≈ {count(arrival - 20_000)} iterations to go" in shown(app, "#bias-panel")


async def test_changing_the_rate_optimizer_or_scaling_recomputes_the_prediction() -> None:
    app = paused_app(fps=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        drive_until_settled(app)
        reference = Trainer(seed=0)
        reference.run(10_000)
        for key, change in (
            ("plus", lambda t: setattr(t, "learning_rate", 2e-4)),
            ("o", lambda t: setattr(t, "optimizer", OPTIMIZER_NAMES[1])),
            ("z", lambda t: setattr(t, "standardize", True)),
        ):
            await pilot.press(key)
            change(reference)
            arrival = reference.iterations_to(ANY, 1e-2)
            assert arrival is not None and arrival > 10_000
            text = shown(app, "#forecast")
            assert f"|b − 32| < 0.01 at iteration {count(arrival)} at this rate" in text, key


async def test_adam_says_unknown_and_never_guesses() -> None:
    app = paused_app(optimizer="adam", learning_rate=0.1, iterations=200)
    async with app.run_test(size=SIZE) as pilot:
        for name in ("#weight-panel", "#bias-panel"):
            assert "iterations to go: unknown" in shown(app, name)
            assert "≈" not in shown(app, name)
        await pilot.press("f")
        drive_until_settled(app)
        await pilot.pause()
        forecast = shown(app, "#forecast")
        assert "|b − 32| < 0.01: when is unknown (Adam has no closed form)" in forecast
        assert "at iteration" not in forecast
        assert "UNSTABLE" not in shown(app, "#status")


# -- going back: the screen equals the one training reached ---------------------------------


async def test_b_goes_back_one_iteration_to_the_screen_training_showed() -> None:
    trained = paused_app()
    async with trained.run_test(size=SIZE) as pilot:
        await pilot.press(*"nnnnn")
        expected = await settled_screen(trained, pilot)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"nnnnnnnn", "b", "b", "b")
        assert app.controller.driver.trainer.iteration == 5
        assert await settled_screen(app, pilot) == expected


@pytest.mark.parametrize(
    "phases", [7, 8, 9], ids=["after-forward", "after-backward", "after-update"]
)
async def test_b_in_step_mode_goes_back_one_phase_to_the_screen_stepping_showed(
    phases: int,
) -> None:
    trained = paused_app(step_mode=True)
    async with trained.run_test(size=SIZE) as pilot:
        await pilot.press(*"s" * phases)
        expected = await settled_screen(trained, pilot)
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"s" * (phases + 4), *"b" * 4)
        assert await settled_screen(app, pilot) == expected


async def test_back_to_the_start_after_a_change_and_a_reset_keeps_the_app_running() -> None:
    """A first-time user's keys: n, + (a new segment), r, n, b, n crashed the app
    (ValueError in the outlook: the reset timeline had no segment at iteration 0)."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "plus", "r", "n", "b", "n")
        await pilot.pause()
        assert app.is_running and app.controller.driver.trainer.iteration == 1
        assert app.controller.driver.trainer.learning_rate == 2e-4
        assert "iter 1/10,000" in shown(app, "#status")


async def test_b_at_the_very_start_says_there_is_nothing_before() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "b")
        assert (
            app.controller.driver.trainer.iteration == 0
            and app.controller.driver.last_event is None
        )
        await pilot.press("b")
        assert "nothing to go back to" in notices(app)


async def test_g_goes_to_an_iteration_with_the_screen_training_showed() -> None:
    trained = paused_app(fps=1)
    async with trained.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        drive_until_settled(trained)
        expected = await settled_screen(trained, pilot)
    app = paused_app(fps=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        drive_until_settled(app)
        await pilot.press("f")  # past the target: straight to the tolerance
        assert app.controller.driver.trainer.iteration == 40_243
        await pilot.press("g", "backspace", *"10,000", "enter")
        assert app.controller.driver.state is RunState.DONE
        assert await settled_screen(app, pilot) == expected


async def test_g_in_step_mode_lands_where_stepping_lands() -> None:
    trained = paused_app(step_mode=True)
    async with trained.run_test(size=SIZE) as pilot:
        await pilot.press(*"sssss")
        expected = await settled_screen(trained, pilot)
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"nnnnnnnnnn", "g", "backspace", "1", "enter", "s", "s")
        assert await settled_screen(app, pilot) == expected


async def test_seeking_back_across_a_rate_change_restores_it_and_says_so() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"nnn", "plus", *"nnn")
        trainer = app.controller.driver.trainer
        there = (trainer.weight, trainer.bias)
        assert "lr 2e-4" in shown(app, "#status")
        await pilot.press("g", "backspace", "2", "enter")
        assert trainer.iteration == 2 and trainer.learning_rate == 1e-4
        assert "lr 1e-4" in shown(app, "#status")
        note = notices(app)
        assert "At iteration 2 training used gradient descent, lr 1e-4" in note
        assert "later changes stay on the timeline" in note
        await pilot.press("g", "backspace", "6", "enter")
        assert trainer.learning_rate == 2e-4 and "lr 2e-4" in shown(app, "#status")
        # Forward again along the timeline: the closed form lands where stepping did.
        assert (trainer.weight, trainer.bias) == pytest.approx(there, rel=1e-12)


@pytest.mark.slow
async def test_g_refuses_bad_input_in_one_line_and_caps_replays_without_a_closed_form() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        for typed, refusal in (
            ("abc", "Refused: type a whole number of iterations, 0 or more, not 'abc'."),
            ("-5", "not '-5'"),
            ("2.5", "not '2.5'"),
            ("2e18", "Refused: at most iteration 1,000,000,000,000,000,000."),
        ):
            await pilot.press("g", "backspace", *typed, "enter")
            await pilot.pause()
            error = shown(app, "#seek-error")
            assert refusal in error and "\n" not in error.strip(), typed
            await pilot.press("escape")
        await pilot.press("g", "backspace", *"1e15", "enter")
        assert app.controller.driver.trainer.iteration == 10**15, (
            "huge numbers are instant in closed form"
        )
    adam = paused_app(optimizer="adam", learning_rate=0.1)
    async with adam.run_test(size=SIZE) as pilot:
        await pilot.press("g", "backspace", *"1000000", "enter")
        await pilot.pause()
        assert "Refused: at most iteration 50,000." in shown(adam, "#seek-error")
        why = shown(adam, "#seek-limit")
        assert "Without a closed form each update is replayed" in why
        assert "at most 50,000 iterations ahead, to 50,000 (f races further)" in why
        await pilot.press("escape", "g", "backspace", *"50000", "enter")
        assert adam.controller.driver.trainer.iteration == 50_000
        await pilot.press("g", "backspace", *"123", "enter")
        reference = Trainer(seed=0, optimizer="adam", learning_rate=0.1)
        reference.run(123)
        trainer = adam.controller.driver.trainer
        assert (trainer.weight, trainer.bias) == (reference.weight, reference.bias)


async def test_f_past_the_target_jumps_to_where_the_tolerance_is_met() -> None:
    app = paused_app(fps=1, iterations=1_000, optimizer="momentum")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        drive_until_settled(app)
        reference = Trainer(seed=0, optimizer="momentum")
        reference.run(1_000)
        arrival = reference.iterations_to()
        assert arrival == 3_957
        await pilot.press("f")
        assert not app.controller.driver.fast_forwarding, "a jump, not a race"
        assert app.controller.driver.trainer.iteration == arrival
        assert "within 0.01 for good" in shown(app, "#bias-panel")
        assert "Iteration 3,957: from here on |w − 1.8| < 0.001" in notices(app)


# -- the keys are offered ------------------------------------------------------------------


async def test_b_and_g_are_in_the_footer_help_and_palette_where_room_allows() -> None:
    app = paused_app(iterations=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "b Back" in screen_text(app).splitlines()[-1]
        await pilot.press("n")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "g Go to" in footer and footer.rstrip().endswith("^p palette")
        titles = " ".join(command.title for command in app.get_system_commands(app.screen))
        assert "Back (b)" in titles and "Go to (g)" in titles
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Back one iteration (one phase while stepping" in text
        assert "Go to any iteration, back or forward" in text
