"""What the learner has done in the chapter on screen, watched frame by frame.

The app hands every frame's ``View`` to ``Progress.observe``; it keeps what a
single frame cannot say (how many phases were stepped one at a time, that the
run diverged a while ago, which races were seen) and ticks the chapter's steps
in order. A step once done stays done. The result is a frozen ``LessonState``
that goes into the frame, for the lesson pane to show.
"""

from __future__ import annotations

from dataclasses import replace

from tui.lesson.stages import STAGES, Stage
from tui.lesson.state import LessonState, Seen
from tui.model.driver import PHASES
from tui.model.view import View


def _tried(view: View) -> tuple[float, float, float] | None:
    """(weight, loss, grad_weight) where the hand put the neuron, once hands mode shows the
    gradient there (its forward and backward done at those parameters); else None."""
    trainer = view.trainer
    if view.hands is None or trainer.next_phase != "update" or trainer.weight.gradient is None:
        return None
    return trainer.weight.value, trainer.loss, trainer.weight.gradient


class Progress:
    """The steps done in one chapter, from the frames seen since it began."""

    def __init__(self, chapter: int) -> None:
        self.chapter = chapter
        self.stage: Stage = STAGES[chapter - 1]
        self._done = [False] * len(self.stage.steps)
        self._seen: Seen | None = None
        self._last_phase: int | None = None

    def observe(self, view: View) -> LessonState:
        """Note what ``view`` shows and return the chapter's state in it."""
        seen = (
            self._seen
            if self._seen is not None
            else Seen(view.display.sample, view.trainer.mode.learning_rate)
        )
        event = view.trainer.phases.last
        position = None if event is None else 3 * event.iteration + PHASES.index(event.phase)
        if (
            position is not None
            and self._last_phase is not None
            and position == self._last_phase + 1
        ):
            seen = replace(seen, steps=seen.steps + 1)
        self._last_phase = position
        if view.trainer.diverged_at is not None and seen.diverged_at is None:
            seen = replace(seen, diverged_at=view.trainer.diverged_at)
        tried = _tried(view)
        if tried is not None and tried[0] not in (weight for weight, *_rest in seen.tried):
            seen = replace(seen, tried=(*seen.tried, tried))
        if view.race is not None and view.race.mode.optimizer not in seen.races:
            seen = replace(seen, races=seen.races | {view.race.mode.optimizer})
        self._seen = seen
        for index, check in enumerate(self.stage.steps):
            if not self._done[index] and all(self._done[:index]) and check(view, seen):
                self._done[index] = True
        hint = self.stage.hint is not None and not all(self._done) and self.stage.hint(view, seen)
        return LessonState(
            self.chapter, self.stage.slug, tuple(self._done), hint, seen, len(STAGES)
        )
