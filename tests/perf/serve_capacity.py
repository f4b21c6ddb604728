"""How many learners one machine holds: ``c2f-tui serve`` under N real clients.

    .venv/bin/python tests/perf/serve_capacity.py               # ssh, N = 1,10,20,40,60 (~8 min)
    .venv/bin/python tests/perf/serve_capacity.py --mode lesson # 20 learners, chapters 1-3 (~2 min)
    .venv/bin/python tests/perf/serve_capacity.py --mode web    # websockets + a Chromium (~8 min)
    .venv/bin/python tests/perf/serve_capacity.py --sizes 1,10 --window 20
    .venv/bin/python tests/perf/serve_capacity.py -- --fps 2    # trainer options for the server

For each N it starts a fresh server on loopback, connects N learners at 80×24 (asyncssh
clients with a pseudo-terminal, or websocket clients speaking textual-serve's protocol;
``tests/serve_harness.py``), each reading its screen through pyte, waits until every
trainer is up, and then for ``--window`` seconds has every learner press a key every
2 s. What each key's *effect* is, is read off the learner's screen (``TRAINING`` and
``LESSON`` below): a key is timed from its write to the arrival of the bytes after
which its effect is on the screen, and a key whose effect has not shown within 5 s is
*unseen* (a wedge, if a learner's keys stop being answered).

* ``ssh`` (default): every trainer training, the keys ``+ t - space s [ ] e space l
  enter`` in turn (22 s a round; learners start at different places in it, so the rate
  dialog ``l`` opens about every 20 s for each learner, at different times).
* ``lesson``: ``--lesson 1``, each learner through chapters 1-3 (``] ] [``, pgdn, ``# 0``
  enter, pgdn, ``s``, pgdn) and back (pgup × 3), round after round.
* ``web``: as ``ssh``, over websockets; one learner is a real headless Chromium when
  there is one (``tests/browser.py``), pressing ``+ - t`` on the page's terminal.

The clients run in worker processes (20 learners each, 5 for websockets: see
``LEARNERS_PER_WORKER``), so that one client's event loop does not delay another's keys;
their CPU is shown apart. The table gives, per N:
key→screen p50 / p95 / max; keys unseen; sessions dropped (failed to start, or closed
during the window); CPU of the server's process tree (server and sessions) per learner,
in % of one core; memory per learner, the proportional set size (PSS: shared pages
split between their users) of the server and sessions ÷ N, and a session's private
pages (USS: what one more learner adds); how long the learners took to get their trainers
on screen; the load average at the window's end. The machine is named by ``nproc`` and
``uptime`` before and after, since on a shared machine the figures are what is left
over. Linux only (reads /proc). Exit status 0 if every aim was met at N = 40 (or the
largest N measured, if not 40), 1 otherwise.

A learner waits for each key's effect (at most 5 s) before the next key is due, as a
person does: when answers are slow, fewer keys are pressed (the "keys unseen" column
counts the keys over the window).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import math
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser import Browser, find_chromium
from tests.serve_harness import ServerProcess, SshLearner, WebLearner
from tui.widgets.fit_chart import UNICODE, WEB

TICKS = os.sysconf("SC_CLK_TCK")
KEY_TIMEOUT = 5.0
"""Seconds after which a key whose effect has not shown counts as unseen."""
WEDGED_AFTER = 15.0
"""Seconds more, after the window, that a learner's last unseen key may take before the
session counts as wedged."""
PRESS_EVERY = 2.0
"""Seconds between one learner's keys."""
START_TIMEOUT = 240.0
"""Seconds a learner may take to get a trainer on screen (forty processes start at once)."""
SETTLE = 3.0
"""Seconds between the last learner's start and the window (the first frames pass)."""
LEARNERS_PER_WORKER = {"ssh": 20, "lesson": 20, "web": 5}
"""Learners per client process. The web server pings a tab that has sent nothing for 15 s and
closes it unless the pong comes within 7.5 s: a client process holding 20 websocket learners
on a loaded machine answered too late (21 to 31 of 40 dropped), with 5 each 1 of 40 was."""
AIM_SESSIONS = 40
AIM_P95 = 0.150
AIM_MEMORY_MB = 60.0
SIZES = {"ssh": "1,10,20,40,60", "web": "1,10,20,40,60", "lesson": "20"}
KEY_BYTES = {"space": " ", "enter": "\r", "pgdn": "\x1b[6~", "pgup": "\x1b[5~"}
"""What a terminal sends for the keys that are not one printable character."""


