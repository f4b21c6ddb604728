"""Lesson mode (issue 12): each chapter's "try this", driven as a learner would, at 80×24.

Every test opens the app at a chapter (``--lesson N``), presses the keys the
chapter asks for and reads what the lesson pane says, with the numbers it
should say computed independently (``tests/loops.py``) or read off the data.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import pytest
from rich.cells import cell_len
from textual.content import Content

import tui.i18n
from core import Trainer
from tests.conftest import screen_text, shown
from tests.loops import Plain
from tests.waiting import until
from tui.app import TrainerApp, make_app
from tui.format import number
from tui.lesson.chapters import Chapter, languages, load
from tui.lesson.placeholders import MISSING
from tui.lesson.stages import STAGES, chapter_number
from tui.lesson.state import LessonState
from tui.model.driver import RunState
from tui.model.view import View
from tui.settings import Settings
from tui.widgets import lesson_pane

SIZE = (80, 24)
CHAPTERS = len(STAGES)
CELSIUS = list(range(-50, 50))


def lesson_app(chapter: int | str, **options: Any) -> TrainerApp:
    """The app as ``c2f-tui --lesson N`` builds it (seed 0, the tutorial's data); a chapter
    is named by its number or its id (numbers shift as chapters are added)."""
    number = chapter if isinstance(chapter, int) else chapter_number(chapter)
    return make_app(Settings(lesson=number, **options))


def pane(app: TrainerApp) -> str:
    """The lesson pane's words (rows joined, so a wrapped sentence is whole), after checking
    that all of them are on the screen: a learner at 80×24 never has to scroll."""
    words = " ".join(shown(app, "#lesson").split())
    region = app.query_one("#lesson").region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    assert " ".join(" ".join(rows).split()) == words, "the pane's text is cut off"
    return words


def steps_done(app: TrainerApp) -> tuple[bool, ...]:
    assert app.main_screen.view is not None and app.main_screen.view.lesson is not None
    return app.main_screen.view.lesson.steps


def g(value: float) -> str:
    """A number as the lesson writes it (six significant figures)."""
    return number(value, 6)


def untrained() -> Plain:
    trainer = Trainer(seed=0)
    return Plain.of(CELSIUS, [c * 9 / 5 + 32 for c in CELSIUS], *trainer.training_parameters)


async def test_lesson_opens_at_the_chapter_asked_for_and_turns_with_pagedown_and_the_dot() -> None:
    app = lesson_app(3)
    async with app.run_test(size=SIZE) as pilot:
        assert f"Lesson 3/{CHAPTERS} · Forward: predict, then measure" in pane(app)
        await pilot.press("pagedown")
        assert f"Lesson 4/{CHAPTERS} · Backward" in pane(app)
        await pilot.press("comma", "comma")
        assert f"Lesson 2/{CHAPTERS} · A neuron with a random start" in pane(app)
        await pilot.press("full_stop")
        assert f"Lesson 3/{CHAPTERS}" in pane(app)
        await pilot.press("pageup", "pageup", "pageup")
        assert f"Lesson 1/{CHAPTERS}" in pane(app), "no chapter before the first"
        assert "first chapter" in list(app._notifications)[-1].message
        footer = screen_text(app).splitlines()[-1]
        assert "pgup pgdn chapter" in footer and "q Quit" in footer


async def test_past_the_last_chapter_the_notice_names_the_palette_entry_that_closes_it() -> None:
    app = lesson_app(CHAPTERS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("pagedown")
        entries = [command.title for command in app.get_system_commands(app.screen)]
        assert "Close the lesson" in entries
        assert '"Close the lesson" closes the lesson' in list(app._notifications)[-1].message


async def test_chapter_1_shows_the_truth_alone_and_ticks_when_the_sample_moves() -> None:
    app = lesson_app(1)
    async with app.run_test(size=SIZE) as pilot:
        text = pane(app)
        assert "100 temperatures from -50 to 49 °C" in text
        assert "weight 1.8 and bias 32" in text
        legend = app.query_one("#fit-chart").border_subtitle or ""
        assert "truth" in legend and "untrained" not in legend and "now" not in legend
        assert steps_done(app) == (False,)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert steps_done(app) == (True,)
        assert "44 °C is 111.2 °F, on the truth line" in pane(app)


async def test_chapter_2_the_hash_dialog_takes_the_learner_to_0_degrees_the_bias() -> None:
    app = lesson_app(2)
    async with app.run_test(size=SIZE) as pilot:
        trainer = Trainer(seed=0)
        assert f"weight {g(trainer.weight)} and bias {g(trainer.bias)}" in pane(app)
        await pilot.press("number_sign")
        await pilot.press(*"0.", "enter")  # a full stop typed in the dialog is not a chapter key
        assert f"Lesson 2/{CHAPTERS}" in pane(app)
        text = pane(app)
        assert f"At 0 °C the untrained neuron says {g(trainer.bias)} °F (its bias)" in text
        assert f"is {g(trainer.bias - 32)} °F" in text
        assert steps_done(app) == (True,)


async def test_chapter_3_forward_at_42_degrees_and_the_loss() -> None:
    app = lesson_app(3)
    async with app.run_test(size=SIZE) as pilot:
        assert "Press s to run the forward pass" in pane(app)
        await pilot.press("s")
        oracle = untrained()
        output = 42 * oracle.weight + oracle.bias
        expected = f"42 × {g(oracle.weight)} + {g(oracle.bias)} = {g(output)} °F, not 107.6 °F"
        assert expected in pane(app)
        assert f"the loss is {g(oracle.loss())}" in pane(app)


async def test_chapter_4_backward_names_the_gradients_and_the_check_agrees() -> None:
    app = lesson_app(4)
    async with app.run_test(size=SIZE) as pilot:
        assert steps_done(app) == (False,), "the chapter starts after forward"
        await pilot.press("s")
        oracle = untrained()
        grad_weight, grad_bias = oracle.gradient()
        text = pane(app)
        assert f"grad_weight {g(grad_weight)}, grad_bias {g(grad_bias)}" in text
        grad_output = 2 * (42 * oracle.weight + oracle.bias - 107.6) / 100
        assert f"grad_output is {g(grad_output)}" in text
        assert f"measures the slope: {g(grad_weight)}, the same" in text


def at(celsius: float, plain: Plain) -> tuple[float, float, float]:
    """The output, error and grad_output of ``plain``'s neuron at ``celsius`` (100 samples)."""
    output = celsius * plain.weight + plain.bias
    error = output - (celsius * 9 / 5 + 32)
    return output, error, 2 * error / len(CELSIUS)


async def test_the_graph_chapter_draws_each_nodes_value_and_gradient_and_follows_the_learner() -> (
    None
):
    """Every node of the graph at 42 °C after iteration 1's backward pass, against a loop;
    then another sample, and iteration 2 (three presses of s), each a step ticked."""
    app = lesson_app("graph")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the pane takes its height after the first frame
        oracle = untrained()
        output, error, grad_output = at(42, oracle)
        grad_weight, grad_bias = oracle.gradient()
        text = pane(app)
        assert f"celsius 42 × weight {g(oracle.weight)}" in text
        assert f"→ c×w {g(42 * oracle.weight)} + bias {g(oracle.bias)}" in text
        assert f"→ output {g(output)} − fahrenheit 107.6" in text
        assert f"→ error {g(error)} → squared" in text
        # The loss is the mean of all N squares, not this sample's square over N.
        assert f"→ square {g(error**2)} → mean of all N" in text
        assert f"→ loss {g(oracle.loss())} = Σ all squares / N" in text
        assert f"∂weight = ∂output × celsius {g(grad_output * 42)}" in text
        assert f"∂error = ∂square × 2×error {g(grad_output)}" in text
        assert f"grad_weight {g(grad_weight)}, grad_bias {g(grad_bias)}" in text
        await pilot.press("right_square_bracket")
        assert steps_done(app) == (True, False)
        assert f"∂weight = ∂output × celsius {g(at(43, oracle)[2] * 43)}" in pane(app)
        await pilot.press("s", "s")
        assert steps_done(app) == (True, False), "update and forward are not the graph's pass"
        await pilot.press("s")
        assert steps_done(app) == (True, True)
        oracle.step(1e-4)
        assert f"grad_output {g(at(43, oracle)[2])}: backward computes it first" in pane(app)


async def test_the_two_sample_chapter_ends_on_the_formula_at_the_learners_sample() -> None:
    app = lesson_app("grad-output")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the pane takes its height after the first frame
        assert "loss = ((output₁ − fahrenheit₁)² + (output₂ − fahrenheit₂)²) / 2" in pane(app)
        assert f"at 42 °C it is {MISSING}" in pane(app), "no backward pass yet"
        await pilot.press("s")
        assert steps_done(app) == (True, False)
        # Pressing s shows the number it computed, before any ] or [.
        assert f"at 42 °C it is {g(at(42, untrained())[2])}" in pane(app)
        await pilot.press("left_square_bracket")
        assert steps_done(app) == (True, True)
        output, _error, grad_output = at(41, untrained())
        expected = f"At 41 °C: 2 × ({g(output)} − 105.8) / 100 = {g(grad_output)}"
        assert expected in pane(app)


async def test_the_mean_chapter_diverges_at_n_times_the_rate_then_converges_at_the_rate() -> None:
    """Without dividing by N the gradient is N times larger: the chapter starts at N × 1e-4,
    where the run diverges, and the learner types the rate ÷ N and starts again: the loss
    falls (at 1e-4 it has not converged by 10,000 iterations, so the chapter says no more)."""
    app = lesson_app("mean")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the pane takes its height after the first frame
        trainer = app.controller.driver.trainer
        assert trainer.learning_rate == pytest.approx(len(CELSIUS) * 1e-4)
        assert "Here lr is 0.01 = 100 × 1e-4" in pane(app)
        await pilot.press("space")
        await until(pilot, lambda: app.controller.driver.state is RunState.DIVERGED, "divergence")
        await pilot.pause()
        assert steps_done(app) == (True, False, False)
        assert trainer.diverged_at is not None and trainer.diverged_at <= 5, "at once"
        summed = untrained()
        start = summed.loss()
        for _iteration in range(trainer.diverged_at):  # a summed gradient's steps at 1e-4
            grad_weight, grad_bias = summed.gradient()
            summed.weight -= 1e-4 * len(CELSIUS) * grad_weight
            summed.bias -= 1e-4 * len(CELSIUS) * grad_bias
        assert summed.loss() > 1_000 * start, "without ÷ N, the tutorial's rate diverges too"
        await pilot.press("l")
        await pilot.press(*"1e-4", "enter")
        assert steps_done(app) == (True, True, False)
        await pilot.press("r", "space")
        await until(pilot, lambda: all(steps_done(app)), "converging with the mean's rate")
        assert "at lr 1e-4 the run does not diverge: the loss falls" in pane(app)
        assert "converges" not in pane(app)


async def test_the_mean_chapter_takes_the_banners_way_below_the_limit_too() -> None:
    """Diverged, the banner says how many presses of - bring the rate below the limit; the
    chapter's step (l and the rate ÷ N) says that way counts too, and ticks for it."""
    app = lesson_app("mean")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "(or, as the banner says, - until below the limit)" in pane(app)
        await pilot.press("space")
        await until(pilot, lambda: app.controller.driver.state is RunState.DIVERGED, "divergence")
        await pilot.pause()
        banner = shown(app, "#banner")
        presses = int(re.search(r"Press - (\d+) times", banner)[1])  # type: ignore[index]
        await pilot.press(*["minus"] * (presses - 1))
        assert steps_done(app) == (True, False, False), "still above the limit"
        await pilot.press("minus")
        assert steps_done(app) == (True, True, False)
        await pilot.press("r", "space")
        await until(pilot, lambda: all(steps_done(app)), "the loss falling")


async def test_the_autograd_chapter_shows_the_gradients_backward_would_give() -> None:
    app = lesson_app("autograd")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the pane takes its height after the first frame
        oracle = untrained()
        grad_weight, grad_bias = oracle.gradient()
        text = pane(app)
        assert f"weight = torch.tensor({g(oracle.weight)}, dtype=torch.float64" in text
        assert f"weight.grad, bias.grad # ≈ {g(grad_weight)}, {g(grad_bias)}" in text
        await pilot.press("s")
        assert steps_done(app) == (True, False)
        await pilot.press("s", "s")
        assert steps_done(app) == (True, True)
        oracle.step(1e-4)
        assert f"weight.grad ≈ {g(oracle.gradient()[0])}" in pane(app)


async def test_chapter_5_three_presses_of_s_make_one_iteration() -> None:
    app = lesson_app("update")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert steps_done(app) == (True, False)
        await pilot.press("s", "s")
        assert steps_done(app) == (True, False), "two phases are not an iteration"
        await pilot.press("s")
        assert steps_done(app) == (True, True)
        oracle = untrained()
        loss_start = oracle.loss()
        oracle.run(1e-4, 2)
        text = pane(app)
        assert (
            "You stepped 4 phases; the last three, forward, backward and update, made one" in text
        )
        assert f"from {g(loss_start)} to {g(oracle.loss())}" in text
        assert f"to {g(oracle.weight)}" in text


async def test_chapter_training_pausing_early_is_named_and_the_weight_arriving_is_done() -> None:
    app = lesson_app("training")
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller.driver.state is RunState.RUNNING, "the chapter trains"
        assert app.controller.driver.pace.lecture, "at the lecture pace"
        await pilot.press("space")
        await pilot.press("n")  # paused one iteration in: far from learnt
        progress = app.controller.driver.trainer.progress[0]
        assert f"Not yet: the weight has covered {progress * 100:.0f} %" in pane(app)
        await pilot.press("f")  # on to the target: the weight is learnt
        await until(pilot, lambda: app.controller.driver.state is RunState.DONE, "the target")
        await pilot.pause()  # the forecast strip, composed as it first shows, is laid out
        assert steps_done(app) == (True,)
        reference = Trainer(seed=0)
        reference.run(10_000)
        # Not "100 %" while the weight still has a way to go: cut, not rounded up.
        share = reference.progress[0]
        assert 0.995 <= share < 1, "rounded to whole per cent, it would read 100 %"
        assert f"{math.floor(share * 1000) / 10:.1f} % of its way to 1.8" in pane(app)
        assert f"{number(reference.distance[0], 4)} to go" in pane(app)
        assert f"still {number(reference.distance[1], 4)} °F short of 32" in pane(app)


async def test_chapter_valley_the_landscape_then_the_run_to_the_target() -> None:
    app = lesson_app("valley")
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller.driver.trainer.iteration == 2_000
        assert "833.8 times larger across than along" in pane(app)
        assert "closes only 0.02 % of the bias's gap" in pane(app)  # 1e-4 × λ_min 1.9994
        await pilot.press("v")
        assert steps_done(app) == (True, False)
        await pilot.press("v", "f")
        await until(pilot, lambda: app.controller.driver.state is RunState.DONE, "the target")
        assert steps_done(app) == (True, True)
        assert "the bias is still 4.23 °F short" in pane(app)
        # The least loss is 0 to rounding (an exact line, 4.4e-29): said as the loss panel
        # says it, as its bound, never as a 0 it is not.
        assert "the loss is 17.8869, its least < 2.7e-9." in pane(app), pane(app)
        assert "least < 2.7e-9" in shown(app, "#loss-value")


async def test_chapter_too_large_diverge_halve_the_rate_start_again() -> None:
    app = lesson_app("too-large")
    async with app.run_test(size=SIZE) as pilot:
        limit = Trainer(seed=0).max_stable_learning_rate
        assert app.controller.driver.trainer.learning_rate == pytest.approx(1.25 * limit)
        assert "Here lr is 1.5e-3, above the limit 1.2e-3" in pane(app)
        await pilot.press("f")
        await until(pilot, lambda: app.controller.driver.state is RunState.DIVERGED, "divergence")
        assert steps_done(app) == (True, False, False)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert " - lr" in footer, "the key the chapter asks for is in the Footer"
        await pilot.press("minus")
        assert steps_done(app) == (True, True, False)
        await pilot.press("r")
        assert steps_done(app) == (True, True, True)
        diverged_at = Trainer(seed=0, learning_rate=1.25 * limit)
        diverged_at.run(100)
        assert f"It diverged at iteration {diverged_at.diverged_at}; now lr 7.5e-4" in pane(app)
        assert "Here lr is 1.5e-3" in pane(app), "the chapter's own rate, not the new one"


async def test_chapter_fixes_one_standardised_step_then_races_with_momentum_and_adam() -> None:
    app = lesson_app("fixes")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert app.controller.driver.trainer.loss < 1e-20, "one step at lr 0.5 lands on the optimum"
        assert steps_done(app) == (True, False, False)
        await pilot.press("c")
        assert (
            app.controller.race is not None
            and app.controller.race.driver.trainer.optimizer == "momentum"
        )
        assert (
            not app.controller.driver.trainer.standardize
            and app.controller.driver.trainer.learning_rate == 1e-4
        )
        assert steps_done(app) == (True, True, False)
        await pilot.press("c")
        await pilot.press("space")  # pause to read the numbers
        assert steps_done(app) == (True, True, True)
        racer = app.controller.race.driver.trainer
        assert (racer.optimizer, racer.learning_rate) == ("adam", 0.1), "Adam's own rate"
        iteration = app.controller.driver.trainer.iteration
        reference = Trainer(seed=0, optimizer="adam")
        reference.run(iteration)
        assert racer.iteration == iteration and racer.loss == reference.loss
        text = pane(app)
        assert f"at iteration {iteration} plain gradient descent's is" in text
        assert f"gradient descent's is {g(app.controller.driver.trainer.loss)}" in text
        assert f"Adam's {g(reference.loss)}" in text
        await pilot.press("c")
        assert app.controller.race is None, "a third c ends the race"


async def test_chapter_published_the_published_gradient_races_the_chain_rule_to_10000() -> None:
    app = lesson_app("published")
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller.race is not None
        await pilot.press("f")
        await until(pilot, lambda: steps_done(app)[0], "both at 10,000")
        await pilot.pause()  # the forecast strip, composed as it first shows, is laid out
        fahrenheit = [c * 9 / 5 + 32 for c in CELSIUS]
        start = Trainer(seed=0)
        chain = Plain.of(CELSIUS, fahrenheit, start.weight, start.bias).run(1e-4, 10_000)
        published = Plain.of(CELSIUS, fahrenheit, start.weight, start.bias, published=True)
        published.run(1e-4, 10_000)
        # The numbers: published w ≈ 1.87269, b ≈ 27.8193, loss ≈ 22.187.
        assert (g(published.weight), g(published.bias)) == ("1.87269", "27.8193")
        text = pane(app)
        assert f"Chain rule: weight {g(chain.weight)}, bias {g(chain.bias)}" in text
        assert f"loss {g(chain.loss())}" in text
        assert (
            f"Published: weight {g(published.weight)}, bias {g(published.bias)}, "
            f"loss {g(published.loss())}"
        ) in text
        row = shown(app, "#race-row")
        assert "published gradient" in row and "iter 10,000" in row


WIDEST = "-1.23457e-5"
"""The widest number the lesson writes (six significant figures, a sign, an exponent): it
stands in for each value that does not exist yet when a chapter's last words are checked."""


def check_fits(app: TrainerApp, language: str, chapter: int) -> None:
    """Every word of the chapter is on the screen at once, the title in the header, and
    its lines filled."""
    words = pane(app)
    scroll = app.query_one("#lesson-scroll")
    title = load(language)[chapter - 1].title
    assert scroll.virtual_size.height <= scroll.size.height, title
    assert title in words
    check_filled(app, load(language)[chapter - 1])


def check_filled(app: TrainerApp, chapter: Chapter) -> None:
    """No line of the paragraphs ends early but a paragraph's last (Chinese fills its lines
    as it is typeset), none is wider than the text, and no blank line trails them."""
    assert app.main_screen.view is not None and app.main_screen.view.lesson is not None
    numbers = lesson_pane.values(app.main_screen.view, app.main_screen.view.lesson)
    ends = tuple(
        line[-4:]
        for paragraph in chapter.paragraphs
        # a drawing's lines end where they were drawn; a paragraph's last line where it ends
        for line in Content.from_markup(lesson_pane.fill(paragraph, numbers)).plain.split("\n")
        if line.strip()
    )
    text = app.query_one("#lesson-text")
    rows = [text.render_line(y).text.rstrip() for y in range(text.size.height)]
    assert rows and all(rows), f"{chapter.title}: blank lines below the text"
    for row in rows:
        assert cell_len(row) <= text.size.width, f"{chapter.title}: {row!r} is too wide"
        if not row.endswith(ends):
            assert cell_len(row) >= text.size.width - 12, f"{chapter.title}: {row!r} ends early"


@pytest.mark.parametrize("language", languages())
@pytest.mark.parametrize("chapter", range(1, len(STAGES) + 1))
async def test_every_chapter_fits_80x24_without_scrolling(
    chapter: int, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A learner at 80×24 reads the whole chapter in every language, as it starts, once its
    steps are done and while it hints, and the Footer keeps ? and q."""
    monkeypatch.setattr(tui.i18n, "_language", language)
    app = lesson_app(chapter)
    async with app.run_test(size=SIZE) as pilot:
        running = STAGES[chapter - 1].slug == "training"
        await pilot.press("space") if running else await pilot.pause()
        await pilot.pause()
        check_fits(app, language, chapter)
        footer = screen_text(app).splitlines()[-1]
        assert "? " in footer and " q " in footer and "pgup pgdn" in footer, "the keys"
        live = lesson_pane.values

        def widest(view: View, lesson: LessonState | None) -> dict[str, str]:
            return {
                name: WIDEST if value == MISSING else value
                for name, value in live(view, lesson).items()
            }

        monkeypatch.setattr(lesson_pane, "values", widest)
        assert app.controller.lesson is not None
        observe = app.controller.lesson.observe
        steps = len(STAGES[chapter - 1].steps)
        states = [((True,) * steps, False)]
        if STAGES[chapter - 1].hint is not None:
            states.append(((False,) * steps, True))
        for done, hint in states:
            monkeypatch.setattr(
                app.controller.lesson,
                "observe",
                lambda view, done=done, hint=hint: replace(observe(view), steps=done, hint=hint),
            )
            app.refresh_view(charts=False)
            await pilot.pause()
            check_fits(app, language, chapter)
            assert ("! " if hint else f"{lesson_pane.DONE_MARK} ") in pane(app)


async def test_a_chapter_too_long_for_the_pane_scrolls_with_lines_broken_for_the_scrollbar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A teacher's chapter longer than the pane: its paragraphs scroll, and the Chinese lines
    are broken again for the column the scrollbar takes (none folded twice, none blank)."""
    monkeypatch.setattr(tui.i18n, "_language", "zh")
    first, *others = load("zh")
    longer = replace(first, paragraphs=first.paragraphs * 2)
    monkeypatch.setattr(lesson_pane, "load", lambda language: (longer, *others))
    app = lesson_app(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        scroll = app.query_one("#lesson-scroll")
        assert scroll.show_vertical_scrollbar
        assert app.query_one("#lesson-text").size.width == SIZE[0] - 3
        check_filled(app, longer)


async def test_the_palette_opens_and_closes_the_lesson() -> None:
    app = make_app(Settings(paused=True))
    async with app.run_test(size=SIZE) as pilot:
        assert not app.query("#lesson"), "composed when first opened (issue 20)"
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Lesson" in commands
        app.action_toggle_lesson()
        await pilot.pause()
        assert app.query_one("#lesson").display and f"Lesson 1/{CHAPTERS}" in pane(app)
        await pilot.press("pagedown")
        assert f"Lesson 2/{CHAPTERS}" in pane(app)
        assert "Close the lesson" in [c.title for c in app.get_system_commands(app.screen)]
        app.action_toggle_lesson()
        await pilot.pause()
        assert not app.query_one("#lesson").display
        await pilot.press("pagedown")  # no lesson: the chapter keys do nothing
        assert app.controller.lesson is None


async def test_after_divergence_a_stable_rate_does_not_leave_never_at_this_rate() -> None:
    """A learner's report: in the chapter "mean", diverged, then ``l`` 1e-4: the status said
    "lr 1e-4 (stable < 1.2e-3)" while the panels still said "never at this rate". A diverged
    run goes nowhere at any rate (core forecasts no arrival); at a stable rate the panels
    say what to do instead, and after ``r`` they forecast the arrival again."""
    app = lesson_app("mean")
    async with app.run_test(size=(120, 40)) as pilot:  # tall: the panels show every line
        await pilot.press("space")
        await until(pilot, lambda: app.controller.driver.state is RunState.DIVERGED, "divergence")
        await pilot.pause()
        assert "never at this rate" in shown(app, "#bias-panel"), "0.01 is above the limit"
        await pilot.press("l")
        await pilot.press(*"1e-4", "enter")
        await pilot.pause()
        await pilot.pause()
        assert "stable" in shown(app, "#status")
        for panel in ("#weight-panel", "#bias-panel"):
            text = shown(app, panel)
            assert "never at this rate" not in text, text
            assert "diverged: r starts again" in text, text
        await pilot.press("r")
        await pilot.pause()
        assert "iterations to go" in shown(app, "#bias-panel")
