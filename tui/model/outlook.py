"""What the trainer's closed form says about the run's future, as one record.

The screen (``tui.model.view``) and the headless summary (``tui.cli.headless``) both show
it, so both ask here: ``Forecaster.outlook(trainer)`` gathers ``core``'s
predictions (``Trainer.stable``, ``spectral_radius``, ``directions``,
``divergence_expected_at``, ``iterations_to``) without computing any of its own.
Nothing here imports Textual.

The predictions are absolute iteration numbers of one deterministic trajectory,
so while the settings stay the same they do not change as training moves along
it: the forecaster asks ``core`` once per stretch of settings (a few
milliseconds) and then only compares the iteration with the answers, instead
of asking again every frame.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Final

from core import Segment, Trainer

WEIGHT_TOLERANCE: Final = 1e-3
"""The weight has arrived once |w − w*| stays below this (°F per °C; ``iterations_to``'s
default)."""
BIAS_TOLERANCE: Final = 1e-2
"""The bias has arrived once |b − b*| stays below this (°F): ``iterations_to``'s default."""
ANY_DISTANCE: Final = sys.float_info.max
"""A tolerance no finite distance exceeds: asks ``iterations_to`` about the other
parameter alone."""


@dataclass(frozen=True)
class Outlook:
    """The future of the run if training goes on with the current settings.

    Every iteration number is absolute, as the status line counts. Without a
    closed form (Adam, the tutorial's published gradient) the future is unknown:
    ``predictable`` is False and the predictions are None, which then means
    "unknown", never "never".
    """

    predictable: bool
    """The current settings have a closed form (``Trainer.has_closed_form``)."""
    spectral_radius: float | None
    """ρ: the error shrinks (< 1) or grows (> 1) by about this factor per iteration;
    None without a closed form."""
    stable: bool
    """ρ < 1 (``Trainer.stable``); without a closed form, not diverged so far."""
    diverges_at: int | None
    """The iteration at which divergence will be declared (or was, once diverged);
    None if never, or unknown."""
    arrives_at: int | None
    """The iteration from which both parameters stay within their tolerances for good;
    None if never, or unknown."""
    weight_arrives_at: int | None
    """The same for the weight alone (within ``WEIGHT_TOLERANCE``)."""
    bias_arrives_at: int | None
    """The same for the bias alone (within ``BIAS_TOLERANCE``)."""
    no_progress: tuple[int, ...]
    """The directions along which the error does not shrink at all (a factor of exactly 1
    in floating point, ``Direction.stalled`` among them): 0 is the flattest, along the
    valley, 1 the steepest, across it."""
    digits: int | None = None
    """The significant digits of ``diverges_at`` and the arrivals that the rate's rounding
    supports (``Trainer.prediction_digits``); None: all."""
    oscillating: bool = False
    """The run neither converges nor diverges (``Trainer.oscillating``): a rule without a
    closed form above its local stable limit, still moving."""

    @property
    def unstable(self) -> bool:
        """ρ > 1: the error grows every iteration and training will diverge."""
        return self.spectral_radius is not None and self.spectral_radius > 1.0

    @property
    def stalled(self) -> bool:
        """Some direction makes no progress (ρ = 1 there), so the target is never reached."""
        return bool(self.no_progress) and not self.unstable


@dataclass(frozen=True)
class _Answers:
    """``core``'s answers at one iteration of one stretch of settings."""

    timeline: tuple[Segment, ...]
    """The segments up to the current one: together they fix the trajectory."""
    iteration: int
    """The iteration they were asked at."""
    outlook: Outlook


class Forecaster:
    """Asks a trainer for its predictions, once per stretch of settings.

    ``iterations_to`` answers "the iteration after the last violation, never
    less than now", and ``divergence_expected_at`` "the first iteration the
    divergence rule refuses": both fixed points of the trajectory. So an answer
    A asked at iteration k0 stays A at any later iteration before A and becomes
    "now" after it; ``core`` is asked again only when the settings, the
    timeline or the direction of travel (a seek back) make that uncertain.
    """

    def __init__(self) -> None:
        self._answers: _Answers | None = None

    def outlook(self, trainer: Trainer) -> Outlook:
        """The trainer's future under its current settings."""
        if not trainer.has_closed_form:
            return Outlook(
                predictable=False,
                spectral_radius=None,
                stable=trainer.stable,
                diverges_at=trainer.diverged_at,
                arrives_at=None,
                weight_arrives_at=None,
                bias_arrives_at=None,
                no_progress=(),
                oscillating=trainer.oscillating,
            )
        segments = trainer.segments
        timeline = segments[: segments.index(trainer.segment) + 1]
        now = trainer.iteration
        answers = self._answers
        if (
            trainer.diverged
            or answers is None
            or answers.timeline != timeline
            or now < answers.iteration
        ):
            answers = _Answers(timeline, now, _ask(trainer))
            self._answers = answers if not trainer.diverged else None
        known = answers.outlook
        return Outlook(
            predictable=True,
            spectral_radius=known.spectral_radius,
            stable=known.stable,
            diverges_at=known.diverges_at,
            arrives_at=_not_before(known.arrives_at, now),
            weight_arrives_at=_not_before(known.weight_arrives_at, now),
            bias_arrives_at=_not_before(known.bias_arrives_at, now),
            no_progress=known.no_progress,
            digits=known.digits,
        )


def _ask(trainer: Trainer) -> Outlook:
    """Every prediction, from ``core`` (its closed form: no stepping)."""
    directions = trainer.directions or ()
    return Outlook(
        predictable=True,
        spectral_radius=trainer.spectral_radius,
        stable=trainer.stable,
        diverges_at=trainer.divergence_expected_at,
        arrives_at=trainer.iterations_to(WEIGHT_TOLERANCE, BIAS_TOLERANCE),
        weight_arrives_at=trainer.iterations_to(WEIGHT_TOLERANCE, ANY_DISTANCE),
        bias_arrives_at=trainer.iterations_to(ANY_DISTANCE, BIAS_TOLERANCE),
        digits=trainer.prediction_digits,
        no_progress=tuple(
            index
            for index, direction in enumerate(directions)
            if direction.stalled or direction.factor == 1.0
        ),
    )


def _not_before(arrival: int | None, now: int) -> int | None:
    """An arrival asked about earlier, seen from ``now``: once passed, it is now."""
    return None if arrival is None else max(arrival, now)
