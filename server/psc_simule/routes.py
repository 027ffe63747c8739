"""The simulé's endpoints, as Keycloak-based PSC lays them out: discovery at PSC's non-standard
path, authorize on `localhost` (another host than the issuer's `127.0.0.1`, as PSC's authorize is
on another host), token, userinfo, jwks, end_session, CIBA; the card and phone pages; and the
test hook that ends a professional's sessions. Nothing answers (404) unless the sandbox runs
with `psc_simule`.

Redirect URIs: any http(s) address on a loopback host or on the host the request came to, without
a fragment (the simulé serves local demos; real PSC checks the client's registered ones).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

import jwt
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from server.context import Sandbox, get_sandbox
from server.headers import SECURITY_HEADERS
from server.psc_simule import PREFIX, REALM_PATH, professionals
from server.psc_simule.pages import (
    STYLE_SHEET,
    STYLE_SHEET_PATH,
    card_page,
    message_page,
    phone_page,
)
from server.psc_simule.provider import (
    ACCESS_LIFETIME,
    ACR_CARD,
    ACR_VALUES,
    ACR_WEAK,
    CIBA_INTERVAL,
    REFRESH_LIFETIME,
    REQUEST_LIFETIME,
    AuthRequest,
    ProtocolError,
    PscSimule,
    Session,
)

router = APIRouter(include_in_schema=False)

OIDC = REALM_PATH + "/protocol/openid-connect"
AUTHORIZE_PATH = OIDC + "/auth"
TOKEN_PATH = OIDC + "/token"
USERINFO_PATH = OIDC + "/userinfo"
JWKS_PATH = OIDC + "/certs"
LOGOUT_PATH = OIDC + "/logout"
CIBA_PATH = OIDC + "/ext/ciba/auth"
PHONE_PATH = PREFIX + "/telephone"
CIBA_GRANT = "urn:openid:params:grant-type:ciba"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _simule(request: Request) -> tuple[Sandbox, PscSimule]:
    sandbox = get_sandbox(request)
    if sandbox.psc_simule is None:
        raise HTTPException(404)
    return sandbox, sandbox.psc_simule


Simule = Annotated[tuple[Sandbox, PscSimule], Depends(_simule)]


def _origin(request: Request, sandbox: Sandbox) -> str:
    """The issuer's origin: that of the discovery URL the relying party was given, else
    127.0.0.1 on the port the request came to."""
    url = sandbox.config.psc_discovery_url
    if url and not url.startswith("/"):  # a path alone is on the sandbox's own origin
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    server = request.scope.get("server") or ("127.0.0.1", 80)
    return f"http://127.0.0.1:{server[1]}"


def issuer(request: Request, sandbox: Sandbox) -> str:
    return _origin(request, sandbox) + REALM_PATH


def _authorize_origin(origin: str) -> str:
    """The same server under the other loopback name: PSC's authorize is on another host."""
    parts = urlsplit(origin)
    if parts.hostname == "127.0.0.1":
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://localhost{port}"
    return origin


# ---- discovery, jwks ---------------------------------------------------------------------------


@router.get(REALM_PATH + "/.well-known/wallet-openid-configuration")
def discovery(request: Request, simule: Simule) -> JSONResponse:
    sandbox, _ = simule
    origin = _origin(request, sandbox)
    return JSONResponse(
        {
            "issuer": origin + REALM_PATH,
            "authorization_endpoint": _authorize_origin(origin) + AUTHORIZE_PATH,
            "token_endpoint": origin + TOKEN_PATH,
            "userinfo_endpoint": origin + USERINFO_PATH,
            "jwks_uri": origin + JWKS_PATH,
            "end_session_endpoint": origin + LOGOUT_PATH,
            "backchannel_authentication_endpoint": origin + CIBA_PATH,
            "backchannel_token_delivery_modes_supported": ["poll"],
            "backchannel_user_code_parameter_supported": False,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", CIBA_GRANT],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "scopes_supported": ["openid", "scope_all"],
            "acr_values_supported": list(ACR_VALUES),
            "claims_supported": [
                "sub",
                "acr",
                "SubjectNameID",
                "SubjectOrganization",
                "SubjectRefPro",
                "given_name",
                "family_name",
                "preferred_username",
            ],
        }
    )


@router.get(JWKS_PATH)
def jwks(simule: Simule) -> JSONResponse:
    return JSONResponse({"keys": [simule[1].jwk]})


# ---- authorize: the « Carte CPS » page ---------------------------------------------------------


def _redirect_ok(request: Request, uri: str) -> bool:
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or parts.fragment or not parts.hostname:
        return False
    return parts.hostname in _LOOPBACK or parts.hostname == request.url.hostname


def _back_to(uri: str, params: dict[str, str | None], status: int = 302) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    parts = urlsplit(uri)
    joined = f"{parts.query}&{query}" if parts.query else query
    return RedirectResponse(urlunsplit(parts._replace(query=joined)), status_code=status)


def _html(body: str, status: int = 200, policy: str | None = None) -> HTMLResponse:
    headers = {"Cache-Control": "no-store"}
    if policy is not None:
        headers["Content-Security-Policy"] = policy
    return HTMLResponse(body, status_code=status, headers=headers)


