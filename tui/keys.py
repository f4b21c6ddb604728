"""Every key of the app in one table: the bindings, the help screen and the command palette."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One command: its keys, its action, and how it is described."""

    keys: str
    """Textual key names, comma-separated."""
    action: str
    """The app action it runs."""
    label: str
    """Short label for the Footer and the command palette."""
    help: str
    """One sentence for the help screen and the palette."""
    display: str
    """How the key is written on the help screen."""
    footer: bool = True
    """Whether the Footer shows it (the help screen and palette always do)."""


KEYS: tuple[Key, ...] = (
    Key("space", "pause", "Pause", "Pause training (stepping keys still work).", "space"),
    Key("space", "resume", "Run", "Run training; when done, continue past the target.", "space"),
    Key("s", "step_phase", "Step", "One phase: forward, backward or update (pauses).", "s"),
    Key("n", "step_iteration", "Iter", "Finish the current iteration, or one whole (pauses).", "n"),
    Key(
        "f",
        "fast_forward",
        "Fast",
        "Fast-forward to the target; past it, by another 10× the iterations done.",
        "f",
    ),
    Key("plus,equals_sign", "double_rate", "lr×2", "Double the learning rate (also =).", "+"),
    Key("minus", "halve_rate", "lr÷2", "Halve the learning rate.", "-"),
    Key("l", "ask_rate", "Set lr", "Type an exact learning rate.", "l", footer=False),
    Key("r", "reset", "Reset", "Untrained neuron again, iteration 0 (same rate).", "r"),
    Key("x", "export", "Export", "Save the run so far as CSV (or to --export).", "x", footer=False),
    Key("greater_than_sign", "faster", "Faster", "Double the training pace.", ">", footer=False),
    Key("less_than_sign", "slower", "Slower", "Halve the training pace.", "<", footer=False),
    Key(
        "e",
        "toggle_explain",
        "Explain",
        "Show or hide the mathematics of each phase, with live numbers.",
        "e",
        footer=False,
    ),
    Key(
        "left_square_bracket",
        "previous_sample",
        "Sample−",
        "Explain the previous (colder) sample.",
        "[",
        footer=False,
    ),
    Key(
        "right_square_bracket",
        "next_sample",
        "Sample+",
        "Explain the next (warmer) sample.",
        "]",
        footer=False,
    ),
    Key(
        "z",
        "toggle_standardize",
        "Scale",
        "Train on standardised celsius (a round bowl), or on the raw values.",
        "z",
        footer=False,
    ),
    Key(
        "o",
        "next_optimizer",
        "Optimizer",
        "Next update rule: gradient descent, momentum, Adam.",
        "o",
        footer=False,
    ),
    Key(
        "v",
        "toggle_landscape",
        "Landscape",
        "Switch the chart between the fit and the loss landscape.",
        "v",
        footer=False,
    ),
    Key("question_mark", "help", "Help", "Show every key and what the screen shows.", "?"),
    Key("q", "quit", "Quit", "Quit c2f-tui.", "q"),
)


def bindings() -> list[Binding]:
    """Textual bindings for ``KEYS``."""
    return [
        Binding(key.keys, key.action, key.label, show=key.footer, key_display=key.display)
        for key in KEYS
    ]
