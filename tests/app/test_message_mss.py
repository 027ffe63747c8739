"""MSSanté conventions of outgoing messages (issue 14 §1): X-MSS headers, CDA R2 N1 documents in
the IHE_XDM.ZIP (checked structurally with ElementTree and the HL7 namespace), the subject and PDF
names of a message about a patient, patient mailboxes."""

from __future__ import annotations

import base64
import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from app.message import mss
from app.message.compose import (
    OutgoingAttachment,
    OutgoingMessage,
    build_message_xdm,
    email_create,
    reply_subject,
    with_conventions,
)
from app.message.patient import INS_NIR_OID, INS_NIR_TEST_OID, PatientIdentity
from app.message.xdm import parse_xdm
from app.store.records import Address

V3 = {"v3": "urn:hl7-org:v3"}
QUALIFIED = PatientIdentity(
    "248017512345626", INS_NIR_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female"
)
TEST_PATIENT = PatientIdentity(
    "248017512345626", INS_NIR_TEST_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female"
)
NO_INS = PatientIdentity(None, None, "Marie", "Dupont", dt.date(1948, 1, 7), "female")
ME = Address("Dr Alice Martin", "alice.martin@sisra-demo.mssante.fr")
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _message(
    tmp_path: Path, patient: PatientIdentity | None, type_code: str | None = "11488-4", **kw: object
) -> OutgoingMessage:
    pdf = tmp_path / "cr.pdf"
    pdf.write_bytes(PDF)
    note = tmp_path / "notes.docx"
    note.write_bytes(b"PK docx")
    return OutgoingMessage(
        from_=ME,
        to=[Address(None, "bob.durand@sisra-demo.mssante.fr")],
        patient=patient,
        attachments=[
            OutgoingAttachment(pdf, "cr.pdf", "application/pdf", type_code),
            OutgoingAttachment(note, "notes.docx", "application/octet-stream", "57833-6"),
        ],
        message_id="<1.abc@sisra-demo.mssante.fr>",
        **kw,  # type: ignore[arg-type]
    )


def _cda(archive: zipfile.ZipFile) -> ET.Element:
    """The first document of the package, a CDA we wrote ourselves."""
    return ET.fromstring(archive.read("IHE_XDM/SUBSET01/DOC0001.XML"))  # noqa: S314 (ours)


def _attrs(root: ET.Element, path: str, *names: str) -> tuple[str | None, ...]:
    node = root.find(path, V3)
    assert node is not None, path
    return tuple(node.get(name) for name in names)


def _headers(create: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in create.items() if k.startswith("header:")}


def test_x_mss_nil_is_written_when_the_server_gives_one_and_omitted_when_empty(
    tmp_path: Path,
) -> None:
    plain = OutgoingMessage(ME, [ME], subject="Bonjour", message_id="<1.a@x.fr>")
    assert _headers(email_create(plain, {}, None, "d", "MONSISRA-2026-01")) == {
        "header:X-MSS-NIL:asText": "MONSISRA-2026-01"
    }
    assert _headers(email_create(plain, {}, None, "d", "")) == {}
    assert _headers(email_create(plain, {}, None, "d", "   ")) == {}


def test_codecda_and_ins_only_with_cda_documents_about_a_patient(tmp_path: Path) -> None:
    blobs = {str(tmp_path / "cr.pdf"): "b1", str(tmp_path / "notes.docx"): "b2"}
    qualified = email_create(_message(tmp_path, QUALIFIED), blobs, "x", "d", "NIL")
    assert _headers(qualified) == {
        "header:X-MSS-NIL:asText": "NIL",
        "header:X-MSS-CODECDA:asText": "11488-4",  # the .docx cannot be a nonXMLBody
        "header:X-MSS-INS:asText": "O",
    }
    test = email_create(_message(tmp_path, TEST_PATIENT), blobs, "x", "d")
    assert _headers(test)["header:X-MSS-INS:asText"] == "N"  # a test OID is never qualified
    # No INS, no patient, or no LOINC type: no CDA, so neither header.
    for msg in (
        _message(tmp_path, NO_INS),
        _message(tmp_path, None),
        _message(tmp_path, QUALIFIED, type_code=None),
    ):
        assert _headers(email_create(msg, blobs, "x", "d")) == {}


def test_codecda_lists_each_code_once_in_order() -> None:
    docs = [
        mss.TypedDocument("34112-3", "application/pdf"),
        mss.TypedDocument("11502-2", "application/pdf"),
        mss.TypedDocument("34112-3", "image/jpeg"),
        mss.TypedDocument("autre", "application/pdf"),
    ]
    headers = mss.mss_headers("", QUALIFIED, docs)
    assert headers == {"X-MSS-CODECDA": "34112-3,11502-2", "X-MSS-INS": "O"}


def test_the_patient_cannot_reply_option_sets_x_mss_mes_fin() -> None:
    assert mss.mss_headers("", None, [], patient_cannot_reply=True) == {"X-MSS-MES": "FIN"}
    assert mss.mss_headers("", None, []) == {}


