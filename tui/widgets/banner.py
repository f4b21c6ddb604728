"""A banner across the chart that says what went wrong and what to do about it."""

from __future__ import annotations

import math

from textual.widgets import Static

from tui.format import count, rate


class DivergenceBanner(Static):
    """Shown only while training has diverged: why, and the keys that recover."""

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

    def show(
        self,
        diverged_at: int | None,
        *,
        diverged_rate: float,
        learning_rate: float,
        max_stable: float,
    ) -> None:
        """Explain the divergence, or hide the banner when there is none.

        The advice follows the rate: how many presses of ``-`` still bring it
        below the limit, then ``r`` once it is there.
        """
        self.set_class(diverged_at is not None, "-visible")
        if diverged_at is None:
            return
        cause = (
            f"[b]Training diverged at iteration {count(diverged_at)}[/b]: learning rate "
            f"{rate(diverged_rate)} is above the stable limit {rate(max_stable)}, so each "
            "step overshoots the valley further."
        )
        if learning_rate < max_stable:
            advice = f"Now {rate(learning_rate)} is stable: press [b]r[/b] to start again."
        else:
            presses = max(1, math.ceil(math.log2(learning_rate / max_stable) + 1e-12))
            times = "once" if presses == 1 else f"{presses} times"
            advice = f"Press [b]-[/b] {times} to halve it below the limit, then [b]r[/b]."
        self.update(f"{cause} {advice}")
