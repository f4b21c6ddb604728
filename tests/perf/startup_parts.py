"""Where the first full frame's CPU goes: before the app runs, and from then to the frame.

    .venv/bin/python tests/perf/startup_parts.py                   # this tree and the minimal app
    .venv/bin/python tests/perf/startup_parts.py --against ../main # and another checkout

Starts ``c2f-tui --paused`` (and ``shared/bench/minimal_app.py``, issue 20's floor) in a
pseudo-terminal at 80×24, alternately, C2F_STARTS times each (default 5). In the child, a
few lines before the program note the process's CPU time (``/proc``'s schedstat, to the
nanosecond) when Textual is imported and when ``App.run_async`` starts; the parent notes
it when the full frame is on its emulated screen (``measure_ui.trainer_drawn``). Medians:

* python + Textual: the interpreter and ``textual.app`` (both programs pay it);
* imports and set-up: everything else before the app runs: numpy, ``core``, ``tui``'s
  modules, plotext, reading the data, building the controller;
* run to frame: from ``App.run_async`` to the full frame: composing, mounting and styling
  the widgets, layouts and paints, the Footer's keys.

A third floor, ``minimal+numpy``, is the minimal app with numpy imported first as c2f-tui
imports it (on one BLAS thread, the collector paused, then what is alive frozen:
``tui.cli.main``, ``tui.cli.collector``): what any trainer whose first frame shows numpy's
numbers pays at least. Its "imports, set-up" is numpy's import. (Imported with the
collector running, numpy's ~14,000 tracked objects made the minimal app's own collections
during its run ~15 ms slower.)

The trees are byte-compiled first (``measure_ui.byte_compiled``), as an installed copy is.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.measure_ui import (
    MINIMAL_APP,
    STARTS,
    byte_compiled,
    minimal_drawn,
    start_cpu_seconds,
    trainer_drawn,
)
from tests.pty_harness import PtyApp

CHILD = """
import json, os, sys
def cpu():
    tasks = f"/proc/{os.getpid()}/task"
    times = (open(f"{tasks}/{task}/schedstat").read().split()[0] for task in os.listdir(tasks))
    return sum(int(time) for time in times) / 1e9
marks_file, program, tree = sys.argv[1], sys.argv[2], sys.argv[3]
if tree:
    sys.path.insert(0, tree)
from textual.app import App
marks = {"textual": cpu()}
run_async = App.run_async
async def noting(self, *args, **kwargs):
    marks["run"] = cpu()
    with open(marks_file, "w") as file:
        json.dump(marks, file)
    return await run_async(self, *args, **kwargs)
App.run_async = noting
import runpy
if program.startswith("numpy+"):  # the minimal app after numpy's import (see the docstring)
    import gc
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.disable()
    import numpy
    gc.freeze()
    gc.enable()
    program = program.removeprefix("numpy+")
if program == "tui":
    sys.argv = ["c2f-tui", "--paused"]
    runpy.run_module("tui", run_name="__main__", alter_sys=True)
else:
    sys.argv = [program]
    runpy.run_path(program, run_name="__main__")
"""
"""The child: note CPU when Textual is imported and when the app starts running, then run."""


def parts(program: str, tree: Path | None) -> tuple[float, float, float]:
    """CPU seconds of one start: python + Textual, imports and set-up, run to frame."""
    drawn = trainer_drawn if program == "tui" else minimal_drawn
    with tempfile.TemporaryDirectory() as folder:
        marks_file = Path(folder) / "marks.json"
        argv = [sys.executable, "-c", CHILD, str(marks_file), program, str(tree or "")]
        with PtyApp(argv, columns=80, rows=24) as app:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if drawn(app.screen().splitlines()):
                    frame = start_cpu_seconds(app.process.pid)
                    break
                time.sleep(0.001)
            else:
                raise RuntimeError(f"no full frame within 30 s: {program} {tree}")
        marks = json.loads(marks_file.read_text())
    return marks["textual"], marks["run"] - marks["textual"], frame - marks["run"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, metavar="DIR", help="also another checkout")
    options = parser.parse_args()
    repo = Path(__file__).resolve().parents[2]
    starts: list[tuple[str, str, Path | None]] = [("this tree", "tui", repo)]
    if options.against is not None:
        starts.append(("other tree", "tui", options.against.resolve()))
    starts.append(("minimal app", str(MINIMAL_APP), None))
    starts.append(("minimal+numpy", f"numpy+{MINIMAL_APP}", None))
    for _name, program, tree in starts:
        if program == "tui":
            byte_compiled(tree)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"first full frame at 80×24, CPU ms, median of {STARTS} (load {load} at start)")
    measured: dict[str, list[tuple[float, float, float]]] = {name: [] for name, *_ in starts}
    for _ in range(STARTS):
        for name, program, tree in starts:
            measured[name].append(parts(program, tree))
    print(
        f"  {'':13} {'python+Textual':>15} {'imports, set-up':>16} {'run to frame':>13} {'all':>6}"
        "  ×minimal"
    )
    floor = statistics.median(sum(part) for part in measured["minimal app"])
    for name, results in measured.items():
        columns = [statistics.median(part[index] for part in results) for index in range(3)]
        total = statistics.median(sum(part) for part in results)
        print(
            f"  {name:13} {columns[0] * 1000:15.0f} {columns[1] * 1000:16.0f}"
            f" {columns[2] * 1000:13.0f} {total * 1000:6.0f}  {total / floor:8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
