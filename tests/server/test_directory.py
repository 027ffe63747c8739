"""The FHIR directory (DESIGN §2.3) over HTTP, against a sandbox seeded with demo professionals."""

from __future__ import annotations

import math
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner

from server.context import Sandbox
from server.demo.names import mss_address
from server.demo.users import DEMO_USERS
from server.demo.world import DemoAccount, DemoWorld
from server.directory.demo import seed_directory
from server.testing import ServerThread, quick_config
from tests.server.conftest import ALICE, ServerFactory, get_token

COUNT = 3_000
SPECIALTY = (
    "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
)


@pytest.fixture(scope="module")
def directory_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("directory-template")
    sandbox = Sandbox(quick_config(path))
    world = DemoWorld(seed=7)
    for spec in DEMO_USERS:
        email = mss_address(spec.given, spec.family, sandbox.config.mail_domain)
        world.accounts[spec.key] = DemoAccount(spec=spec, account_id=f"a-{spec.key}", email=email)
    try:
        seed_directory(sandbox, world, random.Random(7), count=COUNT)
    finally:
        sandbox.close()
    return path


@pytest.fixture
def directory(
    server_factory: ServerFactory, directory_template: Path, tmp_path: Path
) -> ServerThread:
    data = tmp_path / "directory"
    shutil.copytree(directory_template, data)
    return server_factory(data_dir=data, users=(ALICE,))


@pytest.fixture
def client(directory: ServerThread) -> Iterator[httpx.Client]:
    token = get_token(directory.base_url, ALICE)
    with httpx.Client(
        base_url=directory.base_url + "/fhir", headers={"Authorization": f"Bearer {token}"}
    ) as c:
        yield c


@pytest.fixture
def db(directory: ServerThread) -> Iterator[sqlite3.Connection]:
    """The truth, read straight from the sandbox's database."""
    conn = sqlite3.connect(f"file:{directory.config.database_path}?mode=ro", uri=True)
    yield conn
    conn.close()


