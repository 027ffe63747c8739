"""Authentication against the server (DESIGN §2.1): the token endpoint, transparent refresh, and
HTTP Basic for servers that have no token endpoint (plain JMAP servers).

`ServerAuth` is an httpx.Auth: every client built on the account's AsyncClient gets a valid
Bearer without knowing about tokens. When the server refuses the refresh token the session needs
the password again: ReauthRequired is raised, nothing is retried against the server until
`reauthenticate` succeeds, and workers that `await auth.wait_authenticated()` then carry on with
their work where they left it.

It is also where the account's credentials are held back: every request made with the account's
client passes its flow, which refuses (before anything is sent) a URL whose origin the account's
OriginPolicy does not allow, and refuses the answer of a redirect that httpx was asked to follow.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from typing import Literal

import httpx

from app import logs, messages
from app.account.vault import format_wait
from app.errors import CoreError
from app.remote.http import (
    USER_AGENT,
    ServerUnreachable,
    get_following,
    network_errors,
    parse_retry_after,
    send_with_backoff,
)
from app.remote.jmap import SESSION_PATH
from app.remote.origins import OriginPolicy, OriginRefused

__all__ = [
    "AccountInactive",
    "AuthProtocolError",
    "LoginRejected",
    "LoginThrottled",
    "ReauthRequired",
    "ServerAuth",
    "ServerUnreachable",
    "Tokens",
    "basic_check",
    "parse_token_response",
    "password_grant",
    "refresh_grant",
    "revoke",
    "token_url",
]

log = logs.get("auth")

TOKEN_PATH = "/auth/token"  # noqa: S105 (a path, not a secret)
REVOKE_PATH = "/auth/revoke"
UNAVAILABLE = frozenset({502, 503, 504})


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    # time.monotonic() seconds: the deadline is `expires_in` counted from the answer, so a wall
    # clock set forward or back neither expires the token early nor keeps it past its life.
    expires_at: float

    def __repr__(self) -> str:  # never print a token, even in a traceback
        return f"Tokens(expires_at={self.expires_at:.0f}, refresh={self.refresh_token is not None})"


class LoginRejected(CoreError):
    message = messages.LOGIN_REJECTED


class AccountInactive(LoginRejected):
    """The password is right, but the account waits for its activation link (a Sara account
    just created): the server says so with `error_reason` beside `invalid_grant`."""

    message = messages.ACCOUNT_INACTIVE


class LoginThrottled(CoreError):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"login throttled for {retry_after:.0f} s",
            messages.LOGIN_THROTTLED.fill(wait=format_wait(retry_after)),
        )


class ReauthRequired(CoreError):
    message = messages.REAUTH_REQUIRED


class AuthProtocolError(CoreError):
    message = messages.AUTH_PROTOCOL


def token_url(server_url: str) -> str:
    return server_url.rstrip("/") + TOKEN_PATH


def parse_token_response(body: bytes, now: float, previous_refresh: str | None = None) -> Tokens:
    """A token endpoint's JSON → Tokens. Anything malformed is AuthProtocolError."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise AuthProtocolError("token response is not JSON") from None
    if not isinstance(doc, dict):
        raise AuthProtocolError("token response is not an object")
    access, kind = doc.get("access_token"), doc.get("token_type", "Bearer")
    if (
        not isinstance(access, str)
        or not access
        or not access.isascii()
        or not access.isprintable()
    ):
        raise AuthProtocolError("token response without a usable access_token")
    if not isinstance(kind, str) or kind.lower() != "bearer":
        raise AuthProtocolError("unsupported token_type")
    expires_in = doc.get("expires_in", 3600)
    if type(expires_in) not in (int, float) or not 0 < expires_in < 10**9:
        raise AuthProtocolError("bad expires_in")
    refresh = doc.get("refresh_token")
    if refresh is not None and (not isinstance(refresh, str) or not refresh):
        raise AuthProtocolError("bad refresh_token")
    return Tokens(access, refresh or previous_refresh, now + float(expires_in))


def _oauth_error(response: httpx.Response) -> str | None:
    return _oauth_field(response, "error")


