"""A panel for one parameter: where it is, where it is heading, and how fast."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.format import number

BAR_WIDTH = 8
BLOCKS = " ▏▎▍▌▋▊▉█"
LINES = ("now", "target", "gradient", "to go")


class ParameterPanel(Vertical):
    """Current value, the least-squares target, the gradient, and the distance still to go.

    Each line is its own widget, so a change repaints one line of the
    terminal rather than the whole bordered panel (over SSH, bytes count).
    A bar after the distance shows the share of the initial distance covered.
    """

    DEFAULT_CSS = """
    ParameterPanel {
        height: 6;
        padding: 0 1;
    }
    ParameterPanel > Static {
        height: 1;
    }
    """

    def __init__(self, name: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.border_title = name
        self._shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        for line in LINES:
            yield Static(classes=line.replace(" ", "-"))

    def show(
        self, value: float, target: float, gradient: float, distance: float, progress: float
    ) -> None:
        """Display the numbers as rounded for display; repaints only the lines that changed."""
        texts = {
            "now": f"[dim]now     [/dim][b]{number(value, 7)}[/b]",
            "target": f"[dim]target  [/dim]{number(target, 7)}",
            "gradient": f"[dim]gradient[/dim] {number(gradient, 6)}",
            "to go": (
                f"[dim]to go   [/dim]{_distance(distance, target):<9} {progress_bar(progress)}"
            ),
        }
        for line, static in zip(LINES, self.query(Static), strict=True):
            if self._shown.get(line) != texts[line]:
                self._shown[line] = texts[line]
                static.update(texts[line], layout=False)  # height 1: no relayout

    def render_text(self) -> str:
        """The panel's lines as plain text (what a user reads)."""
        return "\n".join(str(static.render()) for static in self.query(Static))


def _distance(distance: float, target: float) -> str:
    """The way still to go, at most 9 characters; rounding noise at the target reads 0."""
    if abs(distance) <= 1e-9 * max(1.0, abs(target)):
        return "0"
    text = number(distance, 6)
    return text if len(text) <= 9 else number(distance, 3)


def progress_bar(progress: float) -> str:
    """A bar of the share of the way covered, e.g. ``██████▉·``; ``away`` if moving away."""
    if math.isnan(progress) or progress < 0:
        return "[b $error]away[/]"
    eighths = math.floor(min(progress, 1.0) * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    bar = ("█" * full + (BLOCKS[part] if part else "")).ljust(BAR_WIDTH, "·")
    return f"[$success]{bar}[/]"
