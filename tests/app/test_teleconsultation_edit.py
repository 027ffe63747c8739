"""Editing a teleconsultation through `session.teleconsultations` (issue 13 §1): the form's plan
compared with the teleconsultation says what changed (`edit_of`: nothing → None, so nobody is
told again), only that is sent, and the server's answer comes back typed, with the payment state
(`payment_status`); a start left as it was is not checked again (`edit_problems`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app import messages
from app.regional.records import (
    Participant,
    ParticipantInput,
    Payment,
    PaymentStatus,
    Teleconsultation,
    TeleconsultationStatus,
)
from app.regional.teleconsultations import (
    PARIS,
    PlanField,
    edit_of,
    edit_problems,
    participant_input,
)
from app.session import AccountSession
from tests.app.test_teleconsultation_planning import (  # noqa: F401 (fixtures)
    alice,
    free_text_plan,
    in_two_days,
)

DAUGHTER = ParticipantInput(name="Claire (sa fille)", email="claire@famille.example")


@pytest.mark.asyncio
async def test_only_what_changed_is_sent_and_the_answer_says_the_payment_state(
    alice: AccountSession,  # noqa: F811
) -> None:
    plan = free_text_plan(
        patient_mobile="06 12 34 56 78",
        online_payment=Payment(30.0),
        participants=(DAUGHTER,),
    )
    planned = await alice.teleconsultations.plan(plan)
    assert planned.payment_status is PaymentStatus.PENDING
    # The form, filled in with it, says nothing changed until something does.
    as_shown = dataclasses.replace(
        plan,
        patient_mobile=planned.patient.mobile,
        participants=[participant_input(p) for p in planned.participants],
    )
    assert edit_of(planned, as_shown) is None

    later = in_two_days(15)
    changed = dataclasses.replace(
        as_shown, start=later, patient_mobile="", online_payment=None, motive="Contrôle"
    )
    edit = edit_of(planned, changed)
    assert edit is not None
    assert (edit.start, edit.duration_minutes, edit.motive) == (later, None, "Contrôle")
    assert (edit.patient_mobile, edit.patient_email) == ("", None)  # removed, kept
    assert (edit.payment_changed, edit.online_payment) == (True, None)
    assert (edit.channels, edit.participants) == (None, None)
    edited = await alice.teleconsultations.edit(planned.id, edit)
    assert edited.start.astimezone(PARIS).replace(tzinfo=None) == later
    assert edited.patient.mobile is None
    assert edited.patient.email == planned.patient.email
    assert (edited.online_payment, edited.payment_status) == (None, None)
    assert edited.motive == "Contrôle"
    assert [p.name for p in edited.participants] == ["Claire (sa fille)"]
    assert edited.participants[0].join_url == planned.participants[0].join_url


def test_an_unchanged_start_that_has_passed_is_not_a_problem() -> None:
    plan = free_text_plan(start=in_two_days() - dt.timedelta(days=3))
    start = plan.start.replace(tzinfo=PARIS)
    person = Participant("patient", "Jeanne Petit", None, None, None, None, None, None)
    running = Teleconsultation(
        id="running",
        status=TeleconsultationStatus.PLANNED,
        start=start,
        end=start + dt.timedelta(minutes=20),
        duration_minutes=20,
        motive="Suivi tensionnel",
        teleconsultant=person,
        planner=person,
        patient=person,
        participants=[],
        channels=["email"],
        online_payment=None,
        join_url=None,
        cancel_reason=None,
        created_at=start,
        can_manage=True,
    )
    now = dt.datetime.now(dt.UTC)
    assert PlanField.START not in edit_problems(running, plan, now)
    moved = dataclasses.replace(plan, start=plan.start - dt.timedelta(hours=1))
    assert edit_problems(running, moved, now)[PlanField.START] is messages.PLAN_START_PAST
