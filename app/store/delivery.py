"""Per-recipient delivery status of the messages I sent (issue 14 §2), joined to the emails the
reader shows like the read receipts: envoyé → remis → lu, or non distribué. A state never goes
back (a late « remis » never hides a failure, nothing hides a read receipt)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence

from app.store.db import Connection
from app.store.receipts import with_receipts
from app.store.records import (
    EmailRecord,
    RecipientStatus,
    addresses_from_json,
    from_ms,
    to_ms,
)

# lu > non distribué > remis > envoyé: a failure wins over sent and delivered, not over read.
RANK = {"sent": 0, "delivered": 1, "failed": 2, "read": 3}


def _wins(new: RecipientStatus, old: tuple[str, str | None] | None) -> bool:
    if old is None:
        return True
    old_rank, new_rank = RANK.get(old[0], 0), RANK.get(new.state, 0)
    # Same state with a reason where there was none: a delay noted on « envoyé ».
    return new_rank > old_rank or (new_rank == old_rank and old[1] is None and bool(new.code))


def record_statuses(conn: Connection, message_id: str, statuses: Iterable[RecipientStatus]) -> bool:
    """Stores what is newer than the cache knew for `message_id` (bare); True if anything was."""
    changed = False
    for status in statuses:
        recipient = status.recipient.lower()
        old = conn.execute(
            "SELECT state, code FROM delivery_status WHERE message_id = ? AND recipient = ?",
            (message_id, recipient),
        ).fetchone()
        if not _wins(status, (old[0], old[1]) if old else None):
            continue
        conn.execute(
            "INSERT OR REPLACE INTO delivery_status (message_id, recipient, state, code, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (message_id, recipient, status.state, status.code, to_ms(status.at)),
        )
        changed = True
    return changed


def with_delivery(conn: Connection, records: Sequence[EmailRecord]) -> list[EmailRecord]:
    """The records with their per-recipient status; a read receipt counts as « lu »."""
    message_ids = json.dumps([m for r in records for m in r.message_id])
    stored: dict[str, list[RecipientStatus]] = {}
    for row in conn.execute(
        "SELECT message_id, recipient, state, code, at FROM delivery_status "
        "WHERE message_id IN (SELECT value FROM json_each(?))",
        (message_ids,),
    ):
        stored.setdefault(row[0], []).append(
            RecipientStatus(row[1], row[2], from_ms(row[4]), row[3])
        )
    out = []
    for record in records:
        statuses = [s for m in record.message_id for s in stored.get(m, [])]
        reads = [
            RecipientStatus(b.recipient.lower(), "read", b.at)
            for b in record.read_by
            if b.disposition == "displayed"
        ]
        if not statuses and not reads:
            out.append(record)
            continue
        by_recipient: dict[str, RecipientStatus] = {}
        for status in [*statuses, *reads]:
            old = by_recipient.get(status.recipient)
            if _wins(status, (old.state, old.code) if old else None):
                by_recipient[status.recipient] = status
        order = [a.email.lower() for a in [*record.to, *record.cc, *record.bcc]]
        ranked = sorted(
            by_recipient.values(),
            key=lambda s: order.index(s.recipient) if s.recipient in order else len(order),
        )
        out.append(dataclasses.replace(record, delivery=ranked))
    return out


def email_id_of(conn: Connection, message_id: str) -> str | None:
    """The cached email with this Message-ID (bare), the newest if several copies."""
    row = conn.execute(
        "SELECT e.id FROM emails e, json_each(e.message_id) m WHERE m.value = ? "
        "ORDER BY e.received_at DESC LIMIT 1",
        (message_id,),
    ).fetchone()
    return str(row[0]) if row else None


def of_emails(conn: Connection, email_ids: Sequence[str]) -> dict[str, list[RecipientStatus]]:
    """The per-recipient status of these emails (those that have one): for the Envoyés list,
    read without bodies nor attachments."""
    light = [
        EmailRecord(
            id=row[0],
            thread_id=row[1],
            mailbox_ids=frozenset(),
            received_at=from_ms(row[2]),
            message_id=json.loads(row[3]),
            to=addresses_from_json(json.loads(row[4])),
            cc=addresses_from_json(json.loads(row[5])),
            bcc=addresses_from_json(json.loads(row[6])),
        )
        for row in conn.execute(
            "SELECT id, thread_id, received_at, message_id, to_json, cc_json, bcc_json "
            "FROM emails WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(email_ids)),),
        )
    ]
    return {r.id: r.delivery for r in with_delivery(conn, with_receipts(conn, light)) if r.delivery}
