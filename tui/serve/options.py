"""The command line of ``c2f-tui serve ssh|web``, and every combination it refuses.

Server options come first in the help; anything else on the line is a trainer option
(``--step``, ``--lr 1e-3`` …) that every learner's session gets. Those are checked by
the trainer's own parser *now*, so a typo is one line and exit status 2 before the
class arrives, never thirty broken sessions later. The learner cannot add any.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import re
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

from core import DataFileError
from core.printable import printable
from tui.cli.parser import Parser, number_type, whole_type
from tui.i18n import N_, _
from tui.settings import Settings

PROG = "c2f-tui serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORTS = {"ssh": 2222, "web": 8000}
DEFAULT_MAX_SESSIONS = 40
DEFAULT_IDLE_TIMEOUT = 30 * 60.0
SERVED_FPS = 1
"""Frames per second of a served session unless the teacher gives ``--fps``. A session
training at the default pace at 80×24, its learner pressing a key a second, costs about
4 % of a core at 1 frame per second, 6 % at 2 and 12 % at the trainer's usual 5
(``tests/perf/serve_capacity.py``); forty at 1 need 1.6 cores. Keys are answered at once
whatever the frame rate, and a paused session draws nothing."""
MAX_PASSWORD_BYTES = 1024


class ServeError(Exception):
    """A refusal to start, said in one line (the command prints it and exits with status 2)."""


ProtocolName = Literal["ssh", "web"]


@dataclass(frozen=True)
class ServeOptions:
    """What ``c2f-tui serve`` was asked to do."""

    protocol: ProtocolName
    """``ssh`` (a pseudo-terminal per learner) or ``web`` (a browser tab per learner)."""
    host: str
    """The address to listen on; only a loopback address is safe without authentication."""
    port: int
    """The port to listen on; 0 picks a free one (the ``listening on`` line names it)."""
    max_sessions: int
    """Learners served at once; one more is told the class is full."""
    idle_timeout: float
    """Seconds without a key (or resize) from a learner before their session is closed; 0: never."""
    trainer_arguments: tuple[str, ...]
    """The command line every session's ``c2f-tui`` gets (checked, and marked as served)."""
    host_key: Path | None = None
    """SSH: the host key file (made on first start), or None for the user's config directory."""
    authorized_keys: Path | None = None
    """SSH: an OpenSSH authorized_keys file; only those keys may connect."""
    password_file: Path | None = None
    """SSH: a file whose first line is the class password."""
    no_auth: bool = False
    """Serve a non-loopback address without authentication, on purpose."""
    allowed_hosts: tuple[str, ...] = ()
    """Web: host names browsers may use for this server besides its own (``--allowed-host``)."""

    @property
    def loopback(self) -> bool:
        """Whether only this machine can connect."""
        return is_loopback(self.host)


_port = whole_type(0, 65535, N_("must be a port number from 0 to {high} (0: any free port)"))
_sessions = whole_type(1, 1000, N_("must be a whole number from 1 to {high}"))
_seconds = number_type(lambda v: v >= 0, N_("must be a number of seconds >= 0 (0: never)"))


HOST_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*")
"""A DNS name as a browser sends it in ``Host`` (IDNs in their ``xn--`` form), lower case."""


def _host_name(text: str) -> str:
    """``--allowed-host``: a DNS name or an address, lower case, without a port."""
    name = text.strip().lower().removesuffix(".")
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(name.removeprefix("[").removesuffix("]")))
    if not HOST_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(
            _(
                "must be a host name (letters, digits, dots, hyphens) or an address, without "
                "a port, got '{text}'"
            ).format(text=printable(text))
        )
    return name


def build_parser(protocol: ProtocolName) -> argparse.ArgumentParser:
    """The options of ``c2f-tui serve PROTOCOL``, with their defaults."""
    what = (
        _("an SSH server: learners type ssh -p PORT class@HOST")
        if protocol == "ssh"
        else _("a web server: learners open http://HOST:PORT/ in a browser")
    )
    parser = Parser(
        prog=f"{PROG} {protocol}",
        # Prefixes would let a trainer option (--paused) be read as a server one (--port),
        # and the trainer's options are read without them too (_trainer_arguments).
        allow_abbrev=False,
        description=_(
            "Serve the trainer to a whole class from this machine, as {what}. Every learner "
            "gets their own c2f-tui; any option not listed here is a trainer option "
            "(see c2f-tui --help) given to every session, e.g. --step. "
            "Not with --headless or --export. Linux and macOS only."
        ).format(what=what),
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=_(
            "address to listen on (default: {host}, this machine only). A loopback address "
            "(127.0.0.0/8, ::1, localhost) needs no authentication; any other needs "
            "authentication or --no-auth"
        ).format(host=DEFAULT_HOST),
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORTS[protocol],
        help=_("port to listen on; 0 picks a free one (default: {port})").format(
            port=DEFAULT_PORTS[protocol]
        ),
    )
    parser.add_argument(
        "--max-sessions",
        metavar="N",
        type=_sessions,
        default=DEFAULT_MAX_SESSIONS,
        help=_("learners at once; one more is told the class is full (default: {n})").format(
            n=DEFAULT_MAX_SESSIONS
        ),
    )
    parser.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=_seconds,
        default=DEFAULT_IDLE_TIMEOUT,
        help=_(
            "close a session after this long without a key from its learner; 0: never "
            "(default: {seconds:g}, 30 minutes)"
        ).format(seconds=DEFAULT_IDLE_TIMEOUT),
    )
    if protocol == "ssh":
        parser.add_argument(
            "--host-key",
            metavar="PATH",
            type=Path,
            help=_(
                "the server's Ed25519 host key, made there on first start and reused "
                "(default: in your config directory)"
            ),
        )
        auth = parser.add_mutually_exclusive_group()
        auth.add_argument(
            "--authorized-keys",
            metavar="PATH",
            type=Path,
            help=_("only learners with a key listed in this authorized_keys file may connect"),
        )
        auth.add_argument(
            "--password-file",
            metavar="PATH",
            type=Path,
            help=_("learners log in with the password on this file's first line (any user name)"),
        )
        auth.add_argument(
            "--no-auth",
            action="store_true",
            help=_("let anyone who can reach --host in, even off this machine"),
        )
    else:
        parser.add_argument(
            "--allowed-host",
            metavar="NAME",
            action="append",
            type=_host_name,
            default=[],
            help=_(
                "a name learners' browsers may call this server by, besides its addresses, "
                "the name given to --host, localhost and this machine's name (on 0.0.0.0 "
                "or ::); repeat for more. A page or websocket "
                "asking for any other name is refused, so that another site's name pointed "
                "at this server (DNS rebinding) cannot open sessions"
            ),
        )
        parser.add_argument(
            "--no-auth",
            action="store_true",
            help=_(
                "serve a non-loopback --host although browsers cannot authenticate "
                "(put it behind a proxy with authentication for anything but a trusted room)"
            ),
        )
    return parser


