"""How many rows the text panes below the charts take: the rows their text needs, no more,
and the charts the rest (issue 22: a lesson pane kept five blank rows at 150×44 while the
loss chart got two).

The lesson pane and the explanation each measure the rows their text needs; the main screen
gives them rows by this module's rule, so that the charts keep enough to be read.
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


def pane_heights(
    *, screen: int, fixed: int, tall: bool, lesson: int | None, explanation: int | None
) -> tuple[int, int]:
    """The rows of the lesson and of the explanation: each the rows it ``need``s (None: not
    on show, 0 rows), within the room the charts keep; the lesson first (the chapter's words
    come before the explanation's, whose lines give way by priority). ``screen`` is the
    screen's height, ``fixed`` the rows of what is neither the charts nor these panes (the
    status line, the Footer, a forecast or race row)."""
    room = screen - fixed - (CHART_ROWS_TALL if tall else CHART_ROWS_SHORT)
    lesson_rows = 0 if lesson is None else max(1, min(lesson, max(room, LESSON_FLOOR)))
    if explanation is None:
        return lesson_rows, 0
    return lesson_rows, max(1, min(explanation, max(room - lesson_rows, EXPLANATION_FLOOR)))
