"""The patients service against the sandbox: each call typed in and out, offline refused before
any request, the file active stale after a minute (an injected clock) or after a failed read, the
follow reasons asked once; and the page's rules in words (name, local filter, team addresses)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio

from app.regional.errors import PatientSearchTooBroad, RegionalError, RegionalForbidden
from app.regional.patients import (
    NewPatient,
    PatientsService,
    SearchCriteria,
    display_name,
    matches,
    team_addresses,
    unfollowed,
)
from app.regional.records import CareTeam, CareTeamMember, Patient
from app.regional.service import RegionalOffline
from app.remote.regional import RegionalClient
from app.store.records import Address
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, User, get_token

# Synthetic INS (valid key): never a real person.
INS = "260057512345684"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Side:
    """One professional's service, with the switches a test turns."""

    service: PatientsService
    connects: list[int]
    online: list[bool]
    clock: Clock


@dataclass
class Pair:
    alice: Side
    bob: Side


def side(http: httpx.AsyncClient, base: str, user: User) -> Side:
    connects: list[int] = []
    online = [True]
    clock = Clock()

    async def connect() -> RegionalClient:
        connects.append(1)
        return RegionalClient(http, base)

    async def me() -> Address:
        return Address(user.name, user.email)

    service = PatientsService(connect, lambda: online[0], me, clock)
    return Side(service, connects, online, clock)


@pytest_asyncio.fixture
async def pair(server: ServerThread) -> AsyncIterator[Pair]:
    base = server.base_url + "/regional/v1"
    tokens = [get_token(server.base_url, user) for user in (ALICE, BOB)]
    async with (
        httpx.AsyncClient(headers={"Authorization": f"Bearer {tokens[0]}"}) as alice_http,
        httpx.AsyncClient(headers={"Authorization": f"Bearer {tokens[1]}"}) as bob_http,
    ):
        yield Pair(side(alice_http, base, ALICE), side(bob_http, base, BOB))


NEW = NewPatient(
    "Marie", "Dupont", dt.date(1960, 2, 1), sex="female", usual_family="Martin", ins=INS
)


@pytest.mark.asyncio
async def test_create_then_search_by_name_or_ins_gives_typed_patients(pair: Pair) -> None:
    created = await pair.alice.service.create(NEW, "prise_en_charge")
    assert isinstance(created, Patient)
    assert (created.given, created.family, created.usual_family, created.sex) == (
        "Marie",
        "Dupont",
        "Martin",
        "female",
    )
    assert created.in_file_active
    by_name = await pair.bob.service.search(
        SearchCriteria(family="martin", given="ma", birth_date=dt.date(1960, 2, 1))
    )
    assert [p.id for p in by_name.patients] == [created.id]
    assert not by_name.truncated
    assert not by_name.patients[0].in_file_active
    by_ins = await pair.bob.service.search(SearchCriteria(ins=INS))
    assert [p.id for p in by_ins.patients] == [created.id]
    with pytest.raises(PatientSearchTooBroad):
        await pair.bob.service.search(SearchCriteria(family="Dupont"))


@pytest.mark.asyncio
async def test_follow_care_team_access_log_and_unfollow(pair: Pair) -> None:
    created = await pair.alice.service.create(NEW, "prise_en_charge")
    with pytest.raises(RegionalForbidden):
        await pair.bob.service.care_team(created.id)
    followed = await pair.bob.service.follow(created.id, "avis")
    assert followed.in_file_active
    assert created.id in {p.id for p in await pair.bob.service.file_active()}
    team = await pair.bob.service.care_team(created.id)
    assert team.patient_id == created.id
    assert BOB.email in {m.mssante_address for m in team.members}
    page = await pair.alice.service.access_log(created.id, limit=2)
    assert [e.action for e in page.entries] == ["care_team", "follow"]
    assert page.next_cursor is not None
    older = await pair.alice.service.access_log(created.id, page.next_cursor)
    assert [e.action for e in older.entries] == ["follow", "create"]
    assert older.next_cursor is None
    await pair.bob.service.unfollow(created.id)
    assert created.id not in {p.id for p in await pair.bob.service.file_active()}
    with pytest.raises(RegionalError):
        await pair.bob.service.access_log(created.id)


