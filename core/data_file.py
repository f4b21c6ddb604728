"""Measurements from a CSV file: celsius,fahrenheit pairs, read strictly and explained when bad.

The format is deliberately small, so that every way a file can be wrong gets
its own answer::

    # lines starting with # are comments; blank lines are skipped
    celsius,fahrenheit        <- an optional header: a first row of two cells, neither a number
    -40, -40
    0,32.1
    100 , 211.8

Cells are separated by commas and may be surrounded by spaces or by double
quotes, as spreadsheets write them (``"0","32"``; ``""`` inside quotes is one
quote); a UTF-8 byte order mark is ignored. Numbers are ASCII decimals, as every
other numeric tool writes them (``core.numerals``): a full-width or Arabic-Indic
digit, or a no-break space, is refused by name, and ``1_0`` as not a number,
rather than read as Python would read them. Anything else (a missing file,
bytes that are not UTF-8, a cell that is not a finite number, a row without
exactly two cells, fewer than two rows, a file beyond ``MAX_BYTES`` or
``MAX_ROWS``) raises ``DataFileError``, whose message is one line that names
the file, the line and the column where they apply, and the reason:
``FILE:LINE:COLUMN: reason``.

A named pipe (or any file that is not a regular file: a device, a terminal) is
read until its writer closes it, within one deadline of ``PATIENCE`` seconds from
opening it to its end: a pipe nobody writes to, and one whose writer sent two rows
and keeps it open, both end in a ``DataFileError`` naming the rows read rather than
a wait forever (``on_wait`` is told after ``NOTICE`` seconds, to say it waits). A
signal that ends the program (Ctrl+C, SIGTERM) ends the wait at once.
"""

from __future__ import annotations

import math
import os
import select
import stat
import time
import unicodedata
from collections.abc import Callable

import numpy as np

from core.dataset import MAX_MAGNITUDE, Dataset
from core.numerals import DECIMAL
from core.printable import printable

MAX_BYTES = 10_000_000
"""The largest file read (10 MB): room for 100,000 rows with long numbers and comments."""
MAX_ROWS = 100_000
"""The most data rows accepted: far beyond any set of measurements made by hand, and more
samples teach a line nothing new. (Headless runs cost the same whatever the number of samples;
on screen, stepping one phase at a time works on every sample, and beyond about 10,000 it
starts to cost milliseconds per iteration.)"""

PATIENCE = 30.0
"""Seconds a named pipe (or other file that is not a regular file) has, from its opening to
its end of file, before the read gives up."""
NOTICE = 2.0
"""Seconds of waiting for a named pipe's end after which ``on_wait`` is called."""
_CHUNK = 65_536
"""Bytes asked for per read of a pipe or device."""
_SPACES = " \t"
"""What may surround a cell: ASCII spaces and tabs (anything else is part of the cell)."""

_NON_FINITE = {"nan", "inf", "infinity"}
"""Spellings ``float`` accepts that are not measurements (after a sign, in lower case)."""
_LIMIT = f"{MAX_MAGNITUDE:.0e}".replace("e+", "e")
"""``MAX_MAGNITUDE`` as written in messages (1e100)."""
_SHOWN_CELL = 24
"""A cell quoted in a message is cut to this many characters."""


