"""CPU per key press of a class's learner, key by key, in the app itself (Pilot).

    .venv/bin/python tests/perf/key_costs.py                         # this tree, 12 rounds
    .venv/bin/python tests/perf/key_costs.py --against /work/main    # and another, alternately
    .venv/bin/python tests/perf/key_costs.py --rounds 20 --runs 3 --against ../main
    .venv/bin/python tests/perf/key_costs.py --child --rounds 4 --profile '['  # where it goes
    .venv/bin/python tests/perf/key_costs.py --child --rounds 8 --parts >/dev/null  # by part

A served learner (``--fps 1``, 80×24, the default run) presses the keys of
``serve_capacity.py``'s training round in turn: ``+ t - space s [ ] e space l enter``
(the rate doubled, the loss chart's log scale, the rate halved, pause, one phase, the
explanation opened on the previous sample, the next sample, the explanation closed, run,
the rate dialog opened and closed). Between two keys the trainer trains (or waits,
paused) for 0.2–0.5 s; for each key the process's CPU time (``time.process_time``) is
read before the key is sent (as ``Pilot.press`` sends it) and again once the process has
been idle after it (at least ``SETTLE`` s: the key's work, its layouts and paints done;
the waiting sleeps, so the measurement adds no CPU of its own: ``Pilot.pause`` posts a
callback to every widget, ~1 ms that grows with the widgets, hidden ones included). The
trainer's frame timer is held meanwhile, so a
key is not charged with a training frame that happened to fall in its interval (what a
frame costs: ``frame_parts.py``). The headless driver writes nothing; here each update
is also encoded as the terminal would receive it (``render_segments``), as served.

The first round is left out (it composes the explanation pane and the dialog, once per
session). Each run is a fresh process; with ``--against DIR`` the runs of the two trees
alternate, so that both see the same machine. Prints per key the median and the 95th
percentile of its presses, and the sum of the medians over one round (what a learner's
round of eleven keys costs the machine); and, apart, an unbound key's (the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROUND = (
    ("+", "+"),
    ("t", "t"),
    ("-", "-"),
    ("space", "space (pause)"),
    ("s", "s"),
    ("[", "["),
    ("]", "]"),
    ("e", "e"),
    ("space", "space (run)"),
    ("l", "l (open)"),
    ("enter", "enter (close)"),
    ("j", "j (unbound)"),
)
"""The training learner's round (``serve_capacity.TRAINING``): the key pressed, its name here;
then ``j``, which no binding takes: what a key and its measurement cost whatever it does
(the key's trip through Textual and the app), not in the round's sum."""
BASELINE = "j (unbound)"
SIZE = (80, 24)
SETTLE = 0.15
"""Seconds after a key before its CPU is read (then until the process is idle): a key's
work, its layouts and paints included, is done within a few tens of milliseconds."""


async def measure(
    rounds: int, seed: int, profiled: str = "", parts: dict[str, dict[str, float]] | None = None
) -> dict[str, list[float]]:
    """CPU seconds of each press, by key name, over ``rounds`` rounds after the first
    (``profiled``: the name of a key whose presses cProfile follows, printed on stderr;
    ``parts``: filled with each key's CPU by part, ``frame_parts.py``'s and styling, summed)."""
    import cProfile
    import pstats

    from textual._wait import wait_for_idle
    from textual.app import App
    from textual.screen import Screen

    from tui.app import TrainerApp
    from tui.settings import Settings

    display = App._display

    def encoded(app: App[object], screen: Screen[object], renderable: object) -> None:
        """As served: the update encoded for the terminal (the headless driver skips it)."""
        render = getattr(renderable, "render_segments", None)
        if render is not None and app.is_headless:
            render(app.console)
        display(app, screen, renderable)  # type: ignore[arg-type]

    App._display = encoded  # type: ignore[assignment,method-assign]
    chance = random.Random(seed)
    app = TrainerApp(Settings(fps=1, served=True))
    holding = False
    tick = app._tick

    def held_tick() -> None:
        if not holding:
            tick()

    app._tick = held_tick  # type: ignore[method-assign]
    costs: dict[str, list[float]] = {name: [] for _key, name in ROUND}
    profile = cProfile.Profile()
    spent: dict[str, float] = {}
    if parts is not None:
        from textual.css.stylesheet import Stylesheet

        from tests.perf import frame_parts

        frame_parts.instrument()
        Stylesheet.update_nodes = frame_parts.charge("styles", Stylesheet.update_nodes)  # type: ignore[method-assign]
        spent = frame_parts.spent
    spent.clear()
    async with app.run_test(size=SIZE):
        await asyncio.sleep(2.0)  # past start-up, training
        for turn in range(rounds + 1):
            for key, name in ROUND:
                await asyncio.sleep(chance.uniform(0.2, 0.5))
                await wait_for_idle(0)
                holding = True
                spent.clear()
                profiling = turn and name == profiled
                if profiling:
                    profile.enable()
                started = time.process_time()
                await app._press_keys([key])  # as Pilot.press, without its walk of the DOM
                await asyncio.sleep(SETTLE)
                await wait_for_idle(0)
                used = time.process_time() - started
                if parts is not None and turn:
                    for part, seconds in spent.items():
                        parts.setdefault(name, {}).setdefault(part, 0.0)
                        parts[name][part] += seconds
                spent.clear()
                if profiling:
                    profile.disable()
                holding = False
                if turn:
                    costs[name].append(used)
    if profiled:
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(25)
    return costs


def child(options: argparse.Namespace) -> int:
    if options.tree is not None:
        sys.path.insert(0, str(options.tree))
    else:
        sys.path.insert(0, str(HERE.parents[2]))
    parts: dict[str, dict[str, float]] | None = {} if options.parts else None
    costs = asyncio.run(measure(options.rounds, options.seed, options.profile, parts))
    import tui

    if parts is not None:
        for name, by_part in parts.items():
            presses = len(costs[name])
            total = sum(costs[name]) / presses * 1000
            shares = "  ".join(
                f"{part} {seconds / presses * 1000:.1f}"
                for part, seconds in sorted(by_part.items())
            )
            print(f"{name:14} {total:5.1f} ms: {shares}", file=sys.stderr)

    print(json.dumps({"tui": str(Path(tui.__file__).parent), "costs": costs}))
    return 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12, help="rounds measured per run")
    parser.add_argument("--runs", type=int, default=2, help="runs per tree (fresh processes)")
    parser.add_argument("--against", type=Path, metavar="DIR", help="also measure DIR's tui")
    parser.add_argument(
        "--profile",
        default="",
        metavar="KEY",
        help="with --child: cProfile that key's presses (e.g. '[') onto stderr",
    )
    parser.add_argument(
        "--parts", action="store_true", help="with --child: each key's CPU by part onto stderr"
    )
    parser.add_argument("--child", action="store_true", help="run one tree in this process")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"CPU per key press at 80×24, --fps 1 (served); load average {load} at start")
    trees: list[tuple[str, Path | None]] = [("this tree", None)]
    if options.against is not None:
        trees.append(("other tree", options.against.resolve()))
    gathered: dict[str, dict[str, list[float]]] = {name: {} for name, _tree in trees}
    for run in range(options.runs):
        for name, tree in trees:
            arguments = [sys.executable, str(HERE), "--child", "--rounds", str(options.rounds)]
            arguments += ["--seed", str(run)]
            if tree is not None:
                arguments += ["--tree", str(tree)]
            done = subprocess.run(arguments, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            answer = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  run {run + 1}: {name} = {answer['tui']}")
            for key, values in answer["costs"].items():
                gathered[name].setdefault(key, []).extend(values)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    presses = len(next(iter(gathered[trees[0][0]].values())))
    print(f"load average {load} at the end; {presses} presses of each key per tree\n")
    header = f"  {'key':14}" + "".join(f"  {name + ' median (p95)':>28}" for name, _ in trees)
    print(header + ("  ratio of medians" if len(trees) == 2 else ""))
    sums = {name: 0.0 for name, _tree in trees}
    for _key, key_name in ROUND:
        line = f"  {key_name:14}"
        counted = key_name != BASELINE
        medians = []
        for name, _tree in trees:
            values = gathered[name][key_name]
            median = statistics.median(values)
            medians.append(median)
            sums[name] += median if counted else 0.0
            p95 = percentile(values, 0.95)
            line += f"  {median * 1000:16.1f} ms ({p95 * 1000:5.1f})"
        if len(medians) == 2:
            line += f"  {medians[0] / medians[1]:.2f}"
        print(line)
    line = f"  {'a round (sum)':14}"
    for name, _tree in trees:
        line += f"  {sums[name] * 1000:16.1f} ms        "
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