# -- what a key does on the screen ----------------------------------------------------

Reading = Callable[[str], object]
"""Reads one thing off the screen text; a key's effect is that this reading changed."""


def status_line(screen: str) -> str:
    return screen.split("\n", 1)[0]


def run_state(screen: str) -> str:
    """``RUNNING``, ``PAUSED``, … : the status line's first word."""
    words = status_line(screen).split()
    return words[1] if len(words) > 1 else ""


def learning_rate(screen: str) -> str:
    match = re.search(r"\blr (\S+)", status_line(screen))
    return match.group(1) if match else ""


SAMPLE_MARKS = re.escape("".join(sorted({UNICODE.sample, WEB.sample})))
"""How the fit chart's legend marks the sample, in a terminal (``●``) and in a browser
(``◆``, ``c2f-tui serve web``)."""


def marked_sample(screen: str) -> str:
    """The sample marked on the fit chart (its legend's ``● 41 °C``; ``◆ 41 °C`` in a
    browser), or ''."""
    match = re.search(rf"[{SAMPLE_MARKS}] (-?[\d.]+) °C", screen)
    return match.group(1) if match else ""


def log_scale(screen: str) -> bool:
    return "log scale" in screen


def loss_chart_open(screen: str) -> bool:
    """The loss chart has its box (the explanation pane folds it to one line)."""
    return "╭─ loss" in screen


def rate_dialog(screen: str) -> bool:
    return "Learning rate (now" in screen


def sample_dialog(screen: str) -> bool:
    return "Sample to explain" in screen


def dialog_input(screen: str) -> str:
    """What is typed in an open dialog's input box."""
    match = re.search(r"▊\s+(\S+)\s+▎", screen)
    return match.group(1) if match else ""


def chapter(screen: str) -> str:
    match = re.search(r"Lesson (\d+)/", screen)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Press:
    key: str
    """Textual's name for it (``space``, ``pgdn``) or the character."""
    effect: Reading
    """The reading of the screen that this key changes."""


def changed(effect: Reading, before: object) -> Callable[[str], bool]:
    """Whether a screen shows a key's effect: the reading differs from the one before the key."""
    return lambda screen: effect(screen) != before


TRAINING = (
    Press("+", learning_rate),  # status line: lr 1e-4 → lr 2e-4
    Press("t", log_scale),  # loss chart's border: "iterations: log scale" comes or goes
    Press("-", learning_rate),
    Press("space", run_state),  # RUNNING → PAUSED
    Press("s", status_line),  # "PAUSED after forward", one phase further
    Press("[", marked_sample),  # the explanation opens on a sample, marked on the chart
    Press("]", marked_sample),  # the next sample
    Press("e", loss_chart_open),  # the explanation closes: the loss chart is back
    Press("space", run_state),  # PAUSED → RUNNING
    Press("l", rate_dialog),  # the rate dialog opens …
    Press("enter", rate_dialog),  # … and closes (applying the same rate)
)
"""The training learner's round. They start at one of ``TRAINING_STARTS`` (trainer running,
no dialog open, no explanation), so their rate dialogs do not all open together."""
TRAINING_STARTS = (0, 1, 2, 3, 9)

