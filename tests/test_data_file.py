"""Measurements from a CSV file: what is accepted, and one clear answer for every bad file."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import DataFileError, Dataset, read_csv
from core.data_file import MAX_BYTES, MAX_ROWS
from tui.cli.main import main
from tui.cli.options import parse_settings
from tui.settings import Settings


def write(folder: Path, content: bytes, name: str = "data.csv") -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


# -- what a good file may look like ------------------------------------------


def test_a_header_comments_blank_lines_spaces_crlf_and_a_bom_are_all_accepted(
    tmp_path: Path,
) -> None:
    content = (
        "\ufeff# measured in the kitchen\r\n"
        "celsius , fahrenheit\r\n"
        "\r\n"
        "  -40 ,  -40\r\n"
        "   # a comment after data\r\n"
        "0,32.5\r\n"
        "100 , 211.8\r\n"
    ).encode()
    dataset = read_csv(write(tmp_path, content))
    assert dataset.celsius.tolist() == [-40.0, 0.0, 100.0]
    assert dataset.fahrenheit.tolist() == [-40.0, 32.5, 211.8]


def test_the_header_is_optional_and_numbers_may_use_any_decimal_spelling(tmp_path: Path) -> None:
    """(Not ``1_000``, which ``float`` reads: see test_data_file_edges.py.)"""
    dataset = read_csv(write(tmp_path, b"-5e1,-58\n+.5,32.9\n1E3,1832."))
    assert dataset.celsius.tolist() == [-50.0, 0.5, 1000.0]
    assert dataset.fahrenheit.tolist() == [-58.0, 32.9, 1832.0]


def test_an_exact_line_is_recognised_and_noisy_data_is_not(tmp_path: Path) -> None:
    exact = read_csv(write(tmp_path, b"c,f\n0,32\n10,50\n100,212\n", "exact.csv"))
    assert exact.is_exact_line
    noisy = read_csv(write(tmp_path, b"c,f\n0,31\n10,50.5\n100,212\n", "noisy.csv"))
    assert not noisy.is_exact_line


def test_settings_read_the_file_and_otherwise_make_the_synthetic_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"1,2\n3,5\n")
    from_file = Settings(data=path).make_dataset()
    assert from_file.celsius.tolist() == [1.0, 3.0]
    assert from_file.fahrenheit.tolist() == [2.0, 5.0]
    tutorial = Dataset.tutorial()
    default = Settings().make_dataset()
    assert np.array_equal(default.celsius, tutorial.celsius)
    assert np.array_equal(default.fahrenheit, tutorial.fahrenheit)
    noisy = Settings(celsius_range=(0.0, 100.0), samples=11, noise=2.0, seed=3).make_dataset()
    expected = Dataset.synthetic(0.0, 100.0, 11, noise=2.0, seed=3)
    assert np.array_equal(noisy.celsius, expected.celsius)
    assert np.array_equal(noisy.fahrenheit, expected.fahrenheit)
    assert not noisy.is_exact_line


def test_the_data_options_reach_the_settings(tmp_path: Path) -> None:
    assert parse_settings(["--data", "m.csv"]).data == Path("m.csv")
    synthetic = parse_settings(
        ["--celsius-range", "-10", "30.5", "--samples", "7", "--noise", "0.5", "--seed", "4"]
    )
    assert synthetic.celsius_range == (-10.0, 30.5)
    assert (synthetic.samples, synthetic.noise, synthetic.seed) == (7, 0.5, 4)
    assert parse_settings([]).celsius_range == (-50, 50) and parse_settings([]).samples == 100


# -- every bad file: one line naming the file, the line and column, the reason, exit 2 ----


def unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file its reader has no permission to open.

    Root may open anything, and the tests often run as root: there, ``os.open``
    answers for that file exactly as the kernel answers anyone else.
    """
    path = write(tmp_path, b"1,2\n3,4\n")
    path.chmod(0)
    if os.geteuid() == 0:
        real_open = os.open

        def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            if os.fspath(file) == str(path):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    return path


def too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    return path


def content(data: bytes) -> Callable[[Path, pytest.MonkeyPatch], Path]:
    return lambda tmp_path, monkeypatch: write(tmp_path, data)


