"""VacationResponse/get and /set (RFC 8621 §8): the account's one auto-reply, id `singleton`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from server.jmap.methods import Call, Json, MethodError, method
from server.mail import vacation
from server.mail.vacation import SINGLETON

VACATION = "urn:ietf:params:jmap:vacationresponse"
PROPERTIES = ["id", "isEnabled", "fromDate", "toDate", "subject", "textBody", "htmlBody"]
_FIELDS = {
    "isEnabled": "is_enabled",
    "fromDate": "from_date",
    "toDate": "to_date",
    "subject": "subject",
    "textBody": "text_body",
    "htmlBody": "html_body",
}


@method("VacationResponse/get", VACATION)
def vacation_get(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys({"ids", "properties"})
    properties = call.properties("properties", PROPERTIES, set(PROPERTIES))
    ids = call.ids()
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "VacationResponse")
        current = vacation.load(conn, account_id).as_json()
    order = ids if ids is not None else [SINGLETON]
    return {
        "accountId": account_id,
        "state": state,
        "list": [{p: current[p] for p in ["id", *properties]} for i in order if i == SINGLETON],
        "notFound": [i for i in order if i != SINGLETON],
    }


def _invalid(props: dict[str, Any]) -> list[str]:
    bad: list[str] = []
    for name, value in props.items():
        if name == "id":
            ok = value == SINGLETON
        elif name == "isEnabled":
            ok = isinstance(value, bool)
        elif name in ("fromDate", "toDate"):
            ok = value is None or (isinstance(value, str) and bool(vacation.parse_utc_date(value)))
        elif name in ("subject", "textBody", "htmlBody"):
            ok = value is None or isinstance(value, str)
        else:
            ok = False
        if not ok:
            bad.append(name)
    return bad


@method("VacationResponse/set", VACATION)
def vacation_set(call: Call) -> Json:
    """Only `update` of the singleton: it can be neither created nor destroyed."""
    account_id = call.account_id
    call.check_keys({"ifInState", "create", "update", "destroy"})
    create = call.args.get("create") or {}
    update = call.args.get("update") or {}
    limit = call.sandbox.config.max_objects_in_set
    destroy = call.ids("destroy", limit) or []
    if not isinstance(create, dict) or not isinstance(update, dict):
        raise MethodError("invalidArguments", "create and update must be objects.")
    if len(create) + len(update) + len(destroy) > limit:
        raise MethodError("requestTooLarge")
    changes = call.sandbox.changes
    updated: Json = {}
    not_updated: Json = {}
    singleton_only = "There is one VacationResponse, `singleton`: update it."
    not_created: Json = {c: {"type": "singleton", "description": singleton_only} for c in create}
    not_destroyed: Json = {
        i: (
            {"type": "singleton", "description": singleton_only}
            if i == SINGLETON
            else {"type": "notFound"}
        )
        for i in destroy
    }
    with call.sandbox.db.write() as conn:
        old_state = changes.state(conn, account_id, "VacationResponse")
        if_in_state = call.args.get("ifInState")
        if if_in_state is not None and if_in_state != old_state:
            raise MethodError("stateMismatch")
        for object_id, props in update.items():
            if object_id != SINGLETON:
                not_updated[object_id] = {"type": "notFound"}
                continue
            if not isinstance(props, dict):
                not_updated[object_id] = {"type": "invalidProperties", "properties": []}
                continue
            bad = _invalid(props)
            if bad:
                not_updated[object_id] = {"type": "invalidProperties", "properties": bad}
                continue
            current = vacation.load(conn, account_id)
            new = replace(current, **{_FIELDS[k]: v for k, v in props.items() if k in _FIELDS})
            vacation.save(conn, account_id, new)
            changes.record(conn, account_id, "VacationResponse", SINGLETON, "updated")
            updated[object_id] = None
        new_state = changes.state(conn, account_id, "VacationResponse")
    return {
        "accountId": account_id,
        "oldState": old_state,
        "newState": new_state,
        "created": None,
        "updated": updated or None,
        "destroyed": None,
        "notCreated": not_created or None,
        "notUpdated": not_updated or None,
        "notDestroyed": not_destroyed or None,
    }
