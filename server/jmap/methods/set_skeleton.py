"""The parts every /get and /set method shares (RFC 8620 §5.1, §5.3), written once.

Each method module keeps its own rules for an object; what is the same for all types (parsing
create/update/destroy, the maxObjectsInSet limit, ifInState, the shape of the answer) lives here
so the methods cannot drift apart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from server.jmap.methods import Call, Json, MethodError


class GetArgs(NamedTuple):
    properties: list[str]
    ids: list[str] | None


def get_args(
    call: Call, default: list[str], known: Iterable[str] | None = None, extra: Iterable[str] = ()
) -> GetArgs:
    """The /get arguments `ids` and `properties` (RFC 8620 §5.1), and any `extra` the type has."""
    call.check_keys({"ids", "properties", *extra})
    properties = call.properties("properties", default, set(default if known is None else known))
    return GetArgs(properties, call.ids())


def get_answer(ids: list[str] | None, found: Mapping[str, Json], properties: list[str]) -> Json:
    """A /get's `list` and `notFound` (RFC 8620 §5.1): the ids asked for (all when null), in
    their order, with the properties asked for and always the id."""
    order = ids if ids is not None else list(found)
    return {
        "list": [
            {p: found[i][p] for p in ["id", *properties] if p in found[i]}
            for i in order
            if i in found
        ],
        "notFound": [i for i in order if i not in found],
    }


@dataclass(frozen=True)
class SetArgs:
    create: Json
    update: Json
    destroy: list[str]


def set_args(
    call: Call,
    extra: Iterable[str] = (),
    *,
    stateful: bool = True,
    too_large: str | None = None,
) -> SetArgs:
    """The /set arguments, checked as RFC 8620 §5.3 says; `stateful=False` for a type without
    state (PushSubscription: no ifInState). `too_large` is the requestTooLarge description."""
    call.check_keys({"create", "update", "destroy", *extra, *(["ifInState"] if stateful else [])})
    create = call.args.get("create") or {}
    update = call.args.get("update") or {}
    limit = call.sandbox.config.max_objects_in_set
    destroy = call.ids("destroy", limit) or []
    if not isinstance(create, dict) or not isinstance(update, dict):
        raise MethodError("invalidArguments", "create and update must be objects.")
    if len(create) + len(update) + len(destroy) > limit:
        raise MethodError("requestTooLarge", too_large)
    return SetArgs(create, update, destroy)


def check_if_in_state(
    call: Call,
    conn: sqlite3.Connection,
    account_id: str,
    type_name: str,
    name: str = "ifInState",
    description: str | None = None,
) -> str:
    """The type's state now; stateMismatch when the argument `name` asks for another one."""
    state = call.sandbox.changes.state(conn, account_id, type_name)
    expected = call.args.get(name)
    if expected is not None and expected != state:
        raise MethodError("stateMismatch", description)
    return state


def owned_row(
    conn: sqlite3.Connection, table: str, account_id: str, object_id: str
) -> sqlite3.Row | None:
    """The row of `table` with that id, if it is the account's (another's is not found)."""
    row: sqlite3.Row | None = conn.execute(
        f"SELECT * FROM {table} WHERE id = ? AND account_id = ?", (object_id, account_id)
    ).fetchone()
    return row


@dataclass
class SetResult:
    """What a /set did, object by object, rendered as RFC 8620 §5.3's answer."""

    created: Json = field(default_factory=dict)
    updated: Json = field(default_factory=dict)
    destroyed: list[str] = field(default_factory=list)
    not_created: Json = field(default_factory=dict)
    not_updated: Json = field(default_factory=dict)
    not_destroyed: Json = field(default_factory=dict)

    def updates(
        self, call: Call, conn: sqlite3.Connection, table: str, account_id: str, update: Json
    ) -> Iterator[tuple[str, str, sqlite3.Row, Json]]:
        """The updates to try, as (id given, id, row, patch): an unknown id is answered
        notFound and a patch that is not an object invalidProperties, here."""
        for raw_id, patch in update.items():
            object_id = call.resolve_id(raw_id) or raw_id
            row = owned_row(conn, table, account_id, object_id)
            if row is None:
                self.not_updated[raw_id] = {"type": "notFound"}
            elif not isinstance(patch, dict):
                self.not_updated[raw_id] = {"type": "invalidProperties", "properties": []}
            else:
                yield raw_id, object_id, row, patch

    def answer(
        self, account_id: str | None = None, old_state: str | None = None, new_state: str = ""
    ) -> Json:
        """The response; without `account_id` it has no accountId nor state (PushSubscription)."""
        head: Json = {}
        if account_id is not None:
            head = {"accountId": account_id, "oldState": old_state, "newState": new_state}
        return {
            **head,
            "created": self.created or None,
            "updated": self.updated or None,
            "destroyed": self.destroyed or None,
            "notCreated": self.not_created or None,
            "notUpdated": self.not_updated or None,
            "notDestroyed": self.not_destroyed or None,
        }
