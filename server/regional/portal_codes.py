"""One-time portal codes: the desktop app opens the portal in the browser without asking for the
password again ("Mon portail → MesPatients sans code d'accès à ressaisir")."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

from server.accounts import Account

if TYPE_CHECKING:
    from server.context import Sandbox

CODE_LIFETIME = 120  # seconds: the browser opens at once
SESSION_LIFETIME = 8 * 3600


class PortalCodes:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def issue(self, account: Account, path: str) -> str:
        code = secrets.token_urlsafe(24)
        with self._sandbox.db.write() as conn:
            conn.execute("DELETE FROM regional_portal_codes WHERE expires_at < ?", (time.time(),))
            conn.execute(
                "INSERT INTO regional_portal_codes (code, account_id, path, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (code, account.id, path, time.time() + CODE_LIFETIME),
            )
        return code

    def redeem(self, code: str) -> str | None:
        """A browser session token for a valid, unused code (which is then used up)."""
        if not code or len(code) > 100:
            return None
        with self._sandbox.db.write() as conn:
            row = conn.execute(
                "UPDATE regional_portal_codes SET used = 1 "
                "WHERE code = ? AND used = 0 AND expires_at >= ? RETURNING account_id",
                (code, time.time()),
            ).fetchone()
            if row is None:
                return None
            token = secrets.token_urlsafe(32)
            conn.execute(
                "DELETE FROM regional_portal_sessions WHERE expires_at < ?", (time.time(),)
            )
            conn.execute(
                "INSERT INTO regional_portal_sessions (token, account_id, expires_at) "
                "VALUES (?, ?, ?)",
                (token, row[0], time.time() + SESSION_LIFETIME),
            )
        return token

    def session_account(self, token: str) -> Account | None:
        if not token or len(token) > 100:
            return None
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT account_id FROM regional_portal_sessions "
                "WHERE token = ? AND expires_at >= ?",
                (token, time.time()),
            ).fetchone()
        return self._sandbox.accounts.by_id(row[0]) if row else None
