"""The whole Pro Santé Connect chain (issue 15 §3): the desktop app's side played by an HTTP
client → the sandbox (authorization server + PSC relying party, contract A) → the real OpenID
provider dressed as PSC (scripts/interop/psc, contract B)."""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.testing import ServerThread
from tests.interop.conftest import PscFactory
from tests.interop.psc_peer import (
    RPPS,
    PscPeer,
    log_in_at_psc,
    pkce_pair,
    query,
    verified_jws,
)
from tests.server.conftest import ALICE, BOB, start_sandbox

CLIENT_ID = "monsisra-bureau"
CIBA_GRANT = "urn:openid:params:grant-type:ciba"


@dataclass
class Chain:
    sandbox: ServerThread
    psc: PscPeer
    http: httpx.Client

    @property
    def base(self) -> str:
        return self.sandbox.base_url

    def token(self, **form: str) -> httpx.Response:
        return self.http.post(self.base + "/auth/token", data={"client_id": CLIENT_ID, **form})


@pytest.fixture
def chain(psc: PscPeer, tmp_path: Path) -> Iterator[Chain]:
    """A sandbox whose PSC is the test provider; alice and bob carry the provider's RPPS."""
    with chain_to(psc, tmp_path / "sandbox") as made:
        yield made


@contextlib.contextmanager
def chain_to(psc: PscPeer, data: Path) -> Iterator[Chain]:
    sandbox = start_sandbox(
        data,
        users=(ALICE, BOB),
        psc_discovery_url=psc.discovery_url,
        psc_client_id=psc.client_id,
        psc_client_secret=psc.client_secret,
    )
    try:
        for user in (ALICE, BOB):
            account = sandbox.sandbox.accounts.by_login(user.login)
            assert account is not None
            sandbox.sandbox.accounts.link_practitioner(
                account.id, f"pr-{user.login}", RPPS[user.login]
            )
        with httpx.Client() as http:
            yield Chain(sandbox, psc, http)
    finally:
        sandbox.stop()


@dataclass
class AppLogin:
    """What the desktop app holds while the browser is out: its PKCE verifier, state and nonce."""

    redirect_uri: str
    verifier: str
    challenge: str
    state: str
    nonce: str

    @classmethod
    def new(cls, redirect_uri: str | None = None) -> AppLogin:
        verifier, challenge = pkce_pair()
        port = 20000 + secrets.randbelow(40000)  # the app's one-shot listener; never reached here
        return cls(
            redirect_uri or f"http://127.0.0.1:{port}/psc",
            verifier,
            challenge,
            secrets.token_urlsafe(16),
            secrets.token_urlsafe(16),
        )

    def authorize_url(self, base: str, **extra: str) -> str:
        params = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": self.redirect_uri,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
            "state": self.state,
            "nonce": self.nonce,
            "scope": "openid",
            **extra,
        }
        given = {k: v for k, v in params.items() if v}
        return str(httpx.URL(base + "/auth/authorize", params=given))


def browse(chain: Chain, app: AppLogin, login: str, **extra: str) -> dict[str, str]:
    """The system browser from the sandbox's authorize endpoint, through PSC's login page, back
    to the app's loopback redirect: returns that redirect's query."""
    with httpx.Client() as browser:
        back = log_in_at_psc(
            browser, app.authorize_url(chain.base, **extra), login, stop_at=app.redirect_uri
        )
    answer = query(back)
    assert answer["state"] == app.state
    return answer


def exchange(chain: Chain, app: AppLogin, code: str, **override: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": app.redirect_uri,
        "code_verifier": app.verifier,
        **override,
    }
    return chain.token(**{k: v for k, v in form.items() if v})


def test_metadata_announces_pro_sante_connect(chain: Chain) -> None:
    meta = chain.http.get(chain.base + "/.well-known/oauth-authorization-server").json()
    assert meta["issuer"] == chain.base
    assert meta["authorization_endpoint"] == chain.base + "/auth/authorize"
    assert meta["backchannel_authentication_endpoint"] == chain.base + "/auth/ciba"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["monsisra_pro_sante_connect"] is True


