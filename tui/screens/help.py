"""The help screen: every key, and how to read what is on screen."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KEYS

GUIDE = (
    (
        "What you are watching",
        (
            "One neuron, fahrenheit = weight × celsius + bias, learns by gradient descent. Each "
            "iteration has three phases: forward (predict every sample, measure the mean squared "
            "error), backward (the chain rule gives the gradient of the loss for each parameter) "
            "and update (each parameter steps against its gradient, scaled by the learning rate)."
        ),
    ),
    (
        "The chart",
        (
            "The truth, the untrained neuron and the neuron now, as in the tutorial's picture "
            "(its legend names each line; measured data shows as points). Its lower border names "
            "the optimizer, the inputs (raw or standardised) and κ, the condition number: how "
            "many times steeper the loss bowl is across the valley than along it."
        ),
    ),
    (
        "The panels",
        (
            "For the weight and the bias: the value now, the least-squares target it heads for, "
            "the gradient of the loss at the current parameters, the way still to go and a bar "
            "of the share already covered. The loss panel shows the mean squared error now, "
            "the least it can reach on this data, and its history on a log scale."
        ),
    ),
    (
        "The status line",
        (
            "State, iteration and target, the learning rate with the largest stable one "
            "(2/λ_max for plain gradient descent), iterations per second while running, seed."
        ),
    ),
    (
        "Why the bias is slow",
        (
            "Watch the weight arrive within a few hundred iterations while the bias crawls: on "
            "the tutorial's data the loss surface is a valley about 834 times longer than it is "
            "wide, and one learning rate must suit both directions. v shows that landscape; z "
            "(standardised inputs) makes the bowl round; o tries momentum and Adam."
        ),
    ),
)


def keys_table() -> Table:
    """Every key once, with what it does; wrapped lines stay in their column."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen: set[str] = set()
    for key in KEYS:
        if key.display in seen:
            continue
        seen.add(key.display)
        text = key.help
        if key.display == "space":
            text = "Pause or run; when done, continue past the target."
        table.add_row(Text(key.display), text)
    table.add_row(Text("ctrl+p"), "Every command, and the colour theme, by name.")
    return table


def guide() -> Table:
    """The paragraphs on how to read the screen, each under its heading."""
    table = Table.grid()
    table.add_column()
    for heading, paragraph in GUIDE:
        table.add_row(Text(heading, style="bold"))
        table.add_row(Text(paragraph))
        table.add_row("")
    return table


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
    HelpScreen Static {
        margin-bottom: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = "c2f-tui help"
        scroll.border_subtitle = "esc to close · arrows scroll"
        with scroll:
            yield Static(keys_table(), id="help-keys")
            yield Static(guide(), id="help-text")
