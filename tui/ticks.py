"""Readable axis ticks: round numbers at steps of 1, 2 or 5 times a power of ten."""

from __future__ import annotations

import math

from tui.format import number


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """At most ``most`` round values covering [low, high] (inclusive where they fall)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw_step = (high - low) / max(most - 1, 1)
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
