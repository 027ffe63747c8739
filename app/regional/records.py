"""What the regional services answer, as typed records: patients, care teams, the access
journal, teleconsultations, téléexpertises, équipes ressources, portal codes, and the inputs of
the calls that create them. Qt-free, read by the UI and the CLI alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Sex = Literal["female", "male", "other", "unknown"]
Channel = Literal["email", "sms"]
PortalPage = Literal["mespatients", "telemedecine", "expert"]


class TeleconsultationStatus(StrEnum):
    """Planned until it ends (then done), unless cancelled: the server's three values."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    """The online payment asked of the patient: waiting for the patient, or paid."""

    PENDING = "pending"
    PAID = "paid"


class TeleexpertiseStatus(StrEnum):
    """Requested of the expert, answered by the expert, closed with the compte rendu."""

    REQUESTED = "requested"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class Patient:
    id: str
    ins: str | None
    ins_oid: str | None
    ins_ihe: str | None
    given: str
    family: str  # the birth name
    usual_family: str | None
    birth_date: dt.date
    sex: str
    email: str | None  # contact details: only for a follower, else None (and "" for the city)
    mobile: str | None
    city: str
    in_file_active: bool


@dataclass(frozen=True)
class PatientMatches:
    """A search's identities (at most 20); `truncated`: more patients match, narrow it."""

    patients: list[Patient]
    truncated: bool


@dataclass(frozen=True)
class FollowReason:
    code: str
    label: str


@dataclass(frozen=True)
class AccessActor:
    name: str
    mssante_address: str | None
    profession: str | None
    specialty: str | None


@dataclass(frozen=True)
class AccessLogEntry:
    at: dt.datetime
    action: str  # search, read, care_team, portal, follow, unfollow, create, filed, documents…
    actor: AccessActor
    reason: str | None
    reason_label: str | None


@dataclass(frozen=True)
class AccessLogPage:
    """Newest first; `next_cursor` gives the next (older) page, None at the end."""

    patient_id: str
    entries: list[AccessLogEntry]
    next_cursor: str | None


@dataclass(frozen=True)
class CareTeamMember:
    practitioner_id: str | None
    name: str
    profession: str | None
    profession_code: str | None
    specialty: str | None
    specialty_code: str | None
    mssante_address: str | None


@dataclass(frozen=True)
class CareTeam:
    patient_id: str
    members: list[CareTeamMember]


@dataclass(frozen=True)
class Payment:
    amount: float
    currency: str = "EUR"


@dataclass(frozen=True)
class Participant:
    role: str
    name: str
    account_id: str | None
    practitioner_id: str | None
    patient_id: str | None
    email: str | None
    mobile: str | None
    join_url: str | None


@dataclass(frozen=True)
class Teleconsultation:
    id: str
    status: TeleconsultationStatus
    start: dt.datetime
    end: dt.datetime
    duration_minutes: int
    motive: str
    teleconsultant: Participant
    planner: Participant
    patient: Participant
    participants: list[Participant]
    channels: list[str]
    online_payment: Payment | None
    join_url: str | None
    cancel_reason: str | None
    created_at: dt.datetime
    can_manage: bool  # the server says I may edit and cancel it
    payment_status: PaymentStatus | None = None  # None when no payment was asked


@dataclass(frozen=True)
class Delegate:
    """Someone in a delegation of teleconsultation planning: a person who may plan in my name, or
    a professional in whose name I may plan."""

    account_id: str
    name: str
    mssante_address: str
    practitioner_id: str | None
    since: dt.datetime


@dataclass(frozen=True)
class Invitation:
    id: str
    teleconsultation_id: str
    kind: str
    channel: str
    recipient: str
    recipient_name: str
    subject: str | None
    text: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class ExpertProfile:
    declared: bool
    activity_description: str
    prerequisite_documents: list[str]
    listed_in_directory: bool
    updated_at: dt.datetime | None
    specialties: list[str] = field(default_factory=list)  # TRE_R38 codes offered
    response_delay_days: int | None = None


@dataclass(frozen=True)
class Party:
    account_id: str
    name: str
    mssante_address: str


@dataclass(frozen=True)
class TeleexpertisePatient:
    id: str
    name: str
    ins: str | None
    birth_date: dt.date


@dataclass(frozen=True)
class TeleexpertiseDocument:
    """A document joined to a request: its file name and its type's label (JDV_J07)."""

    blob_id: str
    name: str
    type_label: str | None


