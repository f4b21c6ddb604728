"""How a c2f-tui process ends: its exit status, signals, closed streams and crashes.

Every way a run can end has one exit status (``EXIT_STATUSES``, shown by
``--help`` and in README), decided in one place (``exit_status``):

* a run ended by a signal exits 128 + its number (130 for Ctrl+C, 143 for
  SIGTERM, 129 for SIGHUP: what a shell reports for it), after the same orderly
  ending Ctrl+C gets: training stops between two iterations, the export is
  written, the terminal is restored;
* otherwise 3 if training diverged or is unstable (``Trainer.stable`` is false:
  ρ ≥ 1, so it never converges, however few iterations ran), 1 if output the user
  asked for could not be written or the program crashed, 2 for a usage error,
  else 0.

``run_main`` wraps the whole command: Ctrl+C or SIGTERM while modules are still
loading ends it quietly with 128 + n, and an unexpected exception is one line
naming the error and the file its full traceback was saved to (the traceback
itself with ``--debug``), and status 1. ``reopen_closed_streams`` makes a
closed stdin, stdout or stderr (``2>&-``) harmless: writes to it are
discarded, and no file opened later can take its place (``tui.cli.start`` then
refuses ``--headless`` without a stdout: its summary would vanish).

Only the standard library (and ``tui.i18n``, which needs no more) is imported
here, so this module can guard the start-up of everything else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from tui.i18n import N_, _

PROG = "c2f-tui"

EXIT_OK = 0
EXIT_FAILED = 1
"""Output the user asked for could not be written, or the program crashed."""
EXIT_USAGE = 2
EXIT_DIVERGED = 3
SIGNAL_BASE = 128
"""A run ended by signal n exits ``SIGNAL_BASE + n``, as shells report such a run."""

EXIT_STATUSES = N_("""\
exit status (the first that applies):
  128+n  ended by signal n: 130 Ctrl+C (SIGINT), 129 SIGHUP, 131 SIGQUIT,
         143 SIGTERM; training stops between iterations, --export is written
  3      headless: training diverged, or is unstable (its rate makes the
         error grow or stall, so it can never converge), or oscillates (the
         published gradient above its limit: it neither converges nor
         diverges), whatever --iterations
  1      output you asked for (--export, the summary) could not be written,
         or c2f-tui crashed (one line says where the traceback was saved)
  2      usage error: a bad option or data file, an --export path that
         cannot be written, or --headless with standard output closed (>&-)
  0      otherwise (and c2f-tui serve stopped by Ctrl+C, SIGTERM or SIGHUP)""")

"""The table printed by ``--help`` (through ``_()``) and copied in README."""

ENDING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name)
    for name in (
        "SIGINT",
        "SIGTERM",
        "SIGHUP",
        "SIGQUIT",
        "SIGALRM",
        "SIGUSR1",
        "SIGUSR2",
        "SIGVTALRM",
        "SIGPROF",
        "SIGXCPU",
    )
    if hasattr(signal, name)
)
"""Every signal that a program may catch and whose default would end it at once: each ends
a run the way Ctrl+C does (SIGPIPE is ignored by Python; SIGKILL cannot be caught)."""


def exit_status(
    *,
    signal_number: int | None = None,
    diverged: bool = False,
    unstable: bool = False,
    output_failed: bool = False,
) -> int:
    """The exit status of a run that got as far as training, by ``EXIT_STATUSES``' precedence.

    ``unstable`` is the trainer's verdict that a run cannot be trusted even
    though it has not (yet) diverged; it is reported like divergence.
    """
    if signal_number is not None:
        return SIGNAL_BASE + signal_number
    if diverged or unstable:
        return EXIT_DIVERGED
    if output_failed:
        return EXIT_FAILED
    return EXIT_OK


def signal_name(number: int) -> str:
    """``SIGTERM`` for 15; ``signal 64`` for a number without a name."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# -- signals that ask a run to stop ---------------------------------------------------


@dataclass
class StopRequest:
    """Set by the first ending signal; the training loop looks at it between chunks."""

    signal_number: int | None = None
    """The first ending signal received, or None while none has been."""
    urgent: bool = False
    """While true (``interrupting``), a signal also raises ``Ended`` where the program is."""
    urgent_after_first: bool = False
    """Within ``interrupting(first=False)``: only a signal after the first raises."""

    def __bool__(self) -> bool:
        return self.signal_number is not None

    def ask(self, number: int, frame: FrameType | None = None) -> None:
        """A signal handler: remember the first signal, ignore repeats of any; within
        ``interrupting``, raise ``Ended``."""
        first = self.signal_number is None
        if first:
            self.signal_number = number
        if self.urgent and not (first and self.urgent_after_first):
            raise Ended(number)

    @contextlib.contextmanager
    def interrupting(self, *, first: bool = True) -> Iterator[None]:
        """Within the block, a signal (besides being remembered) raises ``Ended``; with
        ``first=False``, only a signal that follows another (then or before) does.

        For writing output that may block for as long as its reader pleases (a
        terminal paused with Ctrl+S, a pseudo-terminal nobody reads, a slow
        device): a handler that only takes note lets the interrupted ``write``
        resume (PEP 475), so nothing between two chunks would ever look. A
        raising handler ends the ``write`` itself. ``first=False`` is for output
        worth finishing that normally takes milliseconds (a file on disk): the
        first signal lets it finish, a second one insists.
        """
        self.urgent, self.urgent_after_first = True, not first
        try:
            yield
        finally:
            self.urgent = self.urgent_after_first = False


