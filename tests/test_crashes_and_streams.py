"""Crashes, closed streams and hostile input on the command line: issue 14, items 1, 8, 11, 17,
18, 19 and 22, the exit-status table, and issue 10 item 12 (rounding noise printed as 0)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core import Trainer
from tests.conftest import refused_line
from tests.pty_harness import REPO, PtyApp
from tests.test_signals import output, terminal_restored
from tui.cli.exits import EXIT_STATUSES, exit_status
from tui.cli.main import main

README = REPO / "README.md"

CRASHING = """
import sys
import core.trainer
from tui.app import TrainerApp
from tui.cli.main import main

def crash(self, *args):
    raise ZeroDivisionError("injected by the test")

core.trainer.Trainer.run = crash
TrainerApp.action_quit = crash
sys.exit(main(sys.argv[1:]))
"""
"""c2f-tui with a bug planted where headless training and the app's q key will hit it."""

CRASH_LINE = re.compile(
    r"c2f-tui: crashed: ZeroDivisionError: injected by the test at <string>:\d+; "
    r"full traceback in (\S+\.txt)"
)


def crash_file(line: str) -> str:
    match = CRASH_LINE.fullmatch(line.strip())
    assert match, line
    text = Path(match.group(1)).read_text()
    Path(match.group(1)).unlink()
    return text


# -- crashes ---------------------------------------------------------------------------


def test_a_crash_is_one_line_naming_the_error_and_the_saved_traceback_and_exit_1() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CRASHING, "--headless"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    saved = crash_file(result.stderr)
    assert "Traceback (most recent call last)" in saved
    assert saved.rstrip().endswith("ZeroDivisionError: injected by the test")


def test_debug_prints_the_traceback_instead() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CRASHING, "--headless", "--debug"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last)")
    assert result.stderr.rstrip().endswith("ZeroDivisionError: injected by the test")


@pytest.mark.pty
def test_a_crash_on_screen_restores_the_terminal_and_exits_1() -> None:
    with PtyApp([sys.executable, "-c", CRASHING, "--paused"]) as app:
        assert app.wait_for("PAUSED"), app.screen()
        app.press("q")
        assert app.wait(15) == 1
        assert terminal_restored(app)
        raw = output(app)
        after = raw[raw.rfind(b"\x1b[?1049l") :].decode(errors="replace")
        (line,) = [text for text in after.splitlines() if "crashed" in text]
        saved = crash_file(re.sub(r"\x1b\[[0-9;?<>]*[A-Za-z]", "", line))
        assert "ZeroDivisionError: injected by the test" in saved
        assert "Traceback" not in after


# -- closed standard streams ------------------------------------------------------------


