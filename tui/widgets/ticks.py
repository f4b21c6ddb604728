"""Readable axes: round ticks, log ticks at whole decades on evenly spaced rows, safe ranges."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from tui.format import number

POINT = 1e-9
"""A range narrower than this share of its magnitude is drawn as a point (rounding noise)."""
POINT_PADDING = 0.05
"""A point is shown with this share of its magnitude on either side."""


def padded(low: float, high: float, margin: float = 0.0) -> tuple[float, float]:
    """[low, high] widened by ``margin`` of its width on both sides, never empty.

    plotext divides by the width of its ranges: a range of zero width (every
    sample at one temperature, or a constant line) or one narrower than
    rounding (``20.0`` and ``20.000000000000004``) is widened around its centre
    to ±5 % of its magnitude (±1 around zero); non-finite ends give (−1, 1).
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return -1.0, 1.0
    low, high = min(low, high), max(low, high)
    magnitude = max(abs(low), abs(high))
    if high - low <= POINT * magnitude or magnitude == 0.0:
        centre = 0.5 * (low + high)
        half = POINT_PADDING * magnitude if magnitude > 0.0 else 1.0
        return centre - half, centre + half
    extra = margin * (high - low)
    wider = (low - extra, high + extra)
    return wider if all(math.isfinite(end) for end in wider) else (low, high)


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """At most ``most`` round values covering [low, high] (inclusive where they fall)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw_step = (high - low) / max(most - 1, 1)
    if not (math.isfinite(raw_step) and raw_step > 0.0):
        return [low]
    power = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw_step)
    first = math.ceil(low / step - 1e-9) * step
    ticks: list[float] = []
    value = first
    while value <= high + 1e-9 * step and len(ticks) < most + 1:
        ticks.append(0.0 if abs(value) < 1e-12 * step else value)
        value = first + len(ticks) * step
    return ticks


def labels(ticks: list[float]) -> list[str]:
    """Tick labels without needless digits."""
    return [number(tick, 4) for tick in ticks]


@dataclass(frozen=True)
class DecadeAxis:
    """A log axis drawn as log10 values: its range and its ticks at whole decades."""

    low: float
    """The axis' lower end, a whole decade."""
    high: float
    """The axis' upper end (at or above the highest decade to show)."""
    ticks: tuple[int, ...]
    """The decades labelled, evenly spaced in rows."""


def decade_axis(low: int, high: int, rows: int, *, bottom_at_low: bool = False) -> DecadeAxis:
    """An axis covering decades ``low`` to ``high`` over ``rows`` rows of plot, whose ticks
    fall on rows an equal whole number apart (``bottom_at_low``: its bottom, a tick, is
    ``low`` itself, as a floor under which values are drawn).

    plotext puts the value y on row ⌊0.5 + (rows − 1)·(y − bottom)/(top − bottom)⌋. With a
    tick every ``stride`` decades ``gap`` rows apart, a top of bottom + (rows − 1)·stride/gap
    puts tick k exactly on row k·gap. The stride is the smallest of 1, 2, 3, 5, 10, 20, …
    that leaves at least two rows between labels (one if the plot is too short) without
    stretching the axis past 1.5 times the decades shown (else the least stretched); the
    bottom is the multiple of the stride at or below ``low`` where that fits, else ``low``.
    """
    usable = max(rows - 1, 1)
    least_gap = 2 if usable >= 2 else 1
    span = max(high - low, 1)
    best: tuple[float, int, int] | None = None  # (extent, stride, bottom)
    for stride in _strides():
        if stride > 2 * span and best is not None:
            break
        for bottom in (low,) if bottom_at_low else (low - low % stride, low):
            gap = usable * stride // max(high - bottom, 1)
            if gap < least_gap:
                continue
            extent = usable * stride / gap
            if extent <= 1.5 * span:
                return _axis(bottom, extent, stride)
            if best is None or extent < best[0]:
                best = (extent, stride, bottom)
    assert best is not None  # a stride of 2·span or more always leaves the gap
    extent, stride, bottom = best
    return _axis(bottom, extent, stride)


def _axis(bottom: int, extent: float, stride: int) -> DecadeAxis:
    top = bottom + extent
    return DecadeAxis(float(bottom), top, tuple(range(bottom, math.floor(top + 1e-9) + 1, stride)))


def _strides() -> Iterator[int]:
    """1, 2, 3, 5, 10, 20, 30, 50, 100, …"""
    power = 1
    while True:
        for multiple in (1, 2, 3, 5):
            yield multiple * power
        power *= 10
