"""Bearer access tokens and refresh tokens. Only their SHA-256 is stored.

Refresh tokens rotate (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): each use returns a new one and
retires the one presented. The tokens that descend from one password login form a *family*.
A retired refresh token presented again means that two parties hold the chain — the user and a
thief, and the server cannot tell which is which — so the whole family is revoked (its current
refresh token and every access token issued from it) and the password is needed again. Retired
tokens are kept (as hashes) until they expire, so that such a reuse is recognised rather than
answered "unknown". Revocation (RFC 7009) of a refresh token revokes its family too.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import Literal

from server.storage import Database

log = logging.getLogger("server.auth")

MIGRATIONS = [
    """
    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        expires_at REAL NOT NULL
    );
    CREATE INDEX tokens_by_expiry ON tokens (expires_at);
    """,
    # Families and rotation. A refresh token issued before has no family: it starts its own
    # (named after its hash). Access tokens issued before stay without one and simply expire.
    """
    ALTER TABLE tokens ADD COLUMN family TEXT;
    ALTER TABLE tokens ADD COLUMN rotated_at REAL;
    UPDATE tokens SET family = token_hash WHERE kind = 'refresh';
    CREATE INDEX tokens_by_family ON tokens (family);
    """,
]

TokenKind = Literal["access", "refresh"]


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    family: str = ""  # what ties them to a Pro Santé Connect session (server/auth/psc_sessions.py)


class TokenExpired(Exception):
    pass


class TokenUnknown(Exception):
    pass


class TokenReused(TokenUnknown):
    """A refresh token that was already exchanged: its family is revoked."""


class Tokens:
    def __init__(self, db: Database, access_lifetime: int, refresh_lifetime: int) -> None:
        self._db = db
        self._access_lifetime = access_lifetime
        self._refresh_lifetime = refresh_lifetime
        db.migrate("tokens", MIGRATIONS)

    def issue(self, account_id: str) -> IssuedTokens:
        """After a password login: a new family, its first access and refresh tokens."""
        with self._db.write() as conn:
            conn.execute("DELETE FROM tokens WHERE expires_at < ?", (time.time() - 3600,))
            return self._issue(conn, account_id, "f_" + secrets.token_urlsafe(16))

    def rotate(self, refresh_token: str) -> IssuedTokens:
        """New tokens for a refresh token, which stops working. TokenExpired, TokenUnknown, or
        TokenReused (the family is then revoked)."""
        now = time.time()
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT account_id, expires_at, family, rotated_at FROM tokens "
                "WHERE token_hash = ? AND kind = 'refresh'",
                (_digest(refresh_token),),
            ).fetchone()
            if row is None:
                raise TokenUnknown
            if row["expires_at"] < now:
                raise TokenExpired
            account_id = str(row["account_id"])
            reused = row["rotated_at"] is not None
            if reused:  # raised once the revocation is committed
                revoked = self._revoke_family(conn, row["family"])
            else:
                conn.execute(
                    "UPDATE tokens SET rotated_at = ? WHERE token_hash = ?",
                    (now, _digest(refresh_token)),
                )
                return self._issue(conn, account_id, row["family"])
        log.warning(
            "refresh token reused for account %s: its family revoked (%d tokens)",
            account_id,
            revoked,
        )
        raise TokenReused

    def account_for(self, token: str, kind: TokenKind) -> str:
        """The account a valid token belongs to; TokenExpired or TokenUnknown otherwise (a
        rotated refresh token is no longer valid)."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT account_id, expires_at, rotated_at FROM tokens "
                "WHERE token_hash = ? AND kind = ?",
                (_digest(token), kind),
            ).fetchone()
        if row is None or row["rotated_at"] is not None:
            raise TokenUnknown
        if row["expires_at"] < time.time():
            raise TokenExpired
        return str(row["account_id"])

    def revoke(self, token: str) -> None:
        """RFC 7009: a refresh token takes its family with it; an access token goes alone;
        an unknown token is nothing to do."""
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT kind, family FROM tokens WHERE token_hash = ?", (_digest(token),)
            ).fetchone()
            if row is None:
                return
            if row["kind"] == "refresh":
                self._revoke_family(conn, row["family"])
            else:
                conn.execute("DELETE FROM tokens WHERE token_hash = ?", (_digest(token),))

    def family_of(self, token: str) -> str | None:
        """The family of a token still stored (valid, rotated or expired), None if unknown."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT family FROM tokens WHERE token_hash = ?", (_digest(token),)
            ).fetchone()
        return str(row["family"]) if row and row["family"] else None

    def revoke_family(self, family: str) -> int:
        """Ends a session: its refresh token and every access token issued in it."""
        with self._db.write() as conn:
            return self._revoke_family(conn, family)

    def revoke_all(self, account_id: str) -> None:
        with self._db.write() as conn:
            conn.execute("DELETE FROM tokens WHERE account_id = ?", (account_id,))

    def _issue(self, conn: sqlite3.Connection, account_id: str, family: str) -> IssuedTokens:
        access = "at_" + secrets.token_urlsafe(32)
        refresh = "rt_" + secrets.token_urlsafe(32)
        now = time.time()
        conn.executemany(
            "INSERT INTO tokens (token_hash, account_id, kind, expires_at, family) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (_digest(access), account_id, "access", now + self._access_lifetime, family),
                (_digest(refresh), account_id, "refresh", now + self._refresh_lifetime, family),
            ],
        )
        return IssuedTokens(access, refresh, self._access_lifetime, family)

    @staticmethod
    def _revoke_family(conn: sqlite3.Connection, family: str) -> int:
        return conn.execute("DELETE FROM tokens WHERE family = ?", (family,)).rowcount


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
