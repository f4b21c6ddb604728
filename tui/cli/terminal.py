"""Running the Textual app so that every way it ends leaves the terminal as it was found.

Textual restores the terminal (leaves the alternate screen, turns mouse
reporting off, shows the cursor, puts the tty modes back) whenever the app ends
through its own shutdown: ``q``, ``App.exit``, or an exception in a handler.
It installs no handler for SIGTERM, SIGHUP or SIGQUIT, though, and their
default ends the process on the spot, leaving the terminal in the alternate
screen, raw, with the mouse reported and the cursor hidden.

``run_app`` turns every ending signal (``exits.ENDING_SIGNALS``) into
``App.exit`` on the app's event loop, so Textual's own shutdown runs, and the
exit status is 128 + the signal's number. If the app cannot answer (a handler
stuck in a loop), a second signal, or ``GRACE`` seconds without shutdown, makes
a watchdog thread call the driver's own ``stop_application_mode`` and end the
process with the same status.

An exception inside the app makes Textual exit and render the traceback on
its error console. Here that console is a buffer: the user reads one line from
``exits.report_crash`` naming the error and the file holding the whole
traceback (with ``--debug``, Textual's rendering is printed as usual), and the
status is 1 rather than Textual's silent 0 from ``App.run``.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import threading
import traceback
from collections.abc import Iterator
from types import FrameType
from typing import Any

from rich.console import Console
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from tui.cli.exits import (
    ENDING_SIGNALS,
    EXIT_FAILED,
    EXIT_OK,
    SIGNAL_BASE,
    report_crash,
)
from tui.cli.input_thread import QuietLinuxDriver

GRACE = 3.0
"""Seconds the app has to shut down after a signal before the watchdog restores the terminal
itself (an orderly shutdown takes well under one)."""
RESTORE_TIMEOUT = 1.0
"""Seconds the watchdog waits for the terminal to take the restoring sequences."""


def run_app(app: App[Any], *, debug: bool) -> int:
    """Run ``app`` on this terminal until it ends; return the exit status."""
    if app.driver_class is LinuxDriver:  # not the web driver (textual-serve) or a test's
        app.driver_class = QuietLinuxDriver
    rendered = io.StringIO()
    if not debug:
        app.error_console = Console(file=rendered, width=100, color_system=None, markup=False)
    ending = _Ending(app)
    with ending.catching_signals():
        asyncio.run(ending.run())
    if ending.signal_number is not None:
        return SIGNAL_BASE + ending.signal_number
    if app.return_code:
        error = app._exception  # Textual keeps the first unhandled exception here (no accessor)
        if debug:
            return EXIT_FAILED  # Textual has printed its traceback on stderr
        if error is None:
            error = RuntimeError("the app stopped with an error")
        plain = "".join(traceback.format_exception(error))
        return report_crash(
            error, debug=False, details=f"{plain}\nAs Textual rendered it:\n{rendered.getvalue()}"
        )
    return EXIT_OK


class _Ending:
    """The first ending signal, how it is passed to the app, and the watchdog behind it."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.signal_number: int | None = None
        """The first ending signal received, or None."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._signalled = threading.Event()
        self._finished = threading.Event()
        self._forced = False

    async def run(self) -> None:
        """The app, unless a signal came before there was an app to end."""
        self._loop = asyncio.get_running_loop()
        if self.signal_number is None:
            await self.app.run_async()

    @contextlib.contextmanager
    def catching_signals(self) -> Iterator[None]:
        """Within the block, ending signals end the app (see the module docstring).

        Python-level handlers, not ``loop.add_signal_handler``: they run between
        two bytecodes of the main thread even while a handler of the app keeps
        the event loop from turning, so the watchdog still hears the signal.
        Signals that are ignored (``nohup``) stay ignored.
        """
        previous = {
            number: signal.signal(number, self._received)
            for number in ENDING_SIGNALS
            if signal.getsignal(number) is not signal.SIG_IGN
        }
        watchdog = threading.Thread(target=self._watch, name="c2f-watchdog", daemon=True)
        watchdog.start()
        try:
            yield
        finally:
            self._finished.set()
            self._signalled.set()  # let the watchdog see that all is done
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _received(self, number: int, frame: FrameType | None) -> None:
        """The signal handler: ask the app to exit; a second signal forces the ending."""
        if self.signal_number is not None:
            self._forced = True
            return
        self.signal_number = number
        self._signalled.set()
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed: all done
                self._loop.call_soon_threadsafe(self.app.exit, None, SIGNAL_BASE + number)

    def _watch(self) -> None:
        """After a signal, give the app ``GRACE`` seconds to shut down, then do it for it."""
        self._signalled.wait()
        waited = 0.0
        while not self._finished.is_set() and not self._forced and waited < GRACE:
            self._finished.wait(0.05)
            waited += 0.05
        if self._finished.is_set():
            return
        driver = self.app._driver  # the driver that put the terminal in application mode
        if driver is not None:
            restorer = threading.Thread(target=_restore, args=(driver,), daemon=True)
            restorer.start()
            restorer.join(RESTORE_TIMEOUT)  # a terminal that no longer reads cannot be waited for
        os._exit(SIGNAL_BASE + (self.signal_number or signal.SIGTERM))


def _restore(driver: Driver) -> None:
    """Textual's own restoration of the terminal, from a thread other than the main one.

    ``stop_application_mode`` turns mouse reporting off through
    ``disable_input``, which first resets a signal handler, something only the
    main thread may do: there the error is swallowed and the mouse left on. So
    the driver's own ``_disable_mouse_support`` is called first.
    """
    with contextlib.suppress(Exception):
        disable_mouse = getattr(driver, "_disable_mouse_support", None)
        if disable_mouse is not None:
            disable_mouse()
        driver.stop_application_mode()
        driver.close()  # waits until everything queued is written
