"""Équipes ressources (issue 13 §4) over HTTP: members checked against the accounts and the
directory, edited and withdrawn by the declarant only, left by a member, templates deleted, the
server's limits published; and the teams found in the FHIR directory as HealthcareService."""

from __future__ import annotations

from typing import Any

import httpx

from server.directory.records import PractitionerRecord
from server.testing import ServerThread
from server.urls import DIRECTORY_PATH
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token
from tests.server.test_regional import CAROL, assert_error

ZOE = "zoe.roux@hopital-demo.mssante.fr"  # in the directory, without an account here


def in_directory(server: ServerThread) -> None:
    server.sandbox.directory.insert(
        [],
        [
            PractitionerRecord(
                id="pr-zoe-000000001",
                rpps="10000000001",
                prefix="Dr",
                given="Zoé",
                family="Roux",
                gender="female",
                email=ZOE,
                profession="10",
                specialty="SM04",
            )
        ],
        [],
    )


def declare(api: httpx.Client, **over: Any) -> dict[str, Any]:
    body = {
        "name": "Équipe ressource douleur chronique",
        "activityDescription": "Évaluation et prise en charge de la douleur chronique.",
        "prerequisites": "Dernier courrier du médecin traitant.",
        "contactAddress": ALICE.email,
    }
    body.update(over)
    r = api.post("/resource-teams", json=body)
    assert r.status_code == 201, r.text
    team: dict[str, Any] = r.json()
    return team


def test_members_are_professionals_of_the_service_or_the_directory(trio: Any) -> None:
    server, alice, _, _ = trio
    in_directory(server)
    team = declare(alice, members=[BOB.email, ZOE, BOB.email.upper()])
    assert [(m["mssanteAddress"], m["name"]) for m in team["members"]] == [
        (BOB.email, BOB.name),
        (ZOE, "Dr Zoé Roux"),
    ]
    assert team["members"][1]["practitionerId"] == "pr-zoe-000000001"
    assert team["declarantAddress"] == ALICE.email
    assert team["declaredBy"] == ALICE.name
    unknown = alice.post(
        "/resource-teams",
        json={
            "name": "X",
            "activityDescription": "d",
            "contactAddress": ALICE.email,
            "members": ["personne@ailleurs.example"],
        },
    )
    assert_error(unknown, 400, "unknown_member")
    assert "personne@ailleurs.example" in unknown.json()["message"]
    assert_error(
        alice.patch(f"/resource-teams/{team['id']}", json={"members": ["pas une adresse"]}),
        400,
        "invalid_member",
    )
    # Nothing changed by the refused edit.
    assert len(alice.get(f"/resource-teams/{team['id']}").json()["members"]) == 2


