"""Run the real ``c2f-tui`` in a pseudo-terminal and read its screen like a user would.

Used by the end-to-end tests and by the measurement scripts in ``tests/perf``:
``PtyApp`` starts a command on a pty of a given size (as the controlling
terminal, so resizes deliver SIGWINCH), records every byte the program writes
with the time it arrived, and feeds them to a ``pyte`` terminal emulator so the
rendered screen can be searched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyte

REPO = Path(__file__).resolve().parent.parent

KEYS = {
    "space": " ",
    "enter": "\r",
    "escape": "\x1b",
    "ctrl+c": "\x03",
}


def command(*arguments: str) -> list[str]:
    """``c2f-tui`` with these arguments, run by the current interpreter."""
    return [sys.executable, "-m", "tui", *arguments]


@dataclass
class Chunk:
    """Bytes the program wrote, and when they arrived (``time.monotonic()``)."""

    at: float
    data: bytes = field(repr=False)


class PtyApp:
    """A program running on a pseudo-terminal of ``columns`` × ``rows``."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        columns: int = 80,
        rows: int = 24,
        env: dict[str, str] | None = None,
        cwd: Path = REPO,
    ) -> None:
        self.columns, self.rows = columns, rows
        self.chunks: list[Chunk] = []
        self._lock = threading.Lock()
        self._screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self._screen)
        master, slave = os.openpty()
        _set_size(slave, columns, rows)
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        environment.pop("CI", None)  # some tools draw differently on CI; users are not on CI
        # The terminal's size is the pty's alone: COLUMNS and LINES (which pytest-xdist's
        # workers have in their environment) would override it for the program.
        environment.pop("COLUMNS", None)
        environment.pop("LINES", None)
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            cwd=cwd,
            preexec_fn=_make_controlling_terminal,
            close_fds=True,
        )
        os.close(slave)
        self._master = master
        self.started = time.monotonic()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- output ---------------------------------------------------------------

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.chunks.append(Chunk(time.monotonic(), data))
                self._stream.feed(data)

    def screen(self) -> str:
        """The screen as text, one line per row."""
        with self._lock:
            return "\n".join(self._screen.display)

    def cells(self) -> list[list[tuple[str, str, str, bool, bool]]]:
        """The screen cell by cell, row by row: each cell's text, colours, bold and reverse."""
        with self._lock:
            return [
                [
                    (cell.data, cell.fg, cell.bg, cell.bold, cell.reverse)
                    for cell in (self._screen.buffer[row][column] for column in range(self.columns))
                ]
                for row in range(self.rows)
            ]

    def bytes_written(self, since: float = 0.0, until: float = float("inf")) -> int:
        """How many bytes arrived in [since, until)."""
        with self._lock:
            return sum(len(c.data) for c in self.chunks if since <= c.at < until)

    def last_output(self) -> float:
        """When the most recent bytes arrived (the start time if none yet)."""
        with self._lock:
            return self.chunks[-1].at if self.chunks else self.started

    def wait_for(self, text: str, timeout: float = 15.0) -> bool:
        """Wait until ``text`` is on the screen; False on timeout or exit."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return True
            if self.process.poll() is not None:
                return text in self.screen()
            time.sleep(0.02)
        return False

    def wait_until_quiet(self, quiet: float = 0.5, timeout: float = 15.0) -> bool:
        """Wait until nothing has been written for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() - self.last_output() >= quiet:
                return True
            time.sleep(0.02)
        return False

    # -- input ----------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Type keys: single characters, or names from ``KEYS``."""
        for key in keys:
            os.write(self._master, KEYS.get(key, key).encode())

    def resize(self, columns: int, rows: int) -> None:
        """Change the terminal size, as dragging a window would (delivers SIGWINCH)."""
        self.columns, self.rows = columns, rows
        with self._lock:
            self._screen.resize(rows, columns)
        _set_size(self._master, columns, rows)

    # -- lifetime -------------------------------------------------------------

    def wait(self, timeout: float = 10.0) -> int:
        """Wait for the program to exit; return its exit status, once its last output is read
        (the reader ends when the terminal's other side closes: what the program wrote as it
        left, such as the sequences restoring the terminal, is in ``chunks`` by then)."""
        status = self.process.wait(timeout)
        self._reader.join(timeout)
        return status

    def close(self) -> None:
        """Stop the program if it still runs, and release the terminal."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(OSError):
            os.close(self._master)
        self._reader.join(2)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _make_controlling_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
