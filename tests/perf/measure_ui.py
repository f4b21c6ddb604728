"""The UI's budget, measured on the real command in a pseudo-terminal.

    .venv/bin/python tests/perf/measure_ui.py            # 80×24 and 200×50 (~3 minutes)
    .venv/bin/python tests/perf/measure_ui.py --quick    # 80×24 only
    .venv/bin/python tests/perf/measure_ui.py --startup-only --against ../main
                                         # start-up only, this tree against another, interleaved
    .venv/bin/python tests/perf/measure_ui.py --minimal [--against DIR]
                                         # first full frame against the minimal app, interleaved
    .venv/bin/python tests/perf/measure_ui.py --quick --dialogs --frames [--against DIR]
                                         # CPU per dialog open + close, and per training frame
    .venv/bin/python tests/perf/measure_ui.py --quick --dialogs --setup p [--against DIR]
                                         # the dialogs over the code pane
    .venv/bin/python tests/perf/measure_ui.py --quick --dialogs --setup h --only '?^'
                                         # in hands mode, where l, # and g are refused

Runs ``c2f-tui`` through ``tests/pty_harness.py`` (a pty read by the pyte
terminal emulator) and reports:

* start-up: from starting the process to the first full frame, the status line
  and the footer both on screen (median of 5), next to what the interpreter
  and ``import tui.app`` alone take; with ``--against DIR``, the same for the
  c2f-tui checked out in DIR, started alternately with this one so that both
  see the same machine, and the ratio of the two;
* key latency while training flat out (``--speed 1e9`` and a target it never
  reaches): from writing ``+`` or ``-`` to the pty until the new learning rate
  is on the emulated screen; median and 95th percentile;
* with ``--dialogs``: CPU time per open + close of each dialog on a paused trainer
  (what a class of learners opening ``l`` costs the machine); with ``--frames``: CPU
  time per training frame of the default run at ``--fps 1`` (as served) and 5 (local),
  mean and 95th percentile, the frame that ends the run left out (see ``frame_costs``);
  with ``--against DIR``, both for the c2f-tui in DIR too, in the same run;
* the cost of waiting: CPU time (utime + stime from /proc) and bytes written
  over 5 s while paused, and for comparison over 5 s of training flat out.

Times are wall-clock on whatever else the machine is doing; the script prints
the load average so a reader can judge. Exit status 0 if the aims are met
(latency p95 under 50 ms, paused CPU under 1 % and no bytes), 1 otherwise.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.pty_harness import PtyApp, command

STARTS = int(os.environ.get("C2F_STARTS", "5"))
"""Start-ups timed per size (C2F_STARTS overrides, for a quieter median on a busy machine)."""
PRESSES = 20
"""Key presses timed per configuration."""
WINDOW = 5.0
"""Seconds over which CPU time and bytes are counted."""
LATENCY_AIM = 0.050
PAUSED_CPU_AIM = 1.0
"""Percent of one core."""
FLAT_OUT = ["--speed", "1000000000", "--iterations", "1000000000000", "--optimizer", "adam"]
"""Training as fast as the frame budget allows, for longer than anyone waits (Adam walks
every iteration; gradient descent would jump to the target in closed form at once)."""
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14, 15


def start_cpu_seconds(pid: int) -> float:
    """CPU time of a process's threads so far, to the nanosecond (``/proc/PID/task/*/schedstat``:
    ``cpu_seconds`` counts in clock ticks, 10 ms, too coarse for a start-up's ~0.3 s and changes
    of a few ms). A thread that has already ended is not counted: at the first frame none has."""
    tasks = Path(f"/proc/{pid}/task")
    return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks.iterdir()) / 1e9


def poll(app: PtyApp, found: str, timeout: float = 5.0) -> float | None:
    """Poll the screen every millisecond; when ``found`` is on it, when its bytes arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found in app.screen():
            return app.last_output()
        time.sleep(0.001)
    return None


def tree_command(tree: Path | None, *arguments: str) -> list[str]:
    """``c2f-tui`` from the checkout ``tree`` (None: this one, run the ordinary way)."""
    if tree is None:
        return command(*arguments)
    start = (
        f"import sys, runpy; sys.path.insert(0, {str(tree)!r}); "
        "runpy.run_module('tui', run_name='__main__', alter_sys=True)"
    )
    return [sys.executable, "-c", start, *arguments]


