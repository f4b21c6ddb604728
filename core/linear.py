"""Exact trajectories of the linear update rules on the quadratic bowl, at any iteration.

Gradient descent and heavy-ball momentum move the parameters' error
e = p − p* linearly. In the Hessian's eigenbasis (H = Q·diag(λ)·Qᵀ) the two
directions are independent: along direction i, with z = qᵢ·e the error and
u = η·qᵢ·v the velocity taken as a step (see ``core.optimizers.LinearOptimizer``),

    (z, u) ← M·(z, u),     M = [[1 − ηλ, −β], [ηλ, β]]      (gradient descent: β = 0)

so after k iterations (z, u) = M^k·(z₀, u₀). ``ClosedForm`` computes M^k by
repeated squaring: M, M², M⁴, … are made once, and the ones for the binary
digits of k are multiplied together, O(log k) multiplications whatever k is.
The squares are made in double-double arithmetic from the exact η·λ and
rounded to floats once each (``_squares``): in floats, 1 − ηλ rounded and
squared again and again would carry its rounding into M^k k-fold (2e-9 from
exact at k = 10⁶ with η = 1e-8); this way M^k is a product of at most 63
correctly rounded squares, whatever k.
Diagonalising M instead would fail where its two eigenvalues meet (critical
damping, ηλ = (1 − √β)², which lies inside momentum's stable range on the
tutorial's data): there M is not diagonalisable and its eigenvectors coincide.
Squaring does not care.

M^k depends on the rate and the bowl, not on where a run starts, so the powers
a run's history needs (every k below 1,025, then 64 per doubling) are made
once per ``ClosedForm`` and kept: a run then costs a few array operations on
its rows, whatever its start, and momentum's 2×2 matrices cost little more
than gradient descent's scalars.

Searching without walking. Divergence is declared at the first iteration whose
loss runs away, and a tolerance is met "for good" after its last violation.
Both are searches over possibly billions of iterations. ``first_where`` and
``last_where`` bisect windows of iterations, discarding a window at once when
an upper bound on |z| over all of it (``ClosedForm.reach``) proves nothing in
it can qualify, and evaluating single iterations exactly only where no bound
can decide. The bounds come from the 2×2 recurrence each z obeys:

* two real eigenvalues μ₁, μ₂ of M, well apart: z_j = P·μ₁^j + Q·μ₂^j exactly,
  so |z_j| ≤ |P|·|μ₁|^j + |Q|·|μ₂|^j (gradient descent: z_j = (1 − ηλ)^j·z₀);
* otherwise (complex or nearly equal eigenvalues, ρ their largest modulus):
  by Cayley–Hamilton z_j = p_j·z₁ − det(M)·p_{j−1}·z₀ with
  p_j = Σ μ₁^i·μ₂^(j−1−i), so |p_j| ≤ ρ^(j−1)·min(j, 2ρ/|μ₁ − μ₂|).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from core.history import OCTAVE_BITS
from core.optimizers import LinearOptimizer
from core.surface import LossSurface
from core.types import FloatArray, Matrix

if TYPE_CHECKING:
    from numpy.typing import NDArray

Mode = tuple[float, float]
"""(z, u) along one direction: the error, and the velocity as a step."""
Modes = tuple[Mode, Mode]
"""The state of a linear rule in the eigenbasis: one ``Mode`` per direction."""

SQUARES: Final = 63
"""M^(2^i) for i < 63 are kept: enough for any iteration count an int64 can hold."""

CONSECUTIVE: Final = 2**10 + 1
"""``advance_many`` makes counts below this as one block, by doubling: the history's
first 1,024 rows."""

ROWS_PER_BLOCK: Final = 2**OCTAVE_BITS
"""The block over m in ``advance_many``'s octaves."""

FIRST_SHIFT: Final = CONSECUTIVE.bit_length() - 1 - OCTAVE_BITS
"""q of the first octave beyond ``CONSECUTIVE``: counts (2^p + m)·2^q from 1,024 on."""

LEAF: Final = 4
"""Windows of at most this many iterations are decided by evaluating each exactly."""

ROUNDING_SLACK: Final = 1e-9
"""Bounds are widened by this share, so rounding never makes one slightly too small."""

