"""VacationResponse/get and /set (RFC 8621 §8): the account's one auto-reply, id `singleton`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from server.jmap.methods import Call, Json, method
from server.jmap.methods.set_skeleton import SetResult, check_if_in_state, get_args, set_args
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
    properties, ids = get_args(call, PROPERTIES)
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
    args = set_args(call)
    changes = call.sandbox.changes
    singleton_only: Json = {
        "type": "singleton",
        "description": "There is one VacationResponse, `singleton`: update it.",
    }
    outcome = SetResult(
        not_created={c: dict(singleton_only) for c in args.create},
        not_destroyed={
            i: dict(singleton_only) if i == SINGLETON else {"type": "notFound"}
            for i in args.destroy
        },
    )
    with call.sandbox.db.write() as conn:
        old_state = check_if_in_state(call, conn, account_id, "VacationResponse")
        for object_id, props in args.update.items():
            if object_id != SINGLETON:
                outcome.not_updated[object_id] = {"type": "notFound"}
                continue
            if not isinstance(props, dict):
                outcome.not_updated[object_id] = {"type": "invalidProperties", "properties": []}
                continue
            bad = _invalid(props)
            if bad:
                outcome.not_updated[object_id] = {"type": "invalidProperties", "properties": bad}
                continue
            current = vacation.load(conn, account_id)
            new = replace(current, **{_FIELDS[k]: v for k, v in props.items() if k in _FIELDS})
            vacation.save(conn, account_id, new)
            changes.record(conn, account_id, "VacationResponse", SINGLETON, "updated")
            outcome.updated[object_id] = None
        new_state = changes.state(conn, account_id, "VacationResponse")
    return outcome.answer(account_id, old_state, new_state)
