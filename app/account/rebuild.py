"""Rebuilding a cache that cannot be read (DESIGN §3: say so, keep the outbox, rebuild from the
server).

Everything else in the cache comes back from the server with the next sync; what only exists here
is the user's unsent work: the outbox (with the attachment content it needs) and the drafts. Those
rows are read best-effort into memory, the files are deleted, a fresh cache is created with the
same key and the rows are put back.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from app import logs
from app.store.db import Cache, Connection

log = logs.get("rebuild")

REASON_FR = (
    "Le cache local était illisible : il a été reconstruit et va être de nouveau rempli depuis le "
    "serveur. Les messages en attente d'envoi et les brouillons ont été conservés quand ils "
    "étaient lisibles."
)

# Parents before children (foreign keys), with the query that picks the rows worth keeping.
_SALVAGE: tuple[tuple[str, str], ...] = (
    ("outbox", "SELECT * FROM outbox"),
    ("drafts", "SELECT * FROM drafts"),
    (
        "content_blobs",
        "SELECT * FROM content_blobs WHERE blob_id IN (SELECT blob_id FROM outbox_content)",
    ),
    (
        "attachment_content",
        "SELECT * FROM attachment_content WHERE blob_id IN (SELECT blob_id FROM outbox_content)",
    ),
    ("outbox_content", "SELECT * FROM outbox_content"),
)


@dataclass
class Salvage:
    """Rows read from a damaged cache, by table: column names and values."""

    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, ([], []))[1])


def export_unsent(path: Path, key: bytes) -> Salvage:
    """Reads what can still be read (nothing when the key does not fit or the file is gone)."""
    salvage = Salvage()
    if not path.exists():
        return salvage
    try:
        conn = sqlcipher3.connect(str(path), isolation_level=None)
    except sqlcipher3.Error:
        return salvage
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA query_only = ON")
        for table, query in _SALVAGE:
            try:
                cursor = conn.execute(query)
                columns = [d[0] for d in cursor.description]
                rows = [tuple(r) for r in cursor.fetchall()]
            except sqlcipher3.Error:
                log.info("salvage: %s unreadable", table)
                continue
            salvage.tables[table] = (columns, rows)
    except sqlcipher3.Error:
        log.info("salvage: cache unreadable")
    finally:
        with contextlib.suppress(sqlcipher3.Error):
            conn.close()
    log.info("salvage: %d outbox rows, %d drafts", salvage.count("outbox"), salvage.count("drafts"))
    return salvage


def _restore(conn: Connection, salvage: Salvage) -> int:
    restored = 0
    for table, _ in _SALVAGE:
        if table not in salvage.tables:
            continue
        columns, rows = salvage.tables[table]
        current = {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}
        keep = [i for i, c in enumerate(columns) if c in current]
        if not keep or not rows:
            continue
        names = ", ".join(f'"{columns[i]}"' for i in keep)
        marks = ", ".join("?" for _ in keep)
        sql = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"
        for row in rows:
            try:
                conn.execute(sql, [row[i] for i in keep])
            except sqlcipher3.IntegrityError:
                continue  # a child whose parent was unreadable
            restored += 1
    return restored


def rebuild_cache(path: Path, key: bytes) -> Cache:
    """Salvage, delete, recreate, restore. Blocking (a thread's work)."""
    salvage = export_unsent(path, key)
    Cache.destroy(path)
    cache = Cache.open(path, key)
    try:
        restored = cache.write_blocking(lambda conn: _restore(conn, salvage))
    except BaseException:
        cache.close()
        raise
    log.info("cache rebuilt, %d rows restored", restored)
    return cache
