"""The « PSC simulé » (issue 15, contract C), driven over HTTP as a browser and as the relying
party would: discovery at PSC's path with authorize on another host, the code flow with PKCE,
ID tokens checked against its jwks, PSC's claims, userinfo as JSON or a JWT, the card page's
refusal / expired card / weak authentication, CIBA through the phone page, refresh and the
revoke hook. Expiries are reached by moving the simulé's clock, not by waiting."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from server.psc_simule import with_psc_simule
from server.testing import ServerThread
from tests.server.conftest import ServerFactory

REDIRECT = "http://127.0.0.1:9/auth/psc/callback"  # never reached: the test reads Location
CIBA = "urn:openid:params:grant-type:ciba"
GP = "helene.garnier"  # two practices at the simulé
NURSE = "thomas.roux"


@pytest.fixture
def psc_server(server_factory: ServerFactory, demo_template: Path, tmp_path: Path) -> ServerThread:
    data = tmp_path / "demo-psc"
    shutil.copytree(demo_template, data)
    return server_factory(data_dir=data, users=(), psc_simule=True)


def rpps_of(server: ServerThread, login: str) -> str:
    account = server.sandbox.accounts.by_login(login)
    assert account is not None
    assert account.rpps is not None
    return account.rpps


def discovery(server: ServerThread) -> dict[str, Any]:
    url = server.config.psc_discovery_url
    assert url is not None
    r = httpx.get(url)
    assert r.status_code == 200, r.text
    doc: dict[str, Any] = r.json()
    return doc


def credentials(server: ServerThread) -> tuple[str, str]:
    assert server.config.psc_client_id
    assert server.config.psc_client_secret
    return server.config.psc_client_id, server.config.psc_client_secret


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def card_page(server: ServerThread, **params: str) -> httpx.Response:
    """The browser sent to the authorize endpoint by the relying party."""
    doc = discovery(server)
    query = {
        "response_type": "code",
        "client_id": credentials(server)[0],
        "redirect_uri": REDIRECT,
        "scope": "openid scope_all",
        "acr_values": "eidas1",
        "state": "st-1",
        "nonce": "no-1",
        **params,
    }
    return httpx.get(doc["authorization_endpoint"], params=query)


def answer_card(
    server: ServerThread,
    page: httpx.Response,
    rpps: str,
    mode: str = "normal",
    action: str = "valider",
) -> dict[str, str]:
    """The card page's form posted back; the query of where it redirects to."""
    assert page.status_code == 200, page.text
    found = re.search(r'name="demande" value="([^"]+)"', page.text)
    assert found is not None
    r = httpx.post(
        str(page.url).split("?")[0],
        data={"demande": found.group(1), "rpps": rpps, "mode": mode, "action": action},
    )
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def token(server: ServerThread, **form: str) -> httpx.Response:
    return httpx.post(discovery(server)["token_endpoint"], data=form, auth=credentials(server))


def verified(server: ServerThread, id_token: str, leeway: float = 0) -> dict[str, Any]:
    """The ID token's claims, its signature checked with the simulé's jwks (as the RP does);
    `leeway`: the simulé's clock was moved forward."""
    doc = discovery(server)
    keys = httpx.get(doc["jwks_uri"]).json()["keys"]
    kid = jwt.get_unverified_header(id_token)["kid"]
    key = next(jwt.PyJWK(k) for k in keys if k["kid"] == kid)
    claims: dict[str, Any] = jwt.decode(
        id_token,
        key.key,
        algorithms=["RS256"],
        audience=credentials(server)[0],
        issuer=doc["issuer"],
        leeway=leeway,
    )
    return claims


