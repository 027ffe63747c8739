"""Teleconsultations as the app uses them: the signed-in professional's, read from the regional
server, split into those to come and those past; planning one (for myself or "au nom" of a
professional who delegated it to me), editing one (only what changed is sent) and cancelling
one. The offline rule and the "read again when older than a minute" rule are the base's
(`stale`), so that the page only asks whether to read again when it shows.

The server decides (delegation, contacts, dates) and says why in French; the checks here are the
same rules asked before sending, so that the form can say next to each field what is missing
while it is filled in, and keep "Planifier" disabled until nothing is."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from zoneinfo import ZoneInfo

from app import messages
from app.messages import Message
from app.regional.records import (
    Participant,
    ParticipantInput,
    Patient,
    Payment,
    Teleconsultation,
    TeleconsultationEdit,
    TeleconsultationPlan,
    TeleconsultationStatus,
)
from app.regional.service import RegionalService

PARIS = ZoneInfo("Europe/Paris")  # the server reads a start without a time zone as Paris time
# The server's rules (server/regional/validation.py), asked before sending.
_EMAIL_RE = re.compile(
    r"^[^@\s<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_MOBILE_RE = re.compile(r"^(?:\+33|0033|0)([67]\d{8})$")


class PlanField(StrEnum):
    """The parts of the form a problem is shown next to."""

    START = "start"
    PATIENT = "patient"
    PATIENT_EMAIL = "patient_email"
    PATIENT_MOBILE = "patient_mobile"
    CHANNELS = "channels"


def email_problem(text: str | None) -> Message | None:
    """None when empty or well formed."""
    value = (text or "").strip()
    if not value or (len(value) <= 254 and _EMAIL_RE.match(value)):
        return None
    return messages.INVALID_EMAIL


def mobile_problem(text: str | None) -> Message | None:
    """None when empty or a French mobile (06…, 07…, +33…; spaces, dots and dashes allowed)."""
    value = re.sub(r"[\s.\-()]", "", text or "")
    if not value or _MOBILE_RE.match(value):
        return None
    return messages.INVALID_MOBILE


def participant_problem(name: str, email: str, mobile: str) -> Message | None:
    """Someone outside the directory (a family member): a name and a way to invite them."""
    if not name.strip():
        return messages.PARTICIPANT_NO_NAME
    if not email.strip() and not mobile.strip():
        return messages.PARTICIPANT_NO_CONTACT
    return email_problem(email) or mobile_problem(mobile)


def plan_problems(plan: TeleconsultationPlan, now: dt.datetime) -> dict[PlanField, Message]:
    """What keeps this plan from being sent, by field (empty: it may be sent)."""
    problems: dict[PlanField, Message] = {}
    if plan.start.replace(tzinfo=PARIS) < now:
        problems[PlanField.START] = messages.PLAN_START_PAST
    if not plan.patient_id and not (plan.patient_name or "").strip():
        problems[PlanField.PATIENT] = messages.PLAN_NO_PATIENT
    for field, problem in (
        (PlanField.PATIENT_EMAIL, email_problem(plan.patient_email)),
        (PlanField.PATIENT_MOBILE, mobile_problem(plan.patient_mobile)),
    ):
        if problem is not None:
            problems[field] = problem
    if not plan.channels:
        problems[PlanField.CHANNELS] = messages.PLAN_NO_CHANNEL
    if "email" in plan.channels and not (plan.patient_email or "").strip():
        problems.setdefault(PlanField.PATIENT_EMAIL, messages.PLAN_EMAIL_NEEDED)
    if "sms" in plan.channels and not (plan.patient_mobile or "").strip():
        problems.setdefault(PlanField.PATIENT_MOBILE, messages.PLAN_MOBILE_NEEDED)
    return problems


def edit_problems(
    before: Teleconsultation, plan: TeleconsultationPlan, now: dt.datetime
) -> dict[PlanField, Message]:
    """As `plan_problems`, except that a start left as it was is not checked: one that has
    begun may still be edited (its motive, its participants)."""
    problems = plan_problems(plan, now)
    if plan.start.replace(tzinfo=PARIS) == before.start:
        problems.pop(PlanField.START, None)
    return problems


def participant_input(person: Participant) -> ParticipantInput:
    """A participant as the edit sends it back: who stays is recognised (and keeps their link)."""
    return ParticipantInput(
        account_id=person.account_id,
        practitioner_id=person.practitioner_id,
        name=person.name,
        email=person.email,
        mobile=person.mobile,
    )


def edit_of(before: Teleconsultation, plan: TeleconsultationPlan) -> TeleconsultationEdit | None:
    """What the form changed in `before` (None: nothing). Each field is sent only when changed,
    so that an unchanged start that has passed is not refused."""

    def amount(payment: Payment | None) -> float | None:
        return round(payment.amount, 2) if payment else None

    def changed(new: str | None, old: str | None) -> str | None:
        """The new contact ("" removes it) when it differs."""
        return None if (new or "") == (old or "") else new or ""

    start = plan.start.replace(tzinfo=PARIS)
    people = list(plan.participants)
    edit = TeleconsultationEdit(
        start=plan.start if start != before.start else None,
        duration_minutes=plan.duration_minutes
        if plan.duration_minutes != before.duration_minutes
        else None,
        motive=plan.motive if plan.motive != before.motive else None,
        payment_changed=amount(plan.online_payment) != amount(before.online_payment),
        online_payment=plan.online_payment,
        patient_email=changed(plan.patient_email, before.patient.email),
        patient_mobile=changed(plan.patient_mobile, before.patient.mobile),
        channels=plan.channels if set(plan.channels) != set(before.channels) else None,
        participants=people
        if people != [participant_input(p) for p in before.participants]
        else None,
    )
    return None if edit == TeleconsultationEdit(online_payment=plan.online_payment) else edit


def conflicts(
    items: list[Teleconsultation], start: dt.datetime, end: dt.datetime, address: str
) -> list[Teleconsultation]:
    """The planned teleconsultations among `items` that overlap [start, end) and in which
    `address` (the teleconsultant's) takes part, soonest first."""
    who = address.casefold()
    if not who:
        return []  # not known yet: nobody is "them"

    def takes_part(tc: Teleconsultation) -> bool:
        people = [tc.teleconsultant, *tc.participants]
        return any((p.email or "").casefold() == who for p in people)

    return sorted(
        (
            tc
            for tc in items
            if tc.status is TeleconsultationStatus.PLANNED
            and tc.start < end
            and start < tc.end
            and takes_part(tc)
        ),
        key=lambda tc: tc.start,
    )


def split_by_time(
    items: list[Teleconsultation], now: dt.datetime
) -> tuple[list[Teleconsultation], list[Teleconsultation]]:
    """(upcoming soonest first, past most recent first): a teleconsultation is past once ended."""
    upcoming = sorted((t for t in items if t.end >= now), key=lambda t: t.start)
    past = sorted((t for t in items if t.end < now), key=lambda t: t.start, reverse=True)
    return upcoming, past


class TeleconsultationService(RegionalService):
    async def list(self) -> list[Teleconsultation]:
        """All of mine, whatever their status (the page splits them by time)."""
        items = await (await self.client()).teleconsultations()
        self.loaded()
        return items

    async def get(self, teleconsultation_id: str) -> Teleconsultation:
        return await (await self.client()).get_teleconsultation(teleconsultation_id)

    async def patient(self, patient_id: str) -> Patient:
        """The patient's record, whose e-mail and mobile prefill the invitation: the directory
        gives them only to those who follow the patient (None otherwise)."""
        return await (await self.client()).get_patient(patient_id)

    async def plan(self, plan: TeleconsultationPlan) -> Teleconsultation:
        """Plans it (the server invites the patient and the participants); the list is read
        again when the page next shows."""
        planned = await (await self.client()).plan_teleconsultation(plan)
        self._loaded_at = None  # read again when the page next shows
        return planned

    async def edit(self, teleconsultation_id: str, edit: TeleconsultationEdit) -> Teleconsultation:
        """Changes it (the server tells the participants: the update, a cancellation to those
        taken off, an invitation to those added); the list is read again when the page next
        shows."""
        edited = await (await self.client()).edit_teleconsultation(teleconsultation_id, edit)
        self._loaded_at = None
        return edited

    async def cancel(self, teleconsultation_id: str, reason: str = "") -> Teleconsultation:
        """Cancels it; the server tells the participants, with the reason (said as not given
        when empty)."""
        client = await self.client()
        told = reason.strip() or messages.CANCEL_NO_REASON.text()
        cancelled = await client.cancel_teleconsultation(teleconsultation_id, told)
        self._loaded_at = None  # read again when the page next shows
        return cancelled


__all__ = [
    "PARIS",
    "PlanField",
    "TeleconsultationService",
    "conflicts",
    "edit_of",
    "edit_problems",
    "email_problem",
    "mobile_problem",
    "participant_input",
    "participant_problem",
    "plan_problems",
    "split_by_time",
]
