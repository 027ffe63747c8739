"""The regional services (DESIGN §2.4): one typed call per route of the regional API.

JSON over HTTP under `regionalApiUrl` (from the Session's regional capability). Answers are read
into dataclasses; a shape that does not match is a RegionalError, never a KeyError. The server's
errors are `{"error", "message"}` with a French message, which the RegionalError carries as it is;
the refusals a caller reacts to have their own types: a patient search too broad to single a
patient out, too many requests (with the seconds to wait), information not for this professional.

The patient directory is need-to-know (issue 9 §8): a search needs the family name and the birth
date, or the INS, and gives identities only; contact details and the care team come to the
professionals who follow the patient, and following takes a reason (`follow_reasons`); every
access is in the patient's access journal (`access_log`), which followers read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import httpx

from app import logs, messages
from app.messages import Message
from app.regional.errors import (
    NotDelegated,
    PatientSearchTooBroad,
    RegionalError,
    RegionalForbidden,
    RegionalRateLimited,
    RegionalUnreachable,
)
from app.regional.records import (
    AccessActor,
    AccessLogEntry,
    AccessLogPage,
    CareTeam,
    CareTeamMember,
    Channel,
    Delegate,
    ExpertProfile,
    FavoriteChange,
    FollowReason,
    Invitation,
    Participant,
    ParticipantInput,
    Party,
    Patient,
    PatientDocument,
    PatientMatches,
    Payment,
    PaymentStatus,
    PortalCode,
    PortalPage,
    Quota,
    ResourceTeam,
    Sex,
    TeamLimits,
    TeamMember,
    Teleconsultation,
    TeleconsultationEdit,
    TeleconsultationPlan,
    TeleconsultationStatus,
    Teleexpertise,
    TeleexpertiseDocument,
    TeleexpertisePatient,
    TeleexpertiseStatus,
    Template,
    TemplateFile,
)
from app.remote.directory import specialty_label
from app.remote.http import tls_reason
from app.remote.origins import OriginPolicy

log = logs.get("regional")

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


# --- Reading answers --------------------------------------------------------------------------


class _Shape(Exception):
    """Internal: the answer does not have the documented shape."""


class _Obj:
    def __init__(self, value: Any) -> None:
        if not isinstance(value, dict):
            raise _Shape("object expected")
        self.v: dict[str, Any] = value

    def text(self, key: str) -> str:
        value = self.v.get(key)
        if not isinstance(value, str):
            raise _Shape(key)
        return value

    def opt_text(self, key: str) -> str | None:
        value = self.v.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _Shape(key)
        return value

    def choice(self, key: str, values: type[E]) -> E:
        """One of an enumeration's values: anything else is a shape the client cannot read."""
        try:
            return values(self.text(key))
        except ValueError:
            raise _Shape(key) from None

    def flag(self, key: str) -> bool:
        value = self.v.get(key)
        if not isinstance(value, bool):
            raise _Shape(key)
        return value

    def integer(self, key: str) -> int:
        value = self.v.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Shape(key)
        return value

    def opt_int(self, key: str) -> int | None:
        return None if self.v.get(key) is None else self.integer(key)

    def number(self, key: str) -> float:
        value = self.v.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _Shape(key)
        return float(value)

    def date(self, key: str) -> dt.date:
        try:
            return dt.date.fromisoformat(self.text(key))
        except ValueError:
            raise _Shape(key) from None

    def datetime(self, key: str) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(self.text(key))
        except ValueError:
            raise _Shape(key) from None

    def opt_datetime(self, key: str) -> dt.datetime | None:
        return None if self.v.get(key) is None else self.datetime(key)

    def texts(self, key: str) -> list[str]:
        value = self.v.get(key)
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise _Shape(key)
        return list(value)

    def obj(self, key: str) -> _Obj:
        return _Obj(self.v.get(key))

    def opt_obj(self, key: str) -> _Obj | None:
        return None if self.v.get(key) is None else _Obj(self.v[key])

    def objs(self, key: str) -> list[_Obj]:
        value = self.v.get(key)
        if not isinstance(value, list):
            raise _Shape(key)
        return [_Obj(x) for x in value]


