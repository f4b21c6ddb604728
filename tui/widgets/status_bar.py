"""The one-line status: iteration, state, learning rate and its limit, speed, seed."""

from __future__ import annotations

from textual.widgets import Static

from tui.driver import RunState
from tui.format import count, per_second, rate

STATE_LABELS = {
    RunState.RUNNING: "[b $success]▶ RUNNING[/]",
    RunState.PAUSED: "[b $warning]‖ PAUSED[/]",
    RunState.DONE: "[b $accent]✓ DONE[/]",
    RunState.DIVERGED: "[b $error]✗ DIVERGED[/]",
}
FAST_LABEL = "[b $success]▶▶ FAST[/]"
"""Running, carried by ``f`` to its goal rather than at the pace."""


class StatusBar(Static):
    """Everything about the run's progress, in one line."""

    DEFAULT_CSS = """
    StatusBar {
        dock: top;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="status")
        self._shown = ""

    def show(
        self,
        *,
        iteration: int,
        target: int,
        state: RunState,
        learning_rate: float,
        max_stable: float,
        speed: float,
        pace: str,
        seed: int,
        diverged_at: int | None,
        fast_forwarding: bool = False,
    ) -> None:
        """Display the status; repaints only if the text changed."""
        label = STATE_LABELS[state]
        if fast_forwarding:
            label, pace = FAST_LABEL, ""  # not the pace but the goal drives it
        if state is RunState.DIVERGED and diverged_at is not None:
            label = f"[b $error]✗ DIVERGED at {count(diverged_at)}[/]"
        unstable = learning_rate >= max_stable
        lr_style = "b $error" if unstable else "b"
        moving = state is RunState.RUNNING
        text = (
            f"{label}  iter [b]{count(iteration)}[/b]/{count(target)}  "
            f"lr [{lr_style}]{rate(learning_rate)}[/] [dim](stable < {rate(max_stable)})[/dim]  "
            f"{per_second(speed) if moving else 0} it/s{f' [dim]{pace}[/dim]' if pace else ''}  "
            f"[dim]seed[/dim] {seed}"
        )
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line of fixed height: no relayout