class DataFileError(ValueError):
    """A data file that cannot be used, with a one-line ``FILE[:LINE[:COLUMN]]: reason``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        reason: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = os.fspath(path)
        """The file as the user named it."""
        self.reason = reason
        """What is wrong, and where useful what to do about it."""
        self.line = line
        """1-based line of the problem, if it has one."""
        self.column = column
        """1-based character column of the problem, if it has one."""
        where = printable(self.path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")


def read_csv(
    path: str | os.PathLike[str],
    *,
    on_wait: Callable[[], object] | None = None,
    patience: float | None = None,
    notice: float | None = None,
) -> Dataset:
    """The ``Dataset`` in the CSV file at ``path``; ``DataFileError`` if it cannot be used.

    ``on_wait`` is called once if a named pipe has not ended after ``notice``
    seconds (default ``NOTICE``); if it has not ended after ``patience`` seconds
    (default ``PATIENCE``) the read gives up.
    """
    data = _read_bounded(
        path,
        on_wait=on_wait,
        patience=PATIENCE if patience is None else patience,
        notice=NOTICE if notice is None else notice,
    )
    text = _decode(path, data)
    celsius: list[float] = []
    fahrenheit: list[float] = []
    first_row_line = 0
    seen_content = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not seen_content:
            seen_content = True
            if _is_header(path, number, line):
                continue
        if len(celsius) == MAX_ROWS:
            raise DataFileError(
                path, f"more than {MAX_ROWS:,} data rows; the limit is {MAX_ROWS:,}", number
            )
        c, f = _row(path, number, line)
        celsius.append(c)
        fahrenheit.append(f)
        first_row_line = first_row_line or number
    if not celsius:
        what = "is empty" if not text.strip() else "has no data rows, only a header or comments"
        raise DataFileError(path, f"the file {what}; expected rows of celsius,fahrenheit")
    if len(celsius) == 1:
        raise DataFileError(
            path, "only one data row; a line needs at least two samples", first_row_line
        )
    try:
        return Dataset(np.array(celsius), np.array(fahrenheit))
    except ValueError as error:  # all celsius equal, or too close together to fit
        raise DataFileError(path, str(error)) from None


def _read_bounded(
    path: str | os.PathLike[str],
    *,
    on_wait: Callable[[], object] | None,
    patience: float,
    notice: float,
) -> bytes:
    """The file's bytes, reading at most one byte past ``MAX_BYTES`` (so pipes are bounded too).

    The file is opened without blocking, so a named pipe nobody writes to does
    not hang the open itself; then anything but a regular file is read against
    the clock (``_read_before_deadline``).
    """
    if os.path.isdir(path):
        raise DataFileError(path, "is a directory, not a CSV file")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataFileError(path, "no such file") from None
    except PermissionError:
        raise DataFileError(path, "permission denied: cannot read the file") from None
    except OSError as error:
        raise DataFileError(path, f"cannot read the file ({error.strerror or error})") from None
    except ValueError as error:  # e.g. a NUL character in the name
        raise DataFileError(path, f"not a usable file name ({error})") from None
    try:
        with open(descriptor, "rb") as file:
            if stat.S_ISREG(os.fstat(descriptor).st_mode):
                os.set_blocking(descriptor, True)
                data = file.read(MAX_BYTES + 1)
            else:
                data = _read_before_deadline(path, descriptor, on_wait, patience, notice)
    except IsADirectoryError:
        raise DataFileError(path, "is a directory, not a CSV file") from None
    except OSError as error:
        raise DataFileError(path, f"cannot read the file ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise DataFileError(
            path, f"the file is larger than the limit of {MAX_BYTES:,} bytes (10 MB)"
        )
    return data


def _read_before_deadline(
    path: str | os.PathLike[str],
    descriptor: int,
    on_wait: Callable[[], object] | None,
    patience: float,
    notice: float,
) -> bytes:
    """What the pipe (or device) at ``descriptor`` gives until its end of file, at most
    one byte past ``MAX_BYTES``; ``DataFileError`` if the end has not come ``patience``
    seconds after it was opened.

    One deadline for the whole read: a writer that never comes and one that sent a
    few rows and keeps the pipe open are the same wait. ``descriptor`` does not block;
    each read follows a ``poll`` that says there is something to read (or the writer
    has gone). A named pipe that no program has opened for writing reports no event at
    all (on Linux), neither data nor hang-up, so it is waited for like a silent writer.
    """
    started = time.monotonic()
    deadline = started + patience
    poll = select.poll()
    poll.register(descriptor, select.POLLIN)
    chunks: list[bytes] = []
    size = 0
    told = on_wait is None
    while size <= MAX_BYTES:
        now = time.monotonic()
        if now >= deadline:
            raise _unfinished(path, b"".join(chunks), patience)
        wait = deadline - now if told else min(deadline - now, started + notice - now)
        if not poll.poll(max(wait, 0.0) * 1000):
            if not told and time.monotonic() >= started + notice:
                told = True
                assert on_wait is not None
                on_wait()
            continue
        try:
            chunk = os.read(descriptor, _CHUNK)
        except BlockingIOError:  # woken for nothing: poll again
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _unfinished(path: str | os.PathLike[str], data: bytes, patience: float) -> DataFileError:
    """Why a pipe that did not end within ``patience`` seconds is refused, with what it gave."""
    if not data:
        return DataFileError(
            path,
            f"nothing to read: no program wrote to it within {patience:g} s "
            "(start the program that writes it, or save the data to a file)",
        )
    rows = _rows_received(path, data)
    return DataFileError(
        path,
        f"not ended within {patience:g} s: {rows:,} row{'' if rows == 1 else 's'} read, and the "
        "program writing it still holds it open (close it once the data is written, "
        "or save the data to a file)",
    )


def _rows_received(path: str | os.PathLike[str], data: bytes) -> int:
    """How many data rows the complete lines of ``data`` hold (a header, blank lines and
    comments are no rows; what follows the last line break is not yet a line)."""
    text = data[: data.rfind(b"\n") + 1].decode("utf-8-sig", errors="replace")
    lines = [line.strip() for line in text.split("\n")]
    content = [line for line in lines if line and not line.startswith("#")]
    if content and _is_header(path, 1, content[0]):
        content = content[1:]
    return len(content)


def _decode(path: str | os.PathLike[str], data: bytes) -> str:
    """UTF-8 text without its byte order mark, or where the first undecodable byte is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        line_start = data.rfind(b"\n", 0, offset) + 1
        before = data[line_start:offset].decode("utf-8-sig", errors="replace")
        line = data.count(b"\n", 0, offset) + 1
        reason = f"not UTF-8 text (byte 0x{data[offset]:02x}); save the file as UTF-8"
        raise DataFileError(path, reason, line, len(before) + 1) from None