SUBNORMAL_SLACK: Final = 16 * sys.float_info.min
"""Added to every bound: products of numbers below 2.2e-308 round to a fixed absolute step."""

DRIFT_PER_ITERATION: Final = 8 * 2.0**-52
"""A bound is widened by this share per iteration it reaches: the bounds come from the
eigenvalues of the float M, whose rounded 1 − ηλ makes its powers drift from the exact
ones (which ``_squares`` computes) in proportion to the exponent, and a bound must cover
what is computed, not only the float M's powers."""


@dataclass(frozen=True)
class Direction:
    """One eigenvector of the Hessian, and how the rule moves the error along it."""

    curvature: float
    """λ, the loss's curvature along this direction (training coordinates)."""
    vector: tuple[float, float]
    """The unit eigenvector, as (weight, bias) in training coordinates."""
    matrix: Matrix
    """M: (z, u) ← M·(z, u) every iteration along this direction."""
    factor: float
    """The spectral radius of M: the error along this direction is multiplied by
    about this much per iteration in the long run (the loss by its square).
    Exactly 1.0 when ``stalled``."""
    stalled: bool
    """η·λ is too small for 1 − η·λ to differ from 1 in floating point: no progress is
    made along this direction, however long the run (ρ = 1 in floating point)."""

    @property
    def converges(self) -> bool:
        """The error along this direction shrinks to nothing."""
        return self.factor < 1.0

    @property
    def diverges(self) -> bool:
        """The error along this direction grows without bound."""
        return self.factor > 1.0


@dataclass(frozen=True)
class Origin:
    """Where a stretch of linear updates starts: its parameters and its modes.

    Parameters later on are this start plus the displacement, p = p₀ + Σ qᵢ·(zᵢ − zᵢ₀),
    as stepping accumulates them, rather than p* + Σ qᵢ·zᵢ: when the optimum
    is astronomically far (w* near 1e250 for celsius spanning 1e-150), p* + z
    would round the actual parameters away, while a direction that makes no
    progress leaves them exactly where they were.
    """

    weight: float
    """The weight at the start (training coordinates)."""
    bias: float
    """The bias at the start."""
    modes: Modes
    """(z, u) along each direction at the start."""


@dataclass(frozen=True)
class _Envelope:
    """What the bounds on |z_j| need to know about one direction's M."""

    split: bool
    """Two real eigenvalues well apart: the exact two-term form applies."""
    mu_large: float
    """The eigenvalue of larger modulus (real when ``split``)."""
    mu_small: float
    """The other one (real when ``split``)."""
    rho: float
    """The larger modulus."""
    gap: float
    """2ρ/|μ₁ − μ₂|, the most |p_j|/ρ^(j−1) can be (inf when they coincide)."""