def first_frame(columns: int, rows: int, tree: Path | None = None) -> float:
    """Seconds from starting c2f-tui to the status line and the footer on screen."""
    return first_frame_costs(columns, rows, tree)[0]


def first_frame_costs(columns: int, rows: int, tree: Path | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) from starting c2f-tui to its first full
    frame. CPU time depends far less on what else the machine is doing."""
    with PtyApp(tree_command(tree, "--paused"), columns=columns, rows=rows) as app:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            lines = app.screen().splitlines()
            if "iter 0/" in lines[0] and "Quit" in lines[-1]:
                return app.last_output() - app.started, start_cpu_seconds(app.process.pid)
            time.sleep(0.001)
    raise RuntimeError("no full frame within 30 s")


MINIMAL_APP = Path(__file__).resolve().parents[3] / "shared" / "bench" / "minimal_app.py"
"""The floor issue 20 compares the first frame with: Textual, one textual-plotext chart,
a status line and a Footer."""


def full_frame_costs(
    arguments: list[str], drawn: Callable[[list[str]], bool], columns: int = 80, rows: int = 24
) -> tuple[float, float]:
    """Wall-clock and CPU seconds from starting ``arguments`` until ``drawn`` says the
    screen's lines are a full frame."""
    with PtyApp(arguments, columns=columns, rows=rows) as app:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if drawn(app.screen().splitlines()):
                return app.last_output() - app.started, start_cpu_seconds(app.process.pid)
            time.sleep(0.001)
    raise RuntimeError(f"no full frame within 30 s: {arguments}")


def trainer_drawn(lines: list[str]) -> bool:
    """Status, footer, and both charts' axes (the fit chart's °C, the loss chart's decades)."""
    return (
        "iter 0/" in lines[0]
        and "Quit" in lines[-1]
        and any("°C" in line for line in lines)
        and any("1e" in line[40:] and "┤" in line[40:] for line in lines)
    )


def minimal_drawn(lines: list[str]) -> bool:
    """The minimal app's status line, footer and chart (its x axis's labels)."""
    return "minimal ready" in lines[0] and "Quit" in lines[-1] and "49.0" in "".join(lines)


def compare_minimal(trees: list[tuple[str, Path | None]]) -> None:
    """The first full frame at 80×24 of each tree against the minimal app, all started in
    turn (tree after tree, then the minimal app) so that each sees the same machine."""
    print(f"first full frame at 80×24 against {MINIMAL_APP.name} (median of {STARTS}, alternately)")
    ours: dict[str, list[tuple[float, float]]] = {name: [] for name, _tree in trees}
    floor: list[tuple[float, float]] = []
    for _ in range(STARTS):
        for name, tree in trees:
            ours[name].append(full_frame_costs(tree_command(tree, "--paused"), trainer_drawn))
        floor.append(full_frame_costs([sys.executable, str(MINIMAL_APP)], minimal_drawn))
    for index, kind in ((0, "wall"), (1, "CPU")):
        theirs = statistics.median(costs[index] for costs in floor)
        for name, _tree in trees:
            mine = statistics.median(costs[index] for costs in ours[name])
            print(
                f"  {kind:5} {name:10} {mine * 1000:6.0f} ms  minimal {theirs * 1000:6.0f} ms"
                f"  (ratio {mine / theirs:.2f})"
            )


def byte_compiled(tree: Path | None) -> None:
    """Byte-compile the checkout's ``tui`` and ``core`` (``__pycache__``, as pip does when it
    installs c2f-tui) before its start-ups are timed. Textual and numpy come compiled from
    their wheels; a tree run with ``PYTHONDONTWRITEBYTECODE`` set (as some shells here are)
    compiled its ~80 modules from source at every start, ~80 ms of CPU that no installed
    copy pays, and the comparison with the minimal app measured the compiler."""
    root = Path(__file__).resolve().parents[2] if tree is None else tree
    folders = [str(root / name) for name in ("tui", "core")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)


def command_seconds(*arguments: str) -> float:
    """Wall time of a Python command, for the start-up breakdown."""
    start = time.monotonic()
    subprocess.run([sys.executable, *arguments], check=True, capture_output=True)
    return time.monotonic() - start


