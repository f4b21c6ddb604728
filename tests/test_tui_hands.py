"""Hands on the weights (issue 22 item 2): every key of hands mode, driven through Pilot at 80×24.

``h`` pauses training and hands the parameters to the learner: → ← move the weight, ↑ ↓ the
bias, ``{`` ``}`` make the step 10× coarser or finer, escape leaves. The numbers on screen
are checked against ``core`` at the hand-set parameters.
"""

from __future__ import annotations

from typing import Any

import pytest

from core import Trainer
from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui import i18n
from tui.app import TrainerApp, make_app
from tui.format import number
from tui.lesson.stages import chapter_number
from tui.model.driver import RunState
from tui.screens.rate_dialog import RateDialog
from tui.settings import Settings
from tui.widgets.parameter_panel import gradient_label

SIZE = (80, 24)
UNTRAINED = Trainer(seed=0)


def parameters(app: TrainerApp) -> tuple[float, float]:
    trainer = app.controller.driver.trainer
    return trainer.weight, trainer.bias


def footer(app: TrainerApp) -> str:
    return screen_text(app).splitlines()[-1]


async def hands_on(pilot: Any) -> TrainerApp:
    app: TrainerApp = pilot.app
    await pilot.press("h")
    await until(pilot, lambda: "HANDS" in shown(app, "#status"), "hands mode")
    return app


async def test_h_pauses_training_and_the_status_and_footer_show_the_mode() -> None:
    app = make_app(Settings())  # running
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.controller.driver.trainer.iteration > 0, "training")
        await hands_on(pilot)
        assert app.controller.driver.state is RunState.PAUSED
        iteration = app.controller.driver.trainer.iteration
        await pilot.pause(0.3)
        assert app.controller.driver.trainer.iteration == iteration, "training stays paused"
        assert "HANDS w ±0.1 b ±1" in shown(app, "#status")
        row = footer(app)
        for key in ("→ ← weight", "↑ ↓ bias", "{ } step", "esc Leave", "space Run", "q Quit"):
            assert key in row, row


async def test_the_arrows_move_the_weight_and_bias_to_the_next_notch_and_the_numbers_follow() -> (
    None
):
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("right")
        assert parameters(app) == (0.9, UNTRAINED.bias), "from 0.8444 up to the next 0.1"
        await pilot.press("left", "left")
        assert parameters(app) == (0.7, UNTRAINED.bias)
        await pilot.press("up")
        assert parameters(app) == (0.7, 1.0), "the bias from 0.758 up to the next 1"
        await pilot.press("down", "down")
        assert parameters(app) == (0.7, -1.0)
        await pilot.pause()
        reference = Trainer(weight=0.7, bias=-1.0)
        loss = reference.loss
        grad_weight, grad_bias = reference.gradient
        assert number(loss, 7) in shown(app, "#loss-value")
        assert f"gradient {number(grad_weight, 6)}" in shown(app, "#weight-panel")
        assert f"gradient {number(grad_bias, 6)}" in shown(app, "#bias-panel")
        assert "now     0.7 → 1.8" in shown(app, "#weight-panel")
        assert app.controller.hands is not None
        assert app.controller.hands.path[-1] == (0.7, -1.0) and len(app.controller.hands.path) == 7


async def test_braces_make_the_step_coarser_and_finer() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("left_curly_bracket")
        assert "HANDS w ±1 b ±10" in shown(app, "#status")
        await pilot.press("right", "up")
        assert parameters(app) == (1.0, 10.0)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert "HANDS w ±0.01 b ±0.1" in shown(app, "#status")
        await pilot.press("right", "down")
        assert parameters(app) == (1.01, 9.9)
        for _press in range(10):
            await pilot.press("right_curly_bracket")
        assert "HANDS w ±1e-06 b ±1e-05" in shown(app, "#status"), "the finest step"
        assert "largest or smallest" in list(app._notifications)[-1].message


async def test_escape_leaves_and_then_the_arrows_are_not_the_modes() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("right", "escape")
        assert app.controller.hands is None
        assert "HANDS" not in shown(app, "#status") and "PAUSED" in shown(app, "#status")
        assert parameters(app) == (0.9, UNTRAINED.bias), "the parameters stay where put"
        await pilot.press("right", "up")
        assert parameters(app) == (0.9, UNTRAINED.bias), "no hands mode, no hand moves"


async def test_space_trains_on_from_the_hand_set_parameters_and_leaves_the_mode() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("right")
        await pilot.press("space")
        assert app.controller.hands is None and app.controller.driver.state is RunState.RUNNING
        await until(pilot, lambda: app.controller.driver.trainer.iteration >= 3, "training")
        await pilot.press("space")
        trainer = app.controller.driver.trainer
        reference = Trainer(weight=0.9, bias=UNTRAINED.bias)
        reference.run(trainer.iteration)
        assert (trainer.weight, trainer.bias) == pytest.approx(
            (reference.weight, reference.bias), rel=1e-12
        )


async def test_s_steps_one_phase_from_the_hand_set_parameters_and_stays_in_the_mode() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("right")
        trainer = app.controller.driver.trainer
        assert trainer.next_phase == "update", "forward and backward done at the new weight"
        await pilot.press("s")
        reference = Trainer(weight=0.9, bias=UNTRAINED.bias)
        reference.run(1)
        assert (trainer.iteration, trainer.weight) == (1, reference.weight)
        assert app.controller.hands is not None and "HANDS" in shown(app, "#status")