class ClosedForm:
    """A linear rule at one learning rate on one bowl: any iteration in O(log k)."""

    def __init__(self, surface: LossSurface, learning_rate: float, rule: LinearOptimizer) -> None:
        basis = surface.eigenvectors
        self.optimum: Final = (surface.optimum_weight, surface.optimum_bias)
        """(w*, b*) of the bowl, where every direction's error is measured from."""
        self.minimum_loss: Final = surface.minimum_loss
        """The loss at the optimum."""
        self.learning_rate: Final = learning_rate
        """η."""
        directions = []
        for i, curvature in enumerate(surface.eigenvalues):
            x = learning_rate * curvature
            matrix = rule.iteration_matrix(x)
            stalled = 1.0 - x == 1.0
            radius = _roots(matrix).rho
            directions.append(
                Direction(
                    curvature=curvature,
                    vector=(float(basis[0, i]), float(basis[1, i])),
                    matrix=matrix,
                    factor=1.0 if stalled else radius,
                    stalled=stalled,
                )
            )
        self.directions: Final = (directions[0], directions[1])
        """The two directions, flattest (λ_min) first."""
        self._squares = tuple(
            _squares(
                d.matrix, None if d.stalled else _exact_matrix(d.matrix, learning_rate, d.curvature)
            )
            for d in self.directions
        )
        self._envelopes = tuple(_roots(d.matrix) for d in self.directions)
        self.memoryless: Final = all(d.matrix[1] == 0.0 == d.matrix[3] for d in self.directions)
        """β = 0 (gradient descent): u never feeds back, so z ← a·z alone is the product."""
        # The squares again as one array for advance_many: [bit, row, column, direction, 1].
        self._table = (
            np.array(self._squares).reshape(2, SQUARES, 2, 2).transpose(1, 2, 3, 0)[..., np.newaxis]
        )
        # advance_many's powers, made when first needed (about 100 KB at most), row 0 of
        # each: its first column, and its second unless memoryless (then b = 0)
        self._columns = 1 if self.memoryless else 2
        self._first: FloatArray | None = None
        self._octaves: FloatArray | None = None

    @property
    def spectral_radius(self) -> float:
        """ρ, the largest ``Direction.factor``: below 1 every error shrinks to nothing."""
        return max(d.factor for d in self.directions)

    # -- between parameters and modes -----------------------------------------

    def origin(self, weight: float, bias: float, velocity: tuple[float, float]) -> Origin:
        """Parameters and a velocity (gradient units) as a start: (z, u) along each direction."""
        e_w, e_b = weight - self.optimum[0], bias - self.optimum[1]
        rate = self.learning_rate
        first, second = (
            (
                q[0] * e_w + q[1] * e_b,  # z = q·e
                rate * (q[0] * velocity[0] + q[1] * velocity[1]),  # u = η·q·v
            )
            for q in (d.vector for d in self.directions)
        )
        return Origin(weight, bias, (first, second))

    def parameters(self, origin: Origin, modes: Modes) -> tuple[float, float]:
        """(weight, bias) = p₀ + Σ qᵢ·(zᵢ − zᵢ₀)."""
        (z1, _), (z2, _) = modes
        (z10, _), (z20, _) = origin.modes
        (q1w, q1b), (q2w, q2b) = (d.vector for d in self.directions)
        d1, d2 = z1 - z10, z2 - z20
        return origin.weight + (q1w * d1 + q2w * d2), origin.bias + (q1b * d1 + q2b * d2)

    def velocity(self, modes: Modes) -> tuple[float, float]:
        """The velocity in gradient units, v = Σ qᵢ·uᵢ / η."""
        (_, u1), (_, u2) = modes
        (q1w, q1b), (q2w, q2b) = (d.vector for d in self.directions)
        rate = self.learning_rate
        return (q1w * u1 + q2w * u2) / rate, (q1b * u1 + q2b * u2) / rate

    # -- any iteration ----------------------------------------------------------

    def power(self, direction: int, count: int) -> Matrix:
        """M^count along one direction (0: the flattest), O(log count): the squares for
        count's binary digits multiplied in, lowest first (P ← M^(2^i)·P).

        Without memory only the top-left entry, a^count, is made (the others are
        left 0: u never feeds back). ``advance_many``'s tables multiply the same
        squares in the same order, so both give these numbers bit for bit.
        """
        squares = self._squares[direction]
        power: Matrix | None = None
        bit = 0
        while count:
            if count & 1:
                square = squares[bit]
                if self.memoryless:
                    power = (square[0] * (power[0] if power else 1.0), 0.0, 0.0, 0.0)
                else:
                    power = square if power is None else _product(square, power)
            count >>= 1
            bit += 1
        return power if power is not None else (1.0, 0.0, 0.0, 1.0)

    def advance(self, origin: Origin, count: int) -> Modes:
        """The modes ``count`` iterations after ``origin``: M^count·(z, u) along each direction
        (without memory z alone, u left 0)."""
        if count == 0:
            return origin.modes
        advanced = []
        for direction, (z, u) in enumerate(origin.modes):
            a, b, c, d = self.power(direction, count)
            advanced.append((a * z, 0.0) if self.memoryless else (a * z + b * u, c * z + d * u))
        return advanced[0], advanced[1]

    def advance_many(
        self, origin: Origin, counts: NDArray[np.int64]
    ) -> tuple[FloatArray, FloatArray]:
        """Weights and biases ``counts[j]`` iterations after ``origin``, for increasing counts.

        The powers M^count do not depend on the origin, so the ones every run
        needs are made once per form and kept (``_first_powers``,
        ``_octave_powers``); only counts off the history's schedule (a segment
        that starts at an iteration the schedule skips) are made here, bit by
        bit. Each power is bit for bit ``power``'s, and each result
        ``advance``'s. Callers silence overflow with ``numpy.errstate`` and
        judge non-finite values.
        """
        first = self._first_powers()
        rows = np.empty((first.shape[0], 2, counts.size))  # [column, direction, j]
        small = int(np.searchsorted(counts, CONSECUTIVE))
        rows[..., :small] = first[..., counts[:small]]
        if small < counts.size:
            large = counts[small:]
            shifts = _octave_shifts(large)
            m = (large >> shifts) - ROWS_PER_BLOCK
            aligned = (m + ROWS_PER_BLOCK) << shifts == large  # no bits below 2^q
            table = self._octave_powers(int(shifts[-1]))
            table = table.reshape(*table.shape[:2], -1)  # [column, direction, (q, m)]
            where = (shifts - FIRST_SHIFT) * ROWS_PER_BLOCK + m
            if aligned.all():  # the history's own rows, in a segment that starts on them
                rows[..., small:] = table[..., where]
            else:
                rest = rows[..., small:]
                rest[..., aligned] = table[..., where[aligned]]
                rest[..., ~aligned] = self._powers_bit_by_bit(large[~aligned])[: rows.shape[0]]
        (z10, u10), (z20, u20) = origin.modes
        start_z, start_u = np.array([[z10], [z20]]), np.array([[u10], [u20]])
        z = rows[0] * start_z if self.memoryless else rows[0] * start_z + rows[1] * start_u
        (q1w, q1b), (q2w, q2b) = (d.vector for d in self.directions)
        d1, d2 = z[0] - z10, z[1] - z20
        weights: FloatArray = origin.weight + (q1w * d1 + q2w * d2)
        biases: FloatArray = origin.bias + (q1b * d1 + q2b * d2)
        return weights, biases

    def _times(self, square: FloatArray, powers: FloatArray, out: FloatArray) -> None:
        """out = M^(2^i)·P for each direction and column, rounded as ``_product`` rounds
        it (each product, then their sum). Without memory only the top-left entry, a·a'.
        Arrays are [row, column, direction, …]."""
        if self.memoryless:
            np.multiply(square[0, 0], powers[0, 0], out=out[0, 0])
            return
        products = square[:, :, np.newaxis] * powers[np.newaxis]  # [row, k, column, …]
        np.add(products[:, 0], products[:, 1], out=out)

    def _doubled(self, squares: FloatArray, size: int) -> FloatArray:
        """P_k = M^(k·s) for k < ``size``, by doubling: P_(2^i + k) = S_i·P_k for
        0 < k < 2^i, and P_(2^i) = S_i, with ``squares[i]`` = S_i = M^(2^i·s): the
        digits of k, then digit i, as ``power`` multiplies them. [row, column, …, k]"""
        powers = np.zeros((*squares.shape[1:-1], size))
        powers[0, 0, ..., 0] = powers[1, 1, ..., 0] = 1.0
        width = 1
        for square in squares[: (size - 1).bit_length()]:
            end = min(2 * width, size)
            powers[..., width] = square[..., 0]
            self._times(square, powers[..., 1 : end - width], powers[..., width + 1 : end])
            width *= 2
        return powers

    def _first_powers(self) -> FloatArray:
        """Row 0 of M^k for k < ``CONSECUTIVE`` (the history's first rows), made once:
        [column, direction, k] (memoryless: the first column alone)."""
        if self._first is None:
            self._first = self._doubled(self._table, CONSECUTIVE)[0, : self._columns].copy()
        return self._first

    def _octave_powers(self, last_shift: int) -> FloatArray:
        """Row 0 of M^((2^p + m)·2^q) for m < 2^p, p = ``OCTAVE_BITS``, and every octave q
        from ``FIRST_SHIFT`` to at least ``last_shift``, made once and widened when a
        longer run needs more: [column, direction, q − FIRST_SHIFT, m]."""
        if self._octaves is None or self._octaves.shape[2] <= last_shift - FIRST_SHIFT:
            shifts = np.arange(FIRST_SHIFT, last_shift + 1)
            # S_i = M^(2^(q+i)) of each octave: [i, row, column, direction, q, 1]
            squares = self._table[shifts[:, np.newaxis] + np.arange(OCTAVE_BITS + 1)]
            squares = squares.transpose(1, 2, 3, 4, 0, 5)
            block = self._doubled(squares[:OCTAVE_BITS], ROWS_PER_BLOCK)  # M^(m·2^q)
            leading = np.empty_like(block)  # times M^(2^(p+q)), the leading digit
            leading[..., 0] = squares[OCTAVE_BITS][..., 0]
            self._times(squares[OCTAVE_BITS], block[..., 1:], leading[..., 1:])
            self._octaves = leading[0, : self._columns].copy()
        return self._octaves

    def _powers_bit_by_bit(self, counts: NDArray[np.int64]) -> FloatArray:
        """Row 0 of M^count for any counts: [column, direction, j]."""
        powers = np.zeros((2, 2, 2, counts.size))
        powers[0, 0], powers[1, 1] = 1.0, 1.0
        started = np.zeros(counts.size, dtype=bool)
        product = np.zeros_like(powers)
        for bit in range(int(counts.max()).bit_length()):
            digit = (counts >> bit) & 1 == 1
            square = self._table[bit]
            self._times(square, powers, product)
            np.copyto(product, square, where=digit & ~started)  # a first digit: S itself
            np.copyto(powers, product, where=digit)
            started |= digit
        rows: FloatArray = powers[0]
        return rows

    # -- bounds -------------------------------------------------------------------

    def reach(self, modes: Modes, first: int, last: int | None) -> tuple[float, float]:
        """Upper bounds on |z| along each direction over iterations first … last from
        ``modes`` (``last`` None: for ever after)."""
        bounds = (
            _reach(envelope, squares[0], mode, first, last)
            for envelope, squares, mode in zip(self._envelopes, self._squares, modes, strict=True)
        )
        first_bound, second_bound = bounds
        return first_bound, second_bound


