"""How many learners one machine holds: ``c2f-tui serve ssh`` under N real SSH clients.

    .venv/bin/python tests/perf/serve_capacity.py                   # N = 1, 10, 20, 40 (~6 min)
    .venv/bin/python tests/perf/serve_capacity.py --sizes 1,5 --window 10
    .venv/bin/python tests/perf/serve_capacity.py -- --fps 5        # trainer options for the server

For each N it starts a fresh server on loopback, connects N asyncssh clients with a
pseudo-terminal of 80×24 (``tests/serve_harness.py``, screens read through pyte),
waits until every trainer is training, and then, over a window of ``--window``
seconds, has every learner press a key once a second: ``+`` and ``-`` in turn, timed
from the write until the new learning rate is on the client's emulated screen, and
every 12th second ``r``, so each trainer keeps training at the default pace (it would
otherwise reach its 10,000 iterations after about 15 s and stop). It reports:

* CPU, in percent of one core: the server, all sessions together, the client
  process (this script, on the same machine), and their sum;
* memory: proportional set size (PSS, shared pages split between their users) of
  the server and all sessions together, and per session its private pages (USS:
  what one more learner adds);
* key→screen latency, p50 and p95;
* bytes per second per session, received by the clients;
* keys whose effect did not show within 5 s;
* dropped sessions: failed to start, or closed during the window.

Then one paused session's CPU, over the same window. The machine is shared, so the
load average is printed before and after; the aims (40 sessions, p95 < 150 ms, none
dropped, paused ≤ 0.5 % of a core, ≤ 60 MB per session) are judged on these runs and
printed next to the numbers. Linux only (reads /proc). Exit status 0 if every aim
was met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.serve_harness import ServerProcess, SshLearner

TICKS = os.sysconf("SC_CLK_TCK")
KEY_TIMEOUT = 5.0
RESET_EVERY = 12
"""Every this many key presses, ``r`` instead: back to iteration 0, still at the default pace."""
AIM_SESSIONS = 40
AIM_P95 = 0.150
AIM_PAUSED_CPU = 0.5
AIM_MEMORY_MB = 60.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, USS) of a process in MB: its proportional share of every page it maps, and
    the pages only it maps (what one more session adds)."""
    kilobytes = dict.fromkeys(("Pss", "Private_Clean", "Private_Dirty"), 0)
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in kilobytes:
            kilobytes[name] = int(value.split()[0])
    private = kilobytes["Private_Clean"] + kilobytes["Private_Dirty"]
    return kilobytes["Pss"] / 1024, private / 1024


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Learner:
    """One client and what it measured."""

    ssh: SshLearner
    latencies: list[float] = field(default_factory=list)
    missed: int = 0
    dropped: bool = False


@dataclass
class Run:
    """The figures for one N."""

    sessions: int
    started: int
    start_seconds: float
    server_cpu: float
    sessions_cpu: float
    client_cpu: float
    total_mb: float
    session_uss_mb: float
    latencies: list[float]
    missed_keys: int
    bytes_per_second: float
    dropped: int


async def press_every_second(learner: Learner, until: float) -> None:
    """``+``/``-`` once a second (timed), ``r`` every RESET_EVERY-th (not timed)."""
    terminal = learner.ssh.terminal
    await asyncio.sleep(random.uniform(0.0, 1.0))  # learners do not press in step
    doubled = False
    count = 0
    while time.monotonic() < until and not terminal.closed.is_set():
        tick = time.monotonic()
        count += 1
        if count % RESET_EVERY == 0:
            learner.ssh.press("r")
        else:
            key, shown = ("-", "lr 1e-4") if doubled else ("+", "lr 2e-4")
            sent = time.monotonic()
            learner.ssh.press(key)
            if await terminal.wait_for(shown, KEY_TIMEOUT):
                learner.latencies.append(max(0.0, terminal.last_arrival() - sent))
                doubled = not doubled
            else:
                learner.missed += 1
        await asyncio.sleep(max(0.0, tick + 1.0 - time.monotonic()))
    if terminal.closed.is_set():
        learner.dropped = True


async def connect(port: int, count: int) -> tuple[list[Learner], int]:
    """``count`` learners, each training; and how many failed to get there."""
    learners: list[Learner] = []
    failed = 0

    async def one() -> None:
        nonlocal failed
        try:
            ssh = await SshLearner.connect(port)
        except Exception:
            failed += 1
            return
        if await ssh.wait_for("RUNNING", 180):
            learners.append(Learner(ssh))
        else:
            failed += 1
            await ssh.close()

    await asyncio.gather(*(one() for _ in range(count)))
    return learners, failed


