"""The JMAP API endpoint (RFC 8620 §3): request checks, method dispatch, result references.

Request-level problems are answered as application/problem+json before any method runs;
each method call then fails or succeeds on its own, and an unexpected exception in one call
becomes a serverFail for that call only.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from fastapi.responses import JSONResponse

from server.accounts import Account
from server.jmap.methods import METHODS, Call, Json, MethodError, load_all

if TYPE_CHECKING:
    from server.context import Sandbox

log = logging.getLogger("server.jmap")

load_all()

ERROR_PREFIX = "urn:ietf:params:jmap:error:"


class RequestProblem(Exception):
    def __init__(self, type_: str, detail: str, status: int = 400, **extra: Any) -> None:
        super().__init__(detail)
        self.type = type_
        self.detail = detail
        self.status = status
        self.extra = extra

    def response(self) -> JSONResponse:
        return problem(self.type, self.detail, self.status, **self.extra)


def problem(type_: str, detail: str, status: int = 400, **extra: Any) -> JSONResponse:
    """An RFC 7807 problem document; a bare JMAP error name gets the JMAP error prefix."""
    full_type = type_ if ":" in type_ else ERROR_PREFIX + type_
    return JSONResponse(
        {"type": full_type, "status": status, "detail": detail, **extra},
        status_code=status,
        media_type="application/problem+json",
    )


def check_content_type(value: str | None) -> None:
    """RFC 8620 §3.6.1: a body that is not declared application/json is not executed."""
    media_type = (value or "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise RequestProblem("notJSON", "The request's Content-Type must be application/json.")


class _NotIJson(ValueError):
    pass


def _unique_members(pairs: list[tuple[str, Any]]) -> Json:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _NotIJson("duplicate member names")
    return members


def _no_constant(name: str) -> Any:
    raise _NotIJson(f"{name} is not JSON")


def _i_json(body: bytes) -> Any:
    """The body as I-JSON (RFC 8620 §3.6.1 names it; RFC 7493 §2): UTF-8 only, no duplicate
    member names, no NaN or Infinity, no lone surrogate (which no database or encoder accepts
    afterwards: refused here, once, instead of failing in whichever method stores it)."""
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_unique_members, parse_constant=_no_constant)
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate raises here
    except (ValueError, RecursionError):  # UnicodeError and JSONDecodeError are ValueErrors
        raise RequestProblem("notJSON", "The request body is not valid I-JSON.") from None
    return value


def parse_request(body: bytes, max_calls: int, supported: set[str]) -> Json:
    """`supported`: the capabilities the Session advertises; `using` any other is refused."""
    request = _i_json(body)
    if not isinstance(request, dict):
        raise RequestProblem("notRequest", "The request must be a JSON object.")
    using = request.get("using")
    calls = request.get("methodCalls")
    created = request.get("createdIds", {})
    if not isinstance(using, list) or not all(isinstance(u, str) for u in using):
        raise RequestProblem("notRequest", "`using` must be a list of capability strings.")
    if not isinstance(calls, list) or not all(
        isinstance(c, list)
        and len(c) == 3
        and isinstance(c[0], str)
        and isinstance(c[1], dict)
        and isinstance(c[2], str)
        for c in calls
    ):
        raise RequestProblem("notRequest", "`methodCalls` must be a list of [name, args, id].")
    if not isinstance(created, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in created.items()
    ):
        raise RequestProblem("notRequest", "`createdIds` must map creation ids to ids.")
    unknown = sorted(set(using) - supported)
    if unknown:
        raise RequestProblem(
            "unknownCapability", f"Unsupported capabilities: {', '.join(unknown)}."
        )
    if len(calls) > max_calls:
        raise RequestProblem(
            "limit", f"At most {max_calls} method calls per request.", limit="maxCallsInRequest"
        )
    return request


def execute(sandbox: Sandbox, account: Account, request: Json, session_state: str) -> Json:
    using = set(request["using"])
    created_ids: dict[str, str] = dict(request.get("createdIds", {}))
    responses: list[list[Any]] = []
    for name, args, call_id in request["methodCalls"]:
        for response_name, response_args in _one_call(
            sandbox, account, using, name, args, call_id, created_ids, responses
        ):
            responses.append([response_name, response_args, call_id])
    result: Json = {"methodResponses": responses, "sessionState": session_state}
    if "createdIds" in request:
        result["createdIds"] = created_ids
    return result


def _one_call(
    sandbox: Sandbox,
    account: Account,
    using: set[str],
    name: str,
    args: Json,
    call_id: str,
    created_ids: dict[str, str],
    responses: list[list[Any]],
) -> list[tuple[str, Json]]:
    method = METHODS.get(name)
    if method is None or method.capability not in using:
        return [("error", {"type": "unknownMethod"})]
    try:
        resolved = resolve_references(args, responses)
    except MethodError as e:
        return [("error", e.response())]
    call = Call(sandbox, account, name, resolved, call_id, created_ids, using=frozenset(using))
    try:
        result = method.handler(call)
    except MethodError as e:
        return [("error", e.response())]
    except Exception:
        log.exception("method %s failed", name)
        return [("error", {"type": "serverFail"})]
    return [(name, result), *call.implicit]


def resolve_references(args: Json, responses: list[list[Any]]) -> Json:
    """Replaces `#name` arguments by the value they point to (RFC 8620 §3.7)."""
    resolved: Json = {}
    for key, value in args.items():
        if not key.startswith("#"):
            resolved[key] = value
            continue
        plain = key[1:]
        if plain in args:
            raise MethodError("invalidArguments", f"Both {plain} and #{plain} given.")
        if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) for k in ("resultOf", "name", "path")
        ):
            raise MethodError("invalidResultReference", f"#{plain} is not a result reference.")
        source = next(
            (r for r in responses if r[2] == value["resultOf"] and r[0] == value["name"]), None
        )
        if source is None:
            raise MethodError("invalidResultReference", f"No response matches #{plain}.")
        try:
            resolved[plain] = json_pointer(source[1], value["path"])
        except (KeyError, IndexError, ValueError, TypeError):
            raise MethodError("invalidResultReference", f"Bad path in #{plain}.") from None
    return resolved


def json_pointer(document: Any, pointer: str) -> Any:
    """RFC 6901 plus JMAP's `*` (map over an array, flattening arrays)."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise ValueError(pointer)
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]
    return _walk(document, tokens)


def _walk(value: Any, tokens: list[str]) -> Any:
    if not tokens:
        return value
    token, rest = tokens[0], tokens[1:]
    if isinstance(value, list):
        if token == "*":  # noqa: S105 (a JSON pointer token, not a secret)
            out: list[Any] = []
            for item in value:
                got = _walk(item, rest)
                if isinstance(got, list):
                    out.extend(got)
                else:
                    out.append(got)
            return out
        if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
            raise ValueError(token)
        return _walk(value[int(token)], rest)
    if isinstance(value, dict):
        return _walk(value[token], rest)
    raise TypeError(token)
