"""Who is on: the class limit, one log line per session opened or closed, idle time-outs.

Both servers (SSH and web) keep their sessions here, so the limit, the log and the
time-outs mean the same thing whichever way a learner connects. A session is ended
by asking it (``Session.end``); it reports back with ``Sessions.closed`` once its
process is gone, and only then does it stop counting against the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from tui.i18n import _

QUIT = "quit"
"""Reasons a session closed, as the log line gives them."""
DISCONNECTED = "disconnected"
IDLE = "idle"
STOPPING = "server stopping"


@dataclass(eq=False)
class Session:
    """One learner's session, from the moment it holds a place in the class."""

    number: int
    """Counts up from 1 over the server's life, so log lines can be paired."""
    peer: str
    """Where the learner connects from (address:port)."""
    end: Callable[[str], None]
    """Ask the session to end, giving the reason; it reports back with ``Sessions.closed``."""
    opened: float
    """When it opened (monotonic seconds)."""
    last_input: float
    """When the learner last pressed a key or resized (monotonic seconds)."""
    ending: str | None = None
    """Why it was asked to end, once it was."""
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once its process is gone and it no longer counts."""


class Sessions:
    """The open sessions of one server, and the log of their comings and goings."""

    def __init__(
        self,
        *,
        limit: int,
        idle_timeout: float,
        log: TextIO,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        """The most sessions open at once."""
        self.idle_timeout = idle_timeout
        """Seconds without input before a session is ended; 0: never."""
        self.stopping = False
        """Set when the server stops: sessions still open are ended, no new one opens."""
        self._log = log
        self._clock = clock
        self._open: list[Session] = []
        self._opened = 0

    def __len__(self) -> int:
        return len(self._open)

    @property
    def full(self) -> bool:
        return len(self._open) >= self.limit

    def full_message(self) -> str:
        """What a learner over the limit reads (one line)."""
        return _("class is full ({n}/{limit}), try again later").format(
            n=len(self._open), limit=self.limit
        )

    def open(self, peer: str, end: Callable[[str], None]) -> Session | None:
        """A place in the class for a learner from ``peer``, or None if there is none."""
        if self.stopping:
            return None
        if self.full:
            self._write(_("refused {peer}: {why}").format(peer=peer, why=self.full_message()))
            return None
        now = self._clock()
        self._opened += 1
        session = Session(self._opened, peer, end, opened=now, last_input=now)
        self._open.append(session)
        self._write(
            _("opened #{number} {peer} ({n}/{limit})").format(
                number=session.number, peer=peer, n=len(self._open), limit=self.limit
            )
        )
        return session

    def touch(self, session: Session) -> None:
        """The learner did something: the idle clock starts again."""
        session.last_input = self._clock()

    def closed(self, session: Session, reason: str) -> None:
        """The session's process is gone (idempotent); log why, and free its place."""
        if session not in self._open:
            return
        self._open.remove(session)
        reason = session.ending or reason
        self._write(
            _("closed #{number} {peer} after {duration}: {reason} ({n}/{limit})").format(
                number=session.number,
                peer=session.peer,
                duration=duration(self._clock() - session.opened),
                reason=reason,
                n=len(self._open),
                limit=self.limit,
            )
        )
        session.finished.set()

    def end(self, session: Session, reason: str) -> None:
        """Ask ``session`` to end, once, for ``reason``."""
        if session.ending is None:
            session.ending = reason
            session.end(reason)

    def end_idle(self) -> None:
        """End every session whose learner has been away longer than the idle timeout."""
        if not self.idle_timeout:
            return
        now = self._clock()
        for session in list(self._open):
            if now - session.last_input >= self.idle_timeout:
                self.end(session, IDLE)

    async def watch_idle(self) -> None:
        """Run until cancelled, ending idle sessions (checked about ten times per timeout)."""
        if not self.idle_timeout:
            return
        interval = min(max(self.idle_timeout / 10, 0.2), 30.0)
        while True:
            await asyncio.sleep(interval)
            self.end_idle()

    async def end_all(self, timeout: float) -> None:
        """End every open session and wait (at most ``timeout`` seconds) until all are gone."""
        self.stopping = True
        sessions = list(self._open)
        for session in sessions:
            self.end(session, STOPPING)
        waits = [asyncio.create_task(session.finished.wait()) for session in sessions]
        if waits:
            _done, pending = await asyncio.wait(waits, timeout=timeout)
            for task in pending:
                task.cancel()

    def _write(self, message: str) -> None:
        """One log line on stdout, with the date and time; a failing stdout never stops a class."""
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        with contextlib.suppress(OSError, ValueError):
            print(f"{stamp} {message}", file=self._log, flush=True)


def duration(seconds: float) -> str:
    """``seconds`` as a person reads a session's length: ``42s``, ``3m07s``, ``1h02m``.

    >>> duration(42.4), duration(187), duration(3725)
    ('42s', '3m07s', '1h02m')
    """
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def peer_name(address: object) -> str:
    """``host:port`` of a socket's peer address (IPv6 in brackets), as the log shows it.

    >>> peer_name(("192.0.2.7", 50412)), peer_name(("::1", 2222, 0, 0)), peer_name(None)
    ('192.0.2.7:50412', '[::1]:2222', '?')
    """
    if isinstance(address, tuple) and len(address) >= 2:
        host, port = str(address[0]), address[1]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return "?"
