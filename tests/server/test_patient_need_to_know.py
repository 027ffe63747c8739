"""Who may read a patient (issue 9 §8), over HTTP: the directory is searched by name and birth
date or by INS, 20 results at most, a few searches a minute; contact details and the care team
are for the followers; following takes a reason; every access is in the patient's journal, which
the care team reads and nobody else."""

from __future__ import annotations

import itertools
import shutil
import string
from pathlib import Path
from typing import Any

import httpx

from server.demo.users import DEMO_PASSWORD
from server.regional.store import MIGRATIONS
from server.storage import Database
from server.testing import quick_config
from tests.server.conftest import ALICE, BOB, RegionalApi, ServerFactory, User
from tests.server.test_regional import (
    assert_error,
    follow,
    make_ins,
    new_patient,
    register_in_directory,
)

PHARMACIST = User("julie.perrin", DEMO_PASSWORD, "Julie Perrin", "")
REASONS = ["prise_en_charge", "avis", "soins_coordonnes", "remplacement", "urgence"]


def ids(r: httpx.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return [p["id"] for p in r.json()["patients"]]


# --- Search ---------------------------------------------------------------------------------------


def test_the_issues_two_letter_sweep_finds_nobody(
    server_factory: ServerFactory, regional_api: RegionalApi, demo_template: Path, tmp_path: Path
) -> None:
    """The issue's attack, 676 two-letter searches, on the demo directory with the rate limit
    out of the way: the search rules alone return nobody."""
    data = tmp_path / "demo-data"
    shutil.copytree(demo_template, data)
    server = server_factory(data_dir=data, users=(), patient_search_limit=10_000)
    api = regional_api(server, PHARMACIST)
    seen: set[str] = set()
    statuses: set[tuple[int, str]] = set()
    for a, b in itertools.product(string.ascii_lowercase, repeat=2):
        for params in ({"name": a + b}, {"family": a + b}):
            r = api.get("/patients", params=params)
            statuses.add((r.status_code, r.json()["error"]))
            seen.update(p["id"] for p in r.json().get("patients", []))
    assert seen == set()
    assert statuses == {(400, "search_too_broad")}


def test_search_by_family_name_and_birth_date(trio: Any) -> None:
    _, alice, bob, _ = trio
    marie = new_patient(
        alice, given="Marie-Claire", family="Le Gall", usualFamily="Dupré", birthDate="1961-03-05"
    )
    other = new_patient(alice, given="Anne", family="Le Gall", birthDate="1961-03-05")
    new_patient(alice, given="Marie", family="Le Gall", birthDate="1961-03-06")
    both = sorted([marie["id"], other["id"]])
    # The birth name or the usual name, whole; case, accents, spaces and hyphens do not matter.
    for family in ("Le Gall", "LE-GALL", "legall", "Dupre", "DUPRÉ"):
        found = ids(bob.get("/patients", params={"family": family, "birthDate": "1961-03-05"}))
        assert sorted(found) == (both if "gall" in family.lower() else [marie["id"]]), family
    # A first name narrows by its beginning.
    narrowed = bob.get(
        "/patients", params={"family": "le gall", "birthDate": "1961-03-05", "given": "marie"}
    )
    assert ids(narrowed) == [marie["id"]]
    # A part of the name, or another birth date, finds nobody.
    assert ids(bob.get("/patients", params={"family": "Gall", "birthDate": "1961-03-05"})) == []
    assert ids(bob.get("/patients", params={"family": "Le Gal", "birthDate": "1961-03-05"})) == []
    assert ids(bob.get("/patients", params={"family": "Le Gall", "birthDate": "1961-05-03"})) == []
    # Names are compared by their letters and digits: LIKE's metacharacters are no name.
    assert_error(
        bob.get("/patients", params={"family": "%", "birthDate": "1961-03-05"}),
        400,
        "search_too_broad",
    )
    odd = {"family": "le gall", "birthDate": "1961-03-05", "given": "_%"}
    assert sorted(ids(bob.get("/patients", params=odd))) == both


def test_search_by_ins_alone(trio: Any) -> None:
    _, alice, bob, _ = trio
    ins = make_ins("2800469123045")
    created = new_patient(alice, ins=ins)
    assert ids(bob.get("/patients", params={"ins": ins})) == [created["id"]]
    spaced = "2 80 04 69 123 045 " + ins[-2:]
    assert ids(bob.get("/patients", params={"ins": spaced})) == [created["id"]]
    assert ids(bob.get("/patients", params={"ins": created["insIhe"]})) == [created["id"]]
    # A valid INS that nobody has finds nobody; a wrong one is refused.
    assert ids(bob.get("/patients", params={"ins": make_ins("2800469123046")})) == []
    assert_error(bob.get("/patients", params={"ins": ins[:-1]}), 400, "invalid_ins")
    assert_error(bob.get("/patients", params={"ins": "280046912304"}), 400, "invalid_ins")


def test_anything_less_is_too_broad(trio: Any) -> None:
    _, alice, _, _ = trio
    new_patient(alice)
    for params in (
        {},
        {"family": "Lefèvre"},
        {"birthDate": "1980-04-02"},
        {"given": "Élodie", "birthDate": "1980-04-02"},
        {"name": "Lefèvre", "birthDate": "1980-04-02"},  # the old parameter is no more
        {"family": "---", "birthDate": "1980-04-02"},  # no letter in the name
    ):
        r = alice.get("/patients", params=params)
        assert_error(r, 400, "search_too_broad")
        assert "nom de naissance ou d'usage" in r.json()["message"], params
    assert_error(alice.get("/patients", params={"family": "B", "birthDate": "02/04/1980"}), 400)


def test_search_results_are_identities_only(trio: Any) -> None:
    _, alice, bob, _ = trio
    created = new_patient(
        alice, email="elodie@patient.example", mobile="0611223344", city="Lyon", ins=None
    )
    assert (created["email"], created["mobile"], created["city"]) == (
        "elodie@patient.example",
        "+33611223344",
        "Lyon",
    )
    for api, followed in ((alice, True), (bob, False)):
        [found] = api.get(
            "/patients", params={"family": "Lefevre", "birthDate": "1980-04-02"}
        ).json()["patients"]
        assert found["inFileActive"] is followed
        assert (found["given"], found["family"], found["birthDate"], found["sex"]) == (
            "Élodie",
            "Lefèvre",
            "1980-04-02",
            "female",
        )
        assert (found["email"], found["mobile"], found["city"]) == (None, None, "")


def test_at_most_20_results(trio: Any) -> None:
    _, alice, bob, _ = trio
    for n in range(23):
        new_patient(alice, given=f"Jumeau{chr(65 + n)}", family="Martin", birthDate="2001-01-01")
    r = bob.get("/patients", params={"family": "martin", "birthDate": "2001-01-01"})
    assert len(ids(r)) == 20
    assert r.json()["truncated"] is True
    narrowed = bob.get(
        "/patients", params={"family": "martin", "birthDate": "2001-01-01", "given": "jumeauw"}
    )
    assert len(ids(narrowed)) == 1
    assert narrowed.json()["truncated"] is False


def test_searches_are_rate_limited_per_account(
    server_factory: ServerFactory, regional_api: RegionalApi
) -> None:
    server = server_factory(patient_search_limit=3, patient_search_window=60)
    alice = regional_api(server, ALICE)
    bob = regional_api(server, BOB)
    query = {"family": "Martin", "birthDate": "2001-01-01"}
    for _ in range(3):
        assert alice.get("/patients", params=query).status_code == 200
    refused = alice.get("/patients", params=query)
    assert_error(refused, 429, "rate_limited")
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 60
    assert f"{wait} secondes" in refused.json()["message"]
    # The limit comes first, malformed searches count; the others' searches are theirs.
    assert alice.get("/patients", params={"family": "x"}).status_code == 429
    assert bob.get("/patients", params=query).status_code == 200


# --- Reading a record -----------------------------------------------------------------------------


def test_contact_details_and_care_team_are_for_followers(trio: Any) -> None:
    _, alice, bob, _ = trio
    created = new_patient(alice, email="elodie@patient.example", mobile="0611223344", city="Lyon")
    pid = created["id"]
    stranger = bob.get(f"/patients/{pid}").json()
    assert stranger["inFileActive"] is False
    assert (stranger["given"], stranger["family"], stranger["birthDate"]) == (
        "Élodie",
        "Lefèvre",
        "1980-04-02",
    )
    assert (stranger["email"], stranger["mobile"], stranger["city"]) == (None, None, "")
    assert_error(bob.get(f"/patients/{pid}/care-team"), 403, "forbidden")
    followed = follow(bob, pid, "avis").json()
    assert (followed["email"], followed["mobile"], followed["city"]) == (
        "elodie@patient.example",
        "+33611223344",
        "Lyon",
    )
    assert bob.get(f"/patients/{pid}").json()["email"] == "elodie@patient.example"
    team = bob.get(f"/patients/{pid}/care-team").json()["members"]
    assert [m["mssanteAddress"] for m in team] == [ALICE.email, BOB.email]
    # Unfollowing takes it all back, even though Bob stays among the "acteurs du dossier".
    assert bob.delete(f"/file-active/{pid}").status_code == 204
    assert bob.get(f"/patients/{pid}").json()["email"] is None
    assert_error(bob.get(f"/patients/{pid}/care-team"), 403)


def test_following_needs_a_reason_from_the_published_list(trio: Any) -> None:
    server, alice, bob, _ = trio
    pid = new_patient(alice)["id"]
    listed = bob.get("/follow-reasons").json()["reasons"]
    assert [r["code"] for r in listed] == REASONS
    assert all(r["label"] for r in listed)
    doc = httpx.get(server.base_url + "/regional/v1/openapi.json", auth=(BOB.login, BOB.password))
    assert doc.json()["components"]["schemas"]["FollowReason"]["properties"]["code"]["enum"] == (
        REASONS
    )
    for body in (None, {}, {"reason": ""}, {"reason": None}):
        r = bob.put(f"/file-active/{pid}", json=body)
        assert_error(r, 400, "missing_reason")
        assert "Prise en charge en cours" in r.json()["message"]
    assert_error(
        bob.put(f"/file-active/{pid}", json={"reason": "curiosité"}), 400, "invalid_reason"
    )
    assert_error(bob.put(f"/file-active/{pid}", json={"reason": "AVIS"}), 400, "invalid_reason")
    assert bob.get("/file-active").json()["patients"] == []
    # Creating a record is following it: the same rule.
    body = {"given": "A", "family": "B", "birthDate": "1975-02-01"}
    assert_error(alice.post("/patients", json=body), 400, "missing_reason")
    assert_error(alice.post("/patients", json={**body, "followReason": "x"}), 400, "invalid_reason")
    for reason in REASONS:
        assert follow(bob, pid, reason).status_code == 200


# --- The access journal ---------------------------------------------------------------------------


def journal(api: httpx.Client, pid: str, **params: Any) -> list[tuple[str, str, str | None]]:
    r = api.get(f"/patients/{pid}/access-log", params=params)
    assert r.status_code == 200, r.text
    return [(e["actor"]["name"], e["action"], e["reason"]) for e in r.json()["entries"]]


def test_every_access_is_journaled_for_the_care_team_only(trio: Any) -> None:
    server, alice, bob, carol = trio
    ins = make_ins("2800469123045")
    pid = new_patient(alice, ins=ins)["id"]
    assert ids(bob.get("/patients", params={"ins": ins})) == [pid]
    bob.get(f"/patients/{pid}")
    follow(bob, pid, "avis")
    bob.get(f"/patients/{pid}/care-team")
    page = httpx.get(
        f"{server.base_url}/portal/mespatients/patients/{ins}", auth=(BOB.login, BOB.password)
    )
    assert page.status_code == 200
    bob.delete(f"/file-active/{pid}")
    # Carol reads nothing: no entry. Failed reads write nothing either.
    carol.get(f"/patients/{pid}/care-team")
    carol.get(f"/patients/{pid}/access-log")
    expected = [
        (BOB.name, "unfollow", None),
        (BOB.name, "portal", None),
        (BOB.name, "care_team", None),
        (BOB.name, "follow", "avis"),
        (BOB.name, "read", None),
        (BOB.name, "search", None),
        (ALICE.name, "follow", "prise_en_charge"),
        (ALICE.name, "create", "prise_en_charge"),
    ]
    assert journal(alice, pid) == expected
    entry = alice.get(f"/patients/{pid}/access-log").json()["entries"][3]
    assert entry["reasonLabel"] == "Demande d'avis / téléexpertise"
    assert entry["actor"]["mssanteAddress"] == BOB.email
    assert entry["at"].endswith(("+01:00", "+02:00"))  # Paris time
    # Newest first, in pages that follow each other.
    first = alice.get(f"/patients/{pid}/access-log", params={"limit": 3}).json()
    assert [e["action"] for e in first["entries"]] == ["unfollow", "portal", "care_team"]
    rest: list[tuple[str, str, str | None]] = []
    cursor = first["nextCursor"]
    while cursor:
        page_ = alice.get(f"/patients/{pid}/access-log", params={"limit": 3, "cursor": cursor})
        rest += [(e["actor"]["name"], e["action"], e["reason"]) for e in page_.json()["entries"]]
        cursor = page_.json()["nextCursor"]
    assert rest == expected[3:]
    assert_error(alice.get(f"/patients/{pid}/access-log", params={"cursor": "x"}), 400)


def test_the_journal_does_not_exist_for_outsiders(trio: Any) -> None:
    _, alice, bob, _ = trio
    pid = new_patient(alice)["id"]
    unknown = bob.get("/patients/p0000000000000000/access-log")
    outsider = bob.get(f"/patients/{pid}/access-log")
    assert_error(outsider, 404, "not_found")
    assert outsider.json() == unknown.json()
    follow(bob, pid)
    assert journal(bob, pid)[0] == (BOB.name, "follow", "prise_en_charge")
    bob.delete(f"/file-active/{pid}")
    assert bob.get(f"/patients/{pid}/access-log").json() == unknown.json()


def test_the_journal_names_the_profession_the_directory_knows(trio: Any) -> None:
    server, alice, bob, _ = trio
    register_in_directory(server, BOB, "pr-bob-00000001", "10", "SM04")
    pid = new_patient(alice)["id"]
    follow(bob, pid, "avis")
    actor = alice.get(f"/patients/{pid}/access-log").json()["entries"][0]["actor"]
    assert actor == {
        "name": BOB.name,
        "mssanteAddress": BOB.email,
        "profession": "Médecin",
        "specialty": "Cardiologie et Maladies vasculaires (SM)",
    }


# --- The schema -----------------------------------------------------------------------------------


def test_a_directory_of_the_first_schema_is_migrated_and_searchable(
    server_factory: ServerFactory, regional_api: RegionalApi, tmp_path: Path
) -> None:
    data = tmp_path / "old"
    old = Database(quick_config(data).database_path)
    old.migrate("regional", MIGRATIONS[:1])
    with old.write() as conn:
        conn.execute(
            "INSERT INTO regional_patients (id, ins, given, family, folded_name, birth_date, "
            "sex, email, created_at) VALUES ('p-old', NULL, 'Hélène', 'Saint-Éloi', "
            "'saint eloi helene', '1950-06-07', 'female', 'h@patient.example', 0)"
        )
    old.close()
    server = server_factory(data_dir=data)
    alice = regional_api(server, ALICE)
    found = alice.get("/patients", params={"family": "SAINT ELOI", "birthDate": "1950-06-07"})
    assert ids(found) == ["p-old"]
    assert alice.get("/patients/p-old/access-log").status_code == 404
    assert follow(alice, "p-old").json()["email"] == "h@patient.example"
    assert journal(alice, "p-old")[0] == (ALICE.name, "follow", "prise_en_charge")
