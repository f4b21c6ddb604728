"""Python's garbage collector paused while c2f-tui starts (issue 20 goal 4).

Start-up allocates some hundreds of thousands of objects that live as long as the process
(modules, classes, functions: Textual's, numpy's, ours). The cyclic collector runs every
700 allocations and, every so often, through all of them: it was ~50–80 ms of the ~330 ms
of CPU that importing ``tui.app`` took, finding next to nothing to collect. Within
``uncollected`` it does not run; after it, what exists is frozen (``gc.freeze``: moved where
the collector never looks again, so later collections, during training too, do not walk
it) and collection resumes. The price: a reference cycle that became garbage during the
imports is never freed (a one-off few kilobytes).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic collection within the block; then everything alive is frozen and the
    collector runs again (if it was running before)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if running:
            gc.enable()
