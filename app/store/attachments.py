"""Attachment content kept inside the encrypted database, in chunks, within a size budget.

Stored in the database rather than as files so that a document is never in clear on disk; the
least recently opened content goes first when the budget is exceeded. The outbox keeps its own
copies of the documents it sends in the unsent file (app/store/outbox.py), out of this budget,
and a draft's documents are files the user chose: neither is ever in this table, so eviction can
only let go of received documents, which the server gives back.

Documents fetched ahead for offline use (app/sync/prefetch.py) are stored here the same way, with
their message's date as their last access: never opened, they go before the ones the user opened,
the oldest first.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from app import logs, messages
from app.errors import CoreError
from app.store.db import Connection

log = logs.get("store")

CHUNK_SIZE = 256 * 1024


class ContentMissing(CoreError):
    message = messages.CONTENT_MISSING


def _now_ms() -> int:
    return int(time.time() * 1000)


def rechunk(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Pieces of any size regrouped into chunks of `size` bytes (the last one shorter)."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def put_content(
    conn: Connection, blob_id: str, chunks: Iterable[bytes], now_ms: int | None = None
) -> int:
    """Stores (or replaces) a blob's content from any stream of byte pieces; returns its size."""
    now = _now_ms() if now_ms is None else now_ms
    conn.execute("DELETE FROM content_blobs WHERE blob_id = ?", (blob_id,))
    conn.execute(
        "INSERT INTO content_blobs (blob_id, size, chunk_count, stored_at, last_access) "
        "VALUES (?, 0, 0, ?, ?)",
        (blob_id, now, now),
    )
    size = 0
    count = 0
    for piece in rechunk(chunks, CHUNK_SIZE):
        conn.execute(
            "INSERT INTO attachment_content (blob_id, seq, data) VALUES (?, ?, ?)",
            (blob_id, count, piece),
        )
        size += len(piece)
        count += 1
    conn.execute(
        "UPDATE content_blobs SET size = ?, chunk_count = ? WHERE blob_id = ?",
        (size, count, blob_id),
    )
    return size


def has_content(conn: Connection, blob_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM content_blobs WHERE blob_id = ?", (blob_id,)).fetchone()
    return row is not None


def content_size(conn: Connection, blob_id: str) -> int | None:
    row = conn.execute("SELECT size FROM content_blobs WHERE blob_id = ?", (blob_id,)).fetchone()
    return int(row[0]) if row is not None else None


def read_content(conn: Connection, blob_id: str) -> Iterator[bytes]:
    """The content, chunk by chunk (one chunk in memory at a time); ContentMissing if evicted.

    Read it within one `cache.read()` block. Record the access with `touch` (a write).
    """
    row = conn.execute(
        "SELECT chunk_count FROM content_blobs WHERE blob_id = ?", (blob_id,)
    ).fetchone()
    if row is None:
        raise ContentMissing("no content for this blob")
    return _chunks(conn, blob_id, int(row[0]))


open_content = read_content  # the name core-design.md uses


def _chunks(conn: Connection, blob_id: str, count: int) -> Iterator[bytes]:
    for seq in range(count):
        part = conn.execute(
            "SELECT data FROM attachment_content WHERE blob_id = ? AND seq = ?", (blob_id, seq)
        ).fetchone()
        if part is None:
            raise ContentMissing("content evicted while reading")
        yield bytes(part[0])


def read_range(conn: Connection, blob_id: str, offset: int, length: int) -> bytes:
    """`length` bytes of the content from `offset` (fewer past its end), reading only the chunks
    that hold them (all but the last are CHUNK_SIZE long: `put_content`); ContentMissing if it is
    not, or no longer, in the cache."""
    if offset < 0 or length < 0:
        raise ValueError("negative offset or length")
    first, last = offset // CHUNK_SIZE, (offset + length - 1) // CHUNK_SIZE
    rows = conn.execute(
        "SELECT seq, data FROM attachment_content WHERE blob_id = ? AND seq BETWEEN ? AND ? "
        "ORDER BY seq",
        (blob_id, first, last),
    ).fetchall()
    if not rows and not has_content(conn, blob_id):
        raise ContentMissing("no content for this blob")
    data = b"".join(bytes(row[1]) for row in rows)
    start = offset - first * CHUNK_SIZE
    return data[start : start + length] if length else b""


def touch(conn: Connection, blob_id: str, now_ms: int | None = None) -> None:
    """Marks the content as just used (it goes last when the budget is enforced)."""
    conn.execute(
        "UPDATE content_blobs SET last_access = ? WHERE blob_id = ?",
        (_now_ms() if now_ms is None else now_ms, blob_id),
    )


def delete_content(conn: Connection, blob_id: str) -> None:
    conn.execute("DELETE FROM content_blobs WHERE blob_id = ?", (blob_id,))


def total_size(conn: Connection) -> int:
    return int(conn.execute("SELECT coalesce(sum(size), 0) FROM content_blobs").fetchone()[0])


def evict_to_budget(conn: Connection, budget_bytes: int, keep: Collection[str] = ()) -> int:
    """Deletes least recently used content until the total fits, never the blobs of `keep`;
    returns the bytes freed."""
    excess = total_size(conn) - budget_bytes
    freed = 0
    if excess <= 0:
        return 0
    rows = conn.execute(
        "SELECT blob_id, size FROM content_blobs ORDER BY last_access, stored_at, blob_id"
    ).fetchall()
    evicted = 0
    for row in rows:
        if freed >= excess:
            break
        if row[0] in keep:
            continue
        conn.execute("DELETE FROM content_blobs WHERE blob_id = ?", (row[0],))
        freed += int(row[1])
        evicted += 1
    log.info("evicted %d attachment contents (%d bytes)", evicted, freed)
    return freed


@dataclass(frozen=True)
class Candidate:
    """A received document that may be kept for offline use, and what the cache has of it."""

    blob_id: str
    name: str | None
    type: str
    size: int  # as the server gave it
    received_ms: int  # its newest message's
    cached: int | None  # the size stored, None when not in the cache


def offline_candidates(conn: Connection, since_ms: int) -> list[Candidate]:
    """The documents of messages received since `since_ms`, newest first, each blob once."""
    rows = conn.execute(
        "SELECT a.blob_id, a.name, a.type, a.size, e.received_at, c.size FROM attachments a "
        "JOIN emails e ON e.rowid = a.email_rowid "
        "LEFT JOIN content_blobs c ON c.blob_id = a.blob_id "
        "WHERE e.received_at >= ? ORDER BY e.received_at DESC, a.position",
        (since_ms,),
    )
    found: dict[str, Candidate] = {}
    for r in rows:
        if r[0] not in found:
            cached = int(r[5]) if r[5] is not None else None
            found[r[0]] = Candidate(r[0], r[1], r[2], max(int(r[3]), 0), int(r[4]), cached)
    return list(found.values())
