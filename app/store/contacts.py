"""Correspondents the user keeps at hand: favorites, recents, and directory entries used lately.

The recents are counted from the Sent mailbox in the cache (its messages' To and Cc), so they are
there from the first sync, with what was written from the web service or another computer; the
`recents` table adds the messages sent from here that the Sent mailbox does not hold yet (a count
is the larger of the two, never their sum: a message sent from here lands in Sent too).

The favorites follow the user from one computer to another through the server (issue 13 §5):
they live in the unsent file with the changes not yet sent, see `merge_favorites`.

Addresses are MSSanté addresses, compared without case. Display data is opaque JSON owned by the
caller (the directory client's correspondent), so this module never needs to change with it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from app.regional.records import FavoriteChange
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
# In the unsent file (they may hold changes the server has not had yet), merged with the server's
# list by app/regional/favorites.py: per address the latest change wins, and a removal stays
# here as a trace (`removed`) until the server has it.


def add_favorite(
    conn: Connection, address: str, display: dict[str, Any], now_ms: int | None = None
) -> None:
    """Adds or updates a favorite (its display data is refreshed, its date kept), to be sent.
    A change is always later than the one before it here, whatever the clock did meanwhile."""
    now = _now_ms() if now_ms is None else now_ms
    conn.execute(
        "INSERT INTO unsent.favorites (address, display, added_at, changed_at, removed, dirty) "
        "VALUES (?, ?, ?, ?, 0, 1) ON CONFLICT (address) DO UPDATE SET "
        "display = excluded.display, added_at = iif(removed, excluded.added_at, added_at), "
        "changed_at = max(excluded.changed_at, changed_at + 1), removed = 0, dirty = 1",
        (_key(address), _dump(display), now, now),
    )


def remove_favorite(conn: Connection, address: str, now_ms: int | None = None) -> bool:
    """Removes a favorite; the trace left is what tells the other computers."""
    now = _now_ms() if now_ms is None else now_ms
    cursor = conn.execute(
        "UPDATE unsent.favorites SET removed = 1, display = '{}', dirty = 1, "
        "changed_at = max(?, changed_at + 1) WHERE address = ? AND NOT removed",
        (now, _key(address)),
    )
    return bool(cursor.rowcount)


def is_favorite(conn: Connection, address: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM unsent.favorites WHERE address = ? AND NOT removed", (_key(address),)
    ).fetchone()
    return row is not None


def list_favorites(conn: Connection) -> list[Favorite]:
    rows = conn.execute(
        "SELECT address, display, added_at FROM unsent.favorites WHERE NOT removed "
        "ORDER BY added_at, address"
    )
    return [Favorite(r[0], json.loads(r[1]), r[2]) for r in rows]


def favorite_changes(conn: Connection) -> list[FavoriteChange]:
    """What changed here since the server was last told: additions, updates and removals."""
    rows = conn.execute(
        "SELECT address, display, changed_at, removed FROM unsent.favorites WHERE dirty "
        "ORDER BY changed_at, address"
    )
    return [FavoriteChange(r[0], json.loads(r[1]), r[2], bool(r[3])) for r in rows]


def merge_favorites(conn: Connection, server: list[FavoriteChange], sent: dict[str, int]) -> bool:
    """Takes the server's merged list (answer to `sent`: address → the `changed_at` sent); True
    when the favorites shown here changed.

    The server's entry replaces ours unless ours changed after it was sent (then it is sent at
    the next sync); a trace the server has is no longer needed here. A favorite of ours the
    server does not know (its data was reset) is sent again at the next sync.
    """
    shown_before = list_favorites(conn)
    known: set[str] = set()
    for entry in server:
        address = _key(entry.address)
        known.add(address)
        row = conn.execute(
            "SELECT changed_at, removed, dirty FROM unsent.favorites WHERE address = ?",
            (address,),
        ).fetchone()
        if row is not None and row[2] and sent.get(address) != row[0]:
            continue  # changed here while the server was answering
        if entry.removed:
            conn.execute("DELETE FROM unsent.favorites WHERE address = ?", (address,))
        elif row is None:
            conn.execute(
                "INSERT INTO unsent.favorites (address, display, added_at, changed_at, removed, "
                "dirty) VALUES (?, ?, ?, ?, 0, 0)",
                (address, _dump(entry.display), entry.changed_at, entry.changed_at),
            )
        else:
            conn.execute(
                "UPDATE unsent.favorites SET display = ?, changed_at = ?, dirty = 0, "
                "added_at = iif(removed, ?, added_at), removed = 0 WHERE address = ?",
                (_dump(entry.display), entry.changed_at, entry.changed_at, address),
            )
    for address, removed in conn.execute(
        "SELECT address, removed FROM unsent.favorites WHERE NOT dirty"
    ).fetchall():
        if address in known:
            continue
        if removed:
            conn.execute("DELETE FROM unsent.favorites WHERE address = ?", (address,))
        else:
            conn.execute("UPDATE unsent.favorites SET dirty = 1 WHERE address = ?", (address,))
    return list_favorites(conn) != shown_before


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