_POWERS_OF_TWO: Final = np.int64(1) << np.arange(63, dtype=np.int64)


def _octave_shifts(counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """q = bit_length(count) − 1 − OCTAVE_BITS for each count (exactly, in ints)."""
    bit_lengths = np.searchsorted(_POWERS_OF_TWO, counts, side="right")  # powers ≤ count
    shifts: NDArray[np.int64] = bit_lengths - (1 + OCTAVE_BITS)
    return shifts


def _product(left: Matrix, right: Matrix) -> Matrix:
    """left·right of two 2×2 matrices (row-major tuples)."""
    a, b, c, d = left
    e, f, g, h = right
    return (a * e + b * g, a * f + b * h, c * e + d * g, c * f + d * h)


def _squares(matrix: Matrix, exact: _Double | None = None) -> tuple[Matrix, ...]:
    """(M, M², M⁴, …, M^(2^62)), in plain floats (an overflow gives inf, never a warning).

    Given ``exact``, M's entries as double-doubles (``_exact_matrix``), the squares
    are made in double-double arithmetic (about 106 bits) and each is rounded to
    the nearest float only when kept: rounding does not compound from one
    squaring to the next. In plain floats, 1 − ηλ rounded once and squared 62
    times is (1 − ηλ)^(2^62) with a relative error of up to 2^62 ulps; the
    relative error of a kept square is one rounding, and of a product of k
    squares (``power``) about k roundings, whatever the exponent. Double-doubles
    are used while every entry's magnitude lies within 2^±500 (beyond, splitting
    a number for the exact product would overflow, and below, the squares that
    follow underflow anyway); plain floats carry on from there.
    """
    squares = [matrix]
    if exact is not None and matrix[1] == 0.0 == matrix[3]:
        # Without memory only a = 1 − ηλ matters (``power`` multiplies nothing else): its
        # squares alone in double-double, the other entries in floats as before.
        high = exact[0]
        while len(squares) < SQUARES and _DOUBLE_FLOOR < abs(high[0]) < _DOUBLE_CEILING:
            high = _multiply(high, high)
            _, b, c, d = squares[-1]
            a = high[0] + high[1]
            squares.append((a, a * b + b * d, c * squares[-1][0] + d * c, c * b + d * d))
        exact = None
    while exact is not None and len(squares) < SQUARES:
        exact = _double_square(exact)
        rounded = tuple(hi + lo for hi, lo in exact)
        squares.append((rounded[0], rounded[1], rounded[2], rounded[3]))
        if not all(_DOUBLE_FLOOR < abs(hi) < _DOUBLE_CEILING or hi == 0.0 for hi, _ in exact):
            exact = None
    while len(squares) < SQUARES:
        a, b, c, d = squares[-1]
        squares.append((a * a + b * c, a * b + b * d, c * a + d * c, c * b + d * d))
    return tuple(squares)


# -- double-double arithmetic: a number as hi + lo, |lo| ≤ half an ulp of hi ---------

_Double = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""A 2×2 matrix of double-doubles, row-major."""

_DOUBLE_CEILING: Final = 2.0**500
_DOUBLE_FLOOR: Final = 2.0**-500
_SPLITTER: Final = 2.0**27 + 1.0


def _exact_matrix(matrix: Matrix, learning_rate: float, curvature: float) -> _Double | None:
    """M = [[1 − x, −β], [x, β]] with x = η·λ exact, as double-doubles (None if ``matrix``
    is not of that form, or outside the range where double-doubles are safe).

    The float M rounds 1 − x (and x): the error that, raised to the n-th power,
    grows n-fold. Here x = η·λ is kept exactly (η and λ being the floats the
    trainer holds) and 1 − x as the exact sum it is.
    """
    a, b, c, d = matrix
    x = _two_product(learning_rate, curvature)
    if c != x[0] or a != 1.0 - c or not all(abs(v) < _DOUBLE_CEILING for v in matrix):
        return None
    high, low = _two_sum(1.0, -x[0])
    return (_add((high, low), (-x[1], 0.0)), (b, 0.0), x, (d, 0.0))


def _two_sum(a: float, b: float) -> tuple[float, float]:
    """(s, e) with s = fl(a + b) and s + e = a + b exactly (Knuth)."""
    s = a + b
    v = s - a
    return s, (a - (s - v)) + (b - v)


def _split(a: float) -> tuple[float, float]:
    """a = hi + lo with each half of 26 bits or fewer (Veltkamp)."""
    t = _SPLITTER * a
    hi = t - (t - a)
    return hi, a - hi


def _two_product(a: float, b: float) -> tuple[float, float]:
    """(p, e) with p = fl(a·b) and p + e = a·b exactly (Dekker)."""
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def _add(x: tuple[float, float], y: tuple[float, float]) -> tuple[float, float]:
    """x + y of double-doubles, accurate even when they nearly cancel."""
    s, e = _two_sum(x[0], y[0])
    t, f = _two_sum(x[1], y[1])
    e += t
    s, e = s + e, e - ((s + e) - s)
    e += f
    return s + e, e - ((s + e) - s)


def _multiply(x: tuple[float, float], y: tuple[float, float]) -> tuple[float, float]:
    """x·y of double-doubles."""
    p, e = _two_product(x[0], y[0])
    e += x[0] * y[1] + x[1] * y[0]
    return p + e, e - ((p + e) - p)


def _double_square(m: _Double) -> _Double:
    """M² in double-doubles: [[a² + bc, (a + d)·b], [(a + d)·c, d² + bc]]."""
    a, b, c, d = m
    bc = _multiply(b, c)
    trace = _add(a, d)
    return (
        _add(_multiply(a, a), bc),
        _multiply(trace, b),
        _multiply(trace, c),
        _add(_multiply(d, d), bc),
    )


def _roots(matrix: Matrix) -> _Envelope:
    """M's eigenvalues: the roots of μ² − trace·μ + det = 0."""
    a, b, c, d = matrix
    half_trace = 0.5 * (a + d)
    det = a * d - b * c
    if abs(half_trace) > 1e150:  # the square below would overflow; det is negligible
        large, small = 2.0 * half_trace, det / (2.0 * half_trace)
        return _Envelope(True, large, small, abs(large), 2.0)
    quarter_discriminant = half_trace * half_trace - det
    if quarter_discriminant >= 0.0:
        root = math.sqrt(quarter_discriminant)
        large = half_trace + math.copysign(root, half_trace)  # no cancellation
        small = det / large if large != 0.0 else 0.0
        rho = abs(large)
        apart = abs(large - small)
        split = apart > 1e-3 * rho
        return _Envelope(split, large, small, rho, 2.0 * rho / apart if apart else math.inf)
    rho = math.sqrt(det)  # complex pair: |μ|² = det
    apart = 2.0 * math.sqrt(-quarter_discriminant)
    return _Envelope(False, rho, rho, rho, 2.0 * rho / apart)


def _reach(envelope: _Envelope, matrix: Matrix, mode: Mode, first: int, last: int | None) -> float:
    """An upper bound on |z_j| for first ≤ j ≤ last (see the module docstring)."""
    z0, u0 = mode
    if math.isnan(z0) or math.isnan(u0):
        return math.inf
    bound = abs(z0) if first == 0 else 0.0
    first = max(first, 1)
    if last is not None and last < first:
        return bound
    a, b, _, _ = matrix
    z1 = a * z0 + b * u0
    if envelope.split:
        mu1, mu2 = envelope.mu_large, envelope.mu_small
        p = (z1 - mu2 * z0) / (mu1 - mu2)
        q = (mu1 * z0 - z1) / (mu1 - mu2)
        reach = abs(p) * _most(abs(mu1), first, last) + abs(q) * _most(abs(mu2), first, last)
    else:
        rho = envelope.rho
        reach = (abs(z1) + rho * abs(z0)) * _most_polynomial(rho, envelope.gap, first, last)
    # Below the smallest normal number rounding is absolute, not relative: allow for it,
    # grown as the largest eigenvalue grows it.
    reach += SUBNORMAL_SLACK * _most(max(envelope.rho, 1.0), first, last)
    if math.isnan(reach):  # inf − inf on the way: nothing is ruled out
        return math.inf
    drift = DRIFT_PER_ITERATION * (last if last is not None else 2**63)
    return max(bound, reach * (1.0 + ROUNDING_SLACK + drift))


def _most(modulus: float, first: int, last: int | None) -> float:
    """max of modulus^j over first ≤ j ≤ last."""
    if modulus <= 1.0:
        return _power(modulus, first)
    return math.inf if last is None else _power(modulus, last)


def _most_polynomial(rho: float, gap: float, first: int, last: int | None) -> float:
    """max of ρ^(j−1)·min(j, gap) over first ≤ j ≤ last (first ≥ 1)."""
    if rho == 0.0:
        return min(1.0, gap) if first == 1 else 0.0
    if rho >= 1.0:
        if last is None:
            return gap if rho == 1.0 else math.inf
        return _power(rho, last - 1) * min(last, gap)
    # ρ^(j−1)·j peaks at j = 1/ln(1/ρ); ρ^(j−1)·gap only falls.
    peak = 1.0 / -math.log(rho)
    j = min(max(peak, first), last if last is not None else math.inf)
    return min(_power(rho, j - 1) * j, _power(rho, first - 1) * gap)


def _power(base: float, exponent: float) -> float:
    """base^exponent for base ≥ 0, inf or 0 instead of an OverflowError."""
    if exponent == 0:
        return 1.0
    if base == 0.0:
        return 0.0
    log = exponent * math.log(base)
    if log > 709.0:
        return math.inf
    return math.exp(log) if log > -745.0 else 0.0


# -- searching without walking ---------------------------------------------------


def first_where(
    low: int, high: int, may_hold: Callable[[int, int], bool], holds: Callable[[int], bool]
) -> int | None:
    """The first k in (low, high] where ``holds(k)``, or None.

    ``may_hold(a, b)`` must be True whenever some k in (a, b] holds (it may also
    be True when none does): windows it rules out are skipped whole.
    """
    pending = [(low, high)]
    while pending:
        a, b = pending.pop()
        if b <= a or not may_hold(a, b):
            continue
        if b - a <= LEAF:
            for k in range(a + 1, b + 1):
                if holds(k):
                    return k
            continue
        middle = (a + b) // 2
        pending.append((middle, b))
        pending.append((a, middle))  # the earlier half first
    return None


def last_where(
    low: int, high: int, may_hold: Callable[[int, int], bool], holds: Callable[[int], bool]
) -> int | None:
    """The last k in (low, high] where ``holds(k)``, or None (``may_hold`` as above)."""
    pending = [(low, high)]
    while pending:
        a, b = pending.pop()
        if b <= a or not may_hold(a, b):
            continue
        if b - a <= LEAF:
            for k in range(b, a, -1):
                if holds(k):
                    return k
            continue
        middle = (a + b) // 2
        pending.append((a, middle))
        pending.append((middle, b))  # the later half first
    return None
