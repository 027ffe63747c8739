"""The regional part of the demo data, as the demo users see it over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import RegionalApi, User, get_token

GP = User("helene.garnier", DEMO_PASSWORD, "Dr Hélène Garnier", "")
DERMATO = User("nadia.lefevre", DEMO_PASSWORD, "Dr Nadia Lefèvre", "")
CARDIO = User("karim.benali", DEMO_PASSWORD, "Dr Karim Benali", "")


def test_demo_gp_has_patients_teleconsultations_and_a_teleexpertise(
    demo_server: ServerThread, regional_api: RegionalApi
) -> None:
    gp = regional_api(demo_server, GP)
    patients = gp.get("/file-active").json()["patients"]
    assert 55 <= len(patients) <= 65
    assert all(p["insOid"] in ("1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11") for p in patients)
    team = gp.get(f"/patients/{patients[0]['id']}/care-team").json()["members"]
    assert 2 <= len(team) <= 6
    assert all(m["mssanteAddress"] for m in team)
    consultations = gp.get("/teleconsultations").json()["teleconsultations"]
    statuses = {t["status"] for t in consultations}
    assert statuses == {"planned", "done", "cancelled"}
    assert all(t["joinUrl"].startswith(demo_server.base_url) for t in consultations)
    expertises = gp.get("/teleexpertises").json()["teleexpertises"]
    assert sorted(t["status"] for t in expertises) == ["answered", "requested"]
    teams = gp.get("/resource-teams", params={"q": "insuffisance cardiaque"}).json()
    template = teams["resourceTeams"][0]["templates"][0]
    assert gp.get(template["downloadUrl"]).content.startswith(b"%PDF")


def test_a_follower_joins_the_care_team_with_the_directory_entry(
    demo_server: ServerThread, regional_api: RegionalApi
) -> None:
    cardio = regional_api(demo_server, CARDIO)
    patient = cardio.post(
        "/patients",
        json={
            "given": "Jules",
            "family": "Noël",
            "birthDate": "1951-07-14",
            "followReason": "prise_en_charge",
        },
    ).json()
    [member] = cardio.get(f"/patients/{patient['id']}/care-team").json()["members"]
    assert member["name"] == CARDIO.name
    assert member["practitionerId"]
    assert (member["profession"], member["specialtyCode"]) == ("Médecin", "SM04")


def test_demo_follows_have_reasons_and_each_journal_a_past(
    demo_server: ServerThread, regional_api: RegionalApi
) -> None:
    gp = regional_api(demo_server, GP)
    patients = gp.get("/file-active").json()["patients"]
    reasons: set[str] = set()
    others: set[str] = set()
    for patient in patients:
        entries = gp.get(f"/patients/{patient['id']}/access-log").json()["entries"]
        follows = [e for e in entries if e["action"] == "follow"]
        assert [e["actor"]["name"] for e in follows].count(GP.name) == 1
        assert all(e["reason"] and e["reasonLabel"] for e in follows)
        assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
        reasons |= {e["reason"] for e in follows}
        others |= {e["actor"]["name"] for e in entries} - {GP.name}
    assert reasons >= {"prise_en_charge", "soins_coordonnes"}
    assert {"Mme Julie Perrin", "M. Thomas Roux"} <= others  # the pharmacist and the nurse


def test_demo_teleexpertise_thread_is_in_the_experts_inbox(
    demo_server: ServerThread, regional_api: RegionalApi
) -> None:
    dermato = regional_api(demo_server, DERMATO)
    assert dermato.get("/expert-profile").json()["listedInDirectory"] is True
    answered = next(
        t
        for t in dermato.get("/teleexpertises").json()["teleexpertises"]
        if t["status"] == "answered"
    )
    token = get_token(demo_server.base_url, DERMATO)
    session = httpx.get(
        demo_server.base_url + "/.well-known/jmap", headers={"Authorization": f"Bearer {token}"}
    ).json()
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    request: dict[str, Any] = {
        "using": ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"],
        "methodCalls": [
            ["Thread/get", {"accountId": account_id, "ids": [answered["threadId"]]}, "t"],
            [
                "Email/get",
                {
                    "accountId": account_id,
                    "#ids": {"resultOf": "t", "name": "Thread/get", "path": "/list/*/emailIds"},
                    "properties": ["subject", "mailboxIds"],
                },
                "e",
            ],
        ],
    }
    r = httpx.post(
        demo_server.base_url + "/jmap/api",
        json=request,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    emails = r.json()["methodResponses"][1][1]["list"]
    subjects = [e["subject"] for e in emails]
    assert subjects[0] == "Demande de téléexpertise — " + answered["patient"]["name"]
    assert subjects[1] == "Re: " + subjects[0]
