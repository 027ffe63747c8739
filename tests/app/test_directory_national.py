"""The directory client under the national API's rules (issue 14 §4), against the demo sandbox run
with those limits (17 requests per second per application, no `near`): the shared token bucket
stays under the limit, a 429 is waited out with a French status, "autour de moi" falls back to
the départements around, box types are read and boxes on the liste rouge never shown."""

from __future__ import annotations

import asyncio
import csv
import shutil
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from app.messages import Message
from app.remote.around import (
    CENTRES,
    REACH_KM,
    departements_around,
    distance_km,
    postal_prefixes_around,
)
from app.remote.directory import ORGANIZATION, DirectoryClient, DirectoryQuery, Near, retry_after
from app.remote.rate import TokenBucket
from server.testing import ServerThread
from tests.app.test_directory_client import GP
from tests.server.conftest import ServerFactory, get_token

LYON = Near(45.7640, 4.8357, 15.0)


class National:
    def __init__(self, server: ServerThread, http: httpx.AsyncClient) -> None:
        self.server = server
        self.http = http
        self.statuses: list[int] = []
        self.sent: list[httpx.Request] = []
        self.waits: list[Message] = []

    def client(self, bucket: TokenBucket | None = None) -> DirectoryClient:
        return DirectoryClient(
            self.http, self.server.base_url + "/fhir", bucket=bucket, on_wait=self.waits.append
        )

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.server.config.database_path}?mode=ro", uri=True)


@pytest_asyncio.fixture
async def national(
    server_factory: ServerFactory, demo_template: Path, tmp_path: Path
) -> AsyncIterator[National]:
    data = tmp_path / "national"
    shutil.copytree(demo_template, data)
    server = server_factory(data_dir=data, users=(), directory_rate_limit=17, directory_near=False)
    token = get_token(server.base_url, GP)
    fixture: National

    async def request(r: httpx.Request) -> None:
        fixture.sent.append(r)

    async def response(r: httpx.Response) -> None:
        fixture.statuses.append(r.status_code)

    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        event_hooks={"request": [request], "response": [response]},
    ) as http:
        fixture = National(server, http)
        yield fixture


@pytest.mark.asyncio
async def test_the_shared_bucket_stays_under_17_per_second(national: National) -> None:
    client = national.client()
    queries = [DirectoryQuery(postal_code=f"{d:02d}", count=5) for d in range(1, 41)]
    pages = await asyncio.gather(*(client.search(q) for q in queries))
    assert all(page.correspondents for page in pages)
    assert len(national.statuses) >= 40
    assert 429 not in national.statuses
    assert national.waits == []


@pytest.mark.asyncio
async def test_a_429_is_waited_out_with_a_french_status(national: National) -> None:
    eager = national.client(TokenBucket(rate=1000, burst=1000))  # a client that does not pace
    queries = [DirectoryQuery(postal_code=f"{d:02d}", count=5) for d in range(1, 31)]
    pages = await asyncio.gather(*(eager.search(q) for q in queries))
    assert all(page.correspondents for page in pages)
    assert 429 in national.statuses  # the sandbox refused some, the client tried again
    assert national.waits
    assert str(national.waits[0]).startswith(
        "L'annuaire limite le nombre de recherches : nouvel essai dans 1 seconde"
    )


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after("3") == 3.0
    assert retry_after("3600") == 30.0  # capped
    assert retry_after(None) == 1.0
    assert retry_after("demain") == 1.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # already past


@pytest.mark.asyncio
async def test_autour_de_moi_falls_back_to_the_departements_around(national: National) -> None:
    client = national.client()
    assert await client.offers_near() is False
    page = await client.search(DirectoryQuery(near=LYON, category="medecin", count=50))
    assert page.near_fallback
    searched = [r for r in national.sent if r.url.path.endswith("/PractitionerRole")][-1]
    assert "near" not in searched.url.params
    prefixes = searched.url.params["address-postalcode"].split(",")
    assert "69" in prefixes
    assert prefixes == postal_prefixes_around(LYON.lat, LYON.lon, LYON.km).split(",")
    assert page.correspondents
    for person in page.correspondents:
        assert any(person.postal_code.startswith(p) for p in prefixes)
        assert person.distance_km is not None  # from the organisation's geolocation
    nearest = min(c.distance_km or 1e9 for c in page.correspondents)
    assert nearest < 50


def test_departements_around_a_practice() -> None:
    assert departements_around(45.7640, 4.8357, 5)[0] == "69"
    assert set(departements_around(45.7640, 4.8357, 40)) >= {"69", "01", "38"}
    assert departements_around(48.8566, 2.3522, 10)[0] == "75"
    assert postal_prefixes_around(41.9192, 8.7386, 10) == "20"  # Ajaccio: 2A → 20…
    assert departements_around(-21.1151, 55.5364, 10) == ["974"]
    assert len(CENTRES) == 101


@pytest.mark.asyncio
async def test_near_is_used_where_the_server_offers_it(demo_server: ServerThread) -> None:
    token = get_token(demo_server.base_url, GP)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        client = DirectoryClient(http, demo_server.base_url + "/fhir")
        assert await client.offers_near() is True
        page = await client.search(DirectoryQuery(near=LYON, count=20))
    assert not page.near_fallback
    assert all(c.distance_km is not None and c.distance_km <= LYON.km for c in page.correspondents)


