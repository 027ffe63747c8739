"""Every route of the sandbox, enumerated: none answers without credentials (but the few public
ones, named here with their reason), and none shows one user's data to another."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute

from server.auth.routes import router as auth_router
from server.demo.users import DEMO_PASSWORD
from server.directory.routes import router as directory_router
from server.jmap.blob_routes import router as blob_router
from server.jmap.push import router as push_router
from server.jmap.routes import router as jmap_router
from server.portal.registration import router as registration_router
from server.portal.routes import router as portal_router
from server.portal.telemedicine import router as telemedicine_router
from server.regional.routes import public_router as regional_public_router
from server.regional.routes import router as regional_router
from server.testing import ServerThread
from tests.server.conftest import User, get_token

ROUTERS: tuple[APIRouter, ...] = (
    auth_router,
    jmap_router,
    blob_router,
    push_router,
    directory_router,
    regional_router,
    regional_public_router,
    portal_router,
    registration_router,
    telemedicine_router,
)

# Reachable without credentials, on purpose.
PUBLIC = {
    ("POST", "/auth/token"): "the login itself",
    ("POST", "/auth/revoke"): "the token to revoke is the credential (RFC 7009)",
    ("GET", "/regional/v1/openapi.json"): "it describes the API, not anyone's data",
    ("GET", "/portal/portal.css"): "the portal pages' style sheet",
    ("GET", "/.well-known/jmap"): "discovery before login (capabilities and URLs, no account)",
    ("GET", "/portal/inscription"): "creating an account (Sara) happens before having one",
    ("POST", "/portal/inscription"): "creating an account (Sara) happens before having one",
    ("GET", "/portal/inscription/activation/{token}"): "the activation link is the credential",
    ("POST", "/portal/inscription/activation/{token}"): "the activation link is the credential",
    ("GET", "/portal/telemedecine/join/{token}"): "the patient joins with the link alone",
    ("POST", "/portal/telemedecine/join/{token}/pay"): "the patient pays with the link alone",
}

# Shared by design between professionals: the directory, the regional patient directory (the
# identities a search or a record shows; contact details, care team and access journal are for
# the patient's followers: tests/server/test_patient_need_to_know.py) and the déclared équipes
# ressources (with their templates, made to be downloaded by requesters).
SHARED = {
    ("GET", "/fhir/metadata"),
    ("GET", "/fhir/{resource}"),
    ("GET", "/fhir/{resource}/{resource_id}"),
    ("GET", "/regional/v1/patients"),
    ("GET", "/regional/v1/patients/{patient_id}"),
    ("GET", "/regional/v1/resource-teams"),
    ("GET", "/regional/v1/resource-teams/{team_id}"),
    ("GET", "/regional/v1/resource-teams/{team_id}/templates/{template_id}"),
}

GP = User("helene.garnier", DEMO_PASSWORD, "Dr Hélène Garnier", "")
OTHER = User("julie.perrin", DEMO_PASSWORD, "Julie Perrin", "")


def all_routes() -> list[tuple[str, str]]:
    routes = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            routes += [(method, route.path) for method in sorted(route.methods)]
    return routes


def _jmap(server: ServerThread, token: str, calls: list[list[Any]]) -> list[list[Any]]:
    r = httpx.post(
        server.base_url + "/jmap/api",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "using": [
                "urn:ietf:params:jmap:core",
                "urn:ietf:params:jmap:mail",
                "urn:ietf:params:jmap:submission",
            ],
            "methodCalls": calls,
        },
    )
    assert r.status_code == 200, r.text
    responses: list[list[Any]] = r.json()["methodResponses"]
    return responses


@pytest.fixture
def gp_ids(demo_server: ServerThread) -> dict[str, str]:
    """Ids of the GP's own things, learnt over HTTP as the GP."""
    token = get_token(demo_server.base_url, GP)
    auth = {"Authorization": f"Bearer {token}"}
    base = demo_server.base_url + "/regional/v1"
    session = httpx.get(demo_server.base_url + "/.well-known/jmap", headers=auth).json()
    account = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    got = _jmap(
        demo_server,
        token,
        [
            [
                "Email/query",
                {"accountId": account, "filter": {"hasAttachment": True}, "limit": 1},
                "q",
            ],
            [
                "Email/get",
                {
                    "accountId": account,
                    "properties": ["blobId", "threadId"],
                    "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                },
                "g",
            ],
        ],
    )
    email = got[1][1]["list"][0]
    # A patient the other user has nothing to do with (not in the care team).
    patient = next(
        p
        for p in httpx.get(base + "/file-active", headers=auth).json()["patients"]
        if OTHER.login + "@"
        not in httpx.get(base + f"/patients/{p['id']}/care-team", headers=auth).text
    )
    team = httpx.get(base + "/resource-teams", headers=auth).json()["resourceTeams"][0]
    return {
        "account_id": account,
        "email_id": email["id"],
        "thread_id": email["threadId"],
        "blob_id": email["blobId"],
        "name": "message.eml",
        "patient_id": patient["id"],
        "ins": patient["ins"],
        "teleconsultation_id": httpx.get(base + "/teleconsultations", headers=auth).json()[
            "teleconsultations"
        ][0]["id"],
        "teleexpertise_id": httpx.get(base + "/teleexpertises", headers=auth).json()[
            "teleexpertises"
        ][0]["id"],
        "team_id": team["id"],
        "template_id": team["templates"][0]["id"],
        "resource": "Practitioner",
        "resource_id": "does-not-matter",
        "token": "unknown-join-token",
        # No demo record has a filed document: the need-to-know check comes before the lookup.
        "document_id": "doc-of-the-gps-patient",
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def test_every_route_needs_credentials_except_the_public_ones(
    demo_server: ServerThread, gp_ids: dict[str, str]
) -> None:
    routes = all_routes()
    assert len(routes) > 40
    for method, path in routes:
        r = httpx.request(method, demo_server.base_url + _fill(path, gp_ids))
        if (method, path) in PUBLIC:
            assert r.status_code != 401, (method, path)
        else:
            assert r.status_code == 401, (method, path, r.status_code)


def test_no_route_shows_the_gps_data_to_another_user(
    demo_server: ServerThread, gp_ids: dict[str, str]
) -> None:
    other = get_token(demo_server.base_url, OTHER)
    auth = {"Authorization": f"Bearer {other}"}
    pair = base64.b64encode(f"{OTHER.login}:{OTHER.password}".encode()).decode()
    basic = {"Authorization": f"Basic {pair}"}
    private_values = [
        gp_ids[k]
        for k in ("email_id", "thread_id", "teleconsultation_id", "teleexpertise_id", "account_id")
    ]
    checked = 0
    # Following a patient changes what the caller may see: do it last.
    for method, path in sorted(all_routes(), key=lambda r: "/file-active/" in r[1]):
        if (method, path) in PUBLIC or (method, path) in SHARED:
            continue
        url = demo_server.base_url + _fill(path, gp_ids)
        if path == "/jmap/api":
            calls = [
                [
                    "Email/get",
                    {"accountId": gp_ids["account_id"], "ids": [gp_ids["email_id"]]},
                    "a",
                ],
                ["Email/get", {"ids": [gp_ids["email_id"]], "properties": ["subject"]}, "b"],
                ["Thread/get", {"ids": [gp_ids["thread_id"]]}, "c"],
            ]
            session = httpx.get(demo_server.base_url + "/.well-known/jmap", headers=auth).json()
            own = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
            for call in calls[1:]:
                call[1]["accountId"] = own
            responses = _jmap(demo_server, other, calls)
            assert responses[0][1]["type"] == "accountNotFound"
            assert responses[1][1]["notFound"] == [gp_ids["email_id"]]
            assert responses[2][1]["notFound"] == [gp_ids["thread_id"]]
            checked += 1
            continue
        if path == "/jmap/eventsource":
            # Own account only: the stream carries the caller's account id and nothing else.
            with httpx.stream("GET", url + "?types=*&closeafter=no&ping=0", headers=auth) as r:
                first = next(line for line in r.iter_lines() if line.startswith("data:"))
            assert gp_ids["account_id"] not in first
            checked += 1
            continue
        body: dict[str, Any] | None = {} if method in {"POST", "PUT"} else None
        if path == "/regional/v1/file-active/{patient_id}" and method == "PUT":
            body = {"reason": "prise_en_charge"}  # following takes a reason
        # The portal is opened in a browser: Basic (or a one-time code), not a Bearer token.
        creds = basic if path.startswith("/portal/") else auth
        r = httpx.request(method, url, headers=creds, json=body)
        assert r.status_code < 500, (method, path, r.status_code)
        if re.search(r"\{\w+\}", path):
            # An object of the GP addressed by id: it does not exist for the other user.
            if path.startswith("/regional/v1/file-active/"):
                assert r.status_code in {200, 201, 204, 404}, (method, path, r.status_code)
            else:
                assert r.status_code in {400, 403, 404, 422}, (method, path, r.status_code)
        text = r.text
        for value in private_values:
            assert value not in text, (method, path)
        checked += 1
    assert checked >= 25
    # Following or unfollowing a patient is the caller's own list: the GP's is untouched.
    gp = get_token(demo_server.base_url, GP)
    mine = httpx.get(
        demo_server.base_url + "/regional/v1/file-active", headers={"Authorization": f"Bearer {gp}"}
    ).json()["patients"]
    assert gp_ids["patient_id"] in json.dumps(mine)
