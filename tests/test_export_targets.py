"""What ``--export`` does to what is already at its path: issue 14, items 1, 2, 4, 5 and 17.

Decided by the final target once links are followed: a regular file is
replaced atomically from a temporary file in *its* folder (keeping its mode and
owner), a character device is written directly, anything else is refused; new
default names are claimed atomically; temporary names fit the file system.
"""

from __future__ import annotations

import fnmatch
import os
import re
import socket
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from core import ExportError, Trainer, export_run
from core.export import TEMPORARY_PREFIX, check_writable, default_name, export_new_run
from tests.pty_harness import REPO


def trained(iterations: int = 3, seed: int = 0) -> Trainer:
    trainer = Trainer(seed=seed)
    trainer.run(iterations)
    return trainer


def last_iteration(path: Path) -> int:
    return int(path.read_text().splitlines()[-1].split(",")[0])


# -- links are followed ----------------------------------------------------------


def test_a_link_is_kept_and_the_file_it_points_to_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    real = tmp_path / "runs" / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    export_run(link, trained(3))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert last_iteration(real) == 3
    assert sorted(os.listdir(tmp_path)) == ["link.csv", "runs"], "no temporary file left"
    assert os.listdir(tmp_path / "runs") == ["real.csv"]


def test_a_dangling_link_gets_its_file_created_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "later.csv")
    export_run(link, trained(2))
    assert link.is_symlink()
    assert last_iteration(tmp_path / "later.csv") == 2


# -- character devices are written, never replaced ---------------------------------


def test_a_terminal_is_written_directly_and_stays_a_terminal(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        device = Path(os.ttyname(slave))
        check_writable(device)
        export_run(device, trained(1))
        received = b""
        while b"\n1," not in received:
            received += os.read(master, 65536)
        assert received.startswith(b"iteration,weight,bias")
        assert stat.S_ISCHR(device.stat().st_mode)
    finally:
        os.close(master)
        os.close(slave)


def test_a_device_node_like_dev_null_is_never_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("making a device node needs root")
    export_run(null, trained(1))
    assert stat.S_ISCHR(null.stat().st_mode) and null.stat().st_rdev == os.makedev(1, 3)
    assert os.listdir(tmp_path) == ["null"]


# -- everything else is refused, before training and at write time -------------------


def make_fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


def make_socket(tmp_path: Path) -> Path:
    path = tmp_path / "sock.csv"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (make_fifo, "it is a named pipe (FIFO)"),
        (make_socket, "it is a socket"),
        (lambda tmp: tmp, "it is a directory"),
    ],
    ids=["fifo", "socket", "directory"],
)
def test_a_fifo_a_socket_or_a_directory_is_refused_and_left_alone(
    make: object, reason: str, tmp_path: Path
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    kind = stat.S_IFMT(path.stat().st_mode)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ExportError, match="^" + re.escape(f"cannot write {path}: {reason}")):
        check_writable(path)
    with pytest.raises(ExportError, match="^" + re.escape(f"cannot write {path}: {reason}")):
        export_run(path, trained(1))
    assert stat.S_IFMT(path.stat().st_mode) == kind
    assert sorted(os.listdir(tmp_path)) == before


def test_a_link_to_a_fifo_is_refused_as_a_fifo(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path)
    link = tmp_path / "link.csv"
    link.symlink_to(fifo)
    with pytest.raises(ExportError, match="it is a named pipe"):
        export_run(link, trained(1))
    assert link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)


# -- permissions -----------------------------------------------------------------


def test_a_private_file_stays_private(tmp_path: Path) -> None:
    path = tmp_path / "private.csv"
    path.write_text("old\n")
    path.chmod(0o600)
    export_run(path, trained(1))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert last_iteration(path) == 1


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        written = export_run(tmp_path / "run.csv", trained(1))
        new = export_new_run(trained(1), tmp_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
    assert stat.S_IMODE(new.stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_another_users_file_keeps_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "theirs.csv"
    path.write_text("old\n")
    os.chown(path, 4321, 4322)
    export_run(path, trained(1))
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4322)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "kept.csv"
    path.write_text("old\n")
    path.chmod(0o444)
    with pytest.raises(ExportError, match="it is read-only"):
        check_writable(path)
    assert path.read_text() == "old\n"


# -- long names --------------------------------------------------------------------


@pytest.mark.parametrize("length", [240, 250, 255])
def test_names_up_to_the_file_systems_limit_can_be_written(tmp_path: Path, length: int) -> None:
    path = tmp_path / ("r" * (length - 4) + ".csv")
    check_writable(path)
    export_run(path, trained(1))
    assert os.listdir(tmp_path) == [path.name]


def test_a_name_beyond_the_limit_is_one_clear_refusal(tmp_path: Path) -> None:
    path = tmp_path / ("r" * 300 + ".csv")
    with pytest.raises(ExportError) as error:
        check_writable(path)
    assert str(error.value) == f"cannot write {path}: its name is 304 bytes long; the limit is 255"


# -- orphaned temporary files --------------------------------------------------------


def test_the_next_export_removes_only_its_own_stale_temporary_files(tmp_path: Path) -> None:
    stale = tmp_path / f"{TEMPORARY_PREFIX}0123abcd-run.csv"
    fresh = tmp_path / f"{TEMPORARY_PREFIX}4567cdef-run.csv"
    foreign = tmp_path / ".run.csv.0123abcd.tmp"  # someone else's pattern, however old
    for path in (stale, fresh, foreign):
        path.write_text("partial")
    two_minutes_ago = time.time() - 120
    for path in (stale, foreign):
        os.utime(path, (two_minutes_ago, two_minutes_ago))
    export_run(tmp_path / "other.csv", trained(1))
    assert sorted(os.listdir(tmp_path)) == sorted([fresh.name, foreign.name, "other.csv"])


# -- default names -------------------------------------------------------------------


def test_a_name_taken_while_writing_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process creates the chosen name between the choice and the write."""
    now = datetime(2024, 3, 9, 14, 5, 7)
    first = tmp_path / default_name(now)
    real_link = os.link

    def other_process_first(source: str, destination: Path) -> None:
        if Path(destination) == first and not first.exists():
            first.write_text("the other process's run")
        real_link(source, destination)

    monkeypatch.setattr(os, "link", other_process_first)
    written = export_new_run(trained(2), tmp_path, now=now)
    assert written == tmp_path / default_name(now, 2)
    assert first.read_text() == "the other process's run"
    assert sorted(os.listdir(tmp_path)) == sorted([first.name, written.name])


RACE = """
import sys
from datetime import datetime
from pathlib import Path
from core import Trainer
from core.export import export_new_run
folder, seed = Path(sys.argv[1]), int(sys.argv[2])
trainer = Trainer(seed=seed)
for _ in range(25):
    trainer.run(1)
    export_new_run(trainer, folder, now=datetime(2026, 11, 27, 0, 55, 43))
"""


def test_processes_exporting_in_the_same_second_lose_nothing(tmp_path: Path) -> None:
    processes = [
        subprocess.Popen([sys.executable, "-c", RACE, str(tmp_path), str(seed)], cwd=REPO)
        for seed in range(4)
    ]
    assert [process.wait(60) for process in processes] == [0, 0, 0, 0]
    files = sorted(tmp_path.iterdir())
    assert len(files) == 100
    runs = {(path.read_text().splitlines()[1], last_iteration(path)) for path in files}
    assert len(runs) == 100, "every export is a different run (seed, iteration)"


def test_default_names_are_ignored_by_git() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    name = default_name(datetime(2026, 11, 27, 0, 55, 43), 3)
    assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), patterns
