"""How numbers look on screen: significant figures, thousands, and named non-finite values."""

from __future__ import annotations

import math


def number(value: float, digits: int = 6) -> str:
    """``value`` to ``digits`` significant figures, with a compact exponent when needed.

    Non-finite values are spelled out rather than shown as ``nan``/``inf``.
    """
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "+∞" if value > 0 else "−∞"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def rate(value: float) -> str:
    """A learning rate: ``1e-4`` or ``2.5e-4`` when small, ``0.1`` or ``0.5`` from 0.01."""
    if not math.isfinite(value):
        return number(value)
    if 0.01 <= value < 1000:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def count(value: int) -> str:
    """A whole number with thousands separators: ``10,000``."""
    return f"{value:,}"


def per_second(value: float) -> str:
    """A speed in iterations per second, short: ``0.27``, ``4.4``, ``850``, ``12k``, ``3.4M``.

    Below 10 with two significant figures, so a slow pace never reads as 0.
    """
    if not math.isfinite(value):
        return number(value)
    if value < 10:
        return f"{value:.2g}"
    if value < 1_000:
        return f"{value:.0f}"
    if value < 1_000_000:
        return f"{value / 1_000:.3g}k"
    return f"{value / 1_000_000:.3g}M"
