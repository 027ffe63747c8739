"""JMAP methods: a registry filled by a decorator, one module per data type.

A method is a function of a `Call` returning its response arguments; it raises `MethodError`
for an RFC 8620 §3.6.2 error. Argument checking helpers live on `Call` so every method validates
the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from server.accounts import Account

if TYPE_CHECKING:
    from server.context import Sandbox

CORE = "urn:ietf:params:jmap:core"
MAIL = "urn:ietf:params:jmap:mail"
SUBMISSION = "urn:ietf:params:jmap:submission"

Json = dict[str, Any]
Handler = Callable[["Call"], Json]


class MethodError(Exception):
    def __init__(self, type_: str, description: str | None = None, **extra: Any) -> None:
        super().__init__(type_)
        self.type = type_
        self.extra: Json = dict(extra)
        if description:
            self.extra["description"] = description

    def response(self) -> Json:
        return {"type": self.type, **self.extra}


@dataclass(frozen=True)
class Method:
    name: str
    capability: str
    handler: Handler


METHODS: dict[str, Method] = {}


def method(name: str, capability: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = Method(name, capability, handler)
        return handler

    return register


@dataclass
class Call:
    """One method call of a request, with what the request shares between calls."""

    sandbox: Sandbox
    account: Account
    name: str
    args: Json
    call_id: str
    created_ids: dict[str, str]
    # Responses a method adds after its own (EmailSubmission/set's implicit Email/set).
    implicit: list[tuple[str, Json]] = field(default_factory=list)
    # The request's `using`: a method that reaches another data type checks it (as Cyrus does).
    using: frozenset[str] = frozenset()

    @property
    def account_id(self) -> str:
        """The accountId argument, which must be the caller's own account."""
        value = self.args.get("accountId")
        if not isinstance(value, str):
            raise MethodError("invalidArguments", "accountId is required.")
        if value != self.account.id:
            raise MethodError("accountNotFound")
        return value

    def check_keys(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.args) - allowed - {"accountId"})
        if unknown:
            raise MethodError("invalidArguments", f"Unknown arguments: {', '.join(unknown)}.")

    def resolve_id(self, value: str) -> str | None:
        """An id, or `#creationId` of an object created earlier in the request."""
        if value.startswith("#"):
            return self.created_ids.get(value[1:])
        return value

    def ids(self, name: str = "ids", limit: int | None = None) -> list[str] | None:
        value = self.args.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise MethodError("invalidArguments", f"{name} must be a list of ids.")
        limit = self.sandbox.config.max_objects_in_get if limit is None else limit
        if len(value) > limit:
            raise MethodError("requestTooLarge", f"At most {limit} ids per call.")
        return list(dict.fromkeys(value))

    def properties(self, name: str, default: list[str], known: set[str]) -> list[str]:
        value = self.args.get(name)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise MethodError("invalidArguments", f"{name} must be a list of strings.")
        unknown = [p for p in value if p not in known and not p.startswith("header:")]
        if unknown:
            raise MethodError("invalidArguments", f"Unknown properties: {', '.join(unknown)}.")
        return list(dict.fromkeys(value))

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.args.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise MethodError("invalidArguments", f"{name} must be a boolean.")
        return value

    def integer(self, name: str, default: int | None, minimum: int | None = None) -> int | None:
        value = self.args.get(name, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise MethodError("invalidArguments", f"{name} must be an integer.")
        if minimum is not None and value < minimum:
            raise MethodError("invalidArguments", f"{name} must be at least {minimum}.")
        if abs(value) > 2**53 - 1:
            raise MethodError("invalidArguments", f"{name} is out of range.")
        number: int = value
        return number

    def string(self, name: str) -> str:
        value = self.args.get(name)
        if not isinstance(value, str):
            raise MethodError("invalidArguments", f"{name} must be a string.")
        return value


def standard_changes(call: Call, type_name: str) -> Json:
    """/changes of any type (RFC 8620 §5.2) from the change log."""
    from server.jmap.changes import CannotCalculateChanges

    account_id = call.account_id
    call.check_keys({"sinceState", "maxChanges"})
    since = call.string("sinceState")
    max_changes = call.integer("maxChanges", None, minimum=1)
    try:
        with call.sandbox.db.read() as conn:
            changes = call.sandbox.changes.changes(conn, account_id, type_name, since, max_changes)
    except CannotCalculateChanges:
        raise MethodError("cannotCalculateChanges") from None
    return {
        "accountId": account_id,
        "oldState": changes.old_state,
        "newState": changes.new_state,
        "hasMoreChanges": changes.has_more_changes,
        "created": changes.created,
        "updated": changes.updated,
        "destroyed": changes.destroyed,
    }


def load_all() -> None:
    """Imports every method module, so their decorators fill METHODS."""
    import importlib

    for name in (
        "copy",
        "core",
        "email",
        "email_import",
        "email_parse",
        "identity",
        "identity_set",
        "push_subscription",
        "vacation",
        "mailbox",
        "mdn",
        "snippet",
        "query_changes",
        "submission",
        "submission_query",
        "thread",
    ):
        importlib.import_module(f"server.jmap.methods.{name}")
