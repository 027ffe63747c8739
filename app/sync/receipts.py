"""Received read receipts (issue 14 §2): an MDN is not listed as a message, it updates the status
of the message it answers. The server reads it where it offers JMAP MDN (RFC 9007 MDN/parse);
elsewhere the client downloads and reads it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from app.message.receipt import Receipt, parse_mdn
from app.remote.jmap import MDN, JmapClient
from app.store.records import EmailRecord

log = logging.getLogger(__name__)

MAX_MDN_BYTES = 256 * 1024  # a receipt is a few lines; anything bigger is not read


async def read_receipts(jmap: JmapClient, records: Sequence[EmailRecord]) -> list[Receipt]:
    """What the MDN emails `records` say (the unreadable ones are skipped)."""
    with_blob = [r for r in records if r.blob_id]
    if not with_blob:
        return []
    session = await jmap.session()
    out: list[Receipt] = []
    if MDN in session.capabilities:
        out, with_blob = await _parsed_by_server(jmap, with_blob)
    for record in with_blob:
        assert record.blob_id is not None
        raw = await jmap.download_bytes(record.blob_id, "mdn.eml", "message/rfc822", MAX_MDN_BYTES)
        receipt = parse_mdn(raw)
        if receipt is None:
            log.info("an unreadable read receipt was skipped")
        else:
            out.append(receipt)
    return out


async def _parsed_by_server(
    jmap: JmapClient, records: Sequence[EmailRecord]
) -> tuple[list[Receipt], list[EmailRecord]]:
    """What the server read, and the records it did not: Cyrus 3.6 advertises MDN/parse but
    answers nothing for any blob (tests/interop/test_cyrus_receipts.py)."""
    blobs = {r.blob_id: r for r in records if r.blob_id}
    answer = await jmap.call_one("MDN/parse", {"blobIds": list(blobs)})
    parsed = answer.get("parsed") or {}
    out: list[Receipt] = []
    for blob_id, mdn in parsed.items() if isinstance(parsed, dict) else ():
        record = blobs.get(blob_id)
        if record is None or not isinstance(mdn, dict):
            continue
        recipient = str(mdn.get("finalRecipient") or "").partition(";")[2].strip()
        disposition = mdn.get("disposition")
        kind = disposition.get("type") if isinstance(disposition, dict) else None
        original = mdn.get("originalMessageId")
        if not recipient or not isinstance(kind, str):
            continue
        out.append(
            Receipt(
                recipient,
                original.strip("<>") if isinstance(original, str) else None,
                kind.lower(),
                record.sent_at or record.received_at or datetime.now(UTC),
            )
        )
    read = set(parsed) if isinstance(parsed, dict) else set()
    return out, [r for r in records if r.blob_id not in read]