def test_card_login_gives_our_tokens_and_practices_never_psc_s(chain: Chain) -> None:
    app = AppLogin.new()
    answer = browse(chain, app, "alice")
    r = exchange(chain, app, answer["code"])
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["login"] == ALICE.login
    claims = verified_jws(tokens["id_token"], chain.http.get(chain.base + "/auth/jwks").json())
    assert claims["iss"] == chain.base
    assert claims["aud"] == CLIENT_ID
    assert claims["sub"] == ALICE.login
    assert claims["nonce"] == app.nonce
    assert claims["acr"] == "eidas1"
    assert claims["amr"] == ["psc"]
    labels = [p["label"] for p in tokens["practices"]]
    assert labels == [
        "Cabinet médical du Parc — Lyon 3e",
        "Centre de santé de la Croix-Rousse — Lyon 4e",
    ]
    assert tokens["practices"][0]["email"] == ALICE.email
    # The provider's tokens stay on the server: nothing else than contract A's fields.
    contract = {"access_token", "token_type", "expires_in", "refresh_token", "id_token", "login"}
    assert set(tokens) <= contract | {"practices", "scope"}

    refreshed = chain.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["refresh_token"] != tokens["refresh_token"]


def test_a_replayed_code_is_refused_and_revokes_what_it_gave(chain: Chain) -> None:
    app = AppLogin.new()
    code = browse(chain, app, "bob")["code"]
    first = exchange(chain, app, code)
    assert first.status_code == 200, first.text
    replay = exchange(chain, app, code)
    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_grant")
    # The sandbox's refresh grant answers a revoked refresh token with 401 invalid_grant (as
    # before issue 15); contract A leaves the status of this case open.
    again = chain.token(grant_type="refresh_token", refresh_token=first.json()["refresh_token"])
    assert (again.status_code, again.json()["error"]) == (401, "invalid_grant")
    assert _jmap_session(chain, first.json()["access_token"]).status_code == 401


def test_wrong_or_missing_verifier_and_other_redirect_are_refused(chain: Chain) -> None:
    app = AppLogin.new()
    code = browse(chain, app, "bob")["code"]
    missing = exchange(chain, app, code, code_verifier="")
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    wrong = exchange(chain, app, code, code_verifier=pkce_pair()[0])
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    assert wrong.json()["error_description"]  # French, per contract A

    app = AppLogin.new()
    code = browse(chain, app, "bob")["code"]
    elsewhere = exchange(chain, app, code, redirect_uri="http://127.0.0.1:1/psc")
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (400, "invalid_grant")


def test_missing_pkce_is_sent_back_and_a_foreign_redirect_gets_no_redirect(chain: Chain) -> None:
    app = AppLogin.new()
    r = chain.http.get(app.authorize_url(chain.base, code_challenge="", code_challenge_method=""))
    assert r.is_redirect
    back = query(httpx.URL(r.headers["location"]))
    assert r.headers["location"].startswith(app.redirect_uri)
    assert (back["error"], back["state"]) == ("invalid_request", app.state)

    for foreign in (
        "http://evil.example:8080/psc",
        "http://localhost:8080/psc",
        "https://127.0.0.1:8080/psc",
    ):
        r = chain.http.get(AppLogin.new(foreign).authorize_url(chain.base))
        assert not r.is_redirect, foreign
        assert r.status_code == 400, foreign
        assert "text/html" in r.headers["content-type"]


@pytest.mark.parametrize(
    ("login", "said"),
    [
        ("eidas0:alice", "Authentification trop faible"),
        ("inconnu", "Aucun compte MonSisra n'est rattaché à votre carte"),
        ("", "Connexion refusée par Pro Santé Connect."),
        ("expired:alice", "Votre carte CPS a expiré."),
    ],
)
def test_refusals_come_back_to_the_app_in_french(chain: Chain, login: str, said: str) -> None:
    app = AppLogin.new()
    answer = browse(chain, app, login)
    assert answer["error"] == "access_denied"
    assert said in answer["error_description"]
    assert "code" not in answer


