"""A race: a second trainer from the same start, kept at the first one's iteration and phase.

The app drives one trainer (the leader) with its keys and its pace; the racer
follows it. After every command and every frame, ``sync`` brings the racer to
the leader's iteration and phase: forward by training, back by seeking. So
whatever moves the leader (space, ``s``, ``n``, ``f``, ``r``, a seek to an
earlier iteration) moves both, and no command needs to know about the race.
Nothing here imports Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tui.compare import RaceSpec
from tui.driver import Driver

SLICE = 0.01
"""Seconds of catching up per call (as ``tui.app.MAX_TRAINING_SLICE``): a racer without a
closed form (Adam, the published gradient) far behind catches up over several frames."""


class Race:
    """The racer's driver, and how to keep it level with the leader."""

    def __init__(
        self,
        leader: Driver,
        spec: RaceSpec,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.leader = leader
        """The driver the app's keys and pace move."""
        self.spec = spec
        """How the racer differs from the leader."""
        self.driver = Driver(
            spec.make_trainer(leader.trainer), target=leader.target, running=False, clock=clock
        )
        """The racer's own driver (never ticked: it follows)."""
        self._clock = clock

    def sync(self, budget: float = SLICE) -> bool:
        """Bring the racer to the leader's iteration and phase, spending at most ``budget``
        seconds; False if it is still behind (call again on the next frame)."""
        trainer = self.leader.trainer
        deadline = self._clock() + budget
        return self.driver.follow(trainer.iteration, trainer.next_phase, deadline)
