"""A message being written, as the composer keeps it in the encrypted cache between two sessions:
typed here so that the format has one writer and one reader, and a version that is read.

Drafts stay on this computer (app/store/drafts.py, the `unsent` file a cache rebuild never
touches); the server's Drafts mailbox only ever holds a message the outbox is sending. A stored
draft is a JSON object with its format version in "v". Reading upgrades an older version step by
step (UPGRADES, app/versioned.py) and, within a version, is tolerant: a field damaged or left out
gives its default instead of losing the whole draft. A version this build does not know (written
by a newer build, then the user went back) is refused with DraftUnreadable and the draft is left as
it is in the cache: the composer does not open it, so it cannot overwrite it.

Version 1 is the format the composer has written since drafts exist; `to_stored` still writes it
byte for byte (tests/app/data/draft-v1.json was saved by that composer), so an older build reads
what this one saves.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from app import messages
from app.errors import CoreError
from app.message import doctypes
from app.message.compose import (
    OutgoingAttachment,
    OutgoingMessage,
    domain_of,
    new_message_id,
    with_conventions,
)
from app.message.mss import is_patient_mailbox
from app.message.patient import PatientIdentity, Sex
from app.remote.regional import Patient
from app.store.records import (
    Address,
    EmailRecord,
    PatientRef,
    addresses_from_json,
    addresses_to_json,
)
from app.versioned import Migration, upgrade

log = logging.getLogger("monsisra.drafts")

VERSION = 1
# UPGRADES[n] turns a version-n draft into a version-(n+1) one. Never edit a shipped step.
UPGRADES: dict[int, Migration] = {}

_SEXES = ("female", "male", "other", "unknown")


class DraftUnreadable(CoreError):
    message = messages.DRAFT_UNREADABLE


@dataclass(frozen=True)
class ChosenPatient:
    """A patient picked for a message: the regional id (for the care team) and the identity."""

    id: str | None
    identity: PatientIdentity

    @classmethod
    def of(cls, patient: Patient) -> ChosenPatient:
        sex = patient.sex if patient.sex in _SEXES else "unknown"
        return cls(
            patient.id,
            PatientIdentity(
                ins=patient.ins,
                oid=patient.ins_oid,
                given=patient.given,
                family=patient.family,
                birth_date=patient.birth_date,
                sex=cast(Sex, sex),
            ),
        )

    @classmethod
    def of_ref(cls, ref: PatientRef) -> ChosenPatient:
        """The patient of a message being answered (no regional id: no care team)."""
        return cls(
            None,
            PatientIdentity(ref.ins, ref.oid, ref.given or "", ref.family or "", ref.birth_date),
        )

    def to_stored(self) -> dict[str, Any]:
        p = self.identity
        return {
            "id": self.id,
            "ins": p.ins,
            "oid": p.oid,
            "given": p.given,
            "family": p.family,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "sex": p.sex,
        }

    @classmethod
    def from_stored(cls, data: object) -> ChosenPatient | None:
        """Tolerant: a damaged patient (no family name) gives no patient."""
        if not isinstance(data, dict) or not isinstance(data.get("family"), str):
            return None
        try:
            born = dt.date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None
        except (TypeError, ValueError):
            born = None
        sex = data.get("sex") if data.get("sex") in _SEXES else "unknown"

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        return cls(
            text("id"),
            PatientIdentity(
                ins=text("ins"),
                oid=text("oid"),
                given=text("given") or "",
                family=data["family"],
                birth_date=born,
                sex=cast(Sex, sex),
            ),
        )


@dataclass(frozen=True)
class DraftDocument:
    """A file inserted in the message (it stays where it is until sending) and its type."""

    path: Path
    type_code: str  # a doctypes code


@dataclass(frozen=True)
class Draft:
    """Everything the composer shows: recipients, subject, text, patient, typed documents, and
    the Message-IDs a reply answers (In-Reply-To, References), and the server draft it continues
    (`replaces`: a draft of the Drafts mailbox, written elsewhere, destroyed once this one is
    sent)."""

    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    subject: str = ""
    body: str = ""
    patient: ChosenPatient | None = None
    documents: tuple[DraftDocument, ...] = ()
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    replaces: str | None = None

    @classmethod
    def resuming(cls, record: EmailRecord) -> Draft:
        """A draft of the server's Drafts mailbox (written on the web or another computer) as
        the composer takes it up: its documents are added by the composer (fetched copies)."""
        return cls(
            to=tuple(record.to),
            cc=tuple(record.cc),
            subject=record.subject,
            body=record.text_body or record.preview,
            patient=ChosenPatient.of_ref(record.patient) if record.patient else None,
            in_reply_to=tuple(record.in_reply_to),
            references=tuple(record.references),
            replaces=record.id,
        )

    def is_empty(self) -> bool:
        """Nothing worth keeping (an emptied draft is deleted, not saved)."""
        return not (
            self.to
            or self.cc
            or self.subject.strip()
            or self.body.strip()
            or self.patient
            or self.documents
        )

    def to_stored(self) -> dict[str, Any]:
        """The JSON object kept in the cache (version VERSION). "replaces" is written only when
        there is one: a draft of this computer's own is saved as version 1 always was (an older
        build reading one that has it ignores it, and keeps the server draft)."""
        stored = {
            "v": VERSION,
            "to": addresses_to_json(list(self.to)),
            "cc": addresses_to_json(list(self.cc)),
            "subject": self.subject,
            "body": self.body,
            "patient": self.patient.to_stored() if self.patient else None,
            "documents": [{"path": str(d.path), "type_code": d.type_code} for d in self.documents],
            "in_reply_to": list(self.in_reply_to),
            "references": list(self.references),
        }
        if self.replaces:
            stored["replaces"] = self.replaces
        return stored

    @classmethod
    def from_stored(
        cls,
        doc: object,
        upgrades: Mapping[int, Migration] | None = None,
        version: int = VERSION,
    ) -> Draft:
        """The draft a stored object holds, whatever version wrote it up to `version`.

        Raises DraftUnreadable for a version above `version` (or not a version at all): the caller
        leaves the stored draft alone."""
        if not isinstance(doc, dict):
            raise DraftUnreadable("stored draft is not an object")
        found = doc.get("v", 1)  # "v" has been written since the first draft; 1 if it went missing
        if not isinstance(found, int) or isinstance(found, bool) or not 1 <= found <= version:
            shown = found if isinstance(found, int) else type(found).__name__  # no stored text
            raise DraftUnreadable(f"draft format version {shown} unknown to this build")
        data = upgrade(dict(doc), found, version, UPGRADES if upgrades is None else upgrades, log)
        return cls(
            to=tuple(addresses_from_json(data.get("to"))),
            cc=tuple(addresses_from_json(data.get("cc"))),
            subject=str(data.get("subject") or ""),
            body=str(data.get("body") or ""),
            patient=ChosenPatient.from_stored(data.get("patient")),
            documents=tuple(_documents(data.get("documents"))),
            in_reply_to=_strings(data.get("in_reply_to")),
            references=_strings(data.get("references")),
            replaces=data["replaces"] if isinstance(data.get("replaces"), str) else None,
        )


def _documents(items: object) -> list[DraftDocument]:
    """The documents with a path; a type this build does not know becomes "Autre"."""
    if not isinstance(items, list):
        return []
    found: list[DraftDocument] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        code = str(item.get("type_code") or doctypes.OTHER_CODE)
        found.append(
            DraftDocument(
                Path(item["path"]), code if doctypes.by_code(code) else doctypes.OTHER_CODE
            )
        )
    return found


def _strings(items: object) -> tuple[str, ...]:
    return tuple(s for s in items if isinstance(s, str)) if isinstance(items, list) else ()


def outgoing(
    draft: Draft,
    attachments: list[OutgoingAttachment],
    me: Address,
    *,
    patient_cannot_reply: bool = False,
    read_receipt: bool = False,
) -> OutgoingMessage:
    """The message to send, from what the composer shows (`draft`) and its documents, named as
    MSSanté asks when it is about a patient (subject, PDF names: `with_conventions`), and whether
    it asks for a read receipt; `patient_cannot_reply` only counts for a message to a patient's
    mailbox (X-MSS-MES: FIN). The composer and `monsisra-cli send` both build their message here."""
    to_patient = any(is_patient_mailbox(a.email) for a in (*draft.to, *draft.cc))
    message = OutgoingMessage(
        from_=me,
        to=list(draft.to),
        cc=list(draft.cc),
        subject=draft.subject.strip(),
        text=draft.body,
        patient=draft.patient.identity if draft.patient else None,
        attachments=attachments,
        in_reply_to=list(draft.in_reply_to),
        references=list(draft.references),
        message_id=new_message_id(domain_of(me.email)),
        patient_cannot_reply=patient_cannot_reply and to_patient,
        read_receipt=read_receipt,
    )
    return with_conventions(message, dt.date.today())
