"""One opener per account at a time, across processes: the app, a second app started past the
single-instance guard (another user name, the data folder by another path, the guard's socket
failing) and `monsisra-cli` all take this lock before they touch the account's vault, keyring
token or cache, and hold it until the account is closed. So the cache is never opened twice for
writing, and a refresh token is never spent by two processes at once.

An OS lock on a file in the account's folder (flock on POSIX, LockFileEx through msvcrt on
Windows): it follows the file, not its path (a symlinked data folder finds the same lock), and
the OS drops it when its process dies, even by kill -9, so a crash never leaves the account
locked. The file itself stays (empty): its presence means nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import sys
import time
from pathlib import Path

from app import logs, messages, paths
from app.errors import CoreError

__all__ = ["LOCK_FILE_NAME", "AccountInUse", "AccountLock"]

log = logs.get("account")

LOCK_FILE_NAME = "account.lock"
POLL_SECONDS = 0.1
# What a lock held by another opener answers (EACCES/EDEADLK: msvcrt's; EWOULDBLOCK: flock's).
_HELD = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EDEADLK})


class AccountInUse(CoreError):
    message = messages.ACCOUNT_IN_USE


class AccountLock:
    """Held from `take` (or `wait_for`) until `release`."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def take(cls, account_dir: Path) -> AccountLock:
        """The lock now, or AccountInUse."""
        paths.private_dir(account_dir)
        path = account_dir / LOCK_FILE_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, paths.PRIVATE_FILE)
        try:
            _lock(fd)
        except OSError as e:
            if e.errno in _HELD:
                os.close(fd)
                raise AccountInUse("account locked by another process") from None
            # A file system without locks (some network shares): the account still opens, as
            # before this lock existed, rather than never.
            log.warning("account lock unavailable here (errno %s): opened without it", e.errno)
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, path)

    @classmethod
    async def wait_for(cls, account_dir: Path, wait: float = 0.0) -> AccountLock:
        """`take`, tried again for up to `wait` seconds (the CLI waits for a sync of the app to
        end; the app's login window does not wait: it says so at once)."""
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                return cls.take(account_dir)
            except AccountInUse:
                if time.monotonic() >= deadline:
                    log.info("account in use by another process: refused")
                    raise
            await asyncio.sleep(POLL_SECONDS)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Idempotent; closing the file drops the lock (the OS would at the process's end)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):  # never held (see `take`): closing drops it anyway
                _unlock(fd)
        finally:
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # OSError when another handle holds it

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        # flock, not lockf: flock's lock belongs to this open file, so a second opener in the
        # same process is refused too (lockf's would be shared by the whole process).
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
