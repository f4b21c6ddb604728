"""The keys of issue 7: v (the loss landscape), z (standardised inputs), o (optimizers)."""

from __future__ import annotations

import pytest

from core import Trainer
from tests.conftest import paused_app, screen_text, shown
from tests.registry import o_presses

SIZE = (80, 24)


async def test_v_swaps_the_fit_chart_for_the_loss_landscape_and_back() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        fit = app.query_one("#fit-chart")
        assert fit.display and not app.query("#landscape"), "built on first use"
        await pilot.press("v")
        landscape = app.query_one("#landscape")
        assert landscape.display and not fit.display
        text = screen_text(app)
        assert "loss landscape" in text and "bias" in text and "✕" in text
        assert "truth" not in text
        await pilot.press("v")
        assert fit.display and not landscape.display
        assert "truth" in screen_text(app)


async def test_the_landscape_follows_the_path_as_training_runs() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        before = screen_text(app)
        app.controller.driver.trainer.run(1_999)
        await pilot.press("n")
        after = screen_text(app)
        assert after != before
        assert after.count("●") == 2, "the current point, and its legend"


async def test_z_standardises_and_the_status_shows_the_new_stable_limit() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.controller.driver.trainer
        assert "(stable < 1.2e-3)" in shown(app, "#status")
        assert "raw · κ 833.8" in str(app.query_one("#fit-chart").border_title)
        await pilot.press("z")
        assert trainer.standardize
        assert "(stable < 1)" in shown(app, "#status")
        assert "standardised · κ 1" in str(app.query_one("#fit-chart").border_title)
        untrained = Trainer(seed=0)
        assert (trainer.weight, trainer.bias) == pytest.approx((untrained.weight, untrained.bias))
        await pilot.press("l")
        await pilot.press("backspace", *"0.5", "enter")
        await pilot.press("n")
        assert trainer.iteration == 1
        assert (trainer.weight, trainer.bias) == pytest.approx((1.8, 32.0), rel=1e-9)
        assert "now     1.8 → 1.8\n" in shown(app, "#weight-panel")
        assert "now     1.8" in shown(app, "#weight-panel"), "panels stay in °F per °C"
        await pilot.press("z")
        # Raw again with lr 0.5, far above the raw limit: the status says so at once.
        assert not trainer.standardize and "lr 0.5 > 1.2e-3" in shown(app, "#status")


async def test_the_explanation_says_why_lr_one_half_lands_at_once() -> None:
    app = paused_app(step_mode=True, standardize=True, learning_rate=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert "Standardised input: z = (celsius + 0.5) / 28.87" in shown(app, "#explain")
        await pilot.press("s", "s")
        text = shown(app, "#explain")
        assert "weight and bias of z; in °F per °C: weight 1.8, bias 32" in text
        assert "Round bowl (κ 1): lr × λ = 1" in text
        assert "cancels the whole error at once" in text


async def test_o_cycles_the_optimizers_keeping_the_parameters() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.controller.driver.trainer
        await pilot.press("n", "n")
        where = (trainer.weight, trainer.bias)
        await pilot.press(*o_presses("gd", "momentum"))  # o follows core.OPTIMIZERS' order
        assert trainer.optimizer == "momentum"
        assert (trainer.weight, trainer.bias) == where
        assert "momentum" in str(app.query_one("#fit-chart").border_title)
        await pilot.press("n")
        assert "update (momentum) · iteration 3" in shown(app, "#explain-header")
        text = shown(app, "#explain")
        assert "v ← β × v_prev + gradient" in text
        # The velocity is named and built from its parts: 0.9 × v_prev + gradient.
        assert "v_weight = 0.9 × (" in text and "v_bias = 0.9 × (" in text
        await pilot.press(*o_presses("momentum", "adam"), "n")
        assert trainer.optimizer == "adam"
        assert "update (adam) · iteration 4" in shown(app, "#explain-header")
        text = shown(app, "#explain")
        assert "m̂" in text and "v̂" in text and "t = 1" in text
        assert "(no stable limit)" in shown(app, "#status")
        await pilot.press(*o_presses("adam", "gd"))
        assert trainer.optimizer == "gd"


async def test_the_momentum_explanation_uses_momentums_own_stability_limit() -> None:
    app = paused_app(step_mode=True, optimizer="momentum")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "s")
        text = shown(app, "#explain")
        assert "v ← β × v_prev + gradient" in text
        # The first momentum step starts from no velocity: v = 0.9 × 0 + gradient.
        assert "v_weight = 0.9 × (0) + (" in text
        assert "(stable below 3.8)" in text
        assert "(stable < 2.28e-3)" in shown(app, "#status")


async def test_z_says_lr_1e4_is_slower_and_a_takes_the_rate_that_suits_the_bowl() -> None:
    """Issue 22 item 5: standardising alone, at lr 1e-4, brings the weight in later (the
    closed form's 14,663 → 34,309 iterations); z says so, and offers the rate 2/(λ_min + λ_max)
    of the round bowl (λ = 2 both ways: 0.5), which a takes (one step lands on the optimum)."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.controller.driver.trainer
        await pilot.press("z")
        said = list(app._notifications)[-1].message
        assert trainer.learning_rate == 1e-4
        assert "At lr 1e-4 this is slower for the weight" in said
        assert "at iteration 34,309 instead of 14,663" in said
        assert "Press a to use lr 0.5" in said and "one step lands on the optimum" in said
        lam_min, lam_max = trainer.training_surface.eigenvalues
        await pilot.press("a")
        assert trainer.learning_rate == 2 / (lam_min + lam_max) == 0.5
        assert "lr 0.5 = 2/(λ_min + λ_max)" in list(app._notifications)[-1].message
        await pilot.press("n")
        assert (trainer.weight, trainer.bias) == pytest.approx((1.8, 32.0), rel=1e-9)


async def test_a_offers_nothing_without_gradient_descents_closed_form() -> None:
    app = paused_app(optimizer="adam")
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.controller.driver.trainer
        before = trainer.learning_rate
        await pilot.press("a")
        assert trainer.learning_rate == before
        assert "gradient descent with the chain rule only" in list(app._notifications)[-1].message
