"""PushSubscription/get and /set (RFC 8620 §7.2): no accountId, no state, the user's own only.

`url` and `keys` are secrets of the client: never returned. `expires` is capped at
MAX_LIFETIME (the capped value comes back in `created`/`updated`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from server.jmap.methods import CORE, Call, Json, MethodError, method
from server.jmap.methods.set_skeleton import SetResult, get_answer, get_args, set_args
from server.jmap.push_subscriptions import (
    MAX_LIFETIME,
    PushSubscriptions,
    loopback_url,
    now_epoch,
    valid_keys,
)
from server.mail.store import new_id
from server.mail.vacation import parse_utc_date

PROPERTIES = ["id", "deviceClientId", "verificationCode", "expires", "types"]
_SECRET = {"url", "keys"}


def _utc(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _types_ok(value: Any) -> bool:
    return value is None or (
        isinstance(value, list) and all(isinstance(t, str) and t for t in value)
    )


def _expires(value: Any) -> int | None:
    """The expiry asked for, capped; None when it is not a UTCDate in the future."""
    cap = now_epoch() + int(MAX_LIFETIME.total_seconds())
    if value is None:
        return cap
    when = parse_utc_date(value) if isinstance(value, str) else None
    if when is None or when.timestamp() <= now_epoch():
        return None
    return min(int(when.timestamp()), cap)


@method("PushSubscription/get", CORE)
def push_get(call: Call) -> Json:
    properties, ids = get_args(call, PROPERTIES, {*PROPERTIES, *_SECRET})
    if _SECRET & set(properties):
        raise MethodError("forbidden", "url and keys are never returned.")
    with call.sandbox.db.write() as conn:
        PushSubscriptions.purge_expired(conn)
        rows = conn.execute(
            "SELECT * FROM push_subscriptions WHERE account_id = ? ORDER BY rowid",
            (call.account.id,),
        ).fetchall()
    found = {
        row["id"]: {
            "id": row["id"],
            "deviceClientId": row["device_client_id"],
            "verificationCode": row["verification_code"] if row["verified"] else None,
            "expires": _utc(row["expires"]),
            "types": json.loads(row["types"]) if row["types"] else None,
        }
        for row in rows
    }
    return get_answer(ids, found, properties)


def _create_error(props: Any) -> Json | None:
    if not isinstance(props, dict):
        return {"type": "invalidProperties", "properties": []}
    bad = sorted(set(props) - {"deviceClientId", "url", "keys", "expires", "types"})
    if not isinstance(props.get("deviceClientId"), str) or not props["deviceClientId"]:
        bad.append("deviceClientId")
    url = props.get("url")
    if not isinstance(url, str) or not loopback_url(url):
        bad.append("url")
    if props.get("keys") is not None and not valid_keys(props["keys"]):
        bad.append("keys")
    if _expires(props.get("expires")) is None:
        bad.append("expires")
    if not _types_ok(props.get("types")):
        bad.append("types")
    if bad:
        description = "url: the sandbox pushes to loopback URLs only." if "url" in bad else None
        error: Json = {"type": "invalidProperties", "properties": bad}
        if description:
            error["description"] = description
        return error
    return None


@method("PushSubscription/set", CORE)
def push_set(call: Call) -> Json:
    args = set_args(call, stateful=False)
    account_id = call.account.id
    pushes = call.sandbox.push_subscriptions
    outcome = SetResult()
    to_verify: list[tuple[str, str, Any, str]] = []
    with call.sandbox.db.write() as conn:
        PushSubscriptions.purge_expired(conn)
        for creation_id, props in args.create.items():
            error = _create_error(props)
            if error:
                outcome.not_created[creation_id] = error
                continue
            subscription_id = new_id("P")
            expires = _expires(props.get("expires"))
            code = pushes.new_code()
            conn.execute(
                "INSERT INTO push_subscriptions (id, account_id, device_client_id, url, keys, "
                "verification_code, expires, types) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    subscription_id,
                    account_id,
                    props["deviceClientId"],
                    props["url"],
                    json.dumps(props["keys"]) if props.get("keys") else None,
                    code,
                    expires,
                    json.dumps(props["types"]) if props.get("types") is not None else None,
                ),
            )
            call.created_ids[creation_id] = subscription_id
            outcome.created[creation_id] = {"id": subscription_id, "expires": _utc(expires or 0)}
            to_verify.append((subscription_id, props["url"], props.get("keys"), code))
        for raw_id, subscription_id, row, props in outcome.updates(
            call, conn, "push_subscriptions", account_id, args.update
        ):
            # Only these may change (RFC 8620 §7.2.2); the others are immutable.
            bad = sorted(set(props) - {"verificationCode", "expires", "types"})
            given = props.get("verificationCode")
            if "verificationCode" in props and given != row["verification_code"]:
                bad.append("verificationCode")
            expires = _expires(props["expires"]) if "expires" in props else row["expires"]
            if expires is None:
                bad.append("expires")
            if "types" in props and not _types_ok(props["types"]):
                bad.append("types")
            if bad:
                outcome.not_updated[raw_id] = {"type": "invalidProperties", "properties": bad}
                continue
            types = props["types"] if "types" in props else json.loads(row["types"] or "null")
            conn.execute(
                "UPDATE push_subscriptions SET verified = ?, expires = ?, types = ? WHERE id = ?",
                (
                    int(bool(row["verified"]) or "verificationCode" in props),
                    expires,
                    json.dumps(types) if types is not None else None,
                    subscription_id,
                ),
            )
            asked = props.get("expires")
            capped = "expires" in props and (
                not isinstance(asked, str) or _expires(asked) != _as_epoch(asked)
            )
            outcome.updated[raw_id] = {"expires": _utc(expires or 0)} if capped else None
        for subscription_id in args.destroy:
            gone = conn.execute(
                "DELETE FROM push_subscriptions WHERE id = ? AND account_id = ?",
                (subscription_id, account_id),
            ).rowcount
            if gone:
                outcome.destroyed.append(subscription_id)
            else:
                outcome.not_destroyed[subscription_id] = {"type": "notFound"}
    for subscription_id, url, keys, code in to_verify:
        pushes.send_verification(subscription_id, url, keys, code)
    return outcome.answer()


def _as_epoch(value: str) -> int | None:
    when = parse_utc_date(value)
    return int(when.timestamp()) if when else None
