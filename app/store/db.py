"""The encrypted cache: a SQLCipher database opened with a raw 32-byte key, written by ONE thread.
The key is the account's CacheKey (app/store/key.py), borrowed: never copied, wiped by its owner.

Two files under the same key: the cache itself (replaceable: rebuilt from the server when damaged)
and, attached to every connection as `unsent`, the file of what the server does not have yet
(outbox, its documents, drafts, pending flag changes), which a rebuild never touches.

Every write goes through a queue to the writer thread, one transaction per call, so the event loop
never waits on SQLite's locks and two writers never race. Readers get one connection per thread,
read-only, each `read()` block a consistent snapshot (WAL lets them read while the writer writes).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import sqlcipher3

from app import logs, messages, paths
from app.crashpoints import crashpoint
from app.errors import CoreError
from app.store import schema
from app.store.key import CacheKey

log = logs.get("store")

Connection: TypeAlias = Any  # sqlcipher3.Connection (the module ships no type information)
T = TypeVar("T")

PAGE_SIZE = 4096
SLOW_QUERY_MS = 40.0


class WrongKey(CoreError):
    message = messages.WRONG_KEY


class CacheCorrupt(CoreError):
    message = messages.CACHE_CORRUPT


class DiskError(CoreError):
    message = messages.DISK_ERROR


class UnsentCorrupt(CacheCorrupt):
    """The unsent file (not the cache) is unreadable: it is set aside, never deleted."""

    message = messages.UNSENT_CORRUPT


class CacheClosed(CoreError):
    message = messages.CACHE_CLOSED


def _error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


# Damage reported with a generic code (FTS5 reads its shadow tables in its own way).
_CORRUPTION_SIGNS = ("malformed", "vtable constructor failed", "file is not a database")


def translate_error(exc: BaseException) -> CoreError | None:
    """The CoreError a SQLite failure means for the user, or None when it is a plain bug."""
    if isinstance(exc, CoreError):
        return exc
    if isinstance(exc, OSError):
        return DiskError(type(exc).__name__)
    if not isinstance(exc, sqlcipher3.Error):
        return None
    code = _error_code(exc)
    if code in (sqlcipher3.SQLITE_CORRUPT, sqlcipher3.SQLITE_NOTADB):
        return CacheCorrupt(f"sqlite error {code}")
    if any(sign in str(exc) for sign in _CORRUPTION_SIGNS):
        return CacheCorrupt(f"sqlite error {code}: damaged structure")
    if code in (
        sqlcipher3.SQLITE_FULL,
        sqlcipher3.SQLITE_READONLY,
        sqlcipher3.SQLITE_IOERR,
        sqlcipher3.SQLITE_CANTOPEN,
    ):
        return DiskError(f"sqlite error {code}")
    return None


@contextlib.contextmanager
def timed(name: str) -> Iterator[None]:
    """Logs a query slower than SLOW_QUERY_MS by its name (never its parameters)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = (time.perf_counter() - start) * 1000
        if elapsed > SLOW_QUERY_MS:
            log.warning("slow query %s: %.0f ms", name, elapsed)


UNSENT_FILE_NAME = "unsent.sqlite3"


def unsent_path_for(path: Path) -> Path:
    """The unsent file that goes with the cache file `path` (same folder)."""
    return path.with_name(UNSENT_FILE_NAME)


