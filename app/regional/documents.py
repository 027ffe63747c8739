"""The documents about a patient that Mes patients lists (issue 13 §3): those filed in the patient's
record on the regional service (the compte rendu of a téléexpertise…) and those received by
message about the patient, which the local cache keeps. Offline, or when the record cannot be
read (a patient I do not follow), the cached ones still list, and the list says why the others
are missing. A document in both (the compte rendu filed and sent in the conversation) is listed
once, as the record's.

Opening one gives a private copy for the system's viewer: a filed document is downloaded from
the record, a message's comes from the cache (or the mail server), as the reader opens it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from app.errors import CoreError
from app.message import doctypes
from app.regional.records import Patient, PatientDocument
from app.regional.service import Connect, RegionalService
from app.store.patient_documents import ReceivedDocument

Received = Callable[[str], list[ReceivedDocument]]  # a patient's INS → the cached documents
CopyOf = Callable[[bytes, str, str], Awaitable[Path]]  # bytes, name, type → private copy
OpenReceived = Callable[[str, str, str, int], Awaitable[Path]]  # blob, name, type, size → copy


@dataclass(frozen=True)
class DocumentAbout:
    """One document about the patient: filed in the record (`filed`) or received by message
    (`blob_id`, `subject`)."""

    title: str
    type_label: str
    at: dt.datetime
    author: str
    file_name: str
    content_type: str
    size: int
    filed: PatientDocument | None = None
    blob_id: str | None = None
    subject: str = ""
    offline: bool = False  # a message's document whose content the cache has

    @property
    def in_record(self) -> bool:
        return self.filed is not None


@dataclass(frozen=True)
class PatientDocuments:
    patient_id: str
    documents: list[DocumentAbout]
    record_unavailable: CoreError | None = None  # why the record's documents are not listed


class PatientDocumentsService(RegionalService):
    """`session.patient_documents`."""

    def __init__(
        self,
        connect: Connect,
        online: Callable[[], bool],
        received: Received,
        copy_of: CopyOf,
        open_received: OpenReceived,
    ) -> None:
        super().__init__(connect, online)
        self._received = received
        self._copy_of = copy_of
        self._open_received = open_received

    async def documents(self, patient: Patient) -> PatientDocuments:
        """The record's documents and the cached ones, newest first."""
        cached = [_of_message(d) for d in self._received(patient.ins)] if patient.ins else []
        try:
            filed = await (await self.client()).patient_documents(patient.id)
        except CoreError as error:
            return PatientDocuments(patient.id, cached, error)
        in_record = [_of_record(d) for d in filed]
        kept = {(d.file_name, d.size) for d in in_record}
        rest = [d for d in cached if (d.file_name, d.size) not in kept]
        together = sorted([*in_record, *rest], key=lambda d: d.at, reverse=True)
        return PatientDocuments(patient.id, together)

    async def open(self, document: DocumentAbout) -> Path:
        """A private copy of the document for the system's viewer (RunsCode for a program)."""
        if document.filed is not None:
            filed = document.filed
            got = await (await self.client()).patient_document_file(filed.patient_id, filed.id)
            return await self._copy_of(got.content, filed.file_name, filed.content_type)
        assert document.blob_id is not None
        return await self._open_received(
            document.blob_id, document.file_name, document.content_type, document.size
        )


def _of_record(d: PatientDocument) -> DocumentAbout:
    return DocumentAbout(
        title=d.title,
        type_label=d.type_label,
        at=d.filed_at,
        author=d.author,
        file_name=d.file_name,
        content_type=d.content_type,
        size=d.size,
        filed=d,
    )


def _of_message(d: ReceivedDocument) -> DocumentAbout:
    known = doctypes.by_label(d.doc_type)
    name = d.name or "document"
    sender = d.sender
    return DocumentAbout(
        title=name,
        type_label=known.label if known else (d.doc_type or doctypes.OTHER.label),
        at=d.received_at,
        author=(sender.name or sender.email) if sender else "",
        file_name=name,
        content_type=d.type,
        size=d.size,
        blob_id=d.blob_id,
        subject=d.subject,
        offline=d.cached,
    )


__all__ = ["DocumentAbout", "PatientDocuments", "PatientDocumentsService"]
