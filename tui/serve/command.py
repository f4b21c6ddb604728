"""``c2f-tui serve ssh|web``: check, listen, say so in one line, serve until told to stop.

Standard output is the teacher's log: first ``listening on ssh://HOST:PORT`` (or
``http://HOST:PORT/``) once the port is open, before anything a library might
print, then one line per session opened, refused or closed. Everything else
(the host key's fingerprint, what learners type, warnings) goes to standard error.
Ctrl+C, SIGTERM or SIGHUP ends every session (killing any that hang after a few
seconds) and the server exits with status 0.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
import sys
from collections.abc import Sequence
from typing import Protocol

from tui.i18n import _
from tui.serve.options import PROG, ServeError, ServeOptions, parse_options, public_host, url_host
from tui.serve.process import KILL_AFTER
from tui.serve.sessions import Sessions

INSTALL = 'pip install "c2f-tui[serve]"'
"""The command that installs what serving needs."""
NEEDS = {"ssh": "asyncssh", "web": "textual_serve"}
"""The library each protocol is built on (both come with the ``serve`` extra)."""
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
"""The signals that stop the server cleanly (by name: Windows has no SIGHUP)."""


class _Server(Protocol):
    async def start(self) -> int: ...
    async def close(self) -> None: ...


def main(argv: Sequence[str]) -> int:
    """Entry point of ``c2f-tui serve``; exit status 0 after a clean stop, 2 on a refusal."""
    options = parse_options(argv)
    if sys.platform == "win32":
        print(
            _("{prog}: error: serving is not supported on Windows").format(prog=PROG),
            file=sys.stderr,
        )
        return 2
    try:
        importlib.import_module(NEEDS[options.protocol])
    except ImportError:
        print(
            _("{prog}: error: serving needs the serve extra: {install}").format(
                prog=PROG, install=INSTALL
            ),
            file=sys.stderr,
        )
        return 2
    try:
        return asyncio.run(_serve(options))
    except ServeError as error:
        prog = f"{PROG} {options.protocol}"
        print(_("{prog}: error: {message}").format(prog=prog, message=error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # before the signal handlers were in place
        return 130


async def _serve(options: ServeOptions) -> int:
    sessions = Sessions(
        limit=options.max_sessions, idle_timeout=options.idle_timeout, log=sys.stdout
    )
    # Made (files read, keys parsed) while a signal still has its default effect: with the
    # loop's handlers in place, a signal would wait for the loop, which waits for this.
    server = _make_server(options, sessions)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in STOP_SIGNALS:
        loop.add_signal_handler(getattr(signal, name), stop.set)
    try:
        port = await server.start()
    except OSError as error:
        raise ServeError(
            _("cannot listen on {host} port {port}: {reason}").format(
                host=options.host, port=options.port, reason=error.strerror or error
            )
        ) from None
    host = url_host(options.host)
    url = f"ssh://{host}:{port}" if options.protocol == "ssh" else f"http://{host}:{port}/"
    print(f"listening on {url}", flush=True)
    _tell_teacher(options, port)
    idle = asyncio.create_task(sessions.watch_idle())
    try:
        await stop.wait()
    finally:
        idle.cancel()
        await sessions.end_all(timeout=KILL_AFTER + 2)
        await server.close()
    return 0


def _make_server(options: ServeOptions, sessions: Sessions) -> _Server:
    if options.protocol == "ssh":
        from tui.serve.ssh import make_ssh_server

        return make_ssh_server(options, sessions)
    from tui.serve.web import WebServer

    return WebServer(options, sessions)


def _tell_teacher(options: ServeOptions, port: int) -> None:
    """On standard error: what learners type, and who else can get in."""
    host = public_host(options.host)
    if options.protocol == "ssh":
        how = f"ssh -p {port} class@{host}" if port != 22 else f"ssh class@{host}"
    else:
        how = f"http://{url_host(host)}:{port}/"
    print(_("{prog}: learners connect with: {how}").format(prog=PROG, how=how), file=sys.stderr)
    if options.no_auth and not options.loopback:
        print(
            _(
                "{prog}: warning: --no-auth: anyone who can reach {host} port {port} "
                "can start a trainer here"
            ).format(prog=PROG, host=host, port=port),
            file=sys.stderr,
        )