def _connect(path: Path, key: CacheKey, *, reader: bool) -> Connection:
    """Opens, keys and checks one connection; maps a wrong key or a damaged file to our errors.
    The writer creates missing files 0600 first: SQLite gives its -wal and -shm files the
    database file's mode."""
    try:
        if not reader:
            paths.create_private_file(path)
            paths.create_private_file(unsent_path_for(path))
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    except (sqlcipher3.Error, OSError) as exc:
        raise translate_error(exc) or DiskError("cannot open") from exc
    try:
        conn.row_factory = sqlcipher3.Row
        conn.execute("PRAGMA cipher_log_level = NONE")
        key.apply(conn)
        conn.execute("PRAGMA temp_store = MEMORY")  # no sort or temp table ever spills to disk
        conn.execute("PRAGMA busy_timeout = 10000")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            if _error_code(exc) == sqlcipher3.SQLITE_NOTADB:
                raise _classify_unreadable(conn, path) from exc
            raise
        _attach_unsent(conn, unsent_path_for(path), key, reader=reader)
        if reader:
            conn.execute("PRAGMA query_only = ON")
        else:
            for schema_name in ("main", schema.UNSENT):
                mode = conn.execute(f"PRAGMA {schema_name}.journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise DiskError(f"journal mode {mode}")
            conn.execute("PRAGMA main.synchronous = NORMAL")
            # The user's own work: each commit reaches the disk before the call returns.
            conn.execute(f"PRAGMA {schema.UNSENT}.synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
    except BaseException as exc:
        conn.close()
        if isinstance(exc, CoreError):
            raise
        mapped = translate_error(exc)
        if mapped is not None:
            raise mapped from exc
        raise
    return conn


def _attach_unsent(conn: Connection, unsent: Path, key: CacheKey, *, reader: bool) -> None:
    """ATTACHes the unsent file (created by the writer when missing) under the same raw key, bound
    from the key's buffer (an "x'…'" KEY is a raw key, as in sqlite3_key: no KDF)."""
    if reader and not unsent.exists():
        raise UnsentCorrupt("unsent file missing")  # the writer created it: it was removed
    try:
        with key.spelled() as spec:
            conn.execute(f"ATTACH DATABASE ? AS {schema.UNSENT} KEY ?", (str(unsent), spec))
        conn.execute(f"SELECT count(*) FROM {schema.UNSENT}.sqlite_master").fetchone()
    except sqlcipher3.Error as exc:
        mapped = translate_error(exc)
        if isinstance(mapped, CacheCorrupt):
            raise UnsentCorrupt(str(mapped)) from exc
        raise


def _classify_unreadable(conn: Connection, path: Path) -> CoreError:
    """ "file is not a database": a wrong key fails every page's HMAC, damage only some."""
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher3.Error:
        return CacheCorrupt("integrity check failed")
    pages = max(1, path.stat().st_size // PAGE_SIZE)
    hmac_failures = sum(1 for p in problems if p.startswith("HMAC verification failed"))
    if problems and hmac_failures == len(problems) and hmac_failures >= pages:
        return WrongKey("hmac check failed on every page")
    return CacheCorrupt(f"{len(problems)} damaged pages")


_STOP = object()
CLOSE_WAIT = 30.0  # seconds `close` waits for reads in progress (they are small queries)


class Cache:
    """One account's cache. Build it with `Cache.open`; close it with `close()`."""

    def __init__(self, path: Path, key: CacheKey) -> None:
        self.path = path
        self.unsent_path = unsent_path_for(path)
        self._key = key
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[Connection] = []
        # Read blocks in progress, on any thread: `close` waits for them (see there).
        self._reads = 0
        self._no_reads = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._run_writer, name="cache-writer", daemon=True)
        self._ready: concurrent.futures.Future[None] = concurrent.futures.Future()

    @property
    def key(self) -> CacheKey:
        """The borrowed key: for connections of one's own (a long upload's reader)."""
        return self._key

    @classmethod
    def open(cls, path: Path, key: CacheKey) -> Cache:
        """Opens (or creates) the cache and migrates it. Fast: callers may still use to_thread.
        `key` is borrowed: its owner wipes it after `close`."""
        key.check()  # refuse a wiped key before starting a thread
        try:
            paths.private_dir(path.parent)
        except OSError as exc:
            raise DiskError(type(exc).__name__) from exc
        cache = cls(path, key)
        cache._thread.start()
        cache._ready.result()
        log.info(
            "cache opened (schema %d, unsent schema %d)",
            len(schema.MIGRATIONS),
            len(schema.UNSENT_MIGRATIONS),
        )
        return cache

    @staticmethod
    def destroy(path: Path) -> None:
        """Deletes the cache file and its WAL and shared-memory files (rebuild after corruption).

        The unsent file beside it is left alone: it is only ever set aside (`set_aside_unsent`).
        """
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
        log.info("cache files deleted")

    @staticmethod
    def set_aside_unsent(path: Path) -> Path | None:
        """Renames a damaged unsent file (with its WAL) to `<name>.corrupt-<time>`; its new name,
        or None when there was none. Never deletes it: the user's work may still be recovered."""
        unsent = unsent_path_for(path)
        if not unsent.exists():
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = unsent.with_name(f"{unsent.name}.corrupt-{stamp}")
        number = 1
        while aside.exists():
            number += 1
            aside = unsent.with_name(f"{unsent.name}.corrupt-{stamp}-{number}")
        for suffix in ("-wal", "-shm", "-journal", ""):  # the main file last: it marks the move
            with contextlib.suppress(FileNotFoundError):
                os.replace(f"{unsent}{suffix}", f"{aside}{suffix}")
        log.warning("damaged unsent file set aside")
        return aside

    @staticmethod
    def check_unsent(path: Path, key: CacheKey) -> list[str]:
        """Checks every page of the unsent file (small): problems, [] when healthy or absent."""
        unsent = unsent_path_for(path)
        if not unsent.exists():
            return []
        try:
            conn = sqlcipher3.connect(str(unsent), isolation_level=None)
        except sqlcipher3.Error as exc:
            return [f"cannot open: {type(exc).__name__}"]
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            key.apply(conn)
            conn.execute("PRAGMA query_only = ON")
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check") if r[0] != "ok"]
            problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
        except sqlcipher3.Error as exc:
            problems = [f"unreadable: sqlite error {_error_code(exc)}"]
        finally:
            conn.close()
        return problems

    # --- writing -------------------------------------------------------------------------------

    def _run_writer(self) -> None:
        try:
            conn = _connect(self.path, self._key, reader=False)
            try:
                schema.migrate(conn)
            except BaseException:
                conn.close()
                raise
        except BaseException as exc:
            mapped = translate_error(exc)
            self._ready.set_exception(mapped if mapped is not None else exc)
            return
        self._ready.set_result(None)
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = self._transaction(conn, fn)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
        try:
            conn.execute("PRAGMA main.optimize")  # the unsent file is small: no statistics
        except sqlcipher3.Error:
            log.warning("PRAGMA optimize failed at close")
        conn.close()

    @staticmethod
    def _transaction(conn: Connection, fn: Callable[[Connection], T]) -> T:
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = fn(conn)
            crashpoint("store.before_commit")
            conn.execute("COMMIT")
            crashpoint("store.committed")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlcipher3.Error:
                    log.warning("rollback failed")
            mapped = translate_error(exc)
            if mapped is not None and mapped is not exc:
                raise mapped from exc
            raise
        return result

    def _submit(self, fn: Callable[[Connection], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                raise CacheClosed("write after close")
            self._queue.put((fn, future))
        return future

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Runs fn(conn) in one transaction on the writer thread; its result or its exception."""
        return await asyncio.wrap_future(self._submit(fn))

    def write_blocking(self, fn: Callable[[Connection], T]) -> T:
        """The same queue, for threads and setup code that are not coroutines."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("write_blocking called from inside a write (would deadlock)")
        return self._submit(fn).result()

    # --- reading -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """This thread's read-only connection, inside one snapshot (nested blocks share it)."""
        with self._lock:
            if self._closed:
                raise CacheClosed("read after close")
            self._reads += 1
        self._local.reads = getattr(self._local, "reads", 0) + 1
        try:
            yield from self._read()
        finally:
            self._local.reads -= 1
            with self._lock:
                self._reads -= 1
                self._no_reads.notify_all()

    def _read(self) -> Iterator[Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path, self._key, reader=True)
            with self._lock:
                self._readers.append(conn)
            self._local.conn = conn
        if conn.in_transaction:
            yield conn
            return
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlcipher3.Error as exc:
            mapped = translate_error(exc)
            if mapped is not None:
                raise mapped from exc
            raise

    # --- maintenance ---------------------------------------------------------------------------

    def check_integrity(self) -> list[str]:
        """Slow (reads every page): problems found, [] when healthy. For a background check."""
        try:
            with self.read() as conn:
                problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check") if r[0] != "ok"]
                problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
        except CacheCorrupt as exc:
            return [str(exc)]
        return problems

    def close(self) -> None:
        """Finishes queued writes, runs PRAGMA optimize, closes every connection. Idempotent.
        Reads in progress on other threads (the UI's, while a session closes in a worker) end
        first: SQLite aborts the process when a connection is closed under a running query."""
        own = getattr(self._local, "reads", 0)
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if not self._no_reads.wait_for(lambda: self._reads <= own, timeout=CLOSE_WAIT):
                log.warning("cache closed while a read was still running")
            readers, self._readers = self._readers, []
        for conn in readers:
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()
        self._queue.put(_STOP)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join()
        log.info("cache closed")