@dataclass(frozen=True)
class Teleexpertise:
    id: str
    status: TeleexpertiseStatus
    requester: Party
    expert: Party
    patient: TeleexpertisePatient
    question: str
    answer: str | None
    report: str | None
    report_type_code: str | None
    report_blob_id: str | None
    blob_ids: list[str]
    message_id: str
    thread_id: str | None
    year: int
    created_at: dt.datetime
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    documents: list[TeleexpertiseDocument] = field(default_factory=list)


@dataclass(frozen=True)
class Quota:
    patient_id: str
    year: int
    limit: int
    used: int
    remaining: int


@dataclass(frozen=True)
class Template:
    id: str
    file_name: str
    content_type: str
    size: int
    download_url: str


@dataclass(frozen=True)
class TeamMember:
    """A professional of an équipe ressource, by MSSanté address (the name the directory gives)."""

    mssante_address: str
    name: str
    practitioner_id: str | None = None


@dataclass(frozen=True)
class TeamLimits:
    """What the server accepts of a team: said before an upload, not learnt from its refusal."""

    max_template_bytes: int
    max_templates: int
    max_members: int


@dataclass(frozen=True)
class ResourceTeam:
    id: str
    name: str
    activity_description: str
    prerequisites: str
    contact_address: str
    declared_by: str
    templates: list[Template]
    created_at: dt.datetime
    declarant_address: str = ""  # only the declarant edits the team and withdraws it
    members: list[TeamMember] = field(default_factory=list)
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class TemplateFile:
    file_name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class PortalCode:
    code: str
    expires_in: int
    url: str


# --- Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantInput:
    """Another participant: a platform account, a directory professional, or free text."""

    account_id: str | None = None
    practitioner_id: str | None = None
    name: str | None = None
    email: str | None = None
    mobile: str | None = None


@dataclass(frozen=True)
class TeleconsultationPlan:
    start: dt.datetime  # naive = Paris time, as the server reads it
    channels: Sequence[Channel]
    duration_minutes: int | None = None
    end: dt.datetime | None = None
    teleconsultant_account_id: str | None = None  # a secretary plans for a professional
    teleconsultant_practitioner_id: str | None = None
    online_payment: Payment | None = None
    patient_id: str | None = None
    patient_name: str | None = None
    patient_email: str | None = None
    patient_mobile: str | None = None
    participants: Sequence[ParticipantInput] = field(default_factory=tuple)
    motive: str = ""


@dataclass(frozen=True)
class TeleconsultationEdit:
    """What changes in a planned teleconsultation; None leaves a field as it is. An e-mail or
    mobile given as "" removes it; `online_payment` is sent only when `payment_changed` (None
    then withdraws the request); `participants` replaces the other participants."""

    start: dt.datetime | None = None  # naive = Paris time
    duration_minutes: int | None = None
    motive: str | None = None
    payment_changed: bool = False
    online_payment: Payment | None = None
    patient_email: str | None = None
    patient_mobile: str | None = None
    channels: Sequence[Channel] | None = None
    participants: Sequence[ParticipantInput] | None = None


__all__ = [
    "AccessActor",
    "AccessLogEntry",
    "AccessLogPage",
    "CareTeam",
    "CareTeamMember",
    "Channel",
    "ExpertProfile",
    "FollowReason",
    "Invitation",
    "Participant",
    "ParticipantInput",
    "Party",
    "Patient",
    "PatientMatches",
    "Payment",
    "PaymentStatus",
    "PortalCode",
    "PortalPage",
    "Quota",
    "ResourceTeam",
    "Sex",
    "Teleconsultation",
    "TeleconsultationEdit",
    "TeleconsultationPlan",
    "TeleconsultationStatus",
    "Teleexpertise",
    "TeleexpertisePatient",
    "TeleexpertiseStatus",
    "Template",
    "TemplateFile",
]


# Issue 13 §3: the documents filed in a patient's record on the regional service.


@dataclass(frozen=True)
class PatientDocument:
    """A document filed in the patient's record (the compte rendu of a téléexpertise…)."""

    id: str
    patient_id: str
    type_code: str  # LOINC (JDV_J07)
    type_label: str
    title: str
    file_name: str
    content_type: str
    size: int
    author: str
    author_address: str | None
    source: str  # "teleexpertise"
    source_id: str | None
    filed_at: dt.datetime


# Issue 13 §5: favorites kept on the server ----------------------------------------------------


@dataclass(frozen=True)
class FavoriteChange:
    """A favorite as a computer and the server exchange it: added or removed (`removed`), when
    the user did it (`changed_at`, epoch ms), and the card shown (opaque JSON)."""

    address: str
    display: dict[str, object]
    changed_at: int
    removed: bool = False
