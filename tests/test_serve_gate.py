"""The way in (``tui.serve.gate``): who is dropped when too many connections wait, and how
long wrong passwords make the next attempt wait. A clock by hand: no test waits."""

from __future__ import annotations

from tui.serve.gate import (
    CONNECTED,
    EXCHANGING_KEYS,
    FAILURE_MEMORY,
    GREETED,
    LOGGING_IN,
    USER_DELAY_CAP,
    Gate,
    Throttle,
    Tries,
    waiting_limit,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Client:
    """A waiting connection as the gate sees it: how far it has come, and whether it was
    dropped."""

    def __init__(self, gate: Gate, name: str, dropped: list[str]) -> None:
        self.step = CONNECTED
        self.arrival = gate.arrive(lambda: dropped.append(name), lambda: self.step)


def test_a_newcomer_makes_room_by_dropping_the_most_stuck_not_itself() -> None:
    clock = Clock()
    gate = Gate(4, clock=clock)
    dropped: list[str] = []
    typing = Client(gate, "typing", dropped)
    typing.step = LOGGING_IN  # a person typing the password …
    half_open = Client(gate, "half-open", dropped)
    half_open.step = GREETED  # … a socket that sent its version line, and nothing since
    Client(gate, "idle", dropped)  # … and one that says nothing
    clock.now += 0.5
    learner = Client(gate, "learner", dropped)  # the gate is full
    clock.now += 0.1
    learner.step = GREETED
    Client(gate, "newcomer", dropped)  # one too many: not itself, not the learner
    assert dropped == ["idle"]  # the least advanced (and 0.6 s at it)
    clock.now += 1.5
    learner.step = EXCHANGING_KEYS  # its client does the cryptography: a step afresh
    Client(gate, "another", dropped)
    assert dropped == ["idle", "newcomer"]  # 1.5 s without a word: past CONNECTED's 1 s
    clock.now += 0.1
    Client(gate, "third", dropped)  # "another" counts as greeted for its first 0.2 s …
    assert dropped == ["idle", "newcomer", "half-open"]  # … and the half-open one is older
    gate.leave(typing.arrival)  # a session now: no longer waiting
    gate.leave(typing.arrival)
    assert len(gate) == 3


def test_among_equals_the_oldest_goes() -> None:
    clock = Clock()
    gate = Gate(2, clock=clock)
    dropped: list[str] = []
    Client(gate, "first", dropped)
    Client(gate, "second", dropped)
    clock.now += 1
    Client(gate, "third", dropped)  # both have used all of CONNECTED's second
    assert dropped == ["first"]
    clock.now += 0.5
    Client(gate, "fourth", dropped)  # "second" (1.5 s) before "third" (0.5 s)
    assert dropped == ["first", "second"]


def test_a_newcomer_not_yet_read_is_not_taken_for_a_silent_socket() -> None:
    """Connections arriving in a burst are all accepted before any is read: the version
    line a learner's client sent at once is not seen for a moment."""
    clock = Clock()
    gate = Gate(2, clock=clock)
    dropped: list[str] = []
    half_open = Client(gate, "half-open", dropped)
    half_open.step = GREETED
    Client(gate, "idle", dropped)
    clock.now += 0.5
    Client(gate, "silent", dropped)
    assert dropped == ["idle"]
    clock.now += 0.5
    Client(gate, "learner", dropped)  # "silent" has said nothing for 0.5 s
    assert dropped == ["idle", "silent"]
    clock.now += 0.05
    Client(gate, "next", dropped)  # the learner, unread for 0.05 s, stays
    assert dropped == ["idle", "silent", "half-open"]


def test_waiting_is_bounded_apart_from_the_class_and_sized_for_one() -> None:
    assert waiting_limit(2) == 100  # not 2 x 2 + 10: twenty idle sockets no longer fill it
    assert waiting_limit(40) >= 2 * 40  # a whole class typing its password at once, and more
    assert waiting_limit(1000) >= 2 * 1000


def test_wrong_passwords_slow_the_connection_and_the_user_name_but_nobody_else() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    guesser, other_connection, learner = Tries(), Tries(), Tries()
    assert throttle.wait(guesser, "class") == 0  # the first attempt is checked at once
    waits = []
    for _ in range(5):
        throttle.failed(guesser, "class")
        waits.append(throttle.wait(guesser, "class"))
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0]  # doubling on the connection
    # Another connection with the same user name waits too, but never long: the whole
    # class may share the name, and a stranger's guesses must not keep it out.
    assert throttle.wait(other_connection, "class") == USER_DELAY_CAP
    # Another user name on another connection (whatever its address) is not slowed.
    assert throttle.wait(learner, "ada") == 0
    clock.now += USER_DELAY_CAP
    assert throttle.wait(other_connection, "class") == 0
    assert throttle.wait(guesser, "class") == 8.0 - USER_DELAY_CAP


def test_a_user_names_failures_are_forgotten_after_a_quiet_minute() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(4):
        throttle.failed(Tries(), "class")
        clock.now += 1
    clock.now += FAILURE_MEMORY + 1
    throttle.failed(Tries(), "class")  # counts as the first again
    assert throttle.wait(Tries(), "class") == 0.5
