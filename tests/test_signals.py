"""Every catchable signal ends a run the way Ctrl+C does: issue 14, items 3, 12 and 13.

Headless: training stops between two iterations, the export is written whole,
the summary printed (on stderr if stdout is gone), exit 128 + n. On screen:
Textual's own shutdown restores the terminal (alternate screen left, mouse
reporting off, cursor shown, tty modes back), exit 128 + n. During start-up:
128 + n, quietly.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import termios
import time
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


# -- output that blocks (issue 21 item 4) -------------------------------------------------

WORDS = {signal.SIGINT: "Ctrl+C"}
"""How the summary names a signal, where not by its name."""


@pytest.mark.parametrize("ending", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_a_signal_ends_an_export_to_a_terminal_nobody_reads(ending: signal.Signals) -> None:
    """The export (about 130 KB) fills a pseudo-terminal whose other end is never read, and
    its write blocks. A signal then ends the write: 128 + n, the summary, and a line
    saying the export was cut (before, each signal was ignored until a reader drained it,
    and the run exited 0)."""
    master, slave = os.openpty()
    device = os.ttyname(slave)
    process = subprocess.Popen(
        command("--headless", "--export", device),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        started, _, _ = select.select([master], [], [], 60)  # the export's first bytes
        assert started, "the export never began"
        process.send_signal(ending)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        os.close(master)
        os.close(slave)
    words = WORDS.get(ending, ending.name)
    assert process.returncode == 128 + ending
    assert out.decode().splitlines()[0] == f"status      INTERRUPTED by {words}"
    assert "exported" not in out.decode()
    assert err.decode() == (
        f"c2f-tui: error: --export: {device}: interrupted by {words}; it holds part of the run\n"
    )


def test_a_signal_ends_a_run_whose_terminal_is_paused_with_ctrl_s() -> None:
    """Ctrl+S stops the terminal's output: the progress bar's next write blocks. SIGTERM
    ends it, and the summary still reaches stdout (a pipe here)."""
    process, master = start_endless_run()
    try:
        wait_for_progress(master)
        os.write(master, b"\x13")  # Ctrl+S, as typed (the terminal has IXON, as by default)
        paused = output_stops(master)
        assert paused, "the terminal did not pause"
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        process.kill()
        os.close(master)
    assert process.returncode == 143
    assert out.decode().startswith("status      INTERRUPTED by SIGTERM\n")


def test_a_paused_terminal_holding_every_output_still_ends_at_once() -> None:
    """stdout, stderr and --export on one terminal paused with Ctrl+S: nothing can be
    written anywhere, and SIGTERM still ends the run with 143 (its last lines are
    offered for LAST_WORDS_WAIT seconds each, not waited for)."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        command("--headless", "--export", os.ttyname(slave)),
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        cwd=REPO,
    )
    try:
        started, _, _ = select.select([master], [], [], 60)
        assert started, "the export never began"
        os.write(master, b"\x13")
        assert output_stops(master), "the terminal did not pause"
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 143
    finally:
        process.kill()
        os.close(master)
        os.close(slave)


def test_a_summary_blocked_on_a_paused_stdout_goes_to_stderr_after_a_signal() -> None:
    """stdout is a terminal paused with Ctrl+S before the summary is printed: SIGTERM ends
    that print, and the summary, saying so, reaches stderr (a pipe here)."""
    master, slave = os.openpty()
    os.write(master, b"\x13")
    process = subprocess.Popen(
        command("--headless", "--json"),
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        assert process.stderr is not None
        blocked, _, _ = select.select([process.stderr], [], [], 3)  # nothing comes
        assert not blocked
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
        os.close(master)
        os.close(slave)
    assert process.returncode == 143
    summary = json.loads(err)
    assert (summary["interrupted"], summary["signal"]) == (True, "SIGTERM")


def output_stops(master: int, timeout: float = 30.0) -> bool:
    """Read what the terminal shows until it shows nothing new for half a second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            return True
        os.read(master, 65536)
    return False


@pytest.mark.parametrize("signals", [1, 2])
def test_a_file_export_is_finished_after_one_signal_and_not_made_after_two(
    signals: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SIGTERM lands while the new export is half written. A file on disk takes
    milliseconds and is what the run is kept for: one signal lets it finish (exit 143).
    A second one insists: the export is not made, the earlier file is left exactly as
    it was, no temporary file stays (before, every signal was ignored until the end,
    and the run exited 0)."""
    from core import export
    from tui.cli.main import main

    target = tmp_path / "run.csv"
    target.write_text("an earlier run\n")
    real = export._copy_ownership

    def then_terminated(descriptor: int, existing: os.stat_result) -> None:
        real(descriptor, existing)
        os.write(descriptor, b"iteration,weight\n0,")  # half a row on its way
        for _ in range(signals):
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(export, "_copy_ownership", then_terminated)
    assert main(["--headless", "--export", str(target)]) == 143
    assert os.listdir(tmp_path) == ["run.csv"]
    captured = capsys.readouterr()
    assert captured.out.startswith("status      INTERRUPTED by SIGTERM\n")
    if signals == 1:
        assert target.read_text().splitlines()[-1].startswith("10000,")
        assert f"exported    1,232 rows to {target}" in captured.out
        assert captured.err == ""
    else:
        assert target.read_text() == "an earlier run\n"
        assert "exported" not in captured.out
        assert captured.err == (
            f"c2f-tui: error: --export: {target}: interrupted by SIGTERM; not written "
            "(left as it was)\n"
        )


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


@pytest.mark.parametrize("ending", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_the_wait_for_a_pipe_held_open_at_once(
    ending: signal.Signals, tmp_path: Path
) -> None:
    """Issue 21 item 8: a writer sent two rows and keeps the pipe open. The command says
    it is waiting (after NOTICE, 2 s), and Ctrl+C or SIGTERM then ends it with 128 + n,
    long before the 30 s deadline would (which would be status 2 and a line)."""
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
    try:
        with open(fifo, "wb") as writer:  # returns once the command has opened its end
            writer.write(b"0,32\n100,212\n")
            writer.flush()
            ready, _, _ = select.select([process.stderr], [], [], 60)
            assert ready, "nothing said while waiting for the pipe's end"
            waiting = process.stderr.readline().decode()
            assert waiting.startswith("c2f-tui: --data: waiting for a program to write to")
            process.send_signal(ending)
            out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (128 + ending, b"", b"")


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
