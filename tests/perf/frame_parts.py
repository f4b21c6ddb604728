"""Where a training frame's CPU goes, by part, in the app itself (Textual's headless driver).

    .venv/bin/python tests/perf/frame_parts.py              # --fps 1 and 5, 20 s each
    PYTHONPATH=../other .venv/bin/python tests/perf/frame_parts.py   # another checkout's tui
    .venv/bin/python tests/perf/frame_parts.py --keys p     # keys pressed first (p: code pane)
    .venv/bin/python tests/perf/frame_parts.py --fps 1      # one frame rate only
    .venv/bin/python tests/perf/frame_parts.py --slow 8     # and each frame over 8 ms
    .venv/bin/python tests/perf/frame_parts.py --other      # "other" by task and loop turn

Runs the default run at 80×24 under ``App.run_test`` for up to 20 s of training
(or until it reaches its target) and charges the process's CPU time
(``time.process_time``) to the innermost of these parts that was running:

* engine: ``Controller.tick`` (the trainer's own steps);
* view: ``Controller.frame`` (the ``View``) and the panels' ``watch_view``/``show``;
* plotext: plotext's build of a chart's picture (its matrix, ``_build_matrix``, which the
  charts read; ``build`` where something else still asks for plotext's text), and the
  moving signals plotext's routines draw over the part of a chart kept (``Under.over``);
* charts: the rest of the charts' ``replot`` (what is handed to plotext, its rows read from
  the matrix) and of their rendering (the changed rows' strips, Textual's borders);
* text: every other widget's rendering into strips;
* compositor: Textual's layout, compositing and screen updates (less the above);
* other: the rest (Textual's messages and timers, asyncio). With ``--other``, split by
  what the event loop ran it in: each task's steps by whose task it is (a widget's or
  screen's message loop, a timer by its name), each plain callback by its name, and the
  loop's own turns (``_run_once``: the selector, the timers' heap, the ready queue),
  each with how many times a frame it ran.

A frame is the interval from one frame tick to the next; the script prints each
part's mean per frame, the total's mean and 95th percentile, and the collector's share
(charged to the parts it interrupted; the collector runs as in the real program: paused
until the first frame, then everything alive frozen). With ``--slow MS``, each frame over
MS ms by part, with the chart it redrew and the collections that ran in it. The headless
driver writes nothing to a terminal, so encoding the update (a few percent when
served) is not counted; ``measure_ui.py --frames`` counts the real process.
"""

from __future__ import annotations

import argparse
import asyncio
import asyncio.base_events
import asyncio.events
import contextlib
import gc
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

import tui
from tui.app import TrainerApp
from tui.cli.collector import Pause
from tui.model.controller import Controller
from tui.screens.main import MainScreen
from tui.settings import Settings
from tui.widgets import kept_rows, plot_text
from tui.widgets.fit_chart import FitChart
from tui.widgets.loss_chart import LossChart
from tui.widgets.panel import ViewPanel

SIZE = (80, 24)
SECONDS = 20.0
spent: defaultdict[str, float] = defaultdict(float)
stack: list[tuple[str, float]] = []


