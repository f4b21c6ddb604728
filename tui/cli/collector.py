"""Python's garbage collector paused while c2f-tui starts (issue 20 goal 4).

Start-up allocates some hundreds of thousands of objects that live as long as the process
(modules, classes, functions: Textual's, numpy's, ours; then the screen's widgets, their
styles and the first frame's strips). The cyclic collector runs every 700 allocations and,
every so often, through all of them: it was ~50–80 ms of the ~330 ms of CPU that importing
``tui.app`` took, and ~40 collections (~4 ms) more between the app's start and its first
frame, finding next to nothing to collect (~100 objects). While paused it does not run;
when resumed, what exists is frozen (``gc.freeze``: moved where the collector never looks
again, so later collections, during training too, do not walk it) and collection resumes.
The price: a reference cycle that became garbage during start-up is never freed (a one-off
few kilobytes).

Resumed, the collector also waits longer between young collections (``YOUNG_COLLECTION``
allocations instead of Python's 700). A training frame leaves ~800-1,000 container objects
behind it for a frame or two (the rows the screen keeps, with their caches), so at 700 the
collector ran once or twice a frame, each time walking the rows of the frame before, alive
still, and every ten runs a larger collection of 1.3-1.8 ms landed on some frame: the
slowest frames' share (issue 20 goal 1; docs/speed.md, "The slowest frames"). Waiting
longer, most of those rows have been freed by their reference counts before the collector
looks: it runs every ~15-20 frames, walks about what it walked before, once. Cyclic garbage
waits that much longer to be freed (at most that many objects, some hundreds of kilobytes).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_COLLECTION = 20_000
"""Allocations (less frees) of container objects between the collector's young runs, once
resumed (Python's default: 700)."""


class Pause:
    """The collector paused from its creation until ``resume`` (called once or more: the
    first call resumes it, later calls do nothing)."""

    def __init__(self) -> None:
        self._was_running = gc.isenabled()
        self._paused = True
        gc.disable()

    def resume(self) -> None:
        """Freeze everything alive and let the collector run again (if it was running
        before the pause), its young runs further apart (``YOUNG_COLLECTION``)."""
        if not self._paused:
            return
        self._paused = False
        gc.freeze()
        young, *older = gc.get_threshold()
        gc.set_threshold(max(young, YOUNG_COLLECTION), *older)
        if self._was_running:
            gc.enable()


@contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic collection within the block; then everything alive is frozen and the
    collector runs again (if it was running before)."""
    pause = Pause()
    try:
        yield
    finally:
        pause.resume()
