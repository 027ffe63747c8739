"""Thread/get and Thread/changes (RFC 8621 §3): a thread is the emails sharing a thread id."""

from __future__ import annotations

import json

from server.jmap.methods import MAIL, Call, Json, MethodError, method, standard_changes


@method("Thread/get", MAIL)
def thread_get(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"ids", "properties"})
    call.properties("properties", [], {"id", "emailIds"})
    ids = call.ids()
    found: dict[str, list[str]] = {}
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Thread")
        if ids is None:
            rows = conn.execute(
                "SELECT thread_id, id FROM emails WHERE account_id = ? ORDER BY received_at, seq",
                (account_id,),
            ).fetchall()
            if len({r[0] for r in rows}) > call.sandbox.config.max_objects_in_get:
                raise MethodError("requestTooLarge", "Too many threads: give ids.")
        else:
            wanted = [call.resolve_id(i) or i for i in ids]
            rows = conn.execute(
                "SELECT thread_id, id FROM emails WHERE account_id = ? AND thread_id IN "
                "(SELECT value FROM json_each(?)) ORDER BY received_at, seq",
                (account_id, json.dumps(wanted)),
            ).fetchall()
    for thread_id, email_id in rows:
        found.setdefault(thread_id, []).append(email_id)
    order = ids if ids is not None else list(found)
    return {
        "accountId": account_id,
        "state": state,
        "list": [{"id": t, "emailIds": found[t]} for t in order if t in found],
        "notFound": [t for t in order if t not in found],
    }


@method("Thread/changes", MAIL)
def thread_changes(call: Call) -> Json:
    return standard_changes(call, "Thread")
