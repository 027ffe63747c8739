"""The directory client against the demo sandbox (3,000 professionals): every criterion, paging,
the flattening into Correspondent, errors; and hypothesis fuzzing of the Bundle parser."""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.remote.directory import (
    API_KEY_HEADER,
    ORGANIZATION,
    TEAMS,
    Correspondent,
    DirectoryClient,
    DirectoryError,
    DirectoryPage,
    DirectoryQuery,
    DirectoryRefused,
    DirectoryUnreachable,
    Near,
    parse_bundle,
)
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import User, get_token

GP = User("helene.garnier", DEMO_PASSWORD, "Dr Hélène Garnier", "")
LYON = Near(45.7640, 4.8357, 15.0)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Fixture:
    def __init__(self, client: DirectoryClient, sent: list[httpx.Request]) -> None:
        self.client = client
        self.sent = sent

    async def search(self, **criteria: Any) -> DirectoryPage:
        return await self.client.search(DirectoryQuery(**criteria))


@pytest_asyncio.fixture
async def directory(demo_server: ServerThread) -> AsyncIterator[Fixture]:
    token = get_token(demo_server.base_url, GP)
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, event_hooks={"request": [record]}
    ) as http:
        yield Fixture(DirectoryClient(http, demo_server.base_url + "/fhir", "cle-de-test"), sent)


@pytest.mark.asyncio
async def test_flattening_gives_complete_correspondents(directory: Fixture) -> None:
    page = await directory.search(category="medecin", count=50)
    assert page.total is not None
    assert page.total > 50
    assert len(page.correspondents) == 50
    for person in page.correspondents:
        assert person.kind == "practitioner"
        assert person.id
        assert person.practitioner_id
        assert person.family
        assert person.given
        assert person.display_name.endswith(person.family)
        assert person.profession_code == "10"
        assert person.profession_label == "Médecin"
        assert person.organization_name
        assert person.organization_id
        assert person.postal_code
        assert person.city
        assert person.address_line
        assert person.mailboxes
        assert "@" in person.mailboxes[0]
        assert person.mailbox == person.mailboxes[0]
        assert person.rpps
        assert person.rpps.isdigit()
    with_specialty = [p for p in page.correspondents if p.specialty_code]
    assert with_specialty
    assert all(p.specialty_label for p in with_specialty)
    # The API key goes with every request.
    assert directory.sent
    assert all(r.headers[API_KEY_HEADER] == "cle-de-test" for r in directory.sent)


@pytest.mark.asyncio
async def test_name_family_given_and_contains(directory: Fixture) -> None:
    someone = (await directory.search(count=1)).correspondents[0]
    by_family = await directory.search(family=someone.family)
    assert someone.id in {c.id for c in by_family.correspondents}
    assert all(_fold(c.family).startswith(_fold(someone.family)) for c in by_family.correspondents)
    by_given = await directory.search(given=someone.given, family=someone.family)
    assert someone.id in {c.id for c in by_given.correspondents}
    middle = someone.family[1:4]
    contained = await directory.search(name=middle, contains=True, count=200)
    assert contained.correspondents
    assert all(_fold(middle) in _fold(f"{c.family} {c.given}") for c in contained.correspondents)
    prefix_only = await directory.search(name=middle)
    assert (prefix_only.total or 0) < (contained.total or 0)


@pytest.mark.asyncio
async def test_specialty_category_and_experts(directory: Fixture) -> None:
    cardio = await directory.search(specialty="SM04", count=100)
    assert cardio.correspondents
    assert all(c.specialty_code == "SM04" for c in cardio.correspondents)
    nurses = await directory.search(category="infirmier", count=100)
    assert nurses.correspondents
    assert all(c.profession_code == "60" for c in nurses.correspondents)
    pharmacists = await directory.search(profession="21")
    assert pharmacists.correspondents
    assert all(c.profession_code == "21" for c in pharmacists.correspondents)
    experts = await directory.search(experts_only=True, count=100)
    assert experts.correspondents
    assert all(c.expert for c in experts.correspondents)
    everyone = await directory.search(count=1)
    assert (experts.total or 0) < (everyone.total or 0)


