"""Téléexpertise: expert profiles, requests that open a conversation (a real MIME thread in both
mailboxes), the statuses requested → answered → closed, and the 4-per-patient-per-year rule."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

from server.accounts import Account
from server.directory.codes import SPECIALTIES
from server.documents.xdm import XDM_FILE_NAME
from server.regional.common import Clock, born, new_id, to_datetime
from server.regional.errors import bad_request, conflict, forbidden, not_found
from server.regional.models import (
    ExpertProfile,
    ExpertProfileUpdate,
    Party,
    Quota,
    Teleexpertise,
    TeleexpertiseCreate,
    TeleexpertiseDocument,
    TeleexpertisePatient,
)
from server.regional.patient_documents import NewDocument
from server.regional.patients import NewMember
from server.regional.report import (
    REPORT_TITLE,
    REPORT_TYPE_CODE,
    REPORT_TYPE_LABEL,
    ReportFiles,
    ReportText,
    report_files,
)

if TYPE_CHECKING:
    from server.context import Sandbox

# Billed by the Assurance Maladie within 4 acts per patient, per calendar year, per requester.
YEARLY_LIMIT = 4
TELEEXPERTISE_HEADER = "X-MonSisra-Teleexpertise"


class Expertise:
    def __init__(self, sandbox: Sandbox, clock: Clock) -> None:
        self._sandbox = sandbox
        self._clock = clock

    # --- expert profile --------------------------------------------------------------------------

    def profile(self, caller: Account) -> ExpertProfile:
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT * FROM regional_expert_profiles WHERE account_id = ?", (caller.id,)
            ).fetchone()
        return _profile(row)

    def listed_profile(
        self, practitioner_id: str | None = None, address: str | None = None
    ) -> ExpertProfile:
        """What a requester reads of an expert listed in the directory (by directory id or
        MSSanté address): activity, specialties, prerequisite documents and delay."""
        account = self._sandbox.accounts.by_email(address.strip()) if address else None
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT e.* FROM regional_expert_profiles e JOIN accounts a ON a.id = e.account_id "
                "WHERE e.listed = 1 AND (e.account_id = ? OR e.practitioner_id = ? "
                "OR a.practitioner_id = ?)",
                (account.id if account else None, practitioner_id, practitioner_id),
            ).fetchone()
        if row is None:
            raise not_found("Ce professionnel n'apparaît pas dans l'annuaire des experts.")
        return _profile(row)

    def withdraw(self, caller: Account) -> ExpertProfile:
        """No longer an expert: the profile is removed and the directory no longer lists me.
        Téléexpertises already asked of me stay, with their conversations."""
        with self._sandbox.db.write() as conn:
            old = conn.execute(
                "DELETE FROM regional_expert_profiles WHERE account_id = ? "
                "RETURNING practitioner_id",
                (caller.id,),
            ).fetchone()
        if old is None:
            raise not_found("Vous n'êtes pas déclaré(e) téléexpert(e).")
        known = old[0] or caller.practitioner_id
        if known:
            self._publish_in_directory(known, False)
        return self.profile(caller)

    def declare(
        self,
        caller: Account,
        body: ExpertProfileUpdate,
        practitioner_id: str | None = None,
    ) -> ExpertProfile:
        documents = [d.strip() for d in body.prerequisite_documents if d.strip()]
        if any(len(d) > 300 for d in documents):
            raise bad_request("Chaque document prérequis tient en 300 caractères au plus.")
        if any(code not in SPECIALTIES for code in body.specialties):
            raise bad_request(
                "Une spécialité proposée n'existe pas dans la nomenclature : choisissez-la dans "
                "la liste de l'annuaire.",
                "unknown_specialty",
            )
        with self._sandbox.db.write() as conn:
            old = conn.execute(
                "SELECT practitioner_id FROM regional_expert_profiles WHERE account_id = ?",
                (caller.id,),
            ).fetchone()
            known = practitioner_id or caller.practitioner_id or (old[0] if old else None)
            conn.execute(
                "INSERT INTO regional_expert_profiles (account_id, practitioner_id, "
                "activity_description, prerequisite_documents, specialties, "
                "response_delay_days, listed, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(account_id) DO UPDATE SET "
                "practitioner_id = excluded.practitioner_id, "
                "activity_description = excluded.activity_description, "
                "prerequisite_documents = excluded.prerequisite_documents, "
                "specialties = excluded.specialties, "
                "response_delay_days = excluded.response_delay_days, "
                "listed = excluded.listed, updated_at = excluded.updated_at",
                (
                    caller.id,
                    known,
                    body.activity_description.strip(),
                    json.dumps(documents, ensure_ascii=False),
                    json.dumps(list(dict.fromkeys(body.specialties))),
                    body.response_delay_days,
                    int(body.listed_in_directory),
                    self._clock.now(),
                ),
            )
        if known:
            self._publish_in_directory(known, body.listed_in_directory)
        return self.profile(caller)

    def _publish_in_directory(self, practitioner_id: str, listed: bool) -> None:
        """The directory's "experts only" filter follows the flag."""
        self._sandbox.directory.set_expert(practitioner_id, listed)

    def _expert(self, conn: sqlite3.Connection, body: TeleexpertiseCreate) -> Account:
        account_id: str | None = None
        if body.expert_practitioner_id:
            row = conn.execute(
                "SELECT account_id FROM regional_expert_profiles WHERE practitioner_id = ? "
                "UNION SELECT e.account_id FROM regional_expert_profiles e "
                "JOIN accounts a ON a.id = e.account_id WHERE a.practitioner_id = ?",
                (body.expert_practitioner_id, body.expert_practitioner_id),
            ).fetchone()
            account_id = row[0] if row else None
        elif body.expert_address:
            account = self._sandbox.accounts.by_email(body.expert_address.strip())
            if (
                account is not None
                and conn.execute(
                    "SELECT 1 FROM regional_expert_profiles WHERE account_id = ?", (account.id,)
                ).fetchone()
            ):
                account_id = account.id
        else:
            raise bad_request(
                "Choisissez l'expert (identifiant annuaire ou adresse MSSanté).", "missing_expert"
            )
        expert = self._sandbox.accounts.by_id(account_id) if account_id else None
        if expert is None:
            raise bad_request(
                "Ce professionnel n'est pas déclaré téléexpert : choisissez un expert de "
                "l'annuaire (filtre « Experts seulement »).",
                "unknown_expert",
            )
        return expert

    # --- requests --------------------------------------------------------------------------------

    def quota(self, caller: Account, patient_id: str, year: int | None = None) -> Quota:
        """`year`: this calendar year in Paris, the year of a request made now, unless given."""
        year = year or to_datetime(self._clock.now()).year
        with self._sandbox.db.read() as conn:
            if not conn.execute(
                "SELECT 1 FROM regional_patients WHERE id = ?", (patient_id,)
            ).fetchone():
                raise not_found("Ce patient n'existe pas dans l'annuaire régional.")
            used = self._used(conn, caller.id, patient_id, year)
        return Quota(
            patient_id=patient_id,
            year=year,
            limit=YEARLY_LIMIT,
            used=used,
            remaining=max(0, YEARLY_LIMIT - used),
        )

    @staticmethod
    def _used(conn: sqlite3.Connection, account_id: str, patient_id: str, year: int) -> int:
        row = conn.execute(
            "SELECT COUNT(*) FROM regional_teleexpertises "
            "WHERE requester_account_id = ? AND patient_id = ? AND year = ?",
            (account_id, patient_id, year),
        ).fetchone()
        return int(row[0])

    def request(
        self, caller: Account, body: TeleexpertiseCreate, at: int | None = None
    ) -> Teleexpertise:
        created = at or self._clock.now()
        year = to_datetime(created).year
        mail = self._sandbox.mail
        with self._sandbox.db.write() as conn:
            expert = self._expert(conn, body)
            if expert.id == caller.id:
                raise bad_request("Vous ne pouvez pas vous demander une téléexpertise à vous-même.")
            patient = conn.execute(
                "SELECT * FROM regional_patients WHERE id = ?", (body.patient_id,)
            ).fetchone()
            if patient is None:
                raise bad_request(
                    "Ce patient n'existe pas dans l'annuaire régional.", "unknown_patient"
                )
            if self._used(conn, caller.id, patient["id"], year) >= YEARLY_LIMIT:
                raise conflict(
                    "teleexpertise_limit",
                    "Limite atteinte : 4 téléexpertises par patient et par an pour un même "
                    "professionnel requérant. Cette demande ne serait pas prise en charge par "
                    "l'Assurance Maladie ; vous pouvez poser votre question dans une "
                    "conversation simple.",
                )
            documents = [
                *(
                    TeleexpertiseDocument(blob_id=b, name=f"piece-jointe-{n}")
                    for n, b in enumerate(dict.fromkeys(body.blob_ids), start=1)
                ),
                *body.documents,
            ]
            attachments: list[tuple[TeleexpertiseDocument, str, bytes]] = []
            for document in documents:
                if not document.name.strip() or any(c < " " or c in "/\\" for c in document.name):
                    raise bad_request(
                        "Le nom d'un document joint n'est pas valable : renommez le fichier.",
                        "invalid_document_name",
                    )
                if any(c < " " for c in document.type_label or ""):  # it becomes a header
                    raise bad_request(
                        "Le type d'un document joint n'est pas valable : choisissez-le dans la "
                        "liste.",
                        "invalid_document_type",
                    )
                info = self._sandbox.blobs.info(conn, caller.id, document.blob_id)
                if info is None:
                    raise bad_request(
                        "Une pièce jointe est introuvable : téléversez-la à nouveau.",
                        "unknown_blob",
                    )
                data = self._sandbox.blobs.read_bytes(document.blob_id)
                attachments.append((document, info.type, data))
            te_id = new_id("te")
            name = f"{patient['given']} {patient['family']}"
            subject = f"Demande de téléexpertise — {name}"
            text = (
                f"Bonjour,\n\nJe sollicite votre avis (téléexpertise) pour {name}, "
                f"{born(patient['sex'])} le {_french_date(patient['birth_date'])}"
                + (f", INS {patient['ins']}" if patient["ins"] else "")
                + f".\n\nQuestion :\n{body.question.strip()}\n\n"
                f"Bien confraternellement,\n{caller.display_name}\n"
            )
            message = _message(caller, expert, subject, text, created, te_id)
            for document, type_, data in attachments:
                maintype, _, subtype = type_.partition("/")
                message.add_attachment(
                    data,
                    maintype=maintype or "application",
                    subtype=subtype or "octet-stream",
                    filename=document.name.strip(),
                )
                if document.type_label:  # as the composer's documents: the type in clear
                    part = list(message.iter_attachments())[-1]
                    part["Content-Description"] = document.type_label.strip()
            raw = message.as_bytes()
            when = to_datetime(created)
            sent = mail.import_message(
                caller.id, raw, mailbox_role="sent", keywords=["$seen"], received_at=when
            )
            received = mail.import_message(expert.id, raw, received_at=when)
            conn.execute(
                "INSERT INTO regional_teleexpertises (id, requester_account_id, "
                "expert_account_id, patient_id, year, question, blob_ids, status, message_id, "
                "last_message_id, subject, requester_thread_id, expert_thread_id, created_at, "
                "documents) VALUES (?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?, ?, ?, ?, ?)",
                (
                    te_id,
                    caller.id,
                    expert.id,
                    patient["id"],
                    year,
                    body.question.strip(),
                    json.dumps([d.blob_id for d, _, _ in attachments]),
                    message["Message-ID"],
                    message["Message-ID"],
                    subject,
                    sent.thread_id,
                    received.thread_id,
                    created,
                    json.dumps(
                        [d.model_dump(mode="json", by_alias=True) for d, _, _ in attachments],
                        ensure_ascii=False,
                    ),
                ),
            )
        return self.get(caller, te_id)

    def answer(
        self, caller: Account, te_id: str, answer: str, at: int | None = None
    ) -> Teleexpertise:
        when = at or self._clock.now()
        with self._sandbox.db.write() as conn:
            row = self._row_for(conn, caller, te_id)
            if caller.id != row["expert_account_id"]:
                raise forbidden("Seul l'expert sollicité peut répondre à cette téléexpertise.")
            if row["status"] != "requested":
                raise conflict(
                    "invalid_transition",
                    "Cette téléexpertise a déjà reçu une réponse : elle ne peut plus être "
                    "modifiée.",
                )
            requester = self._account(row["requester_account_id"])
            text = (
                f"Bonjour,\n\n{answer.strip()}\n\nBien confraternellement,\n{caller.display_name}\n"
            )
            message = _message(caller, requester, "Re: " + row["subject"], text, when, te_id)
            _thread(message, row)
            self._send(caller, requester, message, when)
            conn.execute(
                "UPDATE regional_teleexpertises SET status = 'answered', answer = ?, "
                "answered_at = ?, last_message_id = ? WHERE id = ?",
                (answer.strip(), when, message["Message-ID"], te_id),
            )
        return self.get(caller, te_id)

    def close(
        self, caller: Account, te_id: str, report: str, at: int | None = None
    ) -> Teleexpertise:
        when = at or self._clock.now()
        with self._sandbox.db.write() as conn:
            row = self._row_for(conn, caller, te_id)
            if row["status"] == "requested":
                raise conflict(
                    "invalid_transition",
                    "Cette téléexpertise n'a pas encore reçu de réponse de l'expert : elle ne "
                    "peut pas être clôturée.",
                )
            if row["status"] == "closed":
                raise conflict("invalid_transition", "Cette téléexpertise est déjà clôturée.")
            requester = self._account(row["requester_account_id"])
            expert = self._account(row["expert_account_id"])
            other = expert if caller.id == requester.id else requester
            patient = conn.execute(
                "SELECT * FROM regional_patients WHERE id = ?", (row["patient_id"],)
            ).fetchone()
            text = (
                "Bonjour,\n\nVeuillez trouver ci-joint le compte rendu de cette téléexpertise, "
                "qui est désormais clôturée. Il a été déposé dans le dossier du patient sur le "
                f"service régional.\n\nBien confraternellement,\n{caller.display_name}\n"
            )
            message = _message(caller, other, "Re: " + row["subject"], text, when, te_id)
            _thread(message, row)
            about = ReportText(
                row["question"], row["answer"] or "", report.strip(), requester, expert
            )
            entry = self._sandbox.directory.lookup_email(caller.email)
            files = report_files(about, patient, caller, entry, when, message["Message-ID"])
            # As the composer sends a document about a patient: the readable PDF, typed in its
            # Content-Description, and the IHE_XDM.ZIP that carries it with the patient.
            message.add_attachment(
                files.pdf, maintype="application", subtype="pdf", filename=files.file_name
            )
            part = list(message.iter_attachments())[-1]
            part["Content-Description"] = REPORT_TYPE_LABEL
            message.add_attachment(
                files.xdm, maintype="application", subtype="zip", filename=XDM_FILE_NAME
            )
            self._send(caller, other, message, when)
            blob = self._sandbox.blobs.put_bytes(conn, requester.id, files.pdf, "application/pdf")
            self._sandbox.blobs.put_bytes(conn, expert.id, files.pdf, "application/pdf")
            self._file_report(conn, patient["id"], files, caller, (requester, expert), te_id, when)
            conn.execute(
                "UPDATE regional_teleexpertises SET status = 'closed', report = ?, "
                "report_blob_id = ?, closed_at = ?, last_message_id = ? WHERE id = ?",
                (report.strip(), blob.id, when, message["Message-ID"], te_id),
            )
        return self.get(caller, te_id)

    def _file_report(
        self,
        conn: sqlite3.Connection,
        patient_id: str,
        files: ReportFiles,
        author: Account,
        parties: tuple[Account, Account],
        te_id: str,
        when: int,
    ) -> None:
        """The compte rendu in the patient's record; the two parties become acteurs du dossier
        (the record's need-to-know lets them read it there)."""
        regional = self._sandbox.regional
        report = NewDocument(
            type_code=REPORT_TYPE_CODE,
            title=REPORT_TITLE,
            file_name=files.file_name,
            content_type="application/pdf",
            data=files.pdf,
            source="teleexpertise",
            source_id=te_id,
        )
        regional.documents.file(conn, patient_id, report, author, when)
        for party in parties:
            member = NewMember(
                name=party.display_name,
                email=party.email,
                practitioner_id=party.practitioner_id,
                account_id=party.id,
            )
            regional.patients.add_member(conn, patient_id, member)

    def _send(self, sender: Account, recipient: Account, message: EmailMessage, when: int) -> None:
        """Both parties live in the sandbox: the sender's Sent and the recipient's Inbox."""
        raw = message.as_bytes()
        at = to_datetime(when)
        mail = self._sandbox.mail
        mail.import_message(sender.id, raw, mailbox_role="sent", keywords=["$seen"], received_at=at)
        mail.import_message(recipient.id, raw, received_at=at)

    # --- reading ---------------------------------------------------------------------------------

    def get(self, caller: Account, te_id: str) -> Teleexpertise:
        with self._sandbox.db.read() as conn:
            row = self._row_for(conn, caller, te_id)
            return self._model(conn, caller, row)

    def mine(self, caller: Account, status: str | None) -> list[Teleexpertise]:
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM regional_teleexpertises "
                "WHERE (requester_account_id = ? OR expert_account_id = ?) "
                "AND (? IS NULL OR status = ?) ORDER BY created_at DESC, id",
                (caller.id, caller.id, status, status),
            ).fetchall()
            return [self._model(conn, caller, r) for r in rows]

    def _row_for(self, conn: sqlite3.Connection, caller: Account, te_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM regional_teleexpertises WHERE id = ? "
            "AND (requester_account_id = ? OR expert_account_id = ?)",
            (te_id, caller.id, caller.id),
        ).fetchone()
        if row is None:
            raise not_found("Téléexpertise introuvable.")
        return row

    def _account(self, account_id: str) -> Account:
        account = self._sandbox.accounts.by_id(account_id)
        if account is None:
            raise not_found("Le compte de l'autre partie n'existe plus.")
        return account

    def _model(self, conn: sqlite3.Connection, caller: Account, row: sqlite3.Row) -> Teleexpertise:
        requester = self._account(row["requester_account_id"])
        expert = self._account(row["expert_account_id"])
        patient = conn.execute(
            "SELECT * FROM regional_patients WHERE id = ?", (row["patient_id"],)
        ).fetchone()
        mine = caller.id == requester.id
        return Teleexpertise(
            id=row["id"],
            status=row["status"],
            requester=_party(requester),
            expert=_party(expert),
            patient=TeleexpertisePatient(
                id=patient["id"],
                name=f"{patient['given']} {patient['family']}",
                ins=patient["ins"],
                birth_date=dt.date.fromisoformat(patient["birth_date"]),
            ),
            question=row["question"],
            answer=row["answer"],
            report=row["report"],
            report_type_code=REPORT_TYPE_CODE if row["report"] else None,
            report_blob_id=row["report_blob_id"],
            blob_ids=json.loads(row["blob_ids"]),
            documents=[
                TeleexpertiseDocument.model_validate(d) for d in json.loads(row["documents"])
            ],
            message_id=row["message_id"],
            thread_id=row["requester_thread_id"] if mine else row["expert_thread_id"],
            year=row["year"],
            created_at=to_datetime(row["created_at"]),
            answered_at=to_datetime(row["answered_at"]) if row["answered_at"] else None,
            closed_at=to_datetime(row["closed_at"]) if row["closed_at"] else None,
        )