def _patient(o: _Obj) -> Patient:
    return Patient(
        id=o.text("id"),
        ins=o.opt_text("ins"),
        ins_oid=o.opt_text("insOid"),
        ins_ihe=o.opt_text("insIhe"),
        given=o.text("given"),
        family=o.text("family"),
        usual_family=o.opt_text("usualFamily"),
        birth_date=o.date("birthDate"),
        sex=o.text("sex"),
        email=o.opt_text("email"),
        mobile=o.opt_text("mobile"),
        city=o.text("city"),
        in_file_active=o.flag("inFileActive"),
    )


def _matches(o: _Obj) -> PatientMatches:
    return PatientMatches([_patient(p) for p in o.objs("patients")], o.flag("truncated"))


def _access_log(o: _Obj) -> AccessLogPage:
    entries = []
    for e in o.objs("entries"):
        actor = e.obj("actor")
        entries.append(
            AccessLogEntry(
                at=e.datetime("at"),
                action=e.text("action"),
                actor=AccessActor(
                    name=actor.text("name"),
                    mssante_address=actor.opt_text("mssanteAddress"),
                    profession=actor.opt_text("profession"),
                    specialty=specialty_label(actor.opt_text("specialty")),
                ),
                reason=e.opt_text("reason"),
                reason_label=e.opt_text("reasonLabel"),
            )
        )
    return AccessLogPage(o.text("patientId"), entries, o.opt_text("nextCursor"))


def _care_team(o: _Obj) -> CareTeam:
    return CareTeam(
        patient_id=o.text("patientId"),
        members=[
            CareTeamMember(
                practitioner_id=m.opt_text("practitionerId"),
                name=m.text("name"),
                profession=m.opt_text("profession"),
                profession_code=m.opt_text("professionCode"),
                specialty=specialty_label(m.opt_text("specialty")),
                specialty_code=m.opt_text("specialtyCode"),
                mssante_address=m.opt_text("mssanteAddress"),
            )
            for m in o.objs("members")
        ],
    )


def _participant(o: _Obj) -> Participant:
    return Participant(
        role=o.text("role"),
        name=o.text("name"),
        account_id=o.opt_text("accountId"),
        practitioner_id=o.opt_text("practitionerId"),
        patient_id=o.opt_text("patientId"),
        email=o.opt_text("email"),
        mobile=o.opt_text("mobile"),
        join_url=o.opt_text("joinUrl"),
    )


def _teleconsultation(o: _Obj) -> Teleconsultation:
    payment = o.opt_obj("onlinePayment")
    return Teleconsultation(
        id=o.text("id"),
        status=o.choice("status", TeleconsultationStatus),
        start=o.datetime("start"),
        end=o.datetime("end"),
        duration_minutes=o.integer("durationMinutes"),
        motive=o.text("motive"),
        teleconsultant=_participant(o.obj("teleconsultant")),
        planner=_participant(o.obj("planner")),
        patient=_participant(o.obj("patient")),
        participants=[_participant(p) for p in o.objs("participants")],
        channels=o.texts("channels"),
        online_payment=Payment(payment.number("amount"), payment.text("currency"))
        if payment
        else None,
        join_url=o.opt_text("joinUrl"),
        cancel_reason=o.opt_text("cancelReason"),
        created_at=o.datetime("createdAt"),
        can_manage=o.flag("canManage"),
        payment_status=o.choice("paymentStatus", PaymentStatus)
        if o.opt_text("paymentStatus")
        else None,
    )


def _delegate(o: _Obj) -> Delegate:
    return Delegate(
        account_id=o.text("accountId"),
        name=o.text("name"),
        mssante_address=o.text("mssanteAddress"),
        practitioner_id=o.opt_text("practitionerId"),
        since=o.datetime("since"),
    )


def _invitation(o: _Obj) -> Invitation:
    return Invitation(
        id=o.text("id"),
        teleconsultation_id=o.text("teleconsultationId"),
        kind=o.text("kind"),
        channel=o.text("channel"),
        recipient=o.text("recipient"),
        recipient_name=o.text("recipientName"),
        subject=o.opt_text("subject"),
        text=o.text("text"),
        sent_at=o.datetime("sentAt"),
    )


