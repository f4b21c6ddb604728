"""The way in: connections that are not yet a learner's session, and wrong passwords.

Only sessions count toward the class size (``Sessions``). Before that, a connection
is *waiting*: it has connected, and must ask to log in (its key exchange done), log
in, and start its session, each step within its own grace (``HANDSHAKE_GRACE``,
``LOGIN_GRACE``, ``SESSION_GRACE``), or it is dropped. Waiting connections are
bounded separately (``waiting_limit``). When one more arrives than the bound allows,
one goes, chosen by how stuck it is at its current step (``CONNECTED`` to
``LOGGED_IN``), in shares of what that step takes a client on a slow link
(``PATIENCE``): first one past that, the most stuck (a socket that has said nothing
for 3 s, or sent its version line and nothing more for 5 s); if none is, the least
advanced, then the most stuck (a socket that has said nothing goes before one whose
client is doing the key exchange, which goes before a person typing the password).
Steps are read from what asyncssh has recorded of the handshake, so a client that
is actually handshaking starts each step afresh every few milliseconds. The
newcomer is never dropped by its own arrival. This is OpenSSH's ``MaxStartups``
(which bounds the same connections) with its random early drop, which refuses
newcomers, replaced by dropping the most stuck.

There is no limit per address: a whole class may sit behind one school's address.
The limit of this is a flood beyond the bound that connects again the moment it is
dropped, from the learners' own address: a thousand new sockets a second push out
some learners whose key exchange takes longer than a socket of the flood lives
(``tests/perf/ssh_flood.py``; OpenSSH's answer, ``PerSourcePenalties``, is per address).

Wrong passwords are slowed down per connection and per user name, never per
address: after a wrong one, the next attempt on the same connection is checked only
``FAILURE_DELAY`` later, doubling with each failure up to ``CONNECTION_DELAY_CAP``;
the next attempt with the same user name, from any connection, waits likewise up to
``USER_DELAY_CAP`` (small, since the whole class may use one name and a stranger's
guesses must not keep it out long). After ``MAX_PASSWORD_TRIES`` the connection is
dropped, as OpenSSH's ``MaxAuthTries`` does. The wait comes *before* the check, so a
client that sends its next attempts without waiting for the answer learns nothing
sooner (asyncssh abandons an attempt when the next one arrives). A person retyping
a password takes longer than these delays, and never notices them.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

HANDSHAKE_GRACE = 10.0
"""Seconds from connecting to asking to log in: the client's key exchange, which a
client on a slow link finishes in a second or two."""
LOGIN_GRACE = 30.0
"""Seconds from asking to log in to being logged in: a person typing the class password."""
SESSION_GRACE = 10.0
"""Seconds from being logged in to starting the session (a client asks at once)."""
CONNECTED, GREETED, EXCHANGING_KEYS, LOGGING_IN, LOGGED_IN = range(5)
"""The steps of the way in, how far a waiting connection has come: nothing received yet;
the client's version line; the key exchange's cryptography under way (the server has
answered with its new keys); a user name given (a person may be typing the password);
logged in, no session yet."""
PATIENCE = (1.0, 2.0, 2.0, LOGIN_GRACE, SESSION_GRACE)
"""Seconds a client may take at each step before it looks stuck, when room must be made:
a slow link's round trips for the machine's steps, a person's typing for the password."""
FIRST_READ = 0.2
"""Seconds a newcomer counts as having sent its version line: when connections arrive in
a burst, the server accepts them all before it reads what any of them sent."""
MIN_WAITING = 100
"""Waiting connections allowed at least (OpenSSH's ``MaxStartups`` full value) …"""
WAITING_PER_SESSION = 2
"""… or this many per place in the class, if more: a whole class connecting at once
(typing the password together) and as many more fit."""

FAILURE_DELAY = 0.5
"""Seconds before the attempt after a first wrong password is checked; doubles with each."""
CONNECTION_DELAY_CAP = 8.0
"""The longest wait between attempts on one connection."""
USER_DELAY_CAP = 2.0
"""The longest wait between attempts with one user name, from any connection."""
FAILURE_MEMORY = 60.0
"""Seconds after which a user name's wrong passwords are forgotten (none since)."""
MAX_PASSWORD_TRIES = 6
"""Wrong passwords after which the connection is dropped."""
REMEMBERED_NAMES = 1000
"""User names whose failures are remembered at once (the least recent are forgotten)."""


