"""Email/parse (RFC 8621 §4.9): a message blob read as an Email without importing it, so a
client can show an attached message (message/rfc822) with the same properties as Email/get."""

from __future__ import annotations

import email
import email.policy
from typing import Any

from server.jmap.methods import MAIL, Call, Json, MethodError, method
from server.jmap.methods.email import (
    DEFAULT_PROPERTIES,
    message_view,
    view_args,
)
from server.mail import mime

# Metadata a blob does not carry: always null in a parsed Email (RFC 8621 §4.9).
NULL_METADATA = ("id", "mailboxIds", "keywords", "receivedAt", "threadId")
# RFC 8621 §4.9: a parsed Email's default properties are Email/get's, less the metadata.
DEFAULT_PARSE_PROPERTIES = [
    p for p in DEFAULT_PROPERTIES if p not in {*NULL_METADATA, "blobId", "size"}
]


def _parsable(raw: bytes) -> bool:
    """A message has at least one header field; anything else (a PDF, an image) is not one."""
    if not raw.strip():
        return False
    try:
        return len(email.message_from_bytes(raw, policy=email.policy.compat32).keys()) > 0
    except Exception:
        return False


@method("Email/parse", MAIL)
def email_parse(call: Call) -> Json:
    account_id = call.account_id
    properties, body_props, fetch, max_bytes = view_args(call, "blobIds", DEFAULT_PARSE_PROPERTIES)
    blob_ids = call.ids("blobIds")
    if blob_ids is None:
        raise MethodError("invalidArguments", "blobIds is required.")
    blobs = call.sandbox.blobs
    parsed: Json = {}
    not_parsable: list[str] = []
    not_found: list[str] = []
    # A write transaction: the parts become blobs of the account, so their blobIds download.
    with call.sandbox.db.write() as conn:
        for raw_id in blob_ids:
            blob_id = call.resolve_id(raw_id) or raw_id
            info = blobs.info(conn, account_id, blob_id)
            if info is None:
                not_found.append(raw_id)
                continue
            raw = blobs.read_bytes(info.id)
            if not _parsable(raw):
                not_parsable.append(raw_id)
                continue
            message = mime.parse_message(raw)
            data = message.data
            for part in mime.iter_parts(data["bodyStructure"]):
                part_id = part["partId"]
                if part_id is not None:
                    content = message.contents[part_id]
                    part["blobId"] = blobs.put_bytes(
                        conn, account_id, content, part["type"] or "text/plain"
                    ).id
            out: dict[str, Any] = {}
            for prop in properties:
                if prop in NULL_METADATA:
                    out[prop] = None
                elif prop == "blobId":
                    out[prop] = info.id
                elif prop == "size":
                    out[prop] = info.size
            out.update(
                message_view(
                    data,
                    [p for p in properties if p not in out],
                    body_props,
                    fetch,
                    max_bytes,
                )
            )
            parsed[raw_id] = out
    return {
        "accountId": account_id,
        "parsed": parsed or None,
        "notParsable": not_parsable or None,
        "notFound": not_found or None,
    }
