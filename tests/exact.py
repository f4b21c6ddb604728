"""An exact oracle for the linear rules: the same float64 data and rate, in 320-bit arithmetic.

Gradient descent and heavy-ball momentum on mean squared error are linear in
(parameters, velocity), so iteration k is θ* + M^k·(e₀, v₀) with M the 4×4
iteration matrix built here from the samples themselves (not from core's
moments, eigenvalues or eigenvectors), and M^k by repeated squaring in mpmath
at 320 bits: for k ≤ 2^63 its rounding stays below 1e-70. Shares no code
with ``core``: a closed form that drifts from the mathematics disagrees.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath

PRECISION_BITS = 320


class Exact:
    """Heavy-ball momentum (β = 0: gradient descent) on one dataset at one rate, exactly.

    The update is the engine's: v ← β·v + ∇loss(θ); θ ← θ − η·v, with
    loss = mean((w·c + b − f)²).
    """

    def __init__(
        self,
        celsius: Sequence[float],
        fahrenheit: Sequence[float],
        learning_rate: float,
        beta: float = 0.0,
    ) -> None:
        self.context = mpmath.mp.clone()
        self.context.prec = PRECISION_BITS
        mp = self.context
        count = len(celsius)
        c = [mp.mpf(float(x)) for x in celsius]
        f = [mp.mpf(float(y)) for y in fahrenheit]
        mean_c2 = mp.fsum(x * x for x in c) / count
        mean_c = mp.fsum(c) / count
        mean_cf = mp.fsum(x * y for x, y in zip(c, f, strict=True)) / count
        mean_f = mp.fsum(f) / count
        # ∇loss = H·θ − g, H = 2·[[mean c², mean c], [mean c, 1]], g = 2·[mean cf, mean f]
        hessian = mp.matrix([[2 * mean_c2, 2 * mean_c], [2 * mean_c, 2]])
        self.optimum = mp.lu_solve(hessian, mp.matrix([2 * mean_cf, 2 * mean_f]))
        """θ* = (w*, b*)."""
        rate, momentum = mp.mpf(float(learning_rate)), mp.mpf(float(beta))
        # (e, v) with e = θ − θ*: v' = β·v + H·e, e' = e − η·v' = (I − ηH)·e − ηβ·v
        matrix = mp.zeros(4, 4)
        for i in range(2):
            for j in range(2):
                matrix[i, j] = (1 if i == j else 0) - rate * hessian[i, j]
                matrix[2 + i, j] = hessian[i, j]
            matrix[i, 2 + i] = -rate * momentum
            matrix[2 + i, 2 + i] = momentum
        self.matrix = matrix
        self._squares = [matrix]

    def at(self, weight: float, bias: float, count: int) -> tuple[float, float]:
        """(weight, bias) exactly, ``count`` iterations from (weight, bias) with no velocity,
        rounded to the nearest float only at the end."""
        mp = self.context
        state = mp.matrix([mp.mpf(weight) - self.optimum[0], mp.mpf(bias) - self.optimum[1], 0, 0])
        bit = 0
        while count:
            while len(self._squares) <= bit:
                self._squares.append(self._squares[-1] * self._squares[-1])
            if count & 1:
                state = self._squares[bit] * state
            count >>= 1
            bit += 1
        return float(self.optimum[0] + state[0]), float(self.optimum[1] + state[1])


def relative_error(value: tuple[float, float], exact: tuple[float, float]) -> float:
    """The worst of |value − exact| / max(|exact|, 1) over the two parameters."""
    return max(abs(v - e) / max(abs(e), 1.0) for v, e in zip(value, exact, strict=True))
