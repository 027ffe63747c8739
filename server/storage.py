"""SQLite storage of the sandbox: one file, WAL, one writer at a time, numbered migrations.

Readers use a connection per thread; writers take a process-wide lock and an immediate
transaction, so a request never sees half of another one's changes. Work that must happen only
once a write is durable (push notifications) is registered with `after_commit`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Migration = str | Callable[[sqlite3.Connection], None]


class Database:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        with self.write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (area TEXT PRIMARY KEY, version INTEGER)"
            )

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 10000")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for the duration of the block."""
        conn = self.connection()
        if conn.in_transaction:  # nested inside a write or another read
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        conn = self.connection()
        with self._write_lock:
            if getattr(self._local, "callbacks", None) is not None:  # nested write: join it
                yield conn
                return
            self._local.callbacks = []
            self._local.tx_data = {}
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                self._local.callbacks = None
                self._local.tx_data = None
                raise
            conn.execute("COMMIT")
            callbacks: list[Callable[[], None]] = self._local.callbacks
            self._local.callbacks = None
            self._local.tx_data = None
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Runs `callback` once the current write transaction has committed (never if it fails)."""
        callbacks: list[Callable[[], None]] | None = getattr(self._local, "callbacks", None)
        if callbacks is None:
            raise RuntimeError("after_commit outside a write transaction")
        callbacks.append(callback)

    def tx_data(self) -> dict[str, Any]:
        """Scratch space that lives as long as the current write transaction."""
        data: dict[str, Any] | None = getattr(self._local, "tx_data", None)
        if data is None:
            raise RuntimeError("tx_data outside a write transaction")
        return data

    def migrate(self, area: str, steps: Sequence[Migration]) -> None:
        """Applies the steps of `area` not applied yet; step i brings the area to version i+1."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT version FROM schema_version WHERE area = ?", (area,)
            ).fetchone()
            version = row[0] if row else 0
            for number, step in enumerate(steps[version:], start=version + 1):
                if callable(step):
                    step(conn)
                else:
                    for statement in _split_sql(step):
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (area, version) VALUES (?, ?) "
                    "ON CONFLICT(area) DO UPDATE SET version = excluded.version",
                    (area, number),
                )

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                try:
                    conn.execute("PRAGMA optimize")
                    conn.close()
                except sqlite3.ProgrammingError:  # closed from its own thread already
                    pass
            self._all.clear()
        self._local = threading.local()


def _split_sql(script: str) -> list[str]:
    """Splits a script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