LESSON = (
    Press("]", marked_sample),  # chapter 1: the marked sample walks along the line
    Press("]", marked_sample),
    Press("[", marked_sample),
    Press("pgdn", chapter),
    Press("#", sample_dialog),  # chapter 2: "Press #, type 0 and press enter"
    Press("0", dialog_input),
    Press("enter", sample_dialog),
    Press("pgdn", chapter),
    Press("s", status_line),  # chapter 3: "Press s to run the forward pass"
    Press("pgdn", chapter),
    Press("pgup", chapter),
    Press("pgup", chapter),
    Press("pgup", chapter),  # back in chapter 1, and round again
)


# -- the figures ---------------------------------------------------------------------


def quantile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile (nearest rank); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def parse_sizes(text: str) -> list[int]:
    """``"1,10,20"`` → [1, 10, 20]; ``argparse.ArgumentTypeError`` for anything else."""
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: whole numbers ≥ 1, separated by commas")
    return sizes


@dataclass
class Run:
    """The figures for one N."""

    learners: int
    started: int = 0
    start_seconds: float = 0.0
    seconds: float = 0.0
    """How long the window lasted."""
    server_cpu: float = 0.0
    """CPU seconds over the window: the server process itself …"""
    sessions_cpu: float = 0.0
    """… and all its sessions."""
    clients_cpu: float = 0.0
    pss_mb: float = 0.0
    """Proportional set size of the server and its sessions together."""
    uss_mb: list[float] = field(default_factory=list)
    """Private pages of each session."""
    latencies: dict[str, list[float]] = field(default_factory=dict)
    """Seconds from key to screen, by key."""
    unseen: int = 0
    dropped: int = 0
    wedged: int = 0
    """Learners whose last key did not show in 5 s, nor in ``WEDGED_AFTER`` more."""
    received: int = 0
    """Bytes the clients (not the browser) received over the window …"""
    receivers: int = 0
    """… and how many clients they were."""
    browser: str = ""
    why_dropped: list[str] = field(default_factory=list)
    """What ended each dropped learner's connection, as the client saw it."""
    closed: list[str] = field(default_factory=list)
    """The server's log lines of sessions that closed (their reasons), up to its stop."""
    load: float = math.nan
    """The machine's load average (1 minute) at the end of the window."""

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    def cpu_per_learner(self) -> float:
        """Server and sessions, % of one core, per learner."""
        total = self.server_cpu + self.sessions_cpu
        return 100 * total / self.seconds / max(self.started, 1) if self.seconds else math.nan

    def memory_per_learner(self) -> float:
        return self.pss_mb / max(self.started, 1)

    def row(self) -> str:
        values = self.all_latencies()
        p50, p95, top = (1000 * quantile(values, share) for share in (0.5, 0.95, 1.0))
        uss = statistics.mean(self.uss_mb) if self.uss_mb else math.nan
        total = 100 * (self.server_cpu + self.sessions_cpu) / self.seconds if self.seconds else 0
        return (
            f"| {self.learners} | {p50:.0f} / {p95:.0f} / {top:.0f} ms "
            f"| {self.unseen} of {self.unseen + len(values)} | {self.dropped} "
            f"| {self.cpu_per_learner():.1f} % ({total:.0f} %) "
            f"| {self.memory_per_learner():.0f} MB ({uss:.0f} MB) "
            f"| {self.start_seconds:.0f} s | {self.load:.1f} |"
        )

    def aims(self) -> dict[str, bool]:
        values = self.all_latencies()
        return {
            f"N={self.learners}: p95 < {AIM_P95 * 1000:.0f} ms, every key seen": bool(values)
            and quantile(values, 0.95) < AIM_P95
            and self.unseen == 0,
            f"N={self.learners}: none dropped": self.dropped == 0,
            f"N={self.learners}: ≤ {AIM_MEMORY_MB:.0f} MB per learner": self.memory_per_learner()
            <= AIM_MEMORY_MB,
        }