def key_latency(columns: int, rows: int, extra: list[str]) -> list[float]:
    """Seconds from each key press to its effect on screen, while training flat out."""
    latencies = []
    with PtyApp(command(*FLAT_OUT, *extra), columns=columns, rows=rows) as app:
        if not app.wait_for("RUNNING", timeout=30):
            raise RuntimeError("the app did not start training")
        time.sleep(1.0)  # past the first frames, into steady training
        for press in range(PRESSES):
            key, shown = ("+", "lr 2e-4") if press % 2 == 0 else ("-", "lr 1e-4")
            time.sleep(random.uniform(0.15, 0.35))  # land anywhere in a frame
            sent = time.monotonic()
            app.press(key)
            arrived = poll(app, shown)
            if arrived is None:
                raise RuntimeError(f"{key!r} had no visible effect within 5 s")
            latencies.append(max(0.0, arrived - sent))
    return latencies


def cost_of_waiting(columns: int, rows: int, arguments: list[str]) -> tuple[float, int]:
    """Percent of one core and bytes written over WINDOW seconds, once settled."""
    with PtyApp(command(*arguments), columns=columns, rows=rows) as app:
        app.wait_for("Quit", timeout=30)
        time.sleep(1.0)
        app.wait_until_quiet(quiet=0.5, timeout=3.0)
        pid = app.process.pid
        since, cpu = time.monotonic(), cpu_seconds(pid)
        time.sleep(WINDOW)
        until, used = time.monotonic(), cpu_seconds(pid) - cpu
        return 100 * used / (until - since), app.bytes_written(since, until)


DIALOGS = (
    ("rate (l)", "l"),
    ("sample (#)", "#"),
    ("seek (g)", "g"),
    ("help (?)", "?"),
    ("palette (ctrl+p)", "\x10"),
)
"""Each dialog's name and the key that opens it (escape closes every one)."""
CYCLES = int(os.environ.get("C2F_CYCLES", "8"))
"""Open + close cycles per dialog."""


def dialog_costs(
    columns: int,
    rows: int,
    tree: Path | None = None,
    setup: str = "",
    dialogs: tuple[tuple[str, str], ...] = DIALOGS,
) -> dict[str, float]:
    """CPU seconds per open + close cycle of each dialog, on a paused trainer (the
    process's CPU over the cycles, less what it spends idle over as long: paused, ~0),
    after pressing the keys in ``setup`` (``p``: with the code pane open; ``h``: hands)."""
    costs = {}
    with PtyApp(tree_command(tree, "--paused"), columns=columns, rows=rows) as app:
        app.wait_for("Quit", timeout=30)
        app.wait_until_quiet(quiet=1.0, timeout=10.0)
        for key in setup:
            app.press(key)
            app.wait_until_quiet(quiet=1.0, timeout=10.0)
        if setup:  # until the notices the keys brought have gone (they change the screen)
            app.wait_until_quiet(quiet=8.0, timeout=60.0)
        pid = app.process.pid
        since, cpu = time.monotonic(), cpu_seconds(pid)
        time.sleep(2.0)
        idle = (cpu_seconds(pid) - cpu) / (time.monotonic() - since)
        main = app.screen()
        for name, key in dialogs:
            since, cpu = time.monotonic(), cpu_seconds(pid)
            for _ in range(CYCLES):
                app.press(key)
                deadline = time.monotonic() + 5
                while app.screen() == main and time.monotonic() < deadline:
                    time.sleep(0.005)
                app.wait_until_quiet(quiet=0.3, timeout=5.0)
                app.press("escape")
                deadline = time.monotonic() + 5
                while app.screen() != main and time.monotonic() < deadline:
                    time.sleep(0.005)
                app.wait_until_quiet(quiet=0.3, timeout=5.0)
                if app.screen() != main:
                    raise RuntimeError(f"{name}: the screen is not what it was after escape")
            used = cpu_seconds(pid) - cpu - idle * (time.monotonic() - since)
            costs[name] = used / CYCLES
    return costs


SETTLE = 0.1
"""Seconds from a new frame's status line on screen to reading the process's CPU: the
frame's work (and the writer thread's) is done by then, and the next frame, 1/fps ≥ 0.2 s
after it, has not begun."""


