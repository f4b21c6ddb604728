"""The race keys: ``c`` starts, changes or ends a race, and says what races what.

A race is ``tui.race.Race``, held by the app as ``app.race``; the app keeps it
level with its own trainer on every frame. What ``c`` races, press by press:
the chapter's races in lesson mode (if it has any), else ``--compare``'s, else
each other optimizer at its default rate and then the other gradient rule
(``tui.compare.partners``); after the last, no race.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import OPTIMIZERS
from tui.commands import tell
from tui.compare import RaceSpec, partners
from tui.format import rate
from tui.i18n import _
from tui.race import Race

if TYPE_CHECKING:
    from tui.app import TrainerApp
    from tui.lesson.stages import Setup


def plan(app: TrainerApp) -> tuple[tuple[Setup | None, RaceSpec], ...]:
    """What ``c`` races, press by press (with the set-up to start from, if any)."""
    if app.lesson is not None and app.lesson.stage.races:
        return app.lesson.stage.races
    if app.settings.compare is not None:
        return ((None, app.settings.compare),)
    return tuple((None, spec) for spec in partners(app.driver.trainer))


def next_race(app: TrainerApp) -> None:
    """The next race of the plan, or none after the last; say which."""
    races = plan(app)
    turn = app.race_turn + 1
    if turn >= len(races):
        start(app, None)
        tell(app, _("One trainer again; c races another."), title=_("Race over"), timeout=3)
        return
    setup, spec = races[turn]
    if setup is not None:
        from tui.lesson.control import apply_setup

        apply_setup(app, setup)
    start(app, spec)
    app.race_turn = turn
    racer = app.race.driver.trainer if app.race is not None else None
    if racer is None:
        return
    optimizer = OPTIMIZERS[racer.optimizer]
    rule = _(" with the published gradient") if racer.gradient_rule == "published" else ""
    inputs = _(" on standardised celsius") if racer.standardize else ""
    tell(
        app,
        _("{title} at lr {rate}{rule}{inputs}, from the same start: the x line.").format(
            title=_(optimizer.title), rate=rate(racer.learning_rate), rule=rule, inputs=inputs
        ),
        title=_("Race"),
    )


def start(app: TrainerApp, spec: RaceSpec | None) -> None:
    """Race ``spec`` from the app's start (None: end the race) and redraw."""
    app.race = None if spec is None else Race(app.driver, spec)
    if spec is None:
        app.race_turn = -1
    app.refresh_view(charts=True)
