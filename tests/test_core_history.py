"""The trajectory keeps rows on a schedule fixed by the iteration alone: bounded, and the same
however a run is split."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from core import Trainer
from core.history import DENSE, MAX_ROWS, ROWS_PER_OCTAVE, kept_iterations, next_kept
from tests.registry import OPTIMIZER_NAMES


def test_the_schedule_keeps_every_early_iteration_then_a_fixed_number_per_doubling() -> None:
    kept = kept_iterations(0, 2**20)
    assert np.array_equal(kept[:DENSE], np.arange(1, DENSE + 1))
    for octave in range(11, 20):
        inside = kept[(kept >= 2**octave) & (kept < 2 ** (octave + 1))]
        assert inside.size == ROWS_PER_OCTAVE
        assert np.all(np.diff(inside) == 2**octave // ROWS_PER_OCTAVE), "evenly spread"
    assert all(next_kept(int(a)) == int(b) for a, b in itertools.pairwise(kept))
    assert kept_iterations(0, 10**12).size < 3_000


@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_rows_depend_on_the_iteration_alone_not_on_how_the_run_was_split(optimizer: str) -> None:
    whole = Trainer(seed=0, optimizer=optimizer)
    whole.run(5_000)
    split = Trainer(seed=0, optimizer=optimizer)
    for _ in itertools.islice(split.steps(), 3 * 700):
        pass
    for chunk in (1, 37, 1_000, 262):
        split.run(chunk)
    split.run(5_000 - split.iteration)
    rows, split_rows = whole.history.rows(), split.history.rows()
    assert np.array_equal(rows[:, 0], split_rows[:, 0])
    # The first 700 rows were stepped on the samples, the rest jumped on the surface:
    # equal up to rounding, against each column's scale (gradients pass through zero).
    scale = np.abs(rows).max(axis=0)
    assert np.all(np.abs(rows - split_rows) <= 1e-12 * scale)


def test_a_long_run_keeps_a_bounded_history_ending_at_the_latest_iteration() -> None:
    trainer = Trainer(seed=0)
    trainer.run(10**12)
    rows = trainer.history.rows()
    assert len(trainer.history) == rows.shape[0] <= MAX_ROWS
    assert rows[-1, 0] == 10**12 and rows[-1, 1] == trainer.weight
    assert np.all(np.diff(rows[:, 0]) > 0)


def test_the_latest_row_is_there_even_off_the_schedule() -> None:
    trainer = Trainer(seed=0)
    trainer.run(1_030)  # 1,024 is kept, 1,030 is not
    rows = trainer.history.rows()
    assert rows[-2:, 0].tolist() == [1_024, 1_030]
    trainer.run(10)  # 1,040 is kept: the off-schedule row is gone
    assert trainer.history.rows()[-2:, 0].tolist() == [1_024, 1_040]
    assert len(trainer.history) == trainer.history.rows().shape[0]


MEMORY_PROBE = """
import itertools, resource
from core import Trainer

def peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

trainer = Trainer(seed=0, optimizer="momentum")
trainer.run(100_000)  # warm up
list(itertools.islice(trainer.steps(), 3_000))
before = peak_kib()
for _ in range(10):  # a mix, as the app makes: a jump, then a stretch of events
    trainer.run(10**11)
    list(itertools.islice(trainer.steps(), 3_000))
print(peak_kib() - before, len(trainer.history))
"""


def test_a_trillion_iterations_grow_the_process_by_less_than_20_mb() -> None:
    # A fresh interpreter, so the peak is this run's and not an earlier test's.
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    grown_kib, rows = map(int, result.stdout.split())
    assert rows <= MAX_ROWS
    assert grown_kib < 20 * 1024, f"grew by {grown_kib / 1024:.1f} MiB"
