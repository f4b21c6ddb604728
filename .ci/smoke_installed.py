"""CI: the README's run command, on a fresh install, draws the trainer and quits cleanly.

Usage: python .ci/smoke_installed.py PATH/TO/c2f-tui
Starts the installed command on a pseudo-terminal (tests/pty_harness.py), waits for
the first screen, steps once, opens the code pane (its program is package data), presses
q, and checks the exit status is 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pty_harness import PtyApp


def main() -> int:
    command = [sys.argv[1], "--paused"]
    with PtyApp(command, columns=80, rows=24) as app:
        if not app.wait_for("iter 0/10,000", 60):
            print("the installed c2f-tui did not draw its first screen:\n" + app.screen())
            return 1
        app.press("n")
        if not app.wait_for("iter 1/10,000", 10):
            print("n did not advance one iteration:\n" + app.screen())
            return 1
        app.press("p")
        if not app.wait_for("def update_parameters(grad_weight, grad_bias):", 10):
            print("p did not show the installed program's update lines:\n" + app.screen())
            return 1
        app.press("q")
        status = app.wait(20)
    print(f"installed c2f-tui drew, stepped, showed its program and quit with status {status}")
    return status


if __name__ == "__main__":
    sys.exit(main())