def waiting_limit(max_sessions: int) -> int:
    """The most connections that may wait (not yet a session) at once, for a class of
    ``max_sessions``.

    >>> waiting_limit(2), waiting_limit(40), waiting_limit(300)
    (100, 100, 600)
    """
    return max(MIN_WAITING, WAITING_PER_SESSION * max_sessions)


@dataclass(eq=False)
class Arrival:
    """One waiting connection, at ``step`` (``CONNECTED`` …) since ``since``."""

    drop: Callable[[], None]
    """Hang up on it."""
    progress: Callable[[], int]
    """The step it has reached, as its connection sees it now."""
    step: int
    since: float
    """When it was first seen at ``step`` (monotonic seconds)."""
    arrived: float


class Gate:
    """The waiting connections of one server, at most ``limit`` of them."""

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._waiting: dict[Arrival, None] = {}
        """In order of arrival (a dict keeps it): among equals, the oldest goes first."""

    def __len__(self) -> int:
        return len(self._waiting)

    def arrive(self, drop: Callable[[], None], progress: Callable[[], int]) -> Arrival:
        """A connection arrives; if there is no room, one waiting connection is dropped
        (``_rank``; the oldest, among equals)."""
        now = self._clock()
        if len(self._waiting) >= self.limit:
            victim = max(self._waiting, key=lambda waiting: self._rank(waiting, now))
            self.leave(victim)
            victim.drop()
        arrival = Arrival(drop, progress, step=CONNECTED, since=now, arrived=now)
        self._waiting[arrival] = None
        return arrival

    def _rank(self, arrival: Arrival, now: float) -> tuple[bool, int, float]:
        """The larger, the sooner ``arrival`` goes: one past its step's patience first (the
        most stuck first); among those within it, the least advanced, then the most stuck.
        A newcomer counts as greeted for ``FIRST_READ``: its version line may be unread."""
        stuck = self._stuck(arrival, now)
        if stuck >= 1.0:
            return True, 0, stuck
        step = arrival.step
        if now - arrival.arrived < FIRST_READ:
            step = max(step, GREETED)
        return False, -step, stuck

    def _stuck(self, arrival: Arrival, now: float) -> float:
        """How long ``arrival`` has been at its step, in shares of the step's patience; a
        step first seen now counts as reached now."""
        step = arrival.progress()
        if step > arrival.step:
            arrival.step, arrival.since = step, now
        return (now - arrival.since) / PATIENCE[arrival.step]

    def leave(self, arrival: Arrival) -> None:
        """``arrival`` is a session now, or gone (idempotent)."""
        self._waiting.pop(arrival, None)


@dataclass
class Tries:
    """One connection's wrong passwords."""

    failures: int = 0
    not_before: float = 0.0
    """When its next attempt may be checked (monotonic seconds)."""


@dataclass
class _NameFailures:
    failures: int
    last: float
    not_before: float


class Throttle:
    """Wrong passwords of one server, per connection (``Tries``) and per user name."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._names: OrderedDict[str, _NameFailures] = OrderedDict()

    def wait(self, tries: Tries, username: str) -> float:
        """Seconds to wait before checking an attempt on ``tries``' connection as ``username``."""
        now = self._clock()
        name = self._names.get(username)
        name_not_before = name.not_before if name is not None else 0.0
        return max(tries.not_before - now, name_not_before - now, 0.0)

    def failed(self, tries: Tries, username: str) -> None:
        """An attempt was wrong: the next on this connection, and with this name, wait longer."""
        now = self._clock()
        tries.failures += 1
        tries.not_before = now + _delay(tries.failures, CONNECTION_DELAY_CAP)
        name = self._names.pop(username, None)
        if name is None or now - name.last > FAILURE_MEMORY:
            name = _NameFailures(failures=0, last=now, not_before=now)
        name.failures += 1
        name.last = now
        name.not_before = now + _delay(name.failures, USER_DELAY_CAP)
        self._names[username] = name
        while len(self._names) > REMEMBERED_NAMES:
            self._names.popitem(last=False)


def _delay(failures: int, cap: float) -> float:
    """The wait after ``failures`` wrong passwords: 0.5 s, 1 s, 2 s … up to ``cap``.

    >>> [_delay(n, 8.0) for n in range(1, 7)]
    [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    """
    return min(FAILURE_DELAY * 2.0 ** min(failures - 1, 30), cap)
