"""The command line's data, headless and export options: contradictions are one line, exit 2.

(Kept apart from ``test_tui_cli.py`` so that options added there and here merge cleanly.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import refused_line
from tests.test_tui_cli import run_command
from tui.cli.main import main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--data", "m.csv", "--samples", "5"],
            "argument --data: not allowed with argument --samples",
        ),
        (
            ["--data", "m.csv", "--celsius-range", "0", "1"],
            "argument --data: not allowed with argument --celsius-range",
        ),
        (
            ["--data", "m.csv", "--noise", "1"],
            "argument --noise: not allowed with argument --data "
            "(noise is added to synthetic data only)",
        ),
        (
            ["--celsius-range", "5", "5"],
            "argument --celsius-range: LO must be less than HI, got 5 and 5",
        ),
        (["--celsius-range", "9", "-3"], "LO must be less than HI, got 9 and -3"),
        (["--celsius-range", "5"], "argument --celsius-range: expected 2 arguments"),
        (["--celsius-range", "0", "nan"], "argument --celsius-range: must be a finite number"),
        (["--celsius-range", "0", "1e13"], "must be a finite number within ±1e12, got '1e13'"),
        (["--samples", "1"], "argument --samples: must be a whole number from 2 to 100,000"),
        (["--samples", "100001"], "argument --samples: must be a whole number from 2 to 100,000"),
        (["--samples", "many"], "argument --samples: must be a whole number"),
        (["--noise", "-1"], "argument --noise: must be a finite number from 0 to 1e12, got '-1'"),
        (["--noise", "inf"], "argument --noise: must be a finite number from 0 to 1e12"),
        (["--json"], "argument --json: only with --headless"),
        (["--data"], "argument --data: expected one argument"),
        (["--export"], "argument --export: expected one argument"),
    ],
)
def test_a_contradiction_or_bad_value_is_one_line_and_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert expected in refused_line(argv, capsys)


def test_a_synthetic_range_too_narrow_to_teach_a_line_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--headless", "--celsius-range", "0", "1e-200"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "c2f-tui: error: argument --celsius-range: the celsius values are too close together"
    )
    assert len(captured.err.splitlines()) == 1


def test_the_screen_refuses_an_unwritable_export_path_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["--export", str(blocker / "run.csv")]) == 2
    assert capsys.readouterr().err == (
        f"c2f-tui: error: --export: cannot write {blocker / 'run.csv'}: "
        "part of its folder path is not a folder\n"
    )


def test_help_lists_the_new_options() -> None:
    helped = run_command("--help")
    assert helped.returncode == 0
    text = " ".join(helped.stdout.split())  # argparse wraps lines where it likes
    for option in (
        "--data FILE",
        "--celsius-range LO HI",
        "--samples N",
        "--noise SIGMA",
        "--headless",
        "--json",
        "--export PATH",
        "at most 100,000 rows and 10,000,000 bytes",
        "exit status (the first that applies):",
        "128+n ended by signal n: 130 Ctrl+C (SIGINT), 129 SIGHUP, 131 SIGQUIT, 143 SIGTERM;",
        "3 headless: training diverged, or is unstable (its rate makes the error grow or "
        "stall, so it can never converge), or oscillates (the published gradient above its "
        "limit: it neither converges nor diverges), whatever --iterations",
    ):
        assert option in text
