"""The one-line status: state, iteration, learning rate and its limit, speed, pace, seed."""

from __future__ import annotations

import math

from textual.content import Content
from textual.widgets import Static

from tui.driver import RunState
from tui.format import count, per_second, rate
from tui.i18n import N_, _
from tui.view import View
from tui.widgets.panel import ViewPanel, phase_name

STATE_LABELS = {
    RunState.RUNNING: ("$success", "▶", N_("RUNNING")),
    RunState.PAUSED: ("$warning", "‖", N_("PAUSED")),
    RunState.DONE: ("$accent", "✓", N_("DONE")),
    RunState.DIVERGED: ("$text-error", "✗", N_("DIVERGED")),
}
"""Colour, sign and word of each state (colours chosen for contrast on ``$panel``)."""
WARNING_STYLE = "b $text-error"
"""A learning rate at or above its stable limit (≥ 4.5:1 against the status background)."""


class StatusBar(ViewPanel, Static):
    """Everything about the run's progress, in one line, shortened to fit its width.

    The iteration is ``View.trainer.iteration``: the one in progress while paused
    mid-iteration, the same number the explanation's title shows.
    """

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

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def show(self, view: View) -> None:
        """Write the status, dropping detail (least needed first) until it fits.

        In turn: the word "stable", the pace's name (its factor stays), the seed.
        The pace is shown whenever it is not the default.
        """
        width = max(self.size.width, 20) if self.size.width else 78  # inside the padding
        for long_limit, long_pace, with_seed in (
            (True, True, True),
            (False, True, True),
            (False, False, True),
            (False, False, False),
        ):
            parts = [
                self._state(view),
                self._progress(view),
                self._rate(view, long_limit),
                self._speed(view, long_pace),
                f"[dim]{_('seed')}[/dim] {view.trainer.seed}" if with_seed else "",
            ]
            text = "  ".join(part for part in parts if part)
            if Content.from_markup(text).cell_length <= width:
                break
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line of fixed height: no relayout

    @staticmethod
    def _state(view: View) -> str:
        trainer = view.trainer
        colour, sign, word = STATE_LABELS[view.state]
        label = f"{sign} {_(word)}"
        if view.goal is not None:
            label = "▶▶ " + _("FAST")  # not the pace but the goal drives it
        elif view.state is RunState.DIVERGED and trainer.diverged_at is not None:
            label = _("✗ DIVERGED at {iteration}").format(iteration=count(trainer.diverged_at))
        elif view.state is RunState.PAUSED and trainer.next_phase != "forward":
            after = "forward" if trainer.next_phase == "backward" else "backward"
            label = _("‖ PAUSED after {phase}").format(phase=phase_name(after))
        return f"[b {colour}]{label}[/]"

    @staticmethod
    def _progress(view: View) -> str:
        iteration = view.trainer.iteration
        target = view.goal if view.goal is not None else view.target
        if view.past_target and iteration >= view.target and view.goal is None:
            return _("iter [b]{iteration}[/b] (past {target})").format(
                iteration=count(iteration), target=count(view.target)
            )
        return _("iter [b]{iteration}[/b]/{target}").format(
            iteration=count(iteration), target=count(target)
        )

    @staticmethod
    def _rate(view: View, long: bool) -> str:
        trainer = view.trainer
        learning_rate = trainer.mode.learning_rate
        style = WARNING_STYLE if trainer.above_limit else "b"
        limit = trainer.stable_limit
        if math.isfinite(limit):
            words = _("stable < {limit}") if long else "< {limit}"
            bound = "(" + words.format(limit=rate(limit)) + ")"
        else:
            bound = _("(no stable limit)") if long else ""
        text = f"lr [{style}]{rate(learning_rate)}[/]"
        return f"{text} [dim]{bound}[/dim]" if bound else text

    @staticmethod
    def _speed(view: View, long: bool) -> str:
        parts = []
        if view.state is RunState.RUNNING:
            parts.append(_("{speed} it/s").format(speed=per_second(view.speed)))
        if not view.pace.is_default and view.goal is None:
            pace = view.pace.describe(short=not long)
            parts.append(f"[dim]{_('pace')} {pace}[/dim]" if long else f"[dim]{pace}[/dim]")
        return " ".join(parts)
