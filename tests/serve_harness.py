"""Run the real ``c2f-tui serve`` and connect to it as learners would.

Used by the serve tests and by ``tests/perf/serve_capacity.py``:

* ``ServerProcess`` starts ``python -m tui serve ...`` as its own process, reads
  its log (stdout) line by line, and finds the learners' session processes;
* ``SshLearner`` is one learner on SSH: an asyncssh client with a pseudo-terminal;
* ``WebLearner`` is one browser tab as textual-serve's page drives it (a websocket);

both read their screen through the ``pyte`` terminal emulator, as ``pty_harness``
does for a local terminal. ``tests/browser.py`` drives a real browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import asyncssh
import pyte

REPO = Path(__file__).resolve().parent.parent
SESSION_MODULE = "tui.serve.session"


class ServerProcess:
    """``c2f-tui serve ARGUMENTS``, started and ready (its ``listening on`` line read)."""

    def __init__(self, *arguments: str, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, **(env or {})}
        environment.pop("CI", None)
        for sized in ("COLUMNS", "LINES"):  # set in pytest-xdist's workers; a session's size
            environment.pop(sized, None)  # is its own terminal's, never the server's
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=REPO,
        )
        self.lines: list[str] = []
        """Standard output, line by line: the teacher's log."""
        self.errors: list[str] = []
        """Standard error, line by line."""
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._collect, args=(stream, into), daemon=True)
            for stream, into in (
                (self.process.stdout, self.lines),
                (self.process.stderr, self.errors),
            )
        ]
        for reader in self._readers:
            reader.start()
        first = self.wait_line(lambda line: True, timeout=60)
        if first is None or not first.startswith("listening on "):
            self.stop()
            raise AssertionError(f"no listening line: {first!r}, stderr {self.errors!r}")
        self.url = first.split()[-1]
        """What the ``listening on`` line names: ``ssh://HOST:PORT`` or ``http://HOST:PORT/``."""
        port = urlsplit(self.url).port
        assert port is not None
        self.port = port

    def _collect(self, stream: Any, into: list[str]) -> None:
        for line in stream:
            with self._changed:
                into.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_line(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str | None:
        """The first log line (from the start) for which ``predicate`` holds, waiting for it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not remaining):
                    return None
                self._changed.wait(min(remaining, 0.2))

    def session_pids(self) -> list[int]:
        """The server's session processes still running (``ps``; Linux and macOS)."""
        listing = subprocess.run(
            ["ps", "-A", "-o", "pid=,ppid=,args="], capture_output=True, text=True, check=True
        ).stdout
        pids = []
        for row in listing.splitlines():
            pid, ppid, args = [*row.split(None, 2), "", ""][:3]
            if ppid == str(self.process.pid) and SESSION_MODULE in args:
                pids.append(int(pid))
        return pids

    def stop(self, signum: int = signal.SIGINT, timeout: float = 30.0) -> int:
        """Send ``signum`` and wait for the exit status (killing it after ``timeout``)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
                raise
        for reader in self._readers:
            reader.join(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_: object) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.stop()


def gone(pid: int, timeout: float = 15.0) -> bool:
    """Whether process ``pid`` has ended and been reaped within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


class Screen:
    """A terminal of ``columns`` × ``rows`` fed with what a session sends (pyte)."""

    def __init__(self, columns: int, rows: int) -> None:
        self._screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self._screen)
        self.received = 0
        """Bytes received so far."""
        self.arrivals: list[tuple[float, int]] = []
        """(time.monotonic(), bytes) of every chunk received."""
        self.changed = asyncio.Event()
        """Set whenever bytes arrive (clear it to wait for the next)."""
        self.closed = asyncio.Event()
        """Set when the server closed the session."""

    def feed(self, data: bytes) -> None:
        self.arrivals.append((time.monotonic(), len(data)))
        self.received += len(data)
        self._stream.feed(data)
        self.changed.set()

    def close(self) -> None:
        self.closed.set()
        self.changed.set()

    def resize(self, columns: int, rows: int) -> None:
        self._screen.resize(rows, columns)

    def text(self) -> str:
        """The screen as text, one line per row."""
        return "\n".join(self._screen.display)

    async def wait_for(self, check: str | Callable[[str], bool], timeout: float = 30.0) -> bool:
        """Wait until the screen contains ``check`` (or satisfies it); False on timeout or close."""
        test = (lambda screen: check in screen) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        while True:
            self.changed.clear()  # before the test: bytes arriving after it will wake us
            if test(self.text()):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed.is_set():
                return False
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))

    def last_arrival(self) -> float:
        """When the most recent bytes arrived (``time.monotonic()``; 0 if none yet)."""
        return self.arrivals[-1][0] if self.arrivals else 0.0


