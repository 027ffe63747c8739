"""Favorites kept on the server, so that they follow the user from one computer to another
(issue 13 §5). Each computer keeps its own copy and sends what changed on it since its last
sync; the server merges and answers with the whole list.

The merge is per address, the latest change wins: each entry carries the moment the user added
or removed it (`changedAt`, the computer's clock), and a removal stays as a trace (`removed`)
so that a computer which still has the favorite learns it is gone. An entry removed on one
computer and never touched on another thus stays removed; added on one and removed on the other
while both were offline, the later of the two gestures wins. A time ahead of the server's clock
is taken as the server's now: a computer whose clock runs fast cannot make its changes win for
ever. The card shown (`display`) is the client's, kept as it is: the server never reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from typing import TYPE_CHECKING

from server.accounts import Account
from server.regional.common import PARIS
from server.regional.errors import bad_request
from server.regional.models import FavoriteEntry

if TYPE_CHECKING:
    from server.context import Sandbox

MAX_ENTRIES = 2000  # favorites and traces of removed ones, per account
MAX_DISPLAY_BYTES = 4096


def _key(address: str) -> str:
    return address.strip().casefold()


def _ms(moment: dt.datetime) -> int:
    if moment.tzinfo is None:  # a time without its offset is read as UTC, as JSON dates are
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


class Favorites:
    def __init__(self, sandbox: Sandbox) -> None:
        self._db = sandbox.db

    def mine(self, caller: Account) -> list[FavoriteEntry]:
        with self._db.read() as conn:
            return _entries(conn, caller.id)

    def merge(self, caller: Account, changes: list[FavoriteEntry]) -> list[FavoriteEntry]:
        """Applies a computer's changes (each only if later than what the server has), then
        answers with the whole list, traces of removed favorites included."""
        now_ms = int(time.time() * 1000)
        rows = [_row(change, now_ms) for change in changes]
        with self._db.write() as conn:
            for address, display, changed_at, removed in rows:
                conn.execute(
                    "INSERT INTO regional_favorites (account_id, address, display, changed_at, "
                    "removed) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, address) DO UPDATE "
                    "SET display = excluded.display, changed_at = excluded.changed_at, "
                    "removed = excluded.removed WHERE excluded.changed_at > changed_at",
                    (caller.id, address, display, changed_at, removed),
                )
            _keep_within_limit(conn, caller.id)
            return _entries(conn, caller.id)


def _row(change: FavoriteEntry, now_ms: int) -> tuple[str, str, int, int]:
    address = _key(change.address)
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or any(c.isspace() for c in address):
        raise bad_request(f"« {change.address} » n'est pas une adresse MSSanté.", "invalid_address")
    display = json.dumps({} if change.removed else change.display, ensure_ascii=False)
    if len(display.encode()) > MAX_DISPLAY_BYTES:
        raise bad_request(
            f"La fiche du favori {address} dépasse {MAX_DISPLAY_BYTES} octets.", "display_too_big"
        )
    return address, display, min(_ms(change.changed_at), now_ms), int(change.removed)


def _keep_within_limit(conn: sqlite3.Connection, account_id: str) -> None:
    """The oldest traces of removed favorites go first; favorites themselves are never dropped:
    too many of them is refused (the whole change, in this transaction)."""
    count = conn.execute(
        "SELECT count(*) FROM regional_favorites WHERE account_id = ?", (account_id,)
    ).fetchone()[0]
    if count <= MAX_ENTRIES:
        return
    conn.execute(
        "DELETE FROM regional_favorites WHERE rowid IN (SELECT rowid FROM regional_favorites "
        "WHERE account_id = ? AND removed = 1 ORDER BY changed_at LIMIT ?)",
        (account_id, count - MAX_ENTRIES),
    )
    if (
        conn.execute(
            "SELECT count(*) FROM regional_favorites WHERE account_id = ?", (account_id,)
        ).fetchone()[0]
        > MAX_ENTRIES
    ):
        raise bad_request(
            f"Vous ne pouvez pas garder plus de {MAX_ENTRIES} favoris : retirez-en d'abord.",
            "too_many_favorites",
        )


def _entries(conn: sqlite3.Connection, account_id: str) -> list[FavoriteEntry]:
    rows = conn.execute(
        "SELECT address, display, changed_at, removed FROM regional_favorites "
        "WHERE account_id = ? ORDER BY changed_at, address",
        (account_id,),
    ).fetchall()
    return [
        FavoriteEntry(
            address=r["address"],
            display=json.loads(r["display"]),
            changed_at=dt.datetime.fromtimestamp(r["changed_at"] / 1000, PARIS),
            removed=bool(r["removed"]),
        )
        for r in rows
    ]
