"""Learners logging in while the SSH server is flooded with connections that never log in.

    .venv/bin/python tests/perf/ssh_flood.py                        # 40 idle + 40 slow, 10 learners
    .venv/bin/python tests/perf/ssh_flood.py --idle 150 --slow 150  # more than may wait (100)
    .venv/bin/python tests/perf/ssh_flood.py --idle 150 --slow 150 --reconnect 1

It starts ``c2f-tui serve ssh --max-sessions 40 --password-file … --paused`` on
127.0.0.1 (loopback only), then holds open ``--idle`` sockets that send nothing and
``--slow`` sockets that send the version line and then one byte of their key
exchange a second, never finishing it. Whatever socket the server closes is opened
again, at once or ``--reconnect`` seconds later, so the flood lasts the whole run
(beyond the waiting connections allowed, reopening at once is a flood of hundreds of
new connections a second). Meanwhile ``--learners`` learners (``tests/serve_harness.py``:
asyncssh clients with an 80×24 pseudo-terminal), one a second, connect, type the
password, get the trainer, press space and see it training. It prints, per learner,
the seconds from connecting to logged in, to the trainer's screen and to training;
then how many flood sockets the server closed. Everything stops by itself: the flood
after the last learner (or ``--limit`` seconds), the server after that. The aim:
every learner logged in within ``AIM_LOGIN`` seconds. Exit status 0 if every
learner met it, 1 otherwise.

The machine's load matters for the screen and training times (each trainer is a new
Python process importing Textual and numpy), not much for logging in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.serve_harness import ServerProcess, SshLearner

HOST = "127.0.0.1"
PASSWORD = "correct horse battery"
AIM_LOGIN = 2.0
SCREEN_TIMEOUT = 60.0
SLOW_PACKET = (1000).to_bytes(4, "big") + b"\x00" * 996
"""A key-exchange packet announced as 1,000 bytes, sent one byte a second."""


@dataclass
class Flood:
    """Sockets held open against the server; ``closed`` counts those it hung up on."""

    opened: int = 0
    closed: int = 0
    failed: int = 0
    """Connections the server refused outright (reset during connect)."""


async def hold(port: int, slow: bool, flood: Flood, stop: asyncio.Event, reconnect: float) -> None:
    """One flood socket, opened again ``reconnect`` seconds after the server closes it,
    until ``stop``."""
    loop = asyncio.get_running_loop()
    first = True
    while not stop.is_set():
        if not first:
            await asyncio.sleep(reconnect)
        first = False
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, (HOST, port))
        except OSError:
            flood.failed += 1
            sock.close()
            await asyncio.sleep(0.1)
            continue
        flood.opened += 1
        try:
            if slow:
                await loop.sock_sendall(sock, b"SSH-2.0-flood\r\n")
            sent = 0
            while not stop.is_set():
                # Read (and drop) what the server says; an empty read means it hung up.
                with contextlib.suppress(asyncio.TimeoutError):
                    if not await asyncio.wait_for(loop.sock_recv(sock, 65536), 1.0):
                        break
                if slow and sent < len(SLOW_PACKET):
                    await loop.sock_sendall(sock, SLOW_PACKET[sent : sent + 1])
                    sent += 1
            else:
                return
            flood.closed += 1
        except OSError:
            flood.closed += 1
        finally:
            sock.close()


@dataclass
class Learner:
    number: int
    logged_in: float | None = None
    screen: float | None = None
    training: float | None = None
    error: str = ""


async def learn(port: int, number: int) -> Learner:
    """One learner: connect and log in, see the trainer, start it, see it train."""
    result = Learner(number)
    start = time.monotonic()
    try:
        ssh = await asyncio.wait_for(SshLearner.connect(port, password=PASSWORD), SCREEN_TIMEOUT)
    except (OSError, asyncssh.Error, asyncio.TimeoutError) as error:
        result.error = f"{type(error).__name__}: {error}"
        return result
    result.logged_in = time.monotonic() - start
    try:
        if await ssh.wait_for("PAUSED", SCREEN_TIMEOUT):
            result.screen = time.monotonic() - start
            ssh.press(" ")
            if await ssh.wait_for("RUNNING", SCREEN_TIMEOUT):
                result.training = time.monotonic() - start
        if result.training is None:
            result.error = "no trainer on screen: " + " ".join(ssh.screen().split())[:60]
    finally:
        await ssh.close()
    return result


async def run(arguments: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="ssh-flood-"))
    password = folder / "password"
    password.write_text(PASSWORD + "\n")
    password.chmod(0o600)
    server = ServerProcess(
        "ssh",
        "--port",
        "0",
        "--host-key",
        str(folder / "host_key"),
        "--password-file",
        str(password),
        "--max-sessions",
        str(arguments.max_sessions),
        "--paused",
    )
    flood, stop = Flood(), asyncio.Event()
    holders = [
        asyncio.create_task(hold(server.port, slow, flood, stop, arguments.reconnect))
        for slow in [False] * arguments.idle + [True] * arguments.slow
    ]
    try:
        await asyncio.sleep(arguments.settle)  # the flood in place before the first learner
        print(
            f"load {os.getloadavg()[0]:.1f}; flood: {arguments.idle} idle + {arguments.slow} "
            f"slow-handshake sockets (reopened {arguments.reconnect:g} s after being closed), "
            f"{flood.opened} opened so far; "
            f"--max-sessions {arguments.max_sessions}"
        )
        tasks = []
        for number in range(arguments.learners):
            tasks.append(asyncio.create_task(learn(server.port, number + 1)))
            await asyncio.sleep(arguments.every)
        learners = await asyncio.wait_for(asyncio.gather(*tasks), arguments.limit)
    finally:
        stop.set()
        try:
            if holders:
                await asyncio.wait(holders, timeout=5)
            for holder in holders:
                holder.cancel()
        finally:
            status = server.stop()  # whatever happened, the server does not outlive the run
    print("learner  logged in  screen  training  (seconds from connecting)")
    for learner in learners:

        def shown(seconds: float | None) -> str:
            return f"{seconds:.2f}" if seconds is not None else "-"

        print(
            f"{learner.number:7d}  {shown(learner.logged_in):>9}  {shown(learner.screen):>6}"
            f"  {shown(learner.training):>8}  {learner.error}"
        )
    logins = [learner.logged_in for learner in learners if learner.logged_in is not None]
    met = len(logins) == len(learners) and max(logins) <= AIM_LOGIN
    trained = sum(learner.training is not None for learner in learners)
    print(
        f"flood sockets opened {flood.opened}, closed by the server {flood.closed}, "
        f"refused at connect {flood.failed}; server exit status {status}; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    worst = f"{max(logins):.2f}" if logins else "-"
    print(
        f"{len(logins)}/{len(learners)} learners logged in (slowest {worst} s, aim "
        f"<= {AIM_LOGIN:g} s each): {'met' if met else 'NOT met'}; {trained} trained"
    )
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, default=40, help="sockets that send nothing")
    parser.add_argument("--slow", type=int, default=40, help="sockets that never finish")
    parser.add_argument(
        "--reconnect", type=float, default=0.0, help="seconds before a closed socket reopens"
    )
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--max-sessions", type=int, default=40)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between learners")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds of flood first")
    parser.add_argument("--limit", type=float, default=180.0, help="seconds at most")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
