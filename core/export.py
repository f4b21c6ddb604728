"""A run written to disk: the trajectory as CSV or JSON, never half-written.

What is written is ``trainer.history``: at most about 2,000 rows however long
the run (see ``core.history``), always including iteration 0 and the latest
iteration, each with the columns of ``core.history.COLUMNS`` and then the
``learning_rate`` and ``optimizer`` that made it (``Trainer.segment_at``), so a
run whose rate or optimizer changed says where (``EXPORT_COLUMNS``). Numbers are
written with full precision (``repr``), so reading them back gives the same
floats.

* CSV: a header row of the column names, then one row per kept iteration.
  Non-finite values (possible only after divergence) are written as ``inf``
  or ``nan``, which ``float()`` reads back.
* JSON (when the path ends in ``.json``): one object,
  ``{"columns": [...], "rows": [[...], ...], "run": {...}}``, where ``run``
  describes the training (learning rate, seed, optimum, ...), and, if the
  learner moved the parameters by hand, ``"moved_by_hand": [[iteration,
  weight, bias], ...]`` (the row of such an iteration holds the moved state). JSON has no
  infinity, so non-finite values are ``null``.

What happens at the path is decided by what it names once symbolic links are
followed (a link is never replaced; the file it points to is written):

* nothing yet, or a regular file: the text goes to a temporary file in that
  file's own folder, which is flushed, synced to disk and then renamed over
  it in one step. An existing file keeps its permissions (and its owner, where
  the user may set it); a new one gets the usual ones (the umask applies). If
  anything fails on the way, the temporary file is removed and the earlier
  file is left exactly as it was;
* a character device (``/dev/null``, a terminal): written directly, never
  replaced (unbuffered, so that an exception raised while a slow or paused
  device makes it wait ends the write at once);
* anything else (a directory, a named pipe, a socket, a disk): refused.

Every failure is an ``ExportError`` whose message is one line naming the path
and the reason. ``export_new_run`` writes under a new name,
``c2f-run-YYYYmmdd-HHMMSS.csv`` (``-2``, ``-3``... added if taken), claimed
atomically, so an earlier export is never replaced even by another process
exporting in the same second.

Temporary files are named ``.c2f-tmp-XXXXXXXX-NAME`` (NAME shortened if the
whole would be too long for the file system). One left behind by a process
killed mid-write (``kill -9``) is removed by the next export to that folder
once it is a minute old; nothing else is ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import os
import re
import stat
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from core.history import COLUMNS
from core.printable import printable
from core.trainer import Trainer
from core.types import FloatArray

RunValue = float | int | str | bool | None
"""What a run's description may hold: JSON scalars."""

NAME_MAX = 255
"""The longest file name, in bytes, when the file system does not say (Linux, macOS)."""
TEMPORARY_PREFIX = ".c2f-tmp-"
"""How every temporary file of an export begins; followed by 8 hex digits and a dash."""
TEMPORARY = re.compile(r"\.c2f-tmp-[0-9a-f]{8}-")
"""A temporary file's name, as ``_remove_stale_temporaries`` recognises it."""
STALE_AFTER = 60.0
"""Seconds after which a temporary file in an export's folder is an orphan of a killed export
(writing one takes milliseconds)."""
EXPORT_COLUMNS = (*COLUMNS, "learning_rate", "optimizer")
"""The columns of an export: the history's, then the settings that made each row."""
DEFAULT_NAME = "c2f-run-{now:%Y%m%d-%H%M%S}{suffix}.csv"
"""The name of an export nobody named; ``.gitignore`` lists ``c2f-run-*.csv``."""


class ExportError(OSError):
    """The file could not be written; the message is one line naming the path and the reason."""


def export_run(path: str | os.PathLike[str], trainer: Trainer) -> Path:
    """Write ``trainer``'s trajectory to ``path`` (JSON if it ends in .json, else CSV).

    Returns the path written; raises ``ExportError`` if it cannot be.
    """
    target = Path(path)
    rows = trainer.history.rows()
    made_by = row_settings(trainer, rows)
    if is_json(target):
        text = trajectory_json(rows, describe(trainer), made_by, hand_moves(trainer))
    else:
        text = trajectory_csv(rows, made_by)
    write_text(target, text)
    return target


