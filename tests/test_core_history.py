"""The trajectory stays bounded, keeps the untrained and latest rows, and thins evenly."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from core import Trainer
from core.history import COLUMNS, DEFAULT_CAPACITY, Trajectory


def rows(first: int, last: int) -> np.ndarray:
    iterations = np.arange(first, last + 1, dtype=float)
    return np.column_stack([iterations] + [iterations * k for k in range(1, len(COLUMNS))])


def test_rows_stay_within_capacity_and_keep_first_and_last() -> None:
    trajectory = Trajectory(rows(0, 0)[0], capacity=64)
    for start in range(1, 10_000, 333):
        trajectory.extend(rows(start, min(start + 332, 9_999)))
    kept = trajectory.rows()
    assert kept.shape[0] <= 64 + 1
    assert kept[0, 0] == 0 and kept[-1, 0] == 9_999
    assert np.all(np.diff(kept[:-1, 0]) == trajectory.stride)  # evenly thinned
    assert np.array_equal(kept[:, 2], kept[:, 0] * 2)  # rows stay whole


def test_a_long_run_keeps_a_bounded_history() -> None:
    trainer = Trainer(seed=0)
    trainer.run(1_000_000)
    assert len(trainer.history) <= trainer.history.capacity + 1
    assert trainer.history.rows()[-1, 0] == 1_000_000


MEMORY_PROBE = """
import itertools, resource
from core import Trainer

def peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

trainer = Trainer(seed=0)
trainer.run(99_000)  # warm up: the history at capacity, run()'s blocks allocated once
list(itertools.islice(trainer.steps(), 3_000))
before = peak_kib()  # after 100,000 iterations
trainer.run(9_000_000)
for _ in range(10):  # then a mix, as the app makes: a jump, then a stretch of events
    trainer.run(99_000)
    list(itertools.islice(trainer.steps(), 3_000))
assert trainer.iteration == 100_000 + 10_000_000, trainer.iteration
print(peak_kib() - before, len(trainer.history))
"""


def test_ten_million_iterations_grow_the_process_by_less_than_20_mb() -> None:
    # A fresh interpreter, so the peak is this run's and not an earlier test's.
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    grown_kib, rows = map(int, result.stdout.split())
    assert rows <= DEFAULT_CAPACITY + 1
    assert grown_kib < 20 * 1024, f"grew by {grown_kib / 1024:.1f} MiB"
