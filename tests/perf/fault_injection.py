"""Fault injection: signals at random moments and exports racing, counted trial by trial.

Not part of the test suite (nothing here is asserted, and it takes minutes):
it repeats issue 14's sweeps against the real command and prints, for each
category, how many trials were made and how many the program survived.

* headless TERM / HUP / INT: ``--headless --export out.csv`` over an earlier
  ``out.csv``, the signal at a random moment of start-up or training, near the
  end, or the moment the export's temporary file appears.
  Survived: no traceback, no temporary file left, ``out.csv`` either the
  earlier file untouched or complete; and once training had begun (its
  progress bar was drawn), exit 128 + n with a summary whose iteration is the
  export's last row.
* headless KILL: ``out.csv`` never partial. Orphaned temporary files are
  counted, aged by two minutes, and one more export to the folder is made:
  survived if it removed them.
* screen TERM / HUP / QUIT: the app on a pseudo-terminal, the signal at a
  random moment (start-up included). Survived: once the app had entered the
  alternate screen, it left it, turned mouse reporting off, showed the cursor,
  and the terminal echoes again; exit 128 + n; no traceback.
* screen Ctrl+C during start-up: no traceback, and exit 130 or an app that
  answers q.
* export race, library: two processes exporting under a default name in one
  folder in the same second. Survived: two files.
* export race, app: two trainers on pseudo-terminals in one folder pressing x
  at the same moment. Survived: two files.

    .venv/bin/python tests/perf/fault_injection.py                  # this checkout
    .venv/bin/python tests/perf/fault_injection.py --repo /tmp/main # another one ("before")
    .venv/bin/python tests/perf/fault_injection.py --trials 5       # fewer trials each

The command runs as ``python -m tui`` with the other checkout first on
PYTHONPATH. Where the checkout has no ``core.export.export_new_run`` (before
issue 14), the library race uses what the app's x did then:
``export_run(timestamped_path(now))``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(HERE))

from tests.pty_harness import PtyApp  # noqa: E402

EARLIER = "iteration,weight\n0,an earlier run\n"
"""What ``out.csv`` holds before each headless trial."""
TEMPORARY_MARKERS = (".c2f-tmp-", ".tmp")
"""Names of temporary files, after issue 14 and before it (``.out.csv.XXXXXXXX.tmp``)."""
RESTORING = (b"\x1b[?1049l", b"\x1b[?25h", b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l")


@dataclass
class Tally:
    """Trials and survivals of one category, with a note on each failure kind."""

    trials: int = 0
    survived: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def add(self, problems: list[str]) -> None:
        self.trials += 1
        if not problems:
            self.survived += 1
        for problem in problems:
            self.failures[problem] = self.failures.get(problem, 0) + 1


FOLDERS: list[Path] = []
"""Every trial's folder, removed when the sweep ends."""


def new_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="c2f-fault-"))
    FOLDERS.append(folder)
    return folder


def environment(repo: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(repo), "PYTHONWARNINGS": "error"}


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "tui", *arguments]


# -- headless ---------------------------------------------------------------------------


