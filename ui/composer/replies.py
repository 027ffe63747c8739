"""What a reply or a forward starts from, as a Draft: the composer fills its fields from it the way
it restores a saved draft, so that one mapping (draft ↔ fields) serves both.

The recipients, subject and Message-IDs follow the rules of `app/message/compose.py`; the original
text goes below (quoted with ">" for a reply, whole for a forward), and the patient of the original
message stays the patient of the answer. Qt-free: a cached record in, a Draft out.

`written_end` and `own_text` read an answer's text back: where the user's own words end (the
composer puts the cursor there) and what they wrote (nothing written asks before sending)."""

from __future__ import annotations

import re
from typing import Any

from app.message.compose import forward, reply_to
from app.message.draft import ChosenPatient, Draft
from app.records import Address, EmailRecord, addresses_to_json


def reply_draft(record: EmailRecord, me: Address, reply_all: bool) -> Draft:
    """The answer to `record` written by `me` (to its sender, or to everyone with `reply_all`)."""
    msg = reply_to(_email_view(record), me, reply_all)
    return Draft(
        to=tuple(msg.to),
        cc=tuple(msg.cc),
        subject=msg.subject,
        body=quote(record, forwarding=False),
        patient=_patient(record),
        in_reply_to=tuple(msg.in_reply_to),
        references=tuple(msg.references),
    )


def forward_draft(record: EmailRecord, me: Address) -> Draft:
    """`record` passed on by `me`: no recipient yet; its documents are copied by the composer."""
    msg = forward(_email_view(record), me)
    return Draft(subject=msg.subject, body=quote(record, forwarding=True), patient=_patient(record))


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


# The first line of what `quote` puts below an answer.
_REPLY_HEAD = r"Le \d{2}/\d{2}/\d{4} à \d{2}:\d{2}, .* a écrit :"
_FORWARD_HEAD = r"-------- Message transféré --------"
_QUOTE_HEAD = re.compile(rf"^(?:(?P<reply>{_REPLY_HEAD})|{_FORWARD_HEAD})$", re.MULTILINE)


def written_end(body: str) -> int:
    """Where the user's own words above the original message end (the end of `body` when it
    quotes nothing): the place to resume writing."""
    head = _QUOTE_HEAD.search(body)
    return len(body[: head.start()].rstrip()) if head else len(body)


def own_text(body: str) -> str:
    """What the user wrote in `body`: all of it for a new message; for an answer, the text
    above the original message, and for a reply, the lines between or below its quoted lines
    too (a forwarded text has no marks to tell it from the user's)."""
    head = _QUOTE_HEAD.search(body)
    if head is None:
        return body.strip()
    above = body[: head.start()]
    if not head.group("reply"):
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


__all__ = ["forward_draft", "own_text", "quote", "reply_draft", "written_end"]
