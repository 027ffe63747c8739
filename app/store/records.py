"""Neutral records the store reads and writes: plain dataclasses, no JMAP dicts and no SQL rows, so
that the sync engine, the UI models and the tests speak the same language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


@dataclass(frozen=True)
class Address:
    name: str | None
    email: str


@dataclass(frozen=True)
class PatientRef:
    """The patient a message is about (from its IHE_XDM.ZIP); ins may be missing."""

    ins: str | None
    oid: str | None
    given: str | None
    family: str | None
    birth_date: date | None = None

    def display_name(self) -> str:
        return " ".join(part for part in ((self.family or "").upper(), self.given or "") if part)


@dataclass(frozen=True)
class AttachmentRecord:
    part_id: str | None
    blob_id: str
    name: str | None
    type: str
    size: int
    disposition: str | None = None
    cid: str | None = None
    doc_type: str | None = None  # the part's Content-Description (document type label)


@dataclass(frozen=True)
class ReadBy:
    """A read receipt (RFC 8098 MDN) received for a sent message: who read it, when."""

    recipient: str
    at: datetime
    disposition: str = "displayed"  # or deleted, dispatched, processed


@dataclass(frozen=True)
class RecipientStatus:
    """Where a sent message stands for one recipient (issue 14 §2): sent (envoyé), delivered
    (remis), read (lu) or failed (non distribué); `code` is the RFC 3463 status (or SMTP code)
    that explains a failure or a delay, translated when shown (app.message.dsn.reason_of)."""

    recipient: str
    state: str  # sent, delivered, read, failed
    at: datetime
    code: str | None = None


@dataclass(frozen=True)
class MailboxRecord:
    id: str
    name: str
    parent_id: str | None = None
    role: str | None = None
    sort_order: int = 0


@dataclass(frozen=True)
class EmailRecord:
    id: str
    thread_id: str
    mailbox_ids: frozenset[str]
    received_at: datetime
    blob_id: str | None = None
    keywords: frozenset[str] = frozenset()
    message_id: list[str] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_: list[Address] = field(default_factory=list)
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    sent_at: datetime | None = None
    size: int = 0
    preview: str = ""
    has_attachment: bool = False
    text_body: str | None = None
    html_body: str | None = None
    attachments: list[AttachmentRecord] = field(default_factory=list)
    patient: PatientRef | None = None
    # Issue 14 §2: who asked for a read receipt (Disposition-Notification-To), the receipts this
    # message got, and whether it is itself a receipt (never stored as a message).
    receipt_to: list[Address] = field(default_factory=list)
    read_by: list[ReadBy] = field(default_factory=list)
    is_receipt: bool = False
    # Issue 14 §2: per-recipient delivery of a message I sent; whether this is itself a DSN.
    delivery: list[RecipientStatus] = field(default_factory=list)
    is_dsn: bool = False

    @property
    def is_report(self) -> bool:
        """A read receipt or a delivery report: it updates another message, it is not listed."""
        return self.is_receipt or self.is_dsn


@dataclass(frozen=True)
class EmailSummary:
    """One row of a message list: what the list draws, without bodies."""

    id: str
    thread_id: str
    subject: str
    from_: list[Address]
    to: list[Address]
    received_at: datetime
    preview: str
    has_attachment: bool
    unread: bool
    flagged: bool
    patient: PatientRef | None
    thread_size: int


@dataclass(frozen=True)
class ConversationSummary:
    """One row of the message list: a conversation (a JMAP thread) as a mailbox shows it.

    What is said of one message (subject, date, preview, sender, recipients, `id`) is its newest
    message in the list; the counts and marks add up its messages in the list (in one mailbox,
    like Gmail's label view); the patients are those of the whole conversation.
    """

    thread_id: str
    id: str  # the newest message in the list: the one the reader shows first
    subject: str
    from_: list[Address]
    to: list[Address]
    received_at: datetime
    preview: str
    senders: list[Address]  # who wrote the messages in the list, each once, oldest first
    count: int
    unread: bool  # any message unread
    flagged: bool  # any message flagged
    has_attachment: bool  # any message with documents
    patients: list[PatientRef]  # newest first, each once

    @property
    def patient(self) -> PatientRef | None:
        """The patient the conversation is about lately (its newest named one)."""
        return self.patients[0] if self.patients else None


@dataclass(frozen=True)
class MailboxCounts:
    total: int
    unread: int


def to_ms(moment: datetime) -> int:
    """Aware datetime → epoch milliseconds (naive datetimes are refused: they hide bugs)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return int(moment.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def addresses_to_json(addresses: list[Address]) -> list[dict[str, Any]]:
    return [{"name": a.name, "email": a.email} for a in addresses]


def addresses_from_json(data: Any) -> list[Address]:
    if not isinstance(data, list):
        return []
    return [
        Address(item.get("name"), str(item.get("email", "")))
        for item in data
        if isinstance(item, dict)
    ]