BAD_FILES: list[tuple[str, Callable[[Path, pytest.MonkeyPatch], Path], str, str]] = [
    # (case, how to make the file, where: ":LINE:COLUMN" or "", the reason)
    ("missing", lambda tmp_path, _: tmp_path / "missing.csv", "", "no such file"),
    ("directory", lambda tmp_path, _: tmp_path, "", "is a directory, not a CSV file"),
    ("no permission", unreadable, "", "permission denied: cannot read the file"),
    (
        "not UTF-8",
        content(b"celsius,fahrenheit\n1,33.8\n3\xff,37.4\n"),
        ":3:2",
        "not UTF-8 text (byte 0xff); save the file as UTF-8",
    ),
    ("UTF-16", content("1,2\n".encode("utf-16")), ":1:1", "not UTF-8 text (byte 0xff)"),
    ("empty", content(b""), "", "the file is empty; expected rows of celsius,fahrenheit"),
    ("blank lines only", content(b"\n  \n\r\n"), "", "the file is empty"),
    (
        "header and comments only",
        content(b"# nothing yet\ncelsius,fahrenheit\n"),
        "",
        "the file has no data rows, only a header or comments",
    ),
    (
        "a single row",
        content(b"celsius,fahrenheit\n# one\n20,68\n"),
        ":3",
        "only one data row; a line needs at least two samples",
    ),
    (
        "non-numeric cell",
        content(b"1,33.8\n2, warm\n"),
        ":2:4",
        "fahrenheit 'warm' is not a number",
    ),
    ("empty cell", content(b"1,33.8\n ,35.6\n"), ":2:2", "the celsius cell is empty"),
    (
        "NaN",
        content(b"1,33.8\nNaN,35.6\n"),
        ":2:1",
        "celsius is 'NaN'; every value must be a finite number",
    ),
    (
        "infinity",
        content(b"1,33.8\n2,-inf\n"),
        ":2:3",
        "fahrenheit is '-inf'; every value must be a finite number",
    ),
    (
        "beyond the float range",
        content(b"1,33.8\n2,1e400\n"),
        ":2:3",
        "fahrenheit '1e400' is beyond ±1e100, too large to fit",
    ),
    (
        "too many columns",
        content(b"1,33.8\n2,35.6,x\n"),
        ":2:8",
        "expected 2 columns (celsius,fahrenheit), found 3 columns",
    ),
    (
        "too few columns",
        content(b"1,33.8\n2\n"),
        ":2",
        "expected 2 columns (celsius,fahrenheit), found 1 column",
    ),
    (
        "semicolons",
        content(b"1;33.8\n2;35.6\n"),
        ":1",
        "expected 2 columns (celsius,fahrenheit), found 1 column "
        "(separate the two cells with a comma)",
    ),
    (
        "all celsius equal",
        content(b"c,f\n5,41\n5,41.5\n5,40.9\n"),
        "",
        "every celsius value is 5; at least two different temperatures are needed",
    ),
    (
        "too large",
        too_large,
        "",
        "the file is larger than the limit of 10,000,000 bytes (10 MB)",
    ),
    (
        "too many rows",
        content(b"0,32\n1,33.8\n" * (MAX_ROWS // 2) + b"2,35.6\n"),
        f":{MAX_ROWS + 1}",
        "more than 100,000 data rows; the limit is 100,000",
    ),
]


@pytest.mark.parametrize(
    ("make", "where", "reason"),
    [pytest.param(make, where, reason, id=case) for case, make, where, reason in BAD_FILES],
)
def test_a_bad_file_is_one_line_naming_file_line_column_and_reason_and_exit_2(
    make: Callable[[Path, pytest.MonkeyPatch], Path],
    where: str,
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = make(tmp_path, monkeypatch)
    assert main(["--headless", "--data", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    location = f"c2f-tui: error: --data: {path}{where}: "
    assert lines[0].startswith(location)
    assert lines[0][len(location) :].startswith(reason)


def test_the_screen_judges_the_data_before_it_asks_for_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, b"1,33.8\n2,warm\n")
    assert main(["--data", str(path)]) == 2  # pytest's stdin is no terminal: data comes first
    assert capsys.readouterr().err == (
        f"c2f-tui: error: --data: {path}:2:3: fahrenheit 'warm' is not a number\n"
    )


@pytest.mark.parametrize(
    ("make", "where", "reason"),
    [
        pytest.param(make, where, reason, id=case)
        for case, make, where, reason in BAD_FILES
        if case not in ("too many rows", "too large")  # slow, and checked above
    ],
)
def test_the_error_carries_the_file_line_and_column_separately(
    make: Callable[[Path, pytest.MonkeyPatch], Path],
    where: str,
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = make(tmp_path, monkeypatch)
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    assert isinstance(error.value, ValueError)
    location = [int(part) for part in where.split(":")[1:]]
    assert [error.value.line, error.value.column][: len(location)] == location
    assert error.value.path == str(path)
    assert error.value.reason.startswith(reason)
    assert "\n" not in str(error.value)


def test_a_file_name_with_a_line_break_still_gives_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"1,2\n", "two\nlines.csv")
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    assert "\n" not in str(error.value) and "two\\nlines.csv" in str(error.value)


def test_a_long_bad_cell_is_quoted_shortened_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, ("1,2\n3," + "x" * 10 + "\u2028" + "x" * 190).encode())
    with pytest.raises(DataFileError) as error:
        read_csv(path)
    message = str(error.value)
    assert message.count("x") <= 30 and "…" in message
    assert len(message.splitlines()) == 1


# -- the property: nothing but DataFileError, whatever the bytes --------------

CSVISH = st.text(alphabet='0123456789.,-+e#naifNI \t\r\n\ufeff;x"\uff10\xa0', max_size=200)


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        CSVISH.map(str.encode),
        st.text(max_size=100).map(lambda text: text.encode("utf-8", "surrogatepass")),
    )
)
def test_any_bytes_give_a_dataset_or_the_documented_error(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.getbasetemp() / "arbitrary.csv"
    path.write_bytes(data)
    try:
        dataset = read_csv(path)
    except DataFileError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))
    else:
        assert len(dataset) >= 2
        assert np.all(np.isfinite(dataset.celsius)) and np.all(np.isfinite(dataset.fahrenheit))
