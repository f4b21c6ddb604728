"""Mash random keys on the real ``c2f-tui`` in a pseudo-terminal, as issue 21 found the wedge.

    .venv/bin/python tests/perf/mash_pty.py                        # 20,000 keys, seed 0
    .venv/bin/python tests/perf/mash_pty.py --keys 1000 --runs 6   # issue 21's reproduction

Starts ``c2f-tui --speed 1000`` at 80×24 (``tests/pty_harness.py``, whose reader
drains the terminal as fast as a real terminal does: a slow reader hides the
wedge), types bursts of ``--burst`` keys from issue 21's set
(``snfbg+=-lr e[]#vtzoc><.,x?`` plus enter, tab and backspace), then after each
run checks what a learner would: ``q`` quits at once, with status 0, whatever
is open (in 0.2 it was typed into a dialog a burst had left open); if not,
whether escape, ``?`` and ``q`` still get out. Prints the program's
resident memory (from /proc) at the start and after the keys, and a line per run.
Exit status 0 if every run quit at once, 1 otherwise. Never part of the suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.pty_harness import PtyApp, command

KEYS = [*"snfbg+=-lr e[]#vtzocp><.,x?", "\r", "\t", "\x7f"]
"""Issue 21's keys: the key table's characters, enter, tab and backspace."""


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_run(seed: int, keys: int, burst: int, pause: float, folder: Path) -> tuple[bool, str]:
    """Mash ``keys`` keys; whether the app then answered escape, ? and q, and a report line."""
    rng = Random(seed)
    with PtyApp(command("--speed", "1000"), columns=80, rows=24, cwd=folder) as app:
        if not app.wait_for("Quit", timeout=30):
            return False, "never drew its Footer"
        start = rss_mib(app.process.pid)
        sent = 0
        while sent < keys:
            count = min(burst, keys - sent)
            app.press("".join(rng.choice(KEYS) for _ in range(count)))
            sent += count
            time.sleep(pause)
        app.wait_until_quiet(quiet=1.0, timeout=60)
        after = rss_mib(app.process.pid)
        app.press("q")  # what issue 21 found: q no longer quit (typed into a dialog)
        try:
            status = app.wait(timeout=5)
            quit_at_once, helped = status == 0, True
        except Exception:  # a wedged app does not exit: that is the finding
            quit_at_once = False
            app.press("escape")
            time.sleep(0.5)
            app.press("escape")
            app.wait_until_quiet(quiet=0.5, timeout=10)
            app.press("?")
            helped = app.wait_for("c2f-tui help", timeout=10)
            app.press("escape")
            app.wait_until_quiet(quiet=0.5, timeout=10)
            app.press("q")
            try:
                status = app.wait(timeout=15)
            except Exception:
                status = None
        line = (
            f"seed {seed}: {sent:,} keys, RSS {start:.0f} → {after:.0f} MiB "
            f"({after / start:.2f}×), q quit at once: {quit_at_once}"
            + ("" if quit_at_once else f"; after escape, ? opened help: {helped}")
            + f"; exit status {status}"
        )
        return quit_at_once, line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=20_000)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between bursts")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    import tempfile

    ok = 0
    with tempfile.TemporaryDirectory() as folder:  # x writes its exports here
        for run in range(arguments.runs):
            answered, line = one_run(
                arguments.seed + run, arguments.keys, arguments.burst, arguments.pause, Path(folder)
            )
            ok += answered
            print(line, flush=True)
    print(f"{ok} of {arguments.runs} runs quit at once on q")
    return 0 if ok == arguments.runs else 1


if __name__ == "__main__":
    sys.exit(main())
