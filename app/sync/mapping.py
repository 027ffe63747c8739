"""JMAP objects → the store's neutral records. Tolerant: a server that omits an optional property
or sends an odd value gets a sensible default; only what makes the record useless is an error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.message import dsn, html, receipt
from app.remote.jmap import InvalidResponse
from app.store.records import Address, AttachmentRecord, EmailRecord, MailboxRecord

BODY_PROPERTIES = [
    "partId",
    "blobId",
    "size",
    "name",
    "type",
    "charset",
    "disposition",
    "cid",
    "header:Content-Description:asText",
]

RECEIPT_TO = receipt.REQUEST_PROPERTY
CONTENT_TYPE = "header:Content-Type:asRaw"

EMAIL_PROPERTIES = [
    "id",
    "blobId",
    "threadId",
    "mailboxIds",
    "keywords",
    "size",
    "receivedAt",
    "messageId",
    "inReplyTo",
    "references",
    "from",
    "to",
    "cc",
    "bcc",
    "replyTo",
    "subject",
    "sentAt",
    "hasAttachment",
    "preview",
    "bodyValues",
    "textBody",
    "htmlBody",
    "attachments",
    # Issue 14 §2: a read receipt asked for, or a read receipt itself.
    RECEIPT_TO,
    CONTENT_TYPE,
]

# What can change on an email once it exists (RFC 8621 §4: the rest is immutable).
MUTABLE_PROPERTIES = ["id", "mailboxIds", "keywords"]

# Arguments of Email/get for full records: bodies within reason (the rest is in the raw blob).
EMAIL_GET_ARGS: dict[str, Any] = {
    "properties": EMAIL_PROPERTIES,
    "bodyProperties": BODY_PROPERTIES,
    "fetchTextBodyValues": True,
    "fetchHTMLBodyValues": True,
    "maxBodyValueBytes": 512 * 1024,
}

MAILBOX_PROPERTIES = ["id", "name", "parentId", "role", "sortOrder"]

PREVIEW_CHARS = 256  # RFC 8621 §4.1.4: a preview is at most 256 characters
_MARKUP = re.compile(r"\s*<(?:!doctype|html|head|body|meta|div|p|table|style)\b", re.IGNORECASE)


def mailbox_record(data: Mapping[str, Any]) -> MailboxRecord:
    mailbox_id = data.get("id")
    if not isinstance(mailbox_id, str) or not mailbox_id:
        raise InvalidResponse("Mailbox without an id")
    name = data.get("name")
    role = data.get("role")
    parent = data.get("parentId")
    order = data.get("sortOrder")
    return MailboxRecord(
        id=mailbox_id,
        name=name if isinstance(name, str) else mailbox_id,
        parent_id=parent if isinstance(parent, str) else None,
        role=role.lower() if isinstance(role, str) else None,
        sort_order=order if isinstance(order, int) and not isinstance(order, bool) else 0,
    )


def email_record(data: Mapping[str, Any]) -> EmailRecord:
    email_id = data.get("id")
    thread_id = data.get("threadId")
    if not isinstance(email_id, str) or not email_id:
        raise InvalidResponse("Email without an id")
    if not isinstance(thread_id, str) or not thread_id:
        thread_id = email_id  # a server without threads: each message its own conversation
    body_values = data.get("bodyValues")
    values = body_values if isinstance(body_values, dict) else {}
    size = data.get("size")
    html_body = _body_text(data.get("htmlBody"), values, "text/html")
    return EmailRecord(
        id=email_id,
        thread_id=thread_id,
        mailbox_ids=id_set(data.get("mailboxIds")),
        keywords=id_set(data.get("keywords")),
        received_at=_date(data.get("receivedAt")) or datetime.now(UTC),
        blob_id=_str(data.get("blobId")),
        message_id=_strings(data.get("messageId")),
        in_reply_to=_strings(data.get("inReplyTo")),
        references=_strings(data.get("references")),
        subject=_str(data.get("subject")) or "",
        from_=addresses(data.get("from")),
        to=addresses(data.get("to")),
        cc=addresses(data.get("cc")),
        bcc=addresses(data.get("bcc")),
        reply_to=addresses(data.get("replyTo")),
        sent_at=_date(data.get("sentAt")),
        size=size if isinstance(size, int) and not isinstance(size, bool) else 0,
        preview=_preview(_str(data.get("preview")) or "", html_body),
        has_attachment=data.get("hasAttachment") is True,
        text_body=_body_text(data.get("textBody"), values, "text/plain"),
        html_body=html_body,
        attachments=[a for a in map(_attachment, _list(data.get("attachments"))) if a],
        receipt_to=addresses(data.get(RECEIPT_TO)),
        is_receipt=receipt.is_report_type(_str(data.get(CONTENT_TYPE)) or ""),
        is_dsn=dsn.is_report_type(_str(data.get(CONTENT_TYPE)) or ""),
    )


def _preview(preview: str, html_body: str | None) -> str:
    """RFC 8621's preview is plain text; Cyrus 3.6 sends the start of an HTML-only body as is
    ("<!DOCTYPE html><html>…"). Such a preview is made again from the HTML body's text."""
    if html_body is None or not _MARKUP.match(preview):
        return preview
    return " ".join(html.to_text(html_body).split())[:PREVIEW_CHARS]


def id_set(value: object) -> frozenset[str]:
    """A JMAP id map (`{"id": true}`) → the set of its ids."""
    if not isinstance(value, dict):
        return frozenset()
    return frozenset(k for k, v in value.items() if isinstance(k, str) and v is True)


def addresses(value: object) -> list[Address]:
    if not value:  # null or [] for most cc, bcc and replyTo: 5 calls per email
        return []
    out: list[Address] = []
    for item in _list(value):
        email = item.get("email") if isinstance(item, dict) else None
        if isinstance(email, str) and email:
            name = item.get("name")
            out.append(Address(name if isinstance(name, str) and name else None, email))
    return out


def _body_text(parts: object, values: Mapping[str, Any], wanted: str) -> str | None:
    texts: list[str] = []
    for part in _list(parts):
        if not isinstance(part, dict) or part.get("type") != wanted:
            continue
        part_id = part.get("partId")
        value = values.get(part_id) if isinstance(part_id, str) else None
        if isinstance(value, dict) and isinstance(value.get("value"), str):
            texts.append(value["value"])
    return "\n".join(texts) if texts else None


def _attachment(part: object) -> AttachmentRecord | None:
    if not isinstance(part, dict):
        return None
    blob_id = part.get("blobId")
    if not isinstance(blob_id, str) or not blob_id:
        return None
    size = part.get("size")
    part_type = part.get("type")
    return AttachmentRecord(
        part_id=_str(part.get("partId")),
        blob_id=blob_id,
        name=_str(part.get("name")),
        type=part_type if isinstance(part_type, str) and part_type else "application/octet-stream",
        size=size if isinstance(size, int) and not isinstance(size, bool) else 0,
        disposition=_str(part.get("disposition")),
        cid=_str(part.get("cid")),
        doc_type=_str(part.get("header:Content-Description:asText")),
    )


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: object) -> list[str]:
    if not value:
        return []
    return [v for v in _list(value) if isinstance(v, str)]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
