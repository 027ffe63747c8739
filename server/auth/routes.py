"""POST /auth/token: the password and refresh_token grants (OAuth 2 style, DESIGN §2.1)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from server.auth.tokens import TokenExpired, TokenUnknown
from server.context import Sandbox, get_sandbox

router = APIRouter(tags=["auth"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(status: int, error: str, description: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**_NO_STORE, **headers},
    )


@router.post("/auth/token", summary="Obtain or renew an access token")
async def token(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> JSONResponse:  # noqa: B008
    try:
        form = await request.form()
    except Exception:
        return _error(400, "invalid_request", "Expected an application/x-www-form-urlencoded body.")
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    grant = fields.get("grant_type")
    if grant == "password":  # a slow hash: keep it off the event loop
        return await run_in_threadpool(
            _password_grant, sandbox, fields.get("username"), fields.get("password")
        )
    if grant == "refresh_token":
        return await run_in_threadpool(_refresh_grant, sandbox, fields.get("refresh_token"))
    if not grant:
        return _error(400, "invalid_request", "grant_type is required.")
    return _error(400, "unsupported_grant_type", "Use grant_type=password or refresh_token.")


def _password_grant(sandbox: Sandbox, login: str | None, password: str | None) -> JSONResponse:
    if not login or password is None:
        return _error(400, "invalid_request", "username and password are required.")
    wait = sandbox.throttle.retry_after(login)
    if wait is not None:
        return _error(
            429,
            "too_many_attempts",
            f"Too many failed attempts; retry in {wait} s.",
            **{"Retry-After": str(wait)},
        )
    account = sandbox.accounts.check_password(login, password)
    if account is None:
        sandbox.throttle.failed(login)
        return _error(401, "invalid_grant", "Wrong login or password.")
    sandbox.throttle.succeeded(login)
    return _issued(sandbox, account.id, with_refresh=True)


def _refresh_grant(sandbox: Sandbox, refresh_token: str | None) -> JSONResponse:
    if not refresh_token:
        return _error(400, "invalid_request", "refresh_token is required.")
    try:
        account_id = sandbox.tokens.account_for(refresh_token, "refresh")
    except (TokenExpired, TokenUnknown):
        return _error(401, "invalid_grant", "The refresh token is expired or unknown.")
    return _issued(sandbox, account_id, with_refresh=False, refresh_token=refresh_token)


def _issued(
    sandbox: Sandbox, account_id: str, with_refresh: bool, refresh_token: str | None = None
) -> JSONResponse:
    issued = sandbox.tokens.issue(account_id, with_refresh=with_refresh)
    return JSONResponse(
        {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "refresh_token": issued.refresh_token or refresh_token,
        },
        headers=_NO_STORE,
    )
