"""The class register: the limit, one log line per session, idle time-outs, stopping."""

from __future__ import annotations

import asyncio
import io

from tui.serve.sessions import IDLE, STOPPING, Sessions


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def register(limit: int = 2, idle: float = 60.0) -> tuple[Sessions, io.StringIO, Clock]:
    log, clock = io.StringIO(), Clock()
    return Sessions(limit=limit, idle_timeout=idle, log=log, clock=clock), log, clock


def test_the_limit_refuses_one_more_and_a_closed_session_frees_its_place() -> None:
    sessions, log, clock = register(limit=2)
    ended: list[str] = []
    first = sessions.open("10.0.0.1:5000", ended.append)
    second = sessions.open("10.0.0.2:5000", ended.append)
    assert first is not None and second is not None and sessions.full
    assert sessions.open("10.0.0.3:5000", ended.append) is None
    assert sessions.full_message() == "class is full (2/2), try again later"
    clock.now += 187
    sessions.closed(first, "quit")
    sessions.closed(first, "quit")  # reported twice, logged once
    assert sessions.open("10.0.0.3:5000", ended.append) is not None
    lines = [line.split(" ", 2)[2] for line in log.getvalue().splitlines()]
    assert lines == [
        "opened #1 10.0.0.1:5000 (1/2)",
        "opened #2 10.0.0.2:5000 (2/2)",
        "refused 10.0.0.3:5000: class is full (2/2), try again later",
        "closed #1 10.0.0.1:5000 after 3m07s: quit (1/2)",
        "opened #3 10.0.0.3:5000 (2/2)",
    ]
    assert ended == []


def test_a_learner_away_longer_than_the_timeout_is_ended_once_as_idle() -> None:
    sessions, log, clock = register(idle=60)
    ended: list[str] = []
    away = sessions.open("a:1", ended.append)
    busy = sessions.open("b:1", lambda reason: ended.append("busy " + reason))
    assert away is not None and busy is not None
    clock.now += 59
    sessions.touch(busy)
    sessions.end_idle()
    assert ended == []
    clock.now += 1
    sessions.end_idle()
    sessions.end_idle()
    assert ended == [IDLE]
    sessions.closed(away, "exit 1")  # however it went, the log says why it was ended
    assert log.getvalue().splitlines()[-1].endswith("after 1m00s: idle (1/2)")


def test_no_idle_timeout_means_never() -> None:
    sessions, _, clock = register(idle=0)
    ended: list[str] = []
    sessions.open("a:1", ended.append)
    clock.now += 10**9
    sessions.end_idle()
    assert ended == []


async def test_stopping_ends_every_session_and_opens_no_new_one() -> None:
    sessions, log, _ = register(limit=3)
    ended: list[str] = []
    opened = [sessions.open(f"p:{n}", ended.append) for n in range(2)]

    async def stop() -> None:
        await sessions.end_all(timeout=5)

    stopping = asyncio.create_task(stop())
    await asyncio.sleep(0)
    assert ended == [STOPPING, STOPPING]
    assert sessions.open("late:1", ended.append) is None
    for session in opened:
        assert session is not None
        sessions.closed(session, "quit")
    await asyncio.wait_for(stopping, 5)
    assert len(sessions) == 0
    assert log.getvalue().count(": server stopping") == 2


def test_the_examples_in_the_serve_docstrings_hold() -> None:
    import doctest

    from tui.serve import gate, process, sessions

    for module in (gate, process, sessions):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
