"""EmailSubmission/get, /changes, /set (RFC 8621 §7): sending is delivery inside the sandbox.

Recipients hosted here get the message in their Inbox at once; the others are only recorded
(nothing leaves the sandbox). Addresses of the sandbox's domain that nobody has, and messages over
the size limit, are refused per recipient, and the sender gets an RFC 3464 delivery status
notification in her Inbox when the envelope's NOTIFY asks for one (by default, for failures).
onSuccessUpdateEmail / onSuccessDestroyEmail run as an implicit Email/set whose response follows
the EmailSubmission/set one (RFC 8621 §7.5).
"""

from __future__ import annotations

import email.message
import json
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from server.jmap.methods import (
    MAIL,
    SUBMISSION,
    Call,
    Json,
    MethodError,
    method,
    standard_changes,
)
from server.jmap.methods.email import set_emails
from server.mail import dsn, mime
from server.mail.store import DeliveryReport, new_id

PROPERTIES = [
    "id",
    "identityId",
    "emailId",
    "threadId",
    "envelope",
    "sendAt",
    "undoStatus",
    "deliveryStatus",
    "dsnBlobIds",
    "mdnBlobIds",
]


def _submission(row: sqlite3.Row) -> Json:
    return {
        "id": row["id"],
        "identityId": row["identity_id"],
        "emailId": row["email_id"],
        "threadId": row["thread_id"],
        "envelope": json.loads(row["envelope"]),
        "sendAt": mime.utc_date(datetime.fromtimestamp(row["send_at"], UTC)),
        "undoStatus": row["undo_status"],
        "deliveryStatus": json.loads(row["delivery_status"]),
        "dsnBlobIds": json.loads(row["dsn_blob_ids"]),
        "mdnBlobIds": [],
    }


@method("EmailSubmission/get", SUBMISSION)
def submission_get(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"ids", "properties"})
    properties = call.properties("properties", PROPERTIES, set(PROPERTIES))
    ids = call.ids()
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "EmailSubmission")
        if ids is None:
            rows = conn.execute(
                "SELECT * FROM submissions WHERE account_id = ? ORDER BY send_at, rowid LIMIT ?",
                (account_id, call.sandbox.config.max_objects_in_get),
            ).fetchall()
        else:
            rows = conn.execute(
                "SELECT * FROM submissions WHERE account_id = ? "
                "AND id IN (SELECT value FROM json_each(?))",
                (account_id, json.dumps([call.resolve_id(i) or i for i in ids])),
            ).fetchall()
    by_id = {r["id"]: r for r in rows}
    order = [call.resolve_id(i) or i for i in ids] if ids is not None else list(by_id)
    return {
        "accountId": account_id,
        "state": state,
        "list": [
            {p: v for p, v in _submission(by_id[i]).items() if p in ["id", *properties]}
            for i in order
            if i in by_id
        ],
        "notFound": [i for i in (ids or []) if (call.resolve_id(i) or i) not in by_id],
    }


@method("EmailSubmission/changes", SUBMISSION)
def submission_changes(call: Call) -> Json:
    return standard_changes(call, "EmailSubmission")


def _envelope(value: Any, identity_email: str, headers: email.message.Message) -> Json | None:
    """The SMTP envelope, given or made from the headers; None when the given one is malformed or
    carries parameters the sandbox's MTA would refuse (RFC 3461 for DSN's)."""
    if value is not None:
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("mailFrom"), dict)
            or not isinstance(value["mailFrom"].get("email"), str)
            or not isinstance(value.get("rcptTo"), list)
            or not value["rcptTo"]
            or not all(
                isinstance(r, dict) and isinstance(r.get("email"), str) for r in value["rcptTo"]
            )
        ):
            return None
        mail_parameters = dsn.check_mail_parameters(value["mailFrom"].get("parameters"))
        rcpt_parameters = [dsn.check_rcpt_parameters(r.get("parameters")) for r in value["rcptTo"]]
        if mail_parameters is None or any(p is None for p in rcpt_parameters):
            return None
        return {
            "mailFrom": {
                "email": value["mailFrom"]["email"],
                "parameters": mail_parameters or None,
            },
            "rcptTo": [
                {"email": r["email"], "parameters": p or None}
                for r, p in zip(value["rcptTo"], rcpt_parameters, strict=True)
            ],
        }
    recipients: list[str] = []
    for header in ("to", "cc", "bcc"):
        for address in mime.as_addresses(headers.get(header)) or []:
            if address["email"] and address["email"].lower() not in map(str.lower, recipients):
                recipients.append(address["email"])
    return {
        "mailFrom": {"email": identity_email, "parameters": None},
        "rcptTo": [{"email": r, "parameters": None} for r in recipients],
    }


