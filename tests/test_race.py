"""Races (issue 12): a second trainer from the same start, level with the first, on screen and
headless, its numbers checked against independent loops (``tests/loops.py``)."""

from __future__ import annotations

import json

import pytest

from core import OPTIMIZERS, Trainer
from tests.conftest import paused_app, refused_line, screen_text, shown
from tests.loops import Plain
from tests.waiting import until
from tui.cli.main import main
from tui.format import rate
from tui.model.controller import Controller
from tui.model.driver import Driver
from tui.model.race import Race, RaceSpec, parse_compare
from tui.settings import Settings

CELSIUS = list(range(-50, 50))
FAHRENHEIT = [c * 9 / 5 + 32 for c in CELSIUS]
SIZE = (80, 24)


def oracle(**options: float | bool) -> Plain:
    start = Trainer(seed=0)
    return Plain.of(CELSIUS, FAHRENHEIT, start.weight, start.bias, **options)


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def level(race: Race) -> Trainer:
    """Sync until the racer is level with the leader (a slice of a frame per call)."""
    for _call in range(10_000):
        if race.sync():
            return race.driver.trainer
    raise AssertionError("the racer never caught up")


# -- the race object: level with the leader, whatever moves it ------------------


def test_the_racer_follows_every_phase_step_iteration_and_reset_of_the_leader() -> None:
    leader = Driver(Trainer(seed=0), target=10_000, running=False)
    race = Race(leader, RaceSpec(optimizer="momentum"))
    racer = race.driver.trainer
    leader.step_phase()
    assert race.sync() and (racer.iteration, racer.next_phase) == (0, "backward")
    leader.step_phase()
    race.sync()
    assert racer.next_phase == "update"
    leader.step_iteration()
    leader.step_iteration()
    assert race.sync() and racer.iteration == 2 and racer.next_phase == "forward"
    leader.trainer.run(498)
    level(race)
    momentum = oracle(beta=0.9).run(1e-4, 500)
    assert relative(racer.weight, momentum.weight) < 1e-9
    assert relative(racer.bias, momentum.bias) < 1e-9
    leader.trainer.seek(120)  # what a seek key does (b, g): the racer goes back too
    level(race)
    again = oracle(beta=0.9).run(1e-4, 120)
    assert racer.iteration == 120 and relative(racer.bias, again.bias) < 1e-9
    leader.reset()
    race.sync()
    assert racer.iteration == 0 and racer.weight == Trainer(seed=0).weight


def test_a_racer_that_diverges_stops_there_and_recovers_when_the_leader_goes_back() -> None:
    leader = Driver(Trainer(seed=0), target=10_000, running=False)
    race = Race(leader, parse_compare("lr=5e-3"))
    leader.trainer.run(100)
    racer = level(race)
    assert racer.diverged and not leader.trainer.diverged
    stopped = racer.iteration
    leader.trainer.run(10)
    race.sync()
    assert racer.iteration == stopped, "a diverged racer stays where it ran away"
    leader.reset()
    race.sync()
    assert not racer.diverged and racer.iteration == 0


def test_a_racer_without_a_closed_form_catches_up_over_several_calls() -> None:
    """Adam walks its iterations one by one: a slice of a frame each, never blocking."""
    leader = Driver(Trainer(seed=0), target=10**6, running=False)
    race = Race(leader, RaceSpec(optimizer="adam"))
    leader.trainer.run(200_000)
    calls = 1
    while not race.sync(budget=0.002) and calls < 100_000:
        calls += 1
    assert calls > 1 and race.driver.trainer.iteration == 200_000
    # Near the optimum Adam's steps follow the sign of gradients at rounding level, so the
    # paths agree to that level only: both within 1e-6 of the optimum.
    assert abs(race.driver.trainer.weight - 1.8) < 1e-6
    assert abs(race.driver.trainer.bias - 32) < 1e-6


# -- on screen ----------------------------------------------------------------------


