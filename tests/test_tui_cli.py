"""The command line: every invalid value is one line on stderr and exit status 2."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

import pytest

from tests.conftest import refused_line
from tui.cli.options import parse_settings
from tui.settings import Settings


def test_defaults_are_the_tutorials_run() -> None:
    assert parse_settings([]) == Settings()
    assert Settings().make_trainer().learning_rate == 1e-4 and Settings().iterations == 10_000


def test_every_option_reaches_the_settings() -> None:
    settings = parse_settings(
        [
            "--learning-rate",
            "2e-4",
            "--iterations",
            "500",
            "--seed",
            "7",
            "--weight",
            "1.5",
            "--bias",
            "-3",
            "--speed",
            "250",
            "--fps",
            "5",
            "--paused",
        ]
    )
    assert settings == Settings(
        learning_rate=2e-4,
        iterations=500,
        seed=7,
        weight=1.5,
        bias=-3.0,
        speed=250.0,
        fps=5,
        paused=True,
    )
    assert parse_settings(["--lr", "3e-3"]).learning_rate == 3e-3


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lr", "0"], "argument --lr/--learning-rate: must be a finite number > 0, got '0'"),
        (["--lr", "-1e-4"], "must be a finite number > 0"),
        (["--lr", "nan"], "must be a finite number > 0"),
        (["--lr", "inf"], "must be a finite number > 0"),
        (["--lr", "fast"], "must be a finite number > 0, got 'fast'"),
        (["--learning-rate", ""], "must be a finite number > 0"),
        (["--iterations", "0"], "argument --iterations: must be a whole number from 1"),
        (["--iterations", "ten"], "argument --iterations: must be a whole number"),
        (["--iterations", "1.5"], "argument --iterations: must be a whole number"),
        (["--iterations", str(10**30)], "argument --iterations: must be a whole number from 1 to"),
        (["--iterations", str(2**63)], "argument --iterations: must be a whole number from 1 to"),
        (["--seed", "-1"], "argument --seed: must be a whole number >= 0"),
        (["--seed", "x"], "argument --seed: must be a whole number >= 0"),
        (["--weight", "nan"], "argument --weight: must be a finite number"),
        (["--weight", "1e300"], "argument --weight: must be a finite number within ±1e12"),
        (["--bias", "inf"], "argument --bias: must be a finite number"),
        (["--bias", "b"], "argument --bias: must be a finite number"),
        (["--speed", "0"], "argument --speed: must be a number > 0"),
        (["--speed", "-5"], "argument --speed: must be a number > 0"),
        (["--speed", "1e10"], "argument --speed: must be a number > 0 and at most 1e9"),
        (["--fps", "0"], "argument --fps: must be a whole number from 1 to 60"),
        (["--fps", "120"], "argument --fps: must be a whole number from 1 to 60"),
        (["--fps", "ten"], "argument --fps: must be a whole number from 1 to 60"),
        (["--lr"], "argument --lr/--learning-rate: expected one argument"),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["--optimizer", "lbfgs"], "argument --optimizer: invalid choice: 'lbfgs'"),
    ],
)
def test_an_invalid_value_is_one_line_naming_the_option_and_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert expected in refused_line(argv, capsys)


def run_command(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_the_real_command_refuses_bad_input_without_a_traceback() -> None:
    result = run_command("--lr", "banana")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "c2f-tui: error: argument --lr/--learning-rate: must be a finite number > 0, got 'banana'"
    )
    assert "Traceback" not in result.stderr


def test_without_a_terminal_the_command_says_so_instead_of_drawing() -> None:
    result = run_command()
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "c2f-tui: error: the trainer needs a terminal "
        "(stdin, stdout and stderr); --headless trains without one"
    )


def test_version_and_help() -> None:
    version = run_command("--version")
    assert version.returncode == 0 and version.stdout.startswith("c2f-tui ")
    # The version printed is the one installed (pyproject reads it from core.__version__).
    assert version.stdout.split()[1] == importlib.metadata.version("c2f-tui")
    helped = run_command("--help")
    assert helped.returncode == 0
    for option in (
        "--lr",
        "--learning-rate",
        "--iterations",
        "--seed",
        "--weight",
        "--bias",
        "--speed",
        "--fps",
        "--version",
    ):
        assert option in helped.stdout


def test_negative_numbers_with_exponents_are_read_as_values() -> None:
    settings = parse_settings(["--weight", "-1.5e-1", "--bias", "-3e2"])
    assert (settings.weight, settings.bias) == (-0.15, -300.0)
    assert parse_settings(["--celsius-range", "-1e3", "1e3"]).celsius_range == (-1000.0, 1000.0)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--iterations", "1_0"], "argument --iterations: must be a whole number from 1 to "),
        (["--iterations", "10_000"], "argument --iterations: must be a whole number from 1 to "),
        (["--seed", "0_1"], "argument --seed: must be a whole number >= 0, got '0_1'"),
        (["--samples", "5_0"], "argument --samples: must be a whole number from 2 to "),
        (["--lr", "1_0e-4"], "argument --lr/--learning-rate: must be a finite number > 0"),
        (["--weight", "1_0"], "argument --weight: must be a finite number within ±1e12"),
        (["--bias=-1_0"], "argument --bias: must be a finite number within ±1e12"),
        (["--speed", " 10"], "argument --speed: must be a number > 0"),
        (["--compare", "lr=1_0"], "argument --compare: lr must be a finite number > 0"),
        (["--seed", "9" * 5000], "argument --seed: must be a whole number >= 0"),
    ],
)
def test_only_ascii_decimals_are_numbers_not_what_python_also_reads(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 21 item 13: ``int`` and ``float`` read ``1_0`` as 10 (and ``int`` gives up on
    4,300 digits); no other numeric tool does, so an option refuses it."""
    assert expected in refused_line(argv, capsys)


def test_plain_decimals_in_every_form_are_still_read() -> None:
    settings = parse_settings(
        ["--iterations", "+5", "--lr", ".5e-4", "--weight", "2.", "--bias", "-3E+1"]
    )
    assert (settings.iterations, settings.learning_rate) == (5, 0.5e-4)
    assert (settings.weight, settings.bias) == (2.0, -30.0)
