"""Email/queryChanges and Mailbox/queryChanges (RFC 8620 §5.6).

A query state is the type's state, so the change log says which objects changed since then:
every changed or destroyed id is `removed`, every changed id still in the results is `added`
at its new index (the RFC allows such over-reporting). That is exact only when an object's place
depends on its own properties alone; queries that look at other objects (thread keywords,
collapsed threads, mailbox trees) get cannotCalculateChanges.
"""

from __future__ import annotations

from typing import Any

from server.jmap.changes import CannotCalculateChanges
from server.jmap.methods import MAIL, Call, Json, MethodError, method
from server.jmap.methods.email import email_query
from server.jmap.methods.mailbox import mailbox_query

THREAD_DEPENDENT = {"allInThreadHaveKeyword", "someInThreadHaveKeyword", "noneInThreadHaveKeyword"}
ATTEMPTS = 3


def _mentions_thread(value: Any) -> bool:
    """True when a filter or sort refers to other emails of the thread."""
    if isinstance(value, dict):
        if value.get("property") in THREAD_DEPENDENT:
            return True
        return any(k in THREAD_DEPENDENT or _mentions_thread(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_mentions_thread(v) for v in value)
    return False


def email_query_calculable(args: Json) -> bool:
    return not (
        args.get("collapseThreads") is True
        or _mentions_thread(args.get("filter"))
        or _mentions_thread(args.get("sort"))
    )


def mailbox_query_calculable(args: Json) -> bool:
    return args.get("sortAsTree") is not True and args.get("filterAsTree") is not True


def _query_changes(
    call: Call, type_name: str, keys: set[str], calculable: bool, query: Any
) -> Json:
    account_id = call.account_id
    call.check_keys({"sinceQueryState", "maxChanges", "upToId", "calculateTotal", *keys})
    since = call.string("sinceQueryState")
    max_changes = call.integer("maxChanges", None, minimum=1)
    up_to = call.args.get("upToId")
    if up_to is not None and not isinstance(up_to, str):
        raise MethodError("invalidArguments", "upToId must be an id.")
    calculate_total = call.boolean("calculateTotal")
    if not calculable:
        raise MethodError("cannotCalculateChanges", "This query's results depend on others.")
    query_args = {k: call.args[k] for k in ("accountId", *keys) if k in call.args}
    for _ in range(ATTEMPTS):
        try:
            with call.sandbox.db.read() as conn:
                changes = call.sandbox.changes.changes(conn, account_id, type_name, since, None)
        except CannotCalculateChanges:
            raise MethodError("cannotCalculateChanges") from None
        sub = Call(
            call.sandbox,
            call.account,
            call.name,
            query_args,
            call.call_id,
            call.created_ids,
            using=call.using,
        )
        result = query(sub)
        if result["queryState"] == changes.new_state:
            break
    else:
        raise MethodError("cannotCalculateChanges", "The results change too fast.")
    ids: list[str] = result["ids"]
    touched = changes.created + changes.updated
    removed = changes.updated + changes.destroyed
    index = {email_id: i for i, email_id in enumerate(ids)}
    added: list[Json] = [
        {"id": i, "index": index[i]}
        for i in sorted(touched, key=lambda i: index.get(i, -1))
        if i in index
    ]
    if max_changes is not None and len(removed) + len(added) > max_changes:
        raise MethodError("tooManyChanges")
    out: Json = {
        "accountId": account_id,
        "oldQueryState": since,
        "newQueryState": changes.new_state,
        "removed": removed,
        "added": added,
    }
    if calculate_total:
        out["total"] = len(ids)
    return out


@method("Email/queryChanges", MAIL)
def email_query_changes(call: Call) -> Json:
    return _query_changes(
        call,
        "Email",
        {"filter", "sort", "collapseThreads"},
        email_query_calculable(call.args),
        email_query,
    )


@method("Mailbox/queryChanges", MAIL)
def mailbox_query_changes(call: Call) -> Json:
    return _query_changes(
        call,
        "Mailbox",
        {"filter", "sort", "sortAsTree", "filterAsTree"},
        mailbox_query_calculable(call.args),
        mailbox_query,
    )
