"""Identity/set (RFC 8621 §6.3): the addresses an account sends as, with their signatures.

The sandbox has no portal to grant addresses, so an account may use its own address and the
addresses it already has an identity for (given by the demo data); any other is `forbiddenFrom`.
The account's own address is its main identity: it may not be destroyed (`mayDelete: false`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from server.jmap.methods import SUBMISSION, Call, Json, method
from server.jmap.methods.set_skeleton import SetResult, check_if_in_state, owned_row, set_args
from server.mail.store import new_id

_SETTABLE = {"name", "replyTo", "bcc", "textSignature", "htmlSignature"}
_SERVER_SET = {"id", "mayDelete"}


def main_identity(conn: sqlite3.Connection, call: Call) -> str | None:
    """The identity made with the account (its own address, the oldest): it stays."""
    row = conn.execute(
        "SELECT id FROM identities WHERE account_id = ? AND lower(email) = lower(?) "
        "ORDER BY rowid LIMIT 1",
        (call.account.id, call.account.email),
    ).fetchone()
    return str(row[0]) if row else None


def _addresses(value: Any) -> bool:
    """An EmailAddress[] (RFC 8621 §4.1.2.3) or null."""
    if value is None:
        return True
    return isinstance(value, list) and all(
        isinstance(a, dict)
        and set(a) <= {"name", "email"}
        and isinstance(a.get("email"), str)
        and isinstance(a.get("name"), str | None)
        for a in value
    )


def _invalid(props: Json, creating: bool) -> list[str]:
    """The names of the properties that are wrong (unknown, of a bad type, or not settable)."""
    bad: list[str] = []
    for name, value in props.items():
        if name in ("name", "textSignature", "htmlSignature"):
            ok = isinstance(value, str)
        elif name in ("replyTo", "bcc"):
            ok = _addresses(value)
        elif name == "email":
            ok = creating and isinstance(value, str) and "@" in value
        else:  # id, mayDelete (server-set) or unknown
            ok = False
        if not ok:
            bad.append(name)
    if creating and "email" not in props:
        bad.append("email")
    return bad


def _allowed(conn: sqlite3.Connection, call: Call, address: str) -> bool:
    if address.lower() == call.account.email.lower():
        return True
    row = conn.execute(
        "SELECT 1 FROM identities WHERE account_id = ? AND lower(email) = lower(?)",
        (call.account.id, address),
    ).fetchone()
    return row is not None


def _columns(props: Json) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for name, column in (
        ("name", "name"),
        ("textSignature", "text_signature"),
        ("htmlSignature", "html_signature"),
    ):
        if name in props:
            columns[column] = props[name]
    for name, column in (("replyTo", "reply_to"), ("bcc", "bcc")):
        if name in props:
            columns[column] = json.dumps(props[name]) if props[name] is not None else None
    return columns


def _write(conn: sqlite3.Connection, identity_id: str, columns: dict[str, Any]) -> bool:
    """Sets the identity's columns; False when there was nothing to set."""
    if not columns:
        return False
    assignments = ", ".join(f"{c} = ?" for c in columns)
    conn.execute(
        f"UPDATE identities SET {assignments} WHERE id = ?", (*columns.values(), identity_id)
    )
    return True


@method("Identity/set", SUBMISSION)
def identity_set(call: Call) -> Json:
    account_id = call.account_id
    args = set_args(call)
    changes = call.sandbox.changes
    outcome = SetResult()
    with call.sandbox.db.write() as conn:
        old_state = check_if_in_state(call, conn, account_id, "Identity")
        main = main_identity(conn, call)
        for creation_id, props in args.create.items():
            if not isinstance(props, dict):
                outcome.not_created[creation_id] = {"type": "invalidProperties", "properties": []}
                continue
            bad = _invalid(props, creating=True)
            if bad:
                outcome.not_created[creation_id] = {"type": "invalidProperties", "properties": bad}
                continue
            if not _allowed(conn, call, props["email"]):
                outcome.not_created[creation_id] = {
                    "type": "forbiddenFrom",
                    "description": "This account may not send from that address.",
                }
                continue
            identity_id = new_id("I")
            conn.execute(
                "INSERT INTO identities (id, account_id, name, email) VALUES (?, ?, '', ?)",
                (identity_id, account_id, props["email"]),
            )
            _write(conn, identity_id, _columns(props))
            changes.record(conn, account_id, "Identity", identity_id, "created")
            call.created_ids[creation_id] = identity_id
            # Server-set and defaulted properties come back (RFC 8620 §5.3).
            outcome.created[creation_id] = {
                "id": identity_id,
                "mayDelete": identity_id != main,
                **{p: d for p, d in _DEFAULTS.items() if p not in props},
            }
        for raw_id, identity_id, row, props in outcome.updates(
            call, conn, "identities", account_id, args.update
        ):
            # Immutable properties may be "set" to their current value (RFC 8620 §5.3).
            current = {"id": row["id"], "email": row["email"], "mayDelete": identity_id != main}
            changed = {k: v for k, v in props.items() if not (k in current and current[k] == v)}
            bad = _invalid(changed, creating=False)
            if bad:
                outcome.not_updated[raw_id] = {"type": "invalidProperties", "properties": bad}
                continue
            if _write(conn, identity_id, _columns(changed)):
                changes.record(conn, account_id, "Identity", identity_id, "updated")
            outcome.updated[raw_id] = None
        for identity_id in args.destroy:
            if owned_row(conn, "identities", account_id, identity_id) is None:
                outcome.not_destroyed[identity_id] = {"type": "notFound"}
                continue
            if identity_id == main:
                outcome.not_destroyed[identity_id] = {
                    "type": "forbidden",
                    "description": "The account's own address cannot be removed.",
                }
                continue
            conn.execute("DELETE FROM identities WHERE id = ?", (identity_id,))
            changes.record(conn, account_id, "Identity", identity_id, "destroyed")
            outcome.destroyed.append(identity_id)
        new_state = changes.state(conn, account_id, "Identity")
    return outcome.answer(account_id, old_state, new_state)


_DEFAULTS: Json = {
    "name": "",
    "replyTo": None,
    "bcc": None,
    "textSignature": "",
    "htmlSignature": "",
}
