"""A panel for one parameter: where it is, where it is heading, and how fast."""

from __future__ import annotations

import math

from textual.widgets import Static

from tui.format import number

BAR_WIDTH = 10
BLOCKS = " ▏▎▍▌▋▊▉█"


class ParameterPanel(Static):
    """Current value, the least-squares target, the gradient, and the distance still to go.

    The bottom border carries a bar of the share of the initial distance
    already covered.
    """

    DEFAULT_CSS = """
    ParameterPanel {
        height: 6;
        padding: 0 1;
    }
    """

    def __init__(self, name: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.border_title = name
        self._shown = ""

    def show(
        self, value: float, target: float, gradient: float, distance: float, progress: float
    ) -> None:
        """Display the numbers as rounded for display; repaints only if the text changed."""
        text = (
            f"[dim]now     [/dim][b]{number(value, 7)}[/b]\n"
            f"[dim]target  [/dim]{number(target, 7)}\n"
            f"[dim]gradient[/dim] {number(gradient, 6)}\n"
            f"[dim]to go   [/dim]{number(distance, 6)}"
        )
        if text != self._shown:
            self._shown = text
            self.update(text)
            self.border_subtitle = progress_bar(progress)


def progress_bar(progress: float) -> str:
    """A bar of the share of the way covered, e.g. ``████████▋  87%``; ``moving away`` if < 0."""
    if math.isnan(progress) or progress < 0:
        return "moving away"
    share = min(progress, 1.0)
    eighths = math.floor(share * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    bar = ("█" * full + (BLOCKS[part] if part else "")).ljust(BAR_WIDTH, "·")
    return f"{bar} {math.floor(share * 100):3d}%"