def test_the_cda_of_a_pdf_has_the_n1_header_and_the_pdf_as_its_non_xml_body(
    tmp_path: Path,
) -> None:
    msg = _message(tmp_path, QUALIFIED, author_rpps="10001234567", subject="Compte rendu")
    created = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    data = build_message_xdm(msg, created)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "IHE_XDM/SUBSET01/DOC0001.XML" in names  # the PDF, as a CDA
    assert "IHE_XDM/SUBSET01/DOC0002.DOCX" in names  # not a nonXMLBody type: as it is
    root = _cda(archive)
    assert root.tag == "{urn:hl7-org:v3}ClinicalDocument"
    assert _attrs(root, "v3:code", "code", "codeSystem") == ("11488-4", "2.16.840.1.113883.6.1")
    assert _attrs(root, "v3:effectiveTime", "value") == ("20261207093000+0000",)
    assert _attrs(root, "v3:confidentialityCode", "code") == ("N",)
    role = "v3:recordTarget/v3:patientRole"
    assert _attrs(root, role + "/v3:id", "root", "extension") == (INS_NIR_OID, "248017512345626")
    assert root.findtext(role + "/v3:patient/v3:name/v3:family", namespaces=V3) == "DUPONT"
    assert _attrs(root, role + "/v3:patient/v3:name/v3:family", "qualifier") == ("BR",)
    assert root.findtext(role + "/v3:patient/v3:name/v3:given", namespaces=V3) == "Marie"
    assert _attrs(root, role + "/v3:patient/v3:administrativeGenderCode", "code") == ("F",)
    assert _attrs(root, role + "/v3:patient/v3:birthTime", "value") == ("19480107",)
    assert _attrs(root, "v3:author/v3:assignedAuthor/v3:id", "root", "extension") == (
        "1.2.250.1.71.4.2.1",
        "810001234567",
    )
    text = root.find("v3:component/v3:nonXMLBody/v3:text", V3)
    assert text is not None
    assert (text.get("mediaType"), text.get("representation")) == ("application/pdf", "B64")
    assert base64.b64decode("".join((text.text or "").split())) == PDF
    # METADATA.XML describes the CDA as such, with the patient and its LOINC type.
    package = parse_xdm(data)
    assert package.patient is not None
    assert (package.patient.ins, package.patient.oid) == (QUALIFIED.ins, QUALIFIED.oid)
    first = package.documents[0]
    assert (first.mime_type, first.type_code) == ("text/xml", "11488-4")


def test_a_cda_without_a_known_rpps_says_the_author_id_is_unknown(tmp_path: Path) -> None:
    archive = zipfile.ZipFile(io.BytesIO(build_message_xdm(_message(tmp_path, QUALIFIED))))
    assert _attrs(
        _cda(archive), "v3:author/v3:assignedAuthor/v3:id", "nullFlavor", "extension"
    ) == (
        "UNK",
        None,
    )


def test_a_patient_message_gets_the_xdm_subject_and_pdf_names(tmp_path: Path) -> None:
    msg = with_conventions(_message(tmp_path, QUALIFIED, type_code="18748-4"), dt.date(2026, 12, 7))
    assert msg.subject == "XDM/1.0/DDM+CR d'imagerie médicale DUPONT Marie 07/01/1948"
    assert [a.name for a in msg.attachments] == [
        "20261207_CR-d-imagerie-medicale_DUPONT_Marie.pdf",
        "notes.docx",
    ]
    written = with_conventions(
        _message(tmp_path, QUALIFIED, subject="Mon objet"), dt.date(2026, 12, 7)
    )
    assert written.subject == "Mon objet"  # the user's subject stays
    plain = _message(tmp_path, None, subject="")
    assert with_conventions(plain, dt.date(2026, 12, 7)) == plain


def test_two_pdfs_of_the_same_type_keep_distinct_names() -> None:
    assert mss.unique_names(["a.pdf", "b.pdf", "a.pdf", "A.pdf"]) == [
        "a.pdf",
        "b.pdf",
        "a_2.pdf",
        "A_3.pdf",
    ]


def test_received_subjects_are_shown_without_the_xdm_prefix() -> None:
    assert mss.shown_subject("XDM/1.0/DDM+Ordonnance DUPONT Marie 07/01/1948") == (
        "Ordonnance DUPONT Marie 07/01/1948"
    )
    assert mss.shown_subject("xdm/1.0/ddm+ CR") == "CR"
    assert mss.shown_subject("Objet XDM/1.0/DDM+") == "Objet XDM/1.0/DDM+"
    assert reply_subject("XDM/1.0/DDM+Ordonnance DUPONT") == "RE: Ordonnance DUPONT"


@pytest.mark.parametrize(
    ("recipients", "patient", "problem"),
    [
        (["248017512345626@patient.mssante.fr"], QUALIFIED, None),
        (["248017512345626@patient.mssante.fr"], TEST_PATIENT, "not_qualified"),
        (["248017512345626@patient.mssante.fr"], None, "no_patient"),
        (["175069912304551@patient.mssante.fr"], QUALIFIED, "other_patient"),
        (
            ["248017512345626@patient.mssante.fr", "175069912304551@PATIENT.mssante.fr"],
            QUALIFIED,
            "other_patient",
        ),
        (["bob@sisra-demo.mssante.fr"], None, None),
    ],
)
def test_patient_mailboxes_take_only_their_own_qualified_patient(
    recipients: list[str], patient: PatientIdentity | None, problem: str | None
) -> None:
    check = mss.check_patient_mailboxes(recipients, patient)
    assert check.ok is (problem is None)
    if problem is not None:
        assert getattr(check, problem) is True
