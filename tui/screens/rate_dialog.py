"""A small dialog to type an exact learning rate (``l``)."""

from __future__ import annotations

import math

from core import check_learning_rate
from tui.format import rates_apart
from tui.i18n import _
from tui.screens.ask import AskDialog, Refused, decimal, underscore_refusal


class RateDialog(AskDialog[float]):
    """Asks for a learning rate; refuses anything but a finite number > 0."""

    NAME = "rate"
    ASKED = ("_current", "_max_stable")

    def __init__(self, current: float, max_stable: float) -> None:
        super().__init__()
        self._current = current
        self._max_stable = max_stable

    def question(self) -> str:
        if math.isfinite(self._max_stable):
            label = _("Learning rate (now {rate}; stable below {limit})")
        else:
            label = _("Learning rate (now {rate}; no stable limit)")
        current, limit = rates_apart(self._current, self._max_stable)
        return label.format(rate=current, limit=limit)

    def initial(self) -> str:
        return rates_apart(self._current, self._max_stable)[0]

    def hint(self) -> str:
        return _("enter to apply · escape to cancel")

    def read(self, typed: str) -> float | Refused:
        value = decimal(typed)  # not float(): it reads 1_0 as 10, and other scripts' digits
        try:
            if value is None:
                raise ValueError(typed)
            return check_learning_rate(value)
        except ValueError:
            return underscore_refusal(typed) or Refused(
                _("Refused: the learning rate must be a finite number > 0, not {typed}.").format(
                    typed=repr(typed)
                )
            )
