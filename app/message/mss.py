"""The MSSanté conventions of an outgoing message (DESIGN §2.5, ANS "Référentiel #2 – clients de
messageries sécurisées de santé" v1.0.1): the X-MSS-* headers, the subject and PDF names of a
message about a patient, and the rules of patient mailboxes (Mon espace santé).

Other MSSanté clients, patient software and Mon espace santé read these headers and names to file
what they receive; they are written only when they are true (X-MSS-CODECDA and X-MSS-INS only when
the message carries CDA documents about one patient).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app import messages
from app.message import doctypes
from app.message.patient import PatientIdentity, identity_text, normalize_ins
from app.messages import Message

NIL_HEADER = "X-MSS-NIL"
CODECDA_HEADER = "X-MSS-CODECDA"
INS_HEADER = "X-MSS-INS"
MES_HEADER = "X-MSS-MES"
NO_REPLY = "FIN"  # X-MSS-MES: the patient cannot answer
SUBJECT_PREFIX = "XDM/1.0/DDM+"
PATIENT_DOMAIN = "patient.mssante.fr"
# Mon espace santé refuses a message heavier than this, all its parts together.
PATIENT_MAILBOX_MAX_BYTES = 25 * 1024 * 1024
# The media types a CDA "N1" may carry as its nonXMLBody (CI-SIS, volet structuration minimale).
CDA_MEDIA_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/tiff", "text/plain", "text/rtf"}
)

_PREFIX = re.compile(r"^\s*XDM/1\.0/DDM\+\s*", re.IGNORECASE)
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def is_patient_mailbox(email: str) -> bool:
    """True for a patient's Mon espace santé mailbox `<INS>@patient.mssante.fr`."""
    return email.rpartition("@")[2].strip().lower() == PATIENT_DOMAIN


def mailbox_ins(email: str) -> str | None:
    """The INS a patient mailbox is named after (None when it is not one, or malformed)."""
    if not is_patient_mailbox(email):
        return None
    return normalize_ins(email.rpartition("@")[0])


def wraps_in_cda(patient: PatientIdentity | None, type_code: str | None, mime_type: str) -> bool:
    """True when a document goes as a CDA R2 N1 in the IHE_XDM.ZIP: a patient with an INS (the
    CDA header needs it), a LOINC type (its `code`) and a media type a nonXMLBody may carry."""
    known = doctypes.by_code(type_code)
    return (
        patient is not None
        and patient.ins is not None
        and patient.oid is not None
        and known is not None
        and known.is_loinc
        and mime_type.lower() in CDA_MEDIA_TYPES
    )


@dataclass(frozen=True)
class TypedDocument:
    """What the conventions need of a document: its type code and media type."""

    type_code: str | None
    mime_type: str


def cda_codes(patient: PatientIdentity | None, documents: Sequence[TypedDocument]) -> list[str]:
    """The LOINC codes of the CDA documents of a message, in order, each once."""
    codes = [
        d.type_code
        for d in documents
        if d.type_code is not None and wraps_in_cda(patient, d.type_code, d.mime_type)
    ]
    return list(dict.fromkeys(codes))


def mss_headers(
    nil: str,
    patient: PatientIdentity | None,
    documents: Sequence[TypedDocument],
    patient_cannot_reply: bool = False,
) -> dict[str, str]:
    """The X-MSS-* headers of a message, in the order they are written: X-MSS-NIL when the
    deployment has a product reference; X-MSS-CODECDA and X-MSS-INS only when CDA documents about
    the patient go with it; X-MSS-MES: FIN when the patient must not answer."""
    headers: dict[str, str] = {}
    if nil.strip():
        headers[NIL_HEADER] = nil.strip()
    codes = cda_codes(patient, documents)
    if codes and patient is not None:
        headers[CODECDA_HEADER] = ",".join(codes)
        headers[INS_HEADER] = "O" if patient.is_qualified else "N"
    if patient_cannot_reply:
        headers[MES_HEADER] = NO_REPLY
    return headers