@pytest.mark.asyncio
async def test_follow_reasons_are_asked_once_per_session(pair: Pair) -> None:
    first = await pair.bob.service.follow_reasons()
    assert [r.code for r in first][:2] == ["prise_en_charge", "avis"]
    asked = len(pair.bob.connects)
    first.clear()  # the caller's copy: the service's list stays whole
    again = await pair.bob.service.follow_reasons()
    assert len(pair.bob.connects) == asked
    assert [r.code for r in again][:2] == ["prise_en_charge", "avis"]


@pytest.mark.asyncio
async def test_me_is_the_accounts_own_address(pair: Pair) -> None:
    assert await pair.alice.service.me() == ALICE.email


@pytest.mark.asyncio
async def test_offline_every_call_is_refused_before_connecting(pair: Pair) -> None:
    bob = pair.bob
    bob.online[0] = False
    assert not bob.service.online
    calls = (
        bob.service.file_active(),
        bob.service.follow_reasons(),
        bob.service.follow("p", "avis"),
        bob.service.unfollow("p"),
        bob.service.search(SearchCriteria(ins=INS)),
        bob.service.create(NEW, "avis"),
        bob.service.care_team("p"),
        bob.service.access_log("p"),
    )
    for call in calls:
        with pytest.raises(RegionalOffline) as refused:
            await call
        assert "hors connexion" in refused.value.message_fr
    assert bob.connects == []


@pytest.mark.asyncio
async def test_file_active_is_stale_before_it_is_read_and_a_minute_after(pair: Pair) -> None:
    bob = pair.bob
    assert bob.service.stale()
    await bob.service.file_active()
    assert not bob.service.stale()
    bob.clock.now += PatientsService.stale_after_s
    assert not bob.service.stale()
    bob.clock.now += 1
    assert bob.service.stale()
    await bob.service.file_active()
    assert not bob.service.stale()


@pytest.mark.asyncio
async def test_a_failed_read_of_the_file_active_makes_it_stale(pair: Pair) -> None:
    bob = pair.bob
    await bob.service.file_active()
    assert not bob.service.stale()
    bob.online[0] = False
    with pytest.raises(RegionalOffline):
        await bob.service.file_active()
    assert bob.service.stale()


# The page's rules in words ------------------------------------------------------------------------


def patient(**changes: object) -> Patient:
    base = Patient(
        id="p1",
        ins=INS,
        ins_oid=None,
        ins_ihe=None,
        given="Élodie",
        family="Lefèvre",
        usual_family=None,
        birth_date=dt.date(1985, 3, 12),
        sex="female",
        email="elodie@example.org",
        mobile="+33611223344",
        city="Lyon",
        in_file_active=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_display_name_puts_the_family_name_in_capitals_first() -> None:
    assert display_name(patient()) == "LEFÈVRE Élodie"
    assert display_name(patient(given="")) == "LEFÈVRE"


def test_the_local_filter_folds_accents_and_reads_ins_digits_alone() -> None:
    p = patient()
    assert matches(p, "lefevre elodie")
    assert matches(p, "12/03/1985")
    assert matches(p, "2600 5751")
    assert not matches(p, "1985 0312")  # digits alone: the INS only
    assert not matches(p, "martin")


def test_unfollowed_patient_loses_the_contact_details() -> None:
    now = unfollowed(patient())
    assert (now.in_file_active, now.email, now.mobile, now.city) == (False, None, None, "")


def test_team_addresses_are_each_once_and_without_mine() -> None:
    def member(name: str, address: str | None) -> CareTeamMember:
        return CareTeamMember(None, name, None, None, None, None, address)

    team = CareTeam(
        "p1",
        [
            member("Dr A", "a@x.fr"),
            member("Dr A bis", "A@X.fr"),
            member("Moi", "me@x.fr"),
            member("Sans adresse", None),
        ],
    )
    assert team_addresses(team, "ME@x.fr") == [Address("Dr A", "a@x.fr")]
