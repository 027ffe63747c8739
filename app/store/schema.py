"""Numbered schema migrations of the two files; each file's version is its `PRAGMA user_version`.

The cache file ("main") holds what the server can give back: it may be deleted and rebuilt at any
time. The unsent file (attached as "unsent") holds what only this computer has — the outbox with
its documents, the drafts, the pending flag changes, the favorites — so that damage to the cache
never costs the user's work.

MIGRATIONS[i] takes the cache from version i to i + 1 (app/store/cache_schema.py),
UNSENT_MIGRATIONS[i] the unsent file (app/store/unsent_schema.py); this module runs them. A step
that has shipped is never edited: add a new one at the end.
"""

from __future__ import annotations

from typing import Any

from app import logs
from app.store.cache_schema import MIGRATIONS
from app.store.unsent_schema import BEFORE_STEP, UNSENT_MIGRATIONS

log = logs.get("store")

UNSENT = "unsent"  # the schema name the unsent file is attached under


def version(conn: Any, schema_name: str = "main") -> int:
    return int(conn.execute(f"PRAGMA {schema_name}.user_version").fetchone()[0])


def migrate(conn: Any) -> int:
    """Brings both files to the latest version, the unsent file first (the cache's steps may copy
    into it), one step per transaction; returns the cache's version.

    `conn` must be in autocommit mode (isolation_level None) with the unsent file attached.
    """
    _migrate(conn, UNSENT, UNSENT_MIGRATIONS, {})
    return _migrate(conn, "main", MIGRATIONS, BEFORE_STEP)


def _migrate(conn: Any, schema_name: str, steps: list[str], before: dict[int, str]) -> int:
    current = version(conn, schema_name)
    if current > len(steps):
        raise RuntimeError(
            f"{schema_name} schema {current} is newer than this program ({len(steps)})"
        )
    for number in range(current, len(steps)):
        if number in before:
            _run(conn, before[number], None)
        _run(conn, steps[number], f"PRAGMA {schema_name}.user_version = {number + 1}")
        log.info("%s schema migrated to version %d", schema_name, number + 1)
    return len(steps)


def _run(conn: Any, script: str, final: str | None) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements(script):
            conn.execute(statement)
        if final is not None:
            conn.execute(final)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Splits a script into complete statements (triggers contain `;`), with SQLite's own parser."""
    import sqlcipher3

    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError("incomplete SQL statement in a migration")
    return statements


__all__ = ["BEFORE_STEP", "MIGRATIONS", "UNSENT", "UNSENT_MIGRATIONS", "migrate", "version"]