@pytest.mark.asyncio
async def test_places_postal_code_city_departement_and_near(directory: Fixture) -> None:
    lyon = await directory.search(postal_code="690", count=100)
    assert lyon.correspondents
    assert all(c.postal_code.startswith("690") for c in lyon.correspondents)
    city = lyon.correspondents[0].city
    in_city = await directory.search(city=city, count=100)
    assert in_city.correspondents
    assert all(_fold(c.city) == _fold(city) for c in in_city.correspondents)
    rhone = await directory.search(departement="69", count=100)
    assert rhone.correspondents
    assert all(c.postal_code.startswith("69") for c in rhone.correspondents)
    around = await directory.search(near=LYON, count=100)
    assert around.correspondents
    distances = [c.distance_km for c in around.correspondents]
    assert all(d is not None and d <= LYON.km for d in distances)
    assert all(c.distance_km is None for c in rhone.correspondents)


@pytest.mark.asyncio
async def test_text_and_mailbox(directory: Fixture) -> None:
    page = await directory.search(count=200)
    with_services = next(c for c in page.correspondents if c.services)
    word = max(with_services.services.replace(";", " ").split(), key=len)
    by_text = await directory.search(text=word, count=200)
    assert with_services.id in {c.id for c in by_text.correspondents}
    target = page.correspondents[3]
    assert target.mailbox is not None
    by_box = await directory.search(mailbox=target.mailbox)
    assert [c.id for c in by_box.correspondents] == [target.id]


@pytest.mark.asyncio
async def test_criteria_combine(directory: Fixture) -> None:
    page = await directory.search(category="medecin", departement="69", specialty="SM54", count=100)
    assert page.correspondents
    for c in page.correspondents:
        assert (c.profession_code, c.specialty_code) == ("10", "SM54")
        assert c.postal_code.startswith("69")


@pytest.mark.asyncio
async def test_paging_walks_every_result_once(directory: Fixture) -> None:
    first = await directory.search(departement="69", count=25)
    assert first.total is not None
    assert first.total > 50
    seen = [c.id for c in first.correspondents]
    page: DirectoryPage | None = first
    for _ in range(3):
        assert page is not None
        page = await directory.client.next_page(page)
        assert page is not None
        seen += [c.id for c in page.correspondents]
    assert len(seen) == len(set(seen)) == 100
    last = await directory.search(departement="69", count=500)
    while last.next_url:
        following = await directory.client.next_page(last)
        assert following is not None
        last = following
    assert await directory.client.next_page(last) is None


@pytest.mark.asyncio
async def test_next_link_to_another_origin_is_not_followed(directory: Fixture) -> None:
    forged = DirectoryPage([], 10, "https://evil.example/fhir/PractitionerRole?_offset=10")
    with pytest.raises(DirectoryError):
        await directory.client.next_page(forged)
    assert not any(r.url.host == "evil.example" for r in directory.sent)


@pytest.mark.asyncio
async def test_organizations_are_searched_as_etablissements(directory: Fixture) -> None:
    page = await directory.search(category=ORGANIZATION, departement="69", count=500)
    assert page.resource == "Organization"
    assert page.correspondents
    for org in page.correspondents:
        assert org.kind == "organization"
        assert org.display_name
        assert org.postal_code.startswith("69")
    boxes = [o for o in page.correspondents if o.mailboxes]
    assert boxes, "some organisations have service mailboxes"


@pytest.mark.asyncio
async def test_resource_teams_are_searched_as_healthcare_services(directory: Fixture) -> None:
    """Issue 13 §4: an équipe ressource is a result of its own kind, with its contact box and
    its activity; the criteria of places and professions are not a team's, and are not sent."""
    page = await directory.search(category=TEAMS, text="NT-proBNP", postal_code="69003")
    assert page.resource == "HealthcareService"
    [team] = page.correspondents
    assert team.kind == "team"
    assert team.display_name == "Équipe ressource insuffisance cardiaque — CHU de Lyon"
    assert team.mailbox == "karim.benali@sisra-demo.mssante.fr"
    assert "insuffisants cardiaques" in team.services
    sent = directory.sent[-1].url
    assert sent.path.endswith("/HealthcareService")
    assert "address-postalcode" not in sent.params
    assert (await directory.search(category=TEAMS, name="insuff")).correspondents == [team]
    assert (await directory.search(category=TEAMS, name="cardiologie")).correspondents == []