@pytest.mark.asyncio
async def test_mailbox_exact_contains_type_and_liste_rouge(national: National) -> None:
    client = national.client()
    with national.db() as db:
        email = db.execute("SELECT email FROM dir_practitioner LIMIT 1 OFFSET 5").fetchone()[0]
        hidden, org_name = db.execute(
            "SELECT m.email, o.name FROM dir_mailbox m JOIN dir_organization o "
            "ON o.n = m.organization_n WHERE m.liste_rouge = 1 LIMIT 1"
        ).fetchone()
        cab = db.execute(
            "SELECT email FROM dir_mailbox WHERE kind = 'CAB' AND liste_rouge = 0 LIMIT 1"
        ).fetchone()[0]
    page = await client.search(DirectoryQuery(mailbox=f"  {email.upper()} "))
    assert national.sent[-1].url.params["mailbox-mss:exact"] == email.lower()
    assert [c.mailbox for c in page.correspondents] == [email]
    assert page.correspondents[0].mailbox_type() == "PER"
    part = email.split("@")[0][:6]
    page = await client.search(DirectoryQuery(mailbox=part, count=100))
    assert national.sent[-1].url.params["mailbox-mss:contains"] == part
    assert any(c.mailbox == email for c in page.correspondents)
    page = await client.search(DirectoryQuery(mailbox=cab))  # a cabinet's box: an Organization
    assert page.correspondents[0].mailbox == cab
    assert page.correspondents[0].mailbox_type(cab) == "CAB"
    orgs = await client.search(DirectoryQuery(category=ORGANIZATION, mailbox_type="CAB"))
    assert orgs.correspondents
    assert all("CAB" in {k for _, k in c.mailbox_types} for c in orgs.correspondents)
    # The organisation whose box is on the liste rouge is listed without that box.
    named = await client.search(DirectoryQuery(category=ORGANIZATION, name=org_name, count=200))
    shown = {m.lower() for c in named.correspondents for m in c.mailboxes}
    assert named.correspondents
    assert hidden.lower() not in shown
    assert (await client.search(DirectoryQuery(mailbox=hidden))).correspondents == []


# Practices where the fallback is easy to get wrong: a city with many professionals around (the
# first page by name is not the nearest), and places near a département's edge, whose neighbour's
# centre is far but whose communes are close.
PRACTICES = [
    pytest.param(LYON, id="lyon"),
    pytest.param(Near(48.8566, 2.3522, 10.0), id="paris"),
    pytest.param(Near(46.3400, 2.6000, 30.0), id="montlucon"),  # Allier: its far west
    pytest.param(Near(44.9000, -0.9000, 40.0), id="medoc"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize("practice", PRACTICES)
async def test_the_fallback_finds_what_near_finds_nearest_first(
    national: National,
    server_factory: ServerFactory,
    demo_template: Path,
    tmp_path: Path,
    practice: Near,
) -> None:
    """The same directory with `near` and without: "autour de moi" shows the same people, in
    the same order (by distance), whichever the directory offers."""
    data = tmp_path / "with-near"
    shutil.copytree(demo_template, data)
    with_near = server_factory(data_dir=data, users=())
    token = get_token(with_near.base_url, GP)
    query = DirectoryQuery(near=practice, category="medecin", count=30)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        expected = await DirectoryClient(http, with_near.base_url + "/fhir").search(query)
    around = await national.client().search(query)
    # Everyone within the radius, in one page; the first ones are near's first page.
    assert around.total == len(around.correspondents) >= len(expected.correspondents)
    assert around.next_url is None
    got = replace(around, correspondents=around.correspondents[: len(expected.correspondents)])
    assert got.near_fallback
    assert not expected.near_fallback
    assert expected.correspondents  # the practice has professionals around
    distances = [c.distance_km for c in got.correspondents]
    assert all(d is not None and d <= practice.km for d in distances)
    assert distances == sorted(distances)  # type: ignore[type-var]
    # The same people at the same distances; people at one place (a tie) may come in any order,
    # and the last distance's ties may be cut differently.
    assert [round(c.distance_km or 0, 3) for c in got.correspondents] == [
        round(c.distance_km or 0, 3) for c in expected.correspondents
    ]
    last = round(expected.correspondents[-1].distance_km or 0, 3)
    assert {c.id for c in got.correspondents if round(c.distance_km or 0, 3) < last} == {
        c.id for c in expected.correspondents if round(c.distance_km or 0, 3) < last
    }


def test_every_commune_is_within_its_departement_reach() -> None:
    """REACH_KM still matches the communes the sandbox places people in (a commune beyond its
    département's reach would be missed by "autour de moi" without `near`)."""
    source = Path(__file__).resolve().parents[2] / "server" / "demo" / "data" / "communes.csv"
    lines = [line for line in source.read_text().splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert len(rows) > 10_000
    assert set(REACH_KM) == set(CENTRES) == {r["dep"] for r in rows}
    for row in rows:
        lat, lon = CENTRES[row["dep"]]
        assert distance_km(lat, lon, float(row["lat"]), float(row["lon"])) <= REACH_KM[row["dep"]]
    # Towns at the edge of their département, far from its centre, searched in it (a fixed reach
    # of 45 km left it out: Divonne-les-Bains, Ain, and Château-Thierry, Aisne).
    assert "01" in departements_around(46.357, 6.135, 10)
    assert "02" in departements_around(49.046, 3.403, 10)
