"""Received delivery-status reports (issue 14 §2, RFC 3464): a DSN is not listed as a message, it
updates the per-recipient status of the message it answers. JMAP has no method to parse one, so
the client downloads and reads it (as it does MDNs where the server has no MDN/parse)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.message.dsn import DeliveryReport, parse_dsn
from app.remote.blobs import BlobNotFound, BlobTooLarge
from app.remote.jmap import JmapClient
from app.store.records import EmailRecord, RecipientStatus

log = logging.getLogger(__name__)

MAX_DSN_BYTES = 256 * 1024  # a report and the returned headers; anything bigger is not read


async def read_reports(
    jmap: JmapClient, records: Sequence[EmailRecord]
) -> list[tuple[str, list[RecipientStatus]]]:
    """(the Message-ID answered, its recipients' new status) of each readable DSN in `records`;
    the unreadable ones are skipped (and stay hidden)."""
    out: list[tuple[str, list[RecipientStatus]]] = []
    for record in records:
        if record.blob_id is None:
            continue
        try:
            raw = await jmap.download_bytes(
                record.blob_id, "dsn.eml", "message/rfc822", MAX_DSN_BYTES
            )
        except (BlobTooLarge, BlobNotFound):
            log.info("a delivery report that cannot be downloaded was skipped")
            continue
        report = parse_dsn(raw)
        if report is None or report.original_message_id is None:
            log.info("an unreadable delivery report was skipped")
            continue
        out.append((report.original_message_id, statuses_of(report)))
    return out


def statuses_of(report: DeliveryReport) -> list[RecipientStatus]:
    """failed → non distribué; delivered, relayed, expanded → remis; delayed → still envoyé,
    with the delay's code as its note."""
    out = []
    for r in report.recipients:
        if r.action == "failed":
            out.append(RecipientStatus(r.recipient, "failed", report.date, r.status or "5.0.0"))
        elif r.action in ("delivered", "relayed", "expanded"):
            out.append(RecipientStatus(r.recipient, "delivered", report.date))
        elif r.action == "delayed":
            out.append(RecipientStatus(r.recipient, "sent", report.date, r.status or "4.0.0"))
    return out
