"""The published gradient above its (local) limit: a run that neither converges nor diverges
(issue 23 item 3). It used to be reported "done", exit 0, "stable": true."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from itertools import islice

from core import Dataset, Trainer
from tests.conftest import screen_text
from tests.waiting import until
from tui.app import make_app
from tui.model.driver import RunState
from tui.settings import Settings

RATE = 7e-4
"""Above the published rule's limit on the tutorial's data (6.74e-4)."""


def published_walk(
    celsius: list[float], fahrenheit: list[float], weight: float, bias: float, rate: float
) -> Iterator[tuple[float, float]]:
    """The published rule written out from sums taken once: grad_w = Σ grad_output × output,
    sharing no code with core."""
    count = len(celsius)
    mean_c = sum(celsius) / count
    mean_c2 = sum(c * c for c in celsius) / count
    mean_f = sum(fahrenheit) / count
    mean_cf = sum(c * f for c, f in zip(celsius, fahrenheit, strict=True)) / count
    while True:
        # Σ 2(out − f)/N × out with out = w·c + b, from the sums
        mean_out2 = weight**2 * mean_c2 + 2 * weight * bias * mean_c + bias**2
        mean_out_f = weight * mean_cf + bias * mean_f
        grad_weight = 2.0 * (mean_out2 - mean_out_f)
        grad_bias = 2.0 * (weight * mean_c + bias - mean_f)
        weight, bias = weight - rate * grad_weight, bias - rate * grad_bias
        yield weight, bias


def test_an_independent_loop_confirms_the_run_neither_converges_nor_diverges() -> None:
    data = Dataset.tutorial()
    trainer = Trainer(data, seed=0, gradient="published", learning_rate=RATE)
    assert trainer.max_stable_learning_rate < RATE
    walk = published_walk(
        list(data.celsius), list(data.fahrenheit), trainer.weight, trainer.bias, RATE
    )
    tail = list(islice(walk, 200_000))[-10_000:]
    weights = [w for w, _ in tail]
    assert max(weights) - min(weights) > 0.1, "still swinging after 200,000 iterations"
    assert all(abs(w) < 10 for w in weights), "and bounded: not diverging"
    trainer.run(200_000)
    assert not trainer.diverged
    assert trainer.oscillating
    assert not trainer.stable
    assert min(weights) <= trainer.weight <= max(weights)


def test_below_the_limit_the_published_rule_converges_and_is_stable() -> None:
    trainer = Trainer(seed=0, gradient="published", learning_rate=6.7e-4)
    trainer.run(200_000)
    assert not trainer.oscillating and trainer.stable
    assert abs(trainer.distance[0]) < 1e-9


def headless(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--headless", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_headless_says_oscillating_exits_3_and_json_says_not_stable() -> None:
    common = ("--gradient", "published", "--lr", str(RATE), "--iterations", "200000")
    result = headless(*common)
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.startswith("status      OSCILLATING: learning rate 7e-4"), result.stdout
    assert "done" not in result.stdout.splitlines()[0]
    as_json = headless(*common, "--json")
    assert as_json.returncode == 3
    assert '"stable": false' in as_json.stdout


def test_the_help_lists_oscillating_under_exit_status_3() -> None:
    result = headless("--help")
    table = result.stdout[result.stdout.index("exit status") :]
    assert "oscillates" in table[: table.index("  1  ")]


async def test_the_screen_says_oscillating_and_the_footer_offers_the_way_out() -> None:
    settings = Settings(
        gradient="published", learning_rate=RATE, iterations=3_000, paused=False, fps=60
    )
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        app.controller.driver.trainer.run(2_999)
        driver = app.controller.driver
        await until(pilot, lambda: driver.state is not RunState.RUNNING, "the target")
        assert app.controller.driver.state is RunState.OSCILLATING

        def shown(text: str) -> bool:
            return text in screen_text(app)

        await until(pilot, lambda: shown("∿ OSCILLATING"), "the status")
        await until(pilot, lambda: "Continue" in screen_text(app).splitlines()[-1], "the Footer")
        lines = screen_text(app).splitlines()
        assert "∿ OSCILLATING" in lines[0]
        footer = lines[-1]
        for key in ("space Continue", "- lr÷2", "l Set lr", "q Quit"):
            assert key in footer, footer
        assert "DONE" not in screen_text(app)
        text = " ".join(screen_text(app).split())
        assert "OSCILLATING: lr 7e-4 > limit" in text and "Press - once" in text, text
        await pilot.press("minus")
        assert app.controller.driver.trainer.learning_rate == RATE / 2
