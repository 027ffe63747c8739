"""The whole Pro Santé Connect chain inside the sandbox (issue 15 §2): the app's side of the
regional server (authorize, token, CIBA) in front of its relying party, in front of the « PSC
simulé » — the browser played by httpx, each hop read from its Location. The same chain against
a real OpenID provider is in tests/interop/."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from server.auth import authorize
from server.testing import ServerThread
from tests.server.test_psc_simule import GP, pkce, psc_server, rpps_of

__all__ = ["psc_server"]  # the fixture, shared with the simulé's own tests

APP = "http://127.0.0.1:5555/cb"  # the app's loopback listener: never reached, Location is read
CLIENT = "monsisra-bureau"
CIBA = "urn:openid:params:grant-type:ciba"


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def card_login(
    server: ServerThread, rpps: str, mode: str = "normal", action: str = "valider"
) -> tuple[dict[str, str], str]:
    """From the app's authorize request to the redirect back to the app: (its query, verifier)."""
    verifier, challenge = pkce()
    r = httpx.get(
        server.base_url + "/auth/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT,
            "redirect_uri": APP,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "etat-app",
            "nonce": "nonce-app",
            "scope": "openid",
        },
    )
    assert r.status_code in (302, 303), r.text
    to_psc = r.headers["location"]
    assert urlsplit(to_psc).hostname == "localhost"  # PSC's authorize: another host
    assert query(to_psc)["acr_values"] == "eidas1"
    assert set(query(to_psc)["scope"].split()) == {"openid", "scope_all"}
    page = httpx.get(to_psc)
    assert page.status_code == 200
    assert "PSC simulé" in page.text
    found = re.search(r'name="demande" value="([^"]+)"', page.text)
    assert found is not None
    r = httpx.post(
        to_psc.split("?")[0],
        data={"demande": found.group(1), "rpps": rpps, "mode": mode, "action": action},
    )
    back_to_server = r.headers["location"]
    assert back_to_server.startswith(server.base_url + "/auth/psc/callback")
    r = httpx.get(back_to_server)
    assert r.status_code in (302, 303)
    back_to_app = r.headers["location"]
    assert back_to_app.startswith(APP)
    answer = query(back_to_app)
    assert answer["state"] == "etat-app"
    return answer, verifier


def exchange(server: ServerThread, code: str, verifier: str) -> httpx.Response:
    return httpx.post(
        server.base_url + "/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": APP,
            "client_id": CLIENT,
            "code_verifier": verifier,
        },
    )


def test_a_card_login_gives_the_account_and_its_two_practices(psc_server: ServerThread) -> None:
    meta = httpx.get(psc_server.base_url + "/.well-known/oauth-authorization-server").json()
    assert meta["monsisra_pro_sante_connect"] is True
    answer, verifier = card_login(psc_server, rpps_of(psc_server, GP))
    r = exchange(psc_server, answer["code"], verifier)
    assert r.status_code == 200, r.text
    tokens: dict[str, Any] = r.json()
    assert tokens["login"] == GP
    assert len(tokens["practices"]) == 2
    assert all(p["email"] for p in tokens["practices"])
    # Our own access token opens the mailbox; nothing of PSC's reaches the app.
    session = httpx.get(
        psc_server.base_url + "/.well-known/jmap",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert session.status_code == 200
    assert "scope_all" not in r.text


@pytest.mark.parametrize(
    ("mode", "action", "said"),
    [
        ("expiree", "valider", "Votre carte CPS a expiré."),
        ("eidas0", "valider", "Authentification trop faible"),
        ("normal", "refuser", "Connexion refusée par Pro Santé Connect."),
    ],
)
def test_the_card_refusals_come_back_to_the_app_in_french(
    psc_server: ServerThread, mode: str, action: str, said: str
) -> None:
    answer, _ = card_login(psc_server, rpps_of(psc_server, GP), mode=mode, action=action)
    assert answer["error"] == "access_denied"
    assert said in answer["error_description"]
    assert "code" not in answer


def test_an_e_cps_push_confirmed_on_the_phone_logs_in(psc_server: ServerThread) -> None:
    rpps = rpps_of(psc_server, GP)
    r = httpx.post(
        psc_server.base_url + "/auth/ciba", data={"client_id": CLIENT, "login_hint": rpps}
    )
    assert r.status_code == 200, r.text
    started = r.json()
    phone = httpx.get(psc_server.base_url + "/psc-simule/telephone").text
    assert started["binding_message"] in phone  # the code the app shows is on the phone
    poll = {"grant_type": CIBA, "auth_req_id": started["auth_req_id"], "client_id": CLIENT}
    pending = httpx.post(psc_server.base_url + "/auth/token", data=poll)
    assert pending.json()["error"] in ("authorization_pending", "slow_down")
    [form] = re.findall(r'<form class="inline" method="post" action="([^"]+)"', phone)
    httpx.post(psc_server.base_url + form, data={"action": "valider"})
    time.sleep(started["interval"])  # as the app polls: no sooner than the interval asked
    r = httpx.post(psc_server.base_url + "/auth/token", data=poll)
    assert r.status_code == 200, r.text
    assert r.json()["login"] == GP


def test_when_psc_refuses_to_refresh_the_session_ends_in_french(
    psc_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    rpps = rpps_of(psc_server, GP)
    answer, verifier = card_login(psc_server, rpps)
    tokens = exchange(psc_server, answer["code"], verifier).json()
    monkeypatch.setattr(authorize, "PSC_REFRESH_AFTER", -1.0)  # PSC asked at each refresh
    refresh = {"grant_type": "refresh_token", "client_id": CLIENT}
    r = httpx.post(
        psc_server.base_url + "/auth/token",
        data={**refresh, "refresh_token": tokens["refresh_token"]},
    )
    assert r.status_code == 200, r.text  # PSC still refreshes: ours rotates
    rotated = r.json()
    httpx.post(psc_server.base_url + "/sandbox/psc-simule/revoke/" + rpps).raise_for_status()
    r = httpx.post(
        psc_server.base_url + "/auth/token",
        data={**refresh, "refresh_token": rotated["refresh_token"]},
    )
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_grant"
    assert "Votre session Pro Santé Connect a pris fin" in r.json()["error_description"]
    ended = httpx.get(
        psc_server.base_url + "/.well-known/jmap",
        headers={"Authorization": f"Bearer {rotated['access_token']}"},
    )
    assert ended.status_code == 401
