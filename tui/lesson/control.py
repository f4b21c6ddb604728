"""Lesson mode in the app: open and close it, turn the chapters, set a chapter up.

Setting a chapter up goes through the same driver commands the keys use
(``Driver.set_up``, ``step_phase``, ``step_iteration``), so what a chapter shows
is what the learner could have reached by hand.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui import racing
from tui.commands import tell
from tui.i18n import _
from tui.lesson.progress import Progress
from tui.lesson.stages import ALL_LINES, STAGES, Setup

if TYPE_CHECKING:
    from tui.app import TrainerApp


def open_chapter(app: TrainerApp, chapter: int) -> None:
    """Show ``chapter`` (1-based, clamped to the chapters there are), set up as it needs."""
    chapter = min(max(chapter, 1), len(STAGES))
    stage = STAGES[chapter - 1]
    apply_setup(app, stage.setup)
    app.lesson = Progress(chapter)
    app.race_turn = -1 if stage.setup.race is None else 0
    if not app.settings.speed and app.settings.lecture is None:
        app.driver.pace.lecture = True  # lesson mode's pace, unless --pace said otherwise
    racing.start(app, stage.setup.race)


def turn(app: TrainerApp, step: int) -> None:
    """The next (``step`` 1) or previous (-1) chapter; at either end, say so."""
    if app.lesson is None:
        return
    chapter = app.lesson.chapter + step
    if not 1 <= chapter <= len(STAGES):
        last = chapter > len(STAGES)
        tell(
            app,
            _("That was the last chapter; ctrl+p, Lesson closes the lesson.")
            if last
            else _("This is the first chapter."),
            title=_("Lesson"),
            timeout=3,
        )
        return
    open_chapter(app, chapter)


def toggle(app: TrainerApp) -> None:
    """Open the lesson (at ``--lesson N``'s chapter, else the first) or close it."""
    if app.lesson is None:
        open_chapter(app, app.settings.lesson or 1)
        return
    app.lesson = None
    app.choose(replace(app.display_choice, lines=ALL_LINES, mark_sample=False))
    tell(app, _("Lesson closed: ctrl+p, Lesson opens it again."), title=_("Lesson"), timeout=3)


def apply_setup(app: TrainerApp, setup: Setup) -> None:
    """Put the trainer and the screen in ``setup``'s state (no redraw: the caller does)."""
    driver = app.driver
    driver.set_up(
        optimizer=setup.optimizer,
        learning_rate=setup.learning_rate,
        standardize=setup.standardize,
        gradient=setup.gradient,
    )
    trainer = driver.trainer
    if setup.rate_times_limit is not None:
        driver.set_learning_rate(setup.rate_times_limit * trainer.max_stable_learning_rate)
    if setup.iterations:
        trainer.run(setup.iterations - 1)
        driver.step_iteration()  # the last one through the events, as the keys would
    for _phase in range(setup.phases):
        driver.step_phase()
    display = app.display_choice.nearest(trainer.dataset, setup.celsius)
    app.display_choice = replace(
        display, explaining=setup.explaining, lines=setup.lines, mark_sample=setup.mark_sample
    )
    if setup.landscape != app.display_choice.landscape:
        from tui.commands import toggle_landscape

        toggle_landscape(app)
    if setup.running:
        driver.start_running()
