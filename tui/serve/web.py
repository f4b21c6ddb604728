"""The browser server: textual-serve, with the class limit, idle time-outs and no orphans.

textual-serve does the real work: its page draws a terminal in the browser, its
``AppService`` starts one process per browser tab on pipes, under Textual's web
driver, and relays bytes and window sizes over a websocket. This module adapts it
to a classroom, through the methods textual-serve's ``Server`` and ``AppService``
are built to have overridden:

* no banner (``on_startup``): the server's first line is our ``listening on``;
* every request must name this server in its ``Host`` header (``check_host``): its
  address, ``localhost``, this machine's name on a wildcard address, or a
  name given with ``--allowed-host``; else a page of another site whose name was pointed
  at this server (DNS rebinding) would pass the websocket's Origin check;
* the page's URLs name the host the browser asked for (``handle_index``), never the
  0.0.0.0 the server listens on, so students can type the machine's name or address;
* the websocket (``handle_websocket``) counts learners, refuses one over the limit,
  refuses pages from other sites (Origin), ignores malformed messages, clamps and
  coalesces window sizes, and times out idle tabs;
* a session's environment is a short list (``_build_environment``), and ending it
  (``stop``) escalates to SIGTERM and SIGKILL if it does not quit when asked.

textual-serve runs its command through a shell; ours is shell-quoted and starts with
``exec``, so the process it tracks is the trainer itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import re
import shlex
import sys
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSMsgType, hdrs, web
from aiohttp.typedefs import Handler
from textual_serve.app_service import AppService
from textual_serve.server import Server

from core.printable import printable
from tui.i18n import _
from tui.serve.options import PROG, ServeOptions, public_host
from tui.serve.process import end_process, server_environment, session_command, window_size
from tui.serve.sessions import DISCONNECTED, QUIT, Session, Sessions, peer_name

MAX_MESSAGE = 64 * 1024
"""The largest websocket message a browser may send (a paste); larger closes the tab."""
RESIZE_INTERVAL = 0.05
"""Seconds over which a burst of window changes is applied as one."""
HOST_PORT = re.compile(r":\d*$")
"""A port at the end of a ``Host`` header (an IPv6 address ends in ``]`` before it)."""
MAX_WARNINGS = 16
"""Distinct refused host names the teacher is told of; a flood of names adds no more lines."""
SAFE_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.%A-Za-z]+\](:\d{1,5})?")
"""A Host header the page may name in its URLs."""
FROM_TEXTUAL_SERVE = (
    "TEXTUAL_DRIVER",
    "TEXTUAL_FPS",
    "TEXTUAL_COLOR_SYSTEM",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "COLUMNS",
    "ROWS",
)
"""What textual-serve sets for its app process; the rest of the server's environment stays out."""


class WebServer:
    """Serves a trainer to each browser tab on ``options.host``:``options.port``."""

    def __init__(self, options: ServeOptions, sessions: Sessions) -> None:
        self._options = options
        self._server = _ClassroomServer(
            shlex.join(["exec", *session_command(options.trainer_arguments)]),
            options=options,
            sessions=sessions,
        )
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Start listening; returns the port (the one chosen, for ``--port 0``)."""
        app = await self._server._make_app()  # textual-serve's routes: page, websocket, downloads
        app.middlewares.append(self._server.check_host)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=3.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._options.host, self._options.port)
        await site.start()
        return int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Stop listening and close what is left (sessions must be ended first)."""
        if self._runner is not None:
            await self._runner.cleanup()


