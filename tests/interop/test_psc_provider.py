"""The PSC test provider alone (scripts/interop/psc), driven as PSC's relying party drives PSC:
discovery at PSC's path, authorization code with PKCE through the login page, the ID token and
userinfo checked against the jwks, refresh rotation, and e-CPS pushes (CIBA, poll mode). If these
pass, the whole-chain tests (test_psc_chain.py) meet a provider that behaves as PSC does."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.interop.conftest import PscFactory
from tests.interop.psc_peer import (
    RPPS,
    PscPeer,
    log_in_at_psc,
    pkce_pair,
    query,
    verified_jws,
)

# Where PSC would send the sandbox back: the client is registered with this loopback URI, any port.
CALLBACK = "http://127.0.0.1:8765/auth/psc/callback"
CIBA_GRANT = "urn:openid:params:grant-type:ciba"


@dataclass
class Rp:
    """PSC's relying party as the regional server is: a confidential client."""

    psc: PscPeer
    http: httpx.Client
    meta: dict[str, Any]

    @property
    def auth(self) -> tuple[str, str]:
        return (self.psc.client_id, self.psc.client_secret)

    def jwks(self) -> dict[str, Any]:
        keys: dict[str, Any] = self.http.get(self.meta["jwks_uri"]).json()
        return keys

    def token(self, **form: str) -> httpx.Response:
        return self.http.post(self.meta["token_endpoint"], data=form, auth=self.auth)

    def authorize_url(self, challenge: str | None, state: str, nonce: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.psc.client_id,
            "redirect_uri": CALLBACK,
            "scope": "openid scope_all",
            "acr_values": "eidas1",
            "state": state,
            "nonce": nonce,
        }
        if challenge is not None:
            params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return str(httpx.URL(self.meta["authorization_endpoint"], params=params))

    def log_in(self, login: str) -> tuple[dict[str, str], str, str]:
        """The whole browser leg: returns the callback's query, the verifier and the nonce."""
        verifier, challenge = pkce_pair()
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        with httpx.Client() as browser:
            back = log_in_at_psc(
                browser, self.authorize_url(challenge, state, nonce), login, stop_at=CALLBACK
            )
        answer = query(back)
        assert answer["state"] == state
        return answer, verifier, nonce

    def tokens_for(self, login: str) -> tuple[dict[str, Any], str]:
        answer, verifier, nonce = self.log_in(login)
        r = self.token(
            grant_type="authorization_code",
            code=answer["code"],
            redirect_uri=CALLBACK,
            code_verifier=verifier,
        )
        assert r.status_code == 200, r.text
        return r.json(), nonce


@pytest.fixture
def rp(psc: PscPeer) -> Iterator[Rp]:
    with httpx.Client() as http:
        meta = http.get(psc.discovery_url).json()
        yield Rp(psc, http, meta)


def test_discovery_at_psc_path_names_authorize_on_another_host(psc: PscPeer) -> None:
    assert psc.discovery_url.endswith(
        "/auth/realms/esante-wallet/.well-known/wallet-openid-configuration"
    )
    meta = httpx.get(psc.discovery_url).json()
    standard = httpx.get(psc.issuer + "/.well-known/openid-configuration").json()
    assert meta == standard
    assert meta["issuer"] == psc.issuer
    assert httpx.URL(meta["authorization_endpoint"]).host == "localhost"
    assert httpx.URL(meta["token_endpoint"]).host == "127.0.0.1"
    for key in ("userinfo_endpoint", "jwks_uri", "end_session_endpoint"):
        assert meta[key].startswith(psc.issuer + "/protocol/openid-connect/"), key
    assert meta["backchannel_authentication_endpoint"].startswith(psc.issuer)
    assert meta["backchannel_token_delivery_modes_supported"] == ["poll"]
    assert "eidas1" in meta["acr_values_supported"]
    assert {"openid", "scope_all"} <= set(meta["scopes_supported"])
    assert {"SubjectNameID", "SubjectRefPro"} <= set(meta["claims_supported"])


