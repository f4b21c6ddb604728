"""The one-line status: iteration, state, learning rate and its limit, speed, seed."""

from __future__ import annotations

import math

from textual.content import Content
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
        self._fields: dict[str, object] = {}

    def on_resize(self) -> None:
        if self._fields:
            self.show(**self._fields)  # type: ignore[arg-type]

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
        past_target: bool = False,
        after_phase: str | None = None,
    ) -> None:
        """Display the status, shortened to fit its width; repaints only if the text changed.

        Fields give way, least needed first, when the line is too narrow: the
        pace's name, the word "stable", then the seed.
        """
        self._fields = {
            "iteration": iteration,
            "target": target,
            "state": state,
            "learning_rate": learning_rate,
            "max_stable": max_stable,
            "speed": speed,
            "pace": pace,
            "seed": seed,
            "diverged_at": diverged_at,
            "fast_forwarding": fast_forwarding,
            "past_target": past_target,
            "after_phase": after_phase,
        }
        label = STATE_LABELS[state]
        if fast_forwarding:
            label, pace = FAST_LABEL, "auto"  # not the pace but the goal drives it
        if state is RunState.DIVERGED and diverged_at is not None:
            label = f"[b $error]✗ DIVERGED at {count(diverged_at)}[/]"
        if state is RunState.PAUSED and after_phase is not None:
            label = f"[b $warning]‖ PAUSED after {after_phase}[/]"
        if past_target and iteration >= target:
            progress = f"iter [b]{count(iteration)}[/b] (past {count(target)})"
        else:
            progress = f"iter [b]{count(iteration)}[/b]/{count(target)}"
        lr_style = "b $error" if learning_rate >= max_stable else "b"
        speed_text = f"{per_second(speed)} it/s" if state is RunState.RUNNING else ""
        pace_text = "" if pace == "auto" else f" [dim]pace {pace}[/dim]"
        if math.isfinite(max_stable):
            limits = (f"(stable < {rate(max_stable)})", f"(< {rate(max_stable)})")
        else:
            limits = ("(no stable limit)", "")
        candidates = [
            ((speed_text + pace_text).strip(), limits[0], True),
            (speed_text, limits[0], True),
            (speed_text, limits[1], True),
            (speed_text, limits[1], False),
        ]
        for speed_part, stable_part, with_seed in candidates:
            parts = [
                label,
                progress,
                f"lr [{lr_style}]{rate(learning_rate)}[/] [dim]{stable_part}[/dim]",
                speed_part,
                f"[dim]seed[/dim] {seed}" if with_seed else "",
            ]
            text = "  ".join(part for part in parts if part)
            if Content.from_markup(text).cell_length <= max(self.size.width - 2, 20):
                break
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line of fixed height: no relayout
