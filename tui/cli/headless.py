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
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from core import OPTIMIZERS, Dataset, ExportError, Trainer, export_run
from core.export import RunValue, describe, json_number
from core.printable import printable
from tui.cli.exits import (
    PROG,
    StopRequest,
    exit_status,
    signal_name,
    signals_as_request,
)
from tui.format import count, factor, number, rates_apart
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
    after the export and the summary are complete.
    """
    trainer = settings.make_trainer(dataset)
    race = settings.compare.make_trainer(trainer) if settings.compare is not None else None
    with signals_as_request() as stop:
        bar = ProgressBar(stderr, settings.iterations) if _is_terminal(stderr) else None
        progress = bar.update if bar is not None else None
        outcome = train(trainer, settings.iterations, stop=stop, progress=progress, race=race)
        if bar is not None:
            bar.close()
        exported = None
        export_failed = False
        if settings.export is not None:
            try:
                exported = str(export_run(settings.export, trainer))
            except ExportError as error:
                _say(
                    stderr,
                    _("{prog}: error: {message}").format(prog=PROG, message=f"--export: {error}"),
                )
                export_failed = True
        if settings.json_output:
            text = json.dumps(summary(outcome, settings, exported), allow_nan=False)
        else:
            text = summary_text(outcome, exported)
            if outcome.race is not None:
                text += "\n" + race_text(outcome, settings)
        printed = _print_summary(text, stdout, stderr, interrupted=outcome.interrupted)
    return exit_status(
        signal_number=outcome.signal_number,
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


def _print_summary(text: str, stdout: TextIO, stderr: TextIO, *, interrupted: bool) -> bool:
    """Print ``text`` on stdout; False if it could not be written there.

    A reader that left (``| head -1``) is told nothing more; any other failure
    is one line on stderr. After a signal (an SSH session that hung up), the
    summary itself goes to stderr, if that still works, rather than be lost.
    """
    try:
        print(text, file=stdout, flush=True)
    except (OSError, ValueError) as error:
        _discard_stdout()
        if interrupted:
            _say(stderr, text)
        elif not isinstance(error, BrokenPipeError):
            reason = getattr(error, "strerror", None) or str(error)
            _say(
                stderr,
                f"{PROG}: " + _("error: cannot write the results: {reason}").format(reason=reason),
            )
        return False
    return True


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that Python's own last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def _say(stream: TextIO, line: str) -> None:
    """One line on ``stream`` if it can still be written (a closed terminal cannot)."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=stream, flush=True)


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
                iteration=count(outlook.diverges_at)
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
            sentences.append(sentence.format(condition=condition, iteration=count(arrival)))
    return "\n            ".join(sentences)


def _directions(outlook: Outlook) -> str:
    """Where no progress is made: along the valley (its flattest direction), across it, or
    in any direction."""
    if len(outlook.no_progress) > 1:
        return _("in any direction")
    return _("along the valley") if outlook.no_progress == (0,) else _("across the valley")


def _g(value: float, scale: float = 0.0) -> str:
    """Ten significant figures (more than a reader compares, fewer than a float holds);
    0 for rounding noise, a value within ``NOISE`` of ``scale``."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) <= NOISE * scale:
        return "0"
    return f"{value:.10g}"


class ProgressBar:
    """``[#######-----]  42%  4,200,000/10,000,000 iterations  1.3 s`` on one redrawn line."""

    def __init__(
        self, stream: TextIO, target: int, *, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._stream = stream
        self._target = target
        self._clock = clock
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
        """Draw, unless the terminal has gone (SIGHUP): then stop drawing, keep training."""
        if self._gone:
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            self._gone = True
