"""What every served session runs: ``python -m tui.serve.session [trainer options]``.

This entry point is what marks a session as served (``tui.cli.main(served=True)``: it
writes nothing on the server's disk, and is never headless); no command-line option
can, so a user of ``c2f-tui`` cannot claim it to skip a check. Two things only a served
process needs before it is the ordinary ``c2f-tui``:

* over SSH it runs on its own pseudo-terminal, in a session of its own (the server
  starts it with ``start_new_session``); making that terminal its *controlling*
  terminal is what lets the learner's window-size changes arrive as SIGWINCH, and
  a dropped connection arrive as SIGHUP;
* it must not outlive the server. If the server itself dies (even by SIGKILL, which
  it cannot handle) the session notices it has a new parent and ends.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import termios
import threading
import time

PARENT_CHECK_INTERVAL = 1.0
"""Seconds between checks that the server is still this process's parent."""
EXIT_GRACE = 3.0
"""Seconds a session whose server died has to end by itself before it exits hard."""


def main() -> int:
    if sys.stdin.isatty():
        fcntl.ioctl(sys.stdin.fileno(), termios.TIOCSCTTY, 0)
    _end_with_parent(os.getppid())
    from tui.cli.main import main as trainer

    return trainer(sys.argv[1:], served=True)


def _end_with_parent(parent: int) -> None:
    """Watch, in a daemon thread, for the server going away; then end this session."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_INTERVAL)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(EXIT_GRACE)
        os._exit(1)

    threading.Thread(target=watch, name="c2f-tui-parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
