"""What the lesson pane shows of the learner's progress: records, without the chapters' logic.

Apart from ``tui.lesson.progress`` (which watches the frames) and ``tui.lesson.stages``
(which checks them) because the frame itself carries a ``LessonState``: the ``View``
names these types, and the modules that read the ``View`` must not be imported by it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seen:
    """What the chapter has seen so far (kept across frames by ``tui.lesson.progress``)."""

    start_sample: int
    """The sample explained when the chapter began."""
    start_rate: float
    """The learning rate when the chapter began."""
    steps: int = 0
    """Phases stepped one at a time (``s``) since the chapter began."""
    diverged_at: int | None = None
    """The iteration at which training diverged during the chapter, if it did."""
    races: frozenset[str] = frozenset()
    """The optimizers of every race seen during the chapter."""
    tried: tuple[tuple[float, float, float], ...] = ()
    """(weight, loss, grad_weight) at each weight set by hand (hands mode) in the chapter,
    in the order tried, each weight once."""


@dataclass(frozen=True)
class LessonState:
    """The chapter on screen and the learner's progress in it."""

    chapter: int
    """1-based, as ``--lesson N`` and the pane count."""
    slug: str
    """The chapter's id in the chapters file and in ``tui.lesson.stages``."""
    steps: tuple[bool, ...]
    """Each step of its "try this": done or not."""
    hint: bool
    """The learner is on a wrong track the chapter can name."""
    seen: Seen
    """What the chapter has seen so far."""
    chapters: int
    """How many chapters the lesson has (the pane counts "chapter 3 of 10")."""

    @property
    def done(self) -> bool:
        return all(self.steps)