def birth_text(patient: PatientIdentity) -> str:
    return patient.birth_date.strftime("%d/%m/%Y") if patient.birth_date else ""


def default_subject(patient: PatientIdentity, type_codes: Sequence[str | None]) -> str:
    """`XDM/1.0/DDM+<type> <NOM> <prénom> <date de naissance>`: the subject of a message about a
    patient the user left without one (the type is the first document's)."""
    label = doctypes.label_of(type_codes[0] if type_codes else None)
    parts = [label, patient.family.upper(), patient.given, birth_text(patient)]
    return SUBJECT_PREFIX + " ".join(p for p in parts if p)


def shown_subject(subject: str) -> str:
    """A received subject as lists and the reader show it: without the `XDM/1.0/DDM+` prefix."""
    return _PREFIX.sub("", subject, count=1)


def _name_piece(text: str) -> str:
    """A piece of a file name: accents dropped, anything but letters and digits as one hyphen."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NAME_UNSAFE.sub("-", plain).strip("-")


def pdf_name(day: dt.date, type_code: str | None, patient: PatientIdentity) -> str:
    """`<date>_<type>_<NOM>_<prénom>.pdf`, e.g. `20261207_Ordonnance_DUPONT_Marie.pdf`."""
    label = _name_piece(doctypes.label_of(type_code))
    family = _name_piece(patient.family).upper()
    given = _name_piece(patient.given)
    given = given[:1].upper() + given[1:]
    return "_".join(p for p in (day.strftime("%Y%m%d"), label, family, given) if p) + ".pdf"


def unique_names(names: Sequence[str]) -> list[str]:
    """`names` with a counter added where two would be the same (`…_2.pdf`)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        count = seen.get(name.lower(), 0) + 1
        seen[name.lower()] = count
        stem, dot, ext = name.rpartition(".")
        if count == 1:
            out.append(name)
        else:
            out.append(f"{stem}_{count}.{ext}" if dot else f"{name}_{count}")
    return out


@dataclass(frozen=True)
class PatientMailboxCheck:
    """What the rules of patient mailboxes say of a message's recipients and patient."""

    mailboxes: tuple[str, ...]  # the patient mailboxes among the recipients
    other_patient: bool  # a mailbox of another patient than the message's, or of two patients
    no_patient: bool  # a patient mailbox, and no patient chosen
    not_qualified: bool  # the message's patient has no qualified INS

    @property
    def ok(self) -> bool:
        return not (self.other_patient or self.no_patient or self.not_qualified)

    def refusal(self, patient: PatientIdentity | None) -> Message | None:
        """What to tell the user when the message cannot go as it is (None: it can)."""
        if self.no_patient or patient is None:
            return messages.PATIENT_MAILBOX_NO_PATIENT.fill(address=self.mailboxes[0])
        ins = normalize_ins(patient.ins or "")
        name = identity_text(patient.family, patient.given, None, patient.sex)  # "DUPONT Marie"
        if self.other_patient:
            other = next((m for m in self.mailboxes if mailbox_ins(m) != ins), self.mailboxes[0])
            return messages.PATIENT_MAILBOX_OTHER_PATIENT.fill(address=other, patient=name)
        if self.not_qualified:
            return messages.PATIENT_MAILBOX_NOT_QUALIFIED.fill(patient=name)
        return None


def check_patient_mailboxes(
    recipients: Sequence[str], patient: PatientIdentity | None
) -> PatientMailboxCheck:
    """One patient per message, and a patient's mailbox only from a qualified INS."""
    mailboxes = tuple(r for r in recipients if is_patient_mailbox(r))
    if not mailboxes:
        return PatientMailboxCheck((), False, False, False)
    named = {mailbox_ins(m) for m in mailboxes}
    ins = normalize_ins(patient.ins) if patient and patient.ins else None
    return PatientMailboxCheck(
        mailboxes,
        other_patient=len(named) > 1 or (patient is not None and named != {ins}),
        no_patient=patient is None,
        not_qualified=patient is not None and not patient.is_qualified,
    )