def _oauth_field(response: httpx.Response, name: str) -> str | None:
    """A text field of an OAuth error answer (`error`, or an extension such as `error_reason`)."""
    try:
        doc = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(doc, dict):
        value = doc.get(name)
        if isinstance(value, str):
            return value
        detail = doc.get("detail")  # FastAPI-style wrapping
        if isinstance(detail, dict) and isinstance(detail.get(name), str):
            return str(detail[name])
    return None


def _throttled(response: httpx.Response) -> LoginThrottled:
    wait = parse_retry_after(response.headers.get("Retry-After"))
    return LoginThrottled(wait if wait is not None else 60.0)


async def password_grant(
    http: httpx.AsyncClient, server_url: str, login: str, password: str
) -> Tokens | None:
    """Tokens for login + password; None when the server has no token endpoint (use Basic)."""
    request = http.build_request(
        "POST",
        token_url(server_url),
        data={"grant_type": "password", "username": login, "password": password},
        headers={"Accept": "application/json"},
    )
    # Only 503 is retried: a 429 here is the login throttle, which the user must see.
    response = await send_with_backoff(http, request, retry_statuses={503}, without_auth=True)
    now = time.monotonic()
    status = response.status_code
    if status == 200:
        log.info("password grant accepted")
        return parse_token_response(response.content, now)
    if status in (404, 405, 501):
        log.info("no token endpoint (HTTP %d): HTTP Basic", status)
        return None
    if status == 429:
        raise _throttled(response)
    if status in (400, 401) and (status == 401 or _oauth_error(response) == "invalid_grant"):
        log.info("password grant rejected")
        if _oauth_field(response, "error_reason") == "account_inactive":
            raise AccountInactive(f"token endpoint answered {status}: account not activated")
        raise LoginRejected(f"token endpoint answered {status}")
    if status in UNAVAILABLE:
        raise ServerUnreachable(f"token endpoint answered {status}")
    raise AuthProtocolError(f"token endpoint answered {status}")


async def refresh_grant(http: httpx.AsyncClient, server_url: str, refresh_token: str) -> Tokens:
    """New tokens from a refresh token (outside a request flow: e.g. resuming a remembered
    session). ReauthRequired when the server refuses it."""
    request = _refresh_request(server_url, refresh_token)
    async with network_errors():
        response = await http.send(request, auth=None)
    return _refresh_result(response, refresh_token)


