"""The one-line status: state, iteration, learning rate and its limit, speed, pace, seed, and
UNSTABLE (or NO PROGRESS) the moment the rate makes it so."""

from __future__ import annotations

import math

from textual.widget import Widget
from textual.widgets import Static

from tui.format import approximate, count, factor, per_second, rates_apart
from tui.i18n import N_, _
from tui.model.driver import RunState
from tui.model.view import TrainerView, View
from tui.widgets.forecast import shortfall
from tui.widgets.kept_rows import KeptRows, PlainRows
from tui.widgets.panel import OwnStrip, ViewPanel, parsed, phase_name
from tui.widgets.refresh_soon import RefreshSoon

STATE_LABELS = {
    RunState.RUNNING: ("$success", "▶", N_("RUNNING")),
    RunState.PAUSED: ("$warning", "‖", N_("PAUSED")),
    RunState.DONE: ("$accent", "✓", N_("DONE")),
    RunState.OSCILLATING: ("$text-warning", "∿", N_("OSCILLATING")),
    RunState.DIVERGED: ("$text-error", "✗", N_("DIVERGED")),
}
"""Colour, sign and word of each state (colours chosen for contrast on ``$panel``)."""
WARNING_STYLE = "b $text-error"
"""A learning rate at or above its stable limit (≥ 4.5:1 against the status background)."""


class StatusBar(ViewPanel, RefreshSoon, KeptRows, PlainRows, OwnStrip, Static):
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
        self.set_reactive(Widget.auto_links, False)  # no links: see ``TextLine``
        self._shown = ""

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def show(self, view: View) -> None:
        """Write the status, dropping detail (least needed first) until it fits.

        In turn: the seed, which parameters are short of converging (the strip
        below says it for each), the word "stable" (or "limit"), the pace's name (its
        factor stays), then the details of an outlook (UNSTABLE's growth factor and
        the iteration of divergence; the outlook strip below says them in full).
        The pace is shown whenever it is not the default.
        """
        width = max(self.size.width, 20) if self.size.width else 78  # inside the padding
        for short_of, long_limit, long_pace, with_seed, detail in (
            (True, True, True, True, 2),
            (True, True, True, False, 2),
            (False, True, True, False, 2),
            (False, False, True, False, 2),
            (False, False, False, False, 2),
            (False, False, False, False, 1),
            (False, False, False, False, 0),
        ):
            head = "  ".join(part for part in (self._state(view), self._progress(view)) if part)
            parts = [
                head + verdict(view, short_of=short_of),
                self._rate(view, long_limit),
                outlook(view.trainer, detail) if view.state is not RunState.OSCILLATING else "",
                self._speed(view, long_pace),
                "[dim]" + _("seed") + f"[/dim] {view.trainer.seed}" if with_seed else "",
            ]
            text = "  ".join(part for part in parts if part)
            if markup_cells(text) <= width:
                break
        if text != self._shown:
            self._shown = text
            self.update(parsed(text), layout=False)  # one line of fixed height: no relayout

    @staticmethod
    def _state(view: View) -> str:
        trainer = view.trainer
        colour, sign, word = STATE_LABELS[view.state]
        label = f"{sign} {_(word)}"
        if view.hands is not None:  # the mode, and the step each arrow moves by
            hands = view.hands
            label = _("✥ HANDS w ±{weight} b ±{bias}").format(
                weight=f"{hands.weight_step:g}", bias=f"{hands.bias_step:g}"
            )
            return f"[b $accent]{label}[/]"
        if view.goal is not None:
            label = "▶▶ " + _("FAST")  # not the pace but the goal drives it
        elif view.state is RunState.DIVERGED and trainer.diverged_at is not None:
            label = _("✗ DIVERGED at {iteration}").format(iteration=count(trainer.diverged_at))
        elif view.state is RunState.DONE:
            label = (
                sign
                + " "
                + _("{iterations} iterations done").format(iterations=count(trainer.completed))
            )
        elif view.state is RunState.PAUSED and trainer.next_phase != "forward":
            after = "forward" if trainer.next_phase == "backward" else "backward"
            label = _("‖ PAUSED after {phase}").format(phase=phase_name(after))
        return f"[b {colour}]{label}[/]"

    @staticmethod
    def _progress(view: View) -> str:
        """``iter 420/10,000``, or ``iter 12,000 (past 10,000)``; nothing when done (the
        state says how many iterations)."""
        if view.state is RunState.DONE and view.goal is None:
            return ""
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
        """``lr 1e-4 (stable < 1.2e-3)``; above the limit ``lr 1.2e-3 > limit 1.19976e-3``,
        with the digits that tell the two apart."""
        trainer = view.trainer
        learning_rate, limit = trainer.mode.learning_rate, trainer.stable_limit
        shown, bound = rates_apart(learning_rate, limit)
        if trainer.above_limit:
            relation = ">" if learning_rate > limit else "="
            words = _("{relation} limit {limit}") if long else "{relation} {limit}"
            above = words.format(relation=relation, limit=bound)
            return f"lr [{WARNING_STYLE}]{shown} {above}[/]"
        text = f"lr [b]{shown}[/b]"
        if not math.isfinite(limit):
            return f"{text} [dim]" + _("(no stable limit)") + "[/dim]" if long else text
        words = _("stable < {limit}") if long else "< {limit}"
        return f"{text} [dim]({words.format(limit=bound)})[/dim]"

    @staticmethod
    def _speed(view: View, long: bool) -> str:
        parts = []
        if view.state is RunState.RUNNING:
            parts.append(_("{speed} it/s").format(speed=per_second(view.speed)))
        if not view.pace.is_default and view.goal is None:
            pace = view.pace.describe(short=not long)
            parts.append("[dim]" + _("pace") + f" {pace}[/dim]" if long else f"[dim]{pace}[/dim]")
        return " ".join(parts)


