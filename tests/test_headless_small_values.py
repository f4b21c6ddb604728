"""A value that is not 0 is never printed as 0 (issue 23 item 6): headless momentum at
10,000 printed ``loss 0  minimum 0`` for a loss of about 2e-15."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.loops import Plain


def headless(*arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--headless", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def test_a_tiny_loss_is_printed_as_its_bound_not_as_zero() -> None:
    data = json.loads(headless("--optimizer", "momentum", "--json"))
    assert data["loss"] > 0.0
    # The loss, from the samples in an independent loop at the run's parameters.
    loop = Plain.of(range(-50, 50), [c * 9 / 5 + 32 for c in range(-50, 50)], 0.0, 0.0)
    loop.weight, loop.bias = data["weight"], data["bias"]
    assert loop.loss() > 0.0
    line = next(
        row for row in headless("--optimizer", "momentum").splitlines() if row.startswith("loss")
    )
    words = line.split()
    assert words[1] == "<" and float(words[2]) >= data["loss"], line
    assert words[3] == "minimum" and words[4] == "<", line