class _ClassroomServer(Server):
    """textual-serve's server, adapted to a class (see the module docstring)."""

    def __init__(self, command: str, *, options: ServeOptions, sessions: Sessions) -> None:
        super().__init__(command, host=options.host, port=options.port, title="c2f-tui")
        self.sessions = sessions
        self._closing: set[asyncio.Task[bool]] = set()
        self.host_names = HostNames(options)

    async def on_startup(self, app: web.Application) -> None:
        """No banner: the first line the teacher reads is ``listening on``."""

    @web.middleware
    async def check_host(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse any request whose ``Host`` is not a name this server was started for."""
        host = request.headers.get(hdrs.HOST, "")
        if not self.host_names.allows(host):
            self.host_names.warn_once(host)
            raise web.HTTPForbidden(
                text="This server does not answer to that name (its teacher can add it with "
                "--allowed-host NAME).\n"
            )
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.Response:
        """textual-serve's page, its URLs naming the host the browser asked for."""
        if not SAFE_HOST.fullmatch(request.host):
            raise web.HTTPBadRequest(text="bad Host header")
        if self.sessions.full:  # say so in plain words, rather than start a page that cannot
            raise web.HTTPServiceUnavailable(text=self.sessions.full_message() + "\n")
        base = f"{request.scheme}://{request.host}"
        websocket = f"{'wss' if request.scheme == 'https' else 'ws'}://{request.host}"
        router = request.app.router
        static = str(router["static"].url_for(filename="/")).rstrip("/") + "/"
        context = {
            "font_size": _whole(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket + str(router["websocket"].url_for()),
            "config": {"static": {"url": base + static}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: a place in the class, a trainer process, and the relay between."""
        if not _same_origin(request):
            raise web.HTTPForbidden(text="this page belongs to another site")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        peer = peer_name(
            request.transport.get_extra_info("peername") if request.transport else None
        )

        def end(reason: str) -> None:
            closing = asyncio.get_running_loop().create_task(websocket.close())
            self._closing.add(closing)  # referenced until done, so it is not collected
            closing.add_done_callback(self._closing.discard)

        session = self.sessions.open(peer, end)
        if session is None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await websocket.send_bytes(f"{self.sessions.full_message()}\r\n".encode())
            await websocket.close(code=1013, message=b"class is full")
            return websocket
        relaying, quit_by_learner = True, False

        async def app_exited() -> None:
            nonlocal quit_by_learner
            quit_by_learner = relaying  # else it quit because the tab had gone
            await websocket.close()

        service = _TrainerService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=app_exited,
            download_manager=self.download_manager,
        )
        width, height = window_size(
            _whole(request.query.get("width", "80"), 80),
            _whole(request.query.get("height", "24"), 24),
        )
        try:
            await service.start(width, height)
            await self._relay(websocket, service, session)
        finally:
            relaying = False
            await service.stop()
            self.sessions.closed(session, QUIT if quit_by_learner else DISCONNECTED)
        return websocket

    async def _relay(
        self, websocket: web.WebSocketResponse, service: AppService, session: Session
    ) -> None:
        """Pass the tab's keys and sizes to the trainer until either side closes.

        textual-serve's own loop trusts the browser's messages; this one ignores any
        that are malformed, so a misbehaving client can only fail to be understood.
        """
        resizer = _Resizer(service)
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses
                continue
            if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
                continue
            kind, payload = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(payload, str):
                self.sessions.touch(session)
                await service.send_bytes(payload.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(payload, dict):
                self.sessions.touch(session)
                resizer.request(*window_size(payload.get("width"), payload.get("height")))
            elif kind == "ping" and isinstance(payload, str):
                await websocket.send_json(["pong", payload[:64]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()
        resizer.cancel()


class _TrainerService(AppService):
    """textual-serve's process keeper, with a short environment and an end that cannot hang."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        textual = super()._build_environment(width=width, height=height)
        kept = {name: textual[name] for name in FROM_TEXTUAL_SERVE if name in textual}
        return server_environment() | {"TERM": "xterm-256color"} | kept

    async def stop(self) -> None:
        """Ask the trainer to quit (textual-serve's way); if it has not ended within a few
        seconds, terminate it, then kill it."""
        quitting = asyncio.ensure_future(super().stop())
        process = self._process  # textual-serve's handle on the trainer process
        if process is not None:
            await end_process(process)
        await quitting


class _Resizer:
    """Sends the latest window size to the trainer at most every ``RESIZE_INTERVAL``."""

    def __init__(self, service: AppService) -> None:
        self._service = service
        self._size: tuple[int, int] | None = None
        self._task: asyncio.Task[None] | None = None

    def request(self, width: int, height: int) -> None:
        self._size = (width, height)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._send())

    async def _send(self) -> None:
        await asyncio.sleep(RESIZE_INTERVAL)
        if self._size is not None:
            await self._service.set_terminal_size(*self._size)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()


class HostNames:
    """The names a browser may use for this server in ``Host`` (Jupyter's
    ``local_hostnames``, with ``allow_remote_access`` off), after ``--host`` and
    ``--allowed-host``.

    An address is safe to accept: a browser sends one only when the learner typed it, and
    DNS rebinding needs a name. On a loopback server only loopback addresses are, as
    nothing else reaches it. ``localhost`` is safe too: browsers resolve it to this machine
    whatever DNS says (and a server on 0.0.0.0 answers there as well). Names are compared
    in lower case, without a port or the final dot (``LOCALHOST.:8000`` is ``localhost``).
    """

    def __init__(self, options: ServeOptions) -> None:
        self.loopback = options.loopback
        names = {"localhost", *options.allowed_hosts}
        try:
            wildcard = ipaddress.ip_address(options.host).is_unspecified
        except ValueError:
            wildcard = not options.host
            if options.host:
                names.add(options.host.lower().removesuffix("."))  # --host teacher.school.lan
        if wildcard:
            names.add(public_host(options.host).lower())  # the name learners are told to use
        self.names = frozenset(names)
        self._warned: set[str] = set()

    def allows(self, host: str) -> bool:
        """Whether a ``Host`` header (``name``, ``name:port`` or ``[v6]:port``) is one of ours."""
        name = HOST_PORT.sub("", host.strip()).lower()
        name = name.removeprefix("[").removesuffix("]").removesuffix(".")
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return name in self.names
        return address.is_loopback or not self.loopback

    def warn_once(self, host: str) -> None:
        """Tell the teacher (on standard error) of the first few names refused, once each."""
        if host in self._warned or len(self._warned) >= MAX_WARNINGS:
            return
        self._warned.add(host)
        print(
            _(
                "{prog}: warning: refused a request for host {host}; if learners use that "
                "name, start the server with --allowed-host NAME"
            ).format(prog=PROG, host=printable(repr(host))),
            file=sys.stderr,
            flush=True,
        )


def _same_origin(request: web.Request) -> bool:
    """Whether a websocket comes from our own page (browsers always send Origin; a page
    from another site must not open trainers in a learner's name)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _whole(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