def run_with_closed(redirection: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """``python -m tui ARGV REDIRECTION`` in a shell, e.g. ``2>&-`` closes stderr."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirection}', "sh", sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


@pytest.mark.parametrize("redirection", ["2>&-", "<&- 2>&-", ">/dev/null 2>&-"])
def test_closed_streams_still_train_and_export(redirection: str, tmp_path: Path) -> None:
    target = tmp_path / "run.csv"
    result = run_with_closed(
        redirection, "--headless", "--iterations", "50", "--export", str(target)
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert target.read_text().splitlines()[-1].startswith("50,")
    if redirection == "2>&-":
        assert result.stdout.startswith("status      done")


STDOUT_CLOSED = (
    "c2f-tui: error: standard output is closed (>&-): --headless writes its summary there; "
    "send it to /dev/null to discard it\n"
)


@pytest.mark.parametrize("redirection", [">&-", ">&- 2>&-", "<&- >&- 2>&-"])
@pytest.mark.parametrize("output", [(), ("--json",)])
def test_headless_with_stdout_closed_is_refused_in_one_line(
    redirection: str, output: tuple[str, ...], tmp_path: Path
) -> None:
    """A first-time user's find: ``c2f-tui --headless >&-`` trained, printed nowhere and
    exited 0. The summary is what --headless is for: refused before training, exit 2,
    as an --export path that cannot be written is (>/dev/null discards it on purpose)."""
    target = tmp_path / "run.csv"
    result = run_with_closed(redirection, "--headless", *output, "--export", str(target))
    assert result.returncode == 2
    assert result.stderr == ("" if "2>&-" in redirection else STDOUT_CLOSED)
    assert not target.exists()


def full_device(folder: Path) -> Path:
    """A device every write to fails with "No space left on device", like /dev/full.

    As root, a node of our own: code that wrongly replaces devices (as c2f-tui did
    before issue 14) must not be able to replace the system's /dev/full while tested.
    """
    if os.geteuid() != 0:
        return Path("/dev/full")
    node = folder / "full"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    return node


def test_with_stdout_discarded_an_export_that_fails_is_exit_1(tmp_path: Path) -> None:
    full = full_device(tmp_path)
    result = run_with_closed(
        ">/dev/null", "--headless", "--iterations", "50", "--export", str(full)
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"c2f-tui: error: --export: cannot write {full}: No space left on device\n"
    )


# -- the exit-status table ----------------------------------------------------------------


def test_exit_statuses_take_precedence_in_the_documented_order() -> None:
    assert exit_status(signal_number=15, diverged=True, output_failed=True) == 143
    assert exit_status(diverged=True, output_failed=True) == 3
    assert exit_status(unstable=True) == 3
    assert exit_status(output_failed=True) == 1
    assert exit_status() == 0


def test_a_diverged_run_whose_export_fails_exits_3_not_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = full_device(tmp_path)
    assert main(["--headless", "--lr", "1", "--export", str(full)]) == 3
    captured = capsys.readouterr()
    assert captured.out.startswith("status      DIVERGED at iteration")
    assert captured.err.startswith(f"c2f-tui: error: --export: cannot write {full}")


def test_the_table_is_in_help_and_readme() -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert EXIT_STATUSES in helped.stdout
    readme = README.read_text()
    for status in ("128+n", "3", "1", "2", "0"):
        assert re.search(rf"^\| `?{re.escape(status)}`? +\|", readme, re.M), status


# -- what --export refuses, before training -------------------------------------------------


def test_a_fifo_export_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)

    def must_not_train(self: Trainer, iterations: int) -> int:
        raise AssertionError("training started")

    monkeypatch.setattr(Trainer, "run", must_not_train)
    assert main(["--headless", "--export", str(fifo)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"c2f-tui: error: --export: cannot write {fifo}: it is a named pipe (FIFO); "
        "only a regular file or a character device such as /dev/null is written\n"
    )


def test_a_name_too_long_is_a_one_line_export_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ("r" * 300 + ".csv")
    assert main(["--headless", "--export", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"c2f-tui: error: --export: cannot write {path}: its name is 304 bytes long; "
        "the limit is 255\n"
    )


def test_help_says_what_export_does_to_each_kind_of_file() -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, cwd=REPO
    )
    text = " ".join(helped.stdout.split())
    assert "a regular file is replaced atomically, keeping its permissions" in text
    assert "a character device (/dev/null, a terminal) is written directly" in text
    assert "a directory, named pipe or socket is refused" in text


# -- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--lr", "١٢"], "U+0661 ARABIC-INDIC DIGIT ONE"),
        (["--iterations", "𝟓"], "U+1D7D3 MATHEMATICAL BOLD DIGIT FIVE"),
        (["--seed", "５"], "U+FF15 FULLWIDTH DIGIT FIVE"),
        (["--celsius-range", "0", "1０"], "U+FF10 FULLWIDTH DIGIT ZERO"),
    ],
)
def test_numbers_on_the_command_line_are_ascii_only(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused_line(["--headless", *argv], capsys)
    assert f"({named} is not ASCII; type numbers in ASCII)" in line


@pytest.mark.parametrize(
    "option", [["--step"], ["--paused"], ["--speed", "5"], ["--ascii"], ["--fps", "3"]]
)
def test_screen_only_options_are_refused_headless(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused_line(["--headless", *option], capsys)
    assert line == (
        f"c2f-tui: error: argument {option[0]}: not allowed with argument --headless "
        "(it changes only the screen, and a headless run has none)"
    )


def test_control_characters_in_echoed_input_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "run\x1b[2J\n.csv"
    assert main(["--headless", "--iterations", "5", "--export", str(target)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.splitlines()[-1].endswith("run\\x1b[2J\\n.csv")
    line = refused_line(["--bogus\x1b]0;owned\x07"], capsys)
    assert line == "c2f-tui: error: unrecognized arguments: --bogus\\x1b]0;owned\\x07"
    assert main(["--headless", "--data", str(tmp_path / "no\x1bpe.csv")]) == 2
    assert "\\x1bpe.csv: no such file" in capsys.readouterr().err


# -- rounding noise -------------------------------------------------------------------------


def test_rounding_noise_is_printed_as_a_bound_and_kept_in_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 23 item 6: a value within rounding noise of 0 but not 0 is printed as the bound
    it is below (it was printed as 0), and JSON keeps it whole."""
    assert main(["--headless", "--iterations", "200000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].split("distance ")[-1].startswith("< "), "the bias is not exactly there"
    assert "minimum < " in lines[4], "the least loss is rounding noise, not 0"
    assert main(["--headless", "--json", "--iterations", "200000"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 0 < result["minimum_loss"] < 1e-20


async def test_the_apps_export_notice_escapes_the_path(tmp_path: Path) -> None:
    from tests.conftest import paused_app

    target = tmp_path / "lesson\x1b[2J.csv"
    app = paused_app(export=target)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        (note,) = list(app._notifications)
        assert "\x1b" not in note.message and "lesson\\x1b[2J.csv" in note.message
