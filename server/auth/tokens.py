"""Bearer access tokens and refresh tokens. Only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from server.storage import Database

MIGRATIONS = [
    """
    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        expires_at REAL NOT NULL
    );
    CREATE INDEX tokens_by_expiry ON tokens (expires_at);
    """
]

TokenKind = Literal["access", "refresh"]


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str | None
    expires_in: int


class TokenExpired(Exception):
    pass


class TokenUnknown(Exception):
    pass


class Tokens:
    def __init__(self, db: Database, access_lifetime: int, refresh_lifetime: int) -> None:
        self._db = db
        self._access_lifetime = access_lifetime
        self._refresh_lifetime = refresh_lifetime
        db.migrate("tokens", MIGRATIONS)

    def issue(self, account_id: str, with_refresh: bool = True) -> IssuedTokens:
        access = "at_" + secrets.token_urlsafe(32)
        refresh = "rt_" + secrets.token_urlsafe(32) if with_refresh else None
        now = time.time()
        with self._db.write() as conn:
            conn.execute("DELETE FROM tokens WHERE expires_at < ?", (now - 3600,))
            conn.execute(
                "INSERT INTO tokens (token_hash, account_id, kind, expires_at) VALUES (?, ?, ?, ?)",
                (_digest(access), account_id, "access", now + self._access_lifetime),
            )
            if refresh:
                conn.execute(
                    "INSERT INTO tokens (token_hash, account_id, kind, expires_at) "
                    "VALUES (?, ?, ?, ?)",
                    (_digest(refresh), account_id, "refresh", now + self._refresh_lifetime),
                )
        return IssuedTokens(access, refresh, self._access_lifetime)

    def account_for(self, token: str, kind: TokenKind) -> str:
        """The account a valid token belongs to; TokenExpired or TokenUnknown otherwise."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT account_id, expires_at FROM tokens WHERE token_hash = ? AND kind = ?",
                (_digest(token), kind),
            ).fetchone()
        if row is None:
            raise TokenUnknown
        if row["expires_at"] < time.time():
            raise TokenExpired
        return str(row["account_id"])

    def revoke_all(self, account_id: str) -> None:
        with self._db.write() as conn:
            conn.execute("DELETE FROM tokens WHERE account_id = ?", (account_id,))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