def headless_trial(repo: Path, ending: signal.Signals, rng: random.Random) -> list[str]:
    """One headless run, ``ending`` sent at a random moment; what went wrong (empty: nothing).

    A third of the runs are endless (the signal lands in start-up or training),
    a third end within a second or two (it may land near the end), and in a
    third the signal is sent the moment the export's temporary file appears.
    """
    folder = new_folder()
    target = folder / "out.csv"
    target.write_text(EARLIER)
    moment = rng.choice(("start-up or training", "end", "export"))
    endless = moment == "start-up or training"
    # Adam, whose run() walks every iteration (about 4 µs each): gradient descent jumps to
    # any iteration in closed form, too fast for a signal to land mid-run.
    iterations = str(10**12 if endless else rng.randrange(2 * 10**5, 2 * 10**6))
    master, slave = os.openpty()  # stderr on a terminal: the progress bar shows training began
    process = subprocess.Popen(
        command(
            "--headless", "--optimizer", "adam", "--iterations", iterations, "--export", str(target)
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=folder,
        env=environment(repo),
    )
    os.close(slave)
    errors = Drain(master)
    if moment == "export":
        wait_for_a_temporary_file(folder, process)
    else:
        time.sleep(rng.uniform(0.0, 2.0))
    began = b"iterations" in errors.data
    finished_first = process.poll() is not None
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(ending)
    try:
        out, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        return ["hung"]
    finally:
        errors.stop()
    problems = []
    summary = out.decode(errors="replace")
    problems += traceback_problem(summary + errors.data.decode(errors="replace"))
    if [name for name in os.listdir(folder) if name != "out.csv"]:
        problems.append("temporary file left")

    state = export_state(target)
    if state == "partial":
        problems.append("partial export")
    iteration = reached(summary)
    if iteration is not None:  # it trained and said how far: the export must be that run
        done = summary.startswith("status      done")  # the signal came after the run
        allowed = (0, 128 + ending, -ending) if done else (128 + ending,)
        if process.returncode not in allowed:
            problems.append(f"exit {process.returncode}")
        if state != iteration:
            problems.append("export is not the run reached")
    elif began or finished_first:
        problems.append("run lost (no summary)")
    elif process.returncode not in (128 + ending, -ending) or state != "earlier":
        problems.append(f"start-up: exit {process.returncode}, export {state}")
    return problems


def traceback_problem(text: str) -> list[str]:
    """``traceback (where)`` if ``text`` holds one: our code, or the interpreter's own start-up
    (``site``, ``runpy``, an editable install's finder), which runs before any of ours."""
    if "Traceback" not in text:
        return []
    files = re.findall(r'File "([^"]+)"', text[text.rfind("Traceback") :])
    ours = [name for name in files if "/tui/" in name or "/core/" in name]
    where = "c2f-tui's code" if ours else "interpreter start-up, before c2f-tui's code"
    return [f"traceback ({where})"]


def wait_for_a_temporary_file(folder: Path, process: subprocess.Popen[bytes]) -> None:
    """Return as soon as a file besides out.csv appears in ``folder`` (the export's temporary
    file), or the process ends."""
    while process.poll() is None:
        if any(name != "out.csv" for name in os.listdir(folder)):
            return
        time.sleep(0.0005)


def export_state(target: Path) -> str | int | None:
    """``earlier``, ``partial``, None (gone) or the last iteration of a complete export."""
    if not target.exists():
        return None
    text = target.read_text(errors="replace")
    if text == EARLIER:
        return "earlier"
    if not text.endswith("\n"):
        return "partial"
    try:
        rows = list(csv.reader(text.splitlines()))
        # Every row as wide as the header, whatever columns the export has (it gained some).
        assert rows[0][0] == "iteration" and all(len(row) == len(rows[0]) for row in rows)
        return int(rows[-1][0])
    except (AssertionError, IndexError, ValueError):
        return "partial"


def reached(summary: str) -> int | None:
    for line in summary.splitlines():
        if line.startswith("iterations  "):
            return int(line.split()[1].replace(",", ""))
    return None


def kill_cleanup_trial(repo: Path, rng: random.Random) -> tuple[list[str], int, int]:
    """A KILL trial, then one more export to the folder after ageing what the KILL left.

    Returns the problems, the temporary files orphaned, and how many the next
    export removed.
    """
    folder_problems = headless_trial_in_kept_folder(repo, rng)
    problems, folder = folder_problems
    orphans = [path for path in folder.iterdir() if path.name != "out.csv"]
    if not orphans:
        return problems, 0, 0
    aged = time.time() - 120
    for path in orphans:
        os.utime(path, (aged, aged))
    subprocess.run(
        command("--headless", "--iterations", "10", "--export", str(folder / "next.csv")),
        capture_output=True,
        cwd=folder,
        env=environment(repo),
        timeout=60,
    )
    removed = sum(not path.exists() for path in orphans)
    return problems, len(orphans), removed


def headless_trial_in_kept_folder(repo: Path, rng: random.Random) -> tuple[list[str], Path]:
    """A KILL trial: at a random moment of a run that ends within about a second, or the
    moment the export's temporary file appears."""
    folder = new_folder()
    target = folder / "out.csv"
    target.write_text(EARLIER)
    process = subprocess.Popen(
        command(
            "--headless", "--iterations", str(rng.randrange(10**6, 10**7)), "--export", "out.csv"
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
        env=environment(repo),
    )
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.2, 1.5))
    else:
        wait_for_a_temporary_file(folder, process)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    process.wait(60)
    problems = ["partial export"] if export_state(target) == "partial" else []
    return problems, folder


class Drain:
    """Reads a pseudo-terminal's master in the background, so the program never blocks on it."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.data = b""
        self._running = True
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while self._running:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.data += chunk

    def stop(self) -> None:
        time.sleep(0.1)
        self._running = False
        self._thread.join(2)
        with contextlib.suppress(OSError):
            os.close(self.master)


# -- on screen --------------------------------------------------------------------------


def screen_trial(repo: Path, ending: signal.Signals, rng: random.Random) -> list[str]:
    folder = new_folder()
    with PtyApp(command("--paused"), env=environment(repo), cwd=folder) as app:
        time.sleep(rng.uniform(0.0, 3.0))
        app.process.send_signal(ending)
        try:
            status = app.wait(15)
        except subprocess.TimeoutExpired:
            return ["hung"]
        time.sleep(0.2)
        return screen_problems(app, status, 128 + ending, -ending)


def screen_problems(app: PtyApp, status: int, *allowed: int) -> list[str]:
    raw = b"".join(chunk.data for chunk in app.chunks)
    problems = traceback_problem(raw.decode(errors="replace"))
    entered = raw.rfind(b"\x1b[?1049h")
    if entered >= 0:
        if not all(sequence in raw[entered:] for sequence in RESTORING):
            problems.append("terminal not restored")
        modes = termios.tcgetattr(app._master)[3]
        if not (modes & termios.ECHO and modes & termios.ICANON):
            problems.append("tty modes not restored")
    if status not in allowed:
        problems.append(f"exit {status}")
    return problems


def startup_ctrl_c_trial(repo: Path, rng: random.Random) -> list[str]:
    folder = new_folder()
    with PtyApp(command("--paused"), env=environment(repo), cwd=folder) as app:
        time.sleep(rng.uniform(0.0, 0.5))
        app.press("ctrl+c")
        try:
            status = app.wait(5)
        except subprocess.TimeoutExpired:  # the app was up: Ctrl+C is a key there
            app.press("q")
            try:
                status = app.wait(15)
            except subprocess.TimeoutExpired:
                return ["hung"]
            return screen_problems(app, status, 0)
        return screen_problems(app, status, 130, -signal.SIGINT)


# -- export races -----------------------------------------------------------------------

LIBRARY_RACE = """
import sys, time
from datetime import datetime
from pathlib import Path
from core import Trainer
import core.export as export

