"""Other origins for the tests of where credentials go (app.remote.origins), as real HTTP servers on
loopback beside the sandbox:

- `Recorder`: "the other origin". It records every request (and whether it carried a credential)
  and answers like a JMAP server of its own would — a Session naming itself, empty method
  responses — so that a client that trusted it would go on and send it the credentials.
- `Front`: a reverse proxy at its own origin in front of a sandbox. The Host header goes through,
  and X-Forwarded-Proto is set, so the sandbox names the front's origin (https included) as its
  own; and it can answer as other deployments do:
  `/.well-known/jmap` redirected elsewhere (the Session is also served at /jmap/session, where
  Cyrus keeps it), the Session edited, no token endpoint (a plain JMAP server: HTTP Basic). Push
  streams and blobs go through as they come.

Both are plain ASGI applications run by server.testing.AppThread.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx

from server.testing import AppThread

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
SessionEdit = Callable[[dict[str, Any]], dict[str, Any]]

SESSION_PATH = "/.well-known/jmap"
SESSION_ALIAS = "/jmap/session"
HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"content-length", b"upgrade"}
CREDENTIAL_HEADERS = (b"authorization", b"cookie")


@dataclass(frozen=True)
class Seen:
    method: str
    host: str
    path: str
    query: str
    headers: dict[str, str]

    @property
    def credential(self) -> bool:
        """An Authorization or Cookie header, or a one-time code in the query."""
        return any(h.decode() in self.headers for h in CREDENTIAL_HEADERS) or "code=" in self.query


class Recorder:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._lock = threading.Lock()

    @property
    def credentials(self) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.credential]

    def record(self, scope: Scope) -> Seen:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        seen = Seen(
            scope["method"],
            headers.get("host", ""),
            scope["path"],
            scope["query_string"].decode("latin-1"),
            headers,
        )
        with self._lock:
            self.seen.append(seen)
        return seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        seen = self.record(scope)
        await _drain(receive)
        base = f"http://{seen.host}"
        if seen.method == "GET" and seen.path in (SESSION_PATH, SESSION_ALIAS):
            body: dict[str, Any] = own_session(base)
        elif seen.method == "POST" and seen.path == "/auth/token":
            body = {"access_token": "autre", "token_type": "Bearer", "expires_in": 600}
        elif seen.method == "POST":
            body = {"methodResponses": [], "sessionState": "s1", "blobId": "b1", "size": 0}
            body["type"] = "application/octet-stream"
        else:
            body = {}
        await _respond(send, 200, json.dumps(body).encode(), b"application/json")


def own_session(base: str) -> dict[str, Any]:
    """A plausible Session whose every URL is at `base`."""
    core = "urn:ietf:params:jmap:core"
    mail = "urn:ietf:params:jmap:mail"
    return {
        "capabilities": {core: {}, mail: {}},
        "accounts": {"a1": {"name": "a", "isPersonal": True, "accountCapabilities": {mail: {}}}},
        "primaryAccounts": {mail: "a1"},
        "username": "a",
        "apiUrl": base + "/jmap/api",
        "uploadUrl": base + "/jmap/upload/{accountId}/",
        "downloadUrl": base + "/jmap/download/{accountId}/{blobId}/{name}?type={type}",
        "eventSourceUrl": base + "/jmap/eventsource?types={types}&closeafter={closeafter}",
        "state": "s1",
    }


class Front(Recorder):
    """Attributes may be changed between requests: the next one sees the new behaviour."""

    def __init__(
        self,
        upstream: str,
        *,
        session_location: str | None = None,
        edit_session: SessionEdit | None = None,
        token_endpoint: bool = True,
    ) -> None:
        super().__init__()
        self.upstream = upstream.rstrip("/")
        self.session_location = session_location
        self.edit_session = edit_session
        self.token_endpoint = token_endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.record(scope)
        path = scope["path"]
        if path == "/auth/token" and not self.token_endpoint:
            await _drain(receive)
            await _respond(send, 405, b"", b"text/plain")
            return
        if path == SESSION_PATH and self.session_location is not None:
            await _drain(receive)
            await _respond(send, 301, b"", b"text/plain", self.session_location)
            return
        body = await _drain(receive)
        if path == SESSION_ALIAS:
            path = SESSION_PATH
        query = scope["query_string"].decode("latin-1")
        raw = SESSION_PATH if path == SESSION_PATH else scope["raw_path"].decode("latin-1")
        url = self.upstream + raw + (f"?{query}" if query else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP]
        headers.append((b"x-forwarded-proto", scope["scheme"].encode()))  # as reverse proxies do
        # Push streams are quiet between pings: read patiently.
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, read=120.0)) as client:
            request = client.build_request(scope["method"], url, headers=headers, content=body)
            upstream = await client.send(request, stream=True)
            try:
                edit = self.edit_session
                if path == SESSION_PATH and edit is not None and upstream.status_code == 200:
                    edited = edit(json.loads(await upstream.aread()))
                    await _respond(send, 200, json.dumps(edited).encode(), b"application/json")
                    return
                kept = [(k, v) for k, v in upstream.headers.raw if k.lower() not in HOP_BY_HOP]
                await send(
                    {"type": "http.response.start", "status": upstream.status_code, "headers": kept}
                )
                async for chunk in upstream.aiter_raw():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
            finally:
                await upstream.aclose()


def rewrite(old: str, new: str) -> SessionEdit:
    """A Session edit that moves every URL of `old` (a base URL) to `new`."""

    def edit(session: dict[str, Any]) -> dict[str, Any]:
        edited: dict[str, Any] = json.loads(json.dumps(session).replace(old, new))
        return edited

    return edit


def naming(key: str, url: str) -> SessionEdit:
    """A Session edit that points one URL at `url`: a top-level key (apiUrl…) or one of the
    regional capability (directoryUrl…)."""

    def edit(session: dict[str, Any]) -> dict[str, Any]:
        regional = session["capabilities"].get("urn:monsisra:params:regional", {})
        (regional if key in regional else session)[key] = url
        return session

    return edit


async def _drain(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def _respond(
    send: Send, status: int, body: bytes, content_type: bytes, location: str | None = None
) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    if location is not None:
        headers.append((b"location", location.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def start(app: Any, **kwargs: Any) -> AppThread:
    return AppThread(app, name=type(app).__name__.lower(), **kwargs).start()
