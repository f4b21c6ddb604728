"""Which cells of a plotext canvas a straight line lights, computed as plotext computes them.

A chart that draws one line over another needs to know where plotext will put
each: two trainers with the same weights must land on the same cells whatever
mark each is drawn with. plotext (5.3.2, ``_utility.get_matrix_data`` and
``get_line``) maps a value to a dot of a grid ``factor`` times finer than the
cells (braille: 2 × 4 dots a cell, half blocks 2 × 2, one character 1 × 1) and
walks the segment dot by dot; the cell is the dot divided by the factor. A
coarse mark (``x``) mapped directly rounds on its own, coarser grid and can land
a row away from a fine one on the same line: hence these functions, which follow
the fine line's dots and hand back cells, and the value plotext maps to a given
cell's centre.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

FACTORS: dict[str, tuple[int, int]] = {"hd": (2, 2), "fhd": (2, 3), "braille": (2, 4)}
"""Dots per cell (across, down) of plotext's high-resolution marks; any other mark: 1 × 1."""
MOST_DOTS = 1_000_000
"""The most dots a walk takes (a screen of 500 × 200 braille cells has 800,000)."""


def factor(marker: str) -> tuple[int, int]:
    """How many dots across and down a cell ``marker`` has."""
    return FACTORS.get(marker, (1, 1))


def to_dot(value: float, limits: tuple[float, float], dots: int) -> int:
    """The dot plotext puts ``value`` on, of ``dots`` spanning ``limits`` (its rounding)."""
    low, high = limits
    return math.floor(round(0.5 + (dots - 1) * (value - low) / (high - low), 8))


def cell_centre(cell: int, limits: tuple[float, float], cells: int) -> float:
    """The value a one-character mark must have for plotext to put it on ``cell``."""
    low, high = limits
    return low + cell * (high - low) / max(cells - 1, 1)


def line_cells(
    xs: tuple[float, float],
    ys: tuple[float, float],
    limits: tuple[tuple[float, float], tuple[float, float]],
    canvas: tuple[int, int],
    marker: str,
) -> list[tuple[int, int]]:
    """The cells (column, row from the bottom) plotext lights for the segment from
    (xs[0], ys[0]) to (xs[1], ys[1]) drawn with ``marker`` on a canvas of ``canvas``
    (columns, rows) cells, in order along the segment, each once.

    >>> line_cells((0.0, 10.0), (0.0, 10.0), ((0.0, 10.0), (0.0, 10.0)), (4, 3), "hd")
    [(0, 0), (1, 0), (1, 1), (2, 1), (3, 2)]
    """
    return curve_cells(list(xs), list(ys), limits, canvas, marker)


def line_art(
    xs: tuple[float, float],
    ys: tuple[float, float],
    limits: tuple[tuple[float, float], tuple[float, float]],
    canvas: tuple[int, int],
) -> list[tuple[int, int, str]]:
    """The segment as box-drawing characters, one (column, row from the bottom, character)
    per cell: ``─`` where it stays in a row across a cell, ``╱`` or ``╲`` where it climbs or
    falls into the next, ``│`` for the rows a steep one passes through.

    >>> line_art((0.0, 10.0), (0.0, 4.0), ((0.0, 10.0), (0.0, 10.0)), (6, 3))
    [(0, 0, '─'), (1, 0, '─'), (2, 0, '─'), (3, 0, '╱'), (4, 1, '─'), (5, 1, '─')]
    """
    (x_limits, y_limits), (columns, rows) = limits, canvas

    def column_of(x: float) -> float:  # cell centres at whole numbers, as ``to_dot`` puts them
        return (columns - 1) * (x - x_limits[0]) / (x_limits[1] - x_limits[0])

    def row_of(y: float) -> float:
        return (rows - 1) * (y - y_limits[0]) / (y_limits[1] - y_limits[0])

    (u0, u1), (v0, v1) = (
        sorted((column_of(xs[0]), column_of(xs[1]))),
        (row_of(ys[0]), row_of(ys[1])),
    )
    if column_of(xs[0]) > column_of(xs[1]):
        v0, v1 = v1, v0
    slope = (v1 - v0) / (u1 - u0) if u1 > u0 else 0.0
    drawn: list[tuple[int, int, str]] = []
    for column in range(max(math.floor(u0 + 0.5), 0), min(math.floor(u1 + 0.5), columns - 1) + 1):
        left, right = max(column - 0.5, u0), min(column + 0.5, u1)
        low, high = (math.floor(v0 + (u - u0) * slope + 0.5) for u in (left, right))
        slant = "╱" if high > low else "╲"
        if low == high:
            marks = [(low, "─")]
        elif abs(high - low) == 1:  # one step up or down: always on the lower row
            marks = [(min(low, high), slant)]
        else:
            between = range(min(low, high) + 1, max(low, high))
            marks = [(low, slant), (high, slant), *((row, "│") for row in between)]
        drawn.extend((column, row, mark) for row, mark in marks if 0 <= row < rows)
    return sorted(drawn)


def curve_cells(
    xs: list[float],
    ys: list[float],
    limits: tuple[tuple[float, float], tuple[float, float]],
    canvas: tuple[int, int],
    marker: str,
) -> list[tuple[int, int]]:
    """The cells plotext lights for the polyline through (``xs``, ``ys``) drawn with
    ``marker``, in order along it, each once: plotext's walk, segment by segment, done
    with numpy (a loss curve has thousands of points)."""
    (x_limits, y_limits), (columns, rows) = limits, canvas
    across, down = factor(marker)
    x_dots, y_dots = to_dots(xs, x_limits, columns * across), to_dots(ys, y_limits, rows * down)
    if x_dots.size < 2:
        x, y = x_dots, y_dots
    else:
        x_step, y_step = np.diff(x_dots), np.diff(y_dots)
        steps = (np.maximum(np.abs(x_step), np.abs(y_step)) + 1).astype(np.int64)
        if int(steps.sum()) > MOST_DOTS:
            return []  # not a curve on this canvas: callers hand in points within its limits
        # plotext's get_lines: each segment's dots but its last, then the very last point.
        segment = np.repeat(np.arange(steps.size), steps - 1)
        k = np.arange(segment.size) - np.repeat(np.cumsum(steps - 1) - (steps - 1), steps - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_slope = np.where(steps > 1, x_step / (steps - 1), 0.0)
            y_slope = np.where(steps > 1, y_step / (steps - 1), 0.0)
        x = np.append(np.trunc(x_dots[segment] + k * x_slope[segment]), x_dots[-1])
        y = np.append(np.trunc(y_dots[segment] + k * y_slope[segment]), y_dots[-1])
    column, row = x.astype(np.int64) // across, y.astype(np.int64) // down
    inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
    column, row = column[inside], row[inside]
    _unique, first = np.unique(column * (rows + 1) + row, return_index=True)
    first.sort()
    return list(zip(column[first].tolist(), row[first].tolist(), strict=True))


def to_dots(
    values: list[float] | NDArray[np.float64], limits: tuple[float, float], dots: int
) -> NDArray[np.float64]:
    """``to_dot`` of each value, as floats (a dot far off the canvas can pass 2**63)."""
    low, high = limits
    with np.errstate(over="ignore", invalid="ignore"):
        spread = 0.5 + (dots - 1) * (np.asarray(values, dtype=float) - low) / (high - low)
    return np.floor(np.round(spread, 8))
