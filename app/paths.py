"""Where the client keeps its files: one folder per account, so that several accounts on one
machine (a secretary working for several doctors) never share a cache or a key."""

from __future__ import annotations

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


def private_dir(path: Path) -> Path:
    """Creates `path` readable by its owner only (health data lives below it)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
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