def parse_options(argv: Sequence[str]) -> ServeOptions:
    """``ServeOptions`` from the words after ``serve``; exits with status 2 on any refusal."""
    arguments = list(argv)
    if not arguments:
        _fail(
            _("say what to serve: {prog} ssh or {prog} web (see {prog} ssh --help)").format(
                prog=PROG
            )
        )
    if arguments[0] in ("-h", "--help"):
        usage = _("usage: {prog} ssh|web [options] [trainer options]  (see {prog} ssh --help)")
        print(usage.format(prog=PROG))
        sys.exit(0)
    protocol: ProtocolName
    if arguments[0] == "ssh":
        protocol = "ssh"
    elif arguments[0] == "web":
        protocol = "web"
    else:
        _fail(
            _("unknown protocol {protocol!r}: use {prog} ssh or {prog} web").format(
                protocol=arguments[0], prog=PROG
            )
        )
    parser = build_parser(protocol)
    args, trainer = parser.parse_known_args(arguments[1:])
    try:
        options = ServeOptions(
            protocol=protocol,
            host=args.host,
            port=args.port,
            max_sessions=args.max_sessions,
            idle_timeout=args.idle_timeout,
            trainer_arguments=_trainer_arguments(trainer),
            host_key=getattr(args, "host_key", None),
            authorized_keys=getattr(args, "authorized_keys", None),
            password_file=getattr(args, "password_file", None),
            no_auth=args.no_auth,
            allowed_hosts=tuple(getattr(args, "allowed_host", ())),
        )
        check_access(options)
    except ServeError as error:
        parser.error(str(error))
    return options


def _fail(message: str) -> NoReturn:
    print(_("{prog}: error: {message}").format(prog=PROG, message=message), file=sys.stderr)
    sys.exit(2)


def _trainer_arguments(trainer: list[str]) -> tuple[str, ...]:
    """The sessions' command line, checked by the trainer's own parser as a served session.

    The served frame rate comes first so that a teacher's own ``--fps`` (later on the
    line) wins. That a session is served (it writes nothing on this machine) is said by
    its entry point, ``tui.serve.session``, not by an option anyone could type.
    """
    from tui.cli.options import parse_settings

    arguments = ("--fps", str(SERVED_FPS), *trainer)
    # Exits 2 on a bad trainer option, and on --headless (a served session never is); whole
    # names only, as the server's own options.
    settings: Settings = parse_settings(list(arguments), served=True, abbreviations=False)
    if settings.export is not None:
        raise ServeError(
            _("argument --export: not with serve (served sessions never write on this machine)")
        )
    try:
        settings.make_dataset()
    except DataFileError as error:
        raise ServeError(f"--data: {error}") from None
    except ValueError as error:
        raise ServeError(f"--celsius-range: {error}") from None
    return arguments


def check_access(options: ServeOptions) -> None:
    """Refuse to open this machine to others without authentication unless asked to."""
    if options.loopback:
        return
    authenticated = options.authorized_keys is not None or options.password_file is not None
    if authenticated or options.no_auth:
        return
    if options.protocol == "ssh":
        raise ServeError(
            _(
                "--host {host} is not a loopback address: give --authorized-keys or "
                "--password-file, or --no-auth to let in anyone who can reach it"
            ).format(host=options.host)
        )
    raise ServeError(
        _(
            "--host {host} is not a loopback address and browsers cannot authenticate: "
            "give --no-auth to let in anyone who can reach it (behind a proxy with "
            "authentication for anything but a trusted room)"
        ).format(host=options.host)
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) means this machine only.

    A name counts only if every address it resolves to is a loopback one; a name
    that does not resolve, and the empty "every interface" address, do not count.
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    addresses = {str(info[4][0]) for info in infos}
    return bool(addresses) and all(_loopback_address(a) for a in addresses)


def _loopback_address(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """``host`` as it is written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host


def public_host(host: str) -> str:
    """The name learners use for this machine: ``host``, or the machine's name for a
    wildcard address (0.0.0.0 and :: are where the server listens, not an address to visit)."""
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        wildcard = not host
    return socket.gethostname() if wildcard else host
