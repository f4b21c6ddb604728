"""Mash 20,000 random keys on the app in Textual's Pilot, and report resident memory.

    .venv/bin/python tests/perf/mash_keys.py                   # 20,000 keys, seed 0
    .venv/bin/python tests/perf/mash_keys.py --keys 10000 --seed 3 --batch 500
    .venv/bin/python tests/perf/mash_keys.py --search --keys 5000 --seed 7  # issue 21's search

Runs ``tests/mash_harness.py`` (the same keys and checks as
``tests/test_tui_mash.py``, many more of them) on ``c2f-tui`` at 80×24 with
notifications on, starting to train. Prints the resident set size (RSS, from
/proc) after start-up, every ``--report`` keys, after the mash and after idling
``--idle`` seconds with the app paused, and the Python heap that tracemalloc
attributes to the mash when ``--trace`` is given (slower: every allocation is
recorded), with the ten source lines that hold the most of what grew.
Exit status 0 if the app survived every check, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.mash_harness import LoopWatchdog, MashedApp, Masher
from tui.settings import Settings


def rss_mib() -> float:
    """This process's resident set size in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def run(arguments: argparse.Namespace) -> int:
    app = MashedApp(Settings(speed=1000) if arguments.search else Settings())
    watchdog = LoopWatchdog(frozen_after=600.0 if arguments.trace else 10.0)  # tracing is slow
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause(0)
        gc.collect()
        before = rss_mib()
        print(f"after start-up: RSS {before:.0f} MiB", flush=True)
        if arguments.trace:
            tracemalloc.start(25)
            snapshot = tracemalloc.take_snapshot()
        masher = Masher(app, pilot, Random(arguments.seed), watchdog)
        started = time.perf_counter()
        with watchdog.watching():
            while masher.pressed < arguments.keys:
                if arguments.search:
                    await masher.search(min(masher.pressed + arguments.report, arguments.keys))
                else:
                    await masher.mash(arguments.report, batch=arguments.batch)
                elapsed = time.perf_counter() - started
                print(
                    f"{masher.pressed:>7,} keys  {elapsed:6.0f} s  RSS {rss_mib():5.0f} MiB  "
                    f"iteration {app.controller.driver.trainer.iteration:,}  "
                    f"{app.controller.driver.state.value}",
                    flush=True,
                )
        after = rss_mib()
        app.controller.driver.pause()
        app.refresh_view(charts=True)
        await pilot.pause(arguments.idle)
        gc.collect()
        idle = rss_mib()
        print(
            f"RSS: {before:.0f} MiB after start-up, {after:.0f} MiB after "
            f"{masher.pressed:,} keys, {idle:.0f} MiB after {arguments.idle:g} s idle",
            flush=True,
        )
        if arguments.trace:
            grown = tracemalloc.take_snapshot().compare_to(snapshot, "traceback")
            total = sum(stat.size_diff for stat in grown)
            print(f"Python heap grown by {total / 2**20:.1f} MiB; the largest holders:")
            for stat in grown[:10]:
                print(f"  {stat.size_diff / 2**20:7.2f} MiB in {stat.count_diff:+,} blocks")
                for line in stat.traceback.format(limit=6, most_recent_first=True):
                    print("      " + line)
        commonest = ", ".join(f"{key} {n}" for key, n in masher.kinds.most_common(8))
        print(f"commonest keys: {commonest}")
        print(f"quits asked for (not done): {app.quits}; screenshots: {app.screenshots}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=200, help="keys between checks")
    parser.add_argument("--report", type=int, default=2_000, help="keys between RSS lines")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds paused at the end")
    parser.add_argument("--trace", action="store_true", help="attribute growth with tracemalloc")
    parser.add_argument(
        "--search",
        action="store_true",
        help="check after every burst, as tests/test_tui_mash.py's search: q and ctrl+c quit "
        "whatever is on top, ? and escape answer, status and Footer agree (training at "
        "--speed 1000)",
    )
    arguments = parser.parse_args()
    warnings.simplefilter("error")  # as the test suite: a numpy warning is a failure
    with tempfile.TemporaryDirectory(prefix="c2f-mash-") as folder:
        os.chdir(folder)  # x exports land here
        sys.exit(asyncio.run(run(arguments)))


if __name__ == "__main__":
    main()