def _profile(row: sqlite3.Row | None) -> ExpertProfile:
    if row is None:
        return ExpertProfile(
            declared=False,
            activity_description="",
            prerequisite_documents=[],
            listed_in_directory=False,
            updated_at=None,
        )
    return ExpertProfile(
        declared=True,
        activity_description=row["activity_description"],
        prerequisite_documents=json.loads(row["prerequisite_documents"]),
        specialties=json.loads(row["specialties"]),
        response_delay_days=row["response_delay_days"],
        listed_in_directory=bool(row["listed"]),
        updated_at=to_datetime(row["updated_at"]),
    )


def _party(account: Account) -> Party:
    return Party(account_id=account.id, name=account.display_name, mssante_address=account.email)


def _message(
    sender: Account, recipient: Account, subject: str, text: str, when: int, te_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = Address(display_name=sender.display_name, addr_spec=sender.email)
    message["To"] = Address(display_name=recipient.display_name, addr_spec=recipient.email)
    message["Subject"] = subject
    message["Date"] = format_datetime(to_datetime(when))
    message["Message-ID"] = make_msgid(domain=sender.email.rpartition("@")[2] or None)
    message[TELEEXPERTISE_HEADER] = te_id
    message.set_content(text)
    return message


def _thread(message: EmailMessage, row: sqlite3.Row) -> None:
    """A reply: In-Reply-To the last message, References back to the request."""
    message["In-Reply-To"] = row["last_message_id"]
    references = [row["message_id"]]
    if row["last_message_id"] != row["message_id"]:
        references.append(row["last_message_id"])
    message["References"] = " ".join(references)


def _french_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
