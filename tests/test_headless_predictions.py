"""Issue 11 headless: an unstable rate exits 3 whatever the iteration count, and the JSON
says what lies ahead (``stable``, ``diverges_at``, ``iterations_to_target``) under a
versioned ``schema``. Run as a user runs it: the real command, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from core import Trainer
from tui.cli.headless import JSON_SCHEMA

REPO = Path(__file__).resolve().parent.parent


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--headless", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def run_json(*arguments: str) -> tuple[int, dict[str, Any]]:
    result = run("--json", *arguments)
    assert result.stderr == ""
    return result.returncode, json.loads(result.stdout)


def test_an_unstable_rate_exits_3_after_only_10_iterations_and_says_why() -> None:
    result = run("--lr", "1.2e-3", "--iterations", "10")
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "status      UNSTABLE: learning rate 1.2e-3 is above the stable limit 1.19976e-3"
    )
    assert "rate        1.2e-3 (stable < 1.19976e-3)" in lines
    assert (
        "outlook     the error grows ×1.0004 per iteration; diverges at iteration 18,872" in lines
    )
    assert max(len(line) for line in lines) <= 80


def test_the_json_of_an_unstable_run_predicts_its_divergence() -> None:
    status, result = run_json("--lr", "1.2e-3", "--iterations", "10")
    assert status == 3
    assert next(iter(result)) == "schema" and result["schema"] == JSON_SCHEMA
    reference = Trainer(seed=0, learning_rate=1.2e-3)
    reference.run(10)
    assert result["stable"] is False and result["diverged"] is False
    assert result["spectral_radius"] == reference.spectral_radius > 1
    assert result["diverges_at"] == reference.divergence_expected_at == 18_872
    assert result["iterations_to_target"] is None and result["has_closed_form"] is True


def test_the_json_of_the_tutorial_run_says_when_it_reaches_the_target() -> None:
    status, result = run_json()
    assert status == 0
    assert result["schema"] == JSON_SCHEMA and result["stable"] is True
    reference = Trainer(seed=0)
    reference.run(10_000)
    assert result["iterations_to_target"] == reference.iterations_to() == 40_243
    assert (result["weight_tolerance"], result["bias_tolerance"]) == (1e-3, 1e-2)
    assert result["diverges_at"] is None and result["has_closed_form"] is True
    text = run().stdout.splitlines()
    assert text[-2:] == [
        "outlook     |w − 1.8| < 0.001 from iteration 14,663, at this rate",
        "            |b − 32| < 0.01 from iteration 40,243, at this rate",
    ]


def test_adam_reports_unknown_not_never() -> None:
    status, result = run_json("--optimizer", "adam", "--iterations", "100")
    assert status == 0
    assert result["iterations_to_target"] is None and result["has_closed_form"] is False
    assert result["spectral_radius"] is None and result["diverges_at"] is None
    assert result["stable"] is True
    text = run("--optimizer", "adam", "--iterations", "100").stdout.splitlines()
    assert text[-1] == "outlook     unknown: Adam has no closed form (train on to see)"


def test_a_rate_that_makes_no_progress_is_not_stable_and_exits_3() -> None:
    status, result = run_json("--lr", "1e-30", "--iterations", "10")
    assert status == 3
    assert result["stable"] is False and result["diverged"] is False
    assert result["iterations_to_target"] is None and result["has_closed_form"] is True
    lines = run("--lr", "1e-30", "--iterations", "10").stdout.splitlines()
    assert lines[0] == "status      NO PROGRESS in any direction at learning rate 1e-30"


def test_help_names_exit_status_3_for_an_unstable_run() -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, cwd=REPO
    )
    text = " ".join(helped.stdout.split())
    assert "3 headless: training diverged, or is unstable" in text
    assert "whatever --iterations" in text


def test_every_schema_version_is_in_the_changelog() -> None:
    """A script reading ``schema`` finds what each version added in docs/api.md."""
    changelog = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()
    for version in range(2, JSON_SCHEMA + 1):
        assert f"- **{version}**:" in changelog, version
