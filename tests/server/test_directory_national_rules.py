"""The sandbox directory follows the national Annuaire Santé API's rules (issue 14 §4):
`mailbox-mss` with `:contains` / `:exact` and `mailbox-mss-type`, boxes on the liste rouge, the
per-application rate limit (429 + Retry-After), `near` only where the server announces it, and
the same extensions as the ANS examples (tests/server/ans_annuaire/)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.organization import Organization

from server.cli import parse_args
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token
from tests.server.test_directory import (  # noqa: F401 (the module's fixture)
    _ids,
    directory,
    directory_template,
)

ANS = Path(__file__).parent / "ans_annuaire"
METADATA_URL = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/"


@pytest.fixture
def national(
    server_factory: ServerFactory,
    directory_template: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> ServerThread:
    """The demo directory run with the national API's limits: 5 requests per second (17 on the
    national API; fewer keeps the test short), no `near`."""
    data = tmp_path / "national"
    shutil.copytree(directory_template, data)
    return server_factory(
        data_dir=data, users=(ALICE, BOB), directory_rate_limit=5, directory_near=False
    )


@pytest.fixture
def client(national: ServerThread) -> Iterator[httpx.Client]:
    token = get_token(national.base_url, ALICE)
    with httpx.Client(
        base_url=national.base_url + "/fhir", headers={"Authorization": f"Bearer {token}"}
    ) as c:
        yield c


@pytest.fixture
def db(national: ServerThread) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{national.config.database_path}?mode=ro", uri=True)
    yield conn
    conn.close()


def _patient(client: httpx.Client, resource: str, **params: Any) -> dict[str, Any]:
    """_search, waiting out the rate limit (these tests are about what is found)."""
    for _ in range(20):
        r = client.get(f"/{resource}", params=params)
        if r.status_code != 429:
            break
        time.sleep(float(r.headers["Retry-After"]))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _emails(bundle: dict[str, Any]) -> set[str]:
    return {
        t["value"].lower()
        for e in bundle.get("entry", [])
        for t in e["resource"].get("telecom", [])
        if t.get("system") == "email"
    }


def test_mailbox_exact_plain_and_contains(client: httpx.Client, db: sqlite3.Connection) -> None:
    email = db.execute("SELECT email FROM dir_practitioner ORDER BY n LIMIT 1 OFFSET 7").fetchone()[
        0
    ]
    for key, value in (("mailbox-mss", email), ("mailbox-mss:exact", email.upper())):
        found = _patient(client, "Practitioner", **{key: value})
        assert _emails(found) == {email.lower()}
    part = email.split("@")[0][2:8]
    found = _patient(client, "Practitioner", **{"mailbox-mss:contains": part, "_count": 500})
    expected = _ids(db, "SELECT id FROM dir_practitioner WHERE instr(lower(email), ?)", part)
    assert {e["resource"]["id"] for e in found.get("entry", [])} == expected
    assert email.lower() in _emails(found)
    # An organisation's box, by a part of it.
    box = db.execute("SELECT email FROM dir_mailbox WHERE liste_rouge = 0 LIMIT 1").fetchone()[0]
    orgs = _patient(client, "Organization", **{"mailbox-mss:contains": box.split("@")[0]})
    assert box.lower() in _emails(orgs)


def test_mailbox_type(client: httpx.Client, db: sqlite3.Connection) -> None:
    cab = _patient(client, "Organization", **{"mailbox-mss-type": "CAB", "_count": 500})
    expected = _ids(
        db,
        "SELECT o.id FROM dir_organization o JOIN dir_mailbox m ON m.organization_n = o.n "
        "WHERE m.kind = 'CAB' AND m.liste_rouge = 0",
    )
    assert expected
    assert {e["resource"]["id"] for e in cab["entry"]} == expected
    people = _patient(client, "PractitionerRole", **{"mailbox-mss-type": "ORG"})
    assert people["total"] == 0  # a professional's own box is personal
    per = _patient(client, "PractitionerRole", **{"mailbox-mss-type": "PER", "_count": 0})
    assert per["total"] == db.execute("SELECT count(*) FROM dir_role").fetchone()[0]
    bad = client.get("/Organization", params={"mailbox-mss-type": "XYZ"})
    assert bad.status_code == 400
    assert "PER, CAB, ORG" in bad.json()["issue"][0]["diagnostics"]


def test_liste_rouge_boxes_are_served_flagged_and_never_found(
    client: httpx.Client, db: sqlite3.Connection
) -> None:
    hidden = db.execute(
        "SELECT m.email, o.id FROM dir_mailbox m JOIN dir_organization o "
        "ON o.n = m.organization_n WHERE m.liste_rouge = 1"
    ).fetchall()
    assert hidden, "the demo directory has boxes on the liste rouge"
    email, org_id = hidden[0]
    assert "entry" not in _patient(client, "Organization", **{"mailbox-mss": email})
    part = {"mailbox-mss:contains": email.split("@")[0]}
    assert email.lower() not in _emails(_patient(client, "Organization", **part))
    r = client.get(f"/Organization/{org_id}")
    org = r.json()
    Organization.model_validate(org)
    flags = {
        t["value"]: sub["valueBoolean"]
        for t in org["telecom"]
        for ext in t.get("extension", [])
        for sub in ext.get("extension", [])
        if sub["url"] == "listeRouge"
    }
    assert flags[email] is True


def test_rate_limit_per_application(national: ServerThread, client: httpx.Client) -> None:
    codes = [client.get("/Organization", params={"_count": "1"}).status_code for _ in range(12)]
    assert 429 in codes
    assert codes.count(200) <= 10  # 5 per second; a slow loop may straddle one second
    refused = client.get("/metadata")
    if refused.status_code == 429:
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["issue"][0]["code"] == "throttled"
    # Another application (another account, or another API key) has its own count.
    token = get_token(national.base_url, BOB)
    other = httpx.get(
        national.base_url + "/fhir/Organization",
        params={"_count": "1"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert other.status_code == 200
    keyed = client.get("/Organization", headers={"ESANTE-API-KEY": "autre-application"})
    assert keyed.status_code == 200


def test_no_near_where_not_announced(client: httpx.Client) -> None:
    statement = _patient(client, "metadata")
    CapabilityStatement.model_validate(statement)
    for resource in statement["rest"][0]["resource"]:
        names = {p["name"] for p in resource["searchParam"]}
        assert "near" not in names
        if resource["type"] in ("PractitionerRole", "Organization"):
            assert {"mailbox-mss", "mailbox-mss-type"} <= names
    for _ in range(3):
        r = client.get("/PractitionerRole", params={"near": "45.76|4.83|10|km"})
        if r.status_code != 429:
            break
        time.sleep(1)
    assert r.status_code == 400
    assert "near" in r.json()["issue"][0]["diagnostics"]


def test_near_is_announced_by_default(
    directory: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    token = get_token(directory.base_url, ALICE)
    body = httpx.get(
        directory.base_url + "/fhir/metadata", headers={"Authorization": f"Bearer {token}"}
    ).json()
    roles = next(r for r in body["rest"][0]["resource"] if r["type"] == "PractitionerRole")
    assert "near" in {p["name"] for p in roles["searchParam"]}


def test_cli_sets_the_national_limits() -> None:
    args = parse_args(["--data", "donnees", "--directory-rate-limit", "17", "--directory-no-near"])
    assert args.directory_rate_limit == 17
    assert args.directory_no_near is True
    defaults = parse_args(["--data", "donnees"])
    assert defaults.directory_rate_limit is None
    assert defaults.directory_no_near is False


def _shape(node: Any) -> Any:
    """The extension tree of a telecom: urls only, values dropped."""
    return sorted(
        (e["url"], _shape(e) if "extension" in e else None) for e in node.get("extension", [])
    )


def test_entries_carry_the_extensions_of_the_ans_examples(
    client: httpx.Client, db: sqlite3.Connection
) -> None:
    example = json.loads((ANS / "Practitioner-mss-example.json").read_text(encoding="utf-8"))
    nancy = (ANS / "AsOrganizationExampleNancy.fsh").read_text(encoding="utf-8")
    assert 'url = "listeRouge"' in nancy
    expected = _shape(example["telecom"][0])
    # The ANS Nancy example adds the listeRouge flag next to the type.
    expected = [
        (url, sorted([*sub, ("listeRouge", None)]) if url.endswith("mailbox-mss-metadata") else sub)
        for url, sub in expected
    ]
    practitioner_id = db.execute("SELECT id FROM dir_practitioner LIMIT 1").fetchone()[0]
    person = client.get(f"/Practitioner/{practitioner_id}").json()
    assert _shape(person["telecom"][0]) == expected
    assert person["meta"]["profile"] == example["meta"]["profile"]
    assert [i["type"]["coding"][0]["code"] for i in person["identifier"]] == [
        i["type"]["coding"][0]["code"] for i in example["identifier"]
    ]
    assert {c["system"] for c in person["qualification"][0]["code"]["coding"]} == {
        c["system"] for c in example["qualification"][0]["code"]["coding"]
    }
    role_example = json.loads((ANS / "PractitionerRole-example.json").read_text(encoding="utf-8"))
    role_id = db.execute("SELECT id FROM dir_role LIMIT 1").fetchone()[0]
    role = client.get(f"/PractitionerRole/{role_id}").json()
    assert role["meta"]["profile"] == role_example["meta"]["profile"]
    assert {e["url"] for e in role_example["extension"]} <= {e["url"] for e in role["extension"]}
    assert METADATA_URL + "as-ext-mailbox-mss-metadata" in json.dumps(role)
