"""The real program reads keys without waking while nothing is typed (``tui.cli.input_thread``).

Textual's own input thread wakes ten times a second to look for input it could have
waited for: CPU that every idle or slowly training learner on a server pays. These
run the real ``c2f-tui`` on a pseudo-terminal and count the times its threads wake.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.pty_harness import PtyApp, command

pytestmark = pytest.mark.pty


def wakeups(pid: int) -> int:
    """Times the threads of process ``pid`` have given up the CPU to wait (Linux's count)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def test_a_paused_app_that_is_not_typed_at_does_not_wake() -> None:
    with PtyApp(command("--paused"), columns=80, rows=24) as app:
        assert app.wait_for("PAUSED")
        assert app.wait_until_quiet(1.0)
        before = wakeups(app.process.pid)
        time.sleep(2.0)
        woke = wakeups(app.process.pid) - before
        # Textual's input thread alone woke ~20 times in 2 s (a 0.1 s poll).
        assert woke < 5, f"{woke} wake-ups in 2 s with nothing to do"
        app.press("q")
        assert app.wait() == 0


def test_keys_and_a_lone_escape_still_arrive() -> None:
    """Escape alone is told from the start of a sequence by the parser's deadline, which
    the thread now waits for instead of polling: the dialog still closes, and q quits."""
    with PtyApp(command("--paused"), columns=80, rows=24) as app:
        assert app.wait_for("PAUSED")
        assert app.wait_until_quiet(0.5)
        assert a_dialog_opens_and_a_lone_escape_closes_it(app)
        app.press("q")
        assert app.wait() == 0


def test_after_a_suspend_and_resume_keys_arrive_and_it_stays_quiet() -> None:
    """SIGTSTP stops and closes Textual's driver and SIGCONT starts it again: the thread
    that reads keys comes back (with a wake pipe of its own) and still sleeps when idle."""
    with PtyApp(command("--paused"), columns=80, rows=24) as app:
        assert app.wait_for("PAUSED")
        assert app.wait_until_quiet(0.5)
        pid = app.process.pid
        os.kill(pid, signal.SIGTSTP)
        deadline = time.monotonic() + 5
        while state(pid) != "T" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert state(pid) == "T", "suspended"
        resumed = time.monotonic()
        os.kill(pid, signal.SIGCONT)
        # Resumed, the app draws its screen again: a key typed before that (a loaded
        # machine can take seconds) reaches a terminal not yet in the app's mode.
        deadline = resumed + 15
        while not app.bytes_written(since=resumed) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert app.bytes_written(since=resumed), "drawn again after SIGCONT"
        assert app.wait_until_quiet(1.0)
        before = wakeups(pid)
        time.sleep(1.0)
        assert wakeups(pid) - before < 5
        assert a_dialog_opens_and_a_lone_escape_closes_it(app)
        app.press("q")
        assert app.wait() == 0


def a_dialog_opens_and_a_lone_escape_closes_it(app: PtyApp) -> bool:
    """``l`` opens the rate dialog and escape, pressed alone, closes it within 5 s."""
    app.press("l")
    assert app.wait_for("Learning rate"), app.screen()
    app.press("escape")
    deadline = time.monotonic() + 5
    while "Learning rate" in app.screen() and time.monotonic() < deadline:
        time.sleep(0.02)
    return "Learning rate" not in app.screen()


def state(pid: int) -> str:
    """The process's state letter (``T``: stopped)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]
