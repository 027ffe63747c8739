"""The outbox: rows, and the copies of the documents they send, in the unsent file (never in the
replaceable cache). The sending logic (exactly once) lives in app/outbox/."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.store import db
from app.store.attachments import CHUNK_SIZE, ContentMissing, rechunk
from app.store.db import Cache, Connection


class _Unset:
    """Marks an argument left out (None is a real value: it clears the column)."""


UNSET = _Unset()


class OutboxState(StrEnum):
    """Where a message of the outbox is; the `state` column holds these values, and only these
    (the schema's version refuses a file written by a newer program, which might know more)."""

    QUEUED = "queued"  # waiting for the connection (or for its turn)
    SENDING = "sending"  # being uploaded and submitted (back to queued if the network goes)
    SENT = "sent"  # submitted: the row stays for the list, its documents go
    FAILED = "failed"  # refused by the server, with the reason in `error`; the user may retry


@dataclass(frozen=True)
class OutboxRow:
    id: str
    message_id: str
    state: OutboxState
    payload: dict[str, Any]
    error: str | None
    attempts: int
    created_at: int  # epoch ms
    updated_at: int
    email_id: str | None
    submission_id: str | None
    sent_at: int | None

    @property
    def held_until(self) -> int | None:
        """Epoch ms (wall clock) at which the undo delay of a message ends, or None: kept for a
        restart; while the app runs, app.outbox.sender.Outbox.hold_left is what counts."""
        value = self.payload.get("hold_until")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def hold_s(self) -> float | None:
        """The undo delay it was queued with, in seconds (None: none, or a row from before it was
        kept)."""
        value = self.payload.get("hold_s")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return None
        return float(value)

    def held(self, now_ms: int) -> bool:
        """Waiting, and still in its undo delay at `now_ms` by the stored wall-clock end."""
        until = self.held_until
        return self.state is OutboxState.QUEUED and until is not None and until > now_ms


_COLUMNS = (
    "id, message_id, state, payload, error, attempts, created_at, updated_at, email_id, "
    "submission_id, sent_at"
)


def _row(r: Any) -> OutboxRow:
    return OutboxRow(
        r[0], r[1], OutboxState(r[2]), json.loads(r[3]), r[4], r[5], r[6], r[7], r[8], r[9], r[10]
    )


def _now_ms() -> int:
    return int(time.time() * 1000)


def add(
    conn: Connection,
    outbox_id: str,
    message_id: str,
    payload: dict[str, Any],
    state: OutboxState = OutboxState.QUEUED,
    now_ms: int | None = None,
) -> OutboxRow:
    now = _now_ms() if now_ms is None else now_ms
    conn.execute(
        f"INSERT INTO unsent.outbox ({_COLUMNS}) "
        "VALUES (?, ?, ?, ?, NULL, 0, ?, ?, NULL, NULL, NULL)",
        (outbox_id, message_id, state, json.dumps(payload, ensure_ascii=False), now, now),
    )
    row = get(conn, outbox_id)
    assert row is not None
    return row


def get(conn: Connection, outbox_id: str) -> OutboxRow | None:
    r = conn.execute(f"SELECT {_COLUMNS} FROM unsent.outbox WHERE id = ?", (outbox_id,)).fetchone()
    return _row(r) if r is not None else None


def list_rows(conn: Connection, *states: OutboxState) -> list[OutboxRow]:
    """Rows in these states (all rows when none given), oldest first: the sending order."""
    if states:
        marks = ",".join("?" * len(states))
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM unsent.outbox WHERE state IN ({marks}) "
            "ORDER BY created_at, id",
            states,
        )
    else:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM unsent.outbox ORDER BY created_at, id")
    return [_row(r) for r in rows]


def update(
    conn: Connection,
    outbox_id: str,
    *,
    state: OutboxState | _Unset = UNSET,
    error: str | _Unset | None = UNSET,
    attempts: int | _Unset = UNSET,
    email_id: str | _Unset | None = UNSET,
    submission_id: str | _Unset | None = UNSET,
    sent_at: int | _Unset | None = UNSET,
    payload: dict[str, Any] | _Unset = UNSET,
    now_ms: int | None = None,
) -> bool:
    """Sets the given columns (and updated_at); False when the row does not exist."""
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("state", state),
            ("error", error),
            ("attempts", attempts),
            ("email_id", email_id),
            ("submission_id", submission_id),
            ("sent_at", sent_at),
        )
        if not isinstance(value, _Unset)
    }
    if not isinstance(payload, _Unset):
        changes["payload"] = json.dumps(payload, ensure_ascii=False)
    changes["updated_at"] = _now_ms() if now_ms is None else now_ms
    assignments = ", ".join(f"{name} = ?" for name in changes)
    cursor = conn.execute(
        f"UPDATE unsent.outbox SET {assignments} WHERE id = ?", (*changes.values(), outbox_id)
    )
    return bool(cursor.rowcount)


def delete(conn: Connection, outbox_id: str) -> bool:
    """Removes the row and the documents no other row needs."""
    release_content(conn, outbox_id)
    return bool(conn.execute("DELETE FROM unsent.outbox WHERE id = ?", (outbox_id,)).rowcount)


def release_content(conn: Connection, outbox_id: str) -> int:
    """Unlinks a row's documents (sent: the copies are no longer needed) and deletes those no
    other row links; returns how many documents were deleted."""
    keys = linked_content(conn, outbox_id)
    conn.execute("DELETE FROM unsent.outbox_content WHERE outbox_id = ?", (outbox_id,))
    deleted = 0
    for key in keys:
        still = conn.execute(
            "SELECT 1 FROM unsent.outbox_content WHERE blob_id = ? LIMIT 1", (key,)
        ).fetchone()
        if still is None:
            deleted += delete_document(conn, key)
    return deleted


