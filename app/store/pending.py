"""Flag changes (seen, flagged, moved, deleted) made locally and not yet accepted by the server.

Rows only, in the order they were made; the sync engine replays them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.store.db import Connection


@dataclass(frozen=True)
class PendingAction:
    id: int
    kind: str
    email_ids: list[str]
    payload: dict[str, Any]
    created_at: int  # epoch ms
    attempts: int
    last_error: str | None


def add(
    conn: Connection,
    kind: str,
    email_ids: Iterable[str],
    payload: dict[str, Any],
    now_ms: int | None = None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO unsent.pending_actions (kind, email_ids, payload, created_at) "
        "VALUES (?, ?, ?, ?)",
        (
            kind,
            json.dumps(list(email_ids)),
            json.dumps(payload, ensure_ascii=False),
            int(time.time() * 1000) if now_ms is None else now_ms,
        ),
    )
    return int(cursor.lastrowid)


def list_actions(conn: Connection) -> list[PendingAction]:
    """Oldest first: the order they must be replayed in."""
    rows = conn.execute(
        "SELECT id, kind, email_ids, payload, created_at, attempts, last_error "
        "FROM unsent.pending_actions ORDER BY id"
    )
    return [
        PendingAction(r[0], r[1], json.loads(r[2]), json.loads(r[3]), r[4], r[5], r[6])
        for r in rows
    ]


def remove(conn: Connection, action_id: int) -> bool:
    return bool(
        conn.execute("DELETE FROM unsent.pending_actions WHERE id = ?", (action_id,)).rowcount
    )


def bump_attempts(conn: Connection, action_id: int, error: str | None = None) -> None:
    """One more failed try, with its (technical, content-free) reason."""
    conn.execute(
        "UPDATE unsent.pending_actions SET attempts = attempts + 1, last_error = ? WHERE id = ?",
        (error, action_id),
    )