def _expert_profile(o: _Obj) -> ExpertProfile:
    return ExpertProfile(
        declared=o.flag("declared"),
        activity_description=o.text("activityDescription"),
        prerequisite_documents=o.texts("prerequisiteDocuments"),
        listed_in_directory=o.flag("listedInDirectory"),
        updated_at=o.opt_datetime("updatedAt"),
        specialties=o.texts("specialties"),
        response_delay_days=o.opt_int("responseDelayDays"),
    )


def _party(o: _Obj) -> Party:
    return Party(o.text("accountId"), o.text("name"), o.text("mssanteAddress"))


def _teleexpertise(o: _Obj) -> Teleexpertise:
    patient = o.obj("patient")
    return Teleexpertise(
        id=o.text("id"),
        status=o.choice("status", TeleexpertiseStatus),
        requester=_party(o.obj("requester")),
        expert=_party(o.obj("expert")),
        patient=TeleexpertisePatient(
            id=patient.text("id"),
            name=patient.text("name"),
            ins=patient.opt_text("ins"),
            birth_date=patient.date("birthDate"),
        ),
        question=o.text("question"),
        answer=o.opt_text("answer"),
        report=o.opt_text("report"),
        report_type_code=o.opt_text("reportTypeCode"),
        report_blob_id=o.opt_text("reportBlobId"),
        blob_ids=o.texts("blobIds"),
        message_id=o.text("messageId"),
        thread_id=o.opt_text("threadId"),
        year=o.integer("year"),
        created_at=o.datetime("createdAt"),
        answered_at=o.opt_datetime("answeredAt"),
        closed_at=o.opt_datetime("closedAt"),
        documents=[
            TeleexpertiseDocument(d.text("blobId"), d.text("name"), d.opt_text("typeLabel"))
            for d in o.objs("documents")
        ],
    )


def _quota(o: _Obj) -> Quota:
    return Quota(o.text("patientId"), o.integer("year"), o.integer("limit"), o.integer("used"),
                 o.integer("remaining"))  # fmt: skip


def _template(o: _Obj) -> Template:
    return Template(
        id=o.text("id"),
        file_name=o.text("fileName"),
        content_type=o.text("contentType"),
        size=o.integer("size"),
        download_url=o.text("downloadUrl"),
    )


def _team(o: _Obj) -> ResourceTeam:
    return ResourceTeam(
        id=o.text("id"),
        name=o.text("name"),
        activity_description=o.text("activityDescription"),
        prerequisites=o.text("prerequisites"),
        contact_address=o.text("contactAddress"),
        declared_by=o.text("declaredBy"),
        templates=[_template(t) for t in o.objs("templates")],
        created_at=o.datetime("createdAt"),
        declarant_address=o.opt_text("declarantAddress") or "",
        members=[_team_member(m) for m in o.objs("members")] if "members" in o.v else [],
        updated_at=o.opt_datetime("updatedAt"),
    )


def _portal_code(o: _Obj) -> PortalCode:
    return PortalCode(o.text("code"), o.integer("expiresIn"), o.text("url"))


# Issue 13 §3: a patient's filed documents.
def _patient_document(o: _Obj) -> PatientDocument:
    return PatientDocument(
        id=o.text("id"),
        patient_id=o.text("patientId"),
        type_code=o.text("typeCode"),
        type_label=o.text("typeLabel"),
        title=o.text("title"),
        file_name=o.text("fileName"),
        content_type=o.text("contentType"),
        size=o.integer("size"),
        author=o.text("author"),
        author_address=o.opt_text("authorAddress"),
        source=o.text("source"),
        source_id=o.opt_text("sourceId"),
        filed_at=o.datetime("filedAt"),
    )


# Issue 13 §4: équipes ressources (members, limits)


def _team_member(o: _Obj) -> TeamMember:
    return TeamMember(o.text("mssanteAddress"), o.text("name"), o.opt_text("practitionerId"))


def _team_limits(o: _Obj) -> TeamLimits:
    return TeamLimits(
        o.integer("maxTemplateBytes"), o.integer("maxTemplates"), o.integer("maxMembers")
    )


# Favoris (issue 13 §5)


