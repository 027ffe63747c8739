"""The compte rendu that closes a téléexpertise, made a real document: a PDF typed LOINC 85208-7
and the IHE_XDM.ZIP that carries it with the patient (DESIGN §2.5), as a MonSisra client sends a
document about a patient. The expertise sends both in the conversation and files the PDF in the
patient's record (patient_documents.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from server.accounts import Account
from server.directory.records import DirectoryEntry
from server.documents.pdf import PdfDocument, make_pdf
from server.documents.xdm import TYPE_LABELS, XdmAuthor, XdmDocument, XdmPatient, build_xdm_zip
from server.regional.common import born, to_datetime
from server.regional.validation import name_key

REPORT_TYPE_CODE = "85208-7"
# The label the composer and the XDM write for this code (Content-Description, typeCode's Name).
REPORT_TYPE_LABEL = TYPE_LABELS[REPORT_TYPE_CODE]
REPORT_TITLE = "Compte rendu de téléexpertise"
# A patient without INS is named in the package by the regional directory's own id, under this
# made-up branch (never an INS OID: a receiver then reads the patient by name and birth date).
REGIONAL_PATIENT_OID = "1.2.250.1.999.2026.2"
_PREFIXES = {"dr", "pr", "dr.", "pr."}


@dataclass(frozen=True)
class ReportFiles:
    pdf: bytes
    file_name: str  # <date>_<type>_<NOM>_<prénom>.pdf (DESIGN §2.5)
    xdm: bytes


@dataclass(frozen=True)
class ReportText:
    """What the compte rendu says, and who asked whom."""

    question: str
    answer: str
    conclusion: str
    requester: Account
    expert: Account


def report_files(
    text: ReportText,
    patient: sqlite3.Row,
    author: Account,
    entry: DirectoryEntry | None,
    when: int,
    message_id: str,
) -> ReportFiles:
    """The PDF signed by `author` (the one who closes; `entry` is what the directory says of
    them) and its package; `message_id` makes the package's ids stable."""
    moment = to_datetime(when)
    stamp = moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")
    pdf = make_pdf(_pdf_document(text, patient, author, entry, moment))
    family, given = patient["family"], patient["given"]
    file_name = (
        f"{moment:%Y%m%d}_CR-teleexpertise_{name_key(family).upper() or 'PATIENT'}"
        f"_{name_key(given).capitalize() or 'Patient'}.pdf"
    )
    xdm = build_xdm_zip(
        _xdm_patient(patient),
        _xdm_author(author, entry),
        [XdmDocument(file_name, pdf, "application/pdf", REPORT_TYPE_CODE, REPORT_TITLE, stamp)],
        submission_time=stamp,
        title=f"{REPORT_TITLE} — {given} {family}",
        recipients=[text.requester.email, text.expert.email],
        seed=message_id,
    )
    return ReportFiles(pdf=pdf, file_name=file_name, xdm=xdm)


def _pdf_document(
    text: ReportText,
    patient: sqlite3.Row,
    author: Account,
    entry: DirectoryEntry | None,
    moment: dt.datetime,
) -> PdfDocument:
    birth = dt.date.fromisoformat(patient["birth_date"])
    ins = f" — INS {patient['ins']}" if patient["ins"] else ""
    role = " — ".join(x for x in (entry.profession, entry.specialty) if x) if entry else ""
    requester, expert = text.requester, text.expert
    return PdfDocument(
        title=REPORT_TITLE,
        organisation=(entry.organization if entry and entry.organization else author.display_name),
        organisation_lines=tuple(x for x in (role, f"MSSanté : {author.email}") if x),
        patient_line=(
            f"Patient : {patient['given']} {patient['family'].upper()}, "
            f"{born(patient['sex'])} le {birth:%d/%m/%Y}{ins}"
        ),
        place_date=f"Le {moment:%d/%m/%Y}",
        paragraphs=(
            f"Type de document : {REPORT_TYPE_LABEL} (LOINC {REPORT_TYPE_CODE})",
            f"Requérant : {requester.display_name} <{requester.email}>\n"
            f"Expert sollicité : {expert.display_name} <{expert.email}>",
            f"Question posée :\n{text.question}",
            f"Avis de l'expert :\n{text.answer or '—'}",
            f"Conclusion :\n{text.conclusion}",
        ),
        signature=author.display_name,
        pdf_date=moment.strftime("%Y%m%d%H%M%S"),
    )


def _xdm_patient(patient: sqlite3.Row) -> XdmPatient:
    ins, oid = patient["ins"], patient["ins_oid"]
    if not ins or not oid:
        ins, oid = patient["id"], REGIONAL_PATIENT_OID
    return XdmPatient(
        ins, oid, patient["given"], patient["family"], patient["birth_date"], patient["sex"]
    )


def _xdm_author(author: Account, entry: DirectoryEntry | None) -> XdmAuthor:
    """The author's names from the display name ("Dr Hélène Garnier": given Hélène, family
    Garnier), the rest from the directory."""
    words = [w for w in author.display_name.split() if w.casefold() not in _PREFIXES]
    family = words[-1] if words else author.display_name
    given = " ".join(words[:-1])
    return XdmAuthor(
        rpps=author.rpps,
        given=given,
        family=family,
        organisation=(entry.organization or "") if entry else "",
        specialty=(entry.specialty or "") if entry else "",
    )