def _card_policy(redirect_uri: str) -> str:
    """The sandbox's policy, with the relying party's origin allowed as where the form's answer
    redirects (browsers apply form-action to the redirect that follows a form)."""
    parts = urlsplit(redirect_uri)
    base = SECURITY_HEADERS["Content-Security-Policy"]
    return base.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


@router.get(AUTHORIZE_PATH)
def authorize(request: Request, simule: Simule) -> Response:
    sandbox, psc = simule
    q = request.query_params
    client_id, redirect_uri = q.get("client_id"), q.get("redirect_uri", "")
    if not psc.known_client(client_id):
        return _html(message_page("Erreur", "Application cliente inconnue."), 400)
    if not _redirect_ok(request, redirect_uri):
        return _html(message_page("Erreur", "Adresse de retour (redirect_uri) refusée."), 400)
    state = q.get("state")
    if q.get("response_type") != "code":
        return _back_to(redirect_uri, {"error": "unsupported_response_type", "state": state})
    if "openid" not in q.get("scope", "").split():
        return _back_to(redirect_uri, {"error": "invalid_scope", "state": state})
    challenge, method = q.get("code_challenge"), q.get("code_challenge_method")
    if challenge is not None:
        method = method or "plain"
        if method not in ("plain", "S256") or not 43 <= len(challenge) <= 128:
            return _back_to(redirect_uri, {"error": "invalid_request", "state": state})
    elif method is not None:
        return _back_to(redirect_uri, {"error": "invalid_request", "state": state})
    assert client_id is not None
    request_id = psc.add_request(
        AuthRequest(
            client_id=client_id,
            redirect_uri=redirect_uri,
            state=state,
            nonce=q.get("nonce"),
            code_challenge=challenge,
            code_challenge_method=method if challenge is not None else None,
            scope=q.get("scope", ""),
            expires=psc.clock() + REQUEST_LIFETIME,
        )
    )
    page = card_page(AUTHORIZE_PATH, request_id, professionals.professionals(sandbox), client_id)
    return _html(page, policy=_card_policy(redirect_uri))


@router.post(AUTHORIZE_PATH)
async def card_answer(request: Request, simule: Simule) -> Response:
    sandbox, psc = simule
    form = await request.form()
    request_id = str(form.get("demande", ""))
    pending = psc.peek_request(request_id)
    if pending is None:
        text = "Cette demande de connexion a expiré. Relancez la connexion depuis l'application."
        return _html(message_page("Demande expirée", text), 400)
    action, mode = str(form.get("action", "")), str(form.get("mode", "normal"))
    professional = professionals.by_rpps(sandbox, str(form.get("rpps", "")))
    if action != "refuser" and mode != "expiree" and professional is None:
        people = professionals.professionals(sandbox)
        page = card_page(
            AUTHORIZE_PATH, request_id, people, pending.client_id, "Choisissez un professionnel."
        )
        return _html(page, 400, policy=_card_policy(pending.redirect_uri))
    auth = psc.take_request(request_id)
    if auth is None:  # taken meanwhile (a second click)
        return _html(message_page("Demande expirée", "Cette demande a déjà reçu sa réponse."), 400)
    iss = issuer(request, sandbox)
    if action == "refuser":
        params = {"error": "access_denied", "error_description": "user_refused"}
    elif mode == "expiree":
        params = {"error": "access_denied", "error_description": "card_expired"}
    else:
        assert professional is not None
        acr = ACR_WEAK if mode == "eidas0" else ACR_CARD
        params = {"code": psc.issue_code(auth, professional, acr)}
    return _back_to(auth.redirect_uri, {**params, "state": auth.state, "iss": iss}, status=303)


# ---- token, userinfo, end_session --------------------------------------------------------------


def _error(e: ProtocolError) -> JSONResponse:
    headers = dict(_NO_STORE)
    if e.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="esante-wallet"'
    return JSONResponse(
        {"error": e.error, "error_description": e.description}, e.status, headers=headers
    )


def _client(request: Request, form: Any, psc: PscSimule) -> str:
    """The relying party, by client_secret_basic or client_secret_post."""
    client_id, secret = form.get("client_id"), form.get("client_secret")
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        # RFC 6749 §2.3.1: each part form-urlencoded before the Basic encoding.
        raw_id, _, raw_secret = decoded.partition(":")
        client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
    if not psc.client_ok(client_id, secret):
        raise ProtocolError("invalid_client", "Invalid client credentials", 401)
    return str(client_id)


def _tokens(request: Request, sandbox: Sandbox, psc: PscSimule, session: Session) -> JSONResponse:
    return JSONResponse(
        {
            "access_token": session.access_token,
            "expires_in": ACCESS_LIFETIME,
            "refresh_expires_in": REFRESH_LIFETIME,
            "refresh_token": session.refresh_token,
            "token_type": "Bearer",
            "id_token": psc.id_token(session, issuer(request, sandbox)),
            "not-before-policy": 0,
            "session_state": session.id,
            "scope": session.grant.scope,
        },
        headers=_NO_STORE,
    )


