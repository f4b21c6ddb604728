"""The SSH host key: made once (Ed25519, mode 0600), then reused; never a risky file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui.serve.hostkey import default_path, generate, load, load_or_create, store
from tui.serve.options import ServeError


def test_a_key_is_made_private_on_first_start_and_the_same_key_is_used_after(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config" / "c2f-tui" / "ssh_host_ed25519_key"
    key, created = load_or_create(path)
    assert created
    assert key.get_algorithm() == "ssh-ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = load_or_create(path)
    assert not created_again
    assert again.get_fingerprint() == key.get_fingerprint()  # learners see no changed key
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_the_default_key_lives_in_the_users_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert default_path() == tmp_path / "c2f-tui" / "ssh_host_ed25519_key"


def test_a_key_others_can_read_is_refused_not_used(tmp_path: Path) -> None:
    path = tmp_path / "key"
    load_or_create(path)
    path.chmod(0o644)
    with pytest.raises(ServeError, match=r"others can read it .*chmod 600"):
        load_or_create(path)


@pytest.mark.parametrize("kind", ["directory", "not a key", "empty"])
def test_what_is_not_a_key_is_refused_and_left_as_it_was(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "key"
    if kind == "directory":
        path.mkdir()
    else:
        path.write_text("" if kind == "empty" else "hello\n")
        path.chmod(0o600)
    before = path.stat()
    with pytest.raises(ServeError, match="--host-key"):
        load_or_create(path)
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size


def test_loading_makes_nothing_and_a_key_stored_first_by_another_server_wins(
    tmp_path: Path,
) -> None:
    """The server loads before it listens and stores only once it does; two servers starting
    at once end up with one key, the first stored."""
    path = tmp_path / "c2f-tui" / "key"
    assert load(path) is None
    assert not path.parent.exists()
    first, second = generate(), generate()
    assert store(path, first) is first
    kept = store(path, second)
    assert kept.get_fingerprint() == first.get_fingerprint() != second.get_fingerprint()
    assert [p.name for p in path.parent.iterdir()] == [path.name]
