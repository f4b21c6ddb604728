"""Every catchable signal ends a run the way Ctrl+C does: issue 14, items 3, 12 and 13.

Headless: training stops between two iterations, the export is written whole,
the summary printed (on stderr if stdout is gone), exit 128 + n. On screen:
Textual's own shutdown restores the terminal (alternate screen left, mouse
reporting off, cursor shown, tty modes back), exit 128 + n. During start-up:
128 + n, quietly.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from core import Trainer
from tests.pty_harness import REPO, PtyApp, command
from tests.test_headless import start_endless_run, wait_for_progress

pytestmark = pytest.mark.pty

RESTORING = (b"\x1b[?1049l", b"\x1b[?25h", b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l")
"""Leave the alternate screen, show the cursor, stop reporting the mouse (three modes)."""


def terminal_restored(app: PtyApp) -> bool:
    """Everything the app turned on when it last entered the alternate screen is off again,
    and the terminal echoes and reads lines as before."""
    raw = b"".join(chunk.data for chunk in app.chunks)
    entered = raw.rfind(b"\x1b[?1049h")
    modes = termios.tcgetattr(app._master)[3]
    return (
        entered >= 0
        and all(sequence in raw[entered:] for sequence in RESTORING)
        and bool(modes & termios.ECHO and modes & termios.ICANON)
    )


def output(app: PtyApp) -> bytes:
    return b"".join(chunk.data for chunk in app.chunks)


# -- headless ---------------------------------------------------------------------------


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_a_headless_run_ended_by_a_signal_keeps_its_summary_and_export(
    ending: signal.Signals, tmp_path: Path
) -> None:
    target = tmp_path / "run.csv"
    process, master = start_endless_run("--export", str(target))
    try:
        wait_for_progress(master)
        process.send_signal(ending)
        out, _ = process.communicate(timeout=60)
    finally:
        process.kill()
        os.close(master)
    assert process.returncode == 128 + ending
    lines = out.decode().splitlines()
    assert lines[0] == f"status      INTERRUPTED by {ending.name}"
    reached = int(lines[1].split()[1].replace(",", ""))
    rows = target.read_text().splitlines()
    assert rows[-1].startswith(f"{reached},"), "the export holds the last iteration reached"
    reference = Trainer(seed=0, optimizer="adam")  # --optimizer adam: Adam's own rate, 0.1
    reference.run(reached)
    assert float(rows[-1].split(",")[1]) == reference.weight
    assert os.listdir(tmp_path) == ["run.csv"], "no temporary file left behind"


def test_when_the_terminal_hangs_up_the_summary_goes_to_stderr(tmp_path: Path) -> None:
    """An SSH disconnect: stdout's terminal is gone (writes fail), SIGHUP arrives."""
    target = tmp_path / "run.csv"
    out_master, out_slave = os.openpty()
    err_master, err_slave = os.openpty()
    process = subprocess.Popen(
        [
            *command(
                "--headless",
                "--optimizer",
                "adam",
                "--iterations",
                "1000000000000",
                "--export",
                str(target),
            )
        ],
        stdin=subprocess.DEVNULL,
        stdout=out_slave,
        stderr=err_slave,
        cwd=REPO,
    )
    os.close(out_slave)
    os.close(err_slave)
    try:
        wait_for_progress(err_master)
        os.close(out_master)  # the far end of stdout hangs up: writing to it now fails
        process.send_signal(signal.SIGHUP)
        status = process.wait(60)
        seen = b""
        while b"rows to" not in seen:
            seen += os.read(err_master, 65536)
    finally:
        process.kill()
        os.close(err_master)
    assert status == 128 + signal.SIGHUP
    assert "status      INTERRUPTED by SIGHUP" in seen.decode()
    assert target.read_text().startswith("iteration,")


