"""EmailSubmission/query and /queryChanges (RFC 8621 §7.3, §7.4).

Filters and sorts look at the submission alone, so /queryChanges is answered from the change log
like Email's (see query_changes.py).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from server.jmap.methods import SUBMISSION, Call, Json, MethodError, method
from server.jmap.methods.email import _date, _FilterCompiler
from server.jmap.methods.mailbox import window
from server.jmap.methods.query_changes import _query_changes

SORTS = {"emailId": "email_id", "threadId": "thread_id", "sentAt": "send_at"}
UNDO_STATUSES = ("pending", "final", "canceled")
KEYS = {"filter", "sort"}


class _Filter(_FilterCompiler):
    """Email/query's FilterOperator compiler, with the conditions of a submission."""

    def _one(self, key: str, value: Any) -> str:
        columns = {"identityIds": "identity_id", "emailIds": "email_id", "threadIds": "thread_id"}
        if key in columns:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise MethodError("invalidArguments", f"{key} must be a list of ids.")
            self.params.append(json.dumps([self.call.resolve_id(v) or v for v in value]))
            return f"{columns[key]} IN (SELECT value FROM json_each(?))"
        if key == "undoStatus":
            if value not in UNDO_STATUSES:
                raise MethodError("invalidArguments", "Unknown undoStatus.")
            self.params.append(value)
            return "undo_status = ?"
        if key in ("before", "after"):
            self.params.append(_date(value, key))
            return "send_at < ?" if key == "before" else "send_at >= ?"
        raise MethodError("unsupportedFilter", f"Unknown filter {key}.")


def _order_by(sort: Any) -> str:
    if sort is None:
        return "send_at ASC, rowid ASC"
    if not isinstance(sort, list) or not all(isinstance(s, dict) for s in sort):
        raise MethodError("invalidArguments", "sort must be a list of comparators.")
    terms = []
    for comparator in sort:
        prop = comparator.get("property")
        if not isinstance(prop, str) or prop not in SORTS:
            raise MethodError("unsupportedSort", f"Cannot sort by {prop}.")
        ascending = comparator.get("isAscending", True)
        if not isinstance(ascending, bool):
            raise MethodError("invalidArguments", "isAscending must be a boolean.")
        terms.append(SORTS[prop] + (" ASC" if ascending else " DESC"))
    return ", ".join([*terms, "rowid ASC"])


def _ids(call: Call, conn: sqlite3.Connection, account_id: str) -> list[str]:
    compiler = _Filter(call, conn)
    where = compiler.compile(call.args["filter"]) if call.args.get("filter") is not None else "1"
    order_by = _order_by(call.args.get("sort"))
    rows = conn.execute(
        f"SELECT id FROM submissions WHERE account_id = ? AND {where} ORDER BY {order_by}",
        (account_id, *compiler.params),
    )
    return [r[0] for r in rows]


@method("EmailSubmission/query", SUBMISSION)
def submission_query(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({*KEYS, "position", "anchor", "anchorOffset", "limit", "calculateTotal"})
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "EmailSubmission")
        ids = _ids(call, conn, account_id)
    return {**window(call, ids, state), "canCalculateChanges": True}


@method("EmailSubmission/queryChanges", SUBMISSION)
def submission_query_changes(call: Call) -> Json:
    return _query_changes(call, "EmailSubmission", KEYS, True, submission_query)