def charge(part: str | Callable[[Any], str], function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, its CPU time charged to ``part`` less what nested parts took."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        name = part if isinstance(part, str) else part(args[0])
        now = time.process_time()
        if stack:  # pause the enclosing part
            outer, started = stack[-1]
            spent[outer] += now - started
        stack.append((name, now))
        try:
            return function(*args, **kwargs)
        finally:
            end = time.process_time()
            _name, started = stack.pop()
            spent[name] += end - started
            if stack:
                stack[-1] = (stack[-1][0], end)

    return timed


def chart_or_text(widget: Any) -> str:
    return "charts" if isinstance(widget, PlotextPlot) else "text"


def instrument() -> None:
    Controller.tick = charge("engine", Controller.tick)  # type: ignore[method-assign]
    Controller.frame = charge("view", Controller.frame)  # type: ignore[method-assign]
    ViewPanel.watch_view = charge("view", ViewPanel.watch_view)  # type: ignore[method-assign]
    MainScreen.watch_view = charge("view", MainScreen.watch_view)  # type: ignore[method-assign]
    for chart in (FitChart, LossChart):
        chart.replot = charge("charts", chart.replot)  # type: ignore[method-assign]
    Plot.build = charge("plotext", Plot.build)  # type: ignore[method-assign]
    # The charts have plotext build its matrix and read it (tui.widgets.plot_text).
    Plot._build_matrix = charge("plotext", Plot._build_matrix)  # type: ignore[method-assign]
    # plotext's signals drawn over the part of a chart kept (where the tree has it).
    under = getattr(plot_text, "Under", None)
    if under is not None:
        under.over = charge("plotext", under.over)
    Widget.render_lines = charge(chart_or_text, Widget.render_lines)  # type: ignore[method-assign]
    # Rows made without Textual's StylesCache (a tree before them has no PlainRows).
    plain = getattr(kept_rows, "PlainRows", None)
    if plain is not None:
        plain.render_lines = charge(chart_or_text, plain.render_lines)
    for name in ("_on_timer_update", "_refresh_layout", "_compositor_refresh"):
        setattr(Screen, name, charge("compositor", getattr(Screen, name)))


ran: defaultdict[str, int] = defaultdict(int)
"""With ``--other``: how many times each of the loop's pieces ran in the window."""
_piece_names: dict[object, str] = {}


def loop_piece(handle: Any) -> str:
    """What the event loop runs in ``handle``: a task's step (by the task's message pump or
    timer), or a callback (by its name)."""
    callback = handle._callback
    owner = getattr(callback, "__self__", callback)
    name = _piece_names.get(owner)
    if name is None:
        if isinstance(owner, asyncio.Task):
            frame = getattr(owner.get_coro(), "cr_frame", None)
            runs = frame.f_locals.get("self") if frame is not None else None
            if isinstance(runs, Timer):
                name = f"task: timer {runs.name}"
            elif runs is not None:
                name = f"task: {type(runs).__name__}'s messages"
            else:
                name = f"task: {owner.get_coro().__qualname__}"
        else:
            name = f"callback: {getattr(callback, '__qualname__', type(callback).__name__)}"
        _piece_names[owner] = name  # (kept alive: a few tasks, pumps and functions a run)
    ran[name] += 1
    return name


def loop_turn(_loop: Any) -> str:
    ran["loop: turns"] += 1
    return "loop: turns"


def instrument_other() -> None:
    """Charge "other" to the loop's pieces (``--other``)."""
    asyncio.events.Handle._run = charge(loop_piece, asyncio.events.Handle._run)  # type: ignore[method-assign]
    base = asyncio.base_events.BaseEventLoop
    base._run_once = charge(loop_turn, base._run_once)  # type: ignore[attr-defined]


@dataclass
class Frame:
    """One frame of the window: its CPU, by part, the charts it redrew and the collector's
    runs in it (young, middle, old)."""

    cpu: float
    parts: dict[str, float]
    charts: str
    collections: tuple[int, ...]
    collecting: float
    """CPU seconds the collector took in the frame (charged to the parts it interrupted)."""


collector_spent = [0.0]
_collection_started = [0.0]


def time_collections(phase: str, _info: dict[str, int]) -> None:
    """A ``gc.callbacks`` hook: the CPU the collector takes, all collections together."""
    if phase == "start":
        _collection_started[0] = time.process_time()
    else:
        collector_spent[0] += time.process_time() - _collection_started[0]


async def run(fps: int, keys: str = "") -> tuple[list[Frame], dict[str, float]]:
    """CPU seconds of each frame, and each part's total, over the window, after ``keys``.

    The window runs from the first frame tick after start-up to the last tick before the
    run ends (or ``SECONDS``): the parts are read at those two ticks, so they add up to the
    frames' CPU. The script waits for the end without waking (a poll every 0.1 s was ten
    wake-ups of the event loop a frame at ``--fps 1``, ~1–2 ms of "other" that is the
    script's, not the app's)."""
    # The collector as the real program has it (tui.cli.start): paused to the first frame,
    # then everything alive frozen.
    collection = Pause()
    app = TrainerApp(Settings(fps=fps), after_first_frame=collection.resume)
    frames: list[float] = []
    at_frames: list[dict[str, float]] = []
    charts_of: list[str] = []
    collected: list[tuple[int, ...]] = []
    collecting: list[float] = []
    measuring = False
    ended = asyncio.Event()
    tick = app._tick

    def counted() -> None:
        if measuring:
            frames.append(time.process_time())
            at_frames.append(dict(spent))
            collected.append(tuple(generation["collections"] for generation in gc.get_stats()))
            collecting.append(collector_spent[0])
        tick()
        view = app.main_screen.view
        if measuring and view is not None:
            charts_of.append(str(view.redraw_charts.name))
        if measuring and not app.controller.running:
            ended.set()

    app._tick = counted  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await asyncio.sleep(2.0)  # past start-up
        spent.clear()
        ran.clear()
        measuring = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ended.wait(), SECONDS)
        measuring = False
    first, last = at_frames[0], at_frames[-1]
    parts = {name: last.get(name, 0.0) - first.get(name, 0.0) for name in last}
    each = [
        Frame(
            cpu=frames[i + 1] - frames[i],
            parts={n: at_frames[i + 1].get(n, 0.0) - at_frames[i].get(n, 0.0) for n in last},
            charts=charts_of[i],
            collections=tuple(b - a for a, b in zip(collected[i], collected[i + 1], strict=True)),
            collecting=collecting[i + 1] - collecting[i],
        )
        for i in range(len(frames) - 1)
    ]
    return each, parts


