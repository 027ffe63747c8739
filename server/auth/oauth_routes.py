"""The desktop app's OAuth endpoints besides /auth/token (issue 15 §2, contract A): metadata
(RFC 8414), authorize, PSC's callback, the e-CPS push (CIBA) and our JWKS. The work is in
authorize.py, ciba.py and psc_client.py."""

from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from server.auth.authorize import (
    CLIENT_ID,
    EXPIRED_CARD,
    REFUSED,
    LoginRefused,
    issuer,
    redirect_uri_allowed,
)
from server.auth.routes import form_fields, oauth_error
from server.context import Sandbox, get_sandbox
from server.urls import (
    AUTH_AUTHORIZE_PATH,
    AUTH_CIBA_PATH,
    AUTH_JWKS_PATH,
    AUTH_METADATA_PATH,
    AUTH_PSC_CALLBACK_PATH,
    AUTH_REVOKE_PATH,
    AUTH_TOKEN_PATH,
)

router = APIRouter(tags=["auth"])
log = logging.getLogger("server.auth.psc")

CIBA_GRANT = "urn:openid:params:grant-type:ciba"


@router.get(AUTH_METADATA_PATH, summary="Authorization server metadata (RFC 8414)")
def metadata(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> JSONResponse:  # noqa: B008
    base = issuer(str(request.base_url))
    return JSONResponse(
        {
            "issuer": base,
            "authorization_endpoint": base + AUTH_AUTHORIZE_PATH,
            "token_endpoint": base + AUTH_TOKEN_PATH,
            "revocation_endpoint": base + AUTH_REVOKE_PATH,
            "jwks_uri": base + AUTH_JWKS_PATH,
            "backchannel_authentication_endpoint": base + AUTH_CIBA_PATH,
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": [
                "password",
                "refresh_token",
                "authorization_code",
                CIBA_GRANT,
            ],
            "token_endpoint_auth_methods_supported": ["none"],
            "backchannel_token_delivery_modes_supported": ["poll"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "monsisra_pro_sante_connect": sandbox.authz.configured,
        }
    )


@router.get(AUTH_JWKS_PATH, summary="Public keys of our ID tokens")
def jwks(sandbox: Sandbox = Depends(get_sandbox)) -> JSONResponse:  # noqa: B008
    return JSONResponse(sandbox.authz.keys.jwks())


@router.get(
    AUTH_AUTHORIZE_PATH, summary="Authorization endpoint (code + PKCE S256)", response_model=None
)
async def authorize(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> Response:  # noqa: B008
    q = request.query_params
    if q.get("client_id") != CLIENT_ID:
        return _page("Application inconnue : la connexion ne peut pas continuer.")
    redirect_uri = q.get("redirect_uri", "")
    if not redirect_uri_allowed(redirect_uri):
        # Never redirect to an address we cannot vouch for (RFC 6749 §4.1.2.1).
        return _page("Adresse de retour refusée : la connexion ne peut pas continuer.")
    state = q.get("state", "")

    def back(error: str, description: str) -> RedirectResponse:
        return _redirect(redirect_uri, error=error, error_description=description, state=state)

    if not state:
        return back("invalid_request", "Le paramètre state est requis.")
    if q.get("response_type") != "code":
        return back("unsupported_response_type", "Seul response_type=code est accepté.")
    challenge = q.get("code_challenge", "")
    if q.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
        return back("invalid_request", "PKCE (code_challenge, méthode S256) est requis.")
    nonce = q.get("nonce", "")
    if not nonce:
        return back("invalid_request", "Le paramètre nonce est requis.")
    try:
        url = await sandbox.authz.start(
            str(request.base_url), redirect_uri, state, nonce, challenge
        )
    except LoginRefused as e:
        return back("temporarily_unavailable", e.message)
    return RedirectResponse(url, status_code=302, headers=_NO_STORE)


@router.get(
    AUTH_PSC_CALLBACK_PATH, summary="Pro Santé Connect comes back here", response_model=None
)
async def psc_callback(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> Response:  # noqa: B008
    q = request.query_params
    pending = sandbox.authz.take_pending(q.get("state", ""))
    if pending is None:
        log.info("PSC callback with an unknown state")
        return _page(
            "Demande de connexion inconnue ou expirée : recommencez depuis MonSisra bureau."
        )

    def back(**fields: str) -> RedirectResponse:
        return _redirect(pending.redirect_uri, **fields, state=pending.app_state)

    error = q.get("error")
    if error:
        described = f"{error} {q.get('error_description', '')}".lower()
        message = EXPIRED_CARD if "expir" in described else REFUSED
        log.info("PSC sent the user back with an error: %s", error)
        return back(error="access_denied", error_description=message)
    code = q.get("code")
    if not code:
        return back(error="access_denied", error_description=REFUSED)
    try:
        ours = await sandbox.authz.finish(str(request.base_url), pending, code)
    except LoginRefused as e:
        return back(error="access_denied", error_description=e.message)
    return back(code=ours)


@router.post(AUTH_CIBA_PATH, summary="e-CPS push (CIBA backchannel authentication)")
async def ciba(request: Request, sandbox: Sandbox = Depends(get_sandbox)) -> JSONResponse:  # noqa: B008
    fields = await form_fields(request)
    if fields is None:
        return oauth_error(400, "invalid_request", "Formulaire attendu.")
    if fields.get("client_id") != CLIENT_ID:
        return oauth_error(400, "invalid_client", "Client inconnu.")
    hint = fields.get("login_hint", "")
    if not hint:
        return oauth_error(400, "invalid_request", "Saisissez votre numéro RPPS (11 chiffres).")
    try:
        answer = await sandbox.ciba.start(str(request.base_url), hint)
    except LoginRefused as e:
        return oauth_error(400, "access_denied", e.message)
    return JSONResponse(answer, headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _redirect(uri: str, **params: str) -> RedirectResponse:
    return RedirectResponse(
        uri + ("&" if "?" in uri else "?") + urlencode(params), status_code=302, headers=_NO_STORE
    )


def _page(message: str) -> HTMLResponse:
    body = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Connexion impossible</title></head><body><h1>Connexion impossible</h1>"
        f"<p>{html.escape(message)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=400, headers=_NO_STORE)
