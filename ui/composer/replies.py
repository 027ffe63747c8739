"""What a reply or a forward starts from, as a Draft: the composer fills its fields from it the way
it restores a saved draft, so that one mapping (draft ↔ fields) serves both.

The recipients, subject and Message-IDs follow the rules of `app/message/compose.py`; the original
text goes below (quoted with ">" for a reply, whole for a forward), and the patient of the original
message stays the patient of the answer. A forward passes the documents on (private copies); a
forward as attachment attaches the original message itself, as the server keeps it (RFC 5322
octets, `message/rfc822`: its documents and its IHE_XDM.ZIP inside, unchanged). Qt-free: a cached
record in, a Draft and files out.

The signature goes below the user's words with the usual "-- " line above it (RFC 3676 §4.3), so
above the original message of an answer (Thunderbird's default). `written_end` and `own_text` read
a text back: where the user's own words end, before the signature and the original message (the
composer puts the cursor there), and what they wrote (nothing written asks before sending; a
new message holding its signature only is no draft)."""

from __future__ import annotations

import enum
import re
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from app import settings
from app.message import doctypes
from app.message.compose import ComposeError, forward, reply_to
from app.message.doctypes import OTHER_CODE
from app.message.draft import ChosenPatient, Draft
from app.message.embedded import RFC822
from app.message.patient import is_xdm_file
from app.records import Address, EmailRecord, addresses_to_json
from app.session import AccountSession


class Answer(enum.Enum):
    REPLY = "reply"
    REPLY_ALL = "reply_all"
    FORWARD = "forward"
    FORWARD_ATTACHED = "forward_attached"  # the original message as an attachment

    @classmethod
    def of(cls, replying: bool, to_all: bool, attached: bool) -> Answer:
        if replying:
            return cls.REPLY_ALL if to_all else cls.REPLY
        return cls.FORWARD_ATTACHED if attached else cls.FORWARD


async def signature(session: AccountSession) -> str:
    """My signature: the one the server keeps for my address, else the one of the settings."""
    return await session.signature(settings.current().signature)


async def answer_draft(session: AccountSession, record: EmailRecord, how: Answer) -> Draft:
    """What the answer to `record` starts from, from me, signed."""
    me, signed_by = await session.own_address(), await signature(session)
    if how is Answer.FORWARD:
        return forward_draft(record, me, signed_by)
    if how is Answer.FORWARD_ATTACHED:
        return attached_forward_draft(record, me, signed_by)
    mine = await session.own_emails()
    return reply_draft(record, me, how is Answer.REPLY_ALL, mine, signed_by)


async def passed_on(
    session: AccountSession, record: EmailRecord, how: Answer
) -> AsyncIterator[tuple[Path, str]]:
    """The documents a forward attaches, each as soon as it is copied, with its type code: the
    original's documents (not its patient package: the answer gets its own), or for a forward
    as attachment the original message itself."""
    if how is Answer.FORWARD_ATTACHED:
        if record.blob_id is None:
            raise ComposeError("message without its blob")
        name = (record.subject.strip() or "message") + ".eml"
        yield await session.copy_document(record.blob_id, name, RFC822, record.size), OTHER_CODE
        return
    if how is not Answer.FORWARD:
        return
    for attachment in record.attachments:
        name = attachment.name or "document"
        if is_xdm_file(name):
            continue
        path = await session.copy_document(
            attachment.blob_id, name, attachment.type, attachment.size
        )
        found = doctypes.by_label(attachment.doc_type)
        yield path, found.code if found else OTHER_CODE


def reply_draft(
    record: EmailRecord,
    me: Address,
    reply_all: bool,
    mine: Iterable[str] = (),
    signature: str = "",
) -> Draft:
    """The answer to `record` written by `me` (to its sender, or to everyone but the addresses
    of `mine` with `reply_all`), signed above the quote."""
    msg = reply_to(_email_view(record), me, reply_all, mine)
    return Draft(
        to=tuple(msg.to),
        cc=tuple(msg.cc),
        subject=msg.subject,
        body=signature_block(signature) + quote(record, forwarding=False),
        patient=_patient(record),
        in_reply_to=tuple(msg.in_reply_to),
        references=tuple(msg.references),
    )


def forward_draft(record: EmailRecord, me: Address, signature: str = "") -> Draft:
    """`record` passed on by `me`: no recipient yet; its documents are copied by the composer."""
    msg = forward(_email_view(record), me)
    body = signature_block(signature) + quote(record, forwarding=True)
    return Draft(subject=msg.subject, body=body, patient=_patient(record))


