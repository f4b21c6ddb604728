"""Exported runs: they read back exactly, stay bounded, and never replace a file half-written."""

from __future__ import annotations

import csv
import errno
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core import Dataset, ExportError, Trainer, export_run
from core.export import check_writable, export_new_run
from core.history import COLUMNS, MAX_ROWS

LONG_RUN = 10**6


@pytest.fixture(scope="module")
def long_run() -> Trainer:
    trainer = Trainer(seed=0)
    assert trainer.run(LONG_RUN) == LONG_RUN
    return trainer


def read_csv_rows(path: Path) -> tuple[list[str], list[list[float]]]:
    """The header, and each row's numbers (the optimizer, the last column, left out)."""
    with path.open(newline="") as file:
        header, *rows = list(csv.reader(file))
    return header, [[float(cell) for cell in row[:-1]] for row in rows]


def test_csv_round_trip_is_exact_bounded_and_spans_the_whole_run(
    long_run: Trainer, tmp_path: Path
) -> None:
    path = export_run(tmp_path / "run.csv", long_run)
    header, rows = read_csv_rows(path)
    assert header == [*COLUMNS, "learning_rate", "optimizer"]
    assert 100 < len(rows) <= MAX_ROWS
    first, last = rows[0], rows[-1]
    assert first[:3] == [0.0, long_run.initial_weight, long_run.initial_bias]
    assert last[:4] == [LONG_RUN, long_run.weight, long_run.bias, long_run.loss]
    assert [row[0] for row in rows] == sorted({row[0] for row in rows}), "increasing, no repeats"
    assert [row[: len(COLUMNS)] for row in rows] == long_run.history.rows().tolist(), (
        "full precision: every float reads back"
    )
    assert {row[-1] for row in rows} == {1e-4}, "every row made at the tutorial's rate"
    assert path.read_text().splitlines()[1].startswith("0,"), "iterations are whole numbers"


def test_json_round_trip_carries_the_rows_and_what_produced_them(
    long_run: Trainer, tmp_path: Path
) -> None:
    path = export_run(tmp_path / "run.JSON", long_run)
    document = json.loads(path.read_text())
    assert document["columns"] == [*COLUMNS, "learning_rate", "optimizer"]
    assert [row[: len(COLUMNS)] for row in document["rows"]] == long_run.history.rows().tolist()
    assert {tuple(row[len(COLUMNS) :]) for row in document["rows"]} == {(1e-4, "gd")}
    assert document["rows"][0][0] == 0 and document["rows"][-1][0] == LONG_RUN
    assert isinstance(document["rows"][-1][0], int)
    assert len(document["rows"]) <= MAX_ROWS
    run = document["run"]
    assert run["learning_rate"] == 1e-4 and run["seed"] == 0 and run["samples"] == 100
    assert run["iterations"] == LONG_RUN
    assert (run["optimum_weight"], run["optimum_bias"]) == (
        long_run.surface.optimum_weight,
        long_run.surface.optimum_bias,
    )
    assert run["diverged"] is False and run["diverged_at"] is None


def test_non_finite_values_are_null_in_json_and_inf_in_csv(tmp_path: Path) -> None:
    # Celsius up to 1e12 and an absurd rate: the first update's loss overflows to infinity.
    trainer = Trainer(Dataset.synthetic(0, 1e12), learning_rate=1e250, seed=0)
    trainer.run(5)
    assert trainer.diverged and trainer.loss == float("inf")
    document = json.loads(export_run(tmp_path / "run.json", trainer).read_text())
    assert document["rows"][-1][3] is None and document["run"]["diverged_at"] == 1
    _, rows = read_csv_rows(export_run(tmp_path / "run.csv", trainer))
    assert rows[-1][3] == float("inf")


# -- atomicity -------------------------------------------------------------------

OLD = b"iteration,weight\n0,precious\n"


def earlier_export(tmp_path: Path) -> Path:
    path = tmp_path / "run.csv"
    path.write_bytes(OLD)
    return path


