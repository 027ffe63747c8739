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
from server.directory.text import fold
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
    # HealthcareService: the équipes ressources (issue 13 §4, server/directory/services.py).
    assert types == {"Practitioner", "PractitionerRole", "Organization", "HealthcareService"}


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


# ---- broad searches: totals and pages against the database ------------------------------


def _sort_key(family: str, given: str, resource_id: str) -> str:
    return f"{fold(family)}\x1f{fold(given)}\x1f{resource_id}"


def _people(db: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    return {
        pid: (family, given)
        for pid, family, given in db.execute("SELECT id, family, given FROM dir_practitioner")
    }


def _roles(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every role with its practitioner's names and the columns searches read."""
    db.row_factory = sqlite3.Row
    rows = db.execute(
        "SELECT r.id, r.n, p.id AS pid, p.family, p.given, r.profession, r.postal_code, "
        "r.departement, r.lat, r.lon FROM dir_role r "
        "JOIN dir_practitioner p ON p.n = r.practitioner_n"
    ).fetchall()
    db.row_factory = None
    return [dict(row) for row in rows]


def _check_pages(
    client: httpx.Client, resource: str, params: dict[str, str], expected: list[str]
) -> None:
    """The total, the first page and a page far inside are exactly those of `expected`."""
    body = _search(client, resource, _count=20, **params)
    assert body["total"] == len(expected)
    matches = [e["resource"]["id"] for e in body.get("entry", []) if e["search"]["mode"] == "match"]
    assert matches == expected[:20]
    deep = max(len(expected) - 15, 0)
    body = _search(client, resource, _count=20, _offset=deep, **params)
    matches = [e["resource"]["id"] for e in body.get("entry", []) if e["search"]["mode"] == "match"]
    assert matches == expected[deep : deep + 20]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("name:contains", "e"),
        ("name:contains", "A"),
        ("family:contains", "u"),
        ("given:contains", "é"),
        ("given:contains", "an"),
        ("family:contains", "ll"),
    ],
)
def test_short_contains_over_every_name(
    client: httpx.Client, db: sqlite3.Connection, param: str, value: str
) -> None:
    word = fold(value)
    part = {"name:contains": (0, 1), "family:contains": (0,), "given:contains": (1,)}[param]

    def hit(names: tuple[str, str]) -> bool:
        return any(word in fold(names[i]) for i in part)

    people = _people(db)
    expected = sorted(
        (pid for pid, names in people.items() if hit(names)),
        key=lambda pid: _sort_key(*people[pid], pid),
    )
    assert len(expected) > 200, "a broad search"
    _check_pages(client, "Practitioner", {param: value}, expected)
    roles = [r for r in _roles(db) if hit((r["family"], r["given"]))]
    ordered = [
        r["id"] for r in sorted(roles, key=lambda r: _sort_key(r["family"], r["given"], r["id"]))
    ]
    _check_pages(client, "PractitionerRole", {param: value}, ordered)


def test_short_contains_on_organisation_names(client: httpx.Client, db: sqlite3.Connection) -> None:
    orgs = list(db.execute("SELECT id, name FROM dir_organization"))
    expected = [
        oid for oid, name in sorted(orgs, key=lambda o: f"{fold(o[1])} {o[0]}") if "e" in fold(name)
    ]
    assert len(expected) > len(orgs) // 2
    _check_pages(client, "Organization", {"name:contains": "E"}, expected)


@pytest.mark.parametrize(
    "params",
    [
        {"profession": "10"},
        {"address-postalcode": "6"},
        {"departement": "69", "family:contains": "a"},
        {"profession": "10", "address-postalcode": "3"},
    ],
)
def test_broad_practitioner_searches_through_their_roles(
    client: httpx.Client, db: sqlite3.Connection, params: dict[str, str]
) -> None:
    def hit(r: dict[str, Any]) -> bool:
        return (
            r["profession"] == params.get("profession", r["profession"])
            and r["postal_code"].startswith(params.get("address-postalcode", ""))
            and r["departement"] == params.get("departement", r["departement"])
            and fold(params.get("family:contains", "")) in fold(r["family"])
        )

    roles = [r for r in _roles(db) if hit(r)]
    people = {r["pid"]: (r["family"], r["given"]) for r in roles}
    expected = sorted(people, key=lambda pid: _sort_key(*people[pid], pid))
    assert len(expected) > 100, "a broad search"
    _check_pages(client, "Practitioner", params, expected)
    ordered = [
        r["id"] for r in sorted(roles, key=lambda r: _sort_key(r["family"], r["given"], r["id"]))
    ]
    _check_pages(client, "PractitionerRole", params, ordered)


def test_one_letter_free_text(client: httpx.Client, db: sqlite3.Connection) -> None:
    matched = {
        n
        for (n,) in db.execute("SELECT rowid FROM dir_role_text WHERE dir_role_text MATCH '\"m\"*'")
    }
    roles = [r for r in _roles(db) if r["n"] in matched]
    assert len(roles) > 300
    ordered = [
        r["id"] for r in sorted(roles, key=lambda r: _sort_key(r["family"], r["given"], r["id"]))
    ]
    _check_pages(client, "PractitionerRole", {"_text": "M"}, ordered)
    people = {r["pid"]: (r["family"], r["given"]) for r in roles}
    expected = sorted(people, key=lambda pid: _sort_key(*people[pid], pid))
    _check_pages(client, "Practitioner", {"_text": "m"}, expected)


@pytest.mark.parametrize("resource", ["PractitionerRole", "Practitioner"])
def test_near_of_2000_km_pages_by_distance_down_to_the_served_depth(
    client: httpx.Client, db: sqlite3.Connection, resource: str
) -> None:
    best: dict[str, float] = {}
    for r in _roles(db):
        key = r["id"] if resource == "PractitionerRole" else r["pid"]
        d = _haversine(45.75, 4.85, r["lat"], r["lon"])
        if d <= 2000:
            best[key] = min(d, best.get(key, math.inf))
    truth = sorted(best.values())
    assert len(truth) > COUNT // 2
    for offset in (0, 333, 507, 975):  # the nearest 1,000 are served (NEAR_MAX_DEPTH)
        body = _search(client, resource, near="45.75|4.85|2000", _count=25, _offset=offset)
        assert body["total"] == len(truth)
        entries = [e for e in body["entry"] if e["search"]["mode"] == "match"]
        found = [e["search"]["extension"][0]["valueDistance"]["value"] for e in entries]
        assert found == pytest.approx([round(d, 3) for d in truth[offset : offset + 25]], abs=2e-3)
        for e, d in zip(entries, found, strict=True):
            assert best[e["resource"]["id"]] == pytest.approx(d, abs=2e-3)


def test_results_are_served_down_to_a_depth_then_the_search_must_be_refined(
    client: httpx.Client,
) -> None:
    deep = client.get("/PractitionerRole", params={"_offset": "9990", "_count": "20"})
    assert deep.status_code == 400
    assert deep.json()["resourceType"] == "OperationOutcome"
    assert "refine" in deep.text
    near = client.get(
        "/PractitionerRole", params={"near": "45.75|4.85|2000", "_offset": "990", "_count": "20"}
    )
    assert near.status_code == 400
    assert "nearest" in near.text
    last = _search(client, "PractitionerRole", _offset=9950, _count=50)
    assert "entry" not in last or len(last["entry"]) <= 50
    assert not [link for link in last["link"] if link["relation"] == "next"]
