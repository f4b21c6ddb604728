"""A small dialog to type the iteration to go to (the ``g`` key)."""

from __future__ import annotations

from collections.abc import Iterator

from textual.widget import Widget
from textual.widgets import Label, Static

from core.numerals import DECIMAL
from tui.format import count
from tui.i18n import _
from tui.screens.ask import AskDialog, Refused

SEPARATORS = (",", "_", " ", "\u202f", "\u00a0", "'")
"""Thousands separators a typed number may contain: ``40,243``, ``40_243``, ``40 243``."""
ECHOED = 24
"""Refused input is echoed up to this many characters."""


class SeekDialog(AskDialog[int]):
    """Asks for an iteration from 0 to ``furthest``; refuses anything else in one line.

    ``limited`` says that ``furthest`` is set by replaying (a rule without a
    closed form replays every update going forward), not by the closed form's
    reach: a line under the input then says why, and what to do instead.
    """

    NAME = "seek"
    ASKED = ("_current", "_furthest", "_limited")

    def __init__(self, current: int, furthest: int, *, limited: bool) -> None:
        super().__init__()
        self._current = current
        self._furthest = furthest
        self._limited = limited

    def question(self) -> str:
        return _("Go to iteration (now {iteration})").format(iteration=count(self._current))

    def initial(self) -> str:
        return str(self._current)

    def hint(self) -> str:
        return _("enter to go · escape to cancel")

    def notes(self) -> Iterator[Widget]:
        if self._limited:  # a Static, so that the sentence wraps
            yield Static("[dim]" + self._limit_words() + "[/dim]", id="seek-limit", classes="note")
        yield Label("[dim]" + _("back restores the settings in force there") + "[/dim]")

    def _limit_words(self) -> str:
        ahead = self._furthest - self._current
        return _(
            "Without a closed form each update is replayed: at most {ahead} iterations "
            "ahead, to {furthest} (f races further)."
        ).format(ahead=count(ahead), furthest=count(self._furthest))

    def read(self, typed: str) -> int | Refused:
        iteration = whole_number(typed)
        if iteration is None:
            echo = typed if len(typed) <= ECHOED else typed[:ECHOED] + "…"
            return Refused(
                _("Refused: type a whole number of iterations, 0 or more, not {typed}.").format(
                    typed=repr(echo)
                )
            )
        if iteration > self._furthest:  # (the line below the input says why, if it is near)
            return Refused(
                _("Refused: at most iteration {furthest}.").format(furthest=count(self._furthest))
            )
        return iteration


def whole_number(text: str) -> int | None:
    """The typed text as an iteration ≥ 0, or None: ASCII digits, grouped in threes by one
    kind of thousands separator if at all (``40,243``, ``40_243``; not ``1_0``, which
    ``int`` would read as 10), or a whole number in exponent form (``1e6``)."""
    if not text.isascii():
        return None
    if text.isdigit():
        return int(text)
    used = [separator for separator in SEPARATORS if separator in text]
    if len(used) == 1:
        first, *groups = text.split(used[0])
        grouped = 1 <= len(first) <= 3 and all(len(group) == 3 for group in groups)
        digits = "".join((first, *groups))
        return int(digits) if grouped and digits.isdigit() else None
    if used or "e" not in text.lower() or not DECIMAL.fullmatch(text):
        return None
    value = float(text)
    if not (value >= 0 and value.is_integer() and value < 1e19):
        return None
    return int(value)