def assert_untouched(path: Path) -> None:
    assert path.read_bytes() == OLD
    assert sorted(os.listdir(path.parent)) == [path.name], "no temporary file left behind"


def test_a_write_failing_midway_leaves_the_earlier_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = earlier_export(tmp_path)
    real_fdopen = os.fdopen
    written: list[str] = []

    def half_then_full_disk(descriptor: int, *args: Any, **kwargs: Any) -> Any:
        file = real_fdopen(descriptor, *args, **kwargs)
        real_write = file.write

        def write(text: str) -> int:
            real_write(text[: len(text) // 2])
            file.flush()
            written.append(text)
            raise OSError(errno.ENOSPC, "No space left on device")

        file.write = write
        return file

    monkeypatch.setattr(os, "fdopen", half_then_full_disk)
    with pytest.raises(ExportError) as error:
        export_run(path, Trainer(seed=0))
    assert written, "the write did start"
    assert str(error.value) == f"cannot write {path}: No space left on device"
    assert_untouched(path)


@pytest.mark.parametrize(
    ("step", "failure"),
    [
        ("fsync", OSError(errno.EIO, "Input/output error")),
        ("replace", OSError(errno.EXDEV, "Invalid cross-device link")),
        ("replace", KeyboardInterrupt()),
    ],
)
def test_a_failure_before_the_rename_leaves_the_earlier_file_as_it_was(
    step: str, failure: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = earlier_export(tmp_path)

    def fail(*args: object) -> None:
        raise failure

    monkeypatch.setattr(os, step, fail)
    expected = ExportError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        export_run(path, Trainer(seed=0))
    monkeypatch.undo()
    assert_untouched(path)


def test_a_successful_export_replaces_the_earlier_file_whole(tmp_path: Path) -> None:
    path = earlier_export(tmp_path)
    trainer = Trainer(seed=0)
    trainer.run(10)
    export_run(path, trainer)
    _, rows = read_csv_rows(path)
    assert rows[-1][0] == 10
    assert sorted(os.listdir(tmp_path)) == ["run.csv"]


def test_the_file_gets_ordinary_permissions_not_a_temporary_files(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = export_run(tmp_path / "run.csv", Trainer(seed=0))
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644


# -- paths that cannot be written ----------------------------------------------


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "missing" / "run.csv", "its folder does not exist"),
        (lambda tmp: tmp / "a-file" / "run.csv", "part of its folder path is not a folder"),
        (lambda tmp: tmp, "it is a directory"),
    ],
    ids=["missing folder", "folder is a file", "a directory"],
)
def test_an_unwritable_path_is_a_clear_error_before_and_at_write_time(
    make: Any, reason: str, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    path = make(tmp_path)
    with pytest.raises(ExportError) as early:
        check_writable(path)
    assert str(early.value) == f"cannot write {path}: {reason}"
    with pytest.raises(ExportError) as late:
        export_run(path, Trainer(seed=0))
    assert str(late.value) == f"cannot write {path}: {reason}"
    assert isinstance(late.value, OSError)
    assert sorted(os.listdir(tmp_path)) == ["a-file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="Permission denied"):
            export_run(folder / "run.csv", Trainer(seed=0))
    finally:
        folder.chmod(0o700)


def test_check_writable_leaves_nothing_behind(tmp_path: Path) -> None:
    check_writable(tmp_path / "run.csv")
    assert os.listdir(tmp_path) == []


def test_new_names_are_timestamped_and_never_replace_an_earlier_export(tmp_path: Path) -> None:
    now = datetime(2024, 3, 9, 14, 5, 7)
    trainer = Trainer(seed=0)
    first = export_new_run(trainer, tmp_path, now=now)
    assert first == tmp_path / "c2f-run-20240309-140507.csv"
    first.write_text("earlier")
    assert export_new_run(trainer, tmp_path, now=now) == tmp_path / "c2f-run-20240309-140507-2.csv"
    assert first.read_text() == "earlier"
