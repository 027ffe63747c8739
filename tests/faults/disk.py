"""A small filesystem made for a test (issue 17 §2): a tmpfs mounted under tmp_path, that a test
fills with a filler file to make the disk full, and frees by deleting it. Needs root (CI runs as
root on Debian 12); without it the fixture fails saying so: a full disk cannot be faked by a mock
without missing what SQLite does at ENOSPC."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store.db import Cache
from app.store.key import CacheKey

FILLER = ".filler"


class SmallDisk:
    """A mounted tmpfs of `size` bytes at `root`."""

    def __init__(self, root: Path, size: int) -> None:
        self.root = root
        self.size = size

    def free_bytes(self) -> int:
        stats = os.statvfs(self.root)
        return stats.f_bavail * stats.f_frsize

    def fill(self, leave: int = 0) -> None:
        """Takes every free byte but `leave` (rounded down to whole pages) with the filler."""
        filler = self.root / FILLER
        with open(filler, "ab") as f:
            want = self.free_bytes() - leave
            block = b"\0" * 65536
            while want > 0:
                try:
                    f.write(block[: min(want, len(block))])
                    f.flush()
                except OSError:
                    break
                want = self.free_bytes() - leave
        assert self.free_bytes() <= max(leave, 0) + 4096

    def free(self) -> None:
        """Space back: the filler deleted."""
        with contextlib.suppress(FileNotFoundError):
            (self.root / FILLER).unlink()


def _mount(root: Path, size: int) -> None:
    if os.geteuid() != 0:
        pytest.fail(
            "a full disk is made with a tmpfs: run these tests as root "
            "(CI does), e.g. `sudo -E make test`",
            pytrace=False,
        )
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(root)],
        check=True,
        capture_output=True,
    )


def _unmount(root: Path) -> None:
    done = subprocess.run(["umount", str(root)], check=False, capture_output=True)
    if done.returncode != 0:  # something still open there (a test that failed): lazily
        subprocess.run(["umount", "-l", str(root)], check=False, capture_output=True)


@contextlib.contextmanager
def small_disk(root: Path, size: int) -> Iterator[SmallDisk]:
    _mount(root, size)
    try:
        yield SmallDisk(root, size)
    finally:
        _unmount(root)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A 16 MB filesystem for the account's data folder (the cache, the unsent file)."""
    with small_disk(tmp_path / "disk", 16 * 1024 * 1024) as made:
        yield made


DISK_FR = "Impossible d'écrire sur le disque"  # the start of the French sentence of DiskError


def reopened_is_whole(cache: Cache, key: CacheKey) -> Cache:
    """Closes `cache`, opens it again with the same key and checks every page of both files."""
    cache.close()
    again = Cache.open(cache.path, key)
    assert again.check_integrity() == []
    assert Cache.check_unsent(again.path, key) == []
    return again
