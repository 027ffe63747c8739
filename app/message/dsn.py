"""Delivery-status reports (RFC 3464 DSNs) the client reads itself: a
`multipart/report; report-type=delivery-status` with a `message/delivery-status` part (one block
for the message, then one per recipient: Final-Recipient, Action, Status, Diagnostic-Code) and the
returned headers (`text/rfc822-headers`) or message (`message/rfc822`) naming the original
Message-ID. JMAP has no method to parse them, so the client downloads and reads them (issue 14 §2).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

from app import messages

REPORT_TYPE = "delivery-status"
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_ADDRESS = re.compile(r"<?([^<>\s]+@[^<>\s]+)>?")


@dataclass(frozen=True)
class RecipientReport:
    """What a DSN says of one recipient."""

    recipient: str  # lower case
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str | None  # the RFC 3463 code, e.g. 5.1.1


@dataclass(frozen=True)
class DeliveryReport:
    original_message_id: str | None  # without angle brackets
    date: datetime
    recipients: list[RecipientReport]


def is_report_type(content_type: str) -> bool:
    """`multipart/report; report-type=delivery-status` (the raw Content-Type)."""
    message = Message()
    message["Content-Type"] = content_type
    return (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type") or "").lower() == REPORT_TYPE
    )


def status_code(text: str | None) -> str | None:
    """The RFC 3463 code in a Status field or an SMTP reply (`550 5.1.1 …`), else its basic code
    (`550`), else None."""
    if not text:
        return None
    found = _STATUS.search(text)
    if found:
        return ".".join(found.groups())
    basic = re.match(r"\s*([245]\d\d)\b", text)
    return basic.group(1) if basic else None


def reason_of(code: str | None) -> messages.Message | None:
    """Why a recipient did not get the message (or not yet, for a 4.x.x), in the user's words."""
    if not code:
        return None
    if code.startswith("4"):
        return messages.DELIVERY_DELAYED
    known = {
        "5.1.1": messages.DELIVERY_UNKNOWN_ADDRESS,
        "5.1.2": messages.DELIVERY_UNKNOWN_DOMAIN,
        "5.2.2": messages.DELIVERY_MAILBOX_FULL,
        "5.3.4": messages.DELIVERY_TOO_LARGE,
    }
    if code in known:
        return known[code]
    if code.startswith("5.7."):
        return messages.DELIVERY_REFUSED
    return messages.DELIVERY_OTHER.fill(code=code)


def parse_dsn(raw: bytes) -> DeliveryReport | None:
    """The report in a DSN message; None when it is not one (or cannot be read)."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        return None
    part = next(
        (p for p in message.walk() if p.get_content_type() == f"message/{REPORT_TYPE}"), None
    )
    if part is None:
        return None
    recipients = [r for block in _blocks(part)[1:] if (r := _recipient(block)) is not None]
    if not recipients:
        return None
    try:
        date = email.utils.parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        date = None
    return DeliveryReport(_original_id(message), date or datetime.now(UTC), recipients)


def _blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a message/delivery-status part (the parser usually splits them)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [
            {k.lower(): str(v) for k, v in p.items()} for p in payload if isinstance(p, Message)
        ]
    data = part.get_payload(decode=True)
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(payload)
    blocks = re.split(r"\r?\n\s*\r?\n", text.strip())
    return [
        {k.lower(): str(v) for k, v in email.message_from_string(b + "\n").items()} for b in blocks
    ]


def _recipient(fields: dict[str, str]) -> RecipientReport | None:
    address = fields.get("original-recipient") or fields.get("final-recipient") or ""
    kind, _, value = address.partition(";")
    found = _ADDRESS.fullmatch(value.strip()) if kind.strip().lower() == "rfc822" else None
    action = fields.get("action", "").strip().lower().split(" ")[0]
    if found is None or not action:
        return None
    status = status_code(fields.get("status")) or status_code(fields.get("diagnostic-code"))
    return RecipientReport(found.group(1).lower(), action, status)


def _original_id(message: Message) -> str | None:
    """The Message-ID of the message reported on: from the returned headers or message, else
    from the report's own In-Reply-To / References."""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/rfc822-headers":
            data = part.get_payload(decode=True)
            text = data.decode("utf-8", "replace") if isinstance(data, bytes) else ""
            found = email.message_from_string(text).get("Message-ID")
        elif kind == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            found = first.get("Message-ID") if isinstance(first, Message) else None
        else:
            continue
        if found and str(found).strip().strip("<>").strip():
            return str(found).strip().strip("<>").strip()
    for header in ("In-Reply-To", "References"):
        ids: list[str] = re.findall(r"<([^<>\s]+)>", str(message.get(header) or ""))
        if ids:
            return ids[-1] if header == "References" else ids[0]
    return None
