"""The SSH server's host key: an Ed25519 key made on first start and reused ever after.

Reusing it is what spares learners OpenSSH's "REMOTE HOST IDENTIFICATION HAS
CHANGED" warning the second week of class. The file is private (mode 0600, like
OpenSSH's own host keys, and refused if others can read it); it is written whole
under a temporary name and then linked into place, so a crash or a second server
starting at the same moment can never leave a half-written key behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

import asyncssh

from tui.i18n import _
from tui.serve.options import ServeError

KEY_FILE = "ssh_host_ed25519_key"


def default_path() -> Path:
    """Where the key lives unless ``--host-key`` says otherwise: the user's config directory."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "c2f-tui" / KEY_FILE


def load_or_create(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The host key at ``path``, made there first if there is none; and whether it was made.

    Raises ``ServeError`` (one line) for a path that is not a regular file, a key
    others can read, or a file that holds no usable key.
    """
    key = load(path)
    if key is not None:
        return key, False
    made = generate()
    stored = store(path, made)
    return stored, stored is made


def load(path: Path) -> asyncssh.SSHKey | None:
    """The host key at ``path``, or None if there is no file there (``ServeError`` as above).

    The server loads the key before it listens and stores a new one only once it listens,
    so that a start refused for any reason (a password file missing, the port taken)
    leaves no key behind.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = error.strerror or error
        raise ServeError(
            _("--host-key {path}: {reason}").format(path=path, reason=reason)
        ) from None
    return _load(path, info)


def generate() -> asyncssh.SSHKey:
    """A new Ed25519 host key, in memory only (``store`` writes it)."""
    return asyncssh.generate_private_key("ssh-ed25519", comment="c2f-tui serve host key")


def _load(path: Path, info: os.stat_result) -> asyncssh.SSHKey:
    if not stat.S_ISREG(info.st_mode):
        raise ServeError(_("--host-key {path}: not a regular file").format(path=path))
    if info.st_mode & 0o077:
        raise ServeError(
            _("--host-key {path}: others can read it (mode {mode:o}); chmod 600 it").format(
                path=path, mode=stat.S_IMODE(info.st_mode)
            )
        )
    try:
        return asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError, ValueError) as error:
        raise ServeError(
            _("--host-key {path}: not a usable private key ({reason})").format(
                path=path, reason=error
            )
        ) from None


def store(path: Path, key: asyncssh.SSHKey) -> asyncssh.SSHKey:
    """Write ``key`` at ``path`` (mode 0600, never over a file) and return it; or, if another
    server made one there first, that one."""
    data = key.export_private_key()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(descriptor, 0o600)
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path)
        except FileExistsError:  # another server made one first: use that one
            return load_or_create(path)[0]
    except OSError as error:
        raise ServeError(
            _("--host-key {path}: cannot write it: {reason}").format(
                path=path, reason=error.strerror or error
            )
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return key