def _status(report: DeliveryReport, limit: int) -> Json:
    """deliveryStatus per recipient (RFC 8621 §7): what the sandbox's MTA answered each."""
    ok = {"smtpReply": "250 2.0.0 OK", "displayed": "unknown"}
    status: Json = {a: {**ok, "delivered": "yes"} for a in report.local}
    status |= {a: {**ok, "delivered": "unknown"} for a in report.outside}
    for address in report.unknown:
        reply = f"550 5.1.1 <{address}>: adresse inconnue"
        status[address] = {"smtpReply": reply, "delivered": "no", "displayed": "unknown"}
    for address in report.too_big:
        reply = f"552 5.3.4 <{address}>: message trop volumineux (limite {limit} octets)"
        status[address] = {"smtpReply": reply, "delivered": "no", "displayed": "unknown"}
    return status


def _notifications(
    call: Call,
    account_id: str,
    envelope: Json,
    original: Callable[[], bytes],
    report: DeliveryReport,
    status: Json,
) -> list[str]:
    """The DSN the recipients' NOTIFY asks for, delivered to the sender's Inbox; its blob ids.
    `original` reads the delivered message (whole: only when a DSN is due)."""
    notify = {
        r["email"].strip().lower(): dsn.notify_of(r["parameters"]) for r in envelope["rcptTo"]
    }
    orcpt = {
        r["email"].strip().lower(): (r["parameters"] or {}).get("ORCPT") for r in envelope["rcptTo"]
    }
    reports: list[dsn.RecipientReport] = []
    for address in report.unknown + report.too_big:
        if "FAILURE" in notify.get(address.lower(), set()):
            code = "5.1.1" if address in report.unknown else "5.3.4"
            reports.append(
                dsn.RecipientReport(
                    address, "failed", code, status[address]["smtpReply"], orcpt[address.lower()]
                )
            )
    for address in report.local:
        if "SUCCESS" in notify.get(address.lower(), set()):
            reports.append(
                dsn.RecipientReport(address, "delivered", "2.0.0", None, orcpt[address.lower()])
            )
    if not reports:
        return []
    config = call.sandbox.config
    mail_parameters = envelope["mailFrom"]["parameters"] or {}
    now = datetime.now(UTC)
    message = dsn.build(
        original=original(),
        reports=reports,
        to=envelope["mailFrom"]["email"],
        domain=config.mail_domain,
        arrival=now,
        now=now,
        envelope_id=mail_parameters.get("ENVID"),
        ret=mail_parameters.get("RET"),
        full_limit=config.max_delivered_size,
        size_limit=config.max_delivered_size,
    )
    return [call.sandbox.mail.import_message(account_id, message).blob_id]


def _create(call: Call, conn: sqlite3.Connection, account_id: str, props: Any) -> Json:
    """One submission; raises _SetError when it cannot be made."""
    if call.sandbox.refusals.submission_create is not None:
        raise _SetError(dict(call.sandbox.refusals.submission_create))
    if not isinstance(props, dict):
        raise _SetError({"type": "invalidProperties"})
    unknown = set(props) - {"identityId", "emailId", "envelope"}
    if unknown:
        raise _SetError({"type": "invalidProperties", "properties": sorted(unknown)})
    email_ref, identity_ref = props.get("emailId"), props.get("identityId")
    if not isinstance(email_ref, str) or not isinstance(identity_ref, str):
        raise _SetError({"type": "invalidProperties", "properties": ["emailId", "identityId"]})
    email_id = call.resolve_id(email_ref)
    row = conn.execute(
        "SELECT id, thread_id, blob_id FROM emails WHERE account_id = ? AND id = ?",
        (account_id, email_id),
    ).fetchone()
    if row is None:
        raise _SetError({"type": "invalidProperties", "properties": ["emailId"]})
    identity = conn.execute(
        "SELECT email FROM identities WHERE account_id = ? AND id = ?",
        (account_id, call.resolve_id(identity_ref)),
    ).fetchone()
    if identity is None:
        raise _SetError({"type": "invalidProperties", "properties": ["identityId"]})
    stored = call.sandbox.mail.stored(row["blob_id"])
    envelope = _envelope(props.get("envelope"), identity["email"], stored.headers)
    if envelope is None:
        raise _SetError({"type": "invalidProperties", "properties": ["envelope"]})
    if not envelope["rcptTo"]:
        raise _SetError({"type": "noRecipients"})
    recipients = [r["email"] for r in envelope["rcptTo"]]
    delivered = call.sandbox.mail.without_bcc(stored)
    report = call.sandbox.mail.deliver_stored(delivered, recipients, sender_account_id=account_id)
    status = _status(report, call.sandbox.config.max_delivered_size)
    dsn_blob_ids = _notifications(call, account_id, envelope, delivered.read_bytes, report, status)
    submission_id = new_id("S")
    send_at = int(time.time())
    conn.execute(
        "INSERT INTO submissions (id, account_id, identity_id, email_id, thread_id, envelope, "
        "send_at, undo_status, delivery_status, dsn_blob_ids) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'final', ?, ?)",
        (
            submission_id,
            account_id,
            call.resolve_id(identity_ref),
            row["id"],
            row["thread_id"],
            json.dumps(envelope),
            send_at,
            json.dumps(status),
            json.dumps(dsn_blob_ids),
        ),
    )
    call.sandbox.changes.record(conn, account_id, "EmailSubmission", submission_id, "created")
    # The server-set properties (RFC 8621 §7.5): sending is immediate and final here.
    return {
        "id": submission_id,
        "threadId": row["thread_id"],
        "sendAt": mime.utc_date(datetime.fromtimestamp(send_at, UTC)),
        "undoStatus": "final",
        "deliveryStatus": status,
        "dsnBlobIds": dsn_blob_ids,
    }


