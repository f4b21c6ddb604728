"""Data files a spreadsheet or a stray keyboard layout produce, and a pipe with no writer:
issue 14, items 19 (ASCII numbers only), 21 (quoted cells) and 23 (a FIFO must not hang)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from core import DataFileError, read_csv
from core import data_file as data_file_module
from tests.test_data_file import write
from tui.cli.main import main

# -- quoted cells, as spreadsheets write them ------------------------------------------


def test_quoted_numbers_are_read_first_row_included(tmp_path: Path) -> None:
    path = write(tmp_path, b'"0","32"\n"100", "212"\n" 37 ",98.6\n')
    dataset = read_csv(path)
    assert dataset.celsius.tolist() == [0.0, 100.0, 37.0]
    assert dataset.fahrenheit.tolist() == [32.0, 212.0, 98.6]


def test_a_quoted_header_is_still_a_header(tmp_path: Path) -> None:
    path = write(tmp_path, b'"celsius","fahrenheit"\n"0","32"\n"100","212"\n')
    assert len(read_csv(path)) == 2


@pytest.mark.parametrize(
    ("content", "line", "column", "reason"),
    [
        (b'0,32\n"1,5","34,7"\n', 2, 2, "celsius '1,5' is not a number"),
        (b'0,32\n"1,33.8\n', 2, 1, "a quote is never closed"),
        (b'0,32\n"1"x,33.8\n', 2, 4, "unexpected text after a closing quote"),
        (b'0,32\n"",33.8\n', 2, 2, "the celsius cell is empty"),
    ],
)
def test_a_bad_quoted_cell_is_pointed_at(
    tmp_path: Path, content: bytes, line: int, column: int, reason: str
) -> None:
    with pytest.raises(DataFileError) as error:
        read_csv(write(tmp_path, content))
    assert (error.value.line, error.value.column, error.value.reason) == (line, column, reason)


# -- ASCII numbers only -------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "named"),
    [
        ("１,33.8", 1, "U+FF11 FULLWIDTH DIGIT ONE"),
        ("1,٣٣.8", 3, "U+0663 ARABIC-INDIC DIGIT THREE"),
        ("1,\u00a033.8", 3, "U+00A0 NO-BREAK SPACE"),
        ("1,3３.8", 4, "U+FF13 FULLWIDTH DIGIT THREE"),
    ],
)
def test_a_digit_or_space_outside_ascii_is_refused_by_name(
    tmp_path: Path, row: str, column: int, named: str
) -> None:
    path = write(tmp_path, f"0,32\n{row}\n".encode())
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    assert (error.value.line, error.value.column) == (2, column)
    assert named in error.value.reason and "ASCII" in error.value.reason


def test_a_first_row_of_full_width_digits_is_refused_not_skipped_as_a_header(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "０,３２\n1,33.8\n2,35.6\n".encode())
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    assert (error.value.line, error.value.column) == (1, 1)
    assert "U+FF10 FULLWIDTH DIGIT ZERO" in error.value.reason


def test_control_characters_in_a_cell_are_escaped_in_the_message(tmp_path: Path) -> None:
    path = write(tmp_path, b"0,32\n1,\x1b[2Jwarm\n")
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    assert "\x1b" not in str(error.value)
    assert "fahrenheit '\\x1b[2Jwarm' is not a number" in str(error.value)


# -- a named pipe ------------------------------------------------------------------


def test_a_pipe_nobody_writes_to_gives_up_and_says_so(tmp_path: Path) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    told: list[float] = []
    started = time.monotonic()
    with pytest.raises(DataFileError) as error:
        read_csv(fifo, on_wait=lambda: told.append(time.monotonic()), patience=0.6, notice=0.2)
    assert error.value.reason.startswith("nothing to read: no program wrote to it within 0.6 s")
    assert len(told) == 1 and told[0] - started >= 0.2


def test_a_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)

    def writer() -> None:
        time.sleep(0.2)
        with open(fifo, "wb") as file:
            file.write(b"celsius,fahrenheit\n0,32\n100,212\n")

    thread = threading.Thread(target=writer)
    thread.start()
    dataset = read_csv(fifo, patience=30)
    thread.join()
    assert dataset.fahrenheit.tolist() == [32.0, 212.0]


def test_the_command_says_it_is_waiting_then_refuses_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    monkeypatch.setattr(data_file_module, "PATIENCE", 0.4)
    monkeypatch.setattr(data_file_module, "NOTICE", 0.1)
    assert main(["--headless", "--data", str(fifo)]) == 2
    waiting, refused = capsys.readouterr().err.splitlines()
    assert waiting == (
        f"c2f-tui: --data: waiting for a program to write to {fifo} (Ctrl+C to stop)"
    )
    assert refused.startswith(f"c2f-tui: error: --data: {fifo}: nothing to read")


@pytest.mark.parametrize(
    ("row", "column", "cell"),
    [
        ("1_0,50", 1, "celsius '1_0'"),
        ("10,5_0.0", 4, "fahrenheit '5_0.0'"),
        ('"1_0","50"', 2, "celsius '1_0'"),
        ("10,\x0c50", 4, "fahrenheit '\\x0c50'"),
    ],
)
def test_a_number_python_would_read_but_no_spreadsheet_writes_is_refused(
    tmp_path: Path, row: str, column: int, cell: str
) -> None:
    """Issue 21 item 13: ``float('1_0')`` is 10; a data file's cells are ASCII decimals."""
    path = write(tmp_path, f"0,32\n{row}\n100,212\n".encode())
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    assert (error.value.line, error.value.column) == (2, column)
    assert error.value.reason == (
        f"{cell} is not a number; write it with digits 0-9 and an optional sign, point "
        "and exponent only"
    )


