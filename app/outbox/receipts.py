"""Sending a read receipt the user chose to send (issue 14 §2; RFC 8098, never automatic).

Where the server offers JMAP MDN (RFC 9007), MDN/send builds and sends it; elsewhere the client
builds the `multipart/report` (app/message/receipt.py), imports it into Envoyés and sends it with
EmailSubmission. Then the session sets `$mdnsent` (RFC 3503) on the email, so the question is
asked once, on every device; "Ignorer" sets the same keyword.
"""

from __future__ import annotations

from app import messages
from app.errors import CoreError
from app.message.compose import domain_of, new_message_id
from app.message.receipt import DISPLAYED, REPORTING_UA, build_mdn, subject_for, text_for
from app.outbox.sender import Outbox
from app.remote.jmap import MDN, InvalidArguments
from app.store.records import Address, EmailRecord

MDN_SENT = "$mdnsent"


class ReceiptError(CoreError):
    message = messages.RECEIPT_FAILED


def asks_receipt(record: EmailRecord, own_emails: frozenset[str]) -> bool:
    """Whether to offer "Envoyer / Ignorer": asked, by someone else, not answered yet."""
    return (
        bool(record.receipt_to)
        and MDN_SENT not in record.keywords
        and "$draft" not in record.keywords
        and not any(a.email.lower() in own_emails for a in record.from_)
    )


async def send_receipt(outbox: Outbox, record: EmailRecord, me: Address) -> None:
    """Sends `me`'s receipt for `record`; raises ReceiptError when the server refuses it."""
    if not record.receipt_to or not record.message_id:
        raise ReceiptError("no receipt asked for")
    jmap = outbox.jmap
    session = await jmap.session()
    identity = await outbox._identity(me.email)
    if MDN in session.capabilities:
        send: dict[str, dict[str, object]] = {
            "r": {
                "forEmailId": record.id,
                "subject": subject_for(record.subject),
                "textBody": text_for(record.subject, me.name or me.email),
                "reportingUA": REPORTING_UA,
                "disposition": DISPLAYED,
            }
        }
        try:
            answer = await jmap.call_one(
                "MDN/send",
                {
                    "identityId": identity,
                    "send": send,
                    "onSuccessUpdateEmail": {"#r": {f"keywords/{MDN_SENT}": True}},
                },
            )
        except InvalidArguments:
            # Cyrus 3.6 implements the draft before RFC 9007: no identityId (it sends from the
            # login), no onSuccessUpdateEmail (it sets $MDNSent itself; the session sets
            # $mdnsent too) and the sending mode spelt as in RFC 8098, case and all.
            # tests/interop/test_cyrus_receipts.py
            send["r"]["disposition"] = {**DISPLAYED, "sendingMode": "MDN-sent-manually"}
            answer = await jmap.call_one("MDN/send", {"send": send})
        refused = (answer.get("notSent") or {}).get("r")
        if _type(refused) == "serverFail":
            # Nothing went: Cyrus 3.6 gives its MTA the reverse path `<<>>`, which an MTA may
            # refuse (tests/interop/test_cyrus_receipts.py). The client's own MDN goes instead.
            await _send_built(outbox, record, me, identity)
            return
        if refused is not None or not (answer.get("sent") or {}).get("r"):
            raise ReceiptError(f"MDN/send refused: {_type(refused)}")
        return
    await _send_built(outbox, record, me, identity)


async def _send_built(outbox: Outbox, record: EmailRecord, me: Address, identity: str) -> None:
    """Without JMAP MDN: the client's own multipart/report, imported then submitted."""
    jmap = outbox.jmap
    raw = build_mdn(
        me,
        record.receipt_to,
        record.message_id[0],
        record.subject,
        new_message_id(domain_of(me.email)),
    )
    blob = await jmap.upload(raw, "message/rfc822")
    sent_box = (await outbox._mailboxes())["sent"]
    imported = await jmap.call_one(
        "Email/import",
        {
            "emails": {
                "r": {
                    "blobId": blob.blob_id,
                    "mailboxIds": {sent_box: True},
                    "keywords": {"$seen": True},
                }
            }
        },
    )
    created = (imported.get("created") or {}).get("r")
    if not isinstance(created, dict) or not isinstance(created.get("id"), str):
        refused = (imported.get("notCreated") or {}).get("r")
        raise ReceiptError(f"Email/import refused: {_type(refused)}")
    submitted = await jmap.call_one(
        "EmailSubmission/set",
        {
            "create": {
                "s": {
                    "emailId": created["id"],
                    "identityId": identity,
                    "envelope": {
                        "mailFrom": {"email": me.email},
                        "rcptTo": [{"email": a.email} for a in record.receipt_to],
                    },
                }
            }
        },
    )
    if not (submitted.get("created") or {}).get("s"):
        refused = (submitted.get("notCreated") or {}).get("s")
        raise ReceiptError(f"submission refused: {_type(refused)}")


def _type(error: object) -> str:
    return str(error.get("type")) if isinstance(error, dict) else "unknown"