class _SetError(Exception):
    def __init__(self, error: Json) -> None:
        super().__init__(error["type"])
        self.error = error


@method("EmailSubmission/set", SUBMISSION)
def submission_set(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys(
        {
            "ifInState",
            "create",
            "update",
            "destroy",
            "onSuccessUpdateEmail",
            "onSuccessDestroyEmail",
        }
    )
    create = call.args.get("create") or {}
    update = call.args.get("update") or {}
    limit = call.sandbox.config.max_objects_in_set
    destroy = call.ids("destroy", limit) or []
    on_update = call.args.get("onSuccessUpdateEmail") or {}
    on_destroy = call.ids("onSuccessDestroyEmail", limit) or []
    if (
        not isinstance(create, dict)
        or not isinstance(update, dict)
        or not isinstance(on_update, dict)
    ):
        raise MethodError("invalidArguments", "create, update and onSuccessUpdateEmail: objects.")
    if len(create) + len(update) + len(destroy) > limit:
        raise MethodError("requestTooLarge")
    if (on_update or on_destroy) and MAIL not in call.using:
        # The onSuccess actions are an Email/set: like Cyrus, refuse them unless the request
        # uses the mail capability (RFC 8620 §3.3), so that clients never rely on leniency.
        raise MethodError(
            "invalidArguments",
            "onSuccessUpdateEmail and onSuccessDestroyEmail need urn:ietf:params:jmap:mail "
            "in using.",
            arguments=["onSuccessUpdateEmail" if on_update else "onSuccessDestroyEmail"],
        )
    changes = call.sandbox.changes
    created: Json = {}
    not_created: Json = {}
    not_updated: Json = {}
    destroyed: list[str] = []
    not_destroyed: Json = {}
    # submission id (or #creationId) → the email it sent, for the onSuccess actions
    sent_email: dict[str, str] = {}
    with call.sandbox.db.write() as conn:
        old_state = changes.state(conn, account_id, "EmailSubmission")
        if_in_state = call.args.get("ifInState")
        if if_in_state is not None and if_in_state != old_state:
            raise MethodError("stateMismatch")
        for creation_id, props in create.items():
            try:
                done = _create(call, conn, account_id, props)
            except _SetError as e:
                not_created[creation_id] = e.error
                continue
            created[creation_id] = done
            call.created_ids[creation_id] = done["id"]
            email_id = call.resolve_id(props["emailId"]) or props["emailId"]
            sent_email["#" + creation_id] = email_id
            sent_email[done["id"]] = email_id
        for raw_id, patch in update.items():
            exists = conn.execute(
                "SELECT 1 FROM submissions WHERE account_id = ? AND id = ?",
                (account_id, call.resolve_id(raw_id)),
            ).fetchone()
            # RFC 8621 §7.5: only undoStatus may change, and only to "canceled"; the sandbox
            # sends at once (no delayed sends), so every submission is already final.
            if not exists:
                not_updated[raw_id] = {"type": "notFound"}
            elif patch != {"undoStatus": "canceled"}:
                not_updated[raw_id] = {
                    "type": "invalidProperties",
                    "properties": sorted(patch) if isinstance(patch, dict) else [],
                }
            else:
                not_updated[raw_id] = {"type": "cannotUnsend", "description": "Sent immediately."}
        for raw_id in destroy:
            submission_id = call.resolve_id(raw_id)
            gone = conn.execute(
                "DELETE FROM submissions WHERE account_id = ? AND id = ?",
                (account_id, submission_id),
            ).rowcount
            if not gone or submission_id is None:
                not_destroyed[raw_id] = {"type": "notFound"}
                continue
            changes.record(conn, account_id, "EmailSubmission", submission_id, "destroyed")
            destroyed.append(raw_id)
        new_state = changes.state(conn, account_id, "EmailSubmission")
    result = {
        "accountId": account_id,
        "oldState": old_state,
        "newState": new_state,
        "created": created or None,
        "updated": None,
        "destroyed": destroyed or None,
        "notCreated": not_created or None,
        "notUpdated": not_updated or None,
        "notDestroyed": not_destroyed or None,
    }
    email_update = {sent_email[ref]: patch for ref, patch in on_update.items() if ref in sent_email}
    email_destroy = [sent_email[ref] for ref in on_destroy if ref in sent_email]
    if email_update or email_destroy:
        implicit = Call(
            call.sandbox,
            call.account,
            "Email/set",
            {"accountId": account_id, "update": email_update, "destroy": email_destroy},
            call.call_id,
            call.created_ids,
            using=call.using,
        )
        call.implicit.append(("Email/set", set_emails(implicit)))
    return result
