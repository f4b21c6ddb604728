"""core.linear on its own: many counts at once equal one at a time, the bounds bound, and the
searches find what walking finds."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import Dataset, LossSurface
from core.history import kept_iterations
from core.linear import ClosedForm, first_where, last_where
from core.optimizers import OPTIMIZERS, GradientDescent, LinearOptimizer, Momentum
from tests.registry import LINEAR_OPTIMIZERS

TUTORIAL = LossSurface.of(Dataset.tutorial())


@pytest.mark.parametrize("name", LINEAR_OPTIMIZERS)
@pytest.mark.parametrize("start", [0, 1, 5_000, 123_456_789])
def test_many_counts_at_once_are_bit_for_bit_one_count_at_a_time(name: str, start: int) -> None:
    """The history's rows and the trainer's state come from these two paths: equal, so a
    row never depends on whether its iteration ended a run."""
    rule = OPTIMIZERS[name]()
    assert isinstance(rule, LinearOptimizer)
    form = ClosedForm(TUTORIAL, 3e-4, rule)
    origin = form.origin(0.84, 0.75, (3.0, -2.0))
    counts = kept_iterations(start, start + 10**13) - start
    weights, biases = form.advance_many(origin, counts)
    for count, weight, bias in zip(counts.tolist(), weights, biases, strict=True):
        assert form.parameters(origin, form.advance(origin, count)) == (weight, bias)


def walk(matrix: tuple[float, float, float, float], z: float, u: float, steps: int) -> list[float]:
    """|z| after 1 … steps iterations of the 2×2 map, one multiplication at a time."""
    a, b, c, d = matrix
    out = []
    for _ in range(steps):
        z, u = a * z + b * u, c * z + d * u
        out.append(abs(z))
    return out


@settings(max_examples=300, deadline=None)
@example(3.71875, 0.0, 5e-324, 0.0, 0, 56)  # subnormal: rounding is absolute, not relative
@example(1.75, 0.0, 5e-324, 0.0, 3, 0)
@given(
    rate_times_curvature=st.one_of(
        st.floats(min_value=1e-6, max_value=4.2),
        st.sampled_from([(1 - math.sqrt(0.9)) ** 2, (1 + math.sqrt(0.9)) ** 2]),
    ),
    beta=st.sampled_from([0.0, 0.5, 0.9, 0.99]),
    z=st.floats(min_value=-1e3, max_value=1e3),
    u=st.floats(min_value=-1e3, max_value=1e3),
    first=st.integers(0, 50),
    length=st.integers(0, 300),
)
def test_the_envelope_bounds_every_iteration_of_its_window(
    rate_times_curvature: float, beta: float, z: float, u: float, first: int, length: int
) -> None:
    """Real, complex, double (critical damping) and unstable eigenvalues alike."""

    class Rule(Momentum):
        pass

    Rule.beta = beta
    surface = LossSurface.of(Dataset([-1.0, 1.0], [0.0, 0.0]))  # H = 2·I: λ = 2 both ways
    form = ClosedForm(surface, rate_times_curvature / 2.0, Rule())
    matrix = form.directions[0].matrix
    path = [abs(z), *walk(matrix, z, u, first + length)]
    bound = form.reach(((z, u), (z, u)), first, first + length)[0]
    assert max(path[first:]) <= bound * (1 + 1e-12) + 1e-300
    if form.directions[0].factor < 1.0:  # for ever after, too
        assert max(path[first:]) <= form.reach(((z, u), (z, u)), first, None)[0] * (1 + 1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_the_searches_find_what_walking_finds(seed: int) -> None:
    """Random sets of iterations, with bounds that only say "maybe" where something is."""
    rng = random.Random(seed)
    size = rng.choice([10, 1_000, 100_000])
    marked = sorted(rng.sample(range(1, size + 1), rng.randint(0, 5)))

    def may_hold(a: int, b: int) -> bool:
        return any(a < k <= b for k in marked) or rng.random() < 0.3  # loose is allowed

    def holds(k: int) -> bool:
        return k in marked

    assert first_where(0, size, may_hold, holds) == (marked[0] if marked else None)
    assert last_where(0, size, may_hold, holds) == (marked[-1] if marked else None)
    assert first_where(size // 2, size, may_hold, holds) == next(
        (k for k in marked if k > size // 2), None
    )


def test_gradient_descents_powers_stay_exact_where_the_factor_is_exactly_one() -> None:
    """A stalled direction (1 − η·λ == 1.0) never moves, whatever the count."""
    surface = LossSurface.of(Dataset([0.0, 1e-150], [0.0, 1e100]))
    form = ClosedForm(surface, 1e-4, GradientDescent())
    assert form.directions[0].stalled
    origin = form.origin(0.84, 0.75, (0.0, 0.0))
    weights, _ = form.advance_many(origin, np.array([1, 10**6, 10**15], dtype=np.int64))
    assert np.all(weights == 0.84)
