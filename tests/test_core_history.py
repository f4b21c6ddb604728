"""The trajectory stays bounded, keeps the untrained and latest rows, and thins evenly."""

from __future__ import annotations

import numpy as np

from core import Trainer
from core.history import COLUMNS, Trajectory


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
