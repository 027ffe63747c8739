"""Read receipts in the cache (issue 14 §2): the requests of received emails and the receipts
received for sent ones, joined to the emails the reader shows."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence

from app.message.receipt import Receipt
from app.store.db import Connection
from app.store.records import (
    EmailRecord,
    ReadBy,
    addresses_from_json,
    addresses_to_json,
    from_ms,
    to_ms,
)


def note_requests(conn: Connection, records: Iterable[EmailRecord]) -> None:
    """Remembers who asked for a receipt, for the emails just stored."""
    conn.executemany(
        "INSERT OR REPLACE INTO receipt_requests (email_id, asked_by) VALUES (?, ?)",
        [(r.id, json.dumps(addresses_to_json(r.receipt_to))) for r in records if r.receipt_to],
    )


def record_receipts(conn: Connection, receipts: Iterable[Receipt]) -> list[str]:
    """Stores received receipts; returns the Message-IDs they answer."""
    rows = [
        (r.original_message_id, r.final_recipient.lower(), r.disposition, to_ms(r.date))
        for r in receipts
        if r.original_message_id
    ]
    conn.executemany(
        "INSERT OR REPLACE INTO read_receipts (message_id, recipient, disposition, at) "
        "VALUES (?, ?, ?, ?)",
        rows,
    )
    return [r[0] for r in rows if r[0] is not None]


def with_receipts(conn: Connection, records: Sequence[EmailRecord]) -> list[EmailRecord]:
    """The records with who asked for a receipt and who sent one."""
    ids = json.dumps([r.id for r in records])
    asked = {
        row[0]: addresses_from_json(json.loads(row[1]))
        for row in conn.execute(
            "SELECT email_id, asked_by FROM receipt_requests "
            "WHERE email_id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    message_ids = json.dumps([m for r in records for m in r.message_id])
    read: dict[str, list[ReadBy]] = {}
    for row in conn.execute(
        "SELECT message_id, recipient, disposition, at FROM read_receipts "
        "WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY at",
        (message_ids,),
    ):
        read.setdefault(row[0], []).append(ReadBy(row[1], from_ms(row[3]), row[2]))
    return [
        dataclasses.replace(
            r,
            receipt_to=asked.get(r.id, r.receipt_to),
            read_by=[b for m in r.message_id for b in read.get(m, [])],
        )
        if r.id in asked or any(m in read for m in r.message_id)
        else r
        for r in records
    ]


def thread_of(conn: Connection, message_ids: Sequence[str]) -> tuple[set[str], set[str]]:
    """(email ids, thread ids) of the cached messages with these Message-IDs."""
    rows = conn.execute(
        "SELECT e.id, e.thread_id FROM emails e, json_each(e.message_id) m "
        "WHERE m.value IN (SELECT value FROM json_each(?))",
        (json.dumps(list(message_ids)),),
    ).fetchall()
    return {r[0] for r in rows}, {r[1] for r in rows}
