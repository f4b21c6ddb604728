"""How numbers look on screen: significant figures, thousands, and named non-finite values;
and a long path shortened in its middle."""

from __future__ import annotations

import math
import unicodedata


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


NOISE = 1e-12
"""A loss within this fraction of the data's variance is rounding noise of an exact fit."""


def loss(value: float, scale: float, digits: int = 6) -> str:
    """A loss to ``digits`` figures; rounding noise of an exact fit, at most 1e-12 of
    ``scale`` (the data's own variance), as that bound: ``< 2.7e-9`` for the tutorial's
    least loss of 4.4e-29 (headless prints it the same way). 0 only for 0 itself: a loss
    that is not zero never reads 0, and every place that shows a loss shows it alike."""
    if value == 0.0:
        return "0"
    if 0.0 < value <= NOISE * scale:
        return "< " + number(NOISE * scale, 2)
    return number(value, digits)


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


def rounded(value: int, digits: int | None) -> int:
    """``value`` to ``digits`` significant figures (all of them for None)."""
    if digits is None or value == 0:
        return value
    drop = len(str(abs(value))) - digits
    if drop <= 0:
        return value
    return round(value, -drop)


def approximate(value: int, digits: int | None) -> str:
    """An iteration count to the ``digits`` its prediction supports (``Trainer.prediction_digits``):
    ``≈ 3,780,000,000,000`` near the stable limit, where a rate one ulp away moves the count
    in its fourth digit; ``3,779`` when every digit holds."""
    shown = rounded(value, digits)
    return count(value) if shown == value else "≈ " + count(shown)


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


def rates_apart(value: float, limit: float) -> tuple[str, str]:
    """A learning rate and its limit as ``rate`` writes them, with more digits when they
    would read alike: ``("1.2e-3", "1.19976e-3")``, never ``1.2e-3 > 1.2e-3``.

    When three significant figures round both to the same text, each gets the fewest
    figures that tell them apart, plus one, so the gap shows in more than a last digit.
    Equal numbers (or a non-finite one) keep ``rate``'s own form.
    """
    short = rate(value), rate(limit)
    if short[0] != short[1] or value == limit or not math.isfinite(limit):
        return short
    for digits in range(4, 18):
        if _figures(value, digits) != _figures(limit, digits):
            shown = min(digits + 1, 17)
            return _figures(value, shown), _figures(limit, shown)
    return repr(value), repr(limit)


def _figures(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant figures in ``rate``'s style (no trailing zeros)."""
    if 0.01 <= value < 1000:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def factor(value: float) -> str:
    """A factor per iteration near 1, with the digits that show how far from 1 it is:
    ``1.0004`` (not ``1``), ``2.33``, ``0.9998``."""
    if not math.isfinite(value):
        return number(value)
    for digits in range(3, 17):
        text = number(value, digits)
        if value == 1.0 or text not in ("1", "-1"):
            return text
    return repr(value)


def middle_of_path_left_out(path: str, cells: int) -> str:
    """``path`` within ``cells`` terminal cells: whole if it fits, else its first folders
    and its last ones around ``…``, always with the file's name (itself shortened in its
    middle only if that alone is too long).

        >>> middle_of_path_left_out("/home/ada/courses/physics/week-03/c2f-run.csv", 32)
        '/home/ada/…/week-03/c2f-run.csv'
    """
    if cell_len(path) <= cells:
        return path
    parts = path.split("/")
    name = parts[-1]
    if cell_len("…/" + name) > cells:
        keep = max(cells - 1, 2)
        ending = keep // 2
        return name[: keep - ending] + "…" + name[len(name) - ending :]
    head, tail = [parts[0]], [name]  # parts[0] is "" for an absolute path
    before, after = 1, len(parts) - 2
    take_head = True
    while before <= after:
        candidate = ([*head, parts[before]], tail) if take_head else (head, [parts[after], *tail])
        text = "/".join(candidate[0]) + "/…/" + "/".join(candidate[1])
        if cell_len(text) > cells:
            break
        head, tail = candidate
        if take_head:
            before += 1
        else:
            after -= 1
        take_head = not take_head
    return "/".join(head) + "/…/" + "/".join(tail)


def cell_len(text: str) -> int:
    """The terminal cells ``text`` takes: two for a wide (East Asian) character, else one
    (here, not Rich's, so that headless runs never import Rich)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
