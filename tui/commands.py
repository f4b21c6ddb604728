"""The keys that change the set-up or save the run: the driver command, and what it says.

Each function takes the app, performs one driver command and tells the user,
in one notification, what changed (or why nothing did), then redraws.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from core import OPTIMIZERS, GradientDescent
from tui.driver import RunState
from tui.format import count, per_second, rate, rates_apart
from tui.i18n import _
from tui.pace import MAX_FACTOR, MIN_FACTOR

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tui.app import TrainerApp

LARGEST_DOUBLING = 1e3
"""``+`` doubles the learning rate up to this: above 1.9 every rate diverges here except
with Adam, and a cap keeps every number derived from the rate finite. ``l`` can still
type any finite rate."""


def tell(
    app: TrainerApp,
    message: str,
    *,
    title: str = "",
    severity: SeverityLevel = "information",
    timeout: float = 5,
) -> None:
    """Say it in a notification; it replaces any still on screen (``TrainerApp.notify``),
    so a repeated key cannot stack notifications over the panels."""
    app.notify(message, title=title, severity=severity, timeout=timeout)


def unless_diverged(app: TrainerApp, command: Callable[[], object]) -> None:
    """Run a training command, or say what to do instead if training has diverged."""
    if app.driver.state is RunState.DIVERGED:
        tell(
            app,
            _(
                "Training has diverged: lower the learning rate with - (the banner says how "
                "often), then press r to start again."
            ),
            title=_("Nothing to run"),
            severity="warning",
            timeout=4,
        )
        return
    command()
    app.refresh_view(charts=True)


def double_rate(app: TrainerApp) -> None:
    """Double the learning rate, up to ``LARGEST_DOUBLING``."""
    current = app.driver.trainer.learning_rate
    if current * 2 > LARGEST_DOUBLING:
        tell(
            app,
            _("+ goes no higher than {largest}; type a larger rate with l.").format(
                largest=rate(LARGEST_DOUBLING)
            ),
            title=_("Learning rate unchanged"),
            severity="warning",
        )
        return
    change_rate(app, current * 2)


def change_rate(app: TrainerApp, value: float | None) -> None:
    """Apply a learning rate (None: the dialog was cancelled); refuse what core refuses."""
    if value is None:
        return
    try:
        app.driver.set_learning_rate(value)
    except ValueError as error:
        tell(app, str(error), title=_("Learning rate unchanged"), severity="error")
        return
    warn_if_unstable(app)
    app.refresh_view(charts=False)


def warn_if_unstable(app: TrainerApp) -> None:
    """A learning rate, optimizer or scaling change that sets up divergence says so."""
    trainer = app.driver.trainer
    limit = trainer.max_stable_learning_rate
    shown, bound = rates_apart(trainer.learning_rate, limit)
    if trainer.learning_rate >= limit:
        tell(
            app,
            _("{rate} is above the stable limit {limit}: expect divergence.").format(
                rate=shown, limit=bound
            ),
            title=_("Learning rate"),
            severity="warning",
        )


def change_pace(app: TrainerApp, *, faster: bool) -> None:
    """Double or halve the pace, within 1/64× and 64×, and say how fast that is."""
    pace = app.driver.pace
    moved = pace.faster() if faster else pace.slower()
    if moved:
        speed = pace.rate(app.driver.trainer.iteration)
        message = _("{pace}: about {speed} iterations per second now.").format(
            pace=pace.describe(), speed=per_second(speed)
        )
    elif faster:
        message = _("Already the fastest pace ({factor:g}×); f fast-forwards.").format(
            factor=MAX_FACTOR
        )
    else:
        message = _("Already the slowest pace (1/{factor:g}×).").format(factor=1 / MIN_FACTOR)
    tell(app, message, title=_("Pace"), timeout=3)
    app.refresh_view(charts=False)


def toggle_standardize(app: TrainerApp) -> None:
    """Standardised inputs or raw ones: the new bowl's κ and stable rate."""
    on = app.driver.toggle_standardize()
    trainer = app.driver.trainer
    message = _("Condition number {kappa}").format(
        kappa=f"{trainer.training_surface.condition_number:.4g}"
    )
    if math.isfinite(trainer.max_stable_learning_rate):
        message += _("; stable below lr {limit}").format(
            limit=rate(trainer.max_stable_learning_rate)
        )
    optimizer = OPTIMIZERS.get(trainer.optimizer)
    if on and optimizer is not None and issubclass(optimizer, GradientDescent):
        message += _(". With lr 0.5, one step lands on the optimum")
    tell(app, message + ".", title=_("Standardised celsius") if on else _("Raw celsius"))
    warn_if_unstable(app)
    app.refresh_view(charts=True)


def next_optimizer(app: TrainerApp) -> None:
    """The next optimizer in ``core.OPTIMIZERS``, described by itself, and its rate: its own
    default unless the rate was set by hand."""
    optimizer = OPTIMIZERS[app.driver.next_optimizer()]
    learning_rate = rate(app.driver.trainer.learning_rate)
    if app.driver.rate_by_hand:
        note = _("lr stays {rate}, the rate you set.").format(rate=learning_rate)
    else:
        note = _("lr {rate}, its default (you have not set the rate by hand).").format(
            rate=learning_rate
        )
    tell(
        app,
        f"{_(optimizer.summary)} {note}",
        title=_("Optimizer: {title}").format(title=_(optimizer.title)),
    )
    warn_if_unstable(app)
    app.refresh_view(charts=False)


def export(app: TrainerApp) -> None:
    """Save the run so far (to ``--export`` if given) and say where it went."""
    from core import ExportError, export_run
    from core.export import export_new_run
    from core.printable import printable

    trainer = app.driver.trainer
    try:
        if app.settings.export is not None:
            written = export_run(app.settings.export, trainer)
        else:  # a new c2f-run-*.csv, claimed so that no other export is ever replaced
            written = export_new_run(trainer)
    except ExportError as error:
        tell(app, str(error), title=_("Export failed"), severity="error")
        return
    tell(
        app,
        _("{rows} rows, iterations 0 to {last}, written to {path}").format(
            rows=count(len(trainer.history)),
            last=count(trainer.iteration),
            path=printable(os.path.abspath(written)),
        ),
        title=_("Exported"),
    )


def toggle_landscape(app: TrainerApp) -> None:
    """Swap the fit chart for the loss landscape (built on first use) and back."""
    from tui.widgets.landscape_chart import LandscapeChart

    showing = not app.display_choice.landscape
    if showing and not app.query(LandscapeChart):
        trainer = app.driver.trainer
        landscape = LandscapeChart(
            trainer.surface,
            (trainer.initial_weight, trainer.initial_bias),
            ascii_markers=app.settings.ascii,
            id="landscape",
        )
        app.query_one("#chart-column").mount(landscape.data_bind(type(app).view))
    app.query_one("#fit-chart").display = not showing
    for landscape in app.query(LandscapeChart):
        landscape.display = showing
    app.choose(replace(app.display_choice, landscape=showing))
