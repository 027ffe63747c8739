"""Rebuilding a cache that cannot be read (DESIGN §3: say so, keep the outbox, rebuild from the
server).

The cache file only holds what the server can give back, so it is simply deleted and created
again (its sync state goes with it: the next sync is an initial one). What only exists on this
computer — the outbox with its documents, the drafts, the pending flag changes, the favorites —
lives in the unsent file beside it, which is never deleted: when that file is itself damaged it is
set aside (`unsent.sqlite3.corrupt-<time>`), what can still be read from it is copied into a new
one, and the user is told with a message of its own.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from app import logs, messages
from app.messages import Message
from app.store.db import Cache, CacheCorrupt, Connection, UnsentCorrupt, WrongKey
from app.store.key import CacheKey

log = logs.get("rebuild")

REASON_FR = messages.CACHE_REBUILT.text()
UNSENT_REASON_FR = UnsentCorrupt.message_fr

# The unsent file's tables, parents before children (foreign keys).
_SALVAGE: tuple[str, ...] = (
    "outbox",
    "drafts",
    "pending_actions",
    "outbox_documents",
    "outbox_chunks",
    "outbox_content",
    "favorites",
    "traces",
)


@dataclass
class Opened:
    """A usable cache, and what the user must be told about how it was obtained."""

    cache: Cache
    notices: list[Message] = field(default_factory=list)

    @property
    def notices_fr(self) -> list[str]:
        return [notice.text() for notice in self.notices]


def open_or_rebuild(path: Path, key: CacheKey) -> Opened:
    """Cache.open; an unreadable cache file is rebuilt, a damaged unsent file set aside and
    salvaged. Blocking (a thread's work)."""
    notices: list[Message] = []
    for _ in range(3):  # at most: the cache rebuilt, then the unsent file set aside
        try:
            cache = Cache.open(path, key)
        except UnsentCorrupt:
            log.warning("unsent file unreadable at open: setting it aside")
            _set_aside_and_salvage(path, key)
            notices.append(UnsentCorrupt.message)
        except (WrongKey, CacheCorrupt) as exc:
            log.warning("cache unreadable (%s): rebuilding", type(exc).__name__)
            Cache.destroy(path)
            notices.append(messages.CACHE_REBUILT)
        else:
            return Opened(cache, notices)
    return Opened(Cache.open(path, key), notices)


def rebuild(path: Path, key: CacheKey) -> Opened:
    """After damage was found in a closed cache: checks the unsent file (set aside when damaged),
    deletes and recreates the cache file. Blocking (a thread's work)."""
    notices: list[Message] = [messages.CACHE_REBUILT]
    problems = Cache.check_unsent(path, key)
    if problems:
        log.warning("unsent file damaged (%d problems): setting it aside", len(problems))
        _set_aside_and_salvage(path, key)
        notices.append(UnsentCorrupt.message)
    Cache.destroy(path)
    opened = open_or_rebuild(path, key)
    opened.notices[:0] = notices
    log.info("cache rebuilt")
    return opened


def rebuild_cache(path: Path, key: CacheKey) -> Cache:
    """`rebuild`, for callers that only need the cache."""
    return rebuild(path, key).cache


def _set_aside_and_salvage(path: Path, key: CacheKey) -> None:
    aside = Cache.set_aside_unsent(path)
    if aside is None:
        return
    salvage = _export(aside, key)
    if not any(rows for _, rows in salvage.values()):
        return
    try:
        fresh = Cache.open(path, key)
    except (WrongKey, CacheCorrupt):
        return  # the cache file is damaged too: the caller rebuilds it; the copy stays aside
    try:
        restored = fresh.write_blocking(lambda conn: _restore(conn, salvage))
    finally:
        fresh.close()
    log.info("salvaged %d rows from the damaged unsent file", restored)


def _export(aside: Path, key: CacheKey) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Whatever rows of a damaged unsent file can still be read, by table."""
    out: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    try:
        conn = sqlcipher3.connect(str(aside), isolation_level=None)
    except sqlcipher3.Error:
        return out
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        key.apply(conn)
        conn.execute("PRAGMA query_only = ON")
        for table in _SALVAGE:
            try:
                cursor = conn.execute(f"SELECT * FROM {table}")
                columns = [d[0] for d in cursor.description]
                out[table] = (columns, [tuple(r) for r in cursor.fetchall()])
            except sqlcipher3.Error:
                log.info("salvage: %s unreadable", table)
    except sqlcipher3.Error:
        log.info("salvage: unsent file unreadable")
    finally:
        with contextlib.suppress(sqlcipher3.Error):
            conn.close()
    return out


def _restore(conn: Connection, salvage: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> int:
    restored = 0
    for table in _SALVAGE:
        if table not in salvage:
            continue
        columns, rows = salvage[table]
        current = {str(r[1]) for r in conn.execute(f"PRAGMA unsent.table_info({table})")}
        keep = [i for i, c in enumerate(columns) if c in current]
        if not keep or not rows:
            continue
        names = ", ".join(f'"{columns[i]}"' for i in keep)
        marks = ", ".join("?" for _ in keep)
        sql = f"INSERT OR IGNORE INTO unsent.{table} ({names}) VALUES ({marks})"
        for row in rows:
            try:
                conn.execute(sql, [row[i] for i in keep])
            except sqlcipher3.IntegrityError:
                continue  # a child whose parent was unreadable
            restored += 1
    # A document whose chunks were not all readable would go out truncated: drop it (the sender
    # then reports the message as failed, "un document a été perdu").
    conn.execute(
        "DELETE FROM unsent.outbox_documents WHERE chunk_count != "
        "(SELECT count(*) FROM unsent.outbox_chunks c WHERE c.key = outbox_documents.key)"
    )
    return restored
