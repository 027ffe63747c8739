"""The outbox table: rows only. The sending logic (exactly once) lives in app/outbox/."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from app.store.db import Connection


class _Unset:
    """Marks an argument left out (None is a real value: it clears the column)."""


UNSET = _Unset()


@dataclass(frozen=True)
class OutboxRow:
    id: str
    message_id: str
    state: str
    payload: dict[str, Any]
    error: str | None
    attempts: int
    created_at: int  # epoch ms
    updated_at: int
    email_id: str | None
    submission_id: str | None
    sent_at: int | None


_COLUMNS = (
    "id, message_id, state, payload, error, attempts, created_at, updated_at, email_id, "
    "submission_id, sent_at"
)


def _row(r: Any) -> OutboxRow:
    return OutboxRow(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7], r[8], r[9], r[10])


def _now_ms() -> int:
    return int(time.time() * 1000)


def add(
    conn: Connection,
    outbox_id: str,
    message_id: str,
    payload: dict[str, Any],
    state: str = "queued",
    now_ms: int | None = None,
) -> OutboxRow:
    now = _now_ms() if now_ms is None else now_ms
    conn.execute(
        f"INSERT INTO outbox ({_COLUMNS}) VALUES (?, ?, ?, ?, NULL, 0, ?, ?, NULL, NULL, NULL)",
        (outbox_id, message_id, state, json.dumps(payload, ensure_ascii=False), now, now),
    )
    row = get(conn, outbox_id)
    assert row is not None
    return row


def get(conn: Connection, outbox_id: str) -> OutboxRow | None:
    r = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
    return _row(r) if r is not None else None


def list_rows(conn: Connection, *states: str) -> list[OutboxRow]:
    """Rows in these states (all rows when none given), oldest first: the sending order."""
    if states:
        marks = ",".join("?" * len(states))
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE state IN ({marks}) ORDER BY created_at, id",
            states,
        )
    else:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY created_at, id")
    return [_row(r) for r in rows]


def update(
    conn: Connection,
    outbox_id: str,
    *,
    state: str | _Unset = UNSET,
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
        f"UPDATE outbox SET {assignments} WHERE id = ?", (*changes.values(), outbox_id)
    )
    return bool(cursor.rowcount)


def delete(conn: Connection, outbox_id: str) -> bool:
    """Removes the row; its linked content becomes evictable."""
    return bool(conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,)).rowcount)


def link_content(conn: Connection, outbox_id: str, blob_id: str) -> None:
    """Pins attachment content (stored with attachments.put_content) to an outbox row."""
    conn.execute(
        "INSERT OR IGNORE INTO outbox_content (outbox_id, blob_id) VALUES (?, ?)",
        (outbox_id, blob_id),
    )


def linked_content(conn: Connection, outbox_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT blob_id FROM outbox_content WHERE outbox_id = ? ORDER BY blob_id", (outbox_id,)
    )
    return [r[0] for r in rows]
