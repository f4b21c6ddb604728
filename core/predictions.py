"""Predictions: what the closed form says about a run's future, without stepping it.

With a closed form (gradient descent and momentum with the chain rule,
``core.linear``) the future is known: ``spectral_radius`` (ρ of the iteration
matrix; the error grows by ρ per iteration when ρ > 1), stability (ρ < 1),
``divergence_at`` and ``iterations_to`` (when the parameters reach, for good,
a tolerance of the optimum), how many of those digits the rate's rounding
supports, and the ``resolution`` below which float64 cannot get. A rule
without a closed form (Adam, the published gradient) can only be watched:
``oscillating`` says when it goes round for ever.

Each function reads one segment of the timeline (a ``core.timeline.Span``)
and the iteration it is at; a ``Forecast`` asks them about a run's
``Position`` and remembers the answers until the position moves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

from core.history import LAST_ITERATION
from core.linear import ClosedForm, first_where, last_where
from core.optimizers import LinearOptimizer
from core.position import Position, canonical, may_run_away, ran_away_at
from core.surface import LossSurface
from core.timeline import Span

SETTLED: Final = 1e-9
"""A run whose next gradient step moves no parameter by more than this share of its size
(at least 1) has come to rest: it is not ``Trainer.oscillating``."""

HORIZON: Final = 2**62
"""Predictions look at most this many iterations ahead."""


class NoClosedFormError(ValueError):
    """A prediction was asked of a rule without a closed form (Adam, the published gradient):
    its future is unknown without running it."""


def max_stable_learning_rate(span: Span) -> float:
    """The largest learning rate that converges, for this optimizer, scaling and rule.

    2/λ_max of the training surface for gradient descent; 2(1 + β)/λ_max
    with momentum; infinite for Adam, whose steps the curvature does not
    scale. Under the published gradient, λ_max is that of its
    linearisation at the optimum: the limit near the end of training.
    """
    return span.rule.max_stable_learning_rate(span.gradient.curvature(span.coordinates.surface))


def oscillating(span: Span, iteration: int, diverged: bool, weight: float, bias: float) -> bool:
    """The run neither converges nor diverges: it goes round for ever.

    Only a rule without a closed form can (the published gradient, whose
    update is not linear): above its stable limit, which is local (that
    of its linearisation at the optimum, ``max_stable_learning_rate``),
    the optimum repels the run, yet the nonlinearity can keep it bounded,
    so the loss neither settles nor runs away. True when, with such a rule
    at a rate above its limit, the run has started, has not diverged, and
    its next update would still move a parameter by more than ``SETTLED``
    of its size: it has not come to rest anywhere. A linear rule above its
    limit diverges instead (``stable`` is False from the start).
    ``weight`` and ``bias`` are the training parameters at ``iteration``.
    """
    if span.linear or diverged or iteration == 0:
        return False
    rate = span.segment.learning_rate
    if not rate > max_stable_learning_rate(span):
        return False
    grad_weight, grad_bias = span.gradient.on_surface(span.coordinates.surface, weight, bias)
    return any(
        abs(rate * gradient) > SETTLED * max(abs(value), 1.0)
        for gradient, value in ((grad_weight, weight), (grad_bias, bias))
    )


def prediction_digits(span: Span, form: ClosedForm) -> int | None:
    """How many significant digits of ``divergence_at`` and ``iterations_to`` the
    rate's own rounding supports; None if all of them.

    Both counts are about ln(distance ratio) / ln ρ. Near the stable limit ρ is
    within a hair of 1, and the half-ulp by which the float rate may differ from
    the rate meant moves ln ρ, and so the count, by a share u = |d ln ρ/d ln η|
    × 2⁻⁵³ / |ln ρ|: at the limit × (1 + 1e-12), u ≈ 2e-4, and the count
    3,779,995,142,522 is 3,780,263,940,782 in exact arithmetic. The digits are
    those above u (at least 1).
    """
    rate, rule = span.segment.learning_rate, span.rule
    assert isinstance(rule, LinearOptimizer)
    step = 1e-6
    nearby = ClosedForm(span.coordinates.surface, rate * (1.0 + step), rule)
    digits: int | None = None
    # ρ = 0 (standardised gradient descent at lr 0.5: one step lands on the optimum)
    # predicts exactly; so does ρ = 1, which never arrives nor diverges.
    rho, nearby_rho = form.spectral_radius, nearby.spectral_radius
    log_rho = math.log(rho) if rho > 0.0 and nearby_rho > 0.0 else 0.0
    if log_rho != 0.0:
        slope = abs(math.log(nearby_rho) - log_rho) / step
        share = slope * 2.0**-53 / abs(log_rho)
        if share > 1e-15:
            digits = max(1, math.floor(-math.log10(share)))
    return digits


def divergence_at(
    span: Span,
    form: ClosedForm,
    now: int,
    surface: LossSurface,
    runs_away: Callable[[float], bool],
) -> int | None:
    """The iteration at which divergence will be declared if training goes on from ``now``
    with ``span``'s settings; None if never (within ``HORIZON``).

    Found from the closed form without stepping, by the same search ``Trainer.run``
    makes, so ``run`` declares divergence at exactly this iteration.
    """
    return first_where(
        now,
        min(now + HORIZON, LAST_ITERATION),
        may_run_away(span, form, runs_away),
        ran_away_at(span, form, surface, runs_away),
    )


def resolution(span: Span, surface: LossSurface) -> tuple[float, float] | None:
    """The smallest distances to the optimum, (weight, bias) in the original units, that
    float64 resolves at ``span``'s settings; None without a closed form.

    An update moves a parameter by η × its gradient; once that falls below half
    an ulp of the parameter, stepping stalls, however long it goes on. Along
    the flattest direction (the smallest η·λ, grown by 1/(1 − β) with momentum,
    whose velocity builds up to that many gradients) that happens at a distance
    of about ulp(p*)/(2·η·λ): 1.8e-11 for the tutorial's bias at lr 1e-4, where
    stepping stalls at 8.9e-12. ``iterations_to`` returns None for a tolerance
    not above this (issue 23: it promised |b − 32| < 1e-12 at 155,397, which
    float64 cannot deliver).
    """
    form = span.closed_form
    if form is None:
        return None
    assert isinstance(span.rule, LinearOptimizer)
    speed = min(d.curvature for d in form.directions) * span.segment.learning_rate
    speed = min(speed / (1.0 - span.rule.beta), 1.0)
    scaling = span.coordinates.scaling
    optimum = span.coordinates.surface
    half_ulps = (
        0.5 * math.ulp(optimum.optimum_weight),
        0.5 * math.ulp(optimum.optimum_bias),
    )
    weight_floor = max(0.5 * math.ulp(surface.optimum_weight), half_ulps[0] / scaling.scale)
    bias_floor = max(
        0.5 * math.ulp(surface.optimum_bias),
        half_ulps[1] + abs(scaling.shift / scaling.scale) * half_ulps[0],
    )
    if speed <= 0.0:
        return math.inf, math.inf
    return weight_floor / speed, bias_floor / speed


def iterations_to(
    span: Span, form: ClosedForm, now: int, surface: LossSurface, tolerances: tuple[float, float]
) -> int | None:
    """The iteration from which |w − w*| < tolerances[0] and |b − b*| < tolerances[1]
    hold for good, if training goes on from ``now`` with ``span``'s settings; None if
    never within ``HORIZON``.

    An absolute iteration number, as ``Trainer.iteration`` counts (never less than
    ``now``). "For good" means after the last violation, not the first touch:
    momentum can enter the tolerance and leave it again. Found by bisection with
    bounds (``core.linear.last_where``), without stepping. None if it never
    happens (an unstable rate, or a stalled direction that keeps the error
    beyond the tolerance). ``Forecast.iterations_to`` also answers None once
    diverged and when a tolerance is not above ``resolution``: float64 cannot
    resolve it at this rate (stepping stalls short of it, and the closed form's
    answer would promise what no run shows); and it raises ``NoClosedFormError``
    for Adam and the published gradient, whose future is unknown without
    running it (check ``Trainer.has_closed_form`` first).
    """
    optimum = (surface.optimum_weight, surface.optimum_bias)
    # How a unit error along each direction shows in the original (weight, bias).
    scaling = span.coordinates.scaling
    mixes = [
        (q[0] / scaling.scale, q[1] - q[0] * scaling.shift / scaling.scale)
        for q in (d.vector for d in form.directions)
    ]

    def violated(k: int) -> bool:
        weight, bias = canonical(span, form, k)
        return not (
            abs(weight - optimum[0]) < tolerances[0] and abs(bias - optimum[1]) < tolerances[1]
        )

    def may_violate(a: int, last: int | None) -> bool:
        modes = form.advance(span.origin, a - span.start.iteration)
        reach = form.reach(modes, 1, last)
        for axis in (0, 1):
            most = sum(abs(mix[axis]) * z for mix, z in zip(mixes, reach, strict=True))
            if not most < tolerances[axis]:
                return True
        return False

    horizon, ahead = now, 1
    while may_violate(horizon, None):
        if ahead > HORIZON or horizon == LAST_ITERATION:
            return None  # a direction that never gets there
        horizon, ahead = min(now + ahead, LAST_ITERATION), 2 * ahead
    last = last_where(now, horizon, lambda a, b: may_violate(a, b - a), violated)
    if last is not None:
        return last + 1
    return now + 1 if violated(now) else now


class Forecast:
    """The predictions at one run's position, each computed once per state: the app asks
    for them every frame, and a search costs up to a millisecond.

    An answer is a function of the segment (its start and settings) and the iteration
    alone, so it is remembered under those two: the segment object itself, not its
    ``id``, which a new segment could reuse once an old one is dropped.
    """

    def __init__(self, position: Position) -> None:
        self._position = position
        self._answers: dict[tuple[object, ...], int | None] = {}

    def _remember(self, key: tuple[object, ...], compute: Callable[[], int | None]) -> int | None:
        if key not in self._answers:
            if len(self._answers) > 64:
                self._answers.clear()
            self._answers[key] = compute()
        return self._answers[key]

    def oscillating(self) -> bool:
        """``oscillating`` at the current iteration."""
        position = self._position
        return oscillating(
            position.timeline.current,
            position.iteration,
            position.diverged_at is not None,
            position.train_weight,
            position.train_bias,
        )

    def digits(self) -> int | None:
        """``prediction_digits`` of the segment in force; None without a closed form."""
        span = self._position.timeline.current
        form = span.closed_form
        if form is None:
            return None
        return self._remember(("digits", span), lambda: prediction_digits(span, form))

    def divergence_at(self) -> int | None:
        """``divergence_at`` from here (the iteration it was declared at, once diverged);
        None without a closed form."""
        position = self._position
        if position.diverged_at is not None:
            return position.diverged_at
        span = position.timeline.current
        form = span.closed_form
        if form is None:
            return None
        now = position.iteration
        return self._remember(
            ("divergence", span, now),
            lambda: divergence_at(span, form, now, position.surface, position.runs_away),
        )

    def resolution(self) -> tuple[float, float] | None:
        """``resolution`` at the current settings."""
        return resolution(self._position.timeline.current, self._position.surface)

    def iterations_to(self, tolerances: tuple[float, float]) -> int | None:
        """``iterations_to`` from here; None once diverged, at ρ > 1 or for a tolerance not
        above ``resolution``. Raises ``NoClosedFormError`` without a closed form."""
        position = self._position
        span = position.timeline.current
        form = span.closed_form
        if form is None:
            raise NoClosedFormError(
                f"{span.rule.title} with {span.gradient.title} has no closed form: "
                "the iterations to a tolerance are unknown without running it"
            )
        if position.diverged_at is not None or form.spectral_radius > 1.0:
            return None
        if any(t <= floor for t, floor in zip(tolerances, self.resolution() or (), strict=True)):
            return None
        now = position.iteration
        return self._remember(
            ("tolerance", span, now, *tolerances),
            lambda: iterations_to(span, form, now, position.surface, tolerances),
        )