TABLE_HEADER = (
    "| learners | key→screen p50 / p95 / max | keys unseen | dropped "
    "| CPU per learner (all) | memory per learner (per session) | start | load |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


def report(runs: Sequence[Run], mode: str) -> bool:
    """Print the table and the aims; whether every aim was met at the largest N."""
    print()
    print(TABLE_HEADER)
    for run in runs:
        print(run.row())
    print()
    for run in runs:
        keys = ", ".join(
            f"{key} {1000 * quantile(values, 0.95):.0f}"
            for key, values in sorted(run.latencies.items())
        )
        kib = run.received / 1024 / max(run.seconds, 1e-9) / max(run.receivers, 1)
        print(
            f"N={run.learners}: {run.started} started in {run.start_seconds:.0f} s; CPU "
            f"server {100 * run.server_cpu / max(run.seconds, 1e-9):.0f} % + sessions "
            f"{100 * run.sessions_cpu / max(run.seconds, 1e-9):.0f} % (clients "
            f"{100 * run.clients_cpu / max(run.seconds, 1e-9):.0f} %); {kib:.1f} KiB/s "
            f"per learner; {run.wedged} wedged; p95 by key (ms): {keys}"
        )
        if run.browser:
            print(f"  browser: {run.browser}")
        early = [x for x in run.closed if "server stopping" not in x and "disconnected" not in x]
        if run.why_dropped:
            reasons = collections.Counter(run.why_dropped).most_common()
            print("  dropped: " + "; ".join(f"{n} × {why}" for why, n in reasons))
        if early:
            print(f"  sessions closed before the server stopped: {'; '.join(early[:5])}")
    if not runs:
        return False
    biggest = max(runs, key=lambda run: run.learners)
    judged = next((run for run in runs if run.learners == AIM_SESSIONS), biggest)
    aims = judged.aims()
    if mode != "lesson":
        aims[f"{AIM_SESSIONS} learners measured"] = biggest.learners >= AIM_SESSIONS
    for aim, met in aims.items():
        print(f"  {'met' if met else 'MISSED'}: {aim}")
    return all(aims.values())


# -- the machine -----------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads); 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, USS) of a process in MB: its proportional share of every page it maps, and
    the pages only it maps (what one more session adds)."""
    kilobytes = dict.fromkeys(("Pss", "Private_Clean", "Private_Dirty"), 0)
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in kilobytes:
                kilobytes[name] = int(value.split()[0])
    private = kilobytes["Private_Clean"] + kilobytes["Private_Dirty"]
    return kilobytes["Pss"] / 1024, private / 1024


def machine() -> str:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores (nproc); uptime: {uptime}"


# -- the clients (in worker processes) --------------------------------------------------


@dataclass
class Job:
    """What one worker process does: ``count`` learners of ``mode`` on ``address``."""

    mode: str
    address: str
    """The SSH port, or the web server's URL."""
    count: int
    seed: int


class Learner:
    """One client, whichever way it connects, and what it measured."""

    def __init__(self, client: SshLearner | WebLearner) -> None:
        self.client = client
        self.latencies: dict[str, list[float]] = {}
        self.unseen = 0
        self.waiting_for: Callable[[str], bool] | None = None
        """The effect of the last key, while it has not shown."""

    async def press(self, key: str) -> None:
        text = KEY_BYTES.get(key, key)
        if isinstance(self.client, WebLearner):
            await self.client.press(text)
        else:
            self.client.press(text)

    async def timed(self, press: Press) -> None:
        """Press a key and wait for its effect on the screen; record the time it took."""
        terminal = self.client.terminal
        before = press.effect(terminal.text())
        sent = time.monotonic()
        await self.press(press.key)
        effect = changed(press.effect, before)
        if await terminal.wait_for(effect, KEY_TIMEOUT):
            latency = max(0.0, terminal.last_arrival() - sent)
            self.latencies.setdefault(press.key, []).append(latency)
            self.waiting_for = None
        else:
            self.unseen += 1
            self.waiting_for = effect

    async def wedged(self) -> bool:
        """Whether the last key's effect is still not on screen after ``WEDGED_AFTER`` more
        seconds: the session stopped answering, rather than answering slowly."""
        if self.waiting_for is None or self.client.closed.is_set():
            return False
        return not await self.client.terminal.wait_for(self.waiting_for, WEDGED_AFTER)

    async def keep_pressing(self, round_: Sequence[Press], start: int, until: float) -> None:
        await asyncio.sleep(random.uniform(0.0, PRESS_EVERY))  # learners do not press in step
        position = start
        while time.monotonic() < until and not self.client.closed.is_set():
            tick = time.monotonic()
            await self.timed(round_[position % len(round_)])
            position += 1
            await asyncio.sleep(max(0.0, tick + PRESS_EVERY - time.monotonic()))


async def connect_one(job: Job) -> Learner | None:
    """A learner with its trainer on screen, or None."""
    ready = "Lesson 1/" if job.mode == "lesson" else "RUNNING"
    try:
        if job.mode == "web":
            client: SshLearner | WebLearner = await WebLearner.connect(job.address)
        else:
            client = await SshLearner.connect(int(job.address))
    except Exception:
        return None
    try:
        if await client.wait_for(ready, START_TIMEOUT):
            if isinstance(client, WebLearner):
                await client.send(["focus"])  # as the page does when clicked
            return Learner(client)
    except Exception:  # closed by the server on the way: counted as dropped
        pass
    with contextlib.suppress(Exception):
        await client.close()
    return None


async def work(job: Job, pipe: Connection) -> None:
    random.seed(job.seed)
    loop = asyncio.get_running_loop()
    learners = [x for x in await asyncio.gather(*(connect_one(job) for _ in range(job.count))) if x]
    pipe.send(("ready", len(learners)))
    until = await loop.run_in_executor(None, pipe.recv)
    received = sum(learner.client.terminal.received for learner in learners)
    round_, starts = (LESSON, (0,)) if job.mode == "lesson" else (TRAINING, TRAINING_STARTS)
    await asyncio.gather(
        *(learner.keep_pressing(round_, random.choice(starts), until) for learner in learners)
    )
    latencies: dict[str, list[float]] = {}
    for learner in learners:
        for key, values in learner.latencies.items():
            latencies.setdefault(key, []).extend(values)
    pipe.send(
        {
            "latencies": latencies,
            "unseen": sum(learner.unseen for learner in learners),
            "dropped": sum(1 for learner in learners if learner.client.closed.is_set()),
            "wedged": sum(await asyncio.gather(*(learner.wedged() for learner in learners))),
            "received": sum(x.client.terminal.received for x in learners) - received,
            "receivers": len(learners),
            "why": [why_closed(x.client) for x in learners if x.client.closed.is_set()],
        }
    )
    await loop.run_in_executor(None, pipe.recv)  # the memory is measured: now leave
    for learner in learners:
        with contextlib.suppress(Exception):
            await learner.client.close()


def why_closed(client: SshLearner | WebLearner) -> str:
    """What ended a learner's connection, as its client saw it."""
    if isinstance(client, WebLearner):
        error = client.socket.exception()
        return f"websocket closed, code {client.socket.close_code}" + (
            f" ({error!r})" if error else ""
        )
    return "ssh connection closed"


def worker(job: Job, pipe: Connection) -> None:
    asyncio.run(work(job, pipe))


async def receive(pipe: Connection, otherwise: Any) -> Any:
    """The next message from a worker, or ``otherwise`` if it died (its traceback is on
    standard error)."""
    try:
        return await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
    except (EOFError, OSError):
        return otherwise


# -- one browser -------------------------------------------------------------------------


async def browser_learner(
    chromium: str, url: str, ready: asyncio.Future[bool], until: asyncio.Future[float]
) -> tuple[str, list[float], int]:
    """A real Chromium on the class's page: Start, a click on the terminal, then ``+ - t``
    every 2 s until the window ends, each timed until the page has received its effect.
    ``ready`` says whether it got that far; returns what it saw, its latencies and its
    unseen keys."""
    latencies: list[float] = []
    unseen = 0
    async with Browser(chromium) as browser:
        terminal = browser.terminal
        await browser.open(f"{url}?delay=1")
        if not await browser.click_element("#start"):
            ready.set_result(False)
            return "no Start button on the page", [], 0
        if not await terminal.wait_for("RUNNING", START_TIMEOUT):
            ready.set_result(False)
            return "the page never showed a training trainer", [], 0
        await browser.click_element(".xterm-screen")
        ready.set_result(True)
        deadline = await until
        keys = (Press("+", learning_rate), Press("-", learning_rate), Press("t", log_scale))
        position = 0
        while time.monotonic() < deadline:
            press = keys[position % len(keys)]
            position += 1
            before = press.effect(terminal.text())
            sent = time.monotonic()
            await browser.type(press.key)
            if await terminal.wait_for(changed(press.effect, before), KEY_TIMEOUT):
                latencies.append(time.monotonic() - sent)
            else:
                unseen += 1
            await asyncio.sleep(max(0.0, sent + PRESS_EVERY - time.monotonic()))
        shown = status_line(terminal.text()).strip()
    summary = (
        f"{len(latencies)} of {len(latencies) + unseen} keys (+ - t) seen on the page, "
        f"p50 {1000 * quantile(latencies, 0.5):.0f} ms, max {1000 * quantile(latencies, 1):.0f}"
        f" ms; its status line: {shown!r}"
    )
    return summary, latencies, unseen


# -- one N -----------------------------------------------------------------------------


def server_arguments(mode: str, count: int, folder: str, trainer: Sequence[str]) -> list[str]:
    limit = ["--max-sessions", str(max(count, 40))]
    if mode == "web":
        return ["web", "--port", "0", *limit, *trainer]
    key = str(Path(folder) / "host_key")
    lesson = ["--lesson", "1"] if mode == "lesson" else []
    return ["ssh", "--port", "0", "--host-key", key, *limit, *lesson, *trainer]


async def measure(
    mode: str,
    count: int,
    window: float,
    trainer: Sequence[str],
    per_worker: int | None = None,
) -> Run:
    run = Run(count)
    per_worker = per_worker or LEARNERS_PER_WORKER[mode]
    with tempfile.TemporaryDirectory() as folder:
        # A billion iterations: no trainer reaches its last within the window.
        arguments = [*server_arguments(mode, count, folder, trainer), "--iterations", "1000000000"]
        server = ServerProcess(*arguments)
        address = server.url if mode == "web" else str(server.port)
        chromium = find_chromium() if mode == "web" else None
        if mode == "web" and chromium is None:
            run.browser = "no chromium installed: what is drawn was not checked in a browser"
        clients = count - 1 if chromium is not None else count
        spawn = multiprocessing.get_context("spawn")
        workers: list[tuple[Any, Connection]] = []
        loop = asyncio.get_running_loop()
        browser_ready: asyncio.Future[bool] = loop.create_future()
        browser_until: asyncio.Future[float] = loop.create_future()
        browser_task = None
        try:
            began = time.monotonic()
            for number in range(math.ceil(clients / per_worker)):
                mine, theirs = spawn.Pipe()
                size = min(per_worker, clients - number * per_worker)
                process = spawn.Process(
                    target=worker, args=(Job(mode, address, size, number), theirs), daemon=True
                )
                process.start()
                theirs.close()  # so that a worker that dies is an EOFError here, not a hang
                workers.append((process, mine))
            if chromium is not None:
                browser_task = asyncio.create_task(
                    browser_learner(chromium, server.url, browser_ready, browser_until)
                )
            started_by_worker = []
            for _process, pipe in workers:
                _ready, started = await receive(pipe, ("dead", 0))
                started_by_worker.append(started)
                run.started += started
            if browser_task is not None:
                await asyncio.wait(
                    [browser_ready, browser_task],
                    timeout=START_TIMEOUT,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                run.started += browser_ready.done() and browser_ready.result()
            run.start_seconds = time.monotonic() - began
            await asyncio.sleep(SETTLE)
            sessions = server.session_pids()
            run.dropped = count - run.started
            watched = [server.process.pid, *sessions, *(p.pid for p, _ in workers)]
            before = {pid: cpu_seconds(pid) for pid in watched}
            since = time.monotonic()
            until = since + window
            browser_until.set_result(until)
            for _process, pipe in workers:
                with contextlib.suppress(OSError):
                    pipe.send(until)
            await asyncio.sleep(max(0.0, until - time.monotonic()))
            used = {pid: cpu_seconds(pid) - before[pid] for pid in watched}
            run.seconds = time.monotonic() - since
            run.load = os.getloadavg()[0]
            memory = {pid: memory_mb(pid) for pid in [server.process.pid, *sessions]}
            for (_process, pipe), started in zip(workers, started_by_worker, strict=True):
                result = await receive(pipe, None)
                if result is None:  # the worker died: its learners count as dropped
                    run.dropped += started
                    continue
                for key, values in result["latencies"].items():
                    run.latencies.setdefault(key, []).extend(values)
                run.unseen += result["unseen"]
                run.dropped += result["dropped"]
                run.wedged += result["wedged"]
                run.received += result["received"]
                run.receivers += result["receivers"]
                run.why_dropped += result["why"]
            run.server_cpu = used[server.process.pid]
            run.sessions_cpu = sum(used[pid] for pid in sessions)
            run.clients_cpu = sum(used[p.pid] for p, _ in workers)
            run.pss_mb = sum(pss for pss, _ in memory.values())
            run.uss_mb = [memory[pid][1] for pid in sessions]
            if browser_task is not None:
                try:
                    run.browser, on_page, unseen = await asyncio.wait_for(browser_task, 60)
                    run.latencies.setdefault("page", []).extend(on_page)
                    run.unseen += unseen
                except Exception as error:  # count it as dropped, and say why
                    run.browser = f"the browser failed: {error!r}"
                    run.dropped += browser_ready.done() and browser_ready.result()
            for _process, pipe in workers:
                with contextlib.suppress(OSError):
                    pipe.send("leave")
            for process, _pipe in workers:
                await loop.run_in_executor(None, process.join, 30)
        finally:
            if browser_task is not None and not browser_task.done():
                browser_task.cancel()
            for process, _pipe in workers:
                if process.is_alive():
                    process.kill()
            server.stop()
    run.closed = [line.split(" ", 2)[2] for line in server.lines if " closed #" in line]
    return run


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mode", choices=("ssh", "lesson", "web"), default="ssh")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=None,
        help="numbers of learners, e.g. 1,10,20 (default: ssh and web "
        f"{SIZES['ssh']}, lesson {SIZES['lesson']})",
    )
    parser.add_argument(
        "--window", type=float, default=30.0, help="seconds measured per N (default 30)"
    )
    parser.add_argument(
        "--per-worker",
        type=int,
        default=None,
        help="learners per client process (default: 20, web 5)",
    )
    parser.add_argument("trainer", nargs="*", help="trainer options for the server (after --)")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = parse_sizes(SIZES[args.mode])
    return args


async def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    print(f"mode {args.mode}, {args.window:.0f} s per N; {machine()}", flush=True)
    runs = []
    for size in args.sizes:
        run = await measure(args.mode, size, args.window, args.trainer, args.per_worker)
        print(f"  N={size}: {run.row()}  [{machine()}]", flush=True)
        runs.append(run)
    print(f"after: {machine()}")
    return 0 if report(runs, args.mode) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
