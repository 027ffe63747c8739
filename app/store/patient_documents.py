"""The documents of the cached messages about one patient: the sync reads each message's patient
from its IHE_XDM.ZIP (app/sync/patients.py), so the messages about a patient are those with the
patient's INS, and their attachments (the package itself aside) are the documents received about
the patient. Mes patients lists them beside the record's filed documents, offline too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from app.message.patient import XDM_FILE_NAME
from app.store.db import Connection
from app.store.records import Address, addresses_from_json, from_ms

MAX_DOCUMENTS = 200


@dataclass(frozen=True)
class ReceivedDocument:
    blob_id: str
    name: str | None
    type: str
    size: int
    doc_type: str | None  # the part's Content-Description: the document type's label
    email_id: str
    thread_id: str
    subject: str
    sender: Address | None
    received_at: datetime
    cached: bool  # its content is in the encrypted cache: it opens offline


def about_patient(conn: Connection, ins: str, limit: int = MAX_DOCUMENTS) -> list[ReceivedDocument]:
    """Newest message first; a document sent again in several messages once (its newest)."""
    rows = conn.execute(
        "SELECT a.blob_id, a.name, a.type, a.size, a.doc_type, e.id, e.thread_id, e.subject, "
        "e.from_json, e.received_at, c.blob_id IS NOT NULL FROM emails e "
        "JOIN attachments a ON a.email_rowid = e.rowid "
        "LEFT JOIN content_blobs c ON c.blob_id = a.blob_id "
        "WHERE e.patient_ins = ? AND upper(coalesce(a.name, '')) != ? "
        "AND NOT (a.disposition = 'inline' AND a.cid IS NOT NULL) "
        "AND e.keywords NOT LIKE '%\"$draft\"%' "
        "ORDER BY e.received_at DESC, a.position LIMIT ?",
        (ins.upper(), XDM_FILE_NAME.upper(), limit * 4),
    ).fetchall()
    found: dict[str, ReceivedDocument] = {}
    for r in rows:
        if r[0] in found:
            continue
        senders = addresses_from_json(json.loads(r[8]))
        found[r[0]] = ReceivedDocument(
            blob_id=r[0],
            name=r[1],
            type=r[2],
            size=max(int(r[3]), 0),
            doc_type=r[4],
            email_id=r[5],
            thread_id=r[6],
            subject=r[7],
            sender=senders[0] if senders else None,
            received_at=from_ms(r[9]),
            cached=bool(r[10]),
        )
        if len(found) >= limit:
            break
    return list(found.values())
