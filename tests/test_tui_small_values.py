"""The screen never shows 0 for a loss that is not 0 (issue 23, review of item 6): the loss
panel said "least 0" for the tutorial's least loss of 4.4e-29. It now shows the bound headless
prints (``minimum < 2.7e-9``); 0 is for 0 alone."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import paused_app, shown
from tests.loops import Plain, least_squares
from tui.format import loss

SIZE = (80, 24)


def headless_minimum() -> str:
    """What ``c2f-tui --headless`` prints after ``minimum`` on its loss line."""
    out = subprocess.run(
        [sys.executable, "-m", "tui", "--headless", "--iterations", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    line = next(row for row in out.splitlines() if row.startswith("loss"))
    return line.split("minimum", 1)[1].strip()


async def test_the_least_loss_of_the_tutorial_reads_as_its_bound_not_0() -> None:
    # The oracle: an independent loop at numpy's least-squares optimum of the tutorial data.
    celsius = range(-50, 50)
    fahrenheit = [c * 9 / 5 + 32 for c in celsius]
    loop = Plain.of(celsius, fahrenheit, *least_squares(celsius, fahrenheit))
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        least = app.controller.driver.trainer.surface.minimum_loss
        assert least > 0.0 and loop.loss() < 1e-20, "rounding noise of an exact line, not 0"
        text = shown(app, "#loss-value")
        assert "least 0" not in text, text
        shown_least = text.split("least", 1)[1].strip()
        assert shown_least.startswith("< "), text
        assert float(shown_least[2:]) >= max(least, loop.loss()), "a true bound"
        assert shown_least == headless_minimum(), "the screen and headless say it alike"


def test_a_loss_is_0_only_when_it_is_0() -> None:
    scale = 2699.73  # var(fahrenheit) of the tutorial's data
    assert loss(0.0, scale) == "0"
    assert loss(4.4e-29, scale) == "< 2.7e-9"
    assert loss(2.7e-9, scale) == "2.7e-9"
    assert loss(825.26064, scale, 7) == "825.2606"
