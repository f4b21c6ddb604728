"""A session's own ``c2f-tui`` process: its command line, its environment, and its end.

Every learner gets a separate process, started by the server with the trainer options
the *server* was given (``ServeOptions.trainer_arguments``). Its environment is built
from a short list rather than copied: the server's own variables (a teacher's agent
socket, tokens) are none of a session's business, and a client's variables are reduced
to the terminal type and the language, each checked against a safe pattern.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import Mapping, Sequence

PASSED_FROM_SERVER = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "TMPDIR",
    "TZ",
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "NO_COLOR",
)
"""The server's variables a session keeps: what Python and Textual need to start."""

ONE_THREAD_EACH = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""Every session's numpy computes on one thread. Left alone, OpenBLAS starts a pool of one
thread per core when numpy is imported; a session's arrays are a hundred samples, so the
pool buys nothing, while a class of forty holds forty pools (39 × 40 threads on a 40-core
server) whose threads wait busily after each call, on the same cores as the learners'
frames. Read when numpy is imported: the session's environment is the place to set it."""

SAFE_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
"""A terminal type a client may ask for (xterm-256color, screen.xterm, vt100 …)."""
SAFE_LOCALE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
"""A locale a client may send in LANG or LC_* (en_US.UTF-8, C.UTF-8, de_DE@euro …)."""
LOCALE_NAME = re.compile(r"LANG|LC_[A-Z]{1,20}")
"""The client variables that may reach a session besides TERM."""

MAX_COLUMNS, MAX_ROWS = 500, 200
"""The largest window a session is given, whatever the client announces."""
DEFAULT_SIZE = (80, 24)
"""The size of a session whose client announces none (0×0)."""

QUIT_KEY = b"\x11"
"""Ctrl+Q: Textual's own quit key, which works whatever screen the learner has open."""
TERMINATE_AFTER = 1.5
"""Seconds a session may take to end by itself before it is sent SIGTERM …"""
KILL_AFTER = 3.0
"""… and before it is killed (SIGKILL)."""


def session_command(trainer_arguments: Sequence[str]) -> list[str]:
    """The command line of one session: this interpreter, the session entry, the options."""
    return [sys.executable, "-m", "tui.serve.session", *trainer_arguments]


def server_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The part of the server's environment a session inherits (``PASSED_FROM_SERVER``),
    and one numpy thread (``ONE_THREAD_EACH``, whatever the server's own setting)."""
    source = os.environ if environ is None else environ
    kept = {name: source[name] for name in PASSED_FROM_SERVER if name in source}
    return kept | ONE_THREAD_EACH


def client_environment(term: str | None, requested: Mapping[str, str]) -> dict[str, str]:
    """What a client may set: ``TERM``, ``LANG`` and ``LC_*``, each only if it looks safe."""
    environment = {"TERM": term if term and SAFE_TERM.fullmatch(term) else "xterm-256color"}
    for name, value in requested.items():
        if LOCALE_NAME.fullmatch(name) and SAFE_LOCALE.fullmatch(value):
            environment[name] = value
    return environment


def window_size(width: object, height: object) -> tuple[int, int]:
    """A window size a session can be given: unknown (0, or not a number) is 80×24,
    negative is 1, huge is clamped.

    >>> window_size(120, 40), window_size(0, 0), window_size(4_294_967_295, -3)
    ((120, 40), (80, 24), (500, 1))
    """
    columns = _whole(width, DEFAULT_SIZE[0])
    rows = _whole(height, DEFAULT_SIZE[1])
    return max(1, min(columns, MAX_COLUMNS)), max(1, min(rows, MAX_ROWS))


def _whole(value: object, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value == 0:
        return default
    return value


async def end_process(
    process: asyncio.subprocess.Process,
    *,
    terminate_after: float = TERMINATE_AFTER,
    kill_after: float = KILL_AFTER,
) -> int:
    """Wait for ``process`` to end; SIGTERM it after ``terminate_after`` seconds and
    SIGKILL it after ``kill_after``: a session that hangs cannot outlive its learner."""
    with contextlib.suppress(asyncio.TimeoutError):
        return await asyncio.wait_for(asyncio.shield(process.wait()), terminate_after)
    _signal(process, signal.SIGTERM)
    with contextlib.suppress(asyncio.TimeoutError):
        return await asyncio.wait_for(asyncio.shield(process.wait()), kill_after - terminate_after)
    _signal(process, signal.SIGKILL)
    return await process.wait()


def _signal(process: asyncio.subprocess.Process, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signum)