def test_code_flow_gives_psc_claims_in_a_signed_id_token_and_userinfo(rp: Rp) -> None:
    tokens, nonce = rp.tokens_for("alice")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 120
    assert tokens["refresh_token"]
    claims = verified_jws(tokens["id_token"], rp.jwks())
    assert claims["iss"] == rp.psc.issuer
    assert claims["aud"] == rp.psc.client_id
    assert claims["nonce"] == nonce
    assert claims["acr"] == "eidas1"
    assert claims["SubjectNameID"] == "8" + RPPS["alice"]
    assert claims["sub"] != claims["SubjectNameID"]

    r = rp.http.get(
        rp.meta["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    info = r.json()
    assert info["sub"] == claims["sub"]
    assert info["SubjectNameID"] == "8" + RPPS["alice"]
    assert (info["given_name"], info["family_name"]) == ("Alice", "MARTIN")
    (exercice,) = info["SubjectRefPro"]["exercices"]
    sites = [(a["raisonSocialeSite"], a["communeSite"]) for a in exercice["activities"]]
    assert sites == [
        ("Cabinet médical du Parc", "Lyon 3e"),
        ("Centre de santé de la Croix-Rousse", "Lyon 4e"),
    ]


def test_userinfo_can_come_signed(psc_factory: PscFactory) -> None:
    signed = psc_factory(PSC_USERINFO_SIGNED="1")
    with httpx.Client() as http:
        rp = Rp(signed, http, http.get(signed.discovery_url).json())
        tokens, _ = rp.tokens_for("bob")
        r = http.get(
            rp.meta["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert r.headers["content-type"].startswith("application/jwt")
        info = verified_jws(r.text, rp.jwks())
    assert info["SubjectNameID"] == "8" + RPPS["bob"]
    assert info["aud"] == signed.client_id


def test_pkce_is_required_and_checked(rp: Rp) -> None:
    state = secrets.token_urlsafe(8)
    with httpx.Client() as browser:
        r = browser.get(rp.authorize_url(None, state, "n"))
    assert r.is_redirect
    refused = query(httpx.URL(r.headers["location"]))
    assert (refused["error"], refused["state"]) == ("invalid_request", state)

    answer, _, _ = rp.log_in("alice")
    wrong = rp.token(
        grant_type="authorization_code",
        code=answer["code"],
        redirect_uri=CALLBACK,
        code_verifier=pkce_pair()[0],
    )
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")


def test_a_weak_login_a_cancel_and_an_expired_card_are_what_the_rp_sees(rp: Rp) -> None:
    tokens, _ = rp.tokens_for("eidas0:alice")
    assert verified_jws(tokens["id_token"], rp.jwks())["acr"] == "eidas0"

    answer, _, _ = rp.log_in("")
    assert answer["error"] == "access_denied"
    assert "code" not in answer

    answer, _, _ = rp.log_in("expired:alice")
    assert answer["error"] == "access_denied"
    assert "expired" in answer["error_description"]


def test_refresh_rotates_and_an_ended_session_refuses_it(rp: Rp) -> None:
    tokens, _ = rp.tokens_for("bob")
    first = tokens["refresh_token"]
    r = rp.token(grant_type="refresh_token", refresh_token=first)
    assert r.status_code == 200, r.text
    second = r.json()["refresh_token"]
    assert second != first
    replay = rp.token(grant_type="refresh_token", refresh_token=first)
    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_grant")

    tokens, _ = rp.tokens_for("alice")
    rp.psc.end_session(RPPS["alice"])
    ended = rp.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert (ended.status_code, ended.json()["error"]) == (400, "invalid_grant")


def _push(rp: Rp, login_hint: str, binding: str) -> httpx.Response:
    return rp.http.post(
        rp.meta["backchannel_authentication_endpoint"],
        data={
            "scope": "openid scope_all",
            "login_hint": login_hint,
            "binding_message": binding,
            "acr_values": "eidas1",
        },
        auth=rp.auth,
    )


def _pending_push(rp: Rp, binding: str) -> dict[str, Any]:
    (push,) = [p for p in rp.psc.pending_pushes() if p["binding_message"] == binding]
    return push


def test_ecps_push_waits_then_gives_tokens_once_confirmed(rp: Rp) -> None:
    binding = secrets.token_hex(2).upper()
    r = _push(rp, "8" + RPPS["alice"], binding)
    assert r.status_code == 200, r.text
    auth_req_id = r.json()["auth_req_id"]
    assert r.json()["expires_in"] > 0

    poll = rp.token(grant_type=CIBA_GRANT, auth_req_id=auth_req_id)
    assert (poll.status_code, poll.json()["error"]) == (400, "authorization_pending")
    push = _pending_push(rp, binding)
    assert push["rpps"] == RPPS["alice"]

    rp.psc.answer_push(push["id"], confirm=True)
    done = rp.token(grant_type=CIBA_GRANT, auth_req_id=auth_req_id)
    assert done.status_code == 200, done.text
    claims = verified_jws(done.json()["id_token"], rp.jwks())
    assert (claims["acr"], claims["SubjectNameID"]) == ("eidas1", "8" + RPPS["alice"])
    assert done.json()["refresh_token"]
    assert binding not in [p["binding_message"] for p in rp.psc.pending_pushes()]


def test_ecps_push_refused_on_the_phone_or_for_an_unknown_card(rp: Rp) -> None:
    binding = secrets.token_hex(2).upper()
    r = _push(rp, RPPS["bob"], binding)  # the bare RPPS is understood too
    assert r.status_code == 200, r.text
    rp.psc.answer_push(_pending_push(rp, binding)["id"], confirm=False)
    denied = rp.token(grant_type=CIBA_GRANT, auth_req_id=r.json()["auth_req_id"])
    assert (denied.status_code, denied.json()["error"]) == (400, "access_denied")

    unknown = _push(rp, "81" + "2" * 10, "ZZZZ")
    assert (unknown.status_code, unknown.json()["error"]) == (400, "unknown_user_id")