def test_psc_ending_the_session_ends_ours(chain: Chain, monkeypatch: pytest.MonkeyPatch) -> None:
    """The provider refuses the refresh, as PSC does for an ended session, and our refresh token
    dies with it. The sandbox refreshes PSC's tokens at our refresh once they are older than
    server.auth.authorize.PSC_REFRESH_AFTER (100 s on asapp's branch): set to 0 here rather than
    waiting (the sandbox runs in this process)."""
    monkeypatch.setattr("server.auth.authorize.PSC_REFRESH_AFTER", 0.0)
    app = AppLogin.new()
    tokens = exchange(chain, app, browse(chain, app, "alice")["code"]).json()
    r = chain.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert r.status_code == 200, r.text  # PSC's refresh (rotated) went through
    tokens = r.json()
    assert _jmap_session(chain, tokens["access_token"]).status_code == 200

    chain.psc.end_session(RPPS["alice"])
    r = chain.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")
    assert "Votre session Pro Santé Connect a pris fin" in r.json()["error_description"]
    assert _jmap_session(chain, tokens["access_token"]).status_code == 401


def _jmap_session(chain: Chain, access_token: str) -> httpx.Response:
    return chain.http.get(
        chain.base + "/.well-known/jmap", headers={"Authorization": f"Bearer {access_token}"}
    )


def _ciba(chain: Chain, login_hint: str) -> httpx.Response:
    return chain.http.post(
        chain.base + "/auth/ciba", data={"client_id": CLIENT_ID, "login_hint": login_hint}
    )


def _poll(chain: Chain, started: dict[str, Any], bound: float = 30) -> httpx.Response:
    """Polls as the app does (at the given interval, slowing down when told) until an answer
    other than authorization_pending."""
    interval = float(started["interval"])
    deadline = time.monotonic() + bound
    while True:
        r = chain.token(grant_type=CIBA_GRANT, auth_req_id=started["auth_req_id"])
        error = r.json().get("error") if r.status_code == 400 else None
        if error == "slow_down":
            interval += 5
        elif error != "authorization_pending" or time.monotonic() > deadline:
            return r
        time.sleep(interval)


def _push_on_phone(chain: Chain, binding: str) -> dict[str, Any]:
    (push,) = [p for p in chain.psc.pending_pushes() if p["binding_message"] == binding]
    return push


def test_ecps_push_confirmed_on_the_phone_logs_in(chain: Chain) -> None:
    r = _ciba(chain, RPPS["bob"])
    assert r.status_code == 200, r.text
    started = r.json()
    pending = chain.token(grant_type=CIBA_GRANT, auth_req_id=started["auth_req_id"])
    assert (pending.status_code, pending.json()["error"]) == (400, "authorization_pending")
    push = _push_on_phone(chain, started["binding_message"])
    assert push["rpps"] == RPPS["bob"]

    chain.psc.answer_push(push["id"], confirm=True)
    done = _poll(chain, started)
    assert done.status_code == 200, done.text
    assert done.json()["login"] == BOB.login
    assert done.json()["practices"][0]["label"] == "Maison de santé des Pentes — Lyon 1er"


def test_ecps_push_refused_on_the_phone_or_for_an_unknown_rpps(chain: Chain) -> None:
    started = _ciba(chain, "8" + RPPS["alice"]).json()
    chain.psc.answer_push(_push_on_phone(chain, started["binding_message"])["id"], confirm=False)
    refused = _poll(chain, started)
    assert (refused.status_code, refused.json()["error"]) == (400, "access_denied")
    assert refused.json()["error_description"]

    unknown = _ciba(chain, "12222222222")
    assert unknown.status_code == 400
    assert unknown.json()["error_description"]


def test_signed_userinfo_and_an_expired_push(psc_factory: PscFactory, tmp_path: Path) -> None:
    """A PSC that signs userinfo (application/jwt) and whose pushes expire after a second."""
    psc = psc_factory(PSC_USERINFO_SIGNED="1", PSC_CIBA_TTL="1")
    with chain_to(psc, tmp_path / "sandbox") as chain:
        app = AppLogin.new()
        r = exchange(chain, app, browse(chain, app, "bob")["code"])
        assert r.status_code == 200, r.text
        assert r.json()["practices"][0]["label"] == "Maison de santé des Pentes — Lyon 1er"

        started = _ciba(chain, RPPS["alice"]).json()
        expired = _poll(chain, started)
        assert (expired.status_code, expired.json()["error"]) == (400, "expired_token")
        assert expired.json()["error_description"]
