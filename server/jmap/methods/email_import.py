"""Email/import (RFC 8621 §4.8): a whole message the client built, from an uploaded blob, into
mailboxes. Clients use it for what Email/set cannot describe, such as a read receipt (a
multipart/report) sent where the server has no JMAP MDN."""

from __future__ import annotations

from datetime import UTC, datetime

from server.jmap.methods import MAIL, Call, Json, MethodError, method
from server.jmap.methods.email import _date, _keywords


@method("Email/import", MAIL)
def email_import(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"ifInState", "emails"})
    emails = call.args.get("emails")
    if not isinstance(emails, dict):
        raise MethodError("invalidArguments", "emails must be an object.")
    if len(emails) > call.sandbox.config.max_objects_in_set:
        raise MethodError("requestTooLarge")
    changes = call.sandbox.changes
    created: Json = {}
    not_created: Json = {}
    with call.sandbox.db.write() as conn:
        old_state = changes.state(conn, account_id, "Email")
        if_in_state = call.args.get("ifInState")
        if if_in_state is not None and if_in_state != old_state:
            raise MethodError("stateMismatch")
        known = call.sandbox.mail.mailbox_ids(conn, account_id)
        for creation_id, given in emails.items():
            props = given if isinstance(given, dict) else {}
            # RFC 8620 §5.3: name each bad property, required ones included.
            bad: list[str] = []
            blob_ref = props.get("blobId")
            blob_id = call.resolve_id(blob_ref) if isinstance(blob_ref, str) else None
            if not isinstance(blob_ref, str):
                bad.append("blobId")
            mailboxes = props.get("mailboxIds")
            boxes = [
                call.resolve_id(m)
                for m, on in (mailboxes.items() if isinstance(mailboxes, dict) else ())
                if on is True
            ]
            if not boxes or not all(b in known for b in boxes):
                bad.append("mailboxIds")
            keywords = _keywords(props.get("keywords", {}))
            if keywords is None:
                bad.append("keywords")
            received_at = datetime.now(UTC)
            if props.get("receivedAt") is not None:
                try:
                    received_at = datetime.fromtimestamp(
                        _date(props["receivedAt"], "receivedAt"), UTC
                    )
                except MethodError:
                    bad.append("receivedAt")
            if bad or keywords is None:
                not_created[creation_id] = {"type": "invalidProperties", "properties": bad}
                continue
            info = call.sandbox.blobs.info(conn, account_id, blob_id) if blob_id else None
            if info is None:
                not_created[creation_id] = {"type": "blobNotFound", "notFound": [blob_ref]}
                continue
            stored = call.sandbox.mail.stored(info.id)
            done = call.sandbox.mail.import_stored(
                conn,
                account_id,
                stored,
                [b for b in boxes if b is not None],
                keywords,
                received_at,
            )
            created[creation_id] = {
                "id": done.email_id,
                "blobId": done.blob_id,
                "threadId": done.thread_id,
                "size": stored.size,
            }
            call.created_ids[creation_id] = done.email_id
        new_state = changes.state(conn, account_id, "Email")
    return {
        "accountId": account_id,
        "oldState": old_state,
        "newState": new_state,
        "created": created or None,
        "notCreated": not_created or None,
    }
