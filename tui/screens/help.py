"""The help screen: every key, and how to read what is on screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KEYS

GUIDE = (
    "[b]What you are watching[/b]\n"
    "One neuron, [b]fahrenheit = weight × celsius + bias[/b], learns by gradient descent. "
    "Each iteration has three phases: [b]forward[/b] (predict every sample, measure the "
    "mean squared error), [b]backward[/b] (the chain rule gives the gradient of the loss "
    "for each parameter) and [b]update[/b] (each parameter steps against its gradient, "
    "scaled by the learning rate).\n\n"
    "The chart shows the truth (blue), the untrained neuron (red) and the neuron now "
    "(green). The weight and bias panels show each value, the least-squares target it "
    "heads for, its gradient and the way still to go. Watch the weight arrive within a "
    "few hundred iterations while the bias crawls: on the tutorial's data the loss "
    "surface is a valley about 834 times longer than it is wide, and one learning rate "
    "must suit both directions."
)


def keys_text() -> str:
    """One line per key, in the order of ``KEYS``, space described once."""
    lines = ["[b]Keys[/b]"]
    seen: set[str] = set()
    for key in KEYS:
        if key.display in seen:
            continue
        seen.add(key.display)
        text = key.help
        if key.display == "space":
            text = "Pause or run; when done, continue past the target."
        lines.append(f"  [b $accent]{key.display:<7}[/] {text}")
    lines.append(f"  [b $accent]{'ctrl+p':<7}[/] Every command, and the colour theme, by name.")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Keys and a short guide; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 96;
        height: 90%;
        border: round $primary;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = "c2f-tui help"
        scroll.border_subtitle = "esc to close"
        with scroll:
            yield Static(keys_text() + "\n\n" + GUIDE, id="help-text")
