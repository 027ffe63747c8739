"""The sandbox as the desktop app's authorization server with Pro Santé Connect behind it (issue
15 §2, contract A), against a small fake PSC on loopback (psc_peer.py). The browser is played by
httpx, following each redirect by hand."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory
from tests.server.psc_peer import CLIENT_ID as PSC_CLIENT_ID
from tests.server.psc_peer import CLIENT_SECRET as PSC_SECRET
from tests.server.psc_peer import FakePsc

RPPS = "10003456789"
APP = "monsisra-bureau"


@pytest.fixture
def psc() -> Iterator[FakePsc]:
    with FakePsc() as peer:
        yield peer


@pytest.fixture
def sandbox(server_factory: ServerFactory, psc: FakePsc) -> ServerThread:
    server = server_factory(
        users=(),
        psc_discovery_url=psc.discovery_url,
        psc_client_id=PSC_CLIENT_ID,
        psc_client_secret=PSC_SECRET,
    )
    server.sandbox.accounts.create(ALICE.login, ALICE.password, ALICE.name, ALICE.email, rpps=RPPS)
    return server


@dataclass
class AppRequest:
    """What the desktop app sends to /auth/authorize, and keeps."""

    verifier: str
    state: str
    nonce: str
    redirect_uri: str

    @classmethod
    def new(cls, redirect_uri: str = "http://127.0.0.1:53123/retour") -> AppRequest:
        return cls(
            secrets.token_urlsafe(48),
            secrets.token_urlsafe(16),
            secrets.token_urlsafe(16),
            redirect_uri,
        )

    def query(self, **overrides: str | None) -> str:
        digest = hashlib.sha256(self.verifier.encode()).digest()
        params: dict[str, str | None] = {
            "response_type": "code",
            "client_id": APP,
            "redirect_uri": self.redirect_uri,
            "code_challenge": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
            "code_challenge_method": "S256",
            "state": self.state,
            "nonce": self.nonce,
            "scope": "openid",
        }
        params.update(overrides)
        return urlencode({k: v for k, v in params.items() if v is not None})


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def browse(sandbox: ServerThread, app: AppRequest, **overrides: str | None) -> httpx.Response:
    """The browser from the app's authorize URL to the last redirect (to the app's loopback, not
    followed: the app's listener is not running here)."""
    url = f"{sandbox.base_url}/auth/authorize?{app.query(**overrides)}"
    for _ in range(5):
        r = httpx.get(url)
        location = r.headers.get("location")
        if r.status_code != 302 or location is None:
            return r
        if location.startswith(app.redirect_uri):
            return r
        url = location
    raise AssertionError("too many redirects")


def login_code(sandbox: ServerThread, app: AppRequest) -> str:
    r = browse(sandbox, app)
    back = _query(r.headers["location"])
    assert back["state"] == app.state, back
    return back["code"]


def redeem(
    sandbox: ServerThread, app: AppRequest, code: str, **overrides: str | None
) -> httpx.Response:
    form: dict[str, str | None] = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": app.redirect_uri,
        "client_id": APP,
        "code_verifier": app.verifier,
    }
    form.update(overrides)
    return httpx.post(
        sandbox.base_url + "/auth/token", data={k: v for k, v in form.items() if v is not None}
    )


def _session(sandbox: ServerThread, access_token: str) -> int:
    r = httpx.get(
        sandbox.base_url + "/.well-known/jmap", headers={"Authorization": f"Bearer {access_token}"}
    )
    return r.status_code


def test_metadata_advertises_the_endpoints_and_psc(
    sandbox: ServerThread, server_factory: ServerFactory
) -> None:
    meta = httpx.get(sandbox.base_url + "/.well-known/oauth-authorization-server").json()
    base = sandbox.base_url
    assert meta["issuer"] == base
    assert meta["authorization_endpoint"] == base + "/auth/authorize"
    assert meta["token_endpoint"] == base + "/auth/token"
    assert meta["jwks_uri"] == base + "/auth/jwks"
    assert meta["backchannel_authentication_endpoint"] == base + "/auth/ciba"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert "urn:openid:params:grant-type:ciba" in meta["grant_types_supported"]
    assert meta["monsisra_pro_sante_connect"] is True
    plain = server_factory()
    meta = httpx.get(plain.base_url + "/.well-known/oauth-authorization-server").json()
    assert meta["monsisra_pro_sante_connect"] is False
    app = AppRequest.new()
    r = httpx.get(f"{plain.base_url}/auth/authorize?{app.query()}")
    back = _query(r.headers["location"])
    assert back["error"] == "temporarily_unavailable"
    assert back["error_description"] == (
        "La connexion par Pro Santé Connect n'est pas proposée par ce serveur."
    )