@router.post(TOKEN_PATH)
async def token(request: Request, simule: Simule) -> JSONResponse:
    sandbox, psc = simule
    form = await request.form()
    try:
        client_id = _client(request, form, psc)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            session = psc.redeem_code(
                client_id,
                str(form.get("code", "")),
                _optional(form.get("redirect_uri")),
                _optional(form.get("code_verifier")),
            )
        elif grant_type == "refresh_token":
            session = psc.refresh(client_id, str(form.get("refresh_token", "")))
        elif grant_type == CIBA_GRANT:
            session = psc.poll_push(client_id, str(form.get("auth_req_id", "")))
        else:
            raise ProtocolError("unsupported_grant_type", "Unsupported grant_type")
    except ProtocolError as e:
        return _error(e)
    return _tokens(request, sandbox, psc, session)


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


@router.api_route(USERINFO_PATH, methods=["GET", "POST"])
def userinfo(request: Request, simule: Simule) -> Response:
    sandbox, psc = simule
    header = request.headers.get("authorization", "")
    session = psc.by_access_token(header[7:]) if header[:7].lower() == "bearer " else None
    if session is None:
        return JSONResponse(
            {"error": "invalid_token", "error_description": "Token verification failed"},
            401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    claims = psc.userinfo(session)
    if not sandbox.config.psc_simule_userinfo_jwt:
        return JSONResponse(claims, headers=_NO_STORE)
    signed = psc.sign({"iss": issuer(request, sandbox), "aud": session.grant.client_id, **claims})
    return Response(signed, media_type="application/jwt", headers=_NO_STORE)


@router.api_route(LOGOUT_PATH, methods=["GET", "POST"])
async def end_session(request: Request, simule: Simule) -> Response:
    """RP-initiated logout: the session the id_token_hint names ends; back to the relying
    party's post_logout_redirect_uri when it is an acceptable address."""
    sandbox, psc = simule
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        params.update(await request.form())
    hint = str(params.get("id_token_hint", ""))
    try:
        claims = jwt.decode(
            hint,
            psc.public_key,
            algorithms=["RS256"],
            issuer=issuer(request, sandbox),
            options={"verify_aud": False, "verify_exp": False},
        )
    except jwt.PyJWTError:
        claims = {}
    ended = psc.end_session(str(claims.get("sid", ""))) if claims else False
    back = str(params.get("post_logout_redirect_uri", ""))
    if ended and back and _redirect_ok(request, back):
        return _back_to(back, {"state": _optional(params.get("state"))})
    return _html(message_page("Déconnexion", "Vous êtes déconnecté(e) du PSC simulé."))


# ---- CIBA: the e-CPS push and the phone page ---------------------------------------------------


@router.post(CIBA_PATH)
async def backchannel(request: Request, simule: Simule) -> JSONResponse:
    sandbox, psc = simule
    form = await request.form()
    try:
        client_id = _client(request, form, psc)
        if "openid" not in str(form.get("scope", "")).split():
            raise ProtocolError("invalid_scope", "The scope must include openid")
        binding = str(form.get("binding_message", ""))
        if len(binding) > 32:
            raise ProtocolError("invalid_binding_message", "binding_message too long")
        professional = professionals.by_login_hint(sandbox, str(form.get("login_hint", "")))
        if professional is None:
            raise ProtocolError("unknown_user_id", "No professional for this login_hint")
    except ProtocolError as e:
        return _error(e)
    push = psc.start_push(client_id, professional, binding, str(form.get("scope")))
    return JSONResponse(
        {
            "auth_req_id": push.id,
            "expires_in": int(push.expires - push.created),
            "interval": CIBA_INTERVAL,
        },
        headers=_NO_STORE,
    )


@router.get(PHONE_PATH)
def phone(request: Request, simule: Simule) -> HTMLResponse:
    psc = simule[1]
    notice = request.query_params.get("resultat")
    return _html(phone_page(psc.pending_pushes(), psc.clock(), notice))


@router.post(PHONE_PATH + "/{push_id}")
async def phone_answer(push_id: str, request: Request, simule: Simule) -> RedirectResponse:
    psc = simule[1]
    form = await request.form()
    approve = form.get("action") == "valider"
    done = psc.answer_push(push_id, approve)
    result = ("valide" if approve else "refuse") if done else "perime"
    return RedirectResponse(f"{PHONE_PATH}?resultat={result}", status_code=303)


@router.get(STYLE_SHEET_PATH)
def style_sheet(simule: Simule) -> Response:
    return Response(STYLE_SHEET, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


# ---- the sandbox's test hook -------------------------------------------------------------------


@router.post("/sandbox/psc-simule/revoke/{rpps}")
def revoke(rpps: str, simule: Simule) -> JSONResponse:
    """Ends that professional's sessions at the simulé: the relying party's next refresh fails
    (as when PSC ends a session). Only with the simulé on."""
    return JSONResponse({"rpps": rpps, "sessions_ended": simule[1].revoke(rpps)})