def frame_costs(
    columns: int, rows: int, fps: int, seconds: float = 20.0, tree: Path | None = None
) -> list[float]:
    """CPU seconds of each training frame of the default run, from 2 s in for up to
    ``seconds`` or until the run reaches its target.

    The process's CPU (all its threads, to the nanosecond) is read ``SETTLE`` after each
    new status line is on screen, between two frames, so the difference of two readings is
    the work of the frames between them (their number from the time between the readings,
    should two frames show the same status line). The last reading is at the last frame
    that still shows RUNNING: the frame that ends the run (its summary, the forecast strip,
    the Footer's new keys, ~50 ms of CPU once) is not a training frame. Counted, as this
    script did before, it added ~3–4 ms to each of the ~15 frames at ``--fps 1``."""
    readings: list[tuple[float, float]] = []  # (when, CPU seconds)
    with PtyApp(tree_command(tree, "--fps", str(fps)), columns=columns, rows=rows) as app:
        if not app.wait_for("RUNNING", timeout=30):
            raise RuntimeError("the app did not start training")
        time.sleep(2.0)
        pid = app.process.pid
        shown = app.screen().splitlines()[0]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = app.screen().splitlines()[0]
            if status == shown:
                time.sleep(0.005)
                continue
            if "RUNNING" not in status:
                break  # the run's last frame: not counted
            time.sleep(SETTLE)
            readings.append((time.monotonic(), start_cpu_seconds(pid)))
            shown = app.screen().splitlines()[0]  # as it is now, drawn whole
    if len(readings) < 6:
        raise RuntimeError("training stopped within 5 frames: too few to count")
    return per_frame(readings, fps)