def code_flow(server: ServerThread, login: str = GP) -> dict[str, Any]:
    verifier, challenge = pkce()
    page = card_page(server, code_challenge=challenge, code_challenge_method="S256")
    back = answer_card(server, page, rpps_of(server, login))
    r = token(
        server,
        grant_type="authorization_code",
        code=back["code"],
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert r.status_code == 200, r.text
    tokens: dict[str, Any] = r.json()
    return tokens


def test_discovery_has_psc_shape_and_the_authorize_on_another_host(
    psc_server: ServerThread,
) -> None:
    url = psc_server.config.psc_discovery_url
    assert url == (
        psc_server.base_url
        + "/psc-simule/auth/realms/esante-wallet/.well-known/wallet-openid-configuration"
    )
    doc = discovery(psc_server)
    port = urlsplit(psc_server.base_url).port
    issuer, authorize = urlsplit(doc["issuer"]), urlsplit(doc["authorization_endpoint"])
    assert (issuer.hostname, issuer.port) == ("127.0.0.1", port)
    assert (authorize.hostname, authorize.port) == ("localhost", port)
    for name in ("token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"):
        assert doc[name].startswith(doc["issuer"] + "/protocol/openid-connect/")
    assert doc["backchannel_authentication_endpoint"].startswith(doc["issuer"])
    assert doc["acr_values_supported"] == ["eidas1", "eidas2", "eidas3"]
    assert "S256" in doc["code_challenge_methods_supported"]
    assert "urn:openid:params:grant-type:ciba" in doc["grant_types_supported"]
    # The standard path is not where PSC has it.
    assert httpx.get(doc["issuer"] + "/.well-known/openid-configuration").status_code == 404


def test_nothing_answers_without_the_flag(server: ServerThread) -> None:
    assert server.config.psc_discovery_url is None
    path = "/psc-simule/auth/realms/esante-wallet/.well-known/wallet-openid-configuration"
    assert httpx.get(server.base_url + path).status_code == 404
    assert httpx.get(server.base_url + "/psc-simule/telephone").status_code == 404
    r = httpx.post(server.base_url + "/sandbox/psc-simule/revoke/10000000001")
    assert r.status_code == 404


def test_code_flow_with_pkce_gives_a_signed_id_token_with_psc_claims(
    psc_server: ServerThread,
) -> None:
    tokens = code_flow(psc_server)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 120
    assert tokens["refresh_expires_in"] == 1800
    claims = verified(psc_server, tokens["id_token"])
    rpps = rpps_of(psc_server, GP)
    assert claims["nonce"] == "no-1"
    assert claims["acr"] == "eidas1"
    assert claims["SubjectNameID"] == "8" + rpps
    assert rpps not in claims["sub"]  # opaque
    assert claims["exp"] - claims["iat"] == 120
    ref = claims["SubjectRefPro"]
    assert ref["codeCivilite"] == "DR"
    exercice = ref["exercices"][0]
    assert (exercice["codeProfession"], exercice["nomDexercice"]) == ("10", "Garnier")
    sites = [(a["raisonSocialeSite"], a["communeSite"]) for a in exercice["activities"]]
    assert sites[0][0] == "Cabinet médical Garnier-Vasseur"
    assert sites[1] == ("Maison de santé pluriprofessionnelle des Pentes", "Lyon 1er")
    assert claims["SubjectOrganization"] == sites[0][0]
    # Another professional: one practice.
    nurse = verified(psc_server, code_flow(psc_server, NURSE)["id_token"])
    assert nurse["SubjectNameID"] == "8" + rpps_of(psc_server, NURSE)
    assert len(nurse["SubjectRefPro"]["exercices"][0]["activities"]) == 1


def test_the_code_needs_its_verifier_and_is_used_once(psc_server: ServerThread) -> None:
    verifier, challenge = pkce()
    page = card_page(psc_server, code_challenge=challenge, code_challenge_method="S256")
    back = answer_card(psc_server, page, rpps_of(psc_server, GP))
    assert back["state"] == "st-1"
    assert back["iss"] == discovery(psc_server)["issuer"]
    wrong = token(
        psc_server,
        grant_type="authorization_code",
        code=back["code"],
        redirect_uri=REDIRECT,
        code_verifier=pkce()[0],
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    again = token(
        psc_server,
        grant_type="authorization_code",
        code=back["code"],
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert again.json()["error"] == "invalid_grant"  # spent by the failed attempt
    # Missing verifier when a challenge was sent.
    page = card_page(psc_server, code_challenge=challenge, code_challenge_method="S256")
    back = answer_card(psc_server, page, rpps_of(psc_server, GP))
    r = token(psc_server, grant_type="authorization_code", code=back["code"], redirect_uri=REDIRECT)
    assert r.json()["error"] == "invalid_grant"
    # Without PKCE at all, as a confidential client may.
    back = answer_card(psc_server, card_page(psc_server), rpps_of(psc_server, GP))
    r = token(psc_server, grant_type="authorization_code", code=back["code"], redirect_uri=REDIRECT)
    assert r.status_code == 200, r.text


def test_the_client_must_authenticate(psc_server: ServerThread) -> None:
    back = answer_card(psc_server, card_page(psc_server), rpps_of(psc_server, GP))
    r = httpx.post(
        discovery(psc_server)["token_endpoint"],
        data={"grant_type": "authorization_code", "code": back["code"], "redirect_uri": REDIRECT},
        auth=(credentials(psc_server)[0], "not-the-secret"),
    )
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"


def test_authorize_refuses_an_unknown_client_or_redirect_without_redirecting(
    psc_server: ServerThread,
) -> None:
    r = card_page(psc_server, client_id="someone-else")
    assert r.status_code == 400
    assert "Application cliente inconnue" in r.text
    assert "location" not in r.headers
    r = card_page(psc_server, redirect_uri="https://evil.example/cb")
    assert r.status_code == 400
    assert "location" not in r.headers
    r = card_page(psc_server, response_type="token")
    assert r.status_code == 302
    assert "error=unsupported_response_type" in r.headers["location"]


def test_card_page_refusal_expired_card_and_weak_authentication(
    psc_server: ServerThread,
) -> None:
    rpps = rpps_of(psc_server, GP)
    page = card_page(psc_server)
    shown = html.unescape(page.text)
    assert "PSC simulé — environnement de démonstration, aucune vraie carte n'est lue" in shown
    assert "Dr Hélène Garnier" in shown
    refused = answer_card(psc_server, page, rpps, action="refuser")
    assert refused["error"] == "access_denied"
    assert refused["error_description"] == "user_refused"
    assert refused["state"] == "st-1"
    assert "code" not in refused
    expired = answer_card(psc_server, card_page(psc_server), rpps, mode="expiree")
    assert (expired["error"], expired["error_description"]) == ("access_denied", "card_expired")
    weak = answer_card(psc_server, card_page(psc_server), rpps, mode="eidas0")
    r = token(psc_server, grant_type="authorization_code", code=weak["code"], redirect_uri=REDIRECT)
    assert verified(psc_server, r.json()["id_token"])["acr"] == "eidas0"


def test_card_page_escapes_what_it_shows(psc_server: ServerThread) -> None:
    psc_server.sandbox.accounts.create(
        "mallory", "mallory-secret-1", "Dr <b>Mal</b>lory", "m@x.fr", rpps="19999999999"
    )
    page = card_page(psc_server)
    assert "Dr &lt;b&gt;Mal&lt;/b&gt;lory" in page.text
    assert "<b>Mal" not in page.text
    # The form's answer may redirect to the relying party: its origin is allowed as form-action.
    assert "form-action 'self' http://127.0.0.1:9" in page.headers["content-security-policy"]


def test_userinfo_as_json_then_as_a_signed_jwt(
    psc_server: ServerThread, server_factory: ServerFactory, demo_template: Path, tmp_path: Path
) -> None:
    tokens = code_flow(psc_server)
    doc = discovery(psc_server)
    bearer = {"Authorization": "Bearer " + tokens["access_token"]}
    r = httpx.get(doc["userinfo_endpoint"], headers=bearer)
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["SubjectNameID"] == "8" + rpps_of(psc_server, GP)
    assert r.json()["acr"] == "eidas1"
    assert httpx.get(doc["userinfo_endpoint"]).status_code == 401

    data = tmp_path / "demo-jwt"
    shutil.copytree(demo_template, data)
    signed = server_factory(data_dir=data, users=(), psc_simule=True, psc_simule_userinfo_jwt=True)
    tokens = code_flow(signed)
    doc = discovery(signed)
    r = httpx.get(
        doc["userinfo_endpoint"], headers={"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert r.headers["content-type"].startswith("application/jwt")
    claims = verified(signed, r.text)
    assert claims["SubjectNameID"] == "8" + rpps_of(signed, GP)
    assert claims["SubjectRefPro"]["exercices"][0]["prenomDexercice"] == "Hélène"


def test_access_token_lasts_120_seconds(psc_server: ServerThread) -> None:
    tokens = code_flow(psc_server)
    psc = psc_server.sandbox.psc_simule
    assert psc is not None
    now = psc.clock()
    psc.clock = lambda: now + 121
    r = httpx.get(
        discovery(psc_server)["userinfo_endpoint"],
        headers={"Authorization": "Bearer " + tokens["access_token"]},
    )
    assert r.status_code == 401


def test_refresh_rotates_then_fails_after_the_revoke_hook(psc_server: ServerThread) -> None:
    tokens = code_flow(psc_server)
    r = token(psc_server, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert verified(psc_server, fresh["id_token"])["SubjectNameID"] == "8" + rpps_of(psc_server, GP)
    old = token(psc_server, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert old.json()["error"] == "invalid_grant"
    # Another professional's session is left alone by the hook.
    nurse = code_flow(psc_server, NURSE)

    hook = psc_server.base_url + "/sandbox/psc-simule/revoke/" + rpps_of(psc_server, GP)
    assert httpx.post(hook).json()["sessions_ended"] == 1
    r = token(psc_server, grant_type="refresh_token", refresh_token=fresh["refresh_token"])
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_grant"
    r = httpx.get(
        discovery(psc_server)["userinfo_endpoint"],
        headers={"Authorization": "Bearer " + fresh["access_token"]},
    )
    assert r.status_code == 401
    r = token(psc_server, grant_type="refresh_token", refresh_token=nurse["refresh_token"])
    assert r.status_code == 200
    # A new login of the revoked professional works again.
    assert code_flow(psc_server)["refresh_token"]


def test_end_session(psc_server: ServerThread) -> None:
    tokens = code_flow(psc_server)
    doc = discovery(psc_server)
    r = httpx.get(
        doc["end_session_endpoint"],
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "http://127.0.0.1:9/fin",
            "state": "bye",
        },
    )
    assert r.status_code == 302
    assert r.headers["location"] == "http://127.0.0.1:9/fin?state=bye"
    r = token(psc_server, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert r.json()["error"] == "invalid_grant"


def ciba(server: ServerThread, login_hint: str, binding: str = "K7QF") -> httpx.Response:
    return httpx.post(
        discovery(server)["backchannel_authentication_endpoint"],
        data={
            "login_hint": login_hint,
            "binding_message": binding,
            "scope": "openid scope_all",
            "acr_values": "eidas1",
        },
        auth=credentials(server),
    )


def poll(server: ServerThread, auth_req_id: str) -> httpx.Response:
    """One poll, the simulé's clock moved past the interval first (no slow_down)."""
    psc = server.sandbox.psc_simule
    assert psc is not None
    now = psc.clock()
    psc.clock = lambda: now + 4
    return token(server, grant_type="urn:openid:params:grant-type:ciba", auth_req_id=auth_req_id)


def phone_page(server: ServerThread) -> str:
    return html.unescape(httpx.get(server.base_url + "/psc-simule/telephone").text)


def phone_answer(server: ServerThread, action: str) -> str:
    """The phone page: its one pending push answered; the page shown afterwards."""
    page = httpx.get(server.base_url + "/psc-simule/telephone")
    forms = re.findall(r'<form class="inline" method="post" action="([^"]+)"', page.text)
    assert len(forms) == 1, page.text
    r = httpx.post(server.base_url + forms[0], data={"action": action}, follow_redirects=True)
    assert r.status_code == 200
    return r.text


def test_ciba_pending_then_validated_on_the_phone(psc_server: ServerThread) -> None:
    rpps = rpps_of(psc_server, GP)
    r = ciba(psc_server, "8" + rpps)
    assert r.status_code == 200, r.text
    started = r.json()
    assert (started["expires_in"], started["interval"]) == (120, 3)
    assert poll(psc_server, started["auth_req_id"]).json()["error"] == "authorization_pending"
    too_soon = token(
        psc_server,
        grant_type="urn:openid:params:grant-type:ciba",
        auth_req_id=started["auth_req_id"],
    )
    assert too_soon.json()["error"] == "slow_down"

    page = httpx.get(psc_server.base_url + "/psc-simule/telephone").text
    assert "K7QF" in page
    assert "Dr Hélène Garnier" in page
    assert "Expire à" in page
    assert "Demande validée." in phone_answer(psc_server, "valider")
    r = poll(psc_server, started["auth_req_id"])
    assert r.status_code == 200, r.text
    claims = verified(psc_server, r.json()["id_token"], leeway=60)
    assert (claims["SubjectNameID"], claims["acr"]) == ("8" + rpps, "eidas1")
    assert poll(psc_server, started["auth_req_id"]).json()["error"] == "invalid_grant"  # once
    assert (
        "Aucune demande en attente."
        in httpx.get(psc_server.base_url + "/psc-simule/telephone").text
    )


def test_ciba_refused_on_the_phone(psc_server: ServerThread) -> None:
    started = ciba(psc_server, rpps_of(psc_server, GP)).json()
    assert "Demande refusée." in phone_answer(psc_server, "refuser")
    r = poll(psc_server, started["auth_req_id"])
    assert r.status_code == 400
    assert r.json()["error"] == "access_denied"


def test_ciba_expires(psc_server: ServerThread) -> None:
    started = ciba(psc_server, rpps_of(psc_server, GP)).json()
    psc = psc_server.sandbox.psc_simule
    assert psc is not None
    now = psc.clock()
    psc.clock = lambda: now + 121
    assert (
        "Aucune demande en attente."
        in httpx.get(psc_server.base_url + "/psc-simule/telephone").text
    )
    r = token(
        psc_server,
        grant_type="urn:openid:params:grant-type:ciba",
        auth_req_id=started["auth_req_id"],
    )
    assert r.json()["error"] == "expired_token"


def test_ciba_unknown_professional(psc_server: ServerThread) -> None:
    r = ciba(psc_server, "10000000000")
    assert r.status_code == 400
    assert r.json()["error"] == "unknown_user_id"
    assert ciba(psc_server, "pas-un-rpps").json()["error"] == "unknown_user_id"


def test_the_command_line_flag(tmp_path: Path) -> None:
    from server.cli import config_from, parse_args

    assert config_from(parse_args(["--data", str(tmp_path)])).psc_simule is False
    config = config_from(parse_args(["--data", str(tmp_path), "--psc-simule"]))
    assert config.psc_simule is True
    # The client settings are filled once the port is known, with a fresh secret each start.
    first = with_psc_simule(config, "http://127.0.0.1:8750")
    second = with_psc_simule(config, "http://127.0.0.1:8750")
    assert first.psc_client_id == "monsisra-sandbox"
    assert first.psc_client_secret
    assert first.psc_client_secret != second.psc_client_secret
    assert first.psc_discovery_url == (
        "http://127.0.0.1:8750/psc-simule/auth/realms/esante-wallet/"
        ".well-known/wallet-openid-configuration"
    )


def test_phone_page_escapes_the_binding_message(psc_server: ServerThread) -> None:
    assert ciba(psc_server, rpps_of(psc_server, GP), binding="<i>K7</i>").status_code == 200
    page = httpx.get(psc_server.base_url + "/psc-simule/telephone").text
    assert "&lt;i&gt;K7&lt;/i&gt;" in page
    assert "<i>" not in page
    assert ciba(psc_server, rpps_of(psc_server, GP), binding="X" * 33).status_code == 400


def test_card_page_asks_again_when_no_professional_is_chosen(psc_server: ServerThread) -> None:
    page = card_page(psc_server)
    found = re.search(r'name="demande" value="([^"]+)"', page.text)
    assert found is not None
    r = httpx.post(
        str(page.url).split("?")[0],
        data={"demande": found.group(1), "mode": "normal", "action": "valider"},
    )
    assert r.status_code == 400
    assert "Choisissez un professionnel." in r.text
    # The same request still stands: answered properly, it gives a code.
    back = answer_card(psc_server, page, rpps_of(psc_server, GP))
    assert back["code"]
    # Once answered, it is gone.
    r = httpx.post(
        str(page.url).split("?")[0],
        data={"demande": found.group(1), "rpps": rpps_of(psc_server, GP), "action": "valider"},
    )
    assert r.status_code == 400
    assert "expiré" in html.unescape(r.text)