def test_only_the_declarant_edits_and_withdraws(trio: Any) -> None:
    _, alice, bob, carol = trio
    team = declare(alice, members=[BOB.email])
    tid = team["id"]
    for api in (bob, carol):  # a member, and a stranger
        refused = api.patch(f"/resource-teams/{tid}", json={"name": "Renommée"})
        assert_error(refused, 403, "forbidden")
        assert "déclarant" in refused.json()["message"]
        assert_error(api.delete(f"/resource-teams/{tid}"), 403, "forbidden")
    edited = alice.patch(
        f"/resource-teams/{tid}",
        json={"prerequisites": "Échelle EVA datée", "members": [CAROL.email]},
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["name"] == team["name"]  # left out: unchanged
    assert body["prerequisites"] == "Échelle EVA datée"
    assert [m["mssanteAddress"] for m in body["members"]] == [CAROL.email]
    assert body["updatedAt"] is not None
    # The search follows the edit.
    assert [t["id"] for t in bob.get("/resource-teams", params={"q": "EVA"}).json()[
        "resourceTeams"
    ]] == [tid]  # fmt: skip
    assert_error(alice.patch(f"/resource-teams/{tid}", json={"name": "  "}), 400)
    assert alice.delete(f"/resource-teams/{tid}").status_code == 204
    assert_error(bob.get(f"/resource-teams/{tid}"), 404)
    assert bob.get("/resource-teams", params={"q": "douleur"}).json()["resourceTeams"] == []
    assert_error(alice.delete(f"/resource-teams/{tid}"), 404)


def test_mine_lists_declared_then_member_teams_and_a_member_may_leave(trio: Any) -> None:
    _, alice, bob, _ = trio
    own = declare(bob, name="Équipe de Bob", contactAddress=BOB.email)
    member_of = declare(alice, members=[BOB.email, CAROL.email])
    declare(alice, name="Sans Bob")
    mine = bob.get("/resource-teams", params={"mine": "true"}).json()["resourceTeams"]
    assert [t["id"] for t in mine] == [own["id"], member_of["id"]]
    assert bob.delete(f"/resource-teams/{member_of['id']}/membership").status_code == 204
    left = alice.get(f"/resource-teams/{member_of['id']}").json()
    assert [m["mssanteAddress"] for m in left["members"]] == [CAROL.email]
    assert [t["id"] for t in bob.get("/resource-teams?mine=true").json()["resourceTeams"]] == [
        own["id"]
    ]
    assert_error(bob.delete(f"/resource-teams/{member_of['id']}/membership"), 404)


def test_templates_are_deleted_by_the_declarant_and_limits_are_published(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(users=(ALICE, BOB), max_size_upload=4096)
    with (
        httpx.Client(
            base_url=server.base_url + "/regional/v1",
            headers={"Authorization": f"Bearer {get_token(server.base_url, ALICE)}"},
        ) as alice,
        httpx.Client(
            base_url=server.base_url + "/regional/v1",
            headers={"Authorization": f"Bearer {get_token(server.base_url, BOB)}"},
        ) as bob,
    ):
        limits = bob.get("/resource-team-limits").json()
        assert limits == {"maxTemplateBytes": 4096, "maxTemplates": 20, "maxMembers": 50}
        team = declare(alice)
        up = alice.post(
            f"/resource-teams/{team['id']}/templates",
            files={"file": ("fiche.odt", b"fiche", "application/vnd.oasis.opendocument.text")},
        ).json()
        path = f"/resource-teams/{team['id']}/templates/{up['id']}"
        assert_error(bob.delete(path), 403, "forbidden")
        assert alice.delete(path).status_code == 204
        assert alice.get(f"/resource-teams/{team['id']}").json()["templates"] == []
        assert_error(bob.get(path), 404)
        assert_error(alice.delete(path), 404)


def test_teams_are_found_in_the_directory_as_healthcare_services(trio: Any) -> None:
    server, alice, _, _ = trio
    team = declare(alice, members=[BOB.email])
    alice.post(
        f"/resource-teams/{team['id']}/templates",
        files={"file": ("fiche.pdf", b"%PDF-1.4", "application/pdf")},
    )
    declare(alice, name="Équipe mobile de gériatrie", contactAddress=BOB.email, prerequisites="")
    fhir = httpx.Client(
        base_url=server.base_url + DIRECTORY_PATH,
        headers={"Authorization": f"Bearer {get_token(server.base_url, BOB)}"},
    )
    with fhir:

        def found(**params: str) -> list[str]:
            r = fhir.get("/HealthcareService", params=params)
            assert r.status_code == 200, r.text
            assert r.headers["content-type"].startswith("application/fhir+json")
            return [e["resource"]["name"] for e in r.json().get("entry", [])]

        assert found(name="douleur") == [team["name"]]
        assert found(name="DOUL") == [team["name"]]  # the start of a word, accents ignored
        assert found(name="ouleur") == []
        assert found(**{"name:contains": "ouleur"}) == [team["name"]]
        assert found(_text="courrier traitant") == [team["name"]]
        assert found(**{"mailbox-mss": BOB.email}) == ["Équipe mobile de gériatrie"]
        assert sorted(found()) == sorted([team["name"], "Équipe mobile de gériatrie"])
        page = fhir.get("/HealthcareService", params={"_count": "1"}).json()
        assert page["total"] == 2
        assert [link["relation"] for link in page["link"]] == ["self", "next"]
        resource = fhir.get(f"/HealthcareService/{team['id']}").json()
        assert resource["resourceType"] == "HealthcareService"
        assert resource["name"] == team["name"]
        assert resource["comment"] == team["activityDescription"]
        assert resource["extraDetails"] == team["prerequisites"]
        assert resource["category"][0]["coding"][0]["display"] == "Équipe ressource"
        [telecom] = resource["telecom"]
        assert telecom["value"] == ALICE.email
        assert telecom["extension"][0]["valueCoding"]["code"] == "MSSANTE"
        assert fhir.get("/HealthcareService/rt-nope").status_code == 404
        refused = fhir.get("/HealthcareService", params={"specialty": "SM04"})
        assert refused.status_code == 400
        kinds = [r["type"] for r in fhir.get("/metadata").json()["rest"][0]["resource"]]
        assert "HealthcareService" in kinds
        # Withdrawn: the directory no longer lists it.
        assert alice.delete(f"/resource-teams/{team['id']}").status_code == 204
        assert found(name="douleur") == []