async def measure(count: int, window: float, trainer: list[str]) -> Run:
    with tempfile.TemporaryDirectory() as folder:
        key = str(Path(folder) / "host_key")
        arguments = ["ssh", "--port", "0", "--host-key", key, "--max-sessions", str(max(count, 40))]
        server = ServerProcess(*arguments, "--iterations", "1000000000", *trainer)
        try:
            began = time.monotonic()
            learners, failed = await connect(server.port, count)
            start_seconds = time.monotonic() - began
            await asyncio.sleep(3.0)  # past the first frames
            pids = server.session_pids()
            me, server_pid = os.getpid(), server.process.pid
            before = {pid: cpu_seconds(pid) for pid in [*pids, server_pid, me]}
            received = sum(learner.ssh.terminal.received for learner in learners)
            since = time.monotonic()
            await asyncio.gather(*(press_every_second(x, since + window) for x in learners))
            elapsed = time.monotonic() - since
            used = {pid: cpu_seconds(pid) - before[pid] for pid in before}
            received = sum(learner.ssh.terminal.received for learner in learners) - received
            memory = {pid: memory_mb(pid) for pid in [*pids, server_pid]}
            for learner in learners:
                await learner.ssh.close()
        finally:
            server.stop()

    def percent(seconds: float) -> float:
        return 100 * seconds / elapsed

    uss = [memory[pid][1] for pid in pids]
    return Run(
        sessions=count,
        started=len(learners),
        start_seconds=start_seconds,
        server_cpu=percent(used[server_pid]),
        sessions_cpu=percent(sum(used[pid] for pid in pids)),
        client_cpu=percent(used[me]),
        total_mb=sum(pss for pss, _ in memory.values()),
        session_uss_mb=statistics.mean(uss) if uss else float("nan"),
        latencies=[value for x in learners for value in x.latencies],
        missed_keys=sum(x.missed for x in learners),
        bytes_per_second=received / elapsed / max(len(learners), 1),
        dropped=failed + sum(1 for x in learners if x.dropped),
    )


async def paused_cpu(window: float) -> float:
    """Percent of one core one paused session uses, once settled."""
    with tempfile.TemporaryDirectory() as folder:
        key = str(Path(folder) / "host_key")
        server = ServerProcess("ssh", "--port", "0", "--host-key", key, "--paused")
        try:
            learner = await SshLearner.connect(server.port)
            await learner.wait_for("PAUSED", 60)
            await asyncio.sleep(3.0)
            (pid,) = server.session_pids()
            start, since = cpu_seconds(pid), time.monotonic()
            await asyncio.sleep(window)
            share = 100 * (cpu_seconds(pid) - start) / (time.monotonic() - since)
            await learner.close()
        finally:
            server.stop()
    return share


def quantile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(runs: list[Run], paused: float) -> bool:
    print()
    print(
        "| sessions | CPU, % of a core: server + sessions (client) | memory: all (per session) "
        "| key→screen p50 / p95 | keys unseen in 5 s | bytes/s per session | dropped |"
    )
    print("|---|---|---|---|---|---|---|")
    for run in runs:
        print(
            f"| {run.sessions} | {run.server_cpu:.0f} + {run.sessions_cpu:.0f} "
            f"= {run.server_cpu + run.sessions_cpu:.0f} ({run.client_cpu:.0f}) "
            f"| {run.total_mb:.0f} MB ({run.session_uss_mb:.0f} MB) "
            f"| {1000 * statistics.median(run.latencies or [float('nan')]):.0f} / "
            f"{1000 * quantile(run.latencies, 0.95):.0f} ms "
            f"| {run.missed_keys} of {run.missed_keys + len(run.latencies)} "
            f"| {run.bytes_per_second:.0f} | {run.dropped} |"
        )
    print(f"\none paused session: {paused:.2f} % of a core")
    print("memory: PSS of the server and all sessions; per session, its private pages (USS)")
    for run in runs:
        print(
            f"N={run.sessions}: {run.started} training after {run.start_seconds:.0f} s; "
            f"CPU per session {run.sessions_cpu / max(run.started, 1):.1f} % of a core"
        )
    biggest = max(runs, key=lambda run: run.sessions)
    aims = {
        f"{AIM_SESSIONS} sessions measured": biggest.sessions >= AIM_SESSIONS,
        "none dropped": all(run.dropped == 0 for run in runs),
        f"p95 < {AIM_P95 * 1000:.0f} ms": quantile(biggest.latencies, 0.95) < AIM_P95
        and biggest.missed_keys == 0,
        f"paused ≤ {AIM_PAUSED_CPU} % of a core": paused <= AIM_PAUSED_CPU,
        f"≤ {AIM_MEMORY_MB:.0f} MB per session": all(
            run.session_uss_mb <= AIM_MEMORY_MB for run in runs
        ),
    }
    for aim, met in aims.items():
        print(f"  {'met' if met else 'MISSED'}: {aim}")
    return all(aims.values())


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,20,40", help="numbers of sessions")
    parser.add_argument("--window", type=float, default=30.0, help="seconds measured per size")
    parser.add_argument("trainer", nargs="*", help="trainer options for the server (after --)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average before: {load()}")
    runs = []
    for size in (int(text) for text in args.sizes.split(",")):
        run = await measure(size, args.window, args.trainer)
        print(f"  N={size} done, load average {load()}", flush=True)
        runs.append(run)
    paused = await paused_cpu(args.window)
    print(f"load average after: {load()}")
    return 0 if report(runs, paused) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
