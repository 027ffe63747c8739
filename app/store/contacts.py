"""Correspondents the user keeps at hand: favorites, recents, and directory entries used lately.

The recents are counted from the Sent mailbox in the cache (its messages' To and Cc), so they are
there from the first sync, with what was written from the web service or another computer; the
`recents` table adds the messages sent from here that the Sent mailbox does not hold yet (a count
is the larger of the two, never their sum: a message sent from here lands in Sent too).

Addresses are MSSanté addresses, compared without case. Display data is opaque JSON owned by the
caller (the directory client's correspondent), so this module never needs to change with it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from app.store.db import Connection

RECENCY_HALF_DAYS = 14.0  # a use this many days ago counts half as much as one today


@dataclass(frozen=True)
class Favorite:
    address: str
    display: dict[str, Any]
    added_at: int  # epoch ms


@dataclass(frozen=True)
class Recent:
    address: str
    name: str | None
    last_used: int  # epoch ms
    count: int


@dataclass(frozen=True)
class DirectoryEntry:
    key: str
    data: dict[str, Any]
    fetched_at: int  # epoch ms
    used_at: int


def _now_ms() -> int:
    return int(time.time() * 1000)


def _key(address: str) -> str:
    return address.strip().casefold()


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- favorites ---------------------------------------------------------------------------------


def add_favorite(
    conn: Connection, address: str, display: dict[str, Any], now_ms: int | None = None
) -> None:
    """Adds or updates a favorite (its display data is refreshed, its date kept)."""
    conn.execute(
        "INSERT INTO favorites (address, display, added_at) VALUES (?, ?, ?) "
        "ON CONFLICT (address) DO UPDATE SET display = excluded.display",
        (_key(address), _dump(display), _now_ms() if now_ms is None else now_ms),
    )


def remove_favorite(conn: Connection, address: str) -> bool:
    return bool(conn.execute("DELETE FROM favorites WHERE address = ?", (_key(address),)).rowcount)


def is_favorite(conn: Connection, address: str) -> bool:
    row = conn.execute("SELECT 1 FROM favorites WHERE address = ?", (_key(address),)).fetchone()
    return row is not None


def list_favorites(conn: Connection) -> list[Favorite]:
    rows = conn.execute(
        "SELECT address, display, added_at FROM favorites ORDER BY added_at, address"
    )
    return [Favorite(r[0], json.loads(r[1]), r[2]) for r in rows]


# --- recents -----------------------------------------------------------------------------------


def note_used(
    conn: Connection, address: str, name: str | None = None, now_ms: int | None = None
) -> None:
    """Records that a message was sent to this address."""
    conn.execute(
        "INSERT INTO recents (address, name, last_used, count) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (address) DO UPDATE SET last_used = excluded.last_used, "
        "count = count + 1, name = coalesce(excluded.name, name)",
        (_key(address), name, _now_ms() if now_ms is None else now_ms),
    )


# To and Cc of each message of the Sent mailbox, grouped by address (JSON1 is in SQLCipher's build).
_SENT_TO = """
WITH sent AS (
    SELECT e.rowid AS id, e.received_at AS at, e.to_json AS to_json, e.cc_json AS cc_json
    FROM mailboxes b
    JOIN email_mailboxes m ON m.mailbox_id = b.id
    JOIN emails e ON e.rowid = m.email_rowid
    WHERE b.role = 'sent'
), people AS (
    SELECT sent.id, sent.at, json_each.value AS who FROM sent, json_each(sent.to_json)
    UNION ALL
    SELECT sent.id, sent.at, json_each.value FROM sent, json_each(sent.cc_json)
)
SELECT lower(trim(json_extract(who, '$.email'))) AS address, max(json_extract(who, '$.name')),
    max(at), count(DISTINCT id)
