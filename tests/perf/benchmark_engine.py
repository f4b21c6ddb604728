"""How fast does one neuron learn here, against what a user would write or pick instead?

Run from the repository root with the dev environment:

    .venv/bin/python tests/perf/benchmark_engine.py

The same training (gradient descent on mean squared error, learning rate 1e-4,
from the tutorial's seed-0 weight and bias) is done five ways: the tutorial's
pure-Python loop (lists and for loops, with the chain rule's Σ grad × celsius),
a plain numpy loop, PyTorch on the CPU (``nn.Linear(1, 1)``, ``MSELoss``,
``SGD``, in float64 like the rest; skipped if torch is not installed), and
``core``'s ``Trainer.steps()`` (three events per iteration) and ``Trainer.run()``.

Then ``run()``'s closed form (gradient descent and momentum) is timed per call
for 10³ to 10¹² iterations, against the tutorial's pure-Python loop (for
momentum, the same loop with a velocity); and the rules without a closed form
(Adam, the tutorial's published gradient), which ``run()`` steps one update at
a time in plain floats, per iteration, against a copy of the loop release
0.1.0 used for Adam.

First every entry is run once and must end at the weight and bias ``run()``
reaches, to 1e-6 relative; only then is anything timed. Timings are
interleaved rounds (every entry once per round, so a burst of load from
elsewhere hits all of them), and each figure is the median over the rounds.
Set-up (building lists, arrays, tensors, a ``Trainer`` with its moments) is
outside the clock: the figures are per iteration of training. All ratios come
from one run of this script, on one machine, at one time.

Exit status 0 if every check and target passes, 1 otherwise.
"""

from __future__ import annotations

import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

import numpy as np

from core import Dataset, Trainer

LEARNING_RATE = 1e-4
SEED = 0
ROUNDS = 5
"""Timed rounds per entry; the median is reported."""
FAST_ROUNDS = 9
"""Rounds for the closed-form and loop tables: calls of a millisecond feel every burst of
load from elsewhere, so their median is taken over more rounds."""
MIN_SECONDS = 0.05
"""Fast entries are repeated within a round until they take at least this long."""
AGREEMENT = 1e-6
"""Largest relative difference in weight or bias allowed between entries."""

Run = Callable[[], tuple[float, float]]
"""One complete training run, set up and ready: returns (weight, bias)."""


# -- the five ways to train ---------------------------------------------------------


