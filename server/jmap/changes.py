"""States and /changes of every JMAP type, from one modseq counter per account and type.

Each object keeps one row with the modseq of its last change (and of its creation), so /changes is
an indexed range scan. Tombstones older than the kept history are purged; a state from before
them can no longer be bridged and gets cannotCalculateChanges.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from server.storage import Database

ChangeKind = Literal["created", "updated", "destroyed"]

MIGRATIONS = [
    """
    CREATE TABLE jmap_state (
        account_id TEXT NOT NULL,
        type TEXT NOT NULL,
        modseq INTEGER NOT NULL,
        floor INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, type)
    );
    CREATE TABLE jmap_changes (
        account_id TEXT NOT NULL,
        type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        created_modseq INTEGER NOT NULL,
        modseq INTEGER NOT NULL,
        destroyed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, type, object_id)
    );
    CREATE INDEX jmap_changes_by_modseq ON jmap_changes (account_id, type, modseq);
    """
]


class CannotCalculateChanges(Exception):
    """The given state is unknown or older than the history the server keeps."""


@dataclass
class Changes:
    old_state: str
    new_state: str
    has_more_changes: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    destroyed: list[str] = field(default_factory=list)


class ChangeLog:
    def __init__(
        self,
        db: Database,
        publish: Callable[[str, dict[str, str]], None],
        history: int,
    ) -> None:
        self._db = db
        self._publish = publish
        self._history = history
        db.migrate("jmap_changes", MIGRATIONS)

    def state(self, conn: sqlite3.Connection, account_id: str, type_name: str) -> str:
        row = conn.execute(
            "SELECT modseq FROM jmap_state WHERE account_id = ? AND type = ?",
            (account_id, type_name),
        ).fetchone()
        return str(row[0] if row else 0)

    def record(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        type_name: str,
        object_id: str,
        kind: ChangeKind,
    ) -> int:
        """Records one change inside the caller's write transaction; returns the new modseq."""
        row = conn.execute(
            "INSERT INTO jmap_state (account_id, type, modseq) VALUES (?, ?, 1) "
            "ON CONFLICT(account_id, type) DO UPDATE SET modseq = modseq + 1 "
            "RETURNING modseq, floor",
            (account_id, type_name),
        ).fetchone()
        modseq, floor = int(row[0]), int(row[1])
        if kind == "created":
            conn.execute(
                "INSERT OR REPLACE INTO jmap_changes "
                "(account_id, type, object_id, created_modseq, modseq, destroyed) "
                "VALUES (?, ?, ?, ?, ?, 0)",
                (account_id, type_name, object_id, modseq, modseq),
            )
        else:
            conn.execute(
                "INSERT INTO jmap_changes "
                "(account_id, type, object_id, created_modseq, modseq, destroyed) "
                "VALUES (?, ?, ?, 0, ?, ?) "
                "ON CONFLICT(account_id, type, object_id) "
                "DO UPDATE SET modseq = excluded.modseq, destroyed = excluded.destroyed",
                (account_id, type_name, object_id, modseq, int(kind == "destroyed")),
            )
        horizon = modseq - self._history
        if horizon > floor and modseq % 256 == 0:  # purge now and then, not at every change
            conn.execute(
                "DELETE FROM jmap_changes WHERE account_id = ? AND type = ? "
                "AND destroyed = 1 AND modseq <= ?",
                (account_id, type_name, horizon),
            )
            conn.execute(
                "UPDATE jmap_state SET floor = ? WHERE account_id = ? AND type = ?",
                (horizon, account_id, type_name),
            )
        self._queue_push(account_id, type_name, str(modseq))
        return modseq

    def changes(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        type_name: str,
        since_state: str,
        max_changes: int | None,
    ) -> Changes:
        row = conn.execute(
            "SELECT modseq, floor FROM jmap_state WHERE account_id = ? AND type = ?",
            (account_id, type_name),
        ).fetchone()
        current, floor = (int(row[0]), int(row[1])) if row else (0, 0)
        if not since_state.isdigit() or len(since_state) > 18:
            raise CannotCalculateChanges(since_state)
        since = int(since_state)
        # A state older than the history kept (or than the floor of purged tombstones) cannot be
        # bridged: the client must resync that type.
        if since > current or since < floor or since < current - self._history:
            raise CannotCalculateChanges(since_state)
        limit = max_changes if max_changes is not None else -1
        rows = conn.execute(
            "SELECT object_id, created_modseq, modseq, destroyed FROM jmap_changes "
            "WHERE account_id = ? AND type = ? AND modseq > ? ORDER BY modseq LIMIT ?",
            (account_id, type_name, since, limit + 1 if limit > 0 else -1),
        ).fetchall()
        result = Changes(old_state=since_state, new_state=str(current), has_more_changes=False)
        if limit > 0 and len(rows) > limit:
            rows = rows[:limit]
            result.has_more_changes = True
            result.new_state = str(rows[-1]["modseq"])
        for r in rows:
            created_here = r["created_modseq"] > since
            if r["destroyed"]:
                if not created_here:
                    result.destroyed.append(r["object_id"])
            elif created_here:
                result.created.append(r["object_id"])
            else:
                result.updated.append(r["object_id"])
        return result

    def _queue_push(self, account_id: str, type_name: str, state: str) -> None:
        tx = self._db.tx_data()
        pending: dict[str, dict[str, str]] | None = tx.get("push")
        if pending is None:
            pending = tx["push"] = {}
            changed_by_account = pending

            def flush() -> None:
                for account, changed in changed_by_account.items():
                    self._publish(account, changed)

            self._db.after_commit(flush)
        pending.setdefault(account_id, {})[type_name] = state
