"""Keys one at a time, each acting on the screens the keys before it left (issue 21).

Textual hands a key on in hops, each through a message queue: the app checks its
priority bindings and forwards the key to the focused widget (or the screen), from
where it bubbles back up to the app, which then checks the other bindings against
whatever screen is on top *by then*. A terminal delivers a burst of keys at once,
so the app forwards the whole burst before the first key has acted: when that key
opens a dialog, the keys after it have already gone to the screen under it (and are
resolved against the dialog's bindings, typed nowhere); when a key closes a dialog,
the keys after it were typed into the dialog that is closing, and are lost with it.
Keys then act on the wrong screen, late or not at all.

``KeysInOrder`` lets a key from the terminal through only once everything the keys
before it started has finished: every message queue of the app and of every screen
on the stack is empty and every widget on them is mounted (a dialog's field is in
place and focused before the next key is typed into it). Until then keys wait, in
order, and are posted again when their turn comes. The keys that quit never wait.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterable

from textual import events
from textual.widget import Widget

QUIT_KEYS = frozenset(("q", "ctrl+c", "ctrl+q"))
"""Keys that quit (``tui.keys``, and Textual's ctrl+q): they never wait, whatever the keys
before them are doing, and no screen or field takes them (``TrainerApp.on_event``)."""
RETRY_SECONDS = 0.002
"""How often a waiting key asks again whether its turn has come."""
MAX_WAIT_SECONDS = 3.0
"""A key never waits longer than this for the ones before it: a widget that never
empties its queue (none should) delays keys, it cannot stop them."""


def settled(queue_empty: bool, screens: Iterable[Widget]) -> bool:
    """True once the app's message queue is empty (``queue_empty``) and every widget of
    ``screens`` is mounted with an empty queue: nothing a key started is still under way."""
    if not queue_empty:
        return False
    for screen in screens:
        for node in screen.walk_children(with_self=True):
            if not node._is_mounted or not node._message_queue.empty():
                return False
    return True


class KeysInOrder:
    """The keys from the terminal that wait for the ones before them to finish.

    ``settled`` says whether everything the keys before started has finished (``settled``
    above, on the app's queue and screens), ``post`` hands a key back to the app when its
    turn comes, ``running`` whether the app still runs.
    """

    def __init__(
        self,
        *,
        settled: Callable[[], bool],
        post: Callable[[events.Key], object],
        running: Callable[[], bool],
    ) -> None:
        self._settled = settled
        self._post = post
        self._running = running
        self._waiting: deque[events.Key] = deque()
        self._released: events.Key | None = None
        self._retry: asyncio.TimerHandle | None = None
        self._since = 0.0

    def admit(self, key: events.Key) -> bool:
        """True if the app may handle ``key`` (from the terminal) now; otherwise it waits its
        turn and is posted to the app again when that comes."""
        if key is self._released:
            self._released = None
            return True
        if key.key in QUIT_KEYS:
            return True
        if not self._waiting and self._released is None and self._settled():
            return True
        if not self._waiting:
            self._since = time.monotonic()
        self._waiting.append(key)
        self._ask_again()
        return False

    @property
    def waiting(self) -> int:
        """How many keys wait for their turn."""
        return len(self._waiting)

    def _ask_again(self) -> None:
        if self._retry is None:
            self._retry = asyncio.get_running_loop().call_later(RETRY_SECONDS, self._release)

    def _release(self) -> None:
        self._retry = None
        if not self._waiting or not self._running():
            self._waiting.clear()
            return
        overdue = time.monotonic() - self._since > MAX_WAIT_SECONDS
        if overdue:
            self._released = None  # posted but never handled (the app was closing)
        if self._released is None and (overdue or self._settled()):
            self._released = self._waiting.popleft()
            self._since = time.monotonic()
            self._post(self._released)
        self._ask_again()
