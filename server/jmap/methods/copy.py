"""Email/copy (RFC 8621 §4.7) and Blob/copy (RFC 8620 §6.3): from one account to another.

The sandbox gives each user one account and no shared ones, so over the API a copy always ends
in fromAccountNotFound, accountNotFound or (same account twice, which RFC 8620 §5.4 forbids)
invalidArguments. The copying itself is written for any two accounts the caller may access:
`copy_emails` and `copy_blobs` take that set, which is where sharing would plug in.
"""

from __future__ import annotations

import json
from collections.abc import Set
from datetime import UTC, datetime
from typing import Any

from server.jmap.methods import CORE, MAIL, Call, Json, MethodError, method
from server.jmap.methods.email import _keywords, date_prop, new_mailbox_ids, set_emails
from server.jmap.methods.set_skeleton import check_if_in_state

# RFC 8621 §4.7: what a copy may change; everything else comes from the original.
COPY_PROPERTIES = {"id", "mailboxIds", "keywords", "receivedAt"}


def _accounts(call: Call, accessible: Set[str]) -> tuple[str, str]:
    """(fromAccountId, accountId), checked against what the caller may access."""
    from_id = call.args.get("fromAccountId")
    to_id = call.args.get("accountId")
    if not isinstance(from_id, str) or not isinstance(to_id, str):
        raise MethodError("invalidArguments", "fromAccountId and accountId are required.")
    if from_id not in accessible:
        raise MethodError("fromAccountNotFound")
    if to_id not in accessible:
        raise MethodError("accountNotFound")
    if from_id == to_id:
        raise MethodError("invalidArguments", "accountId must differ from fromAccountId.")
    return from_id, to_id


@method("Blob/copy", CORE)
def blob_copy(call: Call) -> Json:
    return copy_blobs(call, {call.account.id})


def copy_blobs(call: Call, accessible: Set[str]) -> Json:
    call.check_keys({"fromAccountId", "blobIds"})
    from_id, to_id = _accounts(call, accessible)
    blob_ids = call.ids("blobIds", call.sandbox.config.max_objects_in_set)
    if blob_ids is None:
        raise MethodError("invalidArguments", "blobIds is required.")
    blobs = call.sandbox.blobs
    copied: dict[str, str] = {}
    not_copied: Json = {}
    with call.sandbox.db.write() as conn:
        for blob_id in blob_ids:
            info = blobs.info(conn, from_id, blob_id)
            if info is None:
                not_copied[blob_id] = {"type": "blobNotFound"}
                continue
            # Content-addressed: the copy is the same bytes, so the same id, now owned by both.
            conn.execute(
                "INSERT OR IGNORE INTO blobs (account_id, id, size, type, created_at) "
                "SELECT ?, id, size, type, created_at FROM blobs WHERE account_id = ? AND id = ?",
                (to_id, from_id, info.id),
            )
            copied[blob_id] = info.id
    return {
        "fromAccountId": from_id,
        "accountId": to_id,
        "copied": copied or None,
        "notCopied": not_copied or None,
    }


@method("Email/copy", MAIL)
def email_copy(call: Call) -> Json:
    return copy_emails(call, {call.account.id})


def _one_copy(
    call: Call, conn: Any, from_id: str, to_id: str, props: Any
) -> tuple[Json | None, Json | None, str | None]:
    """(created, None, original id) or (None, SetError, None)."""
    if not isinstance(props, dict):
        return None, {"type": "invalidProperties", "description": "Not an object."}, None
    bad = sorted(set(props) - COPY_PROPERTIES)
    original = props.get("id")
    if not isinstance(original, str):
        bad.append("id")
    boxes = new_mailbox_ids(call, conn, to_id, props.get("mailboxIds"))
    if boxes is None:
        bad.append("mailboxIds")
        boxes = []
    keywords = None
    if "keywords" in props:
        keywords = _keywords(props["keywords"])
        if keywords is None:
            bad.append("keywords")
    received_at = date_prop(props, "receivedAt", bad)
    if bad:
        return None, {"type": "invalidProperties", "properties": sorted(set(bad))}, None
    assert isinstance(original, str)
    row = conn.execute(
        "SELECT id, blob_id, received_at, keywords FROM emails WHERE account_id = ? AND id = ?",
        (from_id, original),
    ).fetchone()
    if row is None:
        return None, {"type": "notFound", "description": "No such email to copy."}, None
    # The sandbox forbids a second copy of the same message in an account (as Cyrus does).
    existing = conn.execute(
        "SELECT id FROM emails WHERE account_id = ? AND blob_id = ? ORDER BY seq LIMIT 1",
        (to_id, row["blob_id"]),
    ).fetchone()
    if existing is not None:
        return None, {"type": "alreadyExists", "existingId": existing["id"]}, None
    stored = call.sandbox.mail.stored(row["blob_id"])
    done = call.sandbox.mail.import_stored(
        conn,
        to_id,
        stored,
        boxes,
        keywords if keywords is not None else json.loads(row["keywords"]),
        received_at or datetime.fromtimestamp(row["received_at"], UTC),
    )
    created = {
        "id": done.email_id,
        "blobId": done.blob_id,
        "threadId": done.thread_id,
        "size": stored.size,
    }
    return created, None, original


def copy_emails(call: Call, accessible: Set[str]) -> Json:
    call.check_keys(
        {
            "fromAccountId",
            "ifFromInState",
            "ifInState",
            "create",
            "onSuccessDestroyOriginal",
            "destroyFromIfInState",
        }
    )
    from_id, to_id = _accounts(call, accessible)
    create = call.args.get("create")
    if not isinstance(create, dict):
        raise MethodError("invalidArguments", "create must be an object.")
    if len(create) > call.sandbox.config.max_objects_in_set:
        raise MethodError("requestTooLarge")
    destroy_original = call.boolean("onSuccessDestroyOriginal")
    destroy_if = call.args.get("destroyFromIfInState")
    for name in ("ifFromInState", "ifInState", "destroyFromIfInState"):
        value = call.args.get(name)
        if value is not None and not isinstance(value, str):
            raise MethodError("invalidArguments", f"{name} must be a string.")
    changes = call.sandbox.changes
    created: Json = {}
    not_created: Json = {}
    originals: list[str] = []
    with call.sandbox.db.write() as conn:
        check_if_in_state(
            call, conn, from_id, "Email", "ifFromInState", "ifFromInState does not match."
        )
        old_state = check_if_in_state(
            call, conn, to_id, "Email", description="ifInState does not match."
        )
        for creation_id, props in create.items():
            done, error, original = _one_copy(call, conn, from_id, to_id, props)
            if done is None:
                not_created[creation_id] = error
                continue
            created[creation_id] = done
            call.created_ids[creation_id] = done["id"]
            if original is not None:
                originals.append(original)
        new_state = changes.state(conn, to_id, "Email")
    if destroy_original and originals:
        # RFC 8621 §4.7: an implicit Email/set on the source account, answered after this one.
        owner = call.sandbox.accounts.by_id(from_id)
        assert owner is not None
        destroy = Call(
            call.sandbox,
            owner,
            "Email/set",
            {"accountId": from_id, "destroy": originals, "ifInState": destroy_if},
            call.call_id,
            call.created_ids,
            using=call.using,
        )
        try:
            call.implicit.append(("Email/set", set_emails(destroy)))
        except MethodError as e:
            call.implicit.append(("error", e.response()))
    return {
        "fromAccountId": from_id,
        "accountId": to_id,
        "oldState": old_state,
        "newState": new_state,
        "created": created or None,
        "notCreated": not_created or None,
    }