async def test_plus_minus_and_l_change_the_rate_in_the_mode_and_a_dialog_keeps_its_keys() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("plus")
        assert app.controller.driver.trainer.learning_rate == 2e-4
        await pilot.press("minus", "minus")
        assert app.controller.driver.trainer.learning_rate == 5e-5
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, RateDialog), "the rate dialog")
        await pilot.press("left", "right", "escape")  # the dialog's own: its field, its close
        await until(pilot, lambda: not isinstance(app.screen, RateDialog), "the dialog closed")
        assert app.controller.hands is not None, "escape closed the dialog, not the mode"
        assert parameters(app) == (UNTRAINED.weight, UNTRAINED.bias)
        assert app.controller.driver.trainer.learning_rate == 5e-5


async def test_z_in_hands_mode_keeps_the_hand_set_parameters() -> None:
    """Standardising finishes an iteration in progress; in hands mode (forward and backward
    done at the hand-set parameters) it must not train an update instead."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("right", "z")
        trainer = app.controller.driver.trainer
        assert trainer.standardize and trainer.iteration == 0
        assert parameters(app) == pytest.approx((0.9, UNTRAINED.bias), rel=1e-15)
        assert trainer.next_phase == "update", "the gradient shown is the one here"


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit_from_the_mode(key: str) -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("right", key)
    assert app.return_code == 0


async def test_no_hands_during_a_race_and_no_race_in_hands_mode() -> None:
    app = paused_app(compare=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert app.controller.race is not None
        await pilot.press("h")
        assert app.controller.hands is None
        assert "Not during a race" in list(app._notifications)[-1].message
        await pilot.press("right")
        assert parameters(app) == (UNTRAINED.weight, UNTRAINED.bias)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("c")
        assert app.controller.race is None
        assert "No race in hands mode" in list(app._notifications)[-1].message


async def test_the_landscape_shows_the_hands_path_and_the_way_downhill() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await hands_on(pilot)
        await pilot.press("v", "right", "right")
        await pilot.pause()
        text = screen_text(app)
        assert "+ hand ● now → −gradient ✕ optimum" in text
        # at weight 1.0 the loss falls fastest as the weight grows: the arrow points up
        assert "↑" in shown(app, "#landscape")
        await pilot.press("escape")
        await pilot.pause()
        assert "−gradient" not in screen_text(app)


async def test_b_goes_back_across_a_hand_move_as_it_was() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")  # two iterations from the untrained neuron
        before = Trainer(seed=0)
        before.run(1)
        await hands_on(pilot)
        await pilot.press("right", "escape", "n", "n")  # two more from weight 0.9
        await pilot.press("b", "b", "b")
        trainer = app.controller.driver.trainer
        assert (trainer.iteration, trainer.weight, trainer.bias) == (
            1,
            pytest.approx(before.weight, rel=1e-12),
            pytest.approx(before.bias, rel=1e-12),
        )


async def test_the_hands_chapter_does_the_tutorials_experiment() -> None:
    app = make_app(Settings(lesson=chapter_number("hands")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.controller.hands is not None, "the chapter starts in hands mode"
        assert parameters(app) == (0.8, UNTRAINED.bias)
        view = app.main_screen.view
        assert view is not None and view.lesson is not None
        assert view.lesson.steps == (False, False, False)
        question = "The tutorial asks: the weight is 0.8; should it be a little larger"
        assert question in " ".join(shown(app, "#lesson").split())
        await pilot.press("right")
        await until(pilot, lambda: app.main_screen.view.lesson.steps[0], "0.9 tried")  # type: ignore[union-attr]
        await pilot.pause()
        assert question in " ".join(shown(app, "#lesson").split()), "the question is about 0.8"
        await pilot.press("left", "left")
        await until(pilot, lambda: app.main_screen.view.lesson.steps[1], "0.7 tried")  # type: ignore[union-attr]
        await pilot.press("space")
        await until(pilot, lambda: app.main_screen.view.lesson.done, "descent took over")  # type: ignore[union-attr]
        await pilot.press("space")
        await pilot.pause()
        words = " ".join(shown(app, "#lesson").split())
        at = {weight: Trainer(weight=weight, bias=UNTRAINED.bias) for weight in (0.8, 0.9, 0.7)}
        for weight, trainer in at.items():
            loss, gradient = number(trainer.loss, 6), number(trainer.gradient[0], 4)
            assert f"{weight}: loss {loss}, grad_weight {gradient}" in words, words
        assert at[0.9].loss < at[0.8].loss < at[0.7].loss, "the tutorial's answer: grow it"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_gradients_border_says_it_is_at_the_hand_set_parameters(language: str) -> None:
    """A learner's report: with the weight moved by hand, the border under the gradient said
    "at 0's w, b → update 1", though iteration 0's (weight, bias) were the untrained ones and
    the gradient shown is the hand-set parameters'; so did the explanation's backward table.
    Once training steps on from there, the label is an iteration's again."""
    i18n.set_language(language)  # the suite's fixture sets English back
    app = paused_app(step_mode=True)  # the explanation open
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await until(pilot, lambda: app.controller.hands is not None, "hands mode")
        await pilot.press("right")
        await pilot.pause()
        await pilot.pause()
        yours = i18n._("at your w, b → update {update}").format(update=1)
        assert yours != "at your w, b → update 1" or language == "en", "translated"
        for panel in ("#weight-panel", "#bias-panel"):
            border = str(app.query_one(panel).border_subtitle)
            assert border == yours, border
        explanation = " ".join(shown(app, "#explain").split())
        assert yours in explanation, explanation
        await pilot.press("s", "s", "s")  # update 1, then forward and backward of 2
        await pilot.pause()
        panel = app.query_one("#weight-panel")
        border = str(panel.border_subtitle)
        assert border == gradient_label(1, 2, panel.size.width - 2), border
