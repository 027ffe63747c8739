"""MDN/send and MDN/parse (RFC 9007): read receipts sent and read by the server.

MDN/send answers the Disposition-Notification-To of one of the account's emails, from one of its
identities, and delivers it like EmailSubmission does; onSuccessUpdateEmail (usually setting
`$mdnsent`) runs as an implicit Email/set. A sandbox run with `jmap_mdn` off neither advertises
nor serves them, like a server without RFC 9007.
"""

from __future__ import annotations

import email
import email.policy
import json
from typing import Any

from server.jmap.methods import Call, Json, MethodError, method
from server.jmap.methods.email import set_emails
from server.mail import mdn, mime

MDN = "urn:ietf:params:jmap:mdn"
MDN_SENT = "$mdnsent"
_SEND_PROPERTIES = {
    "forEmailId",
    "subject",
    "textBody",
    "includeOriginalMessage",
    "reportingUA",
    "disposition",
    "mdnGateway",
    "originalRecipient",
    "finalRecipient",
    "originalMessageId",
    "error",
    "extensionFields",
}


class _NotSent(Exception):
    def __init__(self, type_: str, description: str, properties: list[str] | None = None) -> None:
        super().__init__(type_)
        self.error: Json = {"type": type_, "description": description}
        if properties:
            self.error["properties"] = properties


@method("MDN/send", MDN)
def mdn_send(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"identityId", "send", "onSuccessUpdateEmail"})
    identity_id = call.string("identityId")
    send = call.args.get("send")
    on_success = call.args.get("onSuccessUpdateEmail") or {}
    if not isinstance(send, dict) or not isinstance(on_success, dict):
        raise MethodError("invalidArguments", "send and onSuccessUpdateEmail: objects.")
    if len(send) > call.sandbox.config.max_objects_in_set:
        raise MethodError("requestTooLarge")
    with call.sandbox.db.read() as conn:
        identity = conn.execute(
            "SELECT email, name FROM identities WHERE account_id = ? AND id = ?",
            (account_id, call.resolve_id(identity_id)),
        ).fetchone()
    if identity is None:
        raise MethodError("invalidArguments", "Unknown identityId.", arguments=["identityId"])
    sent: Json = {}
    not_sent: Json = {}
    answered: dict[str, str] = {}  # "#creationId" → the email the MDN answers
    for creation_id, props in send.items():
        try:
            sent[creation_id], email_id = _send_one(call, account_id, identity["email"], props)
        except _NotSent as e:
            not_sent[creation_id] = e.error
            continue
        answered["#" + creation_id] = email_id
    result = {"accountId": account_id, "sent": sent or None, "notSent": not_sent or None}
    update = {answered[ref]: patch for ref, patch in on_success.items() if ref in answered}
    if update:
        implicit = Call(
            call.sandbox,
            call.account,
            "Email/set",
            {"accountId": account_id, "update": update},
            call.call_id,
            call.created_ids,
            using=call.using,
        )
        call.implicit.append(("Email/set", set_emails(implicit)))
    return result


def _send_one(call: Call, account_id: str, sender: str, props: Any) -> tuple[Json, str]:
    """Sends one MDN: (the server-set properties, the id of the email it answers)."""
    if not isinstance(props, dict):
        raise _NotSent("invalidProperties", "Not an object.")
    unknown = sorted(set(props) - _SEND_PROPERTIES)
    if unknown:
        raise _NotSent("invalidProperties", "Unknown properties.", unknown)
    disposition = mdn.disposition_of(props.get("disposition"))
    if disposition is None:
        raise _NotSent("invalidProperties", "A disposition is required.", ["disposition"])
    for key in ("subject", "textBody", "reportingUA"):
        if props.get(key) is not None and not isinstance(props[key], str):
            raise _NotSent("invalidProperties", f"{key} must be a string.", [key])
    ref = props.get("forEmailId")
    email_id = call.resolve_id(ref) if isinstance(ref, str) else None
    with call.sandbox.db.read() as conn:
        row = conn.execute(
            "SELECT id, blob_id, keywords FROM emails WHERE account_id = ? AND id = ?",
            (account_id, email_id),
        ).fetchone()
    if row is None:
        raise _NotSent("notFound", "No such email.", ["forEmailId"])
    if MDN_SENT in json.loads(row["keywords"]):
        raise _NotSent("mdnAlreadySent", "A receipt was already sent or refused.")
    raw = call.sandbox.blobs.read_bytes(row["blob_id"])
    headers = email.message_from_bytes(raw, policy=email.policy.compat32)
    asked_by = [
        a["email"]
        for a in mime.as_addresses(headers.get("disposition-notification-to")) or []
        if a["email"]
    ]
    if not asked_by:
        raise _NotSent("forbiddenToSend", "This email asks for no read receipt.")
    original = mime.as_message_ids(headers.get("message-id"))
    receipt = mdn.Receipt(
        final_recipient=sender,
        original_message_id=original[0] if original else None,
        disposition=disposition,
        subject=props.get("subject") or _subject(mime.as_text(headers.get("subject"))),
        text_body=props.get("textBody") or "",
        reporting_ua=props.get("reportingUA") or "MonSisra sandbox",
    )
    message = mdn.build(receipt, sender, asked_by, call.sandbox.config.mail_domain)
    call.sandbox.mail.deliver(message, asked_by, sender_account_id=account_id)
    return {
        "finalRecipient": f"rfc822;{sender}",
        "originalMessageId": receipt.original_message_id,
        "subject": receipt.subject,
        "reportingUA": receipt.reporting_ua,
        "includeOriginalMessage": False,
    }, row["id"]


def _subject(original: str | None) -> str:
    return f"Accusé de lecture : {original}" if original else "Accusé de lecture"


@method("MDN/parse", MDN)
def mdn_parse(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"blobIds"})
    blob_ids = call.ids("blobIds") or []
    parsed: Json = {}
    not_parsable: list[str] = []
    not_found: list[str] = []
    for blob_id in blob_ids:
        with call.sandbox.db.read() as conn:
            info = call.sandbox.blobs.info(conn, account_id, blob_id)
            answered = None
        if info is None:
            not_found.append(blob_id)
            continue
        receipt = mdn.parse(call.sandbox.blobs.read_bytes(blob_id))
        if receipt is None:
            not_parsable.append(blob_id)
            continue
        if receipt.original_message_id:
            with call.sandbox.db.read() as conn:
                answered = conn.execute(
                    "SELECT id FROM emails WHERE account_id = ? AND message_id = ? "
                    "ORDER BY received_at LIMIT 1",
                    (account_id, receipt.original_message_id),
                ).fetchone()
        parsed[blob_id] = {
            "forEmailId": answered["id"] if answered else None,
            "subject": receipt.subject,
            "textBody": receipt.text_body,
            "reportingUA": receipt.reporting_ua,
            "disposition": receipt.disposition,
            "finalRecipient": f"rfc822;{receipt.final_recipient}",
            "originalRecipient": f"rfc822;{receipt.original_recipient}"
            if receipt.original_recipient
            else None,
            "originalMessageId": receipt.original_message_id,
            "includeOriginalMessage": False,
            "mdnGateway": None,
            "error": None,
            "extensionFields": None,
        }
    return {
        "accountId": account_id,
        "parsed": parsed or None,
        "notParsable": not_parsable or None,
        "notFound": not_found or None,
    }
