"""Request bodies are capped before anything reads them — authentication and parsing included —
and counted as they arrive, so that an anonymous 200 MB POST costs the sandbox nothing.

Without a cap, Starlette's `request.body()` and `request.form()` (urlencoded) gather the whole
body in memory, and FastAPI reads a route's body before it runs the route's dependencies — the
regional API's authentication among them: 200 MB of JSON cost some 400 MB of RSS before the 401
(bench/bodies.py).

Each route has its cap (`cap_for`): the upload route `maxSizeUpload`, the JMAP API
`maxSizeRequest`, a resource team's template upload its template limit plus the multipart
envelope, the rest of the regional API 1 MB of JSON (a teleconsultation with its participants is
a few kB), and everything else — the token and revocation forms, the portal's registration form,
routes that take no body — 64 kB. A declared Content-Length above the cap is refused before a
byte is read; a body that grows past it (chunked, or a lying Content-Length) is refused the moment
it does. The refusal (413) comes in the shape of the area it is addressed to: JMAP's
problem+json with the limit's name (a 400 on the API endpoint, as RFC 8620 §3.6.1 has it), the
regional API's JSON with a French message, OAuth's error, the portal's page, FHIR's
OperationOutcome.

Why not Starlette's RequestBodyLimitMiddleware (or FastAPI's `max_body_size`): those caps are
fixed when the routes are declared, while ours come from this sandbox's config (tests shorten
them); they answer in one shape; and they raise from `receive`, so a route that catches its
parser's exceptions (the token endpoint's form) turns the 413 into a 400. Here the middleware
answers 413 itself, closes the connection (the rest of the body is not drained), tells the route
that the client has gone (`http.disconnect`, as uvicorn does), and drops whatever the route still
sends or raises because of it. A route that answers before reading the body (a 401 before an
upload) gets its connection closed after the answer too, rather than the rest of the body read
and thrown away.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import urls
from server.directory import fhir
from server.jmap.api import problem
from server.portal.pages import page
from server.regional.errors import error_response

if TYPE_CHECKING:
    from server.context import Sandbox

log = logging.getLogger("server.bodies")

SMALL_BODY = 64 * 1024
REGIONAL_JSON_BODY = 1024 * 1024
MULTIPART_ENVELOPE = 64 * 1024  # boundaries and part headers around a template file

_TEMPLATES = re.compile(rf"^{urls.REGIONAL_API_PATH}/resource-teams/[^/]+/templates/?$")


@dataclass(frozen=True)
class Cap:
    limit: int
    too_large: Callable[[], Response]  # the 413, in the area's own shape


def cap_for(sandbox: Sandbox, method: str, path: str) -> Cap:
    """The largest body `method path` may carry, and how its area says it is too large."""
    config = sandbox.config
    if method == "POST" and path.startswith(urls.JMAP_UPLOAD_PATH.split("{", 1)[0]):
        return _jmap(config.max_size_upload, "maxSizeUpload", "The upload", 413)
    if path == urls.JMAP_API_PATH:  # RFC 8620 §3.6.1 answers its "limit" problem with a 400
        return _jmap(config.max_size_request, "maxSizeRequest", "The request", 400)
    if path.startswith("/jmap/") or path == urls.JMAP_SESSION_PATH:
        return Cap(SMALL_BODY, lambda: problem("about:blank", _bytes(SMALL_BODY), status=413))
    if path.startswith(urls.REGIONAL_API_PATH + "/"):
        limit = REGIONAL_JSON_BODY
        if method == "POST" and _TEMPLATES.match(path):
            limit = sandbox.regional.teams.template_limit() + MULTIPART_ENVELOPE
        message = f"La requête dépasse la taille maximale acceptée ({_megabytes(limit)} Mo)."
        return Cap(limit, lambda: error_response(413, "too_large", message))
    if path in (urls.AUTH_TOKEN_PATH, urls.AUTH_REVOKE_PATH):
        return Cap(SMALL_BODY, lambda: _oauth_too_large(SMALL_BODY))
    if path.startswith(urls.PORTAL_PATH + "/"):
        return Cap(SMALL_BODY, _portal_too_large)
    if path.startswith(urls.DIRECTORY_PATH + "/"):
        body = fhir.outcome("too-long", _bytes(SMALL_BODY))
        return Cap(
            SMALL_BODY, lambda: JSONResponse(body, status_code=413, media_type=fhir.FHIR_JSON)
        )
    return Cap(SMALL_BODY, lambda: problem("about:blank", _bytes(SMALL_BODY), status=413))


class BodyCap:
    """The ASGI middleware that applies `cap_for` to every HTTP request."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = cap_for(self.sandbox, scope["method"], scope["path"])
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap.limit:
            log.info("refused a %s-byte body on %s %s", declared, scope["method"], scope["path"])
            await _refuse(cap, scope, receive, send)
            return
        received = 0
        refused = False
        started = False
        # A body still on its way when the answer starts (a 401 before reading it): the
        # connection closes after the answer rather than reading the rest to throw it away.
        unread = (declared.isdigit() and int(declared) > 0) or "transfer-encoding" in headers

        async def counted() -> Message:
            nonlocal received, refused, unread
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                unread = bool(message.get("more_body", False))
                if received > cap.limit:
                    log.info("refused a body past %d bytes on %s", cap.limit, scope["path"])
                    refused = True
                    if not started:
                        await _refuse(cap, scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if refused:  # the 413 is the answer
                return
            if message["type"] == "http.response.start":
                started = True
                if unread:
                    MutableHeaders(scope=message)["Connection"] = "close"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise
            log.debug("route ended by the refused body", exc_info=True)


async def _refuse(cap: Cap, scope: Scope, receive: Receive, send: Send) -> None:
    response = cap.too_large()
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _jmap(limit: int, name: str, what: str, status: int) -> Cap:
    detail = f"{what} is larger than {name} ({limit} bytes)."
    return Cap(limit, lambda: problem("limit", detail, status=status, limit=name))


def _oauth_too_large(limit: int) -> Response:
    return JSONResponse(
        {"error": "invalid_request", "error_description": _bytes(limit)},
        status_code=413,
        headers={"Cache-Control": "no-store"},
    )


def _portal_too_large() -> Response:
    body = "<p>Le formulaire envoyé est trop volumineux. Revenez à la page et réessayez.</p>"
    return HTMLResponse(page("Requête trop volumineuse", body), status_code=413)


def _bytes(limit: int) -> str:
    return f"The request body is larger than {limit} bytes."


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")