NAMED = ("plotext", "charts", "text", "view", "compositor", "engine")


def slow(each: list[Frame], threshold: float) -> None:
    """Each frame over ``threshold`` seconds: which it was, its parts and what ran in it."""
    for number, frame in enumerate(each):
        if frame.cpu <= threshold:
            continue
        shares = {name: frame.parts.get(name, 0.0) for name in NAMED}
        shares["other"] = frame.cpu - sum(shares.values())
        parts = " ".join(f"{name[:4]} {share * 1000:4.1f}" for name, share in shares.items())
        gcs = "/".join(str(count) for count in frame.collections)
        collecting = f"{frame.collecting * 1000:3.1f}"
        print(
            f"    #{number:3} {frame.cpu * 1000:5.1f} ms {frame.charts:4}"
            f" gc {gcs} {collecting} ms  {parts}"
        )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Where a training frame's CPU goes, by part, in the app itself "
        "(80×24, the default run, up to 20 s; PYTHONPATH=DIR measures DIR's tui)."
    )
    parser.add_argument(
        "--keys", default="", help="keys pressed before measuring, e.g. p (the code pane)"
    )
    parser.add_argument(
        "--fps", type=int, choices=(1, 5), action="append", help="frame rate (default: 1 and 5)"
    )
    parser.add_argument(
        "--other",
        action="store_true",
        help='split "other" by what the event loop ran it in (tasks, callbacks, its turns)',
    )
    parser.add_argument(
        "--slow",
        type=float,
        metavar="MS",
        help="also list each frame over MS ms: its parts, charts redrawn and collections",
    )
    return parser.parse_args()


def main() -> int:
    options = arguments()
    instrument()
    if options.other:
        instrument_other()
    gc.callbacks.append(time_collections)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    keys = options.keys
    print(f"tui from {Path(tui.__file__).parent}; load average {load}; keys {keys!r}")
    for fps in options.fps or (1, 5):
        each, parts = asyncio.run(run(fps, keys))
        costs = [frame.cpu for frame in each]
        frames = len(costs)
        ordered = sorted(costs)
        p95 = ordered[min(frames - 1, round(0.95 * (frames - 1)))]
        total = sum(costs)
        print(
            f"--fps {fps}: {frames} frames, CPU per frame mean {total / frames * 1000:.1f} ms,"
            f" median {statistics.median(costs) * 1000:.1f}, p95 {p95 * 1000:.1f}"
        )
        shares = {name: parts.get(name, 0.0) for name in NAMED}
        pieces = {name: share for name, share in parts.items() if name not in NAMED}
        shares["other"] = max(total - sum(shares.values()), 0.0)
        print("  " + "  ".join(f"{n} {s / frames * 1000:.2f}" for n, s in shares.items()))
        if options.other:
            for name, share in sorted(pieces.items(), key=lambda piece: -piece[1]):
                if share * 1000 / frames >= 0.005:
                    times = ran.get(name, 0) / frames
                    print(f"    {share / frames * 1000:5.2f} ms  {times:5.2f}× a frame  {name}")
        collecting = sum(frame.collecting for frame in each)
        print(f"  of which the collector {collecting / frames * 1000:.2f}")
        if options.slow is not None:
            slow(each, options.slow / 1000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