def export_new_run(
    trainer: Trainer, directory: str | os.PathLike[str] = ".", *, now: datetime | None = None
) -> Path:
    """Write ``trainer``'s trajectory as CSV to a new file in ``directory``; return its path.

    The name is ``c2f-run-YYYYmmdd-HHMMSS.csv`` for ``now`` (default: the
    current time), with ``-2``, ``-3``... added when that one is taken. The
    complete file is linked under the first free name in one step that fails
    if the name exists, so two processes exporting at the same moment get two
    files and an earlier export is never replaced.
    """
    folder = Path(directory)
    moment = now if now is not None else datetime.now()
    shown = folder / default_name(moment)
    rows = trainer.history.rows()
    text = trajectory_csv(rows, row_settings(trainer, rows))
    _remove_stale_temporaries(folder)
    temporary = _write_temporary(shown, text, existing=None)
    try:
        for attempt in range(1, 10_000):
            candidate = folder / default_name(moment, attempt)
            if _claim(temporary, candidate):
                _sync_directory(folder)
                return candidate
    except OSError as error:
        raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    raise ExportError(f"cannot write {_shown(shown)}: every name for this second is taken")


def default_name(now: datetime, attempt: int = 1) -> str:
    """The name of the ``attempt``-th new export made at ``now``:

    >>> default_name(datetime(2024, 3, 9, 14, 5, 7)), default_name(datetime(2024, 3, 9), 2)
    ('c2f-run-20240309-140507.csv', 'c2f-run-20240309-000000-2.csv')
    """
    return DEFAULT_NAME.format(now=now, suffix="" if attempt == 1 else f"-{attempt}")


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
        "gradient": trainer.gradient_rule,
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


def hand_moves(trainer: Trainer) -> list[tuple[int, float, float]]:
    """Where the learner set the parameters by hand: (iteration, weight, bias), oldest first
    (the row of that iteration, when kept, already holds them)."""
    return [
        (segment.start, *segment.set_to)
        for segment in trainer.segments[: trainer.segments.index(trainer.segment) + 1]
        if segment.set_to is not None
    ]


def row_settings(trainer: Trainer, rows: FloatArray) -> list[tuple[float, str]]:
    """The (learning rate, optimizer) that made each row's iteration."""
    made_by = []
    for iteration in rows[:, 0].tolist():
        segment = trainer.segment_at(int(iteration))
        made_by.append((segment.learning_rate, segment.optimizer))
    return made_by


def trajectory_csv(rows: FloatArray, made_by: list[tuple[float, str]]) -> str:
    """The rows as CSV text under a header of ``EXPORT_COLUMNS``; iterations as whole
    numbers, each row followed by the learning rate and optimizer in ``made_by``."""
    import csv  # here, not at the top: most sessions never export (issue 20, start-up)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row, (learning_rate, optimizer) in zip(rows.tolist(), made_by, strict=True):
        writer.writerow(
            [int(row[0]), *(repr(value) for value in row[1:]), repr(learning_rate), optimizer]
        )
    return buffer.getvalue()


def trajectory_json(
    rows: FloatArray,
    run: Mapping[str, RunValue] | None = None,
    made_by: list[tuple[float, str]] | None = None,
    moved_by_hand: list[tuple[int, float, float]] | None = None,
) -> str:
    """The rows as one JSON object: ``{"columns", "rows", "run"}``; non-finite values null.

    With ``made_by``, each row ends with its learning rate and optimizer; with
    ``moved_by_hand``, ``"moved_by_hand"`` lists [iteration, weight, bias] of each hand move."""
    settings = made_by if made_by is not None else [None] * len(rows)
    columns = EXPORT_COLUMNS if made_by is not None else COLUMNS
    document = {
        "columns": list(columns),
        "rows": [
            [
                int(row[0]),
                *(json_number(value) for value in row[1:]),
                *(setting if setting is not None else ()),
            ]
            for row, setting in zip(rows.tolist(), settings, strict=True)
        ],
        "run": {key: json_number(value) for key, value in (run or {}).items()},
    }
    if moved_by_hand:
        document["moved_by_hand"] = [list(move) for move in moved_by_hand]
    import json  # here, as csv above

    return json.dumps(document, allow_nan=False) + "\n"


