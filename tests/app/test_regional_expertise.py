"""The regional services on the session (téléexpertise, teleconsultations, portal codes) against
the sandbox: typed records with their states as enumerations, a state the client does not know
refused like any bad shape, nothing asked of the network while offline, and a list read again
once older than the services' minute (with a clock the test moves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from app.regional.errors import RegionalError
from app.regional.expertise import ExpertiseService, asked_by
from app.regional.portal import PortalService
from app.regional.records import (
    TeleconsultationPlan,
    TeleconsultationStatus,
    TeleexpertiseStatus,
)
from app.regional.service import RegionalOffline, RegionalService
from app.regional.teleconsultations import TeleconsultationService, split_by_time
from app.remote.regional import RegionalClient, _teleconsultation, _teleexpertise
from app.session import AccountSession
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB


@pytest_asyncio.fixture
async def alice(server: ServerThread, tmp_path: Path) -> AsyncIterator[AccountSession]:
    session = await AccountSession.open(
        tmp_path / "a", server.base_url, ALICE.login, ALICE.password
    )
    yield session
    await session.close()


@pytest_asyncio.fixture
async def bob(server: ServerThread, tmp_path: Path) -> AsyncIterator[AccountSession]:
    session = await AccountSession.open(tmp_path / "b", server.base_url, BOB.login, BOB.password)
    yield session
    await session.close()


async def a_patient(session: AccountSession, family: str) -> str:
    client = await session.regional()
    patient = await client.create_patient(
        "Jeanne", family, dt.date(1950, 4, 3), reason="prise_en_charge", sex="female"
    )
    return patient.id


@pytest.mark.asyncio
async def test_a_teleexpertise_goes_requested_answered_closed_through_the_services(
    alice: AccountSession, bob: AccountSession
) -> None:
    await bob.expertise.set_profile("Dermatologie", ["Photographies"], listed_in_directory=True)
    assert (await bob.expertise.profile()).declared
    patient_id = await a_patient(alice, "Roux")
    assert (await alice.expertise.quota(patient_id)).remaining == 4

    asked = await alice.expertise.request(
        patient_id, "Lésion pigmentée ?", expert_address=BOB.email, expert_practitioner_id="x"
    )
    assert asked.status is TeleexpertiseStatus.REQUESTED
    assert asked_by(asked, ALICE.email.upper())  # addresses compare without case
    assert not asked_by(asked, BOB.email)
    assert not asked_by(asked, None)
    assert (await alice.expertise.quota(patient_id)).used == 1
    waiting = await bob.expertise.list(TeleexpertiseStatus.REQUESTED)
    assert asked.id in {t.id for t in waiting}
    assert all(t.status is TeleexpertiseStatus.REQUESTED for t in waiting)
    assert asked.id not in {t.id for t in await bob.expertise.list(TeleexpertiseStatus.CLOSED)}

    answered = await bob.expertise.answer(asked.id, "Dermoscopie conseillée.")
    assert answered.status is TeleexpertiseStatus.ANSWERED
    closed = await alice.expertise.close(asked.id, "Compte rendu : dermoscopie faite.")
    assert closed.status is TeleexpertiseStatus.CLOSED
    assert (await alice.expertise.get(asked.id)) == closed


@pytest.mark.asyncio
async def test_teleconsultations_are_listed_typed_and_split_by_time(alice: AccountSession) -> None:
    client = await alice.regional()
    start = (dt.datetime.now() + dt.timedelta(days=2)).replace(microsecond=0)
    planned = await client.plan_teleconsultation(
        TeleconsultationPlan(
            start=start, channels=("email",), duration_minutes=15,
            patient_name="Patient de test", patient_email="patient@patient.example",
        )
    )  # fmt: skip
    await client.cancel_teleconsultation(
        (await client.plan_teleconsultation(
            TeleconsultationPlan(start=start + dt.timedelta(hours=1), channels=("email",),
                                 duration_minutes=15, patient_name="Autre",
                                 patient_email="autre@patient.example")
        )).id,
        "Indisponible",
    )  # fmt: skip
    items = await alice.teleconsultations.list()
    assert planned.id in {t.id for t in items}
    assert {t.status for t in items} == {
        TeleconsultationStatus.PLANNED,
        TeleconsultationStatus.CANCELLED,
    }
    assert (await alice.teleconsultations.get(planned.id)) == planned
    upcoming, past = split_by_time(items, planned.end + dt.timedelta(minutes=1))
    assert planned.id in {t.id for t in past}
    upcoming, past = split_by_time(items, planned.start)
    assert planned.id in {t.id for t in upcoming}


@pytest.mark.asyncio
async def test_a_portal_code_opens_the_asked_page_signed_in(alice: AccountSession) -> None:
    code = await alice.portal.code("telemedecine")
    assert code.code
    assert code.url.startswith(alice.account.ref.server_url.rstrip("/"))
    assert code.expires_in > 0


@pytest.mark.asyncio
async def test_a_state_the_client_does_not_know_is_a_regional_error(
    alice: AccountSession, bob: AccountSession
) -> None:
    """The server's real answers, with their state changed to one the client does not know."""
    await bob.expertise.set_profile("Cardiologie")
    patient_id = await a_patient(alice, "Blanc")
    asked = await alice.expertise.request(patient_id, "Souffle ?", expert_address=BOB.email)
    urls = alice.regional_urls
    assert urls is not None
    assert alice.account.http is not None
    http = alice.account.http
    base = urls.regional_api_url.rstrip("/")
    te_body: dict[str, Any] = (await http.get(f"{base}/teleexpertises/{asked.id}")).json()
    assert RegionalClient._read(te_body, _teleexpertise) == asked  # as it came: read
    with pytest.raises(RegionalError):
        RegionalClient._read({**te_body, "status": "pending"}, _teleexpertise)

    start = (dt.datetime.now() + dt.timedelta(days=1)).replace(microsecond=0)
    planned = await (await alice.regional()).plan_teleconsultation(
        TeleconsultationPlan(start=start, channels=("email",), duration_minutes=15,
                             patient_name="Patient", patient_email="p@patient.example")
    )  # fmt: skip
    tc_body = (await http.get(f"{base}/teleconsultations/{planned.id}")).json()
    assert RegionalClient._read(tc_body, _teleconsultation) == planned
    with pytest.raises(RegionalError):
        RegionalClient._read({**tc_body, "status": "in_progress"}, _teleconsultation)