def test_the_command_refuses_an_underscore_in_a_cell_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, b"0,32\n1_0,50\n")
    assert main(["--headless", "--data", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"c2f-tui: error: --data: {path}:2:1: celsius '1_0' is not a number; "
        "write it with digits 0-9 and an optional sign, point and exponent only\n"
    )


# -- a named pipe whose writer never closes it (issue 21 item 8) -----------------------


def hold_open_after(fifo: Path, rows: bytes, until: threading.Event) -> threading.Thread:
    """A writer that sends ``rows`` to ``fifo`` and keeps it open until ``until`` is set."""

    def writer() -> None:
        with open(fifo, "wb") as file:
            file.write(rows)
            file.flush()
            until.wait(60)

    thread = threading.Thread(target=writer)
    thread.start()
    return thread


def test_a_pipe_held_open_after_two_rows_gives_up_at_the_deadline(tmp_path: Path) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    done = threading.Event()
    writer = hold_open_after(fifo, b"celsius,fahrenheit\n0,32\n100,212\n37,9", done)
    try:
        with pytest.raises(DataFileError) as error:
            read_csv(fifo, patience=0.5, notice=0.2)
    finally:
        done.set()
        writer.join()
    assert error.value.reason == (
        "not ended within 0.5 s: 2 rows read, and the program writing it still holds it open "
        "(close it once the data is written, or save the data to a file)"
    )


def test_the_deadline_runs_from_the_opening_not_from_the_last_row(tmp_path: Path) -> None:
    """A writer that trickles a row every 0.1 s never lets a per-read timeout expire;
    the one deadline still ends the read."""
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    done = threading.Event()

    def trickle() -> None:
        with open(fifo, "wb") as file:
            for celsius in range(600):
                if done.wait(0.1):
                    return
                file.write(f"{celsius},{celsius * 1.8 + 32}\n".encode())
                file.flush()

    writer = threading.Thread(target=trickle)
    writer.start()
    try:
        with pytest.raises(DataFileError) as error:
            read_csv(fifo, patience=1.0)
    finally:
        done.set()
        writer.join()
    assert error.value.reason.startswith("not ended within 1 s: ")


def test_the_command_refuses_a_pipe_held_open_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    monkeypatch.setattr(data_file_module, "PATIENCE", 0.5)
    monkeypatch.setattr(data_file_module, "NOTICE", 0.1)
    done = threading.Event()
    writer = hold_open_after(fifo, b"0,32\n100,212\n", done)
    try:
        status = main(["--headless", "--data", str(fifo)])
    finally:
        done.set()
        writer.join()
    captured = capsys.readouterr()
    assert (status, captured.out) == (2, "")
    waiting, refused = captured.err.splitlines()
    assert waiting.startswith(f"c2f-tui: --data: waiting for a program to write to {fifo}")
    assert refused == (
        f"c2f-tui: error: --data: {fifo}: not ended within 0.5 s: 2 rows read, and the program "
        "writing it still holds it open (close it once the data is written, or save the data "
        "to a file)"
    )
