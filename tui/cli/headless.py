"""``c2f-tui --headless``: the same training without the screen, for scripts and long runs.

The numbers are exactly those of ``core`` driven directly (``Trainer.run`` on
the same dataset, seed and learning rate): the trainer's results and history
rows depend on the iteration alone, so the chunking changes nothing.
What is reached is printed on stdout, as a short text summary or as one JSON
object (``--json``), and nothing else is; with ``--compare`` a second trainer
races the first from the same start, in step, and is reported beside it (in
JSON, a ``"compare"`` object with the same keys); a progress bar goes to stderr only
when stderr is a terminal. Nothing here imports Textual, so a headless run
starts in the time numpy takes to load.

Ctrl+C, SIGTERM, SIGHUP (what an SSH disconnect sends) and every other ending
signal stop the run the same way: between two chunks, with the trainer
consistent; then ``--export`` is written and the summary printed as usual
(on stderr if stdout can no longer be written), and the exit status is
128 + the signal's number. A closed or vanished stdout or stderr is no reason
to stop: what cannot be printed is dropped. Exit statuses: ``tui.cli.exits``.

Output can block for as long as its reader pleases (a terminal paused with
Ctrl+S, a pseudo-terminal nobody reads, a slow device). A signal that arrives
while it does ends that write at once (``StopRequest.interrupting``): an export
to a device stops where it was, and a stream that blocked is given up. An
export to a file on disk is let finish by a first signal and ended by a second
(the file then stays as it was: exports are atomic). Once a signal has come,
every last line (the summary, an error) is offered for at most
``LAST_WORDS_WAIT`` seconds, so the run ends promptly with 128 + n, and with its
summary wherever a stream still takes it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import math
import os
import select
import signal
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from core import OPTIMIZERS, Dataset, ExportError, Trainer, export_run
from core.export import RunValue, describe, json_number
from core.printable import printable
from tui.cli.exits import (
    PROG,
    Ended,
    StopRequest,
    exit_status,
    signal_name,
    signals_as_request,
)
from tui.format import approximate, count, factor, number, rates_apart
from tui.i18n import _
from tui.model.outlook import BIAS_TOLERANCE, WEIGHT_TOLERANCE, Forecaster, Outlook
from tui.settings import Settings

CHUNK = 65_536
"""Iterations per ``run()`` call for rules without a closed form (Adam, the published
gradient; a fraction of a second): signals and the progress bar are answered between
chunks. With a closed form ``run()`` costs about a millisecond however far it goes, so
it is given the whole run at once."""
PROGRESS_INTERVAL = 0.1
"""Seconds between redraws of the progress bar."""
BAR_WIDTH = 24
"""Characters in the progress bar."""
NOISE = 1e-12
"""A value within this fraction of its scale is rounding noise and printed as 0 (as the
screen shows it); JSON keeps every digit."""
LAST_WORDS_WAIT = 1.0
"""Seconds a stream is given to take a line once a signal has asked the run to end (a
terminal paused with Ctrl+S takes nothing: the run ends without waiting for it)."""
JSON_SCHEMA = 3
"""The version of the ``--json`` object's keys, its first key ``"schema"``. Bumped whenever
a key is added, removed, renamed or changes meaning (docs/api.md keeps the changelog), so
a script can check ``schema >= N`` for the keys it needs. 1 was the object before it had
this key."""


@dataclass(frozen=True)
class Outcome:
    """How a headless run ended."""

    trainer: Trainer
    """The trainer, at the iteration reached."""
    target: int
    """The iterations asked for."""
    seconds: float
    """Wall time spent training (not reading data or writing files)."""
    signal_number: int | None = None
    """The signal that ended the run early (2 for Ctrl+C), or None."""
    race: Trainer | None = None
    """The trainer that raced this one (``--compare``), at the same iteration."""

    @property
    def interrupted(self) -> bool:
        """True if a signal ended the run before its target."""
        return self.signal_number is not None


def run_headless(settings: Settings, dataset: Dataset, *, stdout: TextIO, stderr: TextIO) -> int:
    """Train as ``settings`` say, write the export, print the outcome; return the exit status.

    The export path has been checked by the caller (``tui.cli.main.main``) before this
    starts. From here on every ending signal is a request to stop, answered
    between two chunks of training; one that arrives while the export or the
    summary is being written ends that write (see the module's docstring).
    """
    trainer = settings.make_trainer(dataset)
    race = settings.compare.make_trainer(trainer) if settings.compare is not None else None
    with signals_as_request() as stop:
        bar = ProgressBar(stderr, settings.iterations, stop=stop) if _is_terminal(stderr) else None
        progress = bar.update if bar is not None else None
        outcome = train(trainer, settings.iterations, stop=stop, progress=progress, race=race)
        if bar is not None:
            bar.close()
        exported = None
        export_failed = False
        if settings.export is not None:
            exported = _export(settings.export, trainer, stop, stderr)
            export_failed = exported is None

        def render() -> str:
            """The summary; a signal since training (during the export, or while an
            earlier rendering was being printed) interrupted the run as much as one
            during it."""
            reached = dataclasses.replace(outcome, signal_number=stop.signal_number)
            if settings.json_output:
                return json.dumps(summary(reached, settings, exported), allow_nan=False)
            text = summary_text(reached, exported)
            if reached.race is not None:
                text += "\n" + race_text(reached, settings)
            return text

        printed = _print_summary(render, stdout, stderr, stop)
    return exit_status(
        signal_number=stop.signal_number,
        diverged=trainer.diverged,
        unstable=not trainer.stable,
        output_failed=export_failed or not printed,
    )


def train(
    trainer: Trainer,
    target: int,
    *,
    stop: StopRequest | None = None,
    progress: Callable[[int], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    race: Trainer | None = None,
) -> Outcome:
    """Run ``trainer`` to ``target`` iterations (or divergence, or a stop request) in chunks.

    ``race``, if given, is brought to the same iteration after every chunk, as the
    screen keeps a race level: it stops where ``trainer`` stops (or where it diverges).
    """
    request = stop if stop is not None else StopRequest()
    start = clock()
    at_once = trainer.has_closed_form and (race is None or race.has_closed_form)
    try:
        while trainer.iteration < target and not trainer.diverged and not request:
            remaining = target - trainer.iteration
            trainer.run(remaining if at_once else min(CHUNK, remaining))
            if race is not None and not race.diverged:
                race.run(trainer.iteration - race.iteration)
            if progress is not None:
                progress(trainer.iteration)
    except KeyboardInterrupt:  # only where signals could not be made requests (not main thread)
        request.ask(signal.SIGINT)
    return Outcome(trainer, target, clock() - start, request.signal_number, race)


def _export(path: Path, trainer: Trainer, stop: StopRequest, stderr: TextIO) -> str | None:
    """Write ``--export``; where it went, or None after one line on stderr saying why not.

    A device (a terminal) may never take it: a signal ends that write at once. A
    file on disk takes milliseconds, and is what the run is kept for: the first
    signal lets it finish (as ``--help`` promises), a second one ends it, and the
    file is left as it was, unless the complete export had already taken its place
    (the file at ``path`` is a new one: then it counts as written).
    """
    before = _identity(path)
    device = before is not None and stat.S_ISCHR(before[2])
    try:
        with stop.interrupting(first=device):
            return str(export_run(path, trainer))
    except ExportError as error:
        message = f"--export: {error}"
    except Ended as ended:
        after = _identity(path)
        if after is not None and after != before and stat.S_ISREG(after[2]):
            return str(path)  # renamed into place before the signal: complete
        what = _signal_words(ended.signal_number)
        shown = printable(str(path))
        if after is not None and stat.S_ISCHR(after[2]):
            message = _("--export: {file}: interrupted by {what}; it holds part of the run")
        else:
            message = _("--export: {file}: interrupted by {what}; not written (left as it was)")
        message = message.format(file=shown, what=what)
    _say(stderr, _("{prog}: error: {message}").format(prog=PROG, message=message), stop)
    return None


def _identity(path: Path) -> tuple[int, int, int] | None:
    """The device, inode and mode of the file ``path`` leads to; None if there is none."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino, found.st_mode


def _print_summary(
    render: Callable[[], str], stdout: TextIO, stderr: TextIO, stop: StopRequest
) -> bool:
    """Print ``render()`` on stdout; False if it could not be written there.

    A reader that left (``| head -1``) is told nothing more; any other failure
    is one line on stderr. Once a signal has come (an SSH session that hung up,
    or one that ended a blocked write), the summary goes to stderr if stdout
    does not take it within ``LAST_WORDS_WAIT`` seconds, rather than be lost,
    and the run waits no longer for either.
    """
    if not stop:
        try:
            with stop.interrupting():
                print(render(), file=stdout, flush=True)
            return True
        except Ended:  # a signal came mid-print: stdout is paused, or only was busy
            pass  # (below, it has LAST_WORDS_WAIT seconds to take the summary)
        except (OSError, ValueError) as error:
            _give_up(stdout)
            if not isinstance(error, BrokenPipeError):
                reason = getattr(error, "strerror", None) or str(error)
                _say(
                    stderr,
                    f"{PROG}: "
                    + _("error: cannot write the results: {reason}").format(reason=reason),
                    stop,
                )
            return False
    if _write_briefly(stdout, render()):
        return True
    _give_up(stdout)
    _write_briefly(stderr, render())
    return False


def _give_up(stream: TextIO) -> None:
    """Point ``stream``'s descriptor at /dev/null, so that nothing written to it later (its
    buffer, Python's last flush) can fail or block again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        descriptor = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


def _say(stream: TextIO, line: str, stop: StopRequest | None = None) -> None:
    """One line on ``stream`` if it can still be written (a closed terminal cannot); once a
    signal has come, only if it takes the line within ``LAST_WORDS_WAIT`` seconds."""
    if stop:
        _write_briefly(stream, line)
        return
    with contextlib.suppress(OSError, ValueError):
        print(line, file=stream, flush=True)


def _write_briefly(
    stream: TextIO, line: str, *, end: str = "\n", wait: float = LAST_WORDS_WAIT
) -> bool:
    """Write ``line`` and ``end`` to ``stream`` unless that takes more than ``wait``
    seconds; whether it was all written.

    The descriptor is made non-blocking for the while (and restored), so a write to a
    paused terminal returns at once instead of waiting for its reader; ``poll`` waits
    for room, up to the deadline. A stream without a descriptor (a test's StringIO)
    is printed to as usual.
    """
    try:
        descriptor = stream.fileno()
        data = (line + end).encode(stream.encoding or "utf-8", errors="replace")
    except (OSError, ValueError, AttributeError):
        with contextlib.suppress(OSError, ValueError):
            print(line, end=end, file=stream, flush=True)
            return True
        return False
    deadline = time.monotonic() + wait
    try:
        flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
        fcntl.fcntl(descriptor, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        ready = select.poll()
        ready.register(descriptor, select.POLLOUT)
        while data:
            try:
                data = data[os.write(descriptor, data) :]
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                ready.poll(remaining * 1000)
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            fcntl.fcntl(descriptor, fcntl.F_SETFL, flags)
    return True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def summary(
    outcome: Outcome, settings: Settings, exported: str | None
) -> dict[str, RunValue | dict[str, RunValue]]:
    """The outcome as JSON-ready values; non-finite numbers (only after divergence) are None.

    With a race (``--compare``), ``"compare"`` holds the racer's values under the same keys.
    """
    fields: dict[str, RunValue | dict[str, RunValue]] = {**_values(outcome, settings, exported)}
    if outcome.race is not None:
        racer = Outcome(outcome.race, outcome.target, outcome.seconds, outcome.signal_number)
        fields["compare"] = _values(racer, settings, None)
    return fields


def _values(outcome: Outcome, settings: Settings, exported: str | None) -> dict[str, RunValue]:
    """One trainer's outcome as JSON-ready values."""
    trainer = outcome.trainer
    distance_weight, distance_bias = trainer.distance
    outlook = Forecaster().outlook(trainer)
    fields: dict[str, RunValue] = {
        "schema": JSON_SCHEMA,
        "weight": trainer.weight,
        "bias": trainer.bias,
        "loss": trainer.loss,
        "iterations": trainer.iteration,
        "target_iterations": outcome.target,
        "distance_weight": distance_weight,
        "distance_bias": distance_bias,
        "seconds": outcome.seconds,
        "interrupted": outcome.interrupted,
        "signal": signal_name(outcome.signal_number) if outcome.signal_number else None,
        **describe(trainer),
        "stable": outlook.stable,
        "spectral_radius": outlook.spectral_radius,
        "has_closed_form": outlook.predictable,
        "diverges_at": outlook.diverges_at,
        "iterations_to_target": outlook.arrives_at,
        "weight_tolerance": WEIGHT_TOLERANCE,
        "bias_tolerance": BIAS_TOLERANCE,
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
    outlook = Forecaster().outlook(trainer)
    shown_rate, shown_limit = rates_apart(trainer.learning_rate, trainer.max_stable_learning_rate)
    if outcome.signal_number is not None:
        status = _("INTERRUPTED by {what}").format(what=_signal_words(outcome.signal_number))
    elif trainer.diverged:
        status = (
            f"DIVERGED at iteration {count(trainer.diverged_at or 0)}: learning rate "
            f"{shown_rate} is above the stable limit {shown_limit}"
        )
    elif outlook.unstable:
        status = _("UNSTABLE: learning rate {rate} is above the stable limit {limit}").format(
            rate=shown_rate, limit=shown_limit
        )
    elif trainer.oscillating:
        status = _(
            "OSCILLATING: learning rate {rate} is above the stable limit {limit}; the run "
            "neither converges nor diverges (lower --lr below the limit)"
        ).format(rate=shown_rate, limit=shown_limit)
    elif outlook.stalled:
        status = _("NO PROGRESS {where} at learning rate {rate}").format(
            where=_directions(outlook), rate=shown_rate
        )
    else:
        status = "done"
    weight_scale = max(abs(surface.optimum_weight), abs(trainer.weight))
    bias_scale = max(abs(surface.optimum_bias), abs(trainer.bias))
    loss_scale = surface.var_fahrenheit
    lines = [
        f"status      {status}",
        f"iterations  {count(trainer.iteration)} of {count(outcome.target)}",
        f"weight      {_g(trainer.weight, weight_scale):<16} "
        f"optimum {_g(surface.optimum_weight, weight_scale):<16} "
        f"distance {_g(distance_weight, weight_scale)}",
        f"bias        {_g(trainer.bias, bias_scale):<16} "
        f"optimum {_g(surface.optimum_bias, bias_scale):<16} "
        f"distance {_g(distance_bias, bias_scale)}",
        f"loss        {_g(trainer.loss, loss_scale):<16} "
        f"minimum {_g(surface.minimum_loss, loss_scale)}",
        f"wall time   {outcome.seconds:.3f} s",
        f"run         {trainer.optimizer}, {'standardised' if trainer.standardize else 'raw'} "
        f"inputs, seed {trainer.seed}, {count(surface.samples)} samples"
        + (", published gradient" if trainer.gradient_rule == "published" else ""),
        f"rate        {shown_rate} ({_limit(trainer.max_stable_learning_rate, shown_limit)})",
    ]
    prediction = _prediction(trainer, outlook)
    if prediction:
        lines.append(f"outlook     {prediction}")
    if exported is not None:
        where = printable(os.path.abspath(exported))
        lines.append(f"exported    {count(len(trainer.history))} rows to {where}")
    return "\n".join(lines)


def race_text(outcome: Outcome, settings: Settings) -> str:
    """The racing trainer's lines (``--compare``), under a heading naming what it changes."""
    assert outcome.race is not None and settings.compare is not None
    racer = Outcome(outcome.race, outcome.target, outcome.seconds, outcome.signal_number)
    lines = summary_text(racer, None).splitlines()
    shown = [line for line in lines if not line.startswith("wall time")]
    return "\n".join([f"compare     --compare {settings.compare.text()}", *shown])


def _signal_words(number: int) -> str:
    """How the summary names what stopped the run: Ctrl+C, or the signal's name."""
    return _("Ctrl+C") if number == signal.SIGINT else signal_name(number)


def _limit(max_stable: float, shown: str) -> str:
    """The stable limit in words (``shown``: as written beside the rate); Adam has none."""
    return f"stable < {shown}" if math.isfinite(max_stable) else "no stable limit"


def _prediction(trainer: Trainer, outlook: Outlook) -> str:
    """What lies ahead at this rate, in words (a line per parameter once it converges);
    empty once diverged (the status says it)."""
    if trainer.diverged:
        return ""
    if trainer.oscillating:
        return _("never converges: the optimum repels the run above this limit")
    if not outlook.predictable:
        optimizer = OPTIMIZERS.get(trainer.optimizer)
        title = _(optimizer.title) if optimizer is not None else trainer.optimizer
        if trainer.gradient_rule != "chain":
            title = _("the published gradient")
        return _("unknown: {rule} has no closed form (train on to see)").format(rule=title)
    if outlook.unstable and outlook.spectral_radius is not None:
        text = _("the error grows ×{factor} per iteration").format(
            factor=factor(outlook.spectral_radius)
        )
        if outlook.diverges_at is not None:
            text += _("; diverges at iteration {iteration}").format(
                iteration=approximate(outlook.diverges_at, outlook.digits)
            )
        return text
    if outlook.stalled:
        return _(
            "never converges: no progress {where} (×1 per iteration in floating point)"
        ).format(where=_directions(outlook))
    surface = trainer.surface
    sentences = []
    for symbol, optimum, tolerance, arrival in (
        ("w", surface.optimum_weight, WEIGHT_TOLERANCE, outlook.weight_arrives_at),
        ("b", surface.optimum_bias, BIAS_TOLERANCE, outlook.bias_arrives_at),
    ):
        condition = f"|{symbol} − {number(optimum, 6)}| < {number(tolerance, 3)}"
        if arrival is None:
            sentences.append(_("{condition} never, at this rate").format(condition=condition))
        elif arrival <= trainer.iteration:
            sentences.append(_("{condition} already, for good").format(condition=condition))
        else:
            sentence = _("{condition} from iteration {iteration}, at this rate")
            iteration = approximate(arrival, outlook.digits)
            sentences.append(sentence.format(condition=condition, iteration=iteration))
    return "\n            ".join(sentences)


def _directions(outlook: Outlook) -> str:
    """Where no progress is made: along the valley (its flattest direction), across it, or
    in any direction."""
    if len(outlook.no_progress) > 1:
        return _("in any direction")
    return _("along the valley") if outlook.no_progress == (0,) else _("across the valley")


def _g(value: float, scale: float = 0.0) -> str:
    """Ten significant figures (more than a reader compares, fewer than a float holds);
    for rounding noise, a value within ``NOISE`` of ``scale``, its bound: ``< 2.7e-9``
    (0 only for 0 itself: a loss of 2e-15 is not zero)."""
    if not math.isfinite(value):
        return str(value)
    if value == 0.0:
        return "0"
    if abs(value) <= NOISE * scale:
        return f"{'> −' if value < 0 else '< '}{number(NOISE * scale, 2)}"
    return f"{value:.10g}"


class ProgressBar:
    """``[#######-----]  42%  4,200,000/10,000,000 iterations  1.3 s`` on one redrawn line."""

    def __init__(
        self,
        stream: TextIO,
        target: int,
        *,
        clock: Callable[[], float] = time.perf_counter,
        stop: StopRequest | None = None,
    ) -> None:
        self._stream = stream
        self._target = target
        self._clock = clock
        self._stop = stop if stop is not None else StopRequest()
        self._start = self._last = clock()
        self._gone = False

    def update(self, done: int) -> None:
        """Redraw if a tenth of a second has passed since the last redraw."""
        now = self._clock()
        if now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        share = min(done / self._target, 1.0)
        filled = math.floor(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self._write(
            f"\r[{bar}] {math.floor(share * 100):3d}%  {count(done)}/{count(self._target)} "
            f"iterations  {now - self._start:.1f} s"
        )

    def close(self) -> None:
        """Erase the bar, so the summary starts on a clean line."""
        self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        """Draw, unless the terminal has gone (SIGHUP): then stop drawing, keep training.

        A terminal paused with Ctrl+S blocks the write; a signal then ends it (the
        training loop sees the request next) and the terminal is given up. Once a
        signal has come, nothing waits for the terminal (``_write_briefly``).
        """
        if self._gone:
            return
        if self._stop:
            if not _write_briefly(self._stream, text, end=""):
                self._gone = True
                _give_up(self._stream)
            return
        try:
            with self._stop.interrupting():
                self._stream.write(text)
                self._stream.flush()
        except (OSError, ValueError):
            self._gone = True
        except Ended:  # a signal came mid-write: the terminal is paused, or only was busy
            if not _write_briefly(self._stream, text, end=""):
                self._gone = True
                _give_up(self._stream)