def _search(client: httpx.Client, resource: str, **params: Any) -> dict[str, Any]:
    r = client.get(f"/{resource}", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    body: dict[str, Any] = r.json()
    Bundle.model_validate(body)
    return body


def _all(client: httpx.Client, resource: str, **params: Any) -> list[dict[str, Any]]:
    """Every match, following `next` links until the end."""
    body = _search(client, resource, **params)
    resources = [e["resource"] for e in body.get("entry", []) if e["search"]["mode"] == "match"]
    while True:
        nxt = [link["url"] for link in body["link"] if link["relation"] == "next"]
        if not nxt:
            break
        r = client.get(nxt[0])
        assert r.status_code == 200, r.text
        body = r.json()
        resources += [
            e["resource"] for e in body.get("entry", []) if e["search"]["mode"] == "match"
        ]
    return resources


def _ids(db: sqlite3.Connection, sql: str, *params: Any) -> set[str]:
    return {row[0] for row in db.execute(sql, params)}


def test_every_route_requires_authentication(directory: ServerThread) -> None:
    base = directory.base_url + "/fhir"
    for path in (
        "/metadata",
        "/Practitioner",
        "/PractitionerRole?family=martin",
        "/Organization/x",
    ):
        assert httpx.get(base + path).status_code == 401


def test_metadata_is_a_valid_capability_statement(client: httpx.Client) -> None:
    r = client.get("/metadata")
    assert r.status_code == 200
    statement = CapabilityStatement.model_validate(r.json())
    types = {res.type for res in statement.rest[0].resource}
    assert types == {"Practitioner", "PractitionerRole", "Organization"}


def test_read_gives_the_demo_account_practitioner_with_its_mssante_box(
    client: httpx.Client, db: sqlite3.Connection
) -> None:
    email = mss_address("Karim", "Benali", "sisra-demo.mssante.fr")
    body = _search(client, "Practitioner", **{"mailbox-mss": email.upper()})
    assert body["total"] == 1
    practitioner = body["entry"][0]["resource"]
    r = client.get(f"/Practitioner/{practitioner['id']}")
    assert r.status_code == 200
    Practitioner.model_validate(r.json())
    telecom = r.json()["telecom"][0]
    assert telecom["value"] == email
    assert telecom["extension"][0]["valueCoding"]["code"] == "MSSANTE"
    box_type = telecom["extension"][1]["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert box_type["code"] == "PER"
    codes = [c["code"] for q in r.json()["qualification"] for c in q["code"]["coding"]]
    assert "10" in codes
    assert "SM04" in codes
    rpps = next(
        i["value"] for i in r.json()["identifier"] if i["system"].endswith("rpps.esante.gouv.fr")
    )
    assert len(rpps) == 11
    assert rpps.startswith("9")


def test_read_unknown_is_404_operation_outcome(client: httpx.Client) -> None:
    for path in ("/Practitioner/nope", "/Organization/%22%2A", "/Patient/1"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.json()["resourceType"] == "OperationOutcome"


def test_organization_has_address_geolocation_and_insee_code(client: httpx.Client) -> None:
    body = _search(client, "Organization", **{"address-city": "grenoble", "_count": 5})
    assert body["total"] > 0
    for entry in body["entry"]:
        org = Organization.model_validate(entry["resource"])
        address = entry["resource"]["address"][0]
        assert address["city"] == "Grenoble"
        assert address["district"] == "38"
        assert address["postalCode"].startswith("38")
        urls = {e["url"] for e in address["extension"]}
        assert "http://hl7.org/fhir/StructureDefinition/geolocation" in urls
        assert org.name


@pytest.mark.parametrize(
    ("params", "sql"),
    [
        ({"specialty": "SM04"}, "SELECT id FROM dir_role WHERE specialty = 'SM04'"),
        ({"specialty": f"{SPECIALTY}|SM15"}, "SELECT id FROM dir_role WHERE specialty = 'SM15'"),
        ({"role": "70"}, "SELECT id FROM dir_role WHERE profession = '70'"),
        ({"profession": "21,50"}, "SELECT id FROM dir_role WHERE profession IN ('21', '50')"),
        ({"departement": "38"}, "SELECT id FROM dir_role WHERE departement = '38'"),
        ({"address-postalcode": "69003"}, "SELECT id FROM dir_role WHERE postal_code = '69003'"),
        ({"address-postalcode": "690"}, "SELECT id FROM dir_role WHERE postal_code LIKE '690%'"),
        ({"expert": "true"}, "SELECT id FROM dir_role WHERE expert = 1"),
        (
            {"address-city:exact": "SAINT-ETIENNE"},
            "SELECT id FROM dir_role WHERE organization_n IN "
            "(SELECT n FROM dir_organization WHERE city = 'Saint-Étienne')",
        ),
        (
            {"departement": "69", "specialty": "SM54", "expert": "false"},
            "SELECT id FROM dir_role "
            "WHERE departement = '69' AND specialty = 'SM54' AND expert = 0",
        ),
    ],
)
def test_each_criterion_alone_and_combined_matches_the_database(
    client: httpx.Client, db: sqlite3.Connection, params: dict[str, str], sql: str
) -> None:
    expected = _ids(db, sql)
    assert expected, "the demo data should hold matches for this criterion"
    found = _all(client, "PractitionerRole", _count=200, **params)
    assert [r["id"] for r in found] == list(dict.fromkeys(r["id"] for r in found))
    assert {r["id"] for r in found} == expected


def test_names_are_case_and_accent_insensitive_prefixes(
    client: httpx.Client, db: sqlite3.Connection
) -> None:
    expected = _ids(db, "SELECT id FROM dir_practitioner WHERE family = 'Lefèvre'")
    assert expected
    for value in ("LEFEVRE", "lefèvre", "Lef"):
        found = {r["id"] for r in _all(client, "Practitioner", family=value, _count=500)}
        assert expected <= found
        assert all(
            r["name"][0]["family"].lower().startswith(("lef", "le "))
            for r in _all(client, "Practitioner", family=value, _count=500)
        )
    given = _all(client, "Practitioner", given="helene", family="garnier")
    assert any(r["name"][0]["given"] == ["Hélène"] for r in given)


def test_contains_finds_the_inside_of_names(client: httpx.Client, db: sqlite3.Connection) -> None:
    expected = _ids(db, "SELECT id FROM dir_practitioner WHERE lower(family) LIKE '%ill%'")
    found = {
        r["id"] for r in _all(client, "Practitioner", **{"family:contains": "ILL", "_count": 500})
    }
    assert found == expected
    short = {
        r["id"] for r in _all(client, "Practitioner", **{"name:contains": "ux", "_count": 500})
    }
    assert short == _ids(
        db,
        "SELECT id FROM dir_practitioner "
        "WHERE lower(family) LIKE '%ux%' OR lower(given) LIKE '%ux%'",
    )


def test_free_text_searches_specialty_labels_and_organisations(client: httpx.Client) -> None:
    found = _all(client, "PractitionerRole", _text="cardiologie", _count=500)
    assert found
    assert all(
        r.get("specialty", [{}])[0].get("coding", [{}])[0].get("code") == "SM04"
        or "ardiolog" in str(r)
        for r in found
    )
    orgs = _search(client, "Organization", _text="pharmacie")
    assert orgs["total"] > 0


def test_paging_returns_every_match_once(client: httpx.Client, db: sqlite3.Connection) -> None:
    found = _all(client, "Practitioner", _count=137)
    ids = [r["id"] for r in found]
    assert len(ids) == len(set(ids))
    assert set(ids) == _ids(db, "SELECT id FROM dir_practitioner")
    first = _search(client, "Practitioner", _count=10)
    assert first["total"] == len(ids)
    assert len(first["entry"]) == 10
    next_url = next(link["url"] for link in first["link"] if link["relation"] == "next")
    assert next_url.startswith("http://")


def test_include_and_revinclude(client: httpx.Client) -> None:
    body = _search(
        client,
        "PractitionerRole",
        specialty="SM15",
        _include="PractitionerRole:practitioner,PractitionerRole:organization",
        _count=5,
    )
    matches = [e for e in body["entry"] if e["search"]["mode"] == "match"]
    included = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in body["entry"]
        if e["search"]["mode"] == "include"
    }
    for e in matches:
        assert e["resource"]["practitioner"]["reference"] in included
        assert e["resource"]["organization"]["reference"] in included
    body = _search(
        client, "Practitioner", family="garnier", _revinclude="PractitionerRole:practitioner"
    )
    people = {e["resource"]["id"] for e in body["entry"] if e["search"]["mode"] == "match"}
    roles = [e["resource"] for e in body["entry"] if e["search"]["mode"] == "include"]
    assert people
    assert {r["practitioner"]["reference"].split("/")[1] for r in roles} == people


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("near", ["45.76|4.85|5", "45.19|5.72|12.5|km", "45.76|4.85|3000|m"])
def test_near_matches_a_brute_force_haversine(
    client: httpx.Client, db: sqlite3.Connection, near: str
) -> None:
    parts = near.split("|")
    lat, lon = float(parts[0]), float(parts[1])
    km = float(parts[2]) / (1000 if parts[-1] == "m" else 1)
    distances = {
        rid: _haversine(lat, lon, rlat, rlon)
        for rid, rlat, rlon in db.execute("SELECT id, lat, lon FROM dir_role")
    }
    expected = {rid for rid, d in distances.items() if d <= km - 1e-6}
    border = {rid for rid, d in distances.items() if abs(d - km) < 1e-6}
    body = _search(client, "PractitionerRole", near=near, _count=500)
    found = [e["resource"]["id"] for e in body.get("entry", [])]
    assert expected
    assert expected <= set(found) <= expected | border
    ordered = [distances[rid] for rid in found]
    assert ordered == sorted(ordered)


def test_near_combines_with_other_criteria(client: httpx.Client, db: sqlite3.Connection) -> None:
    found = _all(client, "PractitionerRole", near="45.76|4.85|10", profession="60", _count=100)
    rows = {
        rid: (lat, lon)
        for rid, lat, lon in db.execute("SELECT id, lat, lon FROM dir_role WHERE profession = '60'")
    }
    expected = {rid for rid, (la, lo) in rows.items() if _haversine(45.76, 4.85, la, lo) <= 10}
    assert {r["id"] for r in found} == expected


@pytest.mark.parametrize(
    "params",
    [
        {"_count": "-1"},
        {"_count": "abc"},
        {"near": "45.7"},
        {"near": "north|east|5"},
        {"near": "95|4|5"},
        {"near": "45|4|5|parsec"},
        {"specialty": "SM999"},
        {"specialty": "http://example.org|SM04"},
        {"departement": "6"},
        {"unknown": "x"},
        {"family:exactly": "x"},
        {"_include": "Practitioner:organization"},
        {"expert": "yes"},
        {"family": "x" * 5000},
    ],
)
def test_bad_parameters_are_400_operation_outcomes(
    client: httpx.Client, params: dict[str, str]
) -> None:
    r = client.get("/PractitionerRole", params=params)
    assert r.status_code == 400, r.text
    assert r.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "value", ['"', "*", "'", "%", "_", "|", ",", "$", "a\"b*c'd%e_f", "NEAR(a b)", "é" * 150]
)
@pytest.mark.parametrize(
    "param",
    ["name", "family:contains", "given", "_text", "mailbox-mss", "address-city", "identifier"],
)
def test_metacharacters_never_break_the_server(
    client: httpx.Client, param: str, value: str
) -> None:
    r = client.get("/PractitionerRole", params={param: value})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 200:
        Bundle.model_validate(r.json())
        if not any(ch.isalnum() for ch in value):
            assert r.json()["total"] == 0
    else:
        assert r.json()["resourceType"] == "OperationOutcome"


def test_count_zero_gives_the_total_only_and_large_counts_are_capped(client: httpx.Client) -> None:
    body = _search(client, "PractitionerRole", _count=0)
    assert body["total"] >= COUNT
    assert "entry" not in body
    body = _search(client, "PractitionerRole", _count=10_000)
    assert len(body["entry"]) == 500


def test_declaring_an_expert_shows_in_expert_searches(
    directory: ServerThread, client: httpx.Client
) -> None:
    before = {r["id"] for r in _all(client, "Practitioner", expert="true", _count=500)}
    candidate = next(
        r["id"]
        for r in _all(client, "Practitioner", departement="69", _count=100)
        if r["id"] not in before
    )
    assert directory.sandbox.directory.set_expert(candidate, True)
    after = {r["id"] for r in _all(client, "Practitioner", expert="true", _count=500)}
    assert after == before | {candidate}
    read = client.get(f"/Practitioner/{candidate}").json()
    assert {
        "url": "https://monsisra.example/fhir/StructureDefinition/teleexpert",
        "valueBoolean": True,
    } in read["extension"]