def test_full_dance_gives_our_tokens_and_a_verifiable_id_token(
    sandbox: ServerThread, psc: FakePsc
) -> None:
    app = AppRequest.new()
    first = httpx.get(f"{sandbox.base_url}/auth/authorize?{app.query()}")
    assert first.status_code == 302
    to_psc = urlsplit(first.headers["location"])
    assert to_psc.hostname == "localhost"  # PSC's authorize host, not its issuer's
    sent = _query(first.headers["location"])
    assert sent["scope"] == "openid scope_all"
    assert sent["acr_values"] == "eidas1"
    assert sent["client_id"] == PSC_CLIENT_ID
    assert sent["redirect_uri"] == sandbox.base_url + "/auth/psc/callback"
    # Its own state, nonce and PKCE, not the app's.
    assert sent["state"] != app.state
    assert sent["nonce"] != app.nonce
    assert sent["code_challenge_method"] == "S256"
    assert sent["code_challenge"] != _query(f"?{app.query()}")["code_challenge"]

    code = login_code(sandbox, app)
    r = redeem(sandbox, app, code)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["login"] == ALICE.login
    assert body["practices"] == [
        {"id": "S1", "label": "Cabinet médical du Parc — Lyon 3e", "email": ALICE.email},
        {"id": "S2", "label": "Clinique du Val — Villeurbanne", "email": ALICE.email},
    ]
    keys = jwt.PyJWKSet.from_dict(httpx.get(sandbox.base_url + "/auth/jwks").json())
    claims = jwt.decode(
        body["id_token"],
        keys.keys[0].key,
        algorithms=["RS256"],
        audience=APP,
        issuer=sandbox.base_url,
    )
    assert claims["sub"] == ALICE.login
    assert claims["nonce"] == app.nonce
    assert claims["acr"] == "eidas1"
    assert claims["amr"] == ["psc"]
    assert _session(sandbox, body["access_token"]) == 200
    # The PSC exchange used client_secret_basic and our PKCE verifier.
    exchange = [c for c in psc.token_calls if c["grant_type"] == "authorization_code"][-1]
    assert exchange["code_verifier"]


def test_userinfo_as_a_signed_jwt(sandbox: ServerThread, psc: FakePsc) -> None:
    psc.knobs.userinfo_jwt = True
    app = AppRequest.new()
    r = redeem(sandbox, app, login_code(sandbox, app))
    assert r.status_code == 200
    assert r.json()["login"] == ALICE.login


def test_signing_key_is_kept_private_and_across_restarts(
    sandbox: ServerThread, server_factory: ServerFactory
) -> None:
    key_file = sandbox.config.data_dir / "id-token-signing-key.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    before = httpx.get(sandbox.base_url + "/auth/jwks").json()
    sandbox.stop()
    again = server_factory(data_dir=sandbox.config.data_dir, users=())
    assert httpx.get(again.base_url + "/auth/jwks").json() == before


@pytest.mark.parametrize(
    "uri",
    [
        "http://192.168.1.20:53123/retour",  # another host
        "http://localhost:53123/retour",  # a name, not the loopback literal
        "https://127.0.0.1:53123/retour",
        "http://127.0.0.1:53123/retour#frag",
        "http://evil.example/retour",
    ],
)
def test_redirect_elsewhere_is_refused_without_redirecting(sandbox: ServerThread, uri: str) -> None:
    app = AppRequest.new(uri)
    r = httpx.get(f"{sandbox.base_url}/auth/authorize?{app.query()}")
    assert r.status_code == 400
    assert "location" not in r.headers
    assert "Adresse de retour refusée" in r.text


def test_any_loopback_port_and_ipv6_are_fine(sandbox: ServerThread) -> None:
    for uri in (
        "http://127.0.0.1:61001/a",
        "http://127.0.0.1:2/autre/chemin",
        "http://[::1]:61002/",
    ):
        app = AppRequest.new(uri)
        r = redeem(sandbox, app, login_code(sandbox, app))
        assert r.status_code == 200, (uri, r.text)


def test_missing_or_plain_pkce_is_refused(sandbox: ServerThread) -> None:
    for overrides in (
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"code_challenge_method": None},
    ):
        app = AppRequest.new()
        r = httpx.get(f"{sandbox.base_url}/auth/authorize?{app.query(**overrides)}")
        assert r.status_code == 302
        back = _query(r.headers["location"])
        assert r.headers["location"].startswith(app.redirect_uri)
        assert back["error"] == "invalid_request"
        assert "PKCE" in back["error_description"]
        assert back["state"] == app.state


def test_missing_verifier_and_wrong_verifier(sandbox: ServerThread) -> None:
    app = AppRequest.new()
    code = login_code(sandbox, app)
    r = redeem(sandbox, app, code, code_verifier=None)
    assert (r.status_code, r.json()["error"]) == (400, "invalid_request")
    r = redeem(sandbox, app, code, code_verifier=secrets.token_urlsafe(48))
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")
    assert "PKCE" in r.json()["error_description"]
    # The code is spent: the right verifier comes too late.
    assert redeem(sandbox, app, code).status_code == 400


