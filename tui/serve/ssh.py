"""The SSH server: asyncssh, with one pseudo-terminal and one ``c2f-tui`` process per learner.

asyncssh speaks the protocol; this module decides what a connection may do, which
is very little. A session may ask for a terminal and a shell, and gets the trainer.
Everything else is refused: exec requests (never run, whatever the command),
subsystems (SFTP), port, agent and X11 forwarding, a second session on the same
connection. asyncssh's line editor and agent forwarding, on by default, are off.

Bytes flow both ways between the SSH channel and the pty's master side, with flow
control: a learner on a slow link stops their own trainer's output (the pty fills),
never the server. Window sizes are clamped and applied at most every 50 ms, so a
client that floods resizes, or announces a 0×0 or a 4-billion-column window,
cannot hurt its session or anyone else's.

Before a connection is a session it is *waiting* (``tui.serve.gate``): it has a few
seconds for each step of the way in, waiting connections are bounded apart from the
class, and the most stuck one makes room for a newcomer. Only sessions count
toward the class size, and a session's place is free again the moment its
connection closes (its process is ended in the background, and waited for when the
server stops).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hmac
import os
import stat
import struct
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import asyncssh

from tui.i18n import N_, _
from tui.serve import hostkey
from tui.serve.gate import (
    CONNECTED,
    EXCHANGING_KEYS,
    GREETED,
    HANDSHAKE_GRACE,
    LOGGED_IN,
    LOGGING_IN,
    LOGIN_GRACE,
    MAX_PASSWORD_TRIES,
    SESSION_GRACE,
    Arrival,
    Gate,
    Throttle,
    Tries,
    waiting_limit,
)
from tui.serve.options import MAX_PASSWORD_BYTES, PROG, ServeError, ServeOptions
from tui.serve.process import (
    KILL_AFTER,
    QUIT_KEY,
    client_environment,
    end_process,
    server_environment,
    session_command,
    window_size,
)
from tui.serve.sessions import (
    DISCONNECTED,
    IDLE,
    QUIT,
    STOPPING,
    Session,
    Sessions,
    duration,
    peer_name,
)

LOGIN_TIMEOUT = HANDSHAKE_GRACE + LOGIN_GRACE
"""Seconds a client has to authenticate, all steps together (asyncssh's default is 2 minutes;
the gate's own deadlines per step come first, this is asyncssh's backstop)."""
KEEPALIVE_INTERVAL = 30
"""Seconds of silence before the server checks the client is still there …"""
KEEPALIVE_COUNT_MAX = 3
"""… and unanswered checks before it hangs up (so a vanished laptop frees its place)."""
RESIZE_INTERVAL = 0.05
"""Seconds over which a burst of window changes is applied as one."""
HANG_UP_AFTER = 5.0
"""Seconds a client may keep its connection once its session has closed."""
MAX_AUTHORIZED_KEYS_BYTES = 1_000_000
"""The largest ``--authorized-keys`` file read: room for a thousand learners' RSA keys, and
parsed in well under a second."""
MAX_PENDING_INPUT = 64 * 1024
"""Bytes of keys kept for a session that is not reading them; more are dropped."""
FAREWELLS = {
    IDLE: N_("c2f-tui: session closed after {idle} without a key."),
    STOPPING: N_("c2f-tui: the class is over (the server stopped)."),
}
"""What a learner reads when the server ends their session."""


def make_ssh_server(options: ServeOptions, sessions: Sessions) -> SshServer:
    """The server for ``options``: the class's credentials, read once now, and its host key
    if it has one (a new one is made once the server listens); any problem is a
    ``ServeError``, and then no key was made."""
    authorized_keys = None
    if options.authorized_keys is not None:
        authorized_keys = read_authorized_keys(options.authorized_keys)
    password = None
    if options.password_file is not None:
        password = read_password(options.password_file)
    key_path = options.host_key or hostkey.default_path()
    return SshServer(
        options,
        sessions,
        (key_path, hostkey.load(key_path)),
        authorized_keys=authorized_keys,
        password=password,
    )


def read_authorized_keys(path: Path) -> asyncssh.SSHAuthorizedKeys:
    """The keys learners may log in with (OpenSSH's authorized_keys format), from a regular
    file of at most ``MAX_AUTHORIZED_KEYS_BYTES``."""
    option = "--authorized-keys"
    data, _info = _read_regular_file(option, path, MAX_AUTHORIZED_KEYS_BYTES)
    if len(data) > MAX_AUTHORIZED_KEYS_BYTES:
        raise ServeError(
            _("{option} {path}: larger than {n:,} bytes").format(
                option=option, path=path, n=MAX_AUTHORIZED_KEYS_BYTES
            )
        )
    try:
        return asyncssh.import_authorized_keys(data.decode("utf-8", "replace"))
    except (ValueError, asyncssh.KeyImportError) as error:
        reason = str(error)
    except Exception:  # asyncssh 2.24 raises NameError for a line it takes for an X.509
        reason = _("not in OpenSSH's authorized_keys format")  # certificate (no pyOpenSSL)
    raise ServeError(f"{option} {path}: {reason}")


def read_password(path: Path) -> bytes:
    """The class password: the first line of ``path``, read once; never logged. Like an
    OpenSSH private key, the file must be a regular file that only its owner can read."""
    option = "--password-file"
    data, info = _read_regular_file(option, path, MAX_PASSWORD_BYTES)
    if info.st_mode & 0o077:
        raise ServeError(
            _("{option} {path}: others can read it (mode {mode:o}); chmod 600 it").format(
                option=option, path=path, mode=stat.S_IMODE(info.st_mode)
            )
        )
    line, newline, _rest = data.partition(b"\n")
    line = line.rstrip(b"\r")
    if not newline and len(data) > MAX_PASSWORD_BYTES:
        raise ServeError(
            _("--password-file {path}: the first line is longer than {n} bytes").format(
                path=path, n=MAX_PASSWORD_BYTES
            )
        )
    if not line:
        raise ServeError(_("--password-file {path}: the first line is empty").format(path=path))
    return line


def _read_regular_file(option: str, path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """At most ``limit + 1`` bytes of ``path``, and its status; ``ServeError`` unless it is
    a regular file. A named pipe could keep start-up waiting for ever and a device could
    be read without end, so neither is read: the file is opened without blocking (which
    returns at once even for a pipe nobody writes to) and refused unless it is regular."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ServeError(f"{option} {path}: {reason}") from None
    except ValueError as error:  # a NUL character in the name
        raise ServeError(f"{option} {path}: {error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ServeError(
                _("{option} {path}: not a regular file (a pipe, a device or a folder)").format(
                    option=option, path=path
                )
            )
        with open(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ServeError(f"{option} {path}: {reason}") from None
    finally:
        os.close(descriptor)
    return data, info


class SshServer:
    """Listens for learners on ``options.host``:``options.port`` until ``close()``."""

    def __init__(
        self,
        options: ServeOptions,
        sessions: Sessions,
        host_key: tuple[Path, asyncssh.SSHKey | None],
        *,
        authorized_keys: asyncssh.SSHAuthorizedKeys | None = None,
        password: bytes | None = None,
    ) -> None:
        self.options = options
        self.sessions = sessions
        self.password = password
        """The class password (first line of ``--password-file``), compared in constant time."""
        self.command = session_command(options.trainer_arguments)
        self.gate = Gate(waiting_limit(options.max_sessions))
        """Connections on their way in (not yet a session): bounded apart from the class."""
        self.throttle = Throttle()
        """Wrong passwords, per connection and per user name."""
        self.connections: set[_Connection] = set()
        self.trainers: set[asyncio.Task[None]] = set()
        """Every session's life (``_TrainerSession._run``), until its process is gone: a
        session whose learner left frees its place at once, but is waited for on stopping."""
        self._host_key_path, self._host_key = host_key
        """Where the host key is kept, and the key (None until a new one is made)."""
        self._authorized_keys = authorized_keys
        self._acceptor: asyncssh.SSHAcceptor | None = None

    @property
    def authenticates(self) -> bool:
        return self.password is not None or self._authorized_keys is not None

    async def start(self) -> int:
        """Start listening; returns the port (the one chosen, for ``--port 0``)."""
        key = self._host_key or hostkey.generate()
        self._acceptor = await asyncssh.create_server(
            lambda: _Connection(self),
            self.options.host,
            self.options.port,
            server_host_keys=[key],
            authorized_client_keys=self._authorized_keys,
            public_key_auth=self._authorized_keys is not None,
            password_auth=self.password is not None,
            kbdint_auth=False,
            host_based_auth=False,
            gss_host=None,
            encoding=None,
            allow_pty=True,
            line_editor=False,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            login_timeout=LOGIN_TIMEOUT,
            keepalive_interval=KEEPALIVE_INTERVAL,
            keepalive_count_max=KEEPALIVE_COUNT_MAX,
            server_version="c2f-tui",
            reuse_address=True,
        )
        self._keep_host_key(key)
        return self._acceptor.get_port()

    def _keep_host_key(self, key: asyncssh.SSHKey) -> None:
        """Store a new host key now that the port is ours, and say which key learners see."""
        assert self._acceptor is not None
        created = self._host_key is None
        if created:
            try:
                stored = hostkey.store(self._host_key_path, key)
            except ServeError:
                self._acceptor.close()
                raise
            if stored is not key:  # another server stored one first: use that one
                self._acceptor.update(server_host_keys=[stored])
            key = stored
        self._host_key = key
        print(
            _("{prog}: {new}host key {path}, fingerprint {fingerprint}").format(
                prog=PROG,
                new=_("new ") if created else "",
                path=self._host_key_path,
                fingerprint=key.get_fingerprint(),
            ),
            file=sys.stderr,
        )

    async def close(self) -> None:
        """Stop listening and hang up on every connection (their sessions must be ended first)."""
        if self._acceptor is not None:
            self._acceptor.close()
        for connection in list(self.connections):
            connection.close()
        if self.trainers:  # processes of learners who left, still ending (killed by then)
            await asyncio.wait(list(self.trainers), timeout=KILL_AFTER + 2)
        if self._acceptor is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._acceptor.wait_closed(), 2.0)


class _Connection(asyncssh.SSHServer):
    """One client's connection: the way in (the gate's steps), authentication, and at most
    one trainer session."""

    def __init__(self, server: SshServer) -> None:
        self._server = server
        self._conn: asyncssh.SSHServerConnection | None = None
        self._has_session = False
        self._arrival: Arrival | None = None
        """Its place among the waiting connections, until it is a session (or gone)."""
        self._step = CONNECTED
        """How far it has come that the connection was told of (``CONNECTED`` … ``LOGGED_IN``)."""
        self._deadline: asyncio.TimerHandle | None = None
        """Hangs up when the current step of the way in takes longer than its grace."""
        self._tries = Tries()
        self.peer = "?"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self.peer = peer_name(conn.get_extra_info("peername"))
        self._server.connections.add(self)
        self._arrival = self._server.gate.arrive(conn.abort, self._progress)
        self._expect(HANDSHAKE_GRACE)

    def connection_lost(self, exc: Exception | None) -> None:
        self._server.connections.discard(self)
        self._arrived()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _progress(self) -> int:
        """How far it has come (``CONNECTED`` … ``LOGGED_IN``); the steps before a user
        name is given are read from what asyncssh has recorded of the handshake so far."""
        if self._step >= LOGGING_IN or self._conn is None:
            return self._step
        if self._conn.get_extra_info("send_cipher") is not None:
            return EXCHANGING_KEYS
        if self._conn.get_extra_info("client_version") is not None:
            return GREETED
        return CONNECTED

    def _expect(self, grace: float) -> None:
        """Hang up unless the next step comes within ``grace`` seconds."""
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = asyncio.get_running_loop().call_later(grace, self._too_late)

    def _too_late(self) -> None:
        self._deadline = None
        if self._conn is not None:
            self._conn.disconnect(asyncssh.DISC_BY_APPLICATION, "took too long to log in")

    def _arrived(self) -> None:
        """A session now, or gone: no longer waiting, no deadline."""
        if self._arrival is not None:
            self._server.gate.leave(self._arrival)
            self._arrival = None
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def begin_auth(self, username: str) -> bool:
        if self._step < LOGGING_IN:  # only the first user name is a step forward
            self._step = LOGGING_IN
            self._expect(LOGIN_GRACE)
        return self._server.authenticates

    def auth_completed(self) -> None:
        self._step = LOGGED_IN
        self._expect(SESSION_GRACE)

    def password_auth_supported(self) -> bool:
        return self._server.password is not None

    async def validate_password(self, username: str, password: str) -> bool:
        """Whether ``password`` is the class password, checked only once the wait after
        earlier wrong ones (on this connection, with this user name) is over; a client that
        sends another attempt meanwhile abandons this one unchecked."""
        wait = self._server.throttle.wait(self._tries, username)
        if wait > 0:
            await asyncio.sleep(wait)
        expected = self._server.password
        given = password.encode("utf-8", "surrogateescape")
        if expected is not None and hmac.compare_digest(given, expected):
            return True
        self._server.throttle.failed(self._tries, username)
        if self._tries.failures >= MAX_PASSWORD_TRIES and self._conn is not None:
            # After the refusal is sent (the rest of this step), hang up.
            asyncio.get_running_loop().call_soon(
                self._conn.disconnect,
                asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                "too many wrong passwords",
            )
        return False

    def session_requested(self) -> asyncssh.SSHServerSession[bytes] | bool:
        if self._has_session:
            return False  # one trainer per connection: the class limit counts learners
        self._has_session = True
        return _TrainerSession(self._server, self.peer, started=self._arrived)


class _TrainerSession(asyncssh.SSHServerSession[bytes]):
    """A learner's trainer: a ``c2f-tui`` process on a pty, joined to the SSH channel."""

    def __init__(self, server: SshServer, peer: str, *, started: Callable[[], None]) -> None:
        self._server = server
        self._peer = peer
        self._started = started
        """Tells the connection it is a session now (it leaves the gate)."""
        self._loop = asyncio.get_running_loop()
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term: str | None = None
        self._size = window_size(0, 0)
        self._session: Session | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._master: int | None = None
        self._pending_input = bytearray()
        self._writing_input = False
        self._reading_output = False
        self._output_paused = False
        self._output_done = asyncio.Event()
        self._resize: asyncio.TimerHandle | None = None
        self._ending: asyncio.Task[int] | None = None
        self._gone = False
        self._run_task: asyncio.Task[None] | None = None
        """The session's life (``_run``), referenced so that it is not garbage-collected."""

    # -- what the client may ask for -----------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self._term = term_type
        self._size = window_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False  # only the trainer runs: a client's command never does

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # no SFTP, no anything else

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # a client does not signal the trainer; q and Ctrl+Q quit it

    def session_started(self) -> None:
        self._started()
        self._run_task = asyncio.create_task(self._run())
        self._server.trainers.add(self._run_task)
        self._run_task.add_done_callback(self._server.trainers.discard)

    # -- the session's life ----------------------------------------------------------

    async def _run(self) -> None:
        chan = self._chan
        assert chan is not None
        if self._term is None:
            self._farewell(_("c2f-tui needs a terminal: connect with ssh -t"), status=2)
            return
        if self._gone:  # the learner left before their session began
            return
        sessions = self._server.sessions
        session = sessions.open(self._peer, self._end)
        if session is None:
            why = sessions.full_message() if not sessions.stopping else _(FAREWELLS[STOPPING])
            self._farewell(why, status=1)
            return
        self._session = session
        status, message = 1, None
        try:
            status = await self._start_and_wait(session)
        except OSError as error:  # no pty or process to be had (the machine is out of them)
            message = _("c2f-tui: no trainer could be started here: {reason}").format(
                reason=error.strerror or error
            )
        finally:
            self._close_master()
            reason = DISCONNECTED if self._gone else (QUIT if status == 0 else f"exit {status}")
            sessions.closed(session, reason)
        if session.ending in FAREWELLS:
            idle = duration(sessions.idle_timeout)
            message = _(FAREWELLS[session.ending]).format(idle=idle)
        self._farewell(message, status=status)

    async def _start_and_wait(self, session: Session) -> int:
        assert self._chan is not None
        master, slave = os.openpty()
        self._master = master
        _set_size(master, self._size)
        os.set_blocking(master, False)
        environment = server_environment() | client_environment(
            self._term, self._chan.get_environment()
        )
        try:
            self._process = await asyncio.create_subprocess_exec(
                *self._server.command,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=environment,
                start_new_session=True,
            )
        finally:
            os.close(slave)
        self._start_reading()
        self._flush_input()
        if self._gone or session.ending is not None:
            self._stop_process(quit_first=not self._gone)
        status = await self._process.wait()
        # What it wrote last (restoring the learner's terminal) is still in the pty.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._output_done.wait(), 1.0)
        return status

    def _end(self, reason: str) -> None:
        """Asked by ``Sessions`` (idle, server stopping): quit the trainer, as its learner would."""
        if self._process is not None:
            self._stop_process(quit_first=True)

    def _stop_process(self, *, quit_first: bool) -> None:
        if quit_first:
            self._pending_input[:] = QUIT_KEY
            self._flush_input()
        if self._ending is None and self._process is not None:
            self._ending = asyncio.create_task(end_process(self._process))

    def connection_lost(self, exc: Exception | None) -> None:
        """The learner left (or was hung up on): their place is free at once, and their
        trainer is hung up on too (``_run`` waits for it to end, killing it if need be)."""
        self._gone = True
        if self._session is not None:
            self._server.sessions.closed(self._session, DISCONNECTED)
        self._close_master()  # the trainer's terminal hangs up: SIGHUP
        if self._process is not None:
            self._stop_process(quit_first=False)

    def _farewell(self, message: str | None, *, status: int) -> None:
        """Say ``message`` (if any), report the exit status and close the session; the
        client then hangs up, or is hung up on a little later."""
        chan = self._chan
        if chan is None or self._gone:
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            if message:
                chan.write(f"\r\n{message}\r\n".encode())
            chan.exit(status if 0 <= status <= 255 else 1)
        conn = chan.get_extra_info("connection")
        if conn is not None:
            self._loop.call_later(HANG_UP_AFTER, conn.close)

    # -- keys in -----------------------------------------------------------------------

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self._session is not None:
            self._server.sessions.touch(self._session)
        room = MAX_PENDING_INPUT - len(self._pending_input)
        self._pending_input += data[: max(room, 0)]
        self._flush_input()

    def eof_received(self) -> bool:
        return False  # the client closed its input: close the channel, which ends the trainer

    def _flush_input(self) -> None:
        """Write waiting keys to the pty; while it is full, stop reading the channel."""
        master = self._master
        if master is None:
            return
        while self._pending_input:
            try:
                written = os.write(master, self._pending_input)
            except BlockingIOError:
                break
            except OSError:  # the trainer is gone
                self._pending_input.clear()
                break
            del self._pending_input[:written]
        chan = self._chan
        if self._pending_input and not self._writing_input:
            self._writing_input = True
            self._loop.add_writer(master, self._flush_input)
            if chan is not None:
                chan.pause_reading()
        elif not self._pending_input and self._writing_input:
            self._writing_input = False
            self._loop.remove_writer(master)
            if chan is not None:
                chan.resume_reading()

    # -- screen out ----------------------------------------------------------------------

    def _start_reading(self) -> None:
        if self._master is not None and not self._reading_output and not self._output_paused:
            self._loop.add_reader(self._master, self._read_output)
            self._reading_output = True

    def _stop_reading(self) -> None:
        if self._master is not None and self._reading_output:
            self._loop.remove_reader(self._master)
            self._reading_output = False

    def _read_output(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every process on the pty is gone
            data = b""
        if not data:
            self._stop_reading()
            self._output_done.set()
            return
        if self._chan is not None and not self._gone:
            with contextlib.suppress(BrokenPipeError, OSError):
                self._chan.write(data)

    def pause_writing(self) -> None:
        """The learner's link is behind: stop reading the pty, so their trainer waits."""
        self._output_paused = True
        self._stop_reading()

    def resume_writing(self) -> None:
        self._output_paused = False
        if not self._output_done.is_set():
            self._start_reading()

    def _close_master(self) -> None:
        master, self._master = self._master, None
        if master is None:
            return
        if self._reading_output:
            self._loop.remove_reader(master)
            self._reading_output = False
        if self._writing_input:
            self._loop.remove_writer(master)
            self._writing_input = False
        os.close(master)

    # -- window size -----------------------------------------------------------------------

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = window_size(width, height)
        if self._session is not None:
            self._server.sessions.touch(self._session)
        if self._resize is None:
            self._resize = self._loop.call_later(RESIZE_INTERVAL, self._apply_size)

    def _apply_size(self) -> None:
        self._resize = None
        if self._master is not None:
            _set_size(self._master, self._size)  # the kernel tells the trainer: SIGWINCH


def _set_size(fd: int, size: tuple[int, int]) -> None:
    columns, rows = size
    with contextlib.suppress(OSError):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
