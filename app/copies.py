"""Decrypted copies of documents outside the encrypted cache: the viewer's private copies, and the
mark that tells Windows a saved document came from elsewhere.

The system's viewer needs a file, so a document it shows exists in clear for as long as it is
open. Each session writes such copies in a folder of its own, created by `mkdtemp` (a fresh name,
mode 0700, files 0600) under `paths.copies_base()` — the per-user runtime folder when the OS gives
one — and removes it when the session ends (lock, quit). A process that crashes or is killed never
gets there, so the folder carries a marker: a file naming the account (a digest of its folder)
that the owning process keeps locked (flock; byte-range lock on Windows) for as long as it lives.
The OS drops the lock when the process dies, however it dies, and the next opening of the same
account removes that account's folders whose marker nobody holds. A folder without our marker,
of another account, of another user, or still held by a running process is never touched.

Removal is an unlink, nothing more: overwriting the bytes first is not reliable on SSDs (wear
levelling writes elsewhere) nor on journaling or copy-on-write file systems (the old blocks stay),
so we do not pretend to shred. What keeps documents private is that they live encrypted in the
cache and in clear only here, in a folder only this user can read, for as long as a session lasts.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from app import logs, messages, paths
from app.errors import CoreError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

__all__ = ["PrivateCopies", "SessionClosed", "account_tag", "mark_of_the_web", "zone_identifier"]

log = logs.get("copies")

FOLDER_PREFIX = "monsisra-copies-"
MARKER = ".monsisra-copies"
# Windows byte-range locks are mandatory: the lock sits far past the account tag so that another
# process can still read the tag.
_WINDOWS_LOCK_OFFSET = 1 << 20
ON_WINDOWS = os.name == "nt"  # the Mark-of-the-Web branch (a test turns it on to check it)


def account_tag(account_dir: Path) -> str:
    """What a marker says: a digest of the account's folder (one account, one data root)."""
    return hashlib.sha256(str(account_dir.resolve()).encode("utf-8")).hexdigest()[:32]


def _try_lock(fd: int) -> bool:
    """Takes the marker's lock without waiting: False when another live process holds it."""
    try:
        if sys.platform == "win32":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            # flock, not lockf: its lock belongs to this open file, so a sweep in the same process
            # cannot take (nor, by closing, release) the lock of a live folder.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SessionClosed(CoreError):
    message = messages.SESSION_CLOSED


class PrivateCopies:
    """One session's folder of decrypted copies for one account (created on first use, from any
    thread; gone for good after `wipe`)."""

    def __init__(self, account_dir: Path, base: Path | None = None) -> None:
        self.tag = account_tag(account_dir)
        self.base = base if base is not None else paths.copies_base()
        self.folder: Path | None = None
        self._marker_fd: int | None = None
        self._wiped = False
        self._lock = threading.Lock()

    def new_place(self) -> Path:
        """A new empty folder for one copy (two documents of the same name never collide)."""
        with self._lock:
            if self._wiped:  # a copy finishing after the session ended would outlive it
                raise SessionClosed("copies wiped")
            if self.folder is None:
                self.folder = self._create()
            return Path(tempfile.mkdtemp(dir=self.folder))

    def _create(self) -> Path:
        """The session's folder, marked as this account's and held by this process."""
        folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=self.base))  # mode 0700
        # Locked before the tag is written: a sweep that reads our tag finds it held. The
        # descriptor is not inherited (Python's default), so a viewer started from here does not
        # keep the lock after we die.
        fd = os.open(folder / MARKER, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        _try_lock(fd)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, self.tag.encode("ascii"))
        self._marker_fd = fd
        return folder

    def wipe(self) -> None:
        """Removes every copy of this session (the end of a session: lock, quit)."""
        with self._lock:
            self._wiped = True
            if self._marker_fd is not None:
                os.close(self._marker_fd)  # before the removal: Windows removes no open file
                self._marker_fd = None
            if self.folder is not None:
                _remove(self.folder)
                self.folder = None

    def sweep(self) -> int:
        """Removes the folders this account's crashed or killed processes left (or whose copies
        a viewer still held when their session ended); returns how many went."""
        try:
            entries = list(os.scandir(self.base))
        except OSError:
            return 0
        removed = 0
        for entry in entries:
            if not entry.name.startswith(FOLDER_PREFIX) or entry.path == str(self.folder):
                continue
            if self._left_behind(Path(entry.path)):
                removed += _remove(Path(entry.path))
        if removed:
            log.info("%d folder(s) of copies left by an interrupted session removed", removed)
        return removed

    def _left_behind(self, folder: Path) -> bool:
        """Ours (a real folder of this user, our marker, this account) and held by nobody."""
        try:
            info = folder.lstat()
            if not stat.S_ISDIR(info.st_mode):  # a link is not followed
                return False
            if sys.platform != "win32" and info.st_uid != os.getuid():
                return False
            fd = os.open(folder / MARKER, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return False
        try:
            return os.read(fd, 64) == self.tag.encode("ascii") and _try_lock(fd)
        except OSError:
            return False
        finally:
            os.close(fd)  # released before the removal (Windows removes no open file)


def _remove(folder: Path) -> bool:
    """The copies first, the marker last: on Windows a copy a viewer still has open cannot be
    removed, and its folder then keeps its marker, for a later sweep. True when all went."""
    try:
        for entry in folder.iterdir():
            if entry.name != MARKER:
                shutil.rmtree(entry, ignore_errors=True)
        if [p.name for p in folder.iterdir()] != [MARKER]:
            return False
        (folder / MARKER).unlink()
        folder.rmdir()
    except OSError:
        return False
    return True


def zone_identifier(server_url: str | None) -> bytes:
    """The Mark-of-the-Web: zone 3 (Internet), so that Windows, SmartScreen and Office treat the
    file as coming from elsewhere (Protected View, "Voulez-vous exécuter ce fichier ?"), with the
    server's origin (scheme and host, nothing else of its URL) as where it came from."""
    lines = ["[ZoneTransfer]", "ZoneId=3"]
    url = urlsplit(server_url or "")
    if url.scheme and url.hostname:
        host = url.netloc.rpartition("@")[2]  # never a user name or password
        lines.append(f"HostUrl={url.scheme}://{host}/")
    return ("\r\n".join(lines) + "\r\n").encode("ascii", "replace")


def mark_of_the_web(path: Path, origin: str | None) -> None:
    """On Windows, the `Zone.Identifier` stream of a written document (elsewhere a no-op). A
    volume without alternate streams (FAT, some network shares) cannot hold it: the document
    stays, unmarked, and the Journal says so."""
    if not ON_WINDOWS:
        return
    stream = Path(f"{path}:Zone.Identifier")
    try:
        stream.write_bytes(zone_identifier(origin))
    except OSError as e:
        log.warning("Mark-of-the-Web not written (%s)", type(e).__name__)
