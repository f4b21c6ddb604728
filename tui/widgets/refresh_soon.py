"""A refreshed line's news taken to its screen without waking the line's own task.

Textual's ``Widget.refresh`` marks the widget and calls ``check_idle``, which posts a
``Prompt`` to the widget's own queue: on the next turn of the event loop the widget's task
wakes, takes the Prompt, makes an ``Idle`` event, looks up its handlers along the widget's
classes and runs ``_check_refresh``, which posts ``Update`` to the screen. While training,
the status line, the loss readout and the two parameter panels' lines each went through
that every frame (issue 20: ~4 task wakes a frame, each ~20–40 µs). ``RefreshSoon`` runs
``_check_refresh`` itself on that same next turn, when the Prompt would have been all the
widget had to do: the screen gets the same ``Update``, on the same turn, in the same order.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    _Widget = Widget
else:  # a mixin: not a DOM class, so CSS written for the widget's Textual class still applies
    _Widget = object


class RefreshSoon(_Widget):
    """Mixin (listed before the widget's Textual class): ``check_idle`` with nothing else
    for the widget to do schedules ``_check_refresh`` for the loop's next turn, where the
    widget's task would have run it on waking to its ``Prompt``.

    A widget not mounted yet, or with anything else waiting for it (a message, a callback
    from ``call_next``, a call from another thread), goes Textual's way: the Prompt, the
    task's turn, its ``Idle``. The widget must not handle ``Idle`` itself (Textual's
    ``Widget._on_idle`` only checks the refresh); a test checks that none of these
    widgets does."""

    _refresh_soon: bool = False
    """A ``_check_refresh`` is scheduled and has not run yet."""

    def check_idle(self) -> None:
        if not self._running:
            return  # as Textual
        if (
            not self._is_mounted
            or not self._message_queue.empty()
            or self._next_callbacks
            or self._thread_id != threading.get_ident()
        ):
            super().check_idle()  # Textual's Prompt
            return
        if self._refresh_soon:
            return  # it looks once already (as a second Prompt would not be posted)
        self._refresh_soon = True
        asyncio.get_running_loop().call_soon(self._check_refresh_soon)

    def _check_refresh_soon(self) -> None:
        """What the widget's ``Idle`` would have done: tell the screen what to redraw."""
        self._refresh_soon = False
        with self._context():  # as in the widget's own task (the Update's sender)
            try:
                self._check_refresh()
            except Exception as error:  # as Textual's message loop hands it over
                self.app._handle_exception(error)