@contextlib.contextmanager
def signals_as_request() -> Iterator[StopRequest]:
    """Within the block, every ending signal sets the yielded ``StopRequest`` instead of
    ending the process (or raising KeyboardInterrupt).

    The loop that checks it stops on a whole iteration with the trainer's state
    consistent, and what follows (the export, the summary) runs to its end: a
    signal can no longer land in the middle of writing a file. Outside the main
    thread signals cannot be handled, and the defaults stay.
    """
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return
    previous = {
        number: signal.signal(number, request.ask)
        for number in ENDING_SIGNALS
        if signal.getsignal(number) is not signal.SIG_IGN  # nohup: SIGHUP stays ignored
    }
    try:
        yield request
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class Ended(BaseException):
    """Raised by a signal that arrives while nothing has asked to handle it more gently
    (start-up: loading modules, reading data); like KeyboardInterrupt, it is no error."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_name(signal_number))
        self.signal_number = signal_number


def _raise_ended(number: int, frame: FrameType | None) -> None:
    raise Ended(number)


# -- the whole command ---------------------------------------------------------------


def run_main(body: Callable[[], int], *, debug: bool) -> int:
    """``body()``'s exit status, with every other way out of it turned into one.

    Ctrl+C (KeyboardInterrupt) and any other ending signal before ``body``
    installs a gentler handler end it quietly with 128 + n. ``SystemExit``
    (argparse's usage errors) passes through. Any other exception is a crash:
    ``report_crash``, status 1.
    """
    previous = _install(_raise_ended)
    try:
        return body()
    except KeyboardInterrupt:
        return SIGNAL_BASE + signal.SIGINT
    except Ended as ended:
        return SIGNAL_BASE + ended.signal_number
    except Exception as error:
        return report_crash(error, debug=debug)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
"""What ``signal.signal`` accepts and returns."""


def _install(handler: Callable[[int, FrameType | None], None]) -> dict[int, _Handler]:
    """``handler`` for every ending signal but SIGINT (Python's KeyboardInterrupt already
    ends start-up that way); the handlers it replaced. Nothing outside the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous: dict[int, _Handler] = {}
    for number in ENDING_SIGNALS:
        if number != signal.SIGINT and signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, handler)
    return previous


def wants_debug(arguments: Sequence[str]) -> bool:
    """Whether the command line asks for ``--debug`` (or an abbreviation argparse accepts),
    known before the arguments are parsed so that a crash while parsing obeys it too."""
    for argument in arguments:
        if argument == "--":
            return False
        if len(argument) >= 4 and "--debug".startswith(argument):
            return True
    return False


# -- crashes --------------------------------------------------------------------------


def report_crash(error: BaseException, *, debug: bool, details: str | None = None) -> int:
    """Tell the user in one line what crashed and where its traceback went; return 1.

    With ``debug`` the traceback itself is printed instead. ``details`` is a
    traceback already rendered (Textual renders its own), else ``error``'s is
    used.
    """
    text = details or "".join(traceback.format_exception(error))
    if debug:
        _say(text.rstrip("\n"))
        return EXIT_FAILED
    what = f"{type(error).__name__}: {_printable(str(error))}".rstrip(": ")
    if len(what) > 160:
        what = what[:160] + "…"
    place = _where(error)
    saved = save_traceback(text)
    if saved is not None:
        where = _("full traceback in {file}").format(file=_printable(str(saved)))
    else:
        where = _("the traceback could not be saved; run again with --debug to see it")
    _say(
        f"{PROG}: "
        + _("crashed: {error}{place}; {where}").format(error=what, place=place, where=where)
    )
    return EXIT_FAILED


def save_traceback(text: str) -> Path | None:
    """Write a crash report to a new private file in the temporary folder; None if impossible."""
    header = (
        f"{PROG} crashed at {datetime.now():%Y-%m-%d %H:%M:%S}\n"
        f"command: {' '.join(sys.argv)}\n"
        f"python {sys.version.split()[0]} on {sys.platform}\n\n"
    )
    try:
        descriptor, name = tempfile.mkstemp(prefix=f"{PROG}-crash-", suffix=".txt")
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="replace") as file:
            file.write(header + text)
    except OSError:
        return None
    return Path(name)


def _where(error: BaseException) -> str:
    """`` at tui/cli/headless.py:89``: the innermost frame of the traceback, if it has one."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return ""
    frame = frames[-1]
    filename = frame.filename
    with contextlib.suppress(ValueError):  # our own files by their place in the project
        inside = os.path.relpath(filename, Path(__file__).resolve().parent.parent)
        filename = filename if inside.startswith("..") else inside
    return f" at {_printable(filename)}:{frame.lineno}"


def _say(line: str) -> None:
    """Print on stderr if it can be written; a crash report must not crash."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr, flush=True)


def _printable(text: str) -> str:
    """``core.printable``, the one escaping helper; if even core cannot load, ``ascii``."""
    try:
        from core.printable import printable
    except Exception:
        return ascii(text)[1:-1]
    return printable(text)


# -- closed standard streams ----------------------------------------------------------


def reopen_closed_streams() -> frozenset[int]:
    """Give every closed standard descriptor (0, 1, 2) to /dev/null; return which were closed.

    A program started with ``>&-`` has no descriptor 1: Python sets
    ``sys.stdout`` to None (a later print crashes), and the next file opened
    would receive descriptor 1, so anything meant for stdout would land in it.
    Pointing the descriptor at /dev/null makes it what the user asked for, a
    place output is discarded, and gives Python a stream to write there.
    """
    closed = set()
    for descriptor, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(descriptor)
        except OSError:
            null = os.open(os.devnull, mode)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)
            closed.add(descriptor)
    if sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    return frozenset(closed)