def test_sighup_stays_ignored_under_nohup() -> None:
    """``nohup c2f-tui --headless ...``: the hang-up is ignored, a later Ctrl+C still stops it."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [*command("--headless", "--optimizer", "adam", "--iterations", "1000000000000")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=REPO,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    os.close(slave)
    try:
        wait_for_progress(master)
        process.send_signal(signal.SIGHUP)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    finally:
        process.kill()
        os.close(master)
    assert process.returncode == 130
    assert out.decode().startswith("status      INTERRUPTED by Ctrl+C\n")


# -- start-up ---------------------------------------------------------------------------

SIGNAL_WHILE_IMPORTING = """
import importlib.abc, os, signal, sys

class SignalOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == sys.argv[1]:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), getattr(signal, sys.argv[2]))
        return None

sys.meta_path.insert(0, SignalOnImport())
from tui.cli.main import main
sys.exit(main(sys.argv[3:]))
"""
"""Run c2f-tui, sending itself signal argv[2] while module argv[1] is being imported."""


@pytest.mark.parametrize(
    ("module", "ending"),
    [
        ("numpy", "SIGINT"),  # Ctrl+C while numpy loads, the longest part of start-up
        ("core", "SIGINT"),
        ("numpy", "SIGTERM"),
        ("tui.cli.headless", "SIGHUP"),
    ],
)
def test_a_signal_while_modules_load_ends_quietly(module: str, ending: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SIGNAL_WHILE_IMPORTING, module, ending, "--headless"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        128 + getattr(signal, ending),
        "",
        "",
    )


def test_ctrl_c_while_the_screen_loads_leaves_the_terminal_untouched() -> None:
    argv = [sys.executable, "-c", SIGNAL_WHILE_IMPORTING, "textual.app", "SIGINT", "--paused"]
    with PtyApp(argv) as app:
        assert app.wait(30) == 130
    assert b"Traceback" not in output(app) and b"\x1b[?1049h" not in output(app)


def test_a_signal_while_waiting_for_a_data_pipe_ends_quietly(tmp_path: Path) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [*command("--headless", "--data", str(fifo))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert process.stderr is not None
    ready, _, _ = select.select([process.stderr], [], [], 60)  # said after NOTICE seconds
    if not ready:
        process.kill()
    assert ready, "nothing said while waiting for the pipe"
    waiting = process.stderr.readline().decode()
    assert waiting.startswith("c2f-tui: --data: waiting for a program to write to")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (143, b"", b"")


# -- on screen ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ending", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGINT, signal.SIGUSR1]
)
def test_a_signal_to_the_app_restores_the_terminal(ending: signal.Signals) -> None:
    with PtyApp(command("--paused")) as app:
        assert app.wait_for("PAUSED"), app.screen()
        app.process.send_signal(ending)
        assert app.wait(15) == 128 + ending
        assert terminal_restored(app)
        assert b"Traceback" not in output(app)


STUCK = """
import sys, time
from tui.app import TrainerApp
from tui.cli.main import main

def stuck(self, *args):
    while True:  # a handler that never returns: the event loop cannot turn
        time.sleep(0.01)

TrainerApp.action_help = stuck
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_an_app_that_cannot_answer_still_gets_its_terminal_restored() -> None:
    """A second signal does not wait for the app: the watchdog restores the terminal
    with the driver's own restore, then ends the process."""
    with PtyApp([sys.executable, "-c", STUCK, "--paused"]) as app:
        assert app.wait_for("PAUSED"), app.screen()
        app.press("?")
        app.wait_until_quiet(0.3)
        app.process.send_signal(signal.SIGTERM)
        app.process.send_signal(signal.SIGTERM)
        assert app.wait(15) == 143
        assert terminal_restored(app)


def test_a_signal_while_the_export_path_is_checked_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check makes and removes a temporary file; SIGTERM in between waits for it."""
    from core import export
    from tui.cli.main import main

    real = export._create_temporary

    def then_terminated(*args: Path) -> tuple[int, str]:
        made = real(*args)
        os.kill(os.getpid(), signal.SIGTERM)
        return made

    monkeypatch.setattr(export, "_create_temporary", then_terminated)
    assert main(["--headless", "--export", str(tmp_path / "run.csv")]) == 143
    assert os.listdir(tmp_path) == []
    assert capsys.readouterr().out == ""
