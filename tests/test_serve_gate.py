"""The way in (``tui.serve.gate``): who is dropped when too many connections wait, and how
long wrong passwords make the next attempt wait. A clock by hand: no test waits."""

from __future__ import annotations

from tui.serve.gate import (
    FAILURE_MEMORY,
    HANDSHAKE_GRACE,
    LOGIN_GRACE,
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


def test_a_newcomer_makes_room_by_dropping_the_most_overdue_not_itself() -> None:
    clock = Clock()
    gate = Gate(3, clock=clock)
    dropped: list[str] = []
    idle = gate.arrive(lambda: dropped.append("idle"), HANDSHAKE_GRACE)
    clock.now += 1
    typing = gate.arrive(lambda: dropped.append("typing"), HANDSHAKE_GRACE)
    clock.now += 0.1
    gate.advance(typing, LOGIN_GRACE)  # its key exchange is done: a person types the password
    clock.now += 6  # idle has used 7.1 s of its 10, typing 6 s of its 30
    gate.arrive(lambda: dropped.append("half-open"), HANDSHAKE_GRACE)
    gate.arrive(lambda: dropped.append("learner"), HANDSHAKE_GRACE)  # one too many
    assert dropped == ["idle"]
    assert len(gate) == 3
    gate.leave(typing)  # logged in and a session: no longer waiting
    gate.leave(typing)
    gate.leave(idle)  # already gone: nothing happens
    assert len(gate) == 2


def test_among_equally_overdue_the_oldest_goes_and_a_newcomer_only_if_all_are_fresh() -> None:
    clock = Clock()
    gate = Gate(2, clock=clock)
    dropped: list[int] = []
    for number in range(4):  # all at the same moment: none has used any grace
        gate.arrive(lambda number=number: dropped.append(number), HANDSHAKE_GRACE)
    assert dropped == [0, 1]


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