async def revoke(http: httpx.AsyncClient, server_url: str, refresh_token: str) -> bool:
    """Revokes a refresh token on the server (RFC 7009), and with it the access tokens issued
    from it. True once the server confirmed; False when it has no revocation endpoint (nothing
    more can be done there). ServerUnreachable when it cannot be reached."""
    request = httpx.Request(
        "POST",
        server_url.rstrip("/") + REVOKE_PATH,
        data={"token": refresh_token, "token_type_hint": "refresh_token"},
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    async with network_errors():
        response = await http.send(request, auth=None)
    status = response.status_code
    if status == 200:
        log.info("refresh token revoked on the server")
        return True
    if status in (404, 405, 501):
        log.info("no revocation endpoint (HTTP %d)", status)
        return False
    if status in UNAVAILABLE:
        raise ServerUnreachable(f"revocation endpoint answered {status}")
    raise AuthProtocolError(f"revocation endpoint answered {status}")


async def basic_check(
    http: httpx.AsyncClient,
    server_url: str,
    login: str,
    password: str,
    policy: OriginPolicy | None = None,
) -> None:
    """Verifies Basic credentials with the JMAP Session (servers without a token endpoint).
    The well-known URL may redirect (Cyrus answers 301 to /jmap): each hop is followed only where
    `policy` (by default: the server's origin only) lets the password go."""
    policy = policy or OriginPolicy.for_url(server_url)
    response = await get_following(
        http,
        server_url.rstrip("/") + SESSION_PATH,
        policy.check,
        headers=_basic_header(login, password),
        retry_statuses={503},
        without_auth=True,
    )
    status = response.status_code
    if status == 200:
        return
    if status == 401:
        raise LoginRejected("Basic credentials refused")
    if status == 429:
        raise _throttled(response)
    if status in UNAVAILABLE:
        raise ServerUnreachable(f"session answered {status}")
    raise AuthProtocolError(f"session answered {status}")


def _basic_header(login: str, password: str) -> dict[str, str]:
    raw = f"{login}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode("ascii")}


def _refresh_request(server_url: str, refresh_token: str) -> httpx.Request:
    return httpx.Request(
        "POST",
        token_url(server_url),
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )


def _refresh_result(response: httpx.Response, refresh_token: str) -> Tokens:
    status = response.status_code
    if status == 200:
        return parse_token_response(response.content, time.monotonic(), refresh_token)
    if status in (400, 401) and _oauth_error(response) in ("invalid_grant", None):
        log.info("refresh refused (HTTP %d): the password is needed", status)
        raise ReauthRequired(f"refresh refused with {status}")
    if status in UNAVAILABLE:
        raise ServerUnreachable(f"token endpoint answered {status}")
    raise AuthProtocolError(f"refresh answered {status}")


def _not_redirected(request: httpx.Request, response: httpx.Response) -> None:
    """httpx follows redirects below the auth flow when a caller asks it to (follow_redirects):
    the hops never pass here. The account's code never asks (`get_following` checks each hop);
    should anything do so, the answer of another address is not taken for the server's."""
    if response.request is not request:
        raise OriginRefused("a redirect was followed without checking its origin")


def _replayable(request: httpx.Request) -> bool:
    """Bytes bodies can be sent again after a refresh; streamed uploads cannot."""
    return isinstance(request.stream, httpx.ByteStream)


class ServerAuth(httpx.Auth):
    """Bearer with transparent refresh (one refresh at a time), or Basic.

    Proactive: a token that expires within `refresh_margin` (at most a tenth of its lifetime) is
    refreshed before the request. Reactive: a 401 triggers one refresh and one retry. Concurrent
    requests wait for the refresh in progress instead of starting their own.
    """

    requires_request_body = False
    requires_response_body = False  # never buffer streamed downloads

    def __init__(
        self,
        server_url: str,
        *,
        tokens: Tokens | None = None,
        basic: tuple[str, str] | None = None,
        on_tokens: Callable[[Tokens], None] | None = None,
        on_reauth: Callable[[], None] | None = None,
        login: str | None = None,
        refresh_margin: float = 30.0,
        policy: OriginPolicy | None = None,
    ) -> None:
        """`policy` says where the credentials may go: by default the origin of `server_url`."""
        if (tokens is None) == (basic is None):
            raise ValueError("ServerAuth needs tokens or Basic credentials, not both")
        self.server_url = server_url
        self.policy = policy or OriginPolicy.for_url(server_url)
        self.on_tokens = on_tokens
        self.on_reauth = on_reauth
        self._margin_cap = refresh_margin
        self._tokens: Tokens | None = None
        self._margin = 0.0
        self._basic: dict[str, str] | None = None
        self._login = basic[0] if basic else login
        self._generation = 0  # bumped at every new access token
        self._stale_generation = -1  # a token known refused whose request could not be retried
        self._lock = asyncio.Lock()
        self._authenticated = asyncio.Event()
        self._authenticated.set()
        self.refresh_count = 0
        if tokens is not None:
            self._set_tokens(tokens)
        elif basic is not None:
            self._basic = _basic_header(*basic)

    @property
    def mode(self) -> Literal["bearer", "basic"]:
        return "basic" if self._basic is not None else "bearer"

    @property
    def needs_reauth(self) -> bool:
        return not self._authenticated.is_set()

    @property
    def tokens(self) -> Tokens | None:
        return self._tokens

    async def wait_authenticated(self) -> None:
        """Returns once the session is usable again (at once when it already is)."""
        await self._authenticated.wait()

    async def reauthenticate(
        self, credentials: str | Tokens, *, http: httpx.AsyncClient | None = None
    ) -> None:
        """After a ReauthRequired: a new login (password, via `http`) or new tokens; then the
        work waiting in `wait_authenticated` goes on. LoginRejected keeps the session locked."""
        if isinstance(credentials, Tokens):
            tokens: Tokens | None = credentials
        else:
            if http is None:
                raise ValueError("reauthenticating with a password needs an HTTP client")
            if self._basic is not None:
                assert self._login is not None
                await basic_check(http, self.server_url, self._login, credentials, self.policy)
                self._basic = _basic_header(self._login, credentials)
                tokens = None
            else:
                login = self._login
                if login is None:
                    raise ValueError("the login is unknown: give it to ServerAuth(login=...)")
                tokens = await password_grant(http, self.server_url, login, credentials)
                if tokens is None:  # the server lost its token endpoint: switch to Basic
                    self._basic = _basic_header(login, credentials)
        if tokens is not None:
            self._basic = None
            self._set_tokens(tokens)
            self._notify(tokens)
        log.info("session re-authenticated")
        self._authenticated.set()

    # ---- the flow -------------------------------------------------------------------------
    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("ServerAuth works with httpx.AsyncClient only")
        yield request  # pragma: no cover  (makes this a generator, as httpx expects)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        # Not even without credentials: the request is the account's (its URL may hold what the
        # server gave, its answer would be taken as the account's server's).
        self.policy.check(str(request.url))
        self._raise_if_locked()
        if self._basic is not None:
            request.headers.update(self._basic)
            response = yield request
            _not_redirected(request, response)
            if response.status_code == 401:
                self._lock_session()
                raise ReauthRequired("Basic credentials refused")
            return

        generation = self._generation
        if self._expiring() or self._stale_generation == generation:
            async with self._lock:
                self._raise_if_locked()
                if self._generation == generation:
                    refresh_response = yield self._refresh_request()
                    self._accept_refresh(refresh_response, await refresh_response.aread())
            generation = self._generation

        request.headers["Authorization"] = self._bearer()
        response = yield request
        _not_redirected(request, response)
        if response.status_code != 401:
            return
        if not _replayable(request):
            # A streamed body cannot be sent twice: hand the 401 back, refresh before the next
            # request (the caller retries its upload).
            self._stale_generation = generation
            return

        async with self._lock:
            self._raise_if_locked()
            if self._generation == generation:  # nobody refreshed since we sent it
                refresh_response = yield self._refresh_request()
                self._accept_refresh(refresh_response, await refresh_response.aread())
        request.headers["Authorization"] = self._bearer()
        retried = yield request
        _not_redirected(request, retried)
        if retried.status_code == 401:
            # A fresh token refused: the account's rights changed; the password decides.
            self._lock_session()
            raise ReauthRequired("fresh access token refused")

    # ---- helpers ---------------------------------------------------------------------------
    def _raise_if_locked(self) -> None:
        if self.needs_reauth:
            raise ReauthRequired("session locked until the password is given again")

    def _bearer(self) -> str:
        assert self._tokens is not None
        return f"Bearer {self._tokens.access_token}"

    def _expiring(self) -> bool:
        assert self._tokens is not None
        return self._tokens.expires_at - self._margin <= time.monotonic()

    def _set_tokens(self, tokens: Tokens) -> None:
        lifetime = max(0.0, tokens.expires_at - time.monotonic())
        self._margin = min(self._margin_cap, lifetime / 10)
        self._tokens = tokens
        self._generation += 1

    def _refresh_request(self) -> httpx.Request:
        refresh = self._tokens.refresh_token if self._tokens else None
        if refresh is None:
            self._lock_session()
            raise ReauthRequired("no refresh token")
        return _refresh_request(self.server_url, refresh)

    def _accept_refresh(self, response: httpx.Response, _body: bytes) -> None:
        assert self._tokens is not None
        assert self._tokens.refresh_token is not None
        try:
            tokens = _refresh_result(response, self._tokens.refresh_token)
        except ReauthRequired:
            self._lock_session()
            raise
        self.refresh_count += 1
        self._set_tokens(tokens)
        log.info("access token refreshed")
        self._notify(tokens)

    def _notify(self, tokens: Tokens) -> None:
        if self.on_tokens is not None:
            try:
                self.on_tokens(tokens)
            except Exception:  # persisting a token must not break the request in flight
                log.exception("on_tokens callback failed")

    def _lock_session(self) -> None:
        if self._authenticated.is_set():
            self._authenticated.clear()
            log.info("session needs the password again")
            if self.on_reauth is not None:
                try:
                    self.on_reauth()
                except Exception:
                    log.exception("on_reauth callback failed")
