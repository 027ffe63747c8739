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
import math
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from server.jmap import delayed
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
from server.jmap.methods.set_skeleton import SetResult, check_if_in_state, get_args, set_args
from server.mail import dsn, mime
from server.mail.store import DeliveryReport, new_id

if TYPE_CHECKING:
    from server.context import Sandbox
    from server.mail.stream import StoredMessage

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
    properties, ids = get_args(call, PROPERTIES)
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
    sandbox: Sandbox,
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
    config = sandbox.config
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
    return [sandbox.mail.import_message(account_id, message).blob_id]


def _send(
    sandbox: Sandbox, account_id: str, envelope: Json, stored: StoredMessage
) -> tuple[Json, list[str]]:
    """Delivery of one submission, now or at its release (RFC 4865): its deliveryStatus and the
    blob ids of the DSN's it produced. Joins the caller's write transaction. The message is
    streamed from its blob file (a 200 MB document is never held in memory whole)."""
    delivered = sandbox.mail.without_bcc(stored)
    recipients = [r["email"] for r in envelope["rcptTo"]]
    report = sandbox.mail.deliver_stored(delivered, recipients, sender_account_id=account_id)
    status = _status(report, sandbox.config.max_delivered_size)
    dsn_blob_ids = _notifications(
        sandbox, account_id, envelope, delivered.read_bytes, report, status
    )
    return status, dsn_blob_ids


def _queued(envelope: Json) -> Json:
    """deliveryStatus of a held submission: accepted by the MTA, not yet relayed (RFC 8621 §7)."""
    status: Json = {}
    for r in envelope["rcptTo"]:
        if r["email"].strip().lower() not in map(str.lower, status):
            status[r["email"].strip()] = {
                "smtpReply": "250 2.0.0 OK (FUTURERELEASE)",
                "delivered": "queued",
                "displayed": "unknown",
            }
    return status


def release(sandbox: Sandbox, submission_id: str) -> None:
    """Sends one held submission whose time has come (the delayed-send thread calls it); its
    record, if the client kept it, becomes final with the delivery's status."""
    with sandbox.db.write() as conn:
        held = conn.execute(
            "DELETE FROM held_sends WHERE submission_id = ? "
            "RETURNING account_id, blob_id, envelope",
            (submission_id,),
        ).fetchone()
        if held is None:  # canceled meanwhile
            return
        account_id, envelope = held["account_id"], json.loads(held["envelope"])
        stored = sandbox.mail.stored(held["blob_id"])
        status, dsn_blob_ids = _send(sandbox, account_id, envelope, stored)
        kept = conn.execute(
            "UPDATE submissions SET undo_status = 'final', delivery_status = ?, dsn_blob_ids = ? "
            "WHERE id = ? AND undo_status = 'pending'",
            (json.dumps(status), json.dumps(dsn_blob_ids), submission_id),
        ).rowcount
        if kept:
            sandbox.changes.record(conn, account_id, "EmailSubmission", submission_id, "updated")


def _create(call: Call, conn: sqlite3.Connection, account_id: str, props: Any) -> Json:
    """One submission, sent now or held (FUTURERELEASE); raises _SetError when it cannot be
    made."""
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
    now = time.time()
    try:
        release_at, given, hold = delayed.take_hold(
            props.get("envelope"), call.sandbox.config.max_delayed_send, now
        )
    except delayed.HoldError as e:
        raise _SetError(
            {"type": "invalidProperties", "properties": ["envelope"], "description": str(e)}
        ) from None
    stored = call.sandbox.mail.stored(row["blob_id"])
    envelope = _envelope(given, identity["email"], stored.headers)
    if envelope is None:
        raise _SetError({"type": "invalidProperties", "properties": ["envelope"]})
    if not envelope["rcptTo"]:
        raise _SetError({"type": "noRecipients"})
    if hold:
        envelope["mailFrom"]["parameters"] = {**(envelope["mailFrom"]["parameters"] or {}), **hold}
    submission_id = new_id("S")
    # A release time already past (HOLDUNTIL in the past, HOLDFOR=0) sends at once.
    held = release_at is not None and release_at > now
    dsn_blob_ids: list[str] = []
    if held:
        send_at = math.ceil(release_at or 0)  # never before the time asked for
        status = _queued(envelope)
        # The message as it is now: destroying or changing the Email later must not change
        # what is sent (RFC 8621 §7.5); blobs are immutable.
        conn.execute(
            "INSERT INTO held_sends (submission_id, account_id, blob_id, envelope, release_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (submission_id, account_id, row["blob_id"], json.dumps(envelope), send_at),
        )
        call.sandbox.db.after_commit(call.sandbox.delayed_sends.wake)
    else:
        send_at = int(now)
        status, dsn_blob_ids = _send(call.sandbox, account_id, envelope, stored)
    undo_status = "pending" if held else "final"
    conn.execute(
        "INSERT INTO submissions (id, account_id, identity_id, email_id, thread_id, envelope, "
        "send_at, undo_status, delivery_status, dsn_blob_ids) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            submission_id,
            account_id,
            call.resolve_id(identity_ref),
            row["id"],
            row["thread_id"],
            json.dumps(envelope),
            send_at,
            undo_status,
            json.dumps(status),
            json.dumps(dsn_blob_ids),
        ),
    )
    call.sandbox.changes.record(conn, account_id, "EmailSubmission", submission_id, "created")
    # The server-set properties (RFC 8621 §7.5).
    return {
        "id": submission_id,
        "threadId": row["thread_id"],
        "sendAt": mime.utc_date(datetime.fromtimestamp(send_at, UTC)),
        "undoStatus": undo_status,
        "deliveryStatus": status,
        "dsnBlobIds": dsn_blob_ids,
    }