class SshLearner:
    """One learner on SSH: an asyncssh client with a pseudo-terminal, read through pyte."""

    def __init__(
        self,
        conn: asyncssh.SSHClientConnection,
        process: asyncssh.SSHClientProcess[bytes],
        columns: int,
        rows: int,
    ) -> None:
        self.conn = conn
        self.process = process
        self.terminal = Screen(columns, rows)
        self.closed = self.terminal.closed
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(
        cls,
        port: int,
        *,
        columns: int = 80,
        rows: int = 24,
        password: str | None = None,
        env: dict[str, str] | None = None,
        term_type: str = "xterm-256color",
        key: asyncssh.SSHKey | None = None,
    ) -> SshLearner:
        conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username="class",
            password=password,
            known_hosts=None,
            client_keys=[key] if key is not None else None,
            agent_path=None,
            preferred_auth="publickey" if key is not None else "none,password",
        )
        process = await conn.create_process(
            term_type=term_type, term_size=(columns, rows), encoding=None, env=env or {}
        )
        return cls(conn, process, columns, rows)

    async def _read(self) -> None:
        with contextlib.suppress(asyncssh.Error, ConnectionError):
            while True:
                data = await self.process.stdout.read(65536)
                if not data:
                    break
                self.terminal.feed(data)
        self.terminal.close()

    def screen(self) -> str:
        return self.terminal.text()

    async def wait_for(self, check: str | Callable[[str], bool], timeout: float = 30.0) -> bool:
        return await self.terminal.wait_for(check, timeout)

    def press(self, keys: str) -> None:
        self.process.stdin.write(keys.encode())

    def resize(self, columns: int, rows: int) -> None:
        self.terminal.resize(columns, rows)
        self.process.change_terminal_size(columns, rows)

    async def close(self) -> None:
        self.conn.close()
        with contextlib.suppress(Exception):
            await self.conn.wait_closed()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


class WebLearner:
    """One learner's browser tab, as textual-serve's page talks to the server: a websocket
    (aiohttp's client) carrying JSON messages up and terminal bytes down, read through pyte."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        socket: aiohttp.ClientWebSocketResponse,
        size: tuple[int, int],
    ) -> None:
        self._http = http
        self.socket = socket
        self.terminal = Screen(*size)
        self.closed = self.terminal.closed
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(
        cls, url: str, *, columns: int = 80, rows: int = 24, origin: str | None = None
    ) -> WebLearner:
        http = aiohttp.ClientSession()
        address = urlsplit(url)
        headers = {"Origin": origin if origin is not None else f"http://{address.netloc}"}
        try:
            socket = await http.ws_connect(
                f"ws://{address.netloc}/ws?width={columns}&height={rows}", headers=headers
            )
        except BaseException:
            await http.close()
            raise
        return cls(http, socket, (columns, rows))

    async def _read(self) -> None:
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.terminal.feed(message.data)
        self.terminal.close()

    def screen(self) -> str:
        return self.terminal.text()

    async def wait_for(self, check: str | Callable[[str], bool], timeout: float = 30.0) -> bool:
        return await self.terminal.wait_for(check, timeout)

    async def send(self, message: object) -> None:
        await self.socket.send_str(json.dumps(message))

    async def press(self, keys: str) -> None:
        await self.send(["stdin", keys])

    async def resize(self, columns: int, rows: int) -> None:
        self.terminal.resize(columns, rows)
        await self.send(["resize", {"width": columns, "height": rows}])

    async def close(self) -> None:
        await self.socket.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._http.close()


async def run_over_ssh(port: int, command: str) -> tuple[str, Sequence[object]]:
    """Ask the server to run ``command`` (an exec request); what came back, and any error."""
    async with asyncssh.connect(
        "127.0.0.1", port, username="class", known_hosts=None, client_keys=None, agent_path=None
    ) as conn:
        try:
            result = await asyncio.wait_for(conn.run(command, check=False), 20)
        except (asyncssh.Error, OSError) as error:
            return "", (error,)
        return f"{result.stdout or ''}{result.stderr or ''}", ()