async def test_compare_on_screen_draws_the_racer_and_both_advance_together() -> None:
    app = paused_app(compare=parse_compare("gradient=published"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.controller.race is not None
        assert "published gradient" in shown(app, "#race-row")
        legend = next(row for row in screen_text(app).splitlines() if "truth" in row)
        assert "xx race" in legend and "…" not in legend, "the race row says what it changes"
        await pilot.press("n", "n", "n")
        racer = app.controller.race.driver.trainer
        published = oracle(published=True).run(1e-4, 3)
        assert racer.iteration == 3 and relative(racer.weight, published.weight) < 1e-12
        await pilot.press("f")
        await until(pilot, lambda: racer.iteration == 10_000, "the racer at 10,000")
        row = shown(app, "#race-row")
        # The numbers, to six figures at 80 columns: w ≈ 1.87269, b ≈ 27.8193.
        assert "iter 10,000" in row and "w 1.87269  b 27.8193  loss 22.1867" in row
        await pilot.press("r")
        assert racer.iteration == 0
        await pilot.press("c")
        assert app.controller.race is None and not app.query_one("#race-row").display
        await pilot.press("c")
        assert app.controller.race is not None, "c brings --compare's race back"


async def test_c_without_compare_races_the_other_optimizers_then_the_other_rule() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        seen, said = [], []
        for _press in range(len(OPTIMIZERS) + 1):
            await pilot.press("c")
            racer = app.controller.race.driver.trainer if app.controller.race is not None else None
            seen.append(None if racer is None else (racer.optimizer, racer.gradient_rule))
            said.append(list(app._notifications)[-1].message)
            if racer is not None:
                own = OPTIMIZERS[racer.optimizer].default_learning_rate
                assert racer.learning_rate == own, "a race's rate is its optimizer's default"
            legend = next(row for row in screen_text(app).splitlines() if "truth" in row)
            assert "…" not in legend, legend
        others = list(OPTIMIZERS.items())[1:]  # every optimizer but the leader's, in o's order
        assert seen == [*((name, "chain") for name, _ in others), ("gd", "published"), None]
        for message, (_name, rule) in zip(said, others, strict=False):
            own = rate(rule.default_learning_rate)
            assert message.startswith(f"{rule.title} at lr {own}, from the same start"), message
        assert said[-2].startswith("gradient descent at lr 1e-4 with the published gradient")
        assert said[-1].startswith("One trainer again")


# -- headless ------------------------------------------------------------------


def test_headless_compare_reports_both_with_the_same_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--headless", "--json", "--compare", "gradient=published"]) == 0
    result = json.loads(capsys.readouterr().out)
    compare = result.pop("compare")
    assert set(compare) == set(result)
    chain = oracle().run(1e-4, 10_000)
    published = oracle(published=True).run(1e-4, 10_000)
    # The numbers: chain 1.79746 / 27.7701 / 17.887, published 1.87269 / 27.8193 / 22.187.
    assert relative(result["weight"], chain.weight) < 1e-9
    assert relative(result["loss"], chain.loss()) < 1e-9
    assert relative(compare["weight"], published.weight) < 1e-9
    assert relative(compare["bias"], published.bias) < 1e-9
    assert relative(compare["loss"], published.loss()) < 1e-9
    assert round(compare["weight"], 5) == 1.87269 and round(compare["loss"], 3) == 22.187
    assert (result["gradient"], compare["gradient"]) == ("chain", "published")
    assert compare["iterations"] == result["iterations"] == 10_000


def test_headless_compare_in_text_names_the_race(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--headless", "--iterations", "2000", "--compare", "optimizer=momentum"]) == 0
    out = capsys.readouterr().out.splitlines()
    heading = out.index("compare     --compare optimizer=momentum")
    momentum = oracle(beta=0.9).run(1e-4, 2_000)
    assert out[heading + 3].split()[:2] == ["weight", f"{momentum.weight:.10g}"]


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("speed=2", "unknown key 'speed'; the keys are lr, optimizer, standardize, gradient"),
        ("lr=fast", "lr must be a finite number > 0, got 'fast'"),
        ("lr=-1", "lr must be a finite number > 0"),
        ("optimizer=sgd", f"optimizer must be one of {', '.join(OPTIMIZERS)}, got 'sgd'"),
        ("standardize=maybe", "standardize must be yes or no"),
        ("gradient=chain,gradient=published", "gradient is given twice"),
        ("lr", "'lr' needs a value"),
        ("", "expected KEY=VALUE"),
        ("optimizer=adam,", "expected KEY=VALUE"),
    ],
)
def test_bad_compare_is_refused_in_one_line(
    value: str, complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused_line(["--headless", "--compare", value], capsys)
    assert line.startswith("c2f-tui: error: argument --compare: ")
    assert complaint in line


def test_one_tick_advances_leader_and_racer_together_even_when_the_racer_is_slow() -> None:
    """Issue 22: the race row lagged the main trainer (6,987 while it was at 8,352). Gradient
    descent jumps ahead by its closed form while Adam walks every iteration: whatever the
    budget, after each tick both are at the same iteration, and over many ticks both
    reach the goal."""
    controller = Controller(
        Settings(paused=True, iterations=10**6, compare=RaceSpec(optimizer="adam"))
    )
    controller.start()
    controller.fast_forward()
    racer = controller.race.driver.trainer if controller.race is not None else None
    assert racer is not None
    seen = set()
    for _frame in range(10_000):
        controller.tick(0.2, 0.001, frame_interval=0.2)
        view = controller.frame(charts=True)
        assert view.race is not None
        assert (view.race.iteration, view.race.next_phase) == (
            view.trainer.iteration,
            view.trainer.next_phase,
        ), "the race row shows the leader's iteration"
        seen.add(view.trainer.iteration)
        if view.trainer.iteration >= 60_000:
            break
    assert len(seen) > 2, "both advanced, frame after frame"
