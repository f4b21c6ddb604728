"""What the predictions and going back cost the screen, per frame and per key.

Run from the repository root with the dev environment:

    .venv/bin/python tests/perf/measure_forecast.py

1. Per frame while training runs: the predictions the panels show (``Driver.outlook``,
   which asks ``core`` once per stretch of settings) against asking ``core`` every
   frame (``iterations_to`` three times and ``divergence_expected_at``). Each frame
   first advances the trainer by 37 iterations (as a frame at the default pace does
   near iteration 100), outside the clock.
2. Per key: ``b`` (``Driver.back``) and ``g`` to an iteration 5,000 back (``Driver.seek``),
   for gradient descent (closed form) and Adam (replayed from a checkpoint), both
   including the events of the landing iteration made on a copy of the trainer.

Timings are interleaved rounds and each figure is the median; ratios come from one
run of this script, on one machine, at one time. Nothing here is asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core import Trainer
from tui.model.driver import Driver
from tui.model.outlook import _ask

ROUNDS = 7
FRAMES = 200


def per_frame(ask: Callable[[Driver], object]) -> float:
    """Seconds per frame of ``ask``, the trainer advancing between frames."""
    driver = Driver(Trainer(seed=0), target=10**9, running=False)
    total = 0.0
    for _frame in range(FRAMES):
        driver.trainer.run(37)
        start = time.perf_counter()
        ask(driver)
        total += time.perf_counter() - start
    return total / FRAMES


def per_key(optimizer: str, key: Callable[[Driver], object]) -> float:
    """Seconds for one press of ``key`` at iteration 20,000."""
    trainer = Trainer(
        seed=0, optimizer=optimizer, learning_rate=0.1 if optimizer == "adam" else None
    )
    trainer.run(20_000)
    driver = Driver(trainer, target=10**9, running=False)
    start = time.perf_counter()
    key(driver)
    return time.perf_counter() - start


def main() -> int:
    frames: dict[str, list[float]] = {"outlook (memo)": [], "core every frame": []}
    keys: dict[str, list[float]] = {}
    cases = {
        "b, gd": ("gd", lambda d: d.back()),
        "g 5,000 back, gd": ("gd", lambda d: d.seek(15_000)),
        "b, adam": ("adam", lambda d: d.back()),
        "g 5,000 back, adam": ("adam", lambda d: d.seek(15_000)),
    }
    for _round in range(ROUNDS):
        frames["outlook (memo)"].append(per_frame(lambda d: d.outlook))
        frames["core every frame"].append(per_frame(lambda d: _ask(d.trainer)))
        for name, (optimizer, key) in cases.items():
            keys.setdefault(name, []).append(per_key(optimizer, key))
    memo = statistics.median(frames["outlook (memo)"])
    every = statistics.median(frames["core every frame"])
    print("per frame while running")
    print(f"  outlook (memo)      {memo * 1e6:8.1f} µs")
    print(f"  core every frame    {every * 1e6:8.1f} µs   ({every / memo:.0f}× the memo)")
    print("per key")
    for name, seconds in keys.items():
        print(f"  {name:<19} {statistics.median(seconds) * 1e3:8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
