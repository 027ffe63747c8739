"""Where the client keeps its files: one folder per account, so that several accounts on one
machine (a secretary working for several doctors) never share a cache or a key."""

from __future__ import annotations

import hashlib
import os
import re
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
