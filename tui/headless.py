"""``c2f-tui --headless``: the same training without the screen, for scripts and long runs.

The numbers are exactly those of ``core`` driven directly (``Trainer.run`` on
the same dataset, seed and learning rate): the trainer's results and history
rows depend on the iteration alone, so the chunking changes nothing.
What is reached is printed on stdout, as a short text summary or as one JSON
object (``--json``), and nothing else is; a progress bar goes to stderr only
when stderr is a terminal. Nothing here imports Textual, so a headless run
starts in the time numpy takes to load.

Exit statuses: 0 done; 2 bad input (including an export path that cannot be
written); 3 diverged (the summary is still printed); 130 interrupted by Ctrl+C
(the summary of what was reached is printed, and ``--export`` still written).
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

from core import Dataset, ExportError, Trainer, export_run
from core.export import RunValue, check_writable, describe, json_number
from tui.format import count, rate
from tui.settings import Settings

CHUNK = 65_536
"""Iterations per ``run()`` call for rules without a closed form (Adam, the published
gradient; a fraction of a second): Ctrl+C and the progress bar are answered between
chunks. With a closed form ``run()`` costs about a millisecond however far it goes, so
it is given the whole run at once."""
PROGRESS_INTERVAL = 0.1
"""Seconds between redraws of the progress bar."""
BAR_WIDTH = 24
"""Characters in the progress bar."""

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130
"""128 + SIGINT, what a shell reports for a program ended by Ctrl+C."""


@dataclass(frozen=True)
class Outcome:
    """How a headless run ended."""

    trainer: Trainer
    """The trainer, at the iteration reached."""
    target: int
    """The iterations asked for."""
    seconds: float
    """Wall time spent training (not reading data or writing files)."""
    interrupted: bool
    """True if Ctrl+C ended the run early."""


def run_headless(settings: Settings, dataset: Dataset, *, stdout: TextIO, stderr: TextIO) -> int:
    """Train as ``settings`` say, print the outcome, write the export; return the exit status."""
    prefix = "c2f-tui: error: "
    if settings.export is not None:
        try:
            check_writable(settings.export)
        except ExportError as error:
            print(f"{prefix}--export: {error}", file=stderr)
            return EXIT_BAD_INPUT
    trainer = settings.make_trainer(dataset)
    bar = ProgressBar(stderr, settings.iterations) if stderr.isatty() else None
    outcome = train(trainer, settings.iterations, progress=bar.update if bar else None)
    if bar is not None:
        bar.close()
    exported = None
    status = EXIT_OK
    if settings.export is not None:
        try:
            exported = str(export_run(settings.export, trainer))
        except ExportError as error:
            print(f"{prefix}--export: {error}", file=stderr)
            status = EXIT_BAD_INPUT
    if settings.json_output:
        print(json.dumps(summary(outcome, settings, exported), allow_nan=False), file=stdout)
    else:
        print(summary_text(outcome, exported), file=stdout)
    stdout.flush()
    if status == EXIT_OK and outcome.interrupted:
        status = EXIT_INTERRUPTED
    elif status == EXIT_OK and trainer.diverged:
        status = EXIT_DIVERGED
    return status


def train(
    trainer: Trainer,
    target: int,
    *,
    progress: Callable[[int], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Outcome:
    """Run ``trainer`` to ``target`` iterations (or divergence, or Ctrl+C) in chunks."""
    start = clock()
    interrupted = False
    with _sigint_as_flag() as stop_requested:
        try:
            while trainer.iteration < target and not trainer.diverged:
                remaining = target - trainer.iteration
                trainer.run(remaining if trainer.has_closed_form else min(CHUNK, remaining))
                if progress is not None:
                    progress(trainer.iteration)
                if stop_requested():
                    interrupted = True
                    break
        except KeyboardInterrupt:  # only if the signal could not be turned into a flag
            interrupted = True
    return Outcome(trainer, target, clock() - start, interrupted)


@contextlib.contextmanager
def _sigint_as_flag() -> Iterator[Callable[[], bool]]:
    """Within the block, Ctrl+C sets a flag instead of raising KeyboardInterrupt.

    The training loop checks the flag between chunks, so an interrupted run
    stops on a whole iteration with the trainer's state consistent (an
    exception could land in the middle of an update's bookkeeping). Outside
    the main thread signals cannot be handled, and KeyboardInterrupt stays.
    """
    requested = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield requested.is_set
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: requested.set())
    try:
        yield requested.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def summary(outcome: Outcome, settings: Settings, exported: str | None) -> dict[str, RunValue]:
    """The outcome as JSON-ready values; non-finite numbers (only after divergence) are None."""
    trainer = outcome.trainer
    distance_weight, distance_bias = trainer.distance
    fields: dict[str, RunValue] = {
        "weight": trainer.weight,
        "bias": trainer.bias,
        "loss": trainer.loss,
        "iterations": trainer.iteration,
        "target_iterations": outcome.target,
        "distance_weight": distance_weight,
        "distance_bias": distance_bias,
        "seconds": outcome.seconds,
        "interrupted": outcome.interrupted,
        **describe(trainer),
        "data": str(settings.data) if settings.data is not None else None,
        "noise": settings.noise if settings.data is None else None,
        "export": exported,
    }
    return {key: json_number(value) for key, value in fields.items()}


def summary_text(outcome: Outcome, exported: str | None) -> str:
    """A few aligned lines a person reads at a glance."""
    trainer = outcome.trainer
    surface = trainer.surface
    distance_weight, distance_bias = trainer.distance
    if outcome.interrupted:
        status = "INTERRUPTED by Ctrl+C"
    elif trainer.diverged:
        status = (
            f"DIVERGED at iteration {count(trainer.diverged_at or 0)}: learning rate "
            f"{rate(trainer.learning_rate)} is above the stable limit "
            f"{rate(trainer.max_stable_learning_rate)}"
        )
    else:
        status = "done"
    lines = [
        f"status      {status}",
        f"iterations  {count(trainer.iteration)} of {count(outcome.target)}",
        f"weight      {_g(trainer.weight):<16} optimum {_g(surface.optimum_weight):<16} "
        f"distance {_g(distance_weight)}",
        f"bias        {_g(trainer.bias):<16} optimum {_g(surface.optimum_bias):<16} "
        f"distance {_g(distance_bias)}",
        f"loss        {_g(trainer.loss):<16} minimum {_g(surface.minimum_loss)}",
        f"wall time   {outcome.seconds:.3f} s",
        f"run         {trainer.optimizer}, {'standardised' if trainer.standardize else 'raw'} "
        f"inputs, seed {trainer.seed}, {count(surface.samples)} samples",
        f"rate        {rate(trainer.learning_rate)} ({_limit(trainer.max_stable_learning_rate)})",
    ]
    if exported is not None:
        lines.append(f"exported    {count(len(trainer.history))} rows to {exported}")
    return "\n".join(lines)


def _limit(max_stable: float) -> str:
    """The stable limit in words: Adam has none."""
    return f"stable < {rate(max_stable)}" if math.isfinite(max_stable) else "no stable limit"


def _g(value: float) -> str:
    """Ten significant figures: more than a reader compares, fewer than a float holds."""
    return f"{value:.10g}" if math.isfinite(value) else str(value)


class ProgressBar:
    """``[#######-----]  42%  4,200,000/10,000,000 iterations  1.3 s`` on one redrawn line."""

    def __init__(
        self, stream: TextIO, target: int, *, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._stream = stream
        self._target = target
        self._clock = clock
        self._start = self._last = clock()

    def update(self, done: int) -> None:
        """Redraw if a tenth of a second has passed since the last redraw."""
        now = self._clock()
        if now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        share = min(done / self._target, 1.0)
        filled = math.floor(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self._stream.write(
            f"\r[{bar}] {math.floor(share * 100):3d}%  {count(done)}/{count(self._target)} "
            f"iterations  {now - self._start:.1f} s"
        )
        self._stream.flush()

    def close(self) -> None:
        """Erase the bar, so the summary starts on a clean line."""
        self._stream.write("\r\x1b[K")
        self._stream.flush()
