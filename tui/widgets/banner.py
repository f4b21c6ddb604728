"""A banner across the chart that says what went wrong and what to do about it."""

from __future__ import annotations

from textual.widgets import Static

from tui.format import count, rate


class DivergenceBanner(Static):
    """Shown only while training has diverged."""

    DEFAULT_CSS = """
    DivergenceBanner {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error 25%;
        color: $text;
        border-left: thick $error;
    }
    DivergenceBanner.-visible {
        display: block;
    }
    """

    def show(self, diverged_at: int | None, learning_rate: float, max_stable: float) -> None:
        """Explain the divergence, or hide the banner when there is none."""
        self.set_class(diverged_at is not None, "-visible")
        if diverged_at is None:
            return
        self.update(
            f"[b]Training diverged at iteration {count(diverged_at)}.[/b] "
            f"Learning rate {rate(learning_rate)} is above the stable limit "
            f"{rate(max_stable)}: each step overshoots the valley further. "
            "Press [b]-[/b] to lower it, then [b]r[/b] to reset."
        )
