"""The documents filed in a patient's record on the regional service (issue 13 §3): today the
compte rendu that closes a téléexpertise, with its type, title, date, author and source.

They are part of the record, so the record's need-to-know rule holds: the professionals who follow
the patient and the "acteurs du dossier" (the care team, which a téléexpertise's two parties join
when its compte rendu is filed) list and download them; anyone else is refused. Filing, listing
and downloading each write an entry in the patient's access journal (access_log.py), in the same
transaction. The content is a blob of the blob store, owned by the account that filed it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from server.accounts import Account
from server.documents.xdm import TYPE_LABELS
from server.regional import access_log
from server.regional.common import new_id, to_datetime
from server.regional.errors import forbidden, not_found
from server.regional.models import PatientDocument
from server.regional.patients import UNKNOWN_PATIENT

if TYPE_CHECKING:
    from server.context import Sandbox

DocumentSource = Literal["teleexpertise"]
NO_NEED_TO_KNOW = (
    "Ajoutez ce patient à votre file active pour voir les documents déposés dans son dossier."
)


@dataclass(frozen=True)
class NewDocument:
    type_code: str  # LOINC (JDV_J07)
    title: str
    file_name: str
    content_type: str
    data: bytes
    source: DocumentSource
    source_id: str


@dataclass(frozen=True)
class DocumentFile:
    file_name: str
    content_type: str
    data: bytes


class PatientDocuments:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def file(
        self,
        conn: sqlite3.Connection,
        patient_id: str,
        document: NewDocument,
        author: Account,
        at: int,
    ) -> str:
        """Files `document` inside the caller's write transaction; returns its id."""
        blob = self._sandbox.blobs.put_bytes(conn, author.id, document.data, document.content_type)
        document_id = new_id("doc")
        conn.execute(
            "INSERT INTO regional_patient_documents (id, patient_id, type_code, title, file_name, "
            "content_type, size, blob_id, author_account_id, author_name, author_address, "
            "source, source_id, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document_id,
                patient_id,
                document.type_code,
                document.title,
                document.file_name,
                document.content_type,
                len(document.data),
                blob.id,
                author.id,
                author.display_name,
                author.email,
                document.source,
                document.source_id,
                at,
            ),
        )
        access_log.record(conn, author.id, patient_id, "filed", at=at)
        return document_id

    def listing(self, account: Account, patient_id: str) -> list[PatientDocument]:
        """The patient's documents, newest first, for those who need to know (journaled)."""
        with self._sandbox.db.write() as conn:
            self._check(conn, account, patient_id)
            access_log.record(conn, account.id, patient_id, "documents")
            return self.of_patient(conn, patient_id)

    def content(self, account: Account, patient_id: str, document_id: str) -> DocumentFile:
        """One document's file, for those who need to know (journaled)."""
        with self._sandbox.db.write() as conn:
            self._check(conn, account, patient_id)
            row = conn.execute(
                "SELECT file_name, content_type, blob_id FROM regional_patient_documents "
                "WHERE id = ? AND patient_id = ?",
                (document_id, patient_id),
            ).fetchone()
            if row is None:
                raise not_found("Ce document n'est pas dans le dossier de ce patient.")
            access_log.record(conn, account.id, patient_id, "document")
        data = self._sandbox.blobs.read_bytes(row["blob_id"])
        return DocumentFile(row["file_name"], row["content_type"], data)

    def portal_listing(self, patient_id: str) -> list[PatientDocument]:
        """For the portal's patient file, whose opening checked and journaled the access."""
        with self._sandbox.db.read() as conn:
            return self.of_patient(conn, patient_id)

    def portal_content(self, account: Account, ins: str | None, document_id: str) -> DocumentFile:
        """A download from the portal's patient file, whose address names the patient by INS."""
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT id FROM regional_patients WHERE ins = ?", (ins or "",)
            ).fetchone()
        if row is None:
            raise not_found(UNKNOWN_PATIENT)
        return self.content(account, row["id"], document_id)

    @staticmethod
    def of_patient(conn: sqlite3.Connection, patient_id: str) -> list[PatientDocument]:
        """The documents as they are, for a caller that checked and journaled the access."""
        rows = conn.execute(
            "SELECT * FROM regional_patient_documents WHERE patient_id = ? "
            "ORDER BY filed_at DESC, id",
            (patient_id,),
        ).fetchall()
        return [_model(r) for r in rows]

    @staticmethod
    def _check(conn: sqlite3.Connection, account: Account, patient_id: str) -> None:
        if not conn.execute(
            "SELECT 1 FROM regional_patients WHERE id = ?", (patient_id,)
        ).fetchone():
            raise not_found(UNKNOWN_PATIENT)
        if not may_read(conn, account, patient_id):
            raise forbidden(NO_NEED_TO_KNOW)


def may_read(conn: sqlite3.Connection, account: Account, patient_id: str) -> bool:
    """The record's need-to-know: I follow the patient, or I am one of the acteurs du dossier."""
    row = conn.execute(
        "SELECT 1 FROM regional_file_active WHERE account_id = ? AND patient_id = ? "
        "UNION ALL SELECT 1 FROM regional_care_team WHERE patient_id = ? "
        "AND (account_id = ? OR lower(email) = lower(?)) LIMIT 1",
        (account.id, patient_id, patient_id, account.id, account.email),
    ).fetchone()
    return row is not None


def _model(row: sqlite3.Row) -> PatientDocument:
    return PatientDocument(
        id=row["id"],
        patient_id=row["patient_id"],
        type_code=row["type_code"],
        type_label=TYPE_LABELS.get(row["type_code"], "Autre"),
        title=row["title"],
        file_name=row["file_name"],
        content_type=row["content_type"],
        size=row["size"],
        author=row["author_name"],
        author_address=row["author_address"],
        source=row["source"],
        source_id=row["source_id"],
        filed_at=to_datetime(row["filed_at"]),
    )
