"""POST /auth/token: the password and refresh_token grants (OAuth 2 style, DESIGN §2.1), and
for Pro Santé Connect (issue 15) the authorization_code and CIBA grants (authorize.py, ciba.py);
POST /auth/revoke: token revocation (RFC 7009).

The refresh grant rotates the refresh token (tokens.py); a 429 of the password grant comes from
the login throttle, before the password is checked (throttle.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from server.auth.authenticate import AccountInactive, LoginThrottled
from server.auth.authorize import GrantError
from server.auth.tokens import IssuedTokens, TokenExpired, TokenUnknown
from server.context import Sandbox, get_sandbox
from server.urls import AUTH_REVOKE_PATH, AUTH_TOKEN_PATH

router = APIRouter(tags=["auth"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CIBA_GRANT = "urn:openid:params:grant-type:ciba"


def oauth_error(status: int, error: str, description: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**_NO_STORE, **headers},
    )


async def form_fields(request: Request) -> dict[str, Any] | None:
    try:
        form = await request.form()
    except Exception:
        return None
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post(AUTH_TOKEN_PATH, summary="Obtain or renew an access token")
async def token(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> JSONResponse:  # noqa: B008
    fields = await form_fields(request)
    if fields is None:
        return oauth_error(
            400, "invalid_request", "Expected an application/x-www-form-urlencoded body."
        )
    grant = fields.get("grant_type")
    if grant == "password":  # a slow hash: keep it off the event loop
        return await run_in_threadpool(
            _password_grant,
            sandbox,
            fields.get("username"),
            fields.get("password"),
            sandbox.auth.address(request),
        )
    base_url = str(request.base_url)
    try:
        if grant == "refresh_token":
            refresh_token = fields.get("refresh_token")
            if refresh_token:  # a PSC session: PSC's tokens refreshed first, or ours ended
                await sandbox.authz.before_refresh(base_url, refresh_token)
            return await run_in_threadpool(_refresh_grant, sandbox, refresh_token)
        if grant == "authorization_code":
            answer = await run_in_threadpool(
                sandbox.authz.redeem,
                base_url,
                fields.get("code", ""),
                fields.get("redirect_uri", ""),
                fields.get("client_id", ""),
                fields.get("code_verifier"),
            )
            return JSONResponse(answer, headers=_NO_STORE)
        if grant == CIBA_GRANT:
            answer = await sandbox.ciba.poll(
                base_url, fields.get("auth_req_id", ""), fields.get("client_id")
            )
            return JSONResponse(answer, headers=_NO_STORE)
    except GrantError as e:
        status = 503 if e.error == "temporarily_unavailable" else 400
        return oauth_error(status, e.error, e.description)
    if not grant:
        return oauth_error(400, "invalid_request", "grant_type is required.")
    return oauth_error(400, "unsupported_grant_type", "Use grant_type=password or refresh_token.")


@router.post(AUTH_REVOKE_PATH, summary="Revoke a token (RFC 7009)", response_model=None)
async def revoke(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> Response:  # noqa: B008
    """A refresh token takes its whole family with it (every access token issued from it). The
    answer is 200 whether the token was known or not (RFC 7009 §2.2): it tells nothing."""
    fields = await form_fields(request)
    if fields is None:
        return oauth_error(
            400, "invalid_request", "Expected an application/x-www-form-urlencoded body."
        )
    value = fields.get("token")
    if not value:
        return oauth_error(400, "invalid_request", "token is required.")
    await run_in_threadpool(sandbox.authz.forget, value)  # PSC's tokens of that session
    await run_in_threadpool(sandbox.tokens.revoke, value)
    return Response(status_code=200, headers=_NO_STORE)


def _password_grant(
    sandbox: Sandbox, login: str | None, password: str | None, address: str
) -> JSONResponse:
    if not login or password is None:
        return oauth_error(400, "invalid_request", "username and password are required.")
    try:
        account = sandbox.auth.check_login(login, password, address)
    except LoginThrottled as e:
        return oauth_error(
            429,
            "too_many_attempts",
            f"Too many failed attempts; retry in {e.retry_after} s.",
            **{"Retry-After": str(e.retry_after)},
        )
    except AccountInactive as e:
        # invalid_grant for any OAuth client; `error_reason` (an extension parameter, RFC 6749
        # §8.2) lets ours say why, in French.
        return JSONResponse(
            {
                "error": "invalid_grant",
                "error_description": e.message,
                "error_reason": "account_inactive",
            },
            status_code=400,
            headers=_NO_STORE,
        )
    if account is None:
        return oauth_error(401, "invalid_grant", "Wrong login or password.")
    return _issued(sandbox.tokens.issue(account.id))


def _refresh_grant(sandbox: Sandbox, refresh_token: str | None) -> JSONResponse:
    if not refresh_token:
        return oauth_error(400, "invalid_request", "refresh_token is required.")
    try:
        issued = sandbox.tokens.rotate(refresh_token)
    except (TokenExpired, TokenUnknown):
        return oauth_error(
            401, "invalid_grant", "The refresh token is expired, revoked or unknown."
        )
    return _issued(issued)


def _issued(issued: IssuedTokens) -> JSONResponse:
    return JSONResponse(
        {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "refresh_token": issued.refresh_token,
        },
        headers=_NO_STORE,
    )
