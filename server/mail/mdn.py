"""Read receipts (RFC 8098 MDNs): built for MDN/send and read back for MDN/parse (RFC 9007).

An MDN is a `multipart/report; report-type=disposition-notification`: a human-readable text part
and a `message/disposition-notification` part of fields (Final-Recipient, Original-Message-ID,
Disposition...).
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid
from typing import Any

from server.mail import mime

Json = dict[str, Any]

ACTION_MODES = {"manual-action", "automatic-action"}
SENDING_MODES = {"mdn-sent-manually", "mdn-sent-automatically"}
TYPES = {"deleted", "dispatched", "displayed", "processed"}


@dataclass(frozen=True)
class Receipt:
    """What an MDN says (RFC 9007 §2's MDN object, the fields the sandbox handles)."""

    final_recipient: str
    original_message_id: str | None
    disposition: Json
    subject: str | None = None
    text_body: str | None = None
    reporting_ua: str | None = None
    original_recipient: str | None = None

    def fields(self) -> str:
        lines = []
        if self.reporting_ua:
            lines.append(f"Reporting-UA: {self.reporting_ua}")
        if self.original_recipient:
            lines.append(f"Original-Recipient: rfc822;{self.original_recipient}")
        lines.append(f"Final-Recipient: rfc822;{self.final_recipient}")
        if self.original_message_id:
            lines.append(f"Original-Message-ID: <{self.original_message_id}>")
        d = self.disposition
        lines.append(f"Disposition: {d['actionMode']}/{d['sendingMode']}; {d['type']}")
        return "\r\n".join(lines) + "\r\n"


def disposition_of(value: Any) -> Json | None:
    """The MDN object's disposition, checked (RFC 9007 §2); None when malformed."""
    if not isinstance(value, dict):
        return None
    action, sending, kind = (value.get(k) for k in ("actionMode", "sendingMode", "type"))
    if (
        not isinstance(action, str)
        or not isinstance(sending, str)
        or not isinstance(kind, str)
        or action.lower() not in ACTION_MODES
        or sending.lower() not in SENDING_MODES
        or kind.lower() not in TYPES
    ):
        return None
    return {"actionMode": action.lower(), "sendingMode": sending.lower(), "type": kind.lower()}


def build(receipt: Receipt, sender: str, to: list[str], domain: str) -> bytes:
    """The MDN message from `sender` to the addresses that asked for it."""
    report = MIMEMultipart("report", report_type="disposition-notification")
    report["From"] = sender
    report["To"] = ", ".join(to)
    report["Subject"] = receipt.subject or "Accusé de lecture"
    report["Date"] = format_datetime(datetime.now(UTC))  # RFC 5322, not RFC 3339
    report["Message-ID"] = make_msgid(domain=domain)
    if receipt.original_message_id:
        report["In-Reply-To"] = f"<{receipt.original_message_id}>"
        report["References"] = f"<{receipt.original_message_id}>"
    report.attach(MIMEText(receipt.text_body or "", "plain", "utf-8"))
    fields = Message()
    fields["Content-Type"] = "message/disposition-notification"
    fields.set_payload(receipt.fields())
    report.attach(fields)
    return report.as_bytes()


def parse(raw: bytes) -> Receipt | None:
    """The receipt an MDN message carries; None when it is not one."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        return None
    text: str | None = None
    fields: dict[str, str] | None = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain" and text is None:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                text = payload.decode(part.get_content_charset() or "utf-8", "replace")
        elif kind == "message/disposition-notification":
            fields = _fields(part)
    if fields is None or "final-recipient" not in fields or "disposition" not in fields:
        return None
    disposition = _disposition(fields["disposition"])
    if disposition is None:
        return None
    original = mime.as_message_ids(fields.get("original-message-id"))
    return Receipt(
        final_recipient=_address(fields["final-recipient"]),
        original_message_id=original[0] if original else None,
        disposition=disposition,
        subject=mime.as_text(message.get("subject")),
        text_body=text,
        reporting_ua=fields.get("reporting-ua"),
        original_recipient=_address(fields["original-recipient"])
        if "original-recipient" in fields
        else None,
    )


def _fields(part: Message) -> dict[str, str]:
    """The part's fields, whether the parser made them a sub-message or left them as text."""
    payload = part.get_payload()
    if isinstance(payload, list):
        sources = [p.items() for p in payload if isinstance(p, Message)]
        return {k.lower(): mime.unfold(str(v)).strip() for items in sources for k, v in items}
    body = part.get_payload(decode=True)
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(payload)
    parsed = email.message_from_string(text, policy=email.policy.compat32)
    return {k.lower(): mime.unfold(str(v)).strip() for k, v in parsed.items()}


def _address(value: str) -> str:
    """`rfc822;dr@x` → `dr@x`."""
    return value.partition(";")[2].strip() if ";" in value else value.strip()


def _disposition(value: str) -> Json | None:
    """`manual-action/MDN-sent-manually; displayed` → the MDN object's disposition."""
    modes, _, kind = value.partition(";")
    action, _, sending = modes.partition("/")
    return disposition_of(
        {"actionMode": action.strip(), "sendingMode": sending.strip(), "type": kind.strip()}
    )
