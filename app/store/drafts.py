"""Drafts being composed, kept encrypted in the cache and saved as the user types. The payload is
the JSON object app/message/draft.py writes and reads (its format and versions live there)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from app.store.db import Connection


@dataclass(frozen=True)
class StoredDraft:
    id: str
    payload: dict[str, Any]
    updated_at: int  # epoch ms


def save(
    conn: Connection, draft_id: str, payload: dict[str, Any], now_ms: int | None = None
) -> None:
    conn.execute(
        "INSERT INTO unsent.drafts (id, payload, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, "
        "updated_at = excluded.updated_at",
        (
            draft_id,
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            int(time.time() * 1000) if now_ms is None else now_ms,
        ),
    )


def load(conn: Connection, draft_id: str) -> StoredDraft | None:
    row = conn.execute(
        "SELECT id, payload, updated_at FROM unsent.drafts WHERE id = ?", (draft_id,)
    ).fetchone()
    return StoredDraft(row[0], json.loads(row[1]), row[2]) if row is not None else None


def list_drafts(conn: Connection) -> list[StoredDraft]:
    """Most recently edited first."""
    rows = conn.execute(
        "SELECT id, payload, updated_at FROM unsent.drafts ORDER BY updated_at DESC, id"
    )
    return [StoredDraft(r[0], json.loads(r[1]), r[2]) for r in rows]


def delete(conn: Connection, draft_id: str) -> bool:
    return bool(conn.execute("DELETE FROM unsent.drafts WHERE id = ?", (draft_id,)).rowcount)