def test_expired_code_is_refused(sandbox: ServerThread) -> None:
    app = AppRequest.new()
    code = login_code(sandbox, app)
    for entry in sandbox.sandbox.authz._codes.values():  # as after its 60 s
        entry.expires_at -= 61
    r = redeem(sandbox, app, code)
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")
    assert "expiré" in r.json()["error_description"]


def test_other_redirect_uri_at_the_token_endpoint(sandbox: ServerThread) -> None:
    app = AppRequest.new()
    code = login_code(sandbox, app)
    r = redeem(sandbox, app, code, redirect_uri="http://127.0.0.1:9/autre")
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")


def test_replayed_code_is_refused_and_revokes_what_it_gave(sandbox: ServerThread) -> None:
    app = AppRequest.new()
    code = login_code(sandbox, app)
    first = redeem(sandbox, app, code)
    assert first.status_code == 200
    assert _session(sandbox, first.json()["access_token"]) == 200
    again = redeem(sandbox, app, code)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
    assert _session(sandbox, first.json()["access_token"]) == 401
    refreshed = httpx.post(
        sandbox.base_url + "/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]},
    )
    assert refreshed.status_code in (400, 401)


def test_wrong_state_at_our_callback(sandbox: ServerThread, psc: FakePsc) -> None:
    app = AppRequest.new()
    to_psc = httpx.get(f"{sandbox.base_url}/auth/authorize?{app.query()}").headers["location"]
    back = httpx.get(to_psc).headers["location"]  # PSC → our callback
    forged = back.replace(_query(back)["state"], "etat-forge")
    r = httpx.get(forged)
    assert r.status_code == 400
    assert "location" not in r.headers
    assert "Demande de connexion inconnue" in r.text
    # The genuine one still works once.
    assert httpx.get(back).status_code == 302


def test_acr_too_low_is_refused(sandbox: ServerThread, psc: FakePsc) -> None:
    psc.knobs.acr = "eidas0"
    app = AppRequest.new()
    back = _query(browse(sandbox, app).headers["location"])
    assert back["error"] == "access_denied"
    assert back["error_description"].startswith("Authentification trop faible")
    assert back["state"] == app.state
    assert "code" not in back


def test_unknown_rpps_is_refused(sandbox: ServerThread, psc: FakePsc) -> None:
    psc.knobs.rpps = "10009999999"
    app = AppRequest.new()
    back = _query(browse(sandbox, app).headers["location"])
    assert back["error"] == "access_denied"
    assert "Aucun compte MonSisra" in back["error_description"]
    assert "10009999999" in back["error_description"]


def test_refusal_and_expired_card_at_psc(sandbox: ServerThread, psc: FakePsc) -> None:
    psc.knobs.refuse = True
    back = _query(browse(sandbox, AppRequest.new()).headers["location"])
    assert back["error_description"] == "Connexion refusée par Pro Santé Connect."
    psc.knobs.refuse, psc.knobs.expired_card = False, True
    back = _query(browse(sandbox, AppRequest.new()).headers["location"])
    assert back["error_description"] == "Votre carte CPS a expiré."


