"""A bounded record of the training trajectory, on a schedule fixed in advance.

The loss chart, the landscape's path and the exports need the whole run at a
glance, not every one of possibly a trillion iterations. ``Trajectory`` keeps
the rows of the iterations ``kept_iterations`` names: every one of the first
``DENSE`` (where the weight does all its moving), then ``ROWS_PER_OCTAVE`` per
doubling of the iteration count, evenly spaced within it (the multiples of
2^(e−6) between 2^e and 2^(e+1): about 213 per decade, one every 0.8 to 1.6 %
of the count), plus always the latest row (the current state, read when
asked). Which iterations have rows depends on nothing but the iteration
number, so a run made in one jump, in a thousand chunks or one phase at a
time keeps the same rows, and a jump of 10¹² iterations computes just those
rows without visiting the rest (the spacing by powers of two is what lets
``core.linear`` make them a whole octave at a time). A run of 10¹² iterations
keeps about 2,900 rows; the most any run can keep (to iteration 2⁶³) is
``MAX_ROWS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import numpy as np

from core.types import FloatArray

if TYPE_CHECKING:
    from numpy.typing import NDArray

COLUMNS = ("iteration", "weight", "bias", "loss", "grad_weight", "grad_bias")
"""What each row holds: the state *after* that many iterations, all measured at
the row's (weight, bias); row 0 is the untrained neuron."""

OCTAVE_BITS: Final = 6
"""Each doubling of the iteration count keeps 2^OCTAVE_BITS rows."""

ROWS_PER_OCTAVE: Final = 2**OCTAVE_BITS
"""Rows kept between iterations 2^e and 2^(e+1) beyond ``DENSE``."""

DENSE: Final = 2**10
"""Every iteration up to this one (1,024) has a row."""

_FIRST_OCTAVE: Final = DENSE.bit_length() - 1
_LAST_OCTAVE: Final = 62

LAST_ITERATION: Final = 2**63 - 1
"""The furthest a run can go: iteration numbers are kept as int64 (here and in
``core.linear``'s tables of powers). Long before it every stable run sits on the
optimum to rounding, so the limit costs nothing but an honest refusal."""

MAX_ROWS: Final = DENSE + 1 + ROWS_PER_OCTAVE * (_LAST_OCTAVE - _FIRST_OCTAVE + 1) + 1
"""No trajectory ever holds more rows than this (about 4,400: some 210 KB)."""


def kept_iterations(after: int, upto: int) -> NDArray[np.int64]:
    """The iterations in (after, upto] that have a row, in increasing order."""
    dense = np.arange(max(after, -1) + 1, min(upto, DENSE) + 1, dtype=np.int64)
    if upto <= DENSE:
        return dense
    # Beyond DENSE the j-th kept iteration is (2^p + m)·2^(o + 10 − p), with j = 64·o + m.
    first = _grid_position(after) + 1 if after >= DENSE else 1
    j = np.arange(first, _grid_position(upto) + 1, dtype=np.int64)
    octave, m = np.divmod(j, ROWS_PER_OCTAVE)
    kept: NDArray[np.int64] = np.concatenate(
        [dense, (ROWS_PER_OCTAVE + m) << (octave + _FIRST_OCTAVE - OCTAVE_BITS)]
    )
    return kept


def _grid_position(iteration: int) -> int:
    """j of the last kept iteration ≤ ``iteration`` (≥ DENSE) beyond DENSE (DENSE is j = 0)."""
    shift = iteration.bit_length() - 1 - OCTAVE_BITS
    octave = shift + OCTAVE_BITS - _FIRST_OCTAVE
    return octave * ROWS_PER_OCTAVE + (iteration >> shift) - ROWS_PER_OCTAVE


def next_kept(iteration: int) -> int:
    """The first iteration after ``iteration`` that has a row."""
    if iteration < DENSE:
        return iteration + 1
    step = 1 << (iteration.bit_length() - 1 - OCTAVE_BITS)
    return (iteration // step + 1) * step


Row = tuple[float, ...]
"""One row of ``COLUMNS``."""


class Trajectory:
    """Rows of ``COLUMNS`` at the iterations ``kept_iterations`` names, and the latest.

    The latest row is not stored: ``latest`` gives it on demand (the trainer's
    current state), so the step path pays nothing for it between the rows the
    schedule keeps.
    """

    def __init__(self, latest: Callable[[], Row]) -> None:
        self._latest = latest
        # Room for every row any run can keep, once: no run outgrows it, and growing the
        # arrays as they fill cost a tenth of a closed-form run(10,000).
        self._rows: FloatArray = np.empty((MAX_ROWS, len(COLUMNS)))
        self._iterations: NDArray[np.int64] = np.empty(MAX_ROWS, dtype=np.int64)
        """The kept rows' iterations, exact even beyond 2^53, where the float column is not."""
        self._count = 0
        self.next_due = 0
        """The next iteration whose row is kept."""
        self.append(0, latest())

    def append(self, iteration: int, row: Row) -> None:
        """Keep the row of ``iteration`` (a tuple of ``COLUMNS``), the next on the schedule."""
        self._keep(np.array([iteration]), np.asarray(row, dtype=np.float64)[np.newaxis, :])

    def extend(self, iterations: NDArray[np.int64], *columns: FloatArray) -> None:
        """Keep the rows of later kept iterations (from ``kept_iterations``), oldest first,
        given as one array per column of ``COLUMNS`` after the iteration."""
        if iterations.size:
            count, needed = self._count, self._count + iterations.size
            rows = self._rows[count:needed]
            rows[:, 0] = iterations
            for index, column in enumerate(columns, start=1):
                rows[:, index] = column
            self._iterations[count:needed] = iterations
            self._count = needed
            self.next_due = next_kept(int(iterations[-1]))

    def truncate(self, iteration: int) -> None:
        """Go back to ``iteration``: rows after it are dropped."""
        self._count = int(np.searchsorted(self._iterations[: self._count], iteration, side="right"))
        self.next_due = next_kept(iteration)

    def amend(self, iteration: int, row: Row) -> None:
        """The state at ``iteration``, the latest, changed without an update (the learner set
        the parameters by hand): its row, if the schedule keeps one, becomes ``row``."""
        self.truncate(iteration - 1)
        if self.next_due == iteration:
            self.append(iteration, row)

    def _keep(self, iterations: NDArray[np.int64], rows: FloatArray) -> None:
        count = self._count
        needed = count + rows.shape[0]
        self._rows[count:needed] = rows
        self._iterations[count:needed] = iterations
        self._count = needed
        self.next_due = next_kept(int(iterations[-1]))

    def rows(self) -> FloatArray:
        """A copy of the kept rows, ending with the latest row, oldest first."""
        kept = self._rows[: self._count]
        latest = self._latest()
        if self._count and self._iterations[self._count - 1] == latest[0]:
            rows: FloatArray = kept.copy()
        else:
            rows = np.vstack([kept, np.asarray(latest, dtype=np.float64)[np.newaxis, :]])
        return rows

    def __len__(self) -> int:
        latest = int(self._latest()[0])
        return self._count + (not self._count or self._iterations[self._count - 1] != latest)
