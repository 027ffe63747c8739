"""What the directory stores, as plain records: the demo generator writes them, the store reads."""

from __future__ import annotations

from dataclasses import dataclass, field

# TRE_R257-TypeBAL: a person's box, an organisation's (service) box, an application's box.
MAILBOX_PERSON = "PER"
MAILBOX_ORGANIZATION = "ORG"
MAILBOX_APPLICATION = "APP"
MAILBOX_CABINET = "CAB"


@dataclass(frozen=True)
class Mailbox:
    email: str
    kind: str  # PER, CAB, ORG or APP
    label: str = ""  # "Secrétariat de cardiologie"
    # "Liste rouge": the holder asked not to be listed; served flagged, never shown by clients.
    liste_rouge: bool = False


@dataclass
class OrganizationRecord:
    id: str
    name: str
    kind: str  # chu, ch, clinique, cabinet, pharmacie, laboratoire, centre-sante, ehpad
    finess: str
    insee: str
    city: str
    postal_code: str
    departement: str
    line: str
    lat: float
    lon: float
    phone: str = ""
    services: list[str] = field(default_factory=list)
    mailboxes: list[Mailbox] = field(default_factory=list)


@dataclass
class PractitionerRecord:
    id: str
    rpps: str
    prefix: str
    given: str
    family: str
    gender: str  # "female" | "male"
    email: str  # MSSanté address (PER box)
    profession: str  # TRE_G15
    specialty: str | None  # TRE_R38
    expert: bool = False


@dataclass
class RoleRecord:
    id: str
    practitioner_id: str
    organization_id: str
    service: str = ""
    competences: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DirectoryEntry:
    """What the mail and regional areas need to know about an MSSanté address."""

    email: str
    kind: str  # PER, ORG or APP
    name: str  # "Dr Karim Benali" or "Secrétariat de cardiologie — CHU de Lyon"
    practitioner_id: str | None
    profession_code: str | None
    profession: str | None
    specialty_code: str | None
    specialty: str | None
    organization_id: str | None
    organization: str | None
    expert: bool
