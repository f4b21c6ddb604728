"""A bounded record of the training trajectory, thinned as it grows.

The loss plot and exports need the whole run at a glance, not every one of
possibly millions of iterations. ``Trajectory`` keeps at most ``capacity`` rows
at iterations that are multiples of a stride; when full it drops every other
row and doubles the stride. Row 0 (the untrained state) is always kept and the
latest row is always available, so memory stays flat however long the run.
"""

from __future__ import annotations

import numpy as np

from core.types import FloatArray

COLUMNS = ("iteration", "weight", "bias", "loss", "grad_weight", "grad_bias")
"""What each row holds: the state *after* that many iterations, all measured at
the row's (weight, bias); row 0 is the untrained neuron."""

DEFAULT_CAPACITY = 2048
"""Rows kept before thinning: plenty for a plot, ~100 KB of memory."""


class Trajectory:
    """Rows of ``COLUMNS``, decimated by stride doubling to at most ``capacity``."""

    def __init__(self, first_row: FloatArray, *, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 2:
            raise ValueError("a trajectory needs room for at least two rows")
        self.capacity = capacity
        """The most rows kept before thinning."""
        self.stride = 1
        """Kept rows are at iterations that are multiples of this."""
        self._rows: FloatArray = np.empty((capacity, len(COLUMNS)))
        self._count = 0
        first: FloatArray = np.asarray(first_row, dtype=np.float64)
        self._latest: tuple[float, ...] = tuple(first.tolist())
        self.extend(first[np.newaxis, :])

    @property
    def latest(self) -> FloatArray:
        """The most recent row, whether or not thinning kept it."""
        return np.array(self._latest, dtype=np.float64)

    def append(self, row: tuple[float, ...]) -> None:
        """Add the row of the next iteration (a tuple of ``COLUMNS``).

        The step path calls this once per iteration, so the latest row is kept
        as the tuple it came as; only rows that thinning keeps are written to
        the array.
        """
        self._latest = row
        if row[0] % self.stride:
            return
        if self._count == self.capacity:
            self._thin()
            if row[0] % self.stride:
                return
        self._rows[self._count] = row
        self._count += 1

    def extend(self, rows: FloatArray) -> None:
        """Add rows of later iterations, oldest first (a 2-D array of ``COLUMNS``).

        They need not be consecutive: a caller may leave out rows this
        trajectory would drop anyway (iterations not at a multiple of
        ``stride``), as long as the last row is the latest state.
        """
        if rows.shape[0] == 0:
            return
        self._latest = tuple(rows[-1].tolist())
        keep = rows[rows[:, 0] % self.stride == 0]
        while self._count + keep.shape[0] > self.capacity:
            self._thin()
            keep = keep[keep[:, 0] % self.stride == 0]
        self._rows[self._count : self._count + keep.shape[0]] = keep
        self._count += keep.shape[0]

    def _thin(self) -> None:
        """Drop every row whose iteration is not a multiple of twice the stride."""
        self.stride *= 2
        kept = self._rows[: self._count]
        kept = kept[kept[:, 0] % self.stride == 0]
        self._count = kept.shape[0]
        self._rows[: self._count] = kept

    def rows(self) -> FloatArray:
        """A copy of the kept rows, ending with the latest row, oldest first."""
        kept: FloatArray = self._rows[: self._count]
        if self._count and kept[-1, 0] == self._latest[0]:
            rows: FloatArray = kept.copy()
        else:
            rows = np.vstack([kept, np.array(self._latest, dtype=np.float64)[np.newaxis, :]])
        return rows

    def column(self, name: str) -> FloatArray:
        """One column of ``rows()`` by its name in ``COLUMNS``."""
        column: FloatArray = self.rows()[:, COLUMNS.index(name)]
        return column

    def __len__(self) -> int:
        return int(self.rows().shape[0])
