"""Which parameters a gradient on screen was computed at, and which update used it (issue 23
item 5): the panels said "gradient from iter 420" for the gradient update 420 used, computed
at the parameters iteration 419 left, while the exported row 420 holds the gradient at
iteration 420's parameters. Every number here comes from core's own events and history."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from rich.cells import cell_len

from core import BackwardEvent, ForwardEvent, Trainer, UpdateEvent
from core.history import COLUMNS
from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui import i18n
from tui.app import TrainerApp, make_app
from tui.format import count
from tui.lesson.stages import chapter_number
from tui.model.driver import RunState
from tui.settings import Settings

SIZE = (80, 24)
LABEL = re.compile(r"([\d,]+)(?:'s w, b)? → (?:update )?([\d,]+)")
"""The panel's label in any of its widths: ``at iter 419's w, b → update 420`` down to
``419 → 420``; the first number is the iteration whose parameters, the second the update."""


def border_below(app: TrainerApp, name: str) -> str:
    """The bottom border of a parameter panel as the screen shows it."""
    region = app.query_one(f"#{name}-panel").region
    return screen_text(app).splitlines()[region.bottom - 1][region.x : region.right]


def core_facts(before: int) -> tuple[int, BackwardEvent, UpdateEvent]:
    """Core alone, ``before`` iterations and then the three phases of the next from steps():
    the iteration whose parameters the forward and backward passes used (found among the
    run's rows, the exported CSV's), the backward event, and the update event."""
    trainer = Trainer(seed=0)
    trainer.run(before)
    phases = trainer.steps()
    forward, backward = next(phases), next(phases)
    assert isinstance(forward, ForwardEvent) and isinstance(backward, BackwardEvent)
    rows = trainer.history.rows()
    weights, biases = rows[:, COLUMNS.index("weight")], rows[:, COLUMNS.index("bias")]
    (row,) = rows[(weights == forward.weight) & (biases == forward.bias)]
    # That row's gradient (the CSV's, from the loss's moments) is backward's, to rounding
    # (1e-10 absolute: near the optimum both are rounding noise of a sum of 100 terms).
    for column, value in (("grad_weight", backward.grad_weight), ("grad_bias", backward.grad_bias)):
        assert math.isclose(row[COLUMNS.index(column)], value, rel_tol=1e-6, abs_tol=1e-10)
    update = next(phases)
    assert isinstance(update, UpdateEvent)
    return int(row[COLUMNS.index("iteration")]), backward, update


@pytest.mark.parametrize("iteration", [1, 420, 1_500, 123_457])
async def test_the_gradient_label_names_its_parameters_iteration_and_its_update(
    iteration: int,
) -> None:
    at, backward, update = core_facts(iteration - 1)
    # The facts: backward k differentiates at the parameters iteration k − 1 left (row k − 1
    # of the export), and update k steps with exactly that gradient.
    assert (backward.iteration, update.iteration, at) == (iteration, iteration, iteration - 1)
    assert (update.grad_weight, update.grad_bias) == (backward.grad_weight, backward.grad_bias)

    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        app.controller.driver.trainer.run(iteration - 1)
        await pilot.press("s", "s")
        assert app.controller.driver.latest["backward"].grad_weight == backward.grad_weight
        for name in ("weight", "bias"):
            border = border_below(app, name)
            assert "…" not in border, f"the label is cut: {border!r}"
            found = LABEL.search(border)
            assert found, f"no label: {border!r}"
            assert found.groups() == (count(at), count(update.iteration)), border
        if iteration == 420:
            assert "at 419's w, b → update 420" in border_below(app, "weight")
        explanation = shown(app, "#explain")
        assert f"at iteration {count(at)}'s w, b → update {count(iteration)}" in explanation
        # After the update the gradient on screen is still the one it used: same label.
        await pilot.press("s")
        assert app.controller.driver.latest["update"].iteration == iteration
        found = LABEL.search(border_below(app, "weight"))
        assert found and found.groups() == (count(at), count(iteration))


async def test_while_running_the_label_says_the_latest_update_used_it() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: app.controller.driver.trainer.iteration > 0, "training runs")
        await until(
            pilot, lambda: "used by the latest update" in border_below(app, "weight"), "the label"
        )
        assert app.controller.driver.state is RunState.RUNNING


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("iteration", [420, 1_500])
async def test_the_chinese_label_names_both_iterations_and_fits(
    chinese: Any, iteration: int
) -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        app.controller.driver.trainer.run(iteration - 1)
        await pilot.press("s", "s")
        border = border_below(app, "weight")
        assert "…" not in border and cell_len(border) == 32, border
        numbers = re.findall(r"[\d,]{3,}", border)
        assert numbers == [count(iteration - 1), count(iteration)], border
        explanation = shown(app, "#explain")
        assert f"第 {count(iteration - 1)} 次迭代" in explanation, explanation
        assert f"第 {count(iteration)} 次更新" in explanation, explanation


async def test_a_panel_folded_to_one_line_has_no_label_for_a_gradient_it_does_not_show() -> None:
    """The last lesson (published) at 80×24, raced to the end: the weight panel folds to its
    value alone."""
    app = make_app(Settings(lesson=chapter_number("published")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await until(pilot, lambda: app.main_screen.view.lesson.done, "both at 10,000")
        # The panel is folded by the layout of the run's last frame and shows its value
        # alone from its next refresh (the case this test is for).
        await until(
            pilot,
            lambda: "gradient" not in shown(app, "#weight-panel"),
            "the weight panel folded to its value",
        )
        await pilot.pause()
        for name in ("weight", "bias"):
            showing = "gradient" in shown(app, f"#{name}-panel")
            found = LABEL.search(border_below(app, name))
            assert bool(found) == showing, (name, border_below(app, name))
