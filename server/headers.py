"""Security headers on every answer of the sandbox, HTML and API alike.

- `Content-Security-Policy: default-src 'self'; script-src 'none'; …; frame-ancestors 'none'`:
  a page of the portal loads nothing that does not come from the sandbox (its style sheet is a
  file of its own, not inline: portal/pages.py) and runs no script at all — not even one from
  the sandbox, whose downloads hold what other users sent —, its forms post only to the sandbox,
  and no other site can frame it (clickjacking). On a JSON answer it costs nothing and covers a
  browser that is tricked into rendering one. One page runs a script: the teleconsultation
  room (server/portal/room.py) sends its own policy, which lets in the sandbox's scripts (its
  room.js file; never inline) and the room's WebSocket, and that policy is kept.
- `X-Content-Type-Options: nosniff`: a downloaded blob or a JSON answer is never guessed to be
  HTML or script.
- `Referrer-Policy: no-referrer`: a portal URL (a patient's INS in its path) never leaks to the
  sites its links lead to.

One pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which would buffer the push
stream); the app's handler of unexpected errors, which runs outside the middlewares, sets the
same headers itself (`SECURITY_HEADERS`).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_POLICY = "Content-Security-Policy"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name == _POLICY and name in headers:
                        continue  # the room page's own policy (see above)
                    headers[name] = value  # replaces a route's own copy: one of each
            await send(message)

        await self.app(scope, receive, with_headers)