def _cells(path: str | os.PathLike[str], line: int, text: str) -> list[tuple[int, str]]:
    """The comma-separated cells of ``text``, each with the 1-based column where it starts.

    Spaces and tabs around a cell are dropped; a cell in double quotes is
    read as its content (``""`` inside is one quote; the column is that of the
    first character inside). An unclosed quote, or text after a closing
    quote, is a ``DataFileError``.
    """
    cells: list[tuple[int, str]] = []
    position = 0
    while True:
        while position < len(text) and text[position] in _SPACES:
            position += 1
        if text.startswith('"', position):
            opening = position
            content: list[str] = []
            position += 1
            while True:
                if position >= len(text):
                    raise DataFileError(path, "a quote is never closed", line, opening + 1)
                if text.startswith('""', position):
                    content.append('"')
                    position += 2
                elif text[position] == '"':
                    position += 1
                    break
                else:
                    content.append(text[position])
                    position += 1
            cells.append((opening + 2, "".join(content).strip(_SPACES)))
            while position < len(text) and text[position] in _SPACES:
                position += 1
            if position < len(text) and text[position] != ",":
                raise DataFileError(
                    path, "unexpected text after a closing quote", line, position + 1
                )
        else:
            end = text.find(",", position)
            end = len(text) if end < 0 else end
            cells.append((position + 1, text[position:end].rstrip(_SPACES)))
            position = end
        if position >= len(text):
            return cells
        position += 1  # past the comma