def link_content(conn: Connection, outbox_id: str, blob_id: str) -> None:
    """Pins a document (stored with put_document) to an outbox row."""
    conn.execute(
        "INSERT OR IGNORE INTO unsent.outbox_content (outbox_id, blob_id) VALUES (?, ?)",
        (outbox_id, blob_id),
    )


def linked_content(conn: Connection, outbox_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT blob_id FROM unsent.outbox_content WHERE outbox_id = ? ORDER BY blob_id",
        (outbox_id,),
    )
    return [r[0] for r in rows]


# Documents --------------------------------------------------------------------------------------


def put_document(
    conn: Connection, key: str, chunks: Iterable[bytes], now_ms: int | None = None
) -> int:
    """Stores (or replaces) a document to send from any stream of byte pieces; returns its size."""
    conn.execute("DELETE FROM unsent.outbox_documents WHERE key = ?", (key,))
    conn.execute(
        "INSERT INTO unsent.outbox_documents (key, size, chunk_count, stored_at) "
        "VALUES (?, 0, 0, ?)",
        (key, _now_ms() if now_ms is None else now_ms),
    )
    size = 0
    count = 0
    for piece in rechunk(chunks, CHUNK_SIZE):
        conn.execute(
            "INSERT INTO unsent.outbox_chunks (key, seq, data) VALUES (?, ?, ?)",
            (key, count, piece),
        )
        size += len(piece)
        count += 1
    conn.execute(
        "UPDATE unsent.outbox_documents SET size = ?, chunk_count = ? WHERE key = ?",
        (size, count, key),
    )
    return size


def document_size(conn: Connection, key: str) -> int | None:
    row = conn.execute("SELECT size FROM unsent.outbox_documents WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row is not None else None


def read_document_chunk(conn: Connection, key: str, seq: int) -> bytes | None:
    """Chunk `seq` of a document, None past its end (one short read per chunk: for uploads that
    read a little at a time from a thread)."""
    row = conn.execute(
        "SELECT data FROM unsent.outbox_chunks WHERE key = ? AND seq = ?", (key, seq)
    ).fetchone()
    return bytes(row[0]) if row is not None else None


def read_document(conn: Connection, key: str) -> Iterator[bytes]:
    """The document, chunk by chunk, within one `cache.read()` block; ContentMissing if absent."""
    row = conn.execute(
        "SELECT chunk_count FROM unsent.outbox_documents WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        raise ContentMissing("no such outbox document")
    return _document_chunks(conn, key, int(row[0]))


def _document_chunks(conn: Connection, key: str, count: int) -> Iterator[bytes]:
    for seq in range(count):
        piece = read_document_chunk(conn, key, seq)
        if piece is None:
            raise ContentMissing("outbox document incomplete")
        yield piece


def delete_document(conn: Connection, key: str) -> int:
    """Deletes a document and its chunks; 1 when it existed, else 0."""
    return int(conn.execute("DELETE FROM unsent.outbox_documents WHERE key = ?", (key,)).rowcount)


class DocumentWriter:
    """A document written as a stream (a zip being built): a write-only file whose bytes go
    straight into chunk rows, so the whole never sits in memory and no plaintext touches the disk.
    Use it inside one write transaction; `close()` records the size (and is what `with` calls)."""

    def __init__(self, conn: Connection, key: str, now_ms: int | None = None) -> None:
        self._conn = conn
        self._key = key
        self._buffer = bytearray()
        self._written = 0
        self._count = 0
        self._closed = False
        conn.execute("DELETE FROM unsent.outbox_documents WHERE key = ?", (key,))
        conn.execute(
            "INSERT INTO unsent.outbox_documents (key, size, chunk_count, stored_at) "
            "VALUES (?, 0, 0, ?)",
            (key, _now_ms() if now_ms is None else now_ms),
        )

    def write(self, data: bytes | bytearray | memoryview, /) -> int:
        if self._closed:
            raise ValueError("document already closed")
        self._buffer += data
        self._written += len(data)
        while len(self._buffer) >= CHUNK_SIZE:
            self._put(bytes(self._buffer[:CHUNK_SIZE]))
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def tell(self) -> int:
        """Bytes written so far (zipfile records member offsets with it; there is no seek)."""
        return self._written

    def flush(self) -> None:
        """Nothing to do: full chunks are in the transaction already, the rest waits for close."""

    def close(self) -> None:
        if self._closed:
            return
        if self._buffer:
            self._put(bytes(self._buffer))
            self._buffer.clear()
        self._conn.execute(
            "UPDATE unsent.outbox_documents SET size = ?, chunk_count = ? WHERE key = ?",
            (self._written, self._count, self._key),
        )
        self._closed = True

    @property
    def size(self) -> int:
        return self._written

    def _put(self, piece: bytes) -> None:
        self._conn.execute(
            "INSERT INTO unsent.outbox_chunks (key, seq, data) VALUES (?, ?, ?)",
            (self._key, self._count, piece),
        )
        self._count += 1

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.close()


def reader_connection(cache: Cache) -> Connection:
    """A read-only connection of the caller's own, to close when done: one thread streaming
    documents to the server keeps it for the whole upload (`cache.read()` would open — and keep —
    one per thread of the default executor). Its page cache is small: each chunk is read once."""
    conn = db._connect(cache.path, cache.key, reader=True)
    for schema_name in ("main", "unsent"):
        conn.execute(f"PRAGMA {schema_name}.cache_size = -256")
    return conn
