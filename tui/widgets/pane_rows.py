"""How many rows the text panes below the charts take: the rows their text needs, no more,
and the charts the rest (issue 22: a lesson pane kept five blank rows at 150×44 while the
loss chart got two).

The lesson pane and the explanation each measure their own text; this module says how much
of the screen they may have, so that the charts keep enough to be read.
"""

from __future__ import annotations

CHART_ROWS_SHORT = 9
"""Below 34 rows, the charts keep at least this many: the fit chart's border, its x axis and
five rows of plot (a long chapter scrolls rather than take more)."""
CHART_ROWS_TALL = 25
"""From 34 rows, the charts keep at least this many: the weight and bias panels (7 rows each)
and the loss panel with six rows of plot (border 2, readout 1, plot 6, x axis 2)."""
LESSON_FLOOR = 10
"""The lesson may always take this many rows (what every chapter needs at 80×24), however
little room the charts leave: a chapter's words come before a taller chart."""


EXPLANATION_FLOOR = 4
"""The explanation may always take this many rows: its header and the formula with its
numbers (its other lines give way first)."""


def lesson_rows(need: int, *, screen: int, others: int, tall: bool) -> int:
    """The lesson pane's height: the ``need`` its text asks for, within the room the charts
    leave (never below ``LESSON_FLOOR``). ``screen`` is the screen's height, ``others`` the
    rows taken by what is neither the charts nor the lesson (status line, Footer, the
    explanation, a forecast or race row)."""
    room = screen - others - (CHART_ROWS_TALL if tall else CHART_ROWS_SHORT)
    return max(1, min(need, max(room, LESSON_FLOOR)))


def explanation_rows(need: int, *, screen: int, others: int, tall: bool) -> int:
    """The explanation's height: the ``need`` its lines ask for, within the room the charts
    and the lesson (counted in ``others``) leave, never below ``EXPLANATION_FLOOR``."""
    room = screen - others - (CHART_ROWS_TALL if tall else CHART_ROWS_SHORT)
    return max(1, min(need, max(room, EXPLANATION_FLOOR)))