def attached_forward_draft(record: EmailRecord, me: Address, signature: str = "") -> Draft:
    """`record` passed on whole as an attachment (the composer attaches it): a "TR: " subject,
    the signature, and no patient of its own — the attached message carries its patient package."""
    msg = forward(_email_view(record), me)
    return Draft(subject=msg.subject, body=signature_block(signature))


def signature_block(signature: str) -> str:
    """What goes below the user's words: the signature under a "-- " line ("" without one)."""
    text = signature.strip("\n")
    return f"\n\n{SEPARATOR}\n{text}" if text.strip() else ""


def signed(body: str, signature: str) -> str:
    """`body` with the signature below the user's words, unless it has one already."""
    if _SIGNATURE.search(body, 0, _quote_start(body)):
        return body
    return body + signature_block(signature)


def quote(record: EmailRecord, forwarding: bool) -> str:
    """The original text below the answer: quoted with ">" for a reply, whole for a forward."""
    sender = record.from_[0] if record.from_ else None
    who = (sender.name or sender.email) if sender else ""
    when = (record.sent_at or record.received_at).astimezone()
    text = (record.text_body or record.preview or "").rstrip()
    if forwarding:
        head = [
            "-------- Message transféré --------",
            f"De : {who}",
            f"Date : {when.strftime('%d/%m/%Y %H:%M')}",
            f"Objet : {record.subject}",
            "",
        ]
        return "\n\n" + "\n".join(head) + text + "\n"
    quoted = "\n".join("> " + line if line else ">" for line in text.splitlines())
    return f"\n\nLe {when.strftime('%d/%m/%Y à %H:%M')}, {who} a écrit :\n{quoted}\n"


SEPARATOR = "-- "  # the signature's line, trailing space included
_SIGNATURE = re.compile(r"^-- $", re.MULTILINE)
# The first line of what `quote` puts below an answer.
_REPLY_HEAD = r"Le \d{2}/\d{2}/\d{4} à \d{2}:\d{2}, .* a écrit :"
_FORWARD_HEAD = r"-------- Message transféré --------"
_QUOTE_HEAD = re.compile(rf"^(?:(?P<reply>{_REPLY_HEAD})|{_FORWARD_HEAD})$", re.MULTILINE)


def _quote_start(body: str) -> int:
    head = _QUOTE_HEAD.search(body)
    return head.start() if head else len(body)


def _own_end(body: str) -> int:
    """Where the user's part of `body` ends: at the signature's line or the original message."""
    quote_start = _quote_start(body)
    signature = _SIGNATURE.search(body, 0, quote_start)
    return signature.start() if signature else quote_start


def written_end(body: str) -> int:
    """Where the user's own words above the signature and the original message end (the end of
    `body` when it has neither): the place to resume writing."""
    return len(body[: _own_end(body)].rstrip())


def own_text(body: str) -> str:
    """What the user wrote in `body`: the text above the signature and the original message,
    and for a reply, the lines between or below its quoted lines too (a forwarded text has no
    marks to tell it from the user's)."""
    above = body[: _own_end(body)]
    head = _QUOTE_HEAD.search(body)
    if head is None or not head.group("reply"):
        return above.strip()
    below = body[head.end() :].splitlines()
    return "\n".join([above, *(line for line in below if not line.startswith(">"))]).strip()


def _patient(record: EmailRecord) -> ChosenPatient | None:
    """The patient of the original message (no regional id: no care team to propose)."""
    if record.patient is not None and record.patient.family:
        return ChosenPatient.of_ref(record.patient)
    return None


def _email_view(record: EmailRecord) -> dict[str, Any]:
    """The JMAP Email properties reply_to / forward read, from a cached record."""
    return {
        "subject": record.subject,
        "from": addresses_to_json(record.from_),
        "to": addresses_to_json(record.to),
        "cc": addresses_to_json(record.cc),
        "replyTo": addresses_to_json(record.reply_to),
        "messageId": record.message_id,
        "inReplyTo": record.in_reply_to,
        "references": record.references,
    }


__all__ = [
    "SEPARATOR",
    "Answer",
    "answer_draft",
    "attached_forward_draft",
    "forward_draft",
    "own_text",
    "passed_on",
    "quote",
    "reply_draft",
    "signature",
    "signature_block",
    "signed",
    "written_end",
]
