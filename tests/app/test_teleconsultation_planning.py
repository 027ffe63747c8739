"""Planning and cancelling a teleconsultation through `session.teleconsultations`, against the
sandbox: each option reaches the server and comes back typed; planning in someone's name follows
their delegation (a refusal is `NotDelegated` with the server's sentence); the server says who may
cancel (`can_manage`); the form's checks (contacts, channels, the patient, conflicts) say in French
what is missing before anything is sent."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app import messages
from app.regional.errors import NotDelegated, RegionalError
from app.regional.patients import NewPatient
from app.regional.records import (
    Participant,
    ParticipantInput,
    Payment,
    Teleconsultation,
    TeleconsultationPlan,
    TeleconsultationStatus,
)
from app.regional.teleconsultations import (
    PARIS,
    PlanField,
    conflicts,
    email_problem,
    mobile_problem,
    participant_problem,
    plan_problems,
)
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


def in_two_days(hour: int = 10) -> dt.datetime:
    """A naive Paris time, as the form gives it."""
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=2)
    return dt.datetime.combine(day, dt.time(hour, 0))


def free_text_plan(**changes: object) -> TeleconsultationPlan:
    plan = TeleconsultationPlan(
        start=in_two_days(),
        channels=("email",),
        duration_minutes=20,
        patient_name="Jeanne Petit",
        patient_email="jeanne.petit@patient.example",
        motive="Suivi tensionnel",
    )
    return dataclasses.replace(plan, **changes)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_plan_for_myself_with_every_option_then_cancel_tells_the_participants(
    server: ServerThread, alice: AccountSession, bob: AccountSession
) -> None:
    bobs_account = server.sandbox.accounts.by_login(BOB.login)
    assert bobs_account is not None
    patient = await alice.patients.create(
        NewPatient("Louis", "Bernard", dt.date(1950, 3, 4), "male"), "prise_en_charge"
    )
    plan = free_text_plan(
        patient_id=patient.id,
        patient_name=None,
        patient_email="louis.bernard@patient.example",
        patient_mobile="06 12 34 56 78",
        channels=("email", "sms"),
        online_payment=Payment(25.0),
        participants=(
            ParticipantInput(account_id=bobs_account.id),
            ParticipantInput(name="Claire Bernard (sa fille)", mobile="0698765432"),
        ),
    )
    planned = await alice.teleconsultations.plan(plan)
    assert planned.status is TeleconsultationStatus.PLANNED
    assert planned.teleconsultant.email == ALICE.email
    assert planned.patient.patient_id == patient.id
    assert planned.patient.name == "Louis Bernard"
    assert (planned.patient.email, planned.patient.mobile) == (
        "louis.bernard@patient.example",
        "+33612345678",
    )
    assert planned.channels == ["email", "sms"]
    assert planned.online_payment == Payment(25.0)
    assert [p.name for p in planned.participants] == [BOB.name, "Claire Bernard (sa fille)"]
    assert planned.motive == "Suivi tensionnel"
    assert planned.start.astimezone(PARIS).replace(tzinfo=None) == plan.start
    assert planned.duration_minutes == 20
    assert planned.can_manage
    assert alice.teleconsultations.stale()  # the page reads its list again

    # Bob takes part but neither planned it nor teleconsults: the server says he may not manage.
    seen_by_bob = await bob.teleconsultations.get(planned.id)
    assert not seen_by_bob.can_manage
    with pytest.raises(RegionalError) as refused:
        await bob.teleconsultations.cancel(planned.id, "Empêchement")
    assert refused.value.status == 403

    cancelled = await alice.teleconsultations.cancel(planned.id)
    assert cancelled.status is TeleconsultationStatus.CANCELLED
    assert cancelled.cancel_reason == messages.CANCEL_NO_REASON.text()
    told = await (await alice.regional()).sandbox_invitations()
    cancellations = {(i.channel, i.recipient) for i in told if i.kind == "cancellation"}
    assert ("sms", "+33698765432") in cancellations  # the free-text participant
    assert ("email", "louis.bernard@patient.example") in cancellations
    assert ("sms", "+33612345678") in cancellations


@pytest.mark.asyncio
async def test_plan_in_someones_name_only_once_delegated(
    alice: AccountSession, bob: AccountSession
) -> None:
    added = await alice.delegations.add(address=BOB.email)
    (for_alice,) = await bob.delegations.planning_for()
    plan = free_text_plan(teleconsultant_account_id=for_alice.account_id, channels=("email",))
    planned = await bob.teleconsultations.plan(plan)
    assert planned.teleconsultant.email == ALICE.email
    assert planned.planner.email == BOB.email
    assert planned.can_manage

    await alice.delegations.remove(added.account_id)
    with pytest.raises(NotDelegated) as refused:
        await bob.teleconsultations.plan(plan)
    assert refused.value.message_fr.startswith(f"{ALICE.name} ne vous a pas délégué")
    assert not (await bob.teleconsultations.get(planned.id)).can_manage
    assert (await alice.teleconsultations.get(planned.id)).can_manage


@pytest.mark.asyncio
async def test_a_missing_contact_is_refused_with_the_servers_sentence(
    alice: AccountSession,
) -> None:
    with pytest.raises(RegionalError) as refused:
        await alice.teleconsultations.plan(free_text_plan(channels=("sms",)))
    assert refused.value.code == "missing_contact"
    assert "mobile du patient" in refused.value.message_fr


def test_plan_problems_name_each_field_in_french() -> None:
    now = dt.datetime.now(dt.UTC)
    assert plan_problems(free_text_plan(), now) == {}
    assert plan_problems(free_text_plan(patient_id="pat-1", patient_name=None), now) == {}
    problems = plan_problems(
        free_text_plan(
            start=in_two_days() - dt.timedelta(days=3),
            patient_name=" ",
            patient_email="pas-une-adresse",
            patient_mobile="01 23 45 67 89",
        ),
        now,
    )
    assert problems == {
        PlanField.START: messages.PLAN_START_PAST,
        PlanField.PATIENT: messages.PLAN_NO_PATIENT,
        PlanField.PATIENT_EMAIL: messages.INVALID_EMAIL,
        PlanField.PATIENT_MOBILE: messages.INVALID_MOBILE,
    }
    assert plan_problems(free_text_plan(channels=()), now) == {
        PlanField.CHANNELS: messages.PLAN_NO_CHANNEL
    }
    sms_without_mobile = plan_problems(free_text_plan(channels=("email", "sms")), now)
    assert sms_without_mobile == {PlanField.PATIENT_MOBILE: messages.PLAN_MOBILE_NEEDED}
    email_without_address = plan_problems(
        free_text_plan(channels=("email",), patient_email=""), now
    )
    assert email_without_address == {PlanField.PATIENT_EMAIL: messages.PLAN_EMAIL_NEEDED}


def test_contacts_follow_the_servers_rules() -> None:
    assert email_problem("") is None
    assert email_problem("a.b@exemple.fr") is None
    assert email_problem("a.b@exemple") is messages.INVALID_EMAIL
    assert mobile_problem("+33 6 12 34 56 78") is None
    assert mobile_problem("07.12.34.56.78") is None
    assert mobile_problem("04 12 34 56 78") is messages.INVALID_MOBILE
    assert participant_problem(" ", "a@b.fr", "") is messages.PARTICIPANT_NO_NAME
    assert participant_problem("Paul", "", "") is messages.PARTICIPANT_NO_CONTACT
    assert participant_problem("Paul", "", "0612") is messages.INVALID_MOBILE
    assert participant_problem("Paul", "", "0612345678") is None


def test_conflicts_are_planned_overlapping_ones_of_that_teleconsultant() -> None:
    start = dt.datetime(2030, 5, 6, 10, 0, tzinfo=PARIS)

    def one(
        ident: str, at: dt.datetime, lead: str = "moi@exemple.fr", status: str = "planned"
    ) -> Teleconsultation:
        person = Participant("teleconsultant", "Dr X", None, None, None, lead, None, None)
        return Teleconsultation(
            id=ident,
            status=TeleconsultationStatus(status),
            start=at,
            end=at + dt.timedelta(minutes=20),
            duration_minutes=20,
            motive="",
            teleconsultant=person,
            planner=person,
            patient=dataclasses.replace(person, role="patient", email=None),
            participants=[],
            channels=["email"],
            online_payment=None,
            join_url=None,
            cancel_reason=None,
            created_at=at,
            can_manage=True,
        )

    items = [
        one("overlapping", start + dt.timedelta(minutes=10)),
        one("before", start - dt.timedelta(minutes=20)),  # ends as the new one starts
        one("cancelled", start, status="cancelled"),
        one("someone else's", start, lead="autre@exemple.fr"),
    ]
    found = conflicts(items, start, start + dt.timedelta(minutes=20), "MOI@exemple.fr")
    assert [t.id for t in found] == ["overlapping"]
    no_address = dataclasses.replace(items[0], teleconsultant=items[0].patient)
    assert conflicts([no_address], start, start + dt.timedelta(minutes=20), "") == []
