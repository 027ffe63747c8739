"""The cache's key, in one mutable buffer that is zeroed when the account closes or locks.

Python's bytes and str cannot be wiped: every `key.hex()`, slice or SQL text built from the key is
a copy that stays in the process's memory until the allocator happens to reuse it, long after the
lock (a scan of a locked session found the raw key once and its hex form six times). So the key
lives in one bytearray owned by one CacheKey, filled in place (from the random source, or by the
vault's decryption), and SQLCipher gets it through `sqlite3_key` — sqlcipher3's `set_key`, which
takes a buffer — in the raw-key form x'…', spelled in a second bytearray zeroed as soon as the
call returns; the unsent file is attached with that buffer bound as the KEY parameter. Never as
SQL text: Python's sqlite module keeps each statement's text in its statement cache and SQLite a
copy of it. (ATTACH without KEY is no way out: SQLCipher then derives the attached file's key with
the main file's salt, which does not open the unsent files made so far.) SQLCipher wipes its own
copies of the key when a connection closes; SQLite frees a bound parameter without wiping it.
"""

from __future__ import annotations

import contextlib
import hmac
import os
from collections.abc import Callable, Iterator
from typing import Any

_HEX = b"0123456789abcdef"
_RANDOM_DEVICE = "/dev/urandom"


def zero(buffer: bytearray | memoryview) -> None:
    """Overwrites `buffer` in place (same length: no reallocation leaves a copy behind)."""
    buffer[:] = bytes(len(buffer))


class CacheKey:
    """A 32-byte key. The owner (the open account) calls `wipe` when it closes; a wiped key
    refuses to be used."""

    SIZE = 32

    def __init__(self, fill: Callable[[memoryview], None]) -> None:
        """`fill` writes the key into the buffer it is given (exactly SIZE bytes)."""
        self._buffer = bytearray(self.SIZE)
        self._wiped = False
        with memoryview(self._buffer) as view:
            fill(view)

    @classmethod
    def random(cls) -> CacheKey:
        """A new random key, read straight into its buffer where the system allows it."""
        return cls(_read_random)

    def view(self) -> memoryview:
        """A read-only view of the key, for a cipher that reads a buffer (no copy made). Release
        it (`with key.view() as v:`) before `wipe`."""
        self.check()
        return memoryview(self._buffer).toreadonly()

    def apply(self, conn: Any) -> None:
        """Keys a sqlcipher3 connection (`sqlite3_key`) with the raw-key form."""
        with self.spelled() as spec:
            conn.set_key(spec)

    @contextlib.contextmanager
    def spelled(self) -> Iterator[bytearray]:
        """SQLCipher's raw-key form x'…' in a buffer zeroed when the block ends (for `set_key`,
        or bound as ATTACH's KEY parameter)."""
        self.check()
        spec = bytearray(2 * self.SIZE + 3)
        try:
            spec[0:2] = b"x'"
            for index, byte in enumerate(self._buffer):  # small ints: no copy of the key made
                spec[2 + 2 * index] = _HEX[byte >> 4]
                spec[3 + 2 * index] = _HEX[byte & 0x0F]
            spec[-1] = ord("'")
            yield spec
        finally:
            zero(spec)

    def wipe(self) -> None:
        """Zeroes the key. Idempotent."""
        zero(self._buffer)
        self._wiped = True

    @property
    def wiped(self) -> bool:
        return self._wiped

    def check(self) -> None:
        """ValueError when the key was wiped (its account closed)."""
        if self._wiped:
            raise ValueError("the cache key was wiped (the account is closed)")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CacheKey):
            return NotImplemented
        return hmac.compare_digest(self._buffer, other._buffer)

    __hash__ = None  # type: ignore[assignment]  # mutable: not a dictionary key

    def __repr__(self) -> str:  # never the key, even in a traceback
        return f"CacheKey(wiped={self._wiped})"


def _read_random(buffer: memoryview) -> None:
    """The system's random source into `buffer`. Windows has no device to read into a buffer:
    there, os.urandom's bytes (a copy that cannot be wiped) are copied in."""
    if os.name == "posix":
        with open(_RANDOM_DEVICE, "rb", buffering=0) as source:
            if source.readinto(buffer) != len(buffer):
                raise OSError("short read from the random device")
        return
    buffer[:] = os.urandom(len(buffer))