def verdict(view: View, *, short_of: bool) -> str:
    """`` — not yet converged: bias 4.23 °F short`` (``short_of`` names the parameters,
    as the strip below does) or `` — converged``, for a run stopped at or past its target:
    done, or paused there between iterations. Converged is both parameters within their
    tolerances for good (``TrainerView.unconverged``). Empty otherwise."""
    trainer = view.trainer
    stopped_there = view.state is RunState.DONE or (
        view.state is RunState.PAUSED
        and trainer.next_phase == "forward"
        and trainer.completed >= view.target
    )
    if view.goal is not None or not stopped_there:
        return ""
    unconverged = trainer.unconverged
    if not unconverged:
        return " — [b $success]" + _("converged") + "[/]"
    if not short_of:
        return " — " + _("not yet converged")
    return " — " + _("not yet converged: {parameters}").format(
        parameters=_(", ").join(shortfall(parameter) for parameter in unconverged)
    )


def markup_cells(markup: str) -> int:
    """The cells a status takes (``parsed``: kept, so the status shown is not parsed again,
    nor one measured again as it was, paused or under a dialog)."""
    return parsed(markup).cell_length


def outlook(trainer: TrainerView, detail: int) -> str:
    """UNSTABLE or NO PROGRESS, as soon as the settings make it so (before any iteration);
    OSCILLATING once a run is seen going round the optimum.

    ``detail`` 2 adds the growth factor per iteration and the iteration at which
    divergence will be declared, 1 the factor alone, 0 the word alone.
    """
    forecast = trainer.outlook
    if trainer.diverged_at is not None:
        return ""
    if forecast.unstable and forecast.spectral_radius is not None:
        growth = factor(forecast.spectral_radius)
        if detail >= 2 and forecast.diverges_at is not None:
            text = _("UNSTABLE ×{factor}/iter, diverges at {iteration}").format(
                factor=growth, iteration=approximate(forecast.diverges_at, forecast.digits)
            )
        elif detail >= 1:
            text = _("UNSTABLE ×{factor}/iter").format(factor=growth)
        else:
            text = _("UNSTABLE")
        return f"[{WARNING_STYLE}]{text}[/]"
    if forecast.stalled:
        text = _("NO PROGRESS") if detail < 2 else _("NO PROGRESS: ×1/iter")
        return f"[b $text-warning]{text}[/]"
    if forecast.oscillating:
        return "[b $text-warning]" + _("OSCILLATING") + "[/]"
    return ""
