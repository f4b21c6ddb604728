"""A run written to disk: the trajectory as CSV or JSON, replaced atomically.

What is written is ``trainer.history``: at most about 2,000 rows however long
the run (see ``core.history``), always including iteration 0 and the latest
iteration, each with the columns of ``core.history.COLUMNS``. Numbers are
written with full precision (``repr``), so reading them back gives the same
floats.

* CSV: a header row of the column names, then one row per kept iteration.
  Non-finite values (possible only after divergence) are written as ``inf``
  or ``nan``, which ``float()`` reads back.
* JSON (when the path ends in ``.json``): one object,
  ``{"columns": [...], "rows": [[...], ...], "run": {...}}``, where ``run``
  describes the training (learning rate, seed, optimum, ...). JSON has no
  infinity, so non-finite values are ``null``.

A file is never half-written: the text goes to a temporary file in the same
folder, which is flushed, synced to disk and then renamed over the target in
one step. If anything fails on the way, the temporary file is removed, the
earlier file (if any) is left exactly as it was, and ``ExportError`` says
what went wrong.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import secrets
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from core.history import COLUMNS
from core.trainer import Trainer
from core.types import FloatArray

RunValue = float | int | str | bool | None
"""What a run's description may hold: JSON scalars."""


class ExportError(OSError):
    """The file could not be written; the message is one line naming the path and the reason."""


def export_run(path: str | os.PathLike[str], trainer: Trainer) -> Path:
    """Write ``trainer``'s trajectory to ``path`` (JSON if it ends in .json, else CSV).

    Returns the path written; raises ``ExportError`` if it cannot be.
    """
    target = Path(path)
    rows = trainer.history.rows()
    text = trajectory_json(rows, describe(trainer)) if is_json(target) else trajectory_csv(rows)
    write_atomically(target, text)
    return target


def is_json(path: Path) -> bool:
    """Whether ``path`` asks for JSON (it ends in .json, in any case)."""
    return path.suffix.lower() == ".json"


def describe(trainer: Trainer) -> dict[str, RunValue]:
    """The facts a reader of an exported run needs besides its rows."""
    surface = trainer.surface
    return {
        "iterations": trainer.iteration,
        "learning_rate": trainer.learning_rate,
        "max_stable_learning_rate": trainer.max_stable_learning_rate,
        "condition_number": trainer.training_surface.condition_number,
        "optimizer": trainer.optimizer,
        "standardize": trainer.standardize,
        "seed": trainer.seed,
        "samples": surface.samples,
        "initial_weight": trainer.initial_weight,
        "initial_bias": trainer.initial_bias,
        "optimum_weight": surface.optimum_weight,
        "optimum_bias": surface.optimum_bias,
        "minimum_loss": surface.minimum_loss,
        "diverged": trainer.diverged,
        "diverged_at": trainer.diverged_at,
    }


def trajectory_csv(rows: FloatArray) -> str:
    """The rows as CSV text under a header of ``COLUMNS``; iterations as whole numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows.tolist():
        writer.writerow([int(row[0]), *(repr(value) for value in row[1:])])
    return buffer.getvalue()


def trajectory_json(rows: FloatArray, run: Mapping[str, RunValue] | None = None) -> str:
    """The rows as one JSON object: ``{"columns", "rows", "run"}``; non-finite values null."""
    document = {
        "columns": list(COLUMNS),
        "rows": [
            [int(row[0]), *(json_number(value) for value in row[1:])] for row in rows.tolist()
        ],
        "run": {key: json_number(value) for key, value in (run or {}).items()},
    }
    return json.dumps(document, allow_nan=False) + "\n"


def json_number(value: RunValue) -> RunValue:
    """``value`` unchanged, except a non-finite float becomes None (JSON's null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def timestamped_path(now: datetime, directory: Path = Path()) -> Path:
    """A new file name for an export made at ``now``: ``c2f-run-YYYYmmdd-HHMMSS.csv``.

    If that file exists already (two exports in one second), ``-2``, ``-3``...
    is added, so an earlier export is never replaced.
    """
    stem = f"c2f-run-{now:%Y%m%d-%H%M%S}"
    path = directory / f"{stem}.csv"
    suffix = 2
    while path.exists():
        path = directory / f"{stem}-{suffix}.csv"
        suffix += 1
    return path


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise ``ExportError`` now if ``path`` could not be written later.

    Creates and removes a temporary file beside it: the only check that
    answers for every file system, permission and user (root included).
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"cannot write {_shown(target)}: it is a directory")
    descriptor, temporary = _create_temporary(target)
    os.close(descriptor)
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step, or leave it untouched and raise."""
    if path.is_dir():
        raise ExportError(f"cannot write {_shown(path)}: it is a directory")
    descriptor, temporary = _create_temporary(path)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:  # even Ctrl+C: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            raise ExportError(f"cannot write {_shown(path)}: {_reason(error)}") from error
        raise
    _sync_directory(path.parent)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new, empty file beside ``path`` (same folder, so the rename is atomic), opened for writing.

    Made with ``os.open`` and mode 0o666 so the final file gets the usual
    permissions (the user's umask applies), not a temporary file's 0o600.
    """
    for _ in range(100):
        temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return os.open(temporary, flags, 0o666), str(temporary)
        except FileExistsError:
            continue
        except OSError as error:
            raise ExportError(f"cannot write {_shown(path)}: {_reason(error)}") from error
        except ValueError as error:  # e.g. a NUL character in the name
            raise ExportError(f"cannot write {_shown(path)}: {error}") from error
    raise ExportError(f"cannot write {_shown(path)}: no free temporary name in its folder")


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _reason(error: OSError) -> str:
    """An OSError's reason without its repeated file name, e.g. 'No such file or directory'."""
    if isinstance(error, FileNotFoundError):
        return "its folder does not exist"
    if isinstance(error, NotADirectoryError):
        return "part of its folder path is not a folder"
    return (error.strerror or str(error)).strip()


def _shown(path: Path) -> str:
    text = str(path)
    return text if text.isprintable() else repr(text)