FROM people
WHERE json_type(who) = 'object' AND coalesce(json_extract(who, '$.email'), '') <> ''
GROUP BY address
"""


def _written_to(conn: Connection) -> dict[str, Recent]:
    """Everyone written to, by address: the Sent mailbox's counts, and the ones noted here."""
    people: dict[str, Recent] = {}
    for address, name, last_used, count in conn.execute(_SENT_TO):
        key = _key(str(address))
        people[key] = Recent(
            key, name if isinstance(name, str) and name else None, last_used, count
        )
    for address, name, last_used, count in conn.execute(
        "SELECT address, name, last_used, count FROM recents"
    ):
        sent = people.get(address)
        if sent is None:
            people[address] = Recent(address, name, last_used, count)
        else:
            people[address] = Recent(
                address,
                name or sent.name,
                max(last_used, sent.last_used),
                max(count, sent.count),
            )
    return people


def top_recents(conn: Connection, limit: int = 10, now_ms: int | None = None) -> list[Recent]:
    """The `limit` best recents by frequency × recency (the weight halves every 14 days)."""
    return _best(_written_to(conn), limit, now_ms)


def _best(people: dict[str, Recent], limit: int, now_ms: int | None) -> list[Recent]:
    now = _now_ms() if now_ms is None else now_ms
    # Scored here (SQLCipher's build has no math functions); one row per correspondent.
    rows = list(people.values())

    def score(recent: Recent) -> float:
        age_days = max(0, now - recent.last_used) / 86_400_000
        return float(recent.count * 0.5 ** (age_days / RECENCY_HALF_DAYS))

    rows.sort(key=lambda r: (-score(r), -r.last_used, r.address))
    return rows[:limit]


@dataclass(frozen=True)
class AtHand:
    """What the recipients' completion proposes before the directory answers: the favorites, the
    best recents, and how many messages were written to each address (lower-case) to rank them."""

    favorites: list[Favorite]
    recents: list[Recent]
    counts: dict[str, int]


def at_hand(conn: Connection, recents: int, now_ms: int | None = None) -> AtHand:
    """Favorites, the `recents` best recents and the counts, from one count of the Sent mailbox
    (tens of milliseconds with 10,000 sent messages: read it in a worker thread)."""
    people = _written_to(conn)
    return AtHand(
        favorites=list_favorites(conn),
        recents=_best(people, recents, now_ms),
        counts={address: recent.count for address, recent in people.items()},
    )


def forget_recent(conn: Connection, address: str) -> bool:
    return bool(conn.execute("DELETE FROM recents WHERE address = ?", (_key(address),)).rowcount)


# --- directory entries -------------------------------------------------------------------------


def put_directory_entry(
    conn: Connection,
    key: str,
    data: dict[str, Any],
    fetched_at_ms: int | None = None,
) -> None:
    """Keeps a directory result the user picked (key: a FHIR id or an address)."""
    now = _now_ms() if fetched_at_ms is None else fetched_at_ms
    conn.execute(
        "INSERT INTO directory_entries (key, data, fetched_at, used_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at, "
        "used_at = excluded.used_at",
        (key, _dump(data), now, now),
    )


def get_directory_entry(conn: Connection, key: str) -> DirectoryEntry | None:
    row = conn.execute(
        "SELECT key, data, fetched_at, used_at FROM directory_entries WHERE key = ?", (key,)
    ).fetchone()
    return DirectoryEntry(row[0], json.loads(row[1]), row[2], row[3]) if row else None


def recent_directory_entries(conn: Connection, limit: int = 50) -> list[DirectoryEntry]:
    rows = conn.execute(
        "SELECT key, data, fetched_at, used_at FROM directory_entries "
        "ORDER BY used_at DESC, key LIMIT ?",
        (limit,),
    )
    return [DirectoryEntry(r[0], json.loads(r[1]), r[2], r[3]) for r in rows]


def prune_directory_entries(conn: Connection, keep: int) -> int:
    """Keeps only the `keep` most recently used entries; returns how many were dropped."""
    cursor = conn.execute(
        "DELETE FROM directory_entries WHERE key NOT IN "
        "(SELECT key FROM directory_entries ORDER BY used_at DESC, key LIMIT ?)",
        (keep,),
    )
    return int(cursor.rowcount)