@pytest.mark.asyncio
async def test_get_practitioner_by_id(directory: Fixture) -> None:
    someone = (await directory.search(category="medecin", count=1)).correspondents[0]
    assert someone.practitioner_id is not None
    found = await directory.client.get_practitioner(someone.practitioner_id)
    assert found is not None
    assert (found.display_name, found.rpps, found.organization_name) == (
        someone.display_name,
        someone.rpps,
        someone.organization_name,
    )
    assert await directory.client.get_practitioner("does-not-exist") is None


@pytest.mark.asyncio
async def test_bad_criterion_is_a_french_refusal(directory: Fixture) -> None:
    with pytest.raises(DirectoryRefused) as caught:
        await directory.search(specialty="NOT-A-CODE")
    assert caught.value.status == 400
    assert "critères" in caught.value.message_fr


@pytest.mark.asyncio
async def test_unreachable_directory() -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        client = DirectoryClient(http, "http://127.0.0.1:9/fhir", None)
        with pytest.raises(DirectoryUnreachable) as caught:
            await client.search(DirectoryQuery(name="x"))
    assert "injoignable" in caught.value.message_fr


@pytest.mark.asyncio
async def test_missing_token_is_refused_in_french(demo_server: ServerThread) -> None:
    async with httpx.AsyncClient() as http:
        client = DirectoryClient(http, demo_server.base_url + "/fhir", None)
        with pytest.raises(DirectoryRefused) as caught:
            await client.search(DirectoryQuery(name="a"))
    assert caught.value.status == 401


# --- The parser alone: national-API variations and fuzzing -------------------------------------

# A searchset Bundle in the national API's style: names in several uses, codes among other
# codings, absolute references, a non-MSSanté e-mail, an OperationOutcome, junk entries.
NATIONAL_STYLE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "fhir_national_bundle.json").read_text(encoding="utf-8")
)


def test_national_shapes_are_flattened_tolerantly() -> None:
    page = parse_bundle(NATIONAL_STYLE)
    [person] = page.correspondents
    assert isinstance(person, Correspondent)
    assert (person.prefix, person.given, person.family) == ("Dr", "Jeanne Marie", "Martin")
    assert person.display_name == "Dr Jeanne Marie Martin"
    assert person.practitioner_id == "p1"
    assert (person.profession_code, person.specialty_code) == ("10", "SM54")
    assert person.mailboxes == (
        "jeanne.martin@medecin.mssante.fr",
        "secretariat@cabinet.mssante.fr",
    )
    assert person.rpps == "10001234567"
    assert person.organization_id == "o1"
    assert person.organization_name is None
    assert page.total == 2
    assert page.next_url is None
    assert page.skipped == 1


@pytest.mark.parametrize(
    "body",
    [None, [], "Bundle", {"resourceType": "Patient"}, {"resourceType": "Bundle", "entry": {}}],
)
def test_malformed_bundles_are_directory_errors(body: Any) -> None:
    with pytest.raises(DirectoryError):
        parse_bundle(body)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json)
def test_random_json_gives_a_page_or_directory_error(body: Any) -> None:
    outcome: DirectoryPage | DirectoryError
    try:
        outcome = parse_bundle(body)
    except DirectoryError as error:
        outcome = error
    if isinstance(outcome, DirectoryError):
        assert outcome.message_fr
    else:
        assert all(isinstance(c, Correspondent) for c in outcome.correspondents)


_KEYS = [
    "resourceType", "id", "entry", "resource", "name", "telecom", "extension", "code", "coding",
    "practitioner", "organization", "search", "valueCoding", "address", "identifier", "total",
]  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_bundles_give_a_page_or_directory_error(data: st.DataObject) -> None:
    body = copy.deepcopy(NATIONAL_STYLE)
    for _ in range(data.draw(st.integers(1, 5))):
        path = data.draw(st.sampled_from(_paths(body)[1:]))
        parent = body
        for step in path[:-1]:
            parent = parent[step]
        replacement = data.draw(_json | st.sampled_from(_KEYS))
        parent[path[-1]] = replacement
    try:
        page = parse_bundle(json.loads(json.dumps(body)))
    except DirectoryError:
        return
    assert all(isinstance(c, Correspondent) for c in page.correspondents)
