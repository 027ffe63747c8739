"""Read receipts (RFC 8098 MDNs) the client builds and reads itself, where the server has no JMAP
MDN (RFC 9007): a `multipart/report; report-type=disposition-notification` with a readable text
and a `message/disposition-notification` part (Final-Recipient, Original-Message-ID,
Disposition). Sent only by a user's action, hence always `manual-action/MDN-sent-manually`."""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage, Message

from app.message.mss import shown_subject
from app.store.records import Address

REPORT_TYPE = "disposition-notification"
# The JMAP property of the request (RFC 8098 §2.1), in Email/set create and Email/get.
REQUEST_PROPERTY = "header:Disposition-Notification-To:asAddresses"
DISPLAYED = {
    "actionMode": "manual-action",
    "sendingMode": "mdn-sent-manually",
    "type": "displayed",
}
REPORTING_UA = "MonSisra bureau"


@dataclass(frozen=True)
class Receipt:
    """What a received MDN says."""

    final_recipient: str
    original_message_id: str | None  # without angle brackets
    disposition: str  # displayed, deleted…
    date: datetime


def subject_for(original_subject: str) -> str:
    """The original's subject as a reader sees it: without the `XDM/1.0/DDM+` prefix, which
    would make the receipt look like a message carrying a document."""
    shown = shown_subject(original_subject)
    return f"Accusé de lecture : {shown}" if shown else "Accusé de lecture"


def text_for(original_subject: str, reader: str) -> str:
    """The readable part: what any mail client shows of the receipt."""
    return (
        f"Le message « {shown_subject(original_subject)} » a été affiché par {reader}. "
        "Cela ne garantit pas qu'il a été lu ni compris.\r\n"
    )


def is_report_type(content_type: str) -> bool:
    """`multipart/report; report-type=disposition-notification` (the raw Content-Type)."""
    message = Message()
    message["Content-Type"] = content_type
    return (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type") or "").lower() == REPORT_TYPE
    )


def build_mdn(
    reader: Address,
    to: list[Address],
    original_message_id: str,
    original_subject: str,
    message_id: str,
    now: datetime | None = None,
    boundary: str | None = None,
) -> bytes:
    """The MDN of `reader` for the message `original_message_id` (bare), to who asked for it.
    `boundary` fixed (with `now`) gives the same bytes: the golden messages' tests."""
    mdn = EmailMessage(policy=email.policy.SMTP)
    mdn["From"] = email.utils.formataddr((reader.name or "", reader.email))
    mdn["To"] = ", ".join(email.utils.formataddr((a.name or "", a.email)) for a in to)
    mdn["Subject"] = subject_for(original_subject)
    mdn["Date"] = email.utils.format_datetime(now or datetime.now(UTC))
    mdn["Message-ID"] = message_id
    mdn["In-Reply-To"] = f"<{original_message_id}>"
    mdn["References"] = f"<{original_message_id}>"
    mdn["MIME-Version"] = "1.0"
    mdn.set_content(text_for(original_subject, reader.name or reader.email), cte="quoted-printable")
    mdn.make_mixed()
    mdn.set_type("multipart/report")
    mdn.set_param("report-type", REPORT_TYPE)
    fields = EmailMessage(policy=email.policy.SMTP)
    fields["Content-Type"] = "message/disposition-notification"
    fields.set_payload(
        f"Reporting-UA: {REPORTING_UA}\r\n"
        f"Final-Recipient: rfc822;{reader.email}\r\n"
        f"Original-Message-ID: <{original_message_id}>\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
    )
    mdn.attach(fields)
    if boundary is not None:
        mdn.set_boundary(boundary)
    return mdn.as_bytes()


def parse_mdn(raw: bytes) -> Receipt | None:
    """The receipt in an MDN message; None when it is not one (or is malformed)."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        return None
    part = next(
        (p for p in message.walk() if p.get_content_type() == f"message/{REPORT_TYPE}"), None
    )
    if part is None:
        return None
    payload = part.get_payload()
    if isinstance(payload, list):  # the parser made the fields a sub-message
        fields = {
            k.lower(): str(v) for p in payload if isinstance(p, Message) for k, v in p.items()
        }
    else:
        text = part.get_payload(decode=True)
        block = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(payload)
        parsed = email.message_from_string(block, policy=email.policy.compat32)
        fields = {k.lower(): str(v) for k, v in parsed.items()}
    recipient = fields.get("final-recipient", "").partition(";")[2].strip()
    kind = fields.get("disposition", "").partition(";")[2].strip().lower()
    if not recipient or not kind:
        return None
    original = fields.get("original-message-id", "").strip().strip("<>").strip() or None
    date = email.utils.parsedate_to_datetime(message["Date"]) if message["Date"] else None
    return Receipt(recipient, original, kind.split("/")[0], date or datetime.now(UTC))