folder, seed, start = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
trainer = Trainer(seed=seed)
trainer.run(10)
while time.time() < start:
    pass
now = datetime.now()
if hasattr(export, "export_new_run"):
    export.export_new_run(trainer, folder, now=now)
else:  # before issue 14: what the app's x did
    export.export_run(export.timestamped_path(now, folder), trainer)
"""


def library_race_trial(repo: Path) -> list[str]:
    folder = new_folder()
    start = time.time() + 1.5
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", LIBRARY_RACE, str(folder), str(seed), str(start)],
            cwd=folder,
            env=environment(repo),
        )
        for seed in (1, 2)
    ]
    for process in processes:
        process.wait(60)
    files = list(folder.glob("c2f-run-*.csv"))
    return [] if len(files) == 2 else [f"{2 - len(files)} of 2 lost"]


def app_race_trial(repo: Path) -> list[str]:
    folder = new_folder()
    with contextlib.ExitStack() as stack:
        apps = [
            stack.enter_context(PtyApp(command("--paused"), env=environment(repo), cwd=folder))
            for _ in range(2)
        ]
        if not all(app.wait_for("PAUSED", 60) for app in apps):
            return ["did not start"]
        for app in apps:
            app.press("x")
        for app in apps:
            app.wait_for("written to", 15)
            app.press("q")
            app.wait(15)
    files = list(folder.glob("c2f-run-*.csv"))
    return [] if len(files) == 2 else [f"{2 - len(files)} of 2 lost"]


# -- the sweep ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=HERE, help="the checkout to test")
    parser.add_argument("--trials", type=int, default=20, help="trials per headless category")
    parser.add_argument("--seed", type=int, default=14)
    options = parser.parse_args()
    for ending in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT):
        # Children inherit an ignored signal (under nohup, SIGHUP is): the trials need defaults.
        if signal.getsignal(ending) == signal.SIG_IGN:
            signal.signal(ending, signal.SIG_DFL)
    repo, trials, rng = options.repo.resolve(), options.trials, random.Random(options.seed)
    screen_trials = max(2, trials // 2)
    race_trials = max(2, trials // 3)
    tallies: dict[str, Tally] = {}
    kill_orphans = kill_removed = 0

    def record(name: str, problems: list[str]) -> None:
        tallies.setdefault(name, Tally()).add(problems)
        print(f"  {name:<32} {'ok' if not problems else ', '.join(problems)}", flush=True)

    print(f"fault injection on {repo}\n")
    for ending in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        for _ in range(trials):
            record(f"headless {ending.name}", headless_trial(repo, ending, rng))
    for _ in range(trials):
        problems, orphans, removed = kill_cleanup_trial(repo, rng)
        kill_orphans += orphans
        kill_removed += removed
        record("headless SIGKILL (never partial)", problems)
    for ending in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        for _ in range(screen_trials):
            record(f"screen {ending.name}", screen_trial(repo, ending, rng))
    for _ in range(screen_trials):
        record("screen Ctrl+C during start-up", startup_ctrl_c_trial(repo, rng))
    for _ in range(trials):
        record("export race, library (pairs)", library_race_trial(repo))
    for _ in range(race_trials):
        record("export race, app x (pairs)", app_race_trial(repo))

    print(f"\n{'category':<34}{'trials':>7}{'survived':>10}  failures")
    for name, tally in tallies.items():
        failures = ", ".join(f"{kind} ×{n}" for kind, n in tally.failures.items())
        print(f"{name:<34}{tally.trials:>7}{tally.survived:>10}  {failures}")
    print(
        f"{'headless SIGKILL: orphans removed':<34}{kill_orphans:>7}{kill_removed:>10}  "
        "(temporary files left by KILL, and how many the next export removed)"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        for folder in FOLDERS:
            shutil.rmtree(folder, ignore_errors=True)
