"""Where the client keeps its files: one folder per account, so that several accounts on one
machine (a secretary working for several doctors) never share a cache or a key.

Two folders (`DataFolders`), so that only what is small roams with a Windows profile:
- the data root: the accounts (cache, vault, documents) and the logs. Large and machine-bound:
  platformdirs' local user data folder (Windows: %LOCALAPPDATA%\\MonSisra; macOS:
  ~/Library/Application Support/MonSisra; Linux: $XDG_DATA_HOME/MonSisra, ~/.local/share/MonSisra);
- the settings folder, for settings.json: platformdirs' roaming config folder (Windows:
  %APPDATA%\\MonSisra, which follows a roaming profile; macOS: the same folder as the data;
  Linux: $XDG_CONFIG_HOME/MonSisra, ~/.config/MonSisra).
MONSISRA_DATA or --data puts both in the one folder given (tests, portable installs).

Earlier builds kept everything in the roaming data folder (`legacy_root`): %APPDATA% on Windows,
the data folder elsewhere. `adopt_legacy` moves what is there to its new folder at start, by
renaming (instant on one volume; never a copy: a cache of gigabytes copied at start, or across a
network share, would be worse than the roaming), and when a rename fails (another volume, a
file in use) keeps reading it where it is for this run, and tries again at the next start.

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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from platformdirs.api import PlatformDirsABC

APP_NAME = "MonSisra"
Dirs = type[PlatformDirsABC]  # platformdirs' class for one OS (PlatformDirs: this one's)


@dataclass(frozen=True)
class DataFolders:
    data: Path  # accounts (cache, vault, documents) and logs: this computer's
    settings: Path  # settings.json: roams with a Windows profile


def data_folders(
    environ: Mapping[str, str] = os.environ, dirs: Dirs = platformdirs.PlatformDirs
) -> DataFolders:
    """MONSISRA_DATA when set (both in it), else the OS's per-user folders (`dirs`' answers)."""
    override = environ.get("MONSISRA_DATA")
    if override:
        return DataFolders(Path(override), Path(override))
    local = dirs(APP_NAME, appauthor=False, roaming=False)
    roaming = dirs(APP_NAME, appauthor=False, roaming=True)
    return DataFolders(Path(local.user_data_dir), Path(roaming.user_config_dir))


def folders_for_run(
    given: Path | None,
    environ: Mapping[str, str] = os.environ,
    dirs: Dirs = platformdirs.PlatformDirs,
) -> Adoption:
    """The folders of this run: `given` (--data) or MONSISRA_DATA as they are (everything in
    the one folder), else the OS's, with what an older version left moved in (`adopt_legacy`)."""
    if given is not None:
        return Adoption(DataFolders(given, given))
    folders = data_folders(environ, dirs)
    if environ.get("MONSISRA_DATA"):
        return Adoption(folders)
    return adopt_legacy(folders, legacy_root(dirs))


def legacy_root(dirs: Dirs = platformdirs.PlatformDirs) -> Path:
    """Where earlier builds kept everything: the roaming data folder."""
    return Path(dirs(APP_NAME, appauthor=False, roaming=True).user_data_dir)


@dataclass(frozen=True)
class Adoption:
    """What `adopt_legacy` did (logged by the caller, once logging is set up)."""

    folders: DataFolders  # to use for this run
    moved: tuple[str, ...] = ()
    left: tuple[str, ...] = ()  # not moved (the rename failed): used where they are


def adopt_legacy(folders: DataFolders, legacy: Path) -> Adoption:
    """Moves what an older version left in `legacy` (accounts, logs, settings.json) to
    `folders`, where the new folder has none yet. The folders to use for this run are the old
    one for what could not be moved."""
    data, settings = folders.data, folders.settings
    moved: list[str] = []
    left: list[str] = []
    if legacy != data:
        if _move(legacy, data, ACCOUNTS, moved, left):
            _move(legacy, data, LOGS, moved, left)
        else:
            data = legacy  # the accounts read where they are, the logs beside them
    if legacy != settings and not _move(legacy, settings, SETTINGS_FILE_NAME, moved, left):
        settings = legacy
    return Adoption(DataFolders(data, settings), tuple(moved), tuple(left))


def _move(old_root: Path, new_root: Path, name: str, moved: list[str], left: list[str]) -> bool:
    """False only when `old_root/name` is there, `new_root/name` not, and the rename failed."""
    old, new = old_root / name, new_root / name
    if not old.exists() or new.exists() or new.is_symlink():
        return True
    try:
        private_dir(new_root)
        old.rename(new)
    except OSError as exc:
        left.append(f"{name} ({type(exc).__name__})")
        return False
    moved.append(name)
    return True


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
ACCOUNTS = "accounts"
LOGS = "logs"
_OURS = (ACCOUNTS, LOGS)
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
