"""The keys that move through the run's timeline: ``b`` (back), ``g`` (go to) and ``f``'s jump.

Each performs one driver command (``Driver.seek`` underneath, the one way any
driver moves through a timeline), then tells the user what changed besides the
iteration: settings restored from the timeline, a divergence on the way, or
the tolerance reached. Then it redraws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import OPTIMIZERS
from tui.commands import tell
from tui.driver import MAX_SEEK, Mode, RunState
from tui.format import count, number, rate
from tui.i18n import _
from tui.outlook import BIAS_TOLERANCE, WEIGHT_TOLERANCE

if TYPE_CHECKING:
    from tui.app import TrainerApp


def back(app: TrainerApp) -> None:
    """One iteration back; one phase back while stepping with the explanation open."""
    driver = app.driver
    before = driver.mode
    shown = driver.back(phase=app.display_choice.explaining)
    if shown is None:
        tell(app, _("This is the start: nothing to go back to."), title=_("Back"), timeout=3)
    else:
        say_restored(app, before)
    app.refresh_view(charts=True)


def ask_iteration(app: TrainerApp) -> None:
    """Open the dialog for ``g``; go where it says."""
    from tui.screens.seek_dialog import SeekDialog

    driver = app.driver
    furthest = driver.furthest_seek()
    dialog = SeekDialog(driver.trainer.iteration, furthest, limited=furthest < MAX_SEEK)
    app.push_screen(dialog, lambda iteration: go_to(app, iteration))


def go_to(app: TrainerApp, iteration: int | None) -> None:
    """Go to ``iteration`` (None: the dialog was cancelled) and say what changed."""
    if iteration is None:
        return
    driver = app.driver
    before = driver.mode
    reached = driver.seek(iteration)
    if reached < iteration and driver.state is RunState.DIVERGED:
        tell(
            app,
            _("Training diverged at iteration {diverged} on the way to {iteration}.").format(
                diverged=count(driver.trainer.diverged_at or reached), iteration=count(iteration)
            ),
            title=_("Go to"),
            severity="warning",
        )
    else:
        say_restored(app, before)
    app.refresh_view(charts=True)


def fast_forward(app: TrainerApp) -> None:
    """``f``: race to the target; past it, jump to where the tolerance is met, and say so."""
    driver = app.driver
    if driver.state is RunState.DIVERGED:
        from tui.commands import unless_diverged

        unless_diverged(app, driver.fast_forward)  # says what to do instead
        return
    before = driver.trainer.iteration
    goal = driver.fast_forward()
    if goal is not None and not driver.fast_forwarding and goal != before:
        surface = driver.trainer.surface
        tell(
            app,
            _(
                "Iteration {iteration}: from here on |w − {weight}| < {weight_tolerance} and "
                "|b − {bias}| < {bias_tolerance}, at this rate."
            ).format(
                iteration=count(goal),
                weight=number(surface.optimum_weight, 6),
                weight_tolerance=number(WEIGHT_TOLERANCE, 3),
                bias=number(surface.optimum_bias, 6),
                bias_tolerance=number(BIAS_TOLERANCE, 3),
            ),
            title=_("Jumped to the target tolerance"),
        )
    app.refresh_view(charts=True)


def say_restored(app: TrainerApp, before: Mode) -> None:
    """If moving changed the settings (the timeline had others there), say which are in force."""
    driver = app.driver
    mode = driver.mode
    if mode == before:
        return
    optimizer = OPTIMIZERS.get(mode.optimizer)
    inputs = _("standardised celsius") if mode.standardized else _("raw celsius")
    message = _(
        "At iteration {iteration} training used {optimizer}, lr {rate}, {inputs}: "
        "those settings are back in force."
    ).format(
        iteration=count(driver.trainer.iteration),
        optimizer=_(optimizer.title) if optimizer is not None else mode.optimizer,
        rate=rate(mode.learning_rate),
        inputs=inputs,
    )
    if driver.trainer.segments[-1] != driver.trainer.segment:
        message += " " + _(
            "The later changes stay on the timeline for g until you train on from here."
        )
    tell(app, message, title=_("Settings restored"))
