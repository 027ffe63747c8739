"""Thread/get and Thread/changes (RFC 8621 §3): a thread is the emails sharing a thread id."""

from __future__ import annotations

import json

from server.jmap.methods import MAIL, Call, Json, MethodError, method, standard_changes
from server.jmap.methods.set_skeleton import get_args


@method("Thread/get", MAIL)
def thread_get(call: Call) -> Json:
    account_id = call.account_id
    ids = get_args(call, [], {"id", "emailIds"}).ids
    if ids is None:
        # RFC 8620 §5.1 lets a server refuse "all of them"; Cyrus always does for threads. So does
        # the sandbox, so that no client comes to rely on it.
        raise MethodError("requestTooLarge", "Thread/get needs ids.")
    found: dict[str, list[str]] = {}
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Thread")
        wanted = [call.resolve_id(i) or i for i in ids]
        rows = conn.execute(
            "SELECT thread_id, id FROM emails WHERE account_id = ? AND thread_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY received_at, seq",
            (account_id, json.dumps(wanted)),
        ).fetchall()
    for thread_id, email_id in rows:
        found.setdefault(thread_id, []).append(email_id)
    order = ids
    return {
        "accountId": account_id,
        "state": state,
        "list": [{"id": t, "emailIds": found[t]} for t in order if t in found],
        "notFound": [t for t in order if t not in found],
    }


@method("Thread/changes", MAIL)
def thread_changes(call: Call) -> Json:
    return standard_changes(call, "Thread")