def _cancel(call: Call, conn: sqlite3.Connection, account_id: str, raw_id: str, patch: Any) -> None:
    """Update of one submission: only undoStatus, only to "canceled", only while pending
    (RFC 8621 §7.5). Raises _SetError otherwise."""
    submission_id = call.resolve_id(raw_id)
    row = conn.execute(
        "SELECT undo_status, delivery_status FROM submissions WHERE account_id = ? AND id = ?",
        (account_id, submission_id),
    ).fetchone()
    if row is None or submission_id is None:
        raise _SetError({"type": "notFound"})
    if patch != {"undoStatus": "canceled"}:
        raise _SetError(
            {
                "type": "invalidProperties",
                "properties": sorted(patch) if isinstance(patch, dict) else [],
            }
        )
    if row["undo_status"] == "canceled":
        return  # already so: nothing changes
    unheld = conn.execute(
        "DELETE FROM held_sends WHERE submission_id = ?", (submission_id,)
    ).rowcount
    if row["undo_status"] != "pending" or not unheld:
        raise _SetError({"type": "cannotUnsend", "description": "Already sent."})
    status = {
        address: {**entry, "delivered": "no"}
        for address, entry in json.loads(row["delivery_status"]).items()
    }
    conn.execute(
        "UPDATE submissions SET undo_status = 'canceled', delivery_status = ? WHERE id = ?",
        (json.dumps(status), submission_id),
    )
    call.sandbox.changes.record(conn, account_id, "EmailSubmission", submission_id, "updated")


def _email_of(conn: sqlite3.Connection, submission_id: str | None) -> str:
    row = conn.execute("SELECT email_id FROM submissions WHERE id = ?", (submission_id,)).fetchone()
    return str(row[0]) if row else ""


class _SetError(Exception):
    def __init__(self, error: Json) -> None:
        super().__init__(error["type"])
        self.error = error


@method("EmailSubmission/set", SUBMISSION)
def submission_set(call: Call) -> Json:
    account_id = call.account_id
    args = set_args(call, {"onSuccessUpdateEmail", "onSuccessDestroyEmail"})
    on_update = call.args.get("onSuccessUpdateEmail") or {}
    on_destroy = call.ids("onSuccessDestroyEmail", call.sandbox.config.max_objects_in_set) or []
    if not isinstance(on_update, dict):
        raise MethodError("invalidArguments", "onSuccessUpdateEmail must be an object.")
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
    outcome = SetResult()
    # submission id (or #creationId) → the email it sent, for the onSuccess actions
    sent_email: dict[str, str] = {}
    with call.sandbox.db.write() as conn:
        old_state = check_if_in_state(call, conn, account_id, "EmailSubmission")
        for creation_id, props in args.create.items():
            try:
                done = _create(call, conn, account_id, props)
            except _SetError as e:
                outcome.not_created[creation_id] = e.error
                continue
            outcome.created[creation_id] = done
            call.created_ids[creation_id] = done["id"]
            email_id = call.resolve_id(props["emailId"]) or props["emailId"]
            sent_email["#" + creation_id] = email_id
            sent_email[done["id"]] = email_id
        for raw_id, patch in args.update.items():
            try:
                _cancel(call, conn, account_id, raw_id, patch)
            except _SetError as e:
                outcome.not_updated[raw_id] = e.error
                continue
            outcome.updated[raw_id] = None
            sent_email[raw_id] = _email_of(conn, call.resolve_id(raw_id))
        for raw_id in args.destroy:
            # RFC 8621 §7.5: "destroying an EmailSubmission object MUST NOT affect the
            # deliveries it represents. It purely removes the record of the submission." A
            # pending one's held send (held_sends) stays and is still released at its sendAt.
            submission_id = call.resolve_id(raw_id)
            email_of = _email_of(conn, submission_id)
            gone = conn.execute(
                "DELETE FROM submissions WHERE account_id = ? AND id = ?",
                (account_id, submission_id),
            ).rowcount
            if not gone or submission_id is None:
                outcome.not_destroyed[raw_id] = {"type": "notFound"}
                continue
            changes.record(conn, account_id, "EmailSubmission", submission_id, "destroyed")
            outcome.destroyed.append(raw_id)
            sent_email[raw_id] = email_of
        new_state = changes.state(conn, account_id, "EmailSubmission")
    result = outcome.answer(account_id, old_state, new_state)
    # The onSuccess actions apply to the submissions whose create/update/destroy succeeded
    # (RFC 8621 §7.5): for a held one, when it is created, not when it is released.
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