def json_number(value: RunValue) -> RunValue:
    """``value`` unchanged, except a non-finite float becomes None (JSON's null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise ``ExportError`` now if ``path`` could not be written later.

    Judges the path as ``export_run`` would, then, for a file, creates and
    removes a temporary file beside it: the only check that answers for every
    file system, permission and user (root included). A character device is
    opened for writing and closed.
    """
    shown = Path(path)
    real, existing = _resolve(shown)
    if existing is not None and stat.S_ISCHR(existing.st_mode):
        try:
            os.close(os.open(real, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | _CLOEXEC))
        except OSError as error:
            if error.errno != errno.EAGAIN:  # a device busy now is still a device
                raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
        return
    descriptor, temporary = _create_temporary(real, shown)
    os.close(descriptor)
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Put ``text`` (UTF-8) at ``path`` as the module docstring says, or raise ``ExportError``."""
    shown = Path(path)
    real, existing = _resolve(shown)
    if existing is not None and stat.S_ISCHR(existing.st_mode):
        _write_device(real, shown, text)
        return
    _remove_stale_temporaries(real.parent)
    temporary = _write_temporary(shown, text, existing=existing, real=real)
    try:
        os.replace(temporary, real)
    except BaseException as error:  # even Ctrl+C: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
        raise
    _sync_directory(real.parent)


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

_REFUSED = {
    stat.S_IFDIR: "it is a directory",
    stat.S_IFIFO: "it is a named pipe (FIFO); only a regular file or a character device "
    "such as /dev/null is written",
    stat.S_IFSOCK: "it is a socket; only a regular file or a character device "
    "such as /dev/null is written",
    stat.S_IFBLK: "it is a block device (a disk); only a regular file or a character device "
    "such as /dev/null is written",
}
"""Why each kind of file that is neither regular nor a character device is refused."""


def _resolve(shown: Path) -> tuple[Path, os.stat_result | None]:
    """Where ``shown`` leads once links are followed, and what is there (None: nothing yet).

    Raises ``ExportError`` for a name too long to create, a folder path that
    does not lead to a folder, and every kind of file that is neither regular
    nor a character device. A character device is returned as ``shown`` itself
    (``/dev/stdout`` is a link that only the kernel can follow to a terminal).
    """
    try:
        _check_name_length(shown.name, shown.parent, shown)
        existing: os.stat_result | None = os.stat(shown)
    except FileNotFoundError:  # nothing there yet, or a link to nothing yet
        existing = None
    except ExportError:
        raise
    except OSError as error:
        raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
    except ValueError as error:  # e.g. a NUL character in the name
        raise ExportError(f"cannot write {_shown(shown)}: {error}") from error
    if existing is not None:
        kind = stat.S_IFMT(existing.st_mode)
        if kind == stat.S_IFCHR:
            return shown, existing
        if kind in _REFUSED:
            raise ExportError(f"cannot write {_shown(shown)}: {_REFUSED[kind]}")
        if kind != stat.S_IFREG:
            raise ExportError(f"cannot write {_shown(shown)}: it is not a regular file")
        if not os.access(shown, os.W_OK):
            raise ExportError(f"cannot write {_shown(shown)}: it is read-only (permission denied)")
    real = Path(os.path.realpath(shown))
    _check_name_length(real.name, real.parent, shown)
    return real, existing


def _check_name_length(name: str, folder: Path, shown: Path) -> None:
    """Refuse a file name longer than the folder's file system allows (usually 255 bytes)."""
    length = len(os.fsencode(name))
    if length > _name_max(folder):
        raise ExportError(
            f"cannot write {_shown(shown)}: its name is {length} bytes long; "
            f"the limit is {_name_max(folder)}"
        )


