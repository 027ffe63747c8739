"""Delegation of teleconsultation planning through the session's service, against the sandbox:
the people I let plan in my name, those in whose name I may plan, and the server's refusal as a
typed `NotDelegated` carrying its French sentence; nothing asked of the network while offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.regional.delegations import DelegationService
from app.regional.errors import NotDelegated, RegionalError, RegionalForbidden
from app.regional.records import TeleconsultationPlan
from app.regional.service import RegionalOffline
from app.remote.regional import RegionalClient
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


def in_alices_name(account_id: str) -> TeleconsultationPlan:
    start = (dt.datetime.now() + dt.timedelta(days=2)).replace(microsecond=0)
    return TeleconsultationPlan(
        start=start,
        channels=("email",),
        duration_minutes=15,
        teleconsultant_account_id=account_id,
        patient_name="Patient de test",
        patient_email="patient@patient.example",
    )


@pytest.mark.asyncio
async def test_planning_for_someone_follows_their_delegation(
    alice: AccountSession, bob: AccountSession
) -> None:
    assert await alice.delegations.list() == []
    assert await bob.delegations.planning_for() == []
    added = await alice.delegations.add(address=BOB.email, practitioner_id="ignored")
    assert (added.name, added.mssante_address) == (BOB.name, BOB.email)
    assert [d.account_id for d in await alice.delegations.list()] == [added.account_id]
    alices = await bob.delegations.planning_for()
    assert [(d.name, d.mssante_address) for d in alices] == [(ALICE.name, ALICE.email)]
    bob_client = await bob.regional()
    planned = await bob_client.plan_teleconsultation(in_alices_name(alices[0].account_id))
    assert planned.teleconsultant.name == ALICE.name

    await alice.delegations.remove(added.account_id)
    assert await alice.delegations.list() == []
    with pytest.raises(NotDelegated) as refused:
        await bob_client.plan_teleconsultation(in_alices_name(alices[0].account_id))
    assert isinstance(refused.value, RegionalForbidden)
    assert refused.value.message_fr.startswith(f"{ALICE.name} ne vous a pas délégué")
    with pytest.raises(NotDelegated):
        await bob_client.cancel_teleconsultation(planned.id, "Empêchement")


@pytest.mark.asyncio
async def test_delegation_refusals_carry_the_servers_sentence(alice: AccountSession) -> None:
    with pytest.raises(RegionalError) as unknown:
        await alice.delegations.add(address="personne@sisra-demo.mssante.fr")
    assert unknown.value.code == "unknown_delegate"
    assert "compte de télémédecine" in unknown.value.message_fr
    with pytest.raises(RegionalError) as gone:
        await alice.delegations.remove("nobody")
    assert gone.value.status == 404
    assert not isinstance(gone.value, NotDelegated)


@pytest.mark.asyncio
async def test_offline_delegation_calls_are_refused_at_once_without_a_request() -> None:
    async def connect() -> RegionalClient:
        raise AssertionError("offline: no client is made, no request sent")

    delegations = DelegationService(connect, lambda: False)
    for call in (
        delegations.list(),
        delegations.planning_for(),
        delegations.add(address=BOB.email),
        delegations.remove("x"),
    ):
        with pytest.raises(RegionalOffline):
            await call
    assert delegations.stale()
