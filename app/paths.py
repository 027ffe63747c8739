"""Where the client keeps its files: one folder per account, so that several accounts on one
machine (a secretary working for several doctors) never share a cache or a key.

Everything under the data root is its user's only: folders 0700, files 0600 (caches and their
-wal/-shm files, the vault, logs with their rotated copies, settings). Files are created so
(never chmod'ed after being open to others for a moment), and `secure_data_root` fixes what an
older version left readable, at each start. On Windows the modes do not apply (chmod only sets
the read-only flag): the data root lives in the user's profile, whose ACL (the user, SYSTEM,
Administrators) the files inherit.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "MonSisra"


def data_root() -> Path:
    """MONSISRA_DATA when set (tests, portable installs), else the OS's per-user data folder."""
    override = os.environ.get("MONSISRA_DATA")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def account_dir(root: Path, server_url: str, login: str) -> Path:
    """A stable folder name from the server and the login: readable, and never a path trick."""
    normalized = f"{server_url.rstrip('/').lower()}\n{login.strip().casefold()}"
    digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]
    readable = re.sub(r"[^a-z0-9]+", "-", login.strip().casefold()).strip("-")[:32] or "compte"
    return root / "accounts" / f"{readable}-{digest}"


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# What lives in the data root (the rest of it, if the user pointed --data at a shared folder, is
# not ours to change).
_OURS = ("accounts", "logs")
SETTINGS_FILE_NAME = "settings.json"


def private_dir(path: Path) -> Path:
    """Creates `path`, and its missing parents, readable by their owner only (health data lives
    below)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile (another thread)
            folder.mkdir(mode=PRIVATE_DIR)
    if os.name == "posix":
        path.chmod(PRIVATE_DIR)
    return path


def copies_base() -> Path:
    """Where the decrypted copies handed to the system's viewer go (app/copies.py): the per-user
    runtime folder when the OS gives one (XDG_RUNTIME_DIR on Linux and the BSDs: this user's
    only, in memory, emptied at logout), else the temporary folder, which is per-user on Windows
    (%TEMP%) and macOS ($TMPDIR) and shared (/tmp) elsewhere."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and sys.platform not in ("win32", "darwin") and _own_private_dir(Path(runtime)):
        return Path(runtime)
    return Path(tempfile.gettempdir())


def _own_private_dir(path: Path) -> bool:
    """A folder (not a link) of this user that nobody else can enter: XDG's promise, checked."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def create_private_file(path: Path) -> Path:
    """`path` created empty with mode 0600 when missing (left as it is otherwise): for files that
    a library creates with default modes (SQLite gives its -wal and -shm files the mode of the
    database file)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    return path


def secure_data_root(root: Path) -> int:
    """Makes the data root private (creating it) and fixes the modes of what is ours below it:
    folders 0700, files 0600. Returns how many entries were fixed (an older install)."""
    if os.name != "posix":
        private_dir(root)
        return 0
    fixed = int(root.is_dir() and root.stat().st_mode & 0o777 != PRIVATE_DIR)
    private_dir(root)
    entries = [root / SETTINGS_FILE_NAME]
    for name in _OURS:
        top = root / name
        if top.is_dir() and not top.is_symlink():
            entries.append(top)
            entries.extend(top.rglob("*"))
    for entry in entries:
        if entry.is_symlink() or not entry.exists():
            continue
        wanted = PRIVATE_DIR if entry.is_dir() else PRIVATE_FILE
        if entry.stat().st_mode & 0o777 != wanted:
            entry.chmod(wanted)
            fixed += 1
    return fixed