def per_frame(readings: list[tuple[float, float]], fps: int) -> list[float]:
    """Each frame's CPU seconds from (when, CPU seconds) read between frames: the frames
    between two readings are as many as the frame rate fits in the time between them (at
    least one), and share what the CPU moved.

    >>> per_frame([(0.0, 1.0), (1.02, 1.008), (2.98, 1.020)], fps=1)  # the second: 2 frames
    [0.008, 0.006, 0.006]
    """
    costs = []
    for (before, cpu_before), (after, cpu_after) in itertools.pairwise(readings):
        frames = max(1, round((after - before) * fps))
        costs.extend([round((cpu_after - cpu_before) / frames, 9)] * frames)
    return costs


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def compare_startup(tree: Path, sizes: list[tuple[int, int]]) -> None:
    """Start-up of this tree and of ``tree``, alternately, and the ratio of the medians."""
    print(f"start-up against {tree} (median of {STARTS}, started alternately)")
    imports: dict[str, list[float]] = {"this tree": [], "other tree": []}
    for _ in range(STARTS):
        imports["this tree"].append(command_seconds("-c", "import tui.app"))
        probe = f"import sys; sys.path.insert(0, {str(tree)!r}); import tui.app"
        imports["other tree"].append(command_seconds("-c", probe))
    ours, theirs = (statistics.median(imports[name]) for name in ("this tree", "other tree"))
    print(
        f"  {'import tui.app':34} {ours * 1000:7.0f} ms  against {theirs * 1000:.0f} ms"
        f"  (ratio {ours / theirs:.2f})"
    )
    for columns, rows in sizes:
        mine, other = [], []
        for _ in range(STARTS):
            mine.append(first_frame_costs(columns, rows))
            other.append(first_frame_costs(columns, rows, tree))
        for index, kind in ((0, "wall"), (1, "CPU")):
            ours = statistics.median(costs[index] for costs in mine)
            theirs = statistics.median(costs[index] for costs in other)
            label = f"first full frame at {columns}×{rows}, {kind}"
            print(
                f"  {label:34} {ours * 1000:7.0f} ms  against {theirs * 1000:.0f} ms"
                f"  (ratio {ours / theirs:.2f})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="80×24 only")
    parser.add_argument("--startup-only", action="store_true", help="measure start-up only")
    parser.add_argument(
        "--against", type=Path, metavar="DIR", help="also start the c2f-tui checked out in DIR"
    )
    parser.add_argument("--dialogs", action="store_true", help="CPU per dialog open + close")
    parser.add_argument("--frames", action="store_true", help="CPU per training frame")
    parser.add_argument(
        "--setup",
        default="",
        metavar="KEYS",
        help="keys pressed before the dialogs are measured (p: code pane, h: hands mode)",
    )
    parser.add_argument(
        "--only",
        default="",
        metavar="KEYS",
        help="only the dialogs these keys open (e.g. '?^' in hands mode: help and the palette)",
    )
    parser.add_argument(
        "--minimal", action="store_true", help="first full frame against the minimal app"
    )
    options = parser.parse_args()
    sizes = [(80, 24)] if options.quick else [(80, 24), (200, 50)]
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"c2f-tui UI budget: {model}, {os.cpu_count()} cores, load average {load} at start")
    print(f"python {sys.version.split()[0]}; times are wall clock, medians unless said\n")
    for tree in (None, *([] if options.against is None else [options.against.resolve()])):
        byte_compiled(tree)  # start-ups as an installed copy's (see byte_compiled)
    if options.minimal:
        compared: list[tuple[str, Path | None]] = [("this tree", None)]
        if options.against is not None:
            compared.append(("other tree", options.against.resolve()))
        compare_minimal(compared)
        return 0
    if options.against is not None:
        compare_startup(options.against.resolve(), sizes)
        print()
    if options.startup_only and options.against is not None:
        return 0
    if options.dialogs or options.frames:
        trees: list[tuple[str, Path | None]] = [("this tree", None)]
        if options.against is not None:
            trees.append(("other tree", options.against.resolve()))
        for columns, rows in sizes:
            if options.dialogs:
                after = f", after {options.setup!r}" if options.setup else ""
                cycles = f"({CYCLES} cycles each)"
                print(f"CPU per open + close at {columns}×{rows}, paused{after} {cycles}")
                chosen = tuple(
                    (dialog, key)
                    for dialog, key in DIALOGS
                    if not options.only or (key if key != "\x10" else "^") in options.only
                )
                dialogs = {
                    name: dialog_costs(columns, rows, tree, options.setup, chosen)
                    for name, tree in trees
                }
                for dialog, _key in chosen:
                    print(f"  {dialog:18}", end="")
                    for name, _tree in trees:
                        print(f"  {name} {dialogs[name][dialog] * 1000:6.1f} ms", end="")
                    print()
            if options.frames:
                print(f"CPU per training frame at {columns}×{rows} (default run, from 2 s in)")
                for fps in (1, 5):
                    print(f"  --fps {fps:<14}", end="")
                    for name, tree in trees:
                        costs = frame_costs(columns, rows, fps, tree=tree)
                        mean, p95 = statistics.fmean(costs), percentile(costs, 0.95)
                        print(
                            f"  {name} {mean * 1000:5.1f} ms (p95 {p95 * 1000:4.1f},"
                            f" {len(costs)} frames)",
                            end="",
                        )
                    print()
        return 0

    interpreter = statistics.median(command_seconds("-c", "pass") for _ in range(STARTS))
    imports = statistics.median(command_seconds("-c", "import tui.app") for _ in range(STARTS))
    print(f"start-up (median of {STARTS})")
    breakdown = (("python -c pass", interpreter), ('python -c "import tui.app"', imports))
    for label, seconds in breakdown:
        print(f"  {label:34} {seconds * 1000:7.0f} ms")
    for columns, rows in sizes:
        frames = [first_frame(columns, rows) for _ in range(STARTS)]
        label = f"first full frame at {columns}×{rows}"
        print(
            f"  {label:34} {statistics.median(frames) * 1000:7.0f} ms"
            f"  (min {min(frames) * 1000:.0f}, max {max(frames) * 1000:.0f})"
        )
    if options.startup_only:
        return 0

    aims_met = True
    print(f"\nkey latency while training flat out ({PRESSES} presses of + and -)")
    for columns, rows in sizes:
        for name, extra in (("tutorial data", []), ("100,000 samples", ["--samples", "100000"])):
            latencies = key_latency(columns, rows, extra)
            median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
            aims_met &= p95 < LATENCY_AIM
            print(
                f"  {f'{columns}×{rows}':7} {name:18} median {median * 1000:5.1f} ms"
                f"  p95 {p95 * 1000:5.1f} ms  max {max(latencies) * 1000:5.1f} ms"
                f"  ({'under' if p95 < LATENCY_AIM else 'OVER'} the 50 ms aim)"
            )

    print(f"\ncost of waiting, over {WINDOW:.0f} s once settled")
    for columns, rows in sizes:
        for name, arguments in (("paused", ["--paused"]), ("training flat out", FLAT_OUT)):
            cpu, written = cost_of_waiting(columns, rows, arguments)
            if name == "paused":
                aims_met &= cpu < PAUSED_CPU_AIM and written == 0
            print(
                f"  {f'{columns}×{rows}':7} {name:18} CPU {cpu:5.1f} % of a core, {written:,} bytes"
            )
    return 0 if aims_met else 1


if __name__ == "__main__":
    sys.exit(main())