def _favorites(o: _Obj) -> list[FavoriteChange]:
    found = []
    for f in o.objs("favorites"):
        display = f.v.get("display")
        if not isinstance(display, dict):
            raise _Shape("display")
        changed = f.datetime("changedAt")
        if changed.tzinfo is None:
            raise _Shape("changedAt")
        found.append(
            FavoriteChange(
                f.text("address"), display, int(changed.timestamp() * 1000), f.flag("removed")
            )
        )
    return found


# Issue 13 §1 (planedit): the other participants as planning and editing send them
def _participants_wire(people: Sequence[ParticipantInput]) -> list[dict[str, Any]]:
    return [
        _drop_none(
            {
                "accountId": p.account_id,
                "practitionerId": p.practitioner_id,
                "name": p.name,
                "email": p.email,
                "mobile": p.mobile,
            }
        )
        for p in people
    ]


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# --- The client -------------------------------------------------------------------------------


class RegionalClient:
    """The regional API at `base_url` through `http` (which carries the login's auth). `policy`:
    where the account's credentials may go (by default the origin of `base_url` only)."""

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, policy: OriginPolicy | None = None
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._policy = policy or OriginPolicy.for_url(base_url)

    # Patients

    async def search_patients(
        self,
        family: str | None = None,
        birth_date: dt.date | None = None,
        *,
        given: str | None = None,
        ins: str | None = None,
    ) -> PatientMatches:
        """By family name (birth or usual, whole) and birth date, narrowed by the beginning of
        the first name; or by INS. Anything less: PatientSearchTooBroad."""
        params = _drop_none(
            {
                "family": family,
                "birthDate": birth_date.isoformat() if birth_date else None,
                "given": given,
                "ins": ins,
            }
        )
        return self._read(await self._call("GET", "/patients", params=params), _matches)

    async def create_patient(
        self,
        given: str,
        family: str,
        birth_date: dt.date,
        *,
        reason: str,
        sex: Sex = "unknown",
        usual_family: str | None = None,
        ins: str | None = None,
        ins_oid: str | None = None,
        email: str | None = None,
        mobile: str | None = None,
        city: str = "",
    ) -> Patient:
        """Creates the patient's record; I follow the patient for `reason` (a FollowReason
        code)."""
        payload = _drop_none(
            {
                "given": given,
                "family": family,
                "usualFamily": usual_family,
                "birthDate": birth_date.isoformat(),
                "sex": sex,
                "ins": ins,
                "insOid": ins_oid,
                "email": email,
                "mobile": mobile,
                "city": city,
                "followReason": reason,
            }
        )
        return self._read(await self._call("POST", "/patients", json=payload), _patient)

    async def get_patient(self, patient_id: str) -> Patient:
        return self._read(await self._call("GET", f"/patients/{_q(patient_id)}"), _patient)

    async def care_team(self, patient_id: str) -> CareTeam:
        body = await self._call("GET", f"/patients/{_q(patient_id)}/care-team")
        return self._read(body, _care_team)

    async def access_log(
        self, patient_id: str, cursor: str | None = None, limit: int | None = None
    ) -> AccessLogPage:
        """The patient's access journal, newest first (for the patient's followers)."""
        params = _drop_none({"cursor": cursor, "limit": limit})
        body = await self._call("GET", f"/patients/{_q(patient_id)}/access-log", params=params)
        return self._read(body, _access_log)

    async def file_active(self) -> list[Patient]:
        body = await self._call("GET", "/file-active")
        return self._read(body, lambda o: [_patient(p) for p in o.objs("patients")])

    async def follow_reasons(self) -> list[FollowReason]:
        body = await self._call("GET", "/follow-reasons")
        return self._read(
            body,
            lambda o: [FollowReason(r.text("code"), r.text("label")) for r in o.objs("reasons")],
        )

    async def follow_patient(self, patient_id: str, reason: str) -> Patient:
        """Adds the patient to my file active for `reason` (a FollowReason code)."""
        body = await self._call("PUT", f"/file-active/{_q(patient_id)}", json={"reason": reason})
        return self._read(body, _patient)

    async def unfollow_patient(self, patient_id: str) -> None:
        await self._call("DELETE", f"/file-active/{_q(patient_id)}")

    # Teleconsultations

    async def teleconsultations(
        self,
        start_from: dt.date | None = None,
        start_to: dt.date | None = None,
        status: TeleconsultationStatus | None = None,
    ) -> list[Teleconsultation]:
        params = _drop_none(
            {
                "from": start_from.isoformat() if start_from else None,
                "to": start_to.isoformat() if start_to else None,
                "status": status,
            }
        )
        body = await self._call("GET", "/teleconsultations", params=params)
        return self._read(
            body, lambda o: [_teleconsultation(t) for t in o.objs("teleconsultations")]
        )

    async def plan_teleconsultation(self, plan: TeleconsultationPlan) -> Teleconsultation:
        payload = _drop_none(
            {
                "start": plan.start.isoformat(),
                "channels": list(plan.channels),
                "durationMinutes": plan.duration_minutes,
                "end": plan.end.isoformat() if plan.end else None,
                "teleconsultantAccountId": plan.teleconsultant_account_id,
                "teleconsultantPractitionerId": plan.teleconsultant_practitioner_id,
                "onlinePayment": {
                    "amount": plan.online_payment.amount,
                    "currency": plan.online_payment.currency,
                }
                if plan.online_payment
                else None,
                "patientId": plan.patient_id,
                "patientName": plan.patient_name,
                "patientEmail": plan.patient_email,
                "patientMobile": plan.patient_mobile,
                "participants": _participants_wire(plan.participants),
                "motive": plan.motive,
            }
        )
        body = await self._call("POST", "/teleconsultations", json=payload)
        return self._read(body, _teleconsultation)

    async def get_teleconsultation(self, teleconsultation_id: str) -> Teleconsultation:
        body = await self._call("GET", f"/teleconsultations/{_q(teleconsultation_id)}")
        return self._read(body, _teleconsultation)

    async def cancel_teleconsultation(
        self, teleconsultation_id: str, reason: str
    ) -> Teleconsultation:
        body = await self._call(
            "POST",
            f"/teleconsultations/{_q(teleconsultation_id)}/cancel",
            json={"reason": reason},
        )
        return self._read(body, _teleconsultation)

    async def sandbox_invitations(self) -> list[Invitation]:
        """What the sandbox 'sent' (emails and SMS of invitations); sandbox only."""
        body = await self._call("GET", "/sandbox/invitations")
        return self._read(body, lambda o: [_invitation(i) for i in o.objs("invitations")])

    # Delegation of teleconsultation planning

    async def delegates(self) -> list[Delegate]:
        """Who may plan teleconsultations in my name."""
        body = await self._call("GET", "/delegates")
        return self._read(body, lambda o: [_delegate(d) for d in o.objs("delegates")])

    async def add_delegate(
        self, *, address: str | None = None, practitioner_id: str | None = None
    ) -> Delegate:
        """Lets someone plan in my name, named by MSSanté address or directory id."""
        payload = _drop_none({"address": address, "practitionerId": practitioner_id})
        return self._read(await self._call("POST", "/delegates", json=payload), _delegate)

    async def remove_delegate(self, account_id: str) -> None:
        await self._call("DELETE", f"/delegates/{_q(account_id)}")

    async def delegators(self) -> list[Delegate]:
        """The professionals in whose name I may plan (besides my own)."""
        body = await self._call("GET", "/delegators")
        return self._read(body, lambda o: [_delegate(d) for d in o.objs("delegates")])

    # Téléexpertise

    async def expert_profile(self) -> ExpertProfile:
        return self._read(await self._call("GET", "/expert-profile"), _expert_profile)

    async def set_expert_profile(
        self,
        activity_description: str,
        prerequisite_documents: Sequence[str] = (),
        listed_in_directory: bool = True,
        specialties: Sequence[str] = (),
        response_delay_days: int | None = None,
    ) -> ExpertProfile:
        payload = {
            "activityDescription": activity_description,
            "prerequisiteDocuments": list(prerequisite_documents),
            "specialties": list(specialties),
            "responseDelayDays": response_delay_days,
            "listedInDirectory": listed_in_directory,
        }
        body = await self._call("PUT", "/expert-profile", json=payload)
        return self._read(body, _expert_profile)

    async def withdraw_expert_profile(self) -> ExpertProfile:
        return self._read(await self._call("DELETE", "/expert-profile"), _expert_profile)

    async def listed_expert_profile(
        self, *, practitioner_id: str | None = None, address: str | None = None
    ) -> ExpertProfile:
        """A listed expert's profile (prerequisite documents, delay), by id or address."""
        params = _drop_none({"practitionerId": practitioner_id, "address": address})
        body = await self._call("GET", "/experts/profile", params=params)
        return self._read(body, _expert_profile)

    async def teleexpertise_quota(self, patient_id: str) -> Quota:
        body = await self._call("GET", "/teleexpertises/quota", params={"patientId": patient_id})
        return self._read(body, _quota)

    async def teleexpertises(
        self, status: TeleexpertiseStatus | None = None
    ) -> list[Teleexpertise]:
        body = await self._call("GET", "/teleexpertises", params=_drop_none({"status": status}))
        return self._read(body, lambda o: [_teleexpertise(t) for t in o.objs("teleexpertises")])

    async def request_teleexpertise(
        self,
        patient_id: str,
        question: str,
        *,
        expert_practitioner_id: str | None = None,
        expert_address: str | None = None,
        blob_ids: Sequence[str] = (),
        documents: Sequence[TeleexpertiseDocument] = (),
    ) -> Teleexpertise:
        payload = _drop_none(
            {
                "patientId": patient_id,
                "question": question,
                "expertPractitionerId": expert_practitioner_id,
                "expertAddress": expert_address,
                "blobIds": list(blob_ids),
                "documents": [
                    _drop_none({"blobId": d.blob_id, "name": d.name, "typeLabel": d.type_label})
                    for d in documents
                ],
            }
        )
        body = await self._call("POST", "/teleexpertises", json=payload)
        return self._read(body, _teleexpertise)

    async def get_teleexpertise(self, teleexpertise_id: str) -> Teleexpertise:
        body = await self._call("GET", f"/teleexpertises/{_q(teleexpertise_id)}")
        return self._read(body, _teleexpertise)

    async def answer_teleexpertise(self, teleexpertise_id: str, answer: str) -> Teleexpertise:
        body = await self._call(
            "POST", f"/teleexpertises/{_q(teleexpertise_id)}/answer", json={"answer": answer}
        )
        return self._read(body, _teleexpertise)

    async def close_teleexpertise(self, teleexpertise_id: str, report: str) -> Teleexpertise:
        body = await self._call(
            "POST", f"/teleexpertises/{_q(teleexpertise_id)}/close", json={"report": report}
        )
        return self._read(body, _teleexpertise)

    # Équipes ressources

    async def create_resource_team(
        self,
        name: str,
        activity_description: str,
        contact_address: str,
        prerequisites: str = "",
        members: Sequence[str] = (),
    ) -> ResourceTeam:
        payload = {
            "name": name,
            "activityDescription": activity_description,
            "prerequisites": prerequisites,
            "contactAddress": contact_address,
            "members": list(members),
        }
        return self._read(await self._call("POST", "/resource-teams", json=payload), _team)

    async def upload_template(
        self, team_id: str, file_name: str, content: bytes, content_type: str
    ) -> Template:
        body = await self._call(
            "POST",
            f"/resource-teams/{_q(team_id)}/templates",
            files={"file": (file_name, content, content_type)},
        )
        return self._read(body, _template)

    async def resource_teams(self, text: str | None = None) -> list[ResourceTeam]:
        body = await self._call("GET", "/resource-teams", params=_drop_none({"q": text}))
        return self._read(body, lambda o: [_team(t) for t in o.objs("resourceTeams")])

    async def get_resource_team(self, team_id: str) -> ResourceTeam:
        return self._read(await self._call("GET", f"/resource-teams/{_q(team_id)}"), _team)

    async def download_template(self, team_id: str, template_id: str) -> TemplateFile:
        response = await self._send(
            "GET", f"/resource-teams/{_q(team_id)}/templates/{_q(template_id)}"
        )
        return _downloaded(response)

    # Portail

    async def portal_code(
        self, page: PortalPage = "mespatients", ins: str | None = None
    ) -> PortalCode:
        """A one-time code and the portal URL that carries it, to open in the browser. The code
        signs the user in: its URL must be one the account's credentials may go to
        (OriginRefused otherwise)."""
        payload = _drop_none({"page": page, "ins": ins})
        code = self._read(await self._call("POST", "/portal-codes", json=payload), _portal_code)
        self._policy.check(code.url)
        return code

    # Issue 13 §4: équipes ressources edited, withdrawn, left; templates deleted; limits

    async def my_resource_teams(self) -> list[ResourceTeam]:
        """The teams I declared, then those I am a member of."""
        body = await self._call("GET", "/resource-teams", params={"mine": "true"})
        return self._read(body, lambda o: [_team(t) for t in o.objs("resourceTeams")])

    async def update_resource_team(
        self,
        team_id: str,
        *,
        name: str | None = None,
        activity_description: str | None = None,
        prerequisites: str | None = None,
        contact_address: str | None = None,
        members: Sequence[str] | None = None,
    ) -> ResourceTeam:
        """The fields given replace the team's (`members`: the whole list); declarant only."""
        payload = _drop_none(
            {
                "name": name,
                "activityDescription": activity_description,
                "prerequisites": prerequisites,
                "contactAddress": contact_address,
                "members": None if members is None else list(members),
            }
        )
        body = await self._call("PATCH", f"/resource-teams/{_q(team_id)}", json=payload)
        return self._read(body, _team)

    async def withdraw_resource_team(self, team_id: str) -> None:
        await self._call("DELETE", f"/resource-teams/{_q(team_id)}")

    async def leave_resource_team(self, team_id: str) -> None:
        await self._call("DELETE", f"/resource-teams/{_q(team_id)}/membership")

    async def delete_template(self, team_id: str, template_id: str) -> None:
        await self._call("DELETE", f"/resource-teams/{_q(team_id)}/templates/{_q(template_id)}")

    async def team_limits(self) -> TeamLimits:
        return self._read(await self._call("GET", "/resource-team-limits"), _team_limits)

    # Plumbing

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, self._base + path, **kwargs)
        except httpx.HTTPError as exc:
            raise RegionalUnreachable(type(exc).__name__, await tls_reason(exc)) from None
        if response.status_code >= 400:
            raise _error(response)
        return response

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise RegionalError("answer is not JSON") from None

    @staticmethod
    def _read(body: Any, reader: Callable[[_Obj], T]) -> T:
        try:
            return reader(_Obj(body))
        except _Shape as exc:
            raise RegionalError(f"unexpected answer shape ({exc})") from None

    # Issue 13 §3: the documents filed in a patient's record (need-to-know: RegionalForbidden
    # for a professional who neither follows the patient nor is one of the acteurs du dossier).

    async def patient_documents(self, patient_id: str) -> list[PatientDocument]:
        body = await self._call("GET", f"/patients/{_q(patient_id)}/documents")
        return self._read(body, lambda o: [_patient_document(d) for d in o.objs("documents")])

    async def patient_document_file(self, patient_id: str, document_id: str) -> TemplateFile:
        """One filed document's file (its name, type and bytes)."""
        response = await self._send(
            "GET", f"/patients/{_q(patient_id)}/documents/{_q(document_id)}"
        )
        return _downloaded(response)

    # Favoris (issue 13 §5): kept on the server, merged with each computer's

    async def favorites(self) -> list[FavoriteChange]:
        """My favorites on the server, and the traces of those removed."""
        return self._read(await self._call("GET", "/favorites"), _favorites)

    async def send_favorite_changes(
        self, changes: Sequence[FavoriteChange]
    ) -> list[FavoriteChange]:
        """This computer's changes; the answer is the merged list (the latest change wins)."""
        payload = {
            "changes": [
                {
                    "address": c.address,
                    "display": c.display,
                    "changedAt": dt.datetime.fromtimestamp(c.changed_at / 1000, dt.UTC).isoformat(
                        timespec="milliseconds"
                    ),
                    "removed": c.removed,
                }
                for c in changes
            ]
        }
        return self._read(await self._call("POST", "/favorites", json=payload), _favorites)

    # Issue 13 §1 (planedit): editing a teleconsultation

    async def edit_teleconsultation(
        self, teleconsultation_id: str, edit: TeleconsultationEdit
    ) -> Teleconsultation:
        """PATCH: only what `edit` gives is sent (the server tells the participants)."""
        payload: dict[str, Any] = _drop_none(
            {
                "start": edit.start.isoformat() if edit.start else None,
                "durationMinutes": edit.duration_minutes,
                "motive": edit.motive,
                "patientEmail": edit.patient_email,
                "patientMobile": edit.patient_mobile,
                "channels": list(edit.channels) if edit.channels is not None else None,
                "participants": _participants_wire(edit.participants)
                if edit.participants is not None
                else None,
            }
        )
        if edit.payment_changed:
            payment = edit.online_payment
            payload["onlinePayment"] = (
                {"amount": payment.amount, "currency": payment.currency} if payment else None
            )
        body = await self._call(
            "PATCH", f"/teleconsultations/{_q(teleconsultation_id)}", json=payload
        )
        return self._read(body, _teleconsultation)


