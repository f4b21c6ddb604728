"""A small dialog to type the temperature of the sample to explain (``#``)."""

from __future__ import annotations

import math

from tui.i18n import _
from tui.screens.ask import AskDialog, Refused


class SampleDialog(AskDialog[float]):
    """Asks for a temperature in °C; the app explains the sample nearest to it.

    Anything but a finite number (in ASCII digits) is refused in the dialog.
    """

    NAME = "sample"

    def __init__(self, current: float, low: float, high: float) -> None:
        super().__init__()
        self._current = current
        self._low, self._high = low, high

    def question(self) -> str:
        return _("Sample to explain, in °C ({low} to {high})").format(
            low=f"{self._low:g}", high=f"{self._high:g}"
        )

    def initial(self) -> str:
        return f"{self._current:g}"

    def hint(self) -> str:
        return _("enter to explain it · escape to cancel")

    def read(self, typed: str) -> float | Refused:
        value = _as_number(typed)
        if value is None:
            return Refused(
                _("Refused: type a temperature such as 42 or -7.5, not {typed}.").format(
                    typed=repr(typed)
                )
            )
        return value


def _as_number(text: str) -> float | None:
    """The typed text as a finite float, or None (digits other than ASCII are refused)."""
    if not text.isascii():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