def _is_header(path: str | os.PathLike[str], line: int, text: str) -> bool:
    """A header is two cells, neither of them a number (e.g. ``celsius,fahrenheit``).

    "A number" is judged leniently here (any digits ``float`` reads), so that
    a first row of full-width digits is not mistaken for a header and skipped:
    it is read as data, and refused there with the character named.
    """
    try:
        cells = _cells(path, line, text)
    except DataFileError:
        return False  # not a clean header: let the data row say what is wrong
    return len(cells) == 2 and not any(_is_number(cell) for _, cell in cells)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _row(path: str | os.PathLike[str], line: int, text: str) -> tuple[float, float]:
    """The (celsius, fahrenheit) of one data row, or a ``DataFileError`` pointing at the fault.

    Most rows are fine, so they are read in one quick attempt (two plain
    decimals, ``core.numerals.DECIMAL``, within the magnitude limit); only a row
    that fails it is taken apart cell by cell to say which cell is wrong and why.
    """
    parts = text.split(",")
    if len(parts) == 2 and '"' not in text:
        c_text, f_text = parts[0].strip(_SPACES), parts[1].strip(_SPACES)
        if DECIMAL.fullmatch(c_text) and DECIMAL.fullmatch(f_text):
            c, f = float(c_text), float(f_text)
            if abs(c) <= MAX_MAGNITUDE and abs(f) <= MAX_MAGNITUDE:
                return c, f
    cells = _cells(path, line, text)
    if len(cells) != 2:
        raise _wrong_width(path, line, text, cells)
    (c_column, c_text), (f_column, f_text) = cells
    return (
        _measurement(path, line, c_column, "celsius", c_text),
        _measurement(path, line, f_column, "fahrenheit", f_text),
    )


def _measurement(
    path: str | os.PathLike[str], line: int, column: int, name: str, cell: str
) -> float:
    """The number in ``cell``, or a ``DataFileError`` saying why it is not a measurement."""
    if not cell:
        raise DataFileError(path, f"the {name} cell is empty", line, column)
    for offset, character in enumerate(cell):
        if not character.isascii():
            raise DataFileError(
                path,
                f"{name} {_quoted(cell)} holds {_character(character)}; "
                "numbers are written in ASCII (0-9, sign, point, e)",
                line,
                column + offset,
            )
    if cell.lower().lstrip("+-") in _NON_FINITE:
        raise DataFileError(
            path, f"{name} is {_quoted(cell)}; every value must be a finite number", line, column
        )
    if not DECIMAL.fullmatch(cell):
        hint = ""
        if _is_number(cell):  # Python would read it (1_0 as 10): say what is wrong with it
            hint = "; write it with digits 0-9 and an optional sign, point and exponent only"
        raise DataFileError(path, f"{name} {_quoted(cell)} is not a number{hint}", line, column)
    value = float(cell)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise DataFileError(
            path,
            f"{name} {_quoted(cell)} is beyond ±{_LIMIT}, too large to fit",
            line,
            column,
        )
    return value


def _wrong_width(
    path: str | os.PathLike[str], line: int, text: str, cells: list[tuple[int, str]]
) -> DataFileError:
    """The error for a row without exactly two cells, pointing at the first extra one."""
    found = f"{len(cells)} column" + ("" if len(cells) == 1 else "s")
    hint = ""
    if len(cells) == 1 and (";" in text or "\t" in text):
        hint = " (separate the two cells with a comma)"
    reason = f"expected 2 columns (celsius,fahrenheit), found {found}{hint}"
    column = cells[2][0] if len(cells) > 2 else None
    return DataFileError(path, reason, line, column)


def _quoted(cell: str) -> str:
    """``cell`` quoted for a one-line message: escaped, and cut if long."""
    if len(cell) > _SHOWN_CELL:
        cell = cell[:_SHOWN_CELL] + "…"
    return f"'{printable(cell)}'"


def _character(character: str) -> str:
    """A character by its Unicode code point and name: ``U+FF10 FULLWIDTH DIGIT ZERO``."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")