def _name_max(folder: Path) -> int:
    """The longest file name, in bytes, that ``folder`` accepts."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return NAME_MAX


def _write_device(real: Path, shown: Path, text: str) -> None:
    """Write ``text`` straight to a character device (it cannot be replaced, only written).

    A device may take its time (a terminal paused with Ctrl+S, a pseudo-terminal
    nobody reads), so the bytes go out with ``os.write`` and nothing is buffered:
    if an exception ends the wait (a signal the caller turns into one), closing
    the device has nothing left to write, and cannot block again.
    """
    try:
        descriptor = os.open(real, os.O_WRONLY | os.O_NOCTTY | _CLOEXEC)
    except OSError as error:
        raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
    try:
        unwritten = memoryview(text.encode("utf-8"))
        while unwritten:
            unwritten = unwritten[os.write(descriptor, unwritten) :]
    except OSError as error:
        raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
    finally:
        os.close(descriptor)


def _write_temporary(
    shown: Path, text: str, *, existing: os.stat_result | None, real: Path | None = None
) -> str:
    """A complete, synced temporary copy of ``text`` beside ``real`` (default ``shown``).

    It takes ``existing``'s permissions and, where allowed, its owner. On any
    failure it is removed and ``ExportError`` (or the interrupting exception)
    is raised.
    """
    descriptor, temporary = _create_temporary(real or shown, shown)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            if existing is not None:
                _copy_ownership(file.fileno(), existing)
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
    except BaseException as error:  # even Ctrl+C: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
        raise
    return temporary


def _copy_ownership(descriptor: int, existing: os.stat_result) -> None:
    """Give the file open at ``descriptor`` the owner (if allowed) and mode of ``existing``."""
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))


def _claim(temporary: str, candidate: Path) -> bool:
    """Give the complete ``temporary`` file the name ``candidate`` unless it is taken.

    A hard link fails if the name exists, which makes taking it atomic. On file
    systems without hard links the name is first created empty with O_EXCL
    (which also fails if it exists), then the temporary file renamed over it.
    """
    try:
        os.link(temporary, candidate)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600))
        except FileExistsError:
            return False
        os.replace(temporary, candidate)
    return True


def _create_temporary(real: Path, shown: Path) -> tuple[int, str]:
    """A new, empty file beside ``real`` (same folder, so the rename is atomic), open for writing.

    Made with ``os.open`` and mode 0o666 so a new export gets the usual
    permissions (the user's umask applies), not a temporary file's 0o600. Its
    name is ``TEMPORARY_PREFIX``, 8 random hex digits, a dash and as much of
    ``real``'s name as fits the file system's limit.
    """
    folder = real.parent
    room = _name_max(folder) - len(TEMPORARY_PREFIX) - 9
    stem = real.name
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    import secrets  # with it hmac and OpenSSL's hashes: ~3 ms of CPU at every start-up before

    for _ in range(100):
        temporary = folder / f"{TEMPORARY_PREFIX}{secrets.token_hex(4)}-{stem}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC
            return os.open(temporary, flags, 0o666), str(temporary)
        except FileExistsError:
            continue
        except OSError as error:
            raise ExportError(f"cannot write {_shown(shown)}: {_reason(error)}") from error
        except ValueError as error:  # e.g. a NUL character in the name
            raise ExportError(f"cannot write {_shown(shown)}: {error}") from error
    raise ExportError(f"cannot write {_shown(shown)}: no free temporary name in its folder")


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove this module's temporary files in ``folder`` older than ``STALE_AFTER`` seconds.

    Only names that ``_create_temporary`` makes are touched, and only regular
    files (never a link or a folder); a failure to remove one is no reason not
    to export.
    """
    limit = time.time() - STALE_AFTER
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not TEMPORARY.match(entry.name):
                continue
            with contextlib.suppress(OSError):
                if (
                    entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mtime < limit
                ):
                    os.unlink(entry.path)


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
    if error.errno == errno.EISDIR:
        return "it is a directory"
    return (error.strerror or str(error)).strip()


def _shown(path: Path) -> str:
    """The path as the user gave it, safe to print on one line."""
    return printable(str(path))