@pytest.mark.asyncio
async def test_offline_every_call_is_refused_at_once_without_a_request() -> None:
    async def connect() -> RegionalClient:
        raise AssertionError("offline: no client is made, no request sent")

    def offline() -> bool:
        return False

    expertise = ExpertiseService(connect, offline)
    teleconsultations = TeleconsultationService(connect, offline)
    portal = PortalService(connect, offline)
    calls = [
        expertise.list(),
        expertise.list(TeleexpertiseStatus.ANSWERED),
        expertise.get("t"),
        expertise.quota("p"),
        expertise.request("p", "q", expert_address="x@y.fr"),
        expertise.answer("t", "a"),
        expertise.close("t", "r"),
        expertise.profile(),
        expertise.set_profile("d"),
        teleconsultations.list(),
        teleconsultations.get("t"),
        portal.code("expert"),
    ]
    for call in calls:
        with pytest.raises(RegionalOffline) as caught:
            await call
        assert "hors connexion" in caught.value.message_fr
    assert teleconsultations.stale()  # nothing was read


@pytest.mark.asyncio
async def test_a_list_is_read_again_once_older_than_a_minute(alice: AccountSession) -> None:
    now = [1000.0]
    for service in (
        TeleconsultationService(alice.regional, lambda: True, clock=lambda: now[0]),
        ExpertiseService(alice.regional, lambda: True, clock=lambda: now[0]),
    ):
        assert service.stale()  # never read
        await service.list()
        assert not service.stale()
        now[0] += RegionalService.stale_after_s
        assert not service.stale()  # a minute exactly: still fresh
        now[0] += 1
        assert service.stale()
        await service.list()
        assert not service.stale()


@pytest.mark.asyncio
async def test_an_expert_declares_edits_and_withdraws_and_requesters_read_the_prerequisites(
    alice: AccountSession, bob: AccountSession
) -> None:
    declared = await bob.expertise.set_profile(
        "Avis de gériatrie",
        ["Dernier bilan biologique"],
        specialties=["SM22"],
        response_delay_days=5,
    )
    assert (declared.specialties, declared.response_delay_days) == (["SM22"], 5)
    seen = await alice.expertise.expert_profile(address=BOB.email)
    assert (seen.prerequisite_documents, seen.response_delay_days) == (
        ["Dernier bilan biologique"],
        5,
    )
    assert not (await bob.expertise.withdraw()).declared
    with pytest.raises(RegionalError) as refused:
        await alice.expertise.expert_profile(address=BOB.email)
    assert "annuaire des experts" in refused.value.message_fr