def tutorial_python(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """The tutorial's code: Python lists and for loops, one sample at a time."""
    celsius = data.celsius.tolist()
    fahrenheit = data.fahrenheit.tolist()
    n = len(celsius)
    learning_rate = LEARNING_RATE

    def train() -> tuple[float, float]:
        w, b = weight, bias
        for _ in range(iterations):
            # forward
            output = []
            loss = 0.0
            for c, f in zip(celsius, fahrenheit, strict=True):
                o = c * w + b
                output.append(o)
                loss += (o - f) ** 2
            loss /= n
            # backward (the chain rule as the text derives it: × celsius)
            grad_weight = 0.0
            grad_bias = 0.0
            for c, f, o in zip(celsius, fahrenheit, output, strict=True):
                grad_output = 2 * (o - f) / n
                grad_weight += grad_output * c
                grad_bias += grad_output
            # update
            w -= learning_rate * grad_weight
            b -= learning_rate * grad_bias
        return w, b

    return train


def numpy_loop(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """The same three steps on numpy arrays, written plainly but without waste."""
    c, f = data.celsius, data.fahrenheit
    n = c.size
    learning_rate = LEARNING_RATE

    def train() -> tuple[float, float]:
        w, b = weight, bias
        for _ in range(iterations):
            output = c * w + b
            error = output - f
            loss = float(error @ error) / n  # noqa: F841 (computed, as each entry does)
            grad_output = 2.0 * error / n
            grad_weight = float(grad_output @ c)
            grad_bias = float(grad_output.sum())
            w -= learning_rate * grad_weight
            b -= learning_rate * grad_bias
        return w, b

    return train


def pytorch(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """What a user of a framework writes: a Linear layer, MSELoss and SGD, on the CPU."""
    import torch
    from torch import nn

    x = torch.tensor(data.celsius, dtype=torch.float64).reshape(-1, 1)
    y = torch.tensor(data.fahrenheit, dtype=torch.float64).reshape(-1, 1)
    model = nn.Linear(1, 1).double()
    with torch.no_grad():
        model.weight.fill_(weight)
        model.bias.fill_(bias)
    loss_function = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    def train() -> tuple[float, float]:
        for _ in range(iterations):
            optimizer.zero_grad()
            loss = loss_function(model(x), y)
            loss.backward()
            optimizer.step()
        return float(model.weight.item()), float(model.bias.item())

    return train


def untrained(data: Dataset, weight: float, bias: float) -> Trainer:
    """A ``Trainer`` on ``data`` at iteration 0: one per dataset, reset before each run.

    A ``Trainer`` computes its dataset's moments (and, at N = 10^6, 24 MB of
    arrays) when it is made; ``reset()`` returns it to exactly the untrained
    state without redoing that, outside the clock.
    """
    key = (id(data), weight, bias)
    trainer = _TRAINERS.get(key)
    if trainer is None:
        trainer = _TRAINERS[key] = Trainer(
            data, learning_rate=LEARNING_RATE, weight=weight, bias=bias, seed=SEED
        )
    trainer.reset()
    return trainer


_TRAINERS: dict[tuple[int, float, float], Trainer] = {}


def core_steps(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """``Trainer.steps()``: every phase as an event, with its arrays (what the app shows)."""
    trainer = untrained(data, weight, bias)

    def train() -> tuple[float, float]:
        events = trainer.steps()
        for _ in range(iterations):
            next(events)  # forward
            next(events)  # backward
            next(events)  # update
        return trainer.weight, trainer.bias

    return train


def core_run(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """``Trainer.run()``: whole iterations in closed form on the loss surface."""
    trainer = untrained(data, weight, bias)

    def train() -> tuple[float, float]:
        trainer.run(iterations)
        return trainer.weight, trainer.bias

    return train


def tutorial_python_momentum(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """The tutorial's loop exactly as above, its update made with heavy-ball momentum (β 0.9):
    v ← β·v + gradient; parameter ← parameter − lr·v."""
    celsius = data.celsius.tolist()
    fahrenheit = data.fahrenheit.tolist()
    n = len(celsius)
    learning_rate = LEARNING_RATE

    def train() -> tuple[float, float]:
        w, b = weight, bias
        velocity_weight = velocity_bias = 0.0
        for _ in range(iterations):
            # forward
            output = []
            loss = 0.0
            for c, f in zip(celsius, fahrenheit, strict=True):
                o = c * w + b
                output.append(o)
                loss += (o - f) ** 2
            loss /= n
            # backward
            grad_weight = 0.0
            grad_bias = 0.0
            for c, f, o in zip(celsius, fahrenheit, output, strict=True):
                grad_output = 2 * (o - f) / n
                grad_weight += grad_output * c
                grad_bias += grad_output
            # update, with a velocity
            velocity_weight = 0.9 * velocity_weight + grad_weight
            velocity_bias = 0.9 * velocity_bias + grad_bias
            w -= learning_rate * velocity_weight
            b -= learning_rate * velocity_bias
        return w, b

    return train


def core_run_with(
    optimizer: str, learning_rate: float, gradient: str = "chain"
) -> Callable[[Dataset, float, float, int], Run]:
    """``Trainer.run()`` with another optimizer or gradient rule, from a reset trainer."""

    def make(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
        key = (id(data), weight, bias, optimizer, gradient)
        trainer = _OTHER_TRAINERS.get(key)
        if trainer is None:
            trainer = _OTHER_TRAINERS[key] = Trainer(
                data,
                learning_rate=learning_rate,
                weight=weight,
                bias=bias,
                seed=SEED,
                optimizer=optimizer,
                gradient=gradient,
            )
        trainer.reset()

        def train() -> tuple[float, float]:
            trainer.run(iterations)
            return trainer.weight, trainer.bias

        return train

    return make


_OTHER_TRAINERS: dict[tuple[object, ...], Trainer] = {}


def first_run_with(optimizer: str) -> Callable[[Dataset, float, float, int], Run]:
    """``Trainer.run()`` on a new ``Trainer`` (made outside the clock): its first call also
    makes the closed form's tables of powers, which later calls reuse."""

    def make(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
        trainer = Trainer(
            data,
            learning_rate=LEARNING_RATE,
            weight=weight,
            bias=bias,
            seed=SEED,
            optimizer=optimizer,
        )

        def train() -> tuple[float, float]:
            trainer.run(iterations)
            return trainer.weight, trainer.bias

        return train

    return make


def adam_loop_0_1_0(data: Dataset, weight: float, bias: float, iterations: int) -> Run:
    """Release 0.1.0's ``run()`` for Adam, copied: an Adam object holding its moments,
    stepped once per iteration on ``LossSurface.gradient``, building an ``AdamState`` each
    time; the parameters written to arrays in blocks of 16,384, each block judged at once."""
    from core.optimizers import AdamState
    from core.surface import LossSurface

    surface = LossSurface.of(data)

    class OldAdam:
        def __init__(self) -> None:
            self.t = 0
            self.m_weight = self.v_weight = self.m_bias = self.v_bias = 0.0

        def step(
            self, weight: float, bias: float, grad_weight: float, grad_bias: float, rate: float
        ) -> tuple[float, float, AdamState]:
            self.t += 1
            b1, b2 = 0.9, 0.999
            self.m_weight = b1 * self.m_weight + (1.0 - b1) * grad_weight
            self.m_bias = b1 * self.m_bias + (1.0 - b1) * grad_bias
            self.v_weight = b2 * self.v_weight + (1.0 - b2) * grad_weight * grad_weight
            self.v_bias = b2 * self.v_bias + (1.0 - b2) * grad_bias * grad_bias
            correction1 = 1.0 - b1**self.t
            correction2 = 1.0 - b2**self.t
            m_hat_weight = self.m_weight / correction1
            m_hat_bias = self.m_bias / correction1
            v_hat_weight = self.v_weight / correction2
            v_hat_bias = self.v_bias / correction2
            step_weight = rate * m_hat_weight / (math.sqrt(v_hat_weight) + 1e-8)
            step_bias = rate * m_hat_bias / (math.sqrt(v_hat_bias) + 1e-8)
            state = AdamState(
                t=self.t,
                m_weight=self.m_weight,
                m_bias=self.m_bias,
                v_weight=self.v_weight,
                v_bias=self.v_bias,
                m_hat_weight=m_hat_weight,
                m_hat_bias=m_hat_bias,
                v_hat_weight=v_hat_weight,
                v_hat_bias=v_hat_bias,
                step_weight=step_weight,
                step_bias=step_bias,
            )
            return weight - step_weight, bias - step_bias, state

    def train() -> tuple[float, float]:
        adam = OldAdam()
        w, b = weight, bias
        done = 0
        while done < iterations:
            count = min(16_384, iterations - done)
            weights, biases = np.empty(count), np.empty(count)
            for k in range(count):
                grad_weight, grad_bias = surface.gradient(w, b)
                w, b, _ = adam.step(w, b, grad_weight, grad_bias, ADAM_RATE)
                weights[k], biases[k] = w, b
                if not (math.isfinite(w) and math.isfinite(b)):
                    weights[k:], biases[k:] = w, b
                    break
            with np.errstate(over="ignore", invalid="ignore"):
                losses = surface.loss(weights, biases)
            healthy = np.isfinite(weights) & np.isfinite(biases) & np.isfinite(losses)
            assert healthy.all()
            done += count
        return w, b

    return train


ADAM_RATE = 0.1
"""Adam's own default rate (Keras' example)."""


@dataclass
class Entry:
    """One way to train, and how many iterations it is timed for in a workload."""

    name: str
    make: Callable[[Dataset, float, float, int], Run]
    iterations: int
    seconds: list[float]


def torch_version() -> str | None:
    """The installed torch's version and thread count, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    return f"{torch.__version__} ({torch.get_num_threads()} threads)"


# -- measuring -----------------------------------------------------------------------


def check(data: Dataset, entries: list[Entry], weight: float, bias: float) -> float:
    """Run every entry once; all must end where run() does. Returns the largest difference."""
    worst = 0.0
    for entry in entries:
        expected = core_run(data, weight, bias, entry.iterations)()
        got = entry.make(data, weight, bias, entry.iterations)()
        for name, value, reference in zip(("weight", "bias"), got, expected, strict=True):
            difference = abs(value - reference) / abs(reference)
            worst = max(worst, difference)
            if not difference <= AGREEMENT:
                sys.exit(
                    f"FAIL: {entry.name} ends at {name} {value!r}, run() at {reference!r} "
                    f"(relative difference {difference:.2e} > {AGREEMENT:g}); no times printed"
                )
    return worst


def time_once(entry: Entry, data: Dataset, weight: float, bias: float) -> float:
    """Seconds per iteration in one round: runs set up afresh and timed until MIN_SECONDS."""
    elapsed = 0.0
    runs = 0
    while elapsed < MIN_SECONDS:
        train = entry.make(data, weight, bias, entry.iterations)
        start = time.perf_counter()
        train()
        elapsed += time.perf_counter() - start
        runs += 1
    return elapsed / (runs * entry.iterations)


def measure(
    entries: list[Entry], data: Dataset, weight: float, bias: float, rounds: int = ROUNDS
) -> None:
    """Interleaved rounds: every entry once per round."""
    for _ in range(rounds):
        for entry in entries:
            entry.seconds.append(time_once(entry, data, weight, bias))


def median_us(entry: Entry) -> float:
    return statistics.median(entry.seconds) * 1e6


# -- the report ----------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores, load average {load} at start"


def table(title: str, entries: list[Entry], total: int) -> None:
    run = next(e for e in entries if e.name == "core run()")
    numpy_entry = next(e for e in entries if e.name == "numpy loop")
    print(f"\n{title}")
    print(f"  {'':24} {'iterations':>10} {'µs/iteration':>13} {'× run()':>9} {'× numpy':>8}")
    for entry in entries:
        if not entry.seconds:
            print(f"  {entry.name:24} skipped (torch not installed)")
            continue
        us = median_us(entry)
        timed = f"{entry.iterations:,}" + ("*" if entry.iterations < total else "")
        print(
            f"  {entry.name:24} {timed:>10} {figure(us):>13} "
            f"{figure(us / median_us(run)):>9} {figure(us / median_us(numpy_entry)):>8}"
        )
    if any(e.iterations < total for e in entries if e.seconds):
        print(f"  * timed for fewer than the workload's {total:,} iterations; per-iteration cost")


def figure(value: float) -> str:
    """Three or four significant digits, with thousands separators when large."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value >= 0.01 else f"{value:.1g}"


def verdict(passed: bool, text: str) -> bool:
    print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return passed


def workload(
    data: Dataset, iterations: int, *, python_iterations: int, with_torch: bool
) -> list[Entry]:
    weight, bias = initial_parameters()
    entries = [
        Entry("pure Python (tutorial)", tutorial_python, python_iterations, []),
        Entry("numpy loop", numpy_loop, iterations, []),
        Entry("PyTorch CPU (float64)", pytorch, iterations, []),
        Entry("core steps()", core_steps, iterations, []),
        Entry("core run()", core_run, iterations, []),
    ]
    active = [e for e in entries if with_torch or e.make is not pytorch]
    worst = check(data, active, weight, bias)
    print(f"  check: all entries end at run()'s weight and bias, largest difference {worst:.1e}")
    measure(active, data, weight, bias)
    return entries


def initial_parameters() -> tuple[float, float]:
    """The tutorial's start: the first two draws after random.seed(0)."""
    draws = random.Random(SEED)
    return draws.random(), draws.random()


def per_call_ms(entry: Entry) -> float:
    return median_us(entry) * entry.iterations / 1000


def closed_form_section(data: Dataset) -> tuple[dict[str, Entry], float]:
    """run() for 10³ … 10¹² iterations (gradient descent and momentum), and the pure-Python
    momentum loop; returns the entries by name and the largest difference from the loops."""
    weight, bias = initial_parameters()
    entries = [
        Entry(f"{optimizer} run({count:.0e})", core_run_with(optimizer, LEARNING_RATE), count, [])
        for optimizer in ("gd", "momentum")
        for count in (10**3, 10**4, 10**6, 10**12)
    ]
    entries += [
        Entry(f"{optimizer} first run", first_run_with(optimizer), 10_000, [])
        for optimizer in ("gd", "momentum")
    ]
    python_momentum = Entry("pure Python momentum", tutorial_python_momentum, 10_000, [])
    worst = 0.0
    for optimizer, loop in (("gd", tutorial_python), ("momentum", tutorial_python_momentum)):
        expected = loop(data, weight, bias, 10_000)()
        got = core_run_with(optimizer, LEARNING_RATE)(data, weight, bias, 10_000)()
        for value, reference in zip(got, expected, strict=True):
            worst = max(worst, abs(value - reference) / abs(reference))
    if not worst <= AGREEMENT:
        sys.exit(f"FAIL: run() differs from the pure-Python loops by {worst:.1e}")
    measure([*entries, python_momentum], data, weight, bias, rounds=FAST_ROUNDS)
    return {e.name: e for e in [*entries, python_momentum]}, worst


def loops_section(data: Dataset) -> dict[str, Entry]:
    """Per-iteration cost of the rules without a closed form, and of release 0.1.0's loop."""
    weight, bias = initial_parameters()
    count = 20_000
    entries = [
        Entry("Adam, 0.1.0's loop", adam_loop_0_1_0, count, []),
        Entry("Adam run()", core_run_with("adam", ADAM_RATE), count, []),
        Entry("published run()", core_run_with("gd", LEARNING_RATE, "published"), count, []),
    ]
    old = entries[0].make(data, weight, bias, count)()
    new = entries[1].make(data, weight, bias, count)()
    difference = max(abs(a - b) / abs(b) for a, b in zip(new, old, strict=True))
    if not difference <= AGREEMENT:
        sys.exit(f"FAIL: Adam's run() differs from 0.1.0's loop by {difference:.1e}")
    measure(entries, data, weight, bias, rounds=FAST_ROUNDS)
    return {e.name: e for e in entries}


def closed_form_table(rows: dict[str, Entry], python_gd: Entry) -> list[bool]:
    print("\nrun() in closed form (tutorial data, lr 1e-4), per call")
    print(f"  {'':24} {'iterations':>18} {'ms per call':>12} {'× 10^3 call':>12}")
    results = []
    for optimizer in ("gd", "momentum"):
        first = rows[f"{optimizer} run(1e+03)"]
        for count in (10**3, 10**4, 10**6, 10**12):
            entry = rows[f"{optimizer} run({count:.0e})"]
            ratio = per_call_ms(entry) / per_call_ms(first)
            print(
                f"  {optimizer + ' run()':24} {count:>18,} {per_call_ms(entry):>12.3f} "
                f"{ratio:>12.2f}"
            )
    for name, python in (("gd", python_gd), ("momentum", rows["pure Python momentum"])):
        print(f"  {'pure Python ' + name:24} {10_000:>18,} {per_call_ms(python):>12.1f}")
    print("  a new Trainer's first run() also makes the tables later calls reuse:")
    for optimizer, python in (("gd", python_gd), ("momentum", rows["pure Python momentum"])):
        first = per_call_ms(rows[f"{optimizer} first run"])
        print(
            f"  {optimizer + ' first run()':24} {10_000:>18,} {first:>12.3f} "
            f"{per_call_ms(python) / first:>10,.0f}× faster than pure Python"
        )
    print("\ntargets (closed form)")
    for optimizer, python in (("gd", python_gd), ("momentum", rows["pure Python momentum"])):
        trillion = per_call_ms(rows[f"{optimizer} run(1e+12)"])
        thousand = per_call_ms(rows[f"{optimizer} run(1e+03)"])
        results.append(
            verdict(
                trillion <= 3 * thousand,
                f"{optimizer} run(10^12) within 3× of run(10^3): "
                f"{trillion:.3f} vs {thousand:.3f} ms, {trillion / thousand:.2f}×",
            )
        )
        speedup = per_call_ms(python) / per_call_ms(rows[f"{optimizer} run(1e+04)"])
        results.append(
            verdict(
                speedup >= 1_000,
                f"{optimizer} run(10,000) ≥ 1,000× faster than the pure-Python loop: "
                f"{speedup:,.0f}×",
            )
        )
    return results


def loops_table(rows: dict[str, Entry]) -> None:
    old = median_us(rows["Adam, 0.1.0's loop"])
    print("\nrules without a closed form: run() one update at a time, per iteration")
    print(f"  {'':24} {'µs/iteration':>13} {'× 0.1.0 Adam':>13}")
    for name, entry in rows.items():
        us = median_us(entry)
        print(f"  {name:24} {figure(us):>13} {us / old:>13.2f}")


def main() -> int:
    torch = torch_version()
    print("c2f-tui engine benchmark: gradient descent on mean squared error, lr 1e-4, seed 0")
    print(f"machine: {machine()}")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"torch {torch or 'not installed'}"
    )
    print(
        f"figures: median of {ROUNDS} interleaved rounds ({FAST_ROUNDS} for the closed-form "
        "and loop tables); set-up outside the clock"
    )

    tutorial = Dataset.tutorial()
    print("\nworkload 1: the tutorial's data (N = 100), 10,000 iterations")
    small = workload(tutorial, 10_000, python_iterations=10_000, with_torch=torch is not None)
    large_data = Dataset.synthetic(samples=1_000_000, noise=2.0, seed=SEED)
    print("workload 2: N = 1,000,000 noisy readings of the same line, 100 iterations")
    large = workload(large_data, 100, python_iterations=3, with_torch=torch is not None)

    # run() at both sizes for the same number of iterations: only N differs.
    weight, bias = initial_parameters()
    same_count = [Entry("core run() at N = 100", core_run, 100, [])]
    measure(same_count, tutorial, weight, bias)

    print("closed form: run() for 10^3 … 10^12 iterations, gd and momentum")
    closed, closed_worst = closed_form_section(tutorial)
    print(f"  check: run(10,000) ends where the pure-Python loops do, to {closed_worst:.1e}")
    print("loops: Adam and the published gradient, 20,000 iterations")
    loops = loops_section(tutorial)

    table("N = 100, 10,000 iterations", small, 10_000)
    table("N = 1,000,000, 100 iterations", large, 100)
    closed_results = closed_form_table(closed, next(e for e in small if e.make is tutorial_python))
    loops_table(loops)

    by_name = {e.name: e for e in small}
    large_by_name = {e.name: e for e in large}
    run_us = median_us(by_name["core run()"])
    print("\ntargets")
    results = [
        verdict(
            median_us(by_name["pure Python (tutorial)"]) / run_us >= 100,
            f"run() ≥ 100× faster than pure Python: "
            f"{median_us(by_name['pure Python (tutorial)']) / run_us:,.0f}×",
        )
    ]
    if torch is not None:
        ratio = median_us(by_name["PyTorch CPU (float64)"]) / run_us
        results.append(verdict(ratio >= 20, f"run() ≥ 20× faster than PyTorch: {ratio:,.0f}×"))
    else:
        print("  SKIP  run() ≥ 20× faster than PyTorch: torch not installed")
    at_100 = median_us(same_count[0])
    at_million = median_us(large_by_name["core run()"])
    results.append(
        verdict(
            at_million <= 2 * at_100,
            f"run() per iteration at N = 10^6 within 2× of N = 100 (both 100 iterations): "
            f"{at_million:.3f} vs {at_100:.3f} µs, {at_million / at_100:.2f}×",
        )
    )
    for label, rows in (("N = 100", by_name), ("N = 10^6", large_by_name)):
        ratio = median_us(rows["core steps()"]) / median_us(rows["numpy loop"])
        results.append(
            verdict(ratio <= 2.0, f"steps() ≤ 2× the numpy loop at {label}: {ratio:.2f}×")
        )
    return 0 if all(results + closed_results) else 1


if __name__ == "__main__":
    sys.exit(main())
