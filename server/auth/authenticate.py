"""Who is calling: a Bearer access token, or HTTP Basic (as plain JMAP servers accept).

Every password check — the token endpoint's password grant, Basic on any route, the portal's
Basic — goes through `check_login`, so the login throttle (throttle.py) sees them all.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request

from server.accounts import Account
from server.auth.throttle import client_address
from server.auth.tokens import TokenExpired, TokenUnknown

if TYPE_CHECKING:
    from server.context import Sandbox

_BASIC_CACHE_SECONDS = 60.0


class LoginThrottled(Exception):
    """Too many failures: try again in `retry_after` seconds (the password was not checked)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry in {retry_after} s")
        self.retry_after = retry_after


class AccountInactive(Exception):
    """The password is right but the account waits for its activation link (a Sara account
    created from the registration page, server/registration.py)."""

    message = (
        "Ce compte Sara n'est pas encore activé : ouvrez le lien d'activation reçu par e-mail, "
        "puis connectez-vous."
    )


class Authenticator:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        # Checking a password costs a slow hash; a client sending Basic on every request would pay
        # it each time. Remember a verified pair (by its digest only) for a minute.
        self._basic_ok: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def optional(self, request: Request) -> Account | None:
        """The caller's account, None when no credentials came, 401 when they are wrong."""
        header = request.headers.get("authorization")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        value = value.strip()
        if scheme == "bearer" and value:
            return self._bearer(value)
        if scheme == "basic" and value:
            return self._basic(value, request)
        raise unauthorized("invalid_request", "Unsupported Authorization header.")

    def required(self, request: Request) -> Account:
        account = self.optional(request)
        if account is None:
            raise unauthorized(None, "Authentication required.")
        return account

    def _bearer(self, token: str) -> Account:
        try:
            account_id = self._sandbox.tokens.account_for(token, "access")
        except TokenExpired:
            raise unauthorized("invalid_token", "The access token has expired.") from None
        except TokenUnknown:
            raise unauthorized("invalid_token", "The access token is not valid.") from None
        account = self._sandbox.accounts.by_id(account_id)
        if account is None:
            raise unauthorized("invalid_token", "The access token is not valid.")
        return account

    def _basic(self, value: str, request: Request) -> Account:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise unauthorized("invalid_request", "Malformed Basic credentials.") from None
        login, sep, password = decoded.partition(":")
        if not sep or not login:
            raise unauthorized("invalid_request", "Malformed Basic credentials.")
        key = hashlib.sha256(decoded.encode("utf-8")).hexdigest()
        now = time.monotonic()
        with self._lock:
            cached = self._basic_ok.get(key)
        if cached and cached[1] > now:
            account = self._sandbox.accounts.by_id(cached[0])
            if account is not None:
                return account
        try:
            account = self.check_login(login, password, self.address(request))
        except LoginThrottled as e:
            raise HTTPException(
                status_code=429,
                detail={"error": "too_many_attempts", "retry_after": e.retry_after},
                headers={"Retry-After": str(e.retry_after)},
            ) from None
        except AccountInactive as e:
            raise unauthorized("account_inactive", e.message) from None
        if account is None:
            raise unauthorized(None, "Wrong login or password.")
        with self._lock:
            if len(self._basic_ok) > 10_000:
                self._basic_ok.clear()
            self._basic_ok[key] = (account.id, now + _BASIC_CACHE_SECONDS)
        return account

    def address(self, request: Request) -> str:
        """The caller's address, as the throttle counts it."""
        return client_address(request, self._sandbox.config.behind_proxy)

    def check_login(self, login: str, password: str, address: str) -> Account | None:
        """The account when the password is right, None when it is wrong; LoginThrottled,
        without checking it, while this login or this address must wait; AccountInactive when
        it is right for an account not activated yet (said only to who knows the password). A
        slow hash: call it off the event loop."""
        throttle = self._sandbox.throttle
        attempt = throttle.admit(login, address)
        if attempt.retry_after is not None:
            raise LoginThrottled(attempt.retry_after)
        account = self._sandbox.accounts.check_password(login, password)
        if account is None:
            throttle.failed(attempt)
            return None
        throttle.succeeded(attempt)
        if not account.active:
            raise AccountInactive(account.login)
        return account


def unauthorized(error: str | None, description: str) -> HTTPException:
    bearer = 'Bearer realm="monsisra"'
    if error:
        bearer += f', error="{error}"'
    return HTTPException(
        status_code=401,
        detail={"error": error or "unauthorized", "error_description": description},
        headers={"WWW-Authenticate": f'{bearer}, Basic realm="monsisra", charset="UTF-8"'},
    )
