"""The trust space's whitelist as last received (issue 14 §3): its domains, the ETag that makes
the next fetch conditional, and when the server last gave or confirmed it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.store.db import Connection


@dataclass(frozen=True)
class StoredWhitelist:
    domains: frozenset[str]
    etag: str | None
    fetched_at: float  # epoch seconds: received, or confirmed unchanged (304)


def load(conn: Connection) -> StoredWhitelist | None:
    row = conn.execute("SELECT domains, etag, fetched_at FROM trust_space WHERE id = 1").fetchone()
    if row is None:
        return None
    return StoredWhitelist(frozenset(json.loads(row[0])), row[1], float(row[2]))


def save(conn: Connection, stored: StoredWhitelist) -> None:
    conn.execute(
        "INSERT INTO trust_space (id, domains, etag, fetched_at) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET domains = excluded.domains, etag = excluded.etag, "
        "fetched_at = excluded.fetched_at",
        (json.dumps(sorted(stored.domains)), stored.etag, stored.fetched_at),
    )
