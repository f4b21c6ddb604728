"""``--password-file`` and ``--authorized-keys``: read from regular files only, bounded,
refused in one line (never a hang on a pipe, an endless read of a device, or a traceback),
and a password file others can read is refused as OpenSSH refuses such a private key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest

from tests.serve_harness import REPO
from tui.serve.options import ServeError
from tui.serve.ssh import MAX_AUTHORIZED_KEYS_BYTES, read_authorized_keys, read_password

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="serving needs a POSIX system")

DEVICE = Path("/dev/zero")
"""A character device that never ends."""


def refused(read: object, path: Path) -> str:
    with pytest.raises(ServeError) as error:
        read(path)  # type: ignore[operator]
    message = str(error.value)
    assert "\n" not in message and str(path) in message
    return message


def private(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("read", [read_password, read_authorized_keys])
def test_a_pipe_a_device_or_a_folder_is_refused_at_once(read: object, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would wait for ever
    assert "not a regular file" in refused(read, fifo)
    assert "not a regular file" in refused(read, DEVICE)
    assert "not a regular file" in refused(read, tmp_path)
    assert "No such file" in refused(read, tmp_path / "missing")


def test_a_password_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = private(tmp_path / "password", "correct horse\n")
    assert read_password(path) == b"correct horse"
    for mode, shown in ((0o644, "644"), (0o640, "640")):
        path.chmod(mode)
        assert f"others can read it (mode {shown}); chmod 600 it" in refused(read_password, path)


def test_an_authorized_keys_file_is_bounded_and_garbage_is_one_line(tmp_path: Path) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    path = tmp_path / "authorized_keys"
    path.write_text(key)
    assert read_authorized_keys(path) is not None
    path.write_text(key * (MAX_AUTHORIZED_KEYS_BYTES // len(key) + 1))
    assert "larger than 1,000,000 bytes" in refused(read_authorized_keys, path)
    path.write_text("x" * 100 + "\n")
    assert "No valid entries" in refused(read_authorized_keys, path)
    # A line asyncssh takes for an X.509 certificate raised NameError (no pyOpenSSL).
    path.write_bytes(b"0\x00\n")  # an empty DER sequence, as asyncssh reads the line
    assert "authorized_keys" in refused(read_authorized_keys, path)


@pytest.mark.parametrize("option", ["--password-file", "--authorized-keys"])
def test_the_server_on_a_pipe_says_so_and_exits_2(option: str, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "tui", "serve", "ssh", "--port", "0", "--host-key"]
    result = subprocess.run(
        [*command, str(tmp_path / "key"), option, str(fifo)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,  # it used to wait for a writer for ever (and ignore SIGTERM meanwhile)
    )
    assert result.returncode == 2
    assert f"{option} {fifo}: not a regular file" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