def test_psc_refusing_refresh_ends_our_session(sandbox: ServerThread, psc: FakePsc) -> None:
    app = AppRequest.new()
    tokens = redeem(sandbox, app, login_code(sandbox, app)).json()
    family = sandbox.sandbox.tokens.family_of(tokens["refresh_token"])
    assert family is not None
    # PSC's access token is old (as after two minutes): the next refresh of ours renews it.
    _age_psc_session(sandbox, family)
    r = httpx.post(
        sandbox.base_url + "/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert r.status_code == 200
    assert any(c["grant_type"] == "refresh_token" for c in psc.token_calls)
    tokens = r.json()
    _age_psc_session(sandbox, family)
    psc.knobs.refuse_refresh = True
    r = httpx.post(
        sandbox.base_url + "/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")
    assert r.json()["error_description"] == (
        "Votre session Pro Santé Connect a pris fin : reconnectez-vous."
    )
    assert _session(sandbox, tokens["access_token"]) == 401
    assert sandbox.sandbox.authz.sessions.get(family) is None


def _age_psc_session(sandbox: ServerThread, family: str) -> None:
    with sandbox.sandbox.db.write() as conn:
        conn.execute(
            "UPDATE psc_sessions SET obtained_at = obtained_at - 1000 WHERE family = ?", (family,)
        )


def _ciba_start(sandbox: ServerThread, hint: str = RPPS) -> httpx.Response:
    return httpx.post(sandbox.base_url + "/auth/ciba", data={"client_id": APP, "login_hint": hint})


def _ciba_poll(sandbox: ServerThread, auth_req_id: str) -> httpx.Response:
    return httpx.post(
        sandbox.base_url + "/auth/token",
        data={
            "grant_type": "urn:openid:params:grant-type:ciba",
            "auth_req_id": auth_req_id,
            "client_id": APP,
        },
    )


def test_ciba_pending_then_confirmed(sandbox: ServerThread, psc: FakePsc) -> None:
    r = _ciba_start(sandbox, "8" + RPPS)
    assert r.status_code == 200, r.text
    started = r.json()
    assert len(started["binding_message"]) == 4
    sent = next(iter(psc.ciba_requests.values()))
    assert sent["binding_message"] == started["binding_message"]
    assert sent["rpps"] == RPPS
    assert sent["scope"] == "openid scope_all"
    pending = _ciba_poll(sandbox, started["auth_req_id"])
    assert (pending.status_code, pending.json()["error"]) == (400, "authorization_pending")
    too_soon = _ciba_poll(sandbox, started["auth_req_id"])
    assert too_soon.json()["error"] == "slow_down"
    psc.knobs.ciba = "confirmed"
    time.sleep(started["interval"])
    done = _ciba_poll(sandbox, started["auth_req_id"])
    assert done.status_code == 200, done.text
    assert done.json()["login"] == ALICE.login
    assert _session(sandbox, done.json()["access_token"]) == 200


@pytest.mark.parametrize(
    ("knob", "error"), [("refused", "access_denied"), ("expired", "expired_token")]
)
def test_ciba_refused_or_expired(
    sandbox: ServerThread, psc: FakePsc, knob: str, error: str
) -> None:
    psc.knobs.ciba = knob
    started = _ciba_start(sandbox).json()
    r = _ciba_poll(sandbox, started["auth_req_id"])
    assert (r.status_code, r.json()["error"]) == (400, error)
    assert r.json()["error_description"] in (
        "Demande refusée sur l'application e-CPS.",
        "La demande e-CPS a expiré : recommencez.",
    )


def test_ciba_unknown_rpps(sandbox: ServerThread) -> None:
    r = _ciba_start(sandbox, "10009999999")
    assert r.status_code == 400
    assert "Aucun compte MonSisra" in r.json()["error_description"]
    r = _ciba_start(sandbox, "abc")
    assert r.status_code == 400
    assert "RPPS" in r.json()["error_description"]


def test_password_login_still_works(sandbox: ServerThread) -> None:
    r = httpx.post(
        sandbox.base_url + "/auth/token",
        data={"grant_type": "password", "username": ALICE.login, "password": ALICE.password},
    )
    assert r.status_code == 200
    assert "id_token" not in r.json()


def test_no_psc_secret_nor_token_in_logs_or_answers(
    sandbox: ServerThread, psc: FakePsc, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers: list[str] = []
    app = AppRequest.new()
    r = browse(sandbox, app)
    answers.append(r.headers["location"])
    tokens = redeem(sandbox, app, _query(r.headers["location"])["code"])
    answers.append(tokens.text)
    family = sandbox.sandbox.tokens.family_of(tokens.json()["refresh_token"])
    assert family is not None
    _age_psc_session(sandbox, family)
    refreshed = httpx.post(
        sandbox.base_url + "/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.json()["refresh_token"]},
    )
    answers.append(refreshed.text)
    started = _ciba_start(sandbox)
    answers.append(started.text)
    psc.knobs.ciba = "confirmed"
    answers.append(_ciba_poll(sandbox, started.json()["auth_req_id"]).text)
    answers.append(httpx.get(sandbox.base_url + "/.well-known/oauth-authorization-server").text)
    # What the sandbox logged (its own threads): the test's browser and the fake PSC log URLs
    # with PSC's codes in them, as a real browser's history would hold them.
    logged = "\n".join(
        f"{rec.name} {rec.getMessage()} {rec.args}"
        for rec in caplog.records
        if rec.threadName not in ("MainThread", "fake-psc")
    )
    assert "PSC login of account" in logged
    assert "HTTP Request: POST" in logged  # the sandbox's own calls to PSC are in the log
    assert psc.access
    assert psc.refresh
    for marker in ("PSC-AT-", "PSC-RT-", "PSC-CODE-", "PSC-CIBA-", PSC_SECRET):
        assert marker not in logged, marker
        for answer in answers:
            assert marker not in answer, (marker, answer)
    assert PSC_SECRET not in repr(sandbox.config)


def test_answers_are_not_stored_by_caches(sandbox: ServerThread) -> None:
    app = AppRequest.new()
    r = redeem(sandbox, app, login_code(sandbox, app))
    assert r.headers["cache-control"] == "no-store"
