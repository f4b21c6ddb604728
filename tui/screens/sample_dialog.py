"""A small dialog to type the temperature of the sample to explain (``#``)."""

from __future__ import annotations

from tui.i18n import _
from tui.screens.ask import AskDialog, Refused, decimal, underscore_refusal


class SampleDialog(AskDialog[float]):
    """Asks for a temperature in °C; the app explains the sample nearest to it.

    Anything but a finite number in ASCII decimal (``core.numerals``), or a temperature
    outside the samples' range, is refused in the dialog: 100 does not silently become
    the warmest sample, 49 °C.
    """

    NAME = "sample"
    ASKED = ("_current", "_low", "_high")

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
        value = decimal(typed)
        if value is None:
            return underscore_refusal(typed) or Refused(
                _("Refused: type a temperature such as 42 or -7.5, not {typed}.").format(
                    typed=repr(typed)
                )
            )
        if not self._low <= value <= self._high:
            return Refused(
                _("Refused: {typed} °C is outside the samples, {low} to {high} °C.").format(
                    typed=typed, low=f"{self._low:g}", high=f"{self._high:g}"
                )
            )
        return value
