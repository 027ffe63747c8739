"""PSC's tokens, kept here and only here (issue 15 §2): one row per session of ours (a token
family), so that a refresh of ours can refresh PSC's and a refusal by PSC ends ours."""

from __future__ import annotations

import time
from dataclasses import dataclass

from server.storage import Database

MIGRATIONS = [
    """
    CREATE TABLE psc_sessions (
        family TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        access_token TEXT NOT NULL,
        refresh_token TEXT,
        obtained_at REAL NOT NULL,
        acr TEXT NOT NULL
    );
    """,
]


@dataclass(frozen=True)
class PscSession:
    family: str
    account_id: str
    access_token: str
    refresh_token: str | None
    obtained_at: float
    acr: str

    def __repr__(self) -> str:  # the tokens never reach a log line
        return f"PscSession(family={self.family!r}, account_id={self.account_id!r})"


class PscSessions:
    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate("psc_sessions", MIGRATIONS)

    def save(
        self, family: str, account_id: str, access: str, refresh: str | None, acr: str
    ) -> None:
        with self._db.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO psc_sessions (family, account_id, access_token, "
                "refresh_token, obtained_at, acr) VALUES (?, ?, ?, ?, ?, ?)",
                (family, account_id, access, refresh, time.time(), acr),
            )

    def get(self, family: str) -> PscSession | None:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM psc_sessions WHERE family = ?", (family,)).fetchone()
        if row is None:
            return None
        return PscSession(
            row["family"],
            row["account_id"],
            row["access_token"],
            row["refresh_token"],
            row["obtained_at"],
            row["acr"],
        )

    def update(self, family: str, access: str, refresh: str | None) -> None:
        with self._db.write() as conn:
            conn.execute(
                "UPDATE psc_sessions SET access_token = ?, refresh_token = COALESCE(?, "
                "refresh_token), obtained_at = ? WHERE family = ?",
                (access, refresh, time.time(), family),
            )

    def delete(self, family: str) -> None:
        with self._db.write() as conn:
            conn.execute("DELETE FROM psc_sessions WHERE family = ?", (family,))