def _q(value: str) -> str:
    return quote(value, safe="")


def _downloaded(response: httpx.Response) -> TemplateFile:
    """A file the server sends: its name (Content-Disposition), type and bytes."""
    return TemplateFile(
        file_name=_file_name(response.headers.get("content-disposition", "")) or "document",
        content_type=response.headers.get("content-type", "application/octet-stream"),
        content=response.content,
    )


def _file_name(disposition: str) -> str | None:
    """The file name of a Content-Disposition: RFC 8187 `filename*` first, then `filename`."""
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename*" and "''" in value:
            return unquote(value.split("''", 1)[1]) or None
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename":
            return value.strip('"') or None
    return None


def _error(response: httpx.Response) -> RegionalError:
    status = response.status_code
    code, message = "", None
    try:
        body = response.json()
        if isinstance(body, dict):
            raw_code = body.get("error")
            code = raw_code if isinstance(raw_code, str) else ""
            text = body.get("message")
            message = Message.said(text) if isinstance(text, str) and text.strip() else None
    except ValueError:
        pass
    log.info("regional API refused a request: HTTP %d %s", status, code)
    detail = f"HTTP {status} {code}"
    if status == 429:
        return RegionalRateLimited(
            detail, message, status, code, retry_after=_retry_after(response)
        )
    if code == "search_too_broad":
        return PatientSearchTooBroad(detail, message, status, code)
    if status == 403 and code == "not_delegated":
        return NotDelegated(detail, message, status, code)
    if status == 403:
        return RegionalForbidden(detail, message, status, code)
    if message is None:
        message = {
            401: messages.REGIONAL_AUTH_REQUIRED,
            404: messages.REGIONAL_NOT_FOUND,
        }.get(status, messages.REGIONAL_REFUSED)
    return RegionalError(detail, message, status=status, code=code)


def _retry_after(response: httpx.Response) -> int | None:
    """Retry-After in seconds (RFC 9110 §10.2.3; an HTTP date is not worth the guess here)."""
    value = response.headers.get("retry-after", "").strip()
    return int(value) if value.isdigit() and len(value) < 7 else None


__all__ = [
    "AccessActor",
    "AccessLogEntry",
    "AccessLogPage",
    "CareTeam",
    "CareTeamMember",
    "Channel",
    "Delegate",
    "ExpertProfile",
    "FollowReason",
    "Invitation",
    "NotDelegated",
    "Participant",
    "ParticipantInput",
    "Party",
    "Patient",
    "PatientDocument",
    "PatientMatches",
    "PatientSearchTooBroad",
    "Payment",
    "PortalCode",
    "PortalPage",
    "Quota",
    "RegionalClient",
    "RegionalError",
    "RegionalForbidden",
    "RegionalRateLimited",
    "RegionalUnreachable",
    "ResourceTeam",
    "Sex",
    "Teleconsultation",
    "TeleconsultationPlan",
    "TeleconsultationStatus",
    "Teleexpertise",
    "TeleexpertisePatient",
    "TeleexpertiseStatus",
    "Template",
    "TemplateFile",
]
