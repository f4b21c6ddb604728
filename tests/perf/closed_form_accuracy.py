"""How close does ``run(n)``'s closed form come to exact arithmetic, as n grows?

Run from the repository root with the dev environment:

    .venv/bin/python tests/perf/closed_form_accuracy.py

For gradient descent and momentum on two datasets (the tutorial's, and
celsius 0..20 with fahrenheit round(1.8c + 32), issue 23's), at three
ordinary rates (1e-8, the default 1e-4, half the stable limit) and two near
it (the limit × (1 − 1e-6) and × (1 − 1e-9)), each cell is the worst
relative error of ``Trainer(seed=0).run(n)`` against exact arithmetic on the
same float64 data and rate (``tests/exact.py``, 320 bits), per parameter,
relative to max(|exact|, 1). Then, for n ≤ 10⁶, the same for ``steps()``
(stepping's own error) at the rates where stepping is affordable.

The goal (issue 23): ≤ 1e-12 for n ≤ 10⁹ at rates ≤ 0.9× the limit, and no
more than 10× stepping's own error for n ≤ 10⁶. Exit status 0 if both hold.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

from core import Dataset, Trainer
from tests.exact import Exact, relative_error

COUNTS = [10**p for p in range(3, 10)]
STEPPED = [10**p for p in range(3, 7)]
GOAL = 1e-12
ORDINARY = 0.9
"""Rates at most this share of the stable limit must meet ``GOAL``."""


def datasets() -> dict[str, Dataset]:
    celsius = [float(c) for c in range(21)]
    return {
        "tutorial": Dataset.tutorial(),
        "0..20": Dataset(celsius, [float(round(1.8 * c + 32)) for c in celsius]),
    }


def rates(trainer: Trainer) -> list[tuple[str, float]]:
    limit = trainer.max_stable_learning_rate
    return [
        ("1e-8", 1e-8),
        ("1e-4", 1e-4),
        ("limit/2", limit / 2),
        ("limit(1-1e-6)", limit * (1 - 1e-6)),
        ("limit(1-1e-9)", limit * (1 - 1e-9)),
    ]


def stepped(trainer: Trainer, counts: list[int]) -> dict[int, tuple[float, float]]:
    """(weight, bias) after each count, stepping one update at a time."""
    wanted, found = set(counts), {}
    for event in trainer.steps():
        if event.phase == "update" and event.iteration in wanted:
            found[event.iteration] = (trainer.weight, trainer.bias)
            if len(found) == len(wanted):
                return found
    raise AssertionError("steps() ended early")


def main() -> int:
    failures = 0
    header = f"{'':26}" + "".join(f"{'1e' + str(len(str(n)) - 1):>9}" for n in COUNTS)
    for name, data in datasets().items():
        for optimizer in ("gd", "momentum"):
            print(f"\n{optimizer} on {name}: run(n) vs exact")
            print(header + f"{'step 1e6':>10}{'run/step':>9}")
            for label, rate in rates(Trainer(data, seed=0, optimizer=optimizer)):
                trainer = Trainer(data, seed=0, optimizer=optimizer, learning_rate=rate)
                exact = Exact(
                    data.celsius, data.fahrenheit, rate, 0.9 if optimizer == "momentum" else 0.0
                )
                start = (trainer.weight, trainer.bias)
                errors = {}
                for n in COUNTS:
                    trainer.reset()
                    trainer.run(n)
                    errors[n] = relative_error((trainer.weight, trainer.bias), exact.at(*start, n))
                ordinary = rate <= ORDINARY * trainer.max_stable_learning_rate
                line = f"  {label:24}" + "".join(f"{errors[n]:9.1e}" for n in COUNTS)
                if ordinary and max(errors.values()) > GOAL:
                    failures += 1
                    line += "  > 1e-12"
                trainer.reset()
                steps = stepped(trainer, STEPPED)
                floor = 2.0**-52
                worst_ratio = 0.0
                for n in STEPPED:
                    step_error = relative_error(steps[n], exact.at(*start, n))
                    worst_ratio = max(worst_ratio, errors[n] / max(step_error, floor))
                line += f"{step_error:10.1e}{worst_ratio:9.1f}"
                if worst_ratio > 10:
                    failures += 1
                    line += "  > 10x stepping"
                print(line, flush=True)
    print(f"\n{failures} failure(s) of the goal")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
