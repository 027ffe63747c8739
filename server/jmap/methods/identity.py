"""Identity/get and Identity/changes (RFC 8621 §6): who the account may send as."""

from __future__ import annotations

import json

from server.jmap.methods import SUBMISSION, Call, Json, method, standard_changes
from server.jmap.methods.identity_set import main_identity
from server.jmap.methods.set_skeleton import get_answer, get_args

PROPERTIES = [
    "id",
    "name",
    "email",
    "replyTo",
    "bcc",
    "textSignature",
    "htmlSignature",
    "mayDelete",
]


@method("Identity/get", SUBMISSION)
def identity_get(call: Call) -> Json:
    account_id = call.account_id
    properties, ids = get_args(call, PROPERTIES)
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Identity")
        rows = conn.execute(
            "SELECT * FROM identities WHERE account_id = ? ORDER BY rowid", (account_id,)
        ).fetchall()
        main = main_identity(conn, call)
    found: dict[str, Json] = {
        row["id"]: {
            "id": row["id"],
            "name": row["name"],
            "email": row["email"],
            "replyTo": json.loads(row["reply_to"]) if row["reply_to"] else None,
            "bcc": json.loads(row["bcc"]) if row["bcc"] else None,
            "textSignature": row["text_signature"],
            "htmlSignature": row["html_signature"],
            "mayDelete": row["id"] != main,
        }
        for row in rows
    }
    return {"accountId": account_id, "state": state, **get_answer(ids, found, properties)}


@method("Identity/changes", SUBMISSION)
def identity_changes(call: Call) -> Json:
    return standard_changes(call, "Identity")
