"""Textual's Linux driver, with an input thread that sleeps until there is input.

Textual's ``LinuxDriver`` reads keys in a thread that waits on the terminal with a
timeout of 0.1 s, so that it notices when it must stop and can time out a lone
Escape: ten wake-ups a second whether or not anything was typed, ~0.13 ms of CPU
each on this machine (measured per thread: ~1.3 ms a second, idle or paused). At
``--fps 1``, the pace a served session trains at, that was about a ninth of a
training frame's CPU, and it is what an idle learner on a server costs.

``QuietLinuxDriver`` waits as long as nothing can happen without input: with no
timeout while the key parser awaits nothing, and until the parser's own deadline
while it holds part of a sequence (a lone Escape is sent after Textual's
``ESCAPE_DELAY``, as before). Stopping the thread (``exit_event.set()``, which
``disable_input`` calls on quitting and on SIGTSTP) also writes a byte to a pipe the
thread waits on. Everything read is parsed and posted exactly as Textual does it.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import Any

from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

IDLE_POLL = 0.1
"""Seconds between wake-ups if the parser's deadline cannot be read (Textual's own pace)."""


class _WakingEvent(threading.Event):
    """A ``threading.Event`` that also wakes the input thread waiting on ``wake_fd``."""

    def __init__(self, wake_fd: int) -> None:
        super().__init__()
        self.wake_fd = wake_fd

    def set(self) -> None:
        super().set()
        with contextlib.suppress(OSError):  # full (already woken) or closed (all done)
            os.write(self.wake_fd, b"\0")


class QuietLinuxDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread wakes for input, a parser deadline, or stopping."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self._wake_read = self._wake_write = -1
        self.exit_event: _WakingEvent = _WakingEvent(-1)

    def start_application_mode(self) -> None:
        """Textual's, with the wake pipe opened first: ``close`` closed it if the app was
        suspended (on SIGTSTP ``suspend_application_mode`` stops and closes the driver; on
        SIGCONT it starts it again)."""
        if self._wake_read < 0:
            self._wake_read, self._wake_write = os.pipe()
            os.set_blocking(self._wake_read, False)
            os.set_blocking(self._wake_write, False)
            self.exit_event.wake_fd = self._wake_write
        super().start_application_mode()  # type: ignore[no-untyped-call]

    def _drain_wake_pipe(self) -> None:
        with contextlib.suppress(OSError):  # empty: BlockingIOError
            while os.read(self._wake_read, 512):
                pass

    def run_input_thread(self) -> None:
        """Textual's ``run_input_thread``, waiting until something can happen."""
        self._drain_wake_pipe()  # a byte left by the last stop (SIGTSTP, then SIGCONT)
        selector = selectors.SelectSelector()
        fileno, wake_read = self.fileno, self._wake_read
        selector.register(fileno, selectors.EVENT_READ)
        selector.register(wake_read, selectors.EVENT_READ)

        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            """Textual's ``process_selector_events``; the wake pipe is only drained."""
            for key, _mask in events:
                if key.fd == wake_read:
                    self._drain_wake_pipe()
                    continue
                data = decode(os.read(fileno, 1024 * 4), final=final)
                if not data:  # stdin is a pipe that ended
                    break
                for message in feed(data):
                    self.process_message(message)
            for message in tick():
                self.process_message(message)

        def timeout() -> float | None:
            """None (no timeout) unless the parser awaits a character by a deadline."""
            # The parser's deadline is private: if a later Textual renames it, poll as it did.
            deadline = getattr(parser, "_timeout_time", get_time() + IDLE_POLL)
            return None if deadline is None else max(0.0, deadline - get_time())

        try:
            while not self.exit_event.is_set():
                process(selector.select(timeout()))
            selector.unregister(fileno)
            selector.unregister(wake_read)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _message in feed(""):
                    pass

    def close(self) -> None:
        """Textual's ``close``, then the wake pipe's ends (the input thread has stopped)."""
        super().close()
        if self._wake_read >= 0:
            self.exit_event.wake_fd = -1  # never written again, whatever reuses the number
            os.close(self._wake_read)
            os.close(self._wake_write)
            self._wake_read = self._wake_write = -1
