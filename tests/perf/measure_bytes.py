"""How many bytes per second c2f-tui writes to its terminal: the cost of watching over SSH.

Runs the real command on a pseudo-terminal (``tests/pty_harness.py``) at each
size and setting, lets it train for a while, and reports the bytes written in
each one-second window: the start-up paint, then the mean and the worst second
of training. Paused, the app should write nothing at all.

    .venv/bin/python tests/perf/measure_bytes.py            # the full table (~3 minutes)
    .venv/bin/python tests/perf/measure_bytes.py --quick    # 80×24 only
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.pty_harness import PtyApp, command

BUDGET = 32 * 1024
"""The budget the step-mode issue sets at 80×24 with default settings: 32 KiB/s."""


def measure(
    columns: int, rows: int, options: list[str], env: dict[str, str], seconds: int
) -> dict[str, float]:
    """Bytes written for the first frame and the second after it, then per second of training.

    Training is measured from one second after the first frame appears, so
    the one-off start-up paint (two full screens: Textual's own, then the
    charts') is reported on its own.
    """
    with PtyApp(command(*options), columns=columns, rows=rows, env=env) as app:
        if not app.wait_for("RUNNING", 30):
            raise RuntimeError(f"the app did not start: {app.screen()}")
        ready = time.monotonic()  # the first frame is on screen
        time.sleep(seconds + 1.0)
        first = app.bytes_written(app.started, ready + 1.0)
        per_second = [app.bytes_written(ready + 1.0 + i, ready + 2.0 + i) for i in range(seconds)]
        app.press("space")
        app.wait_for("PAUSED", 5)
        app.wait_until_quiet(0.5)
        quiet_from = time.monotonic()
        time.sleep(2.0)
        paused = app.bytes_written(quiet_from) / 2.0
        app.press("q")
        app.wait(10)
    return {
        "startup": first,
        "mean": statistics.mean(per_second),
        "worst": max(per_second),
        "paused": paused,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="80×24 only")
    parser.add_argument("--seconds", type=int, default=14, help="seconds of training measured")
    args = parser.parse_args()
    sizes = [(80, 24)] if args.quick else [(80, 24), (200, 50)]
    settings: list[tuple[str, list[str], dict[str, str]]] = [
        ("default (--fps 5)", [], {}),
        ("--fps 2", ["--fps", "2"], {}),
        ("--fps 10", ["--fps", "10"], {}),
        ("default, truecolor", [], {"COLORTERM": "truecolor"}),
    ]
    print(
        f"{'size':>7}  {'setting':<20} {'start-up':>9} {'mean/s':>9} {'worst/s':>9} {'paused/s':>9}"
    )
    for columns, rows in sizes:
        for label, options, env in settings:
            figures = measure(columns, rows, options, env, args.seconds)
            verdict = ""
            if (columns, rows) == (80, 24) and label.startswith("default"):
                verdict = "  within 32 KiB/s" if figures["worst"] <= BUDGET else "  OVER 32 KiB/s"
            print(
                f"{columns:>3}×{rows:<3}  {label:<20} {figures['startup'] / 1024:>7.1f}Ki "
                f"{figures['mean'] / 1024:>7.1f}Ki {figures['worst'] / 1024:>7.1f}Ki "
                f"{figures['paused']:>8.0f}B{verdict}",
                flush=True,
            )


if __name__ == "__main__":
    main()
