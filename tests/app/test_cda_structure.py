"""The CDA R2 "N1" of a document about a patient (issue 14 §1, CI-SIS structuration minimale),
checked with lxml and XPath as a receiving system reads it: the one the outbox puts in the
IHE_XDM.ZIP (`build_message_xdm`, the same path as a sent message), not a hand-made one."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from app.message.cda import CISIS_HEADER_TEMPLATE, CISIS_N1_TEMPLATE, IDNAT_PS_OID
from app.message.compose import (
    OutgoingAttachment,
    OutgoingMessage,
    build_message_xdm,
    with_conventions,
)
from app.message.doctypes import LOINC_OID, label_of
from app.message.patient import INS_NIR_OID, PatientIdentity
from app.store.records import Address

NS = {"v3": "urn:hl7-org:v3"}
RPPS = "10001234567"
CREATED = dt.datetime(2026, 12, 7, 9, 30, 15, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 7 + b"\n%%EOF\n"  # not a multiple of 3, any byte
PATIENT = PatientIdentity(
    "248017512345626", INS_NIR_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female"
)


def cda_of(tmp_path: Path, patient: PatientIdentity = PATIENT, rpps: str | None = RPPS) -> Any:
    path = tmp_path / "cr.pdf"
    path.write_bytes(PDF)
    msg = with_conventions(
        OutgoingMessage(
            Address("Dr Alice Martin", "alice.martin@sisra-demo.mssante.fr"),
            [Address(None, "bob.durand@sisra-demo.mssante.fr")],
            patient=patient,
            attachments=[OutgoingAttachment(path, "cr.pdf", "application/pdf", "11502-2")],
            author_rpps=rpps,
        ),
        CREATED.date(),
    )
    with zipfile.ZipFile(io.BytesIO(build_message_xdm(msg, CREATED))) as package:
        data = package.read("IHE_XDM/SUBSET01/DOC0001.XML")
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def one(root: Any, path: str) -> Any:
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, path
    return found[0]


def test_the_header_says_what_who_when_and_how_confidential(tmp_path: Path) -> None:
    root = cda_of(tmp_path)
    assert root.tag == "{urn:hl7-org:v3}ClinicalDocument"
    assert one(root, "/v3:ClinicalDocument/v3:typeId/@root") == "2.16.840.1.113883.1.3"
    assert one(root, "/v3:ClinicalDocument/v3:typeId/@extension") == "POCD_HD000040"
    templates = root.xpath("/v3:ClinicalDocument/v3:templateId/@root", namespaces=NS)
    assert {CISIS_HEADER_TEMPLATE, CISIS_N1_TEMPLATE} <= set(templates)
    doc_id = one(root, "/v3:ClinicalDocument/v3:id/@root")
    assert doc_id.startswith("2.25.")
    assert doc_id[5:].isdigit()
    code = one(root, "/v3:ClinicalDocument/v3:code")
    assert (code.get("code"), code.get("codeSystem")) == ("11502-2", LOINC_OID)
    assert code.get("displayName") == label_of("11502-2")
    assert one(root, "/v3:ClinicalDocument/v3:effectiveTime/@value") == "20261207093015+0000"
    confidentiality = one(root, "/v3:ClinicalDocument/v3:confidentialityCode")
    assert confidentiality.get("code") == "N"
    assert confidentiality.get("codeSystem") == "2.16.840.1.113883.5.25"


def test_the_patient_by_ins_and_the_four_traits(tmp_path: Path) -> None:
    role = one(cda_of(tmp_path), "/v3:ClinicalDocument/v3:recordTarget/v3:patientRole")
    ins = one(role, "v3:id")
    assert (ins.get("root"), ins.get("extension")) == (INS_NIR_OID, "248017512345626")
    patient = one(role, "v3:patient")
    assert one(patient, "v3:name/v3:family[@qualifier='BR']/text()") == "DUPONT"  # birth name
    assert one(patient, "v3:name/v3:given/text()") == "Marie"
    gender = one(patient, "v3:administrativeGenderCode")
    assert (gender.get("code"), gender.get("codeSystem")) == ("F", "2.16.840.1.113883.5.1")
    assert one(patient, "v3:birthTime/@value") == "19480107"
    # PatientIdentity carries no birth place: none is written (the regional API gives none).
    assert patient.xpath("v3:birthplace", namespaces=NS) == []


def test_the_author_by_rpps_and_the_custodian(tmp_path: Path) -> None:
    root = cda_of(tmp_path)
    author = one(root, "/v3:ClinicalDocument/v3:author")
    assert one(author, "v3:time/@value") == "20261207093015+0000"
    author_id = one(author, "v3:assignedAuthor/v3:id")
    assert (author_id.get("root"), author_id.get("extension")) == (IDNAT_PS_OID, "8" + RPPS)
    assert IDNAT_PS_OID == "1.2.250.1.71.4.2.1"
    name = "v3:assignedAuthor/v3:assignedPerson/v3:name/v3:family/text()"
    assert one(author, name) == "Dr Alice Martin"
    custodian = one(
        root,
        "/v3:ClinicalDocument/v3:custodian/v3:assignedCustodian"
        "/v3:representedCustodianOrganization",
    )
    assert one(custodian, "v3:id/@root").startswith("2.25.")
    assert one(custodian, "v3:name/text()") == "MonSisra"
    # Offline at queueing (no RPPS from the server): the author's id is said unknown.
    unknown = one(cda_of(tmp_path, rpps=None), "//v3:author/v3:assignedAuthor/v3:id")
    assert unknown.get("nullFlavor") == "UNK"
    assert unknown.get("extension") is None


def test_the_body_is_the_pdf_itself(tmp_path: Path) -> None:
    text = one(cda_of(tmp_path), "/v3:ClinicalDocument/v3:component/v3:nonXMLBody/v3:text")
    assert (text.get("mediaType"), text.get("representation")) == ("application/pdf", "B64")
    assert base64.b64decode("".join(text.text.split()), validate=True) == PDF


@pytest.mark.parametrize(("given", "family"), [("Zoé & <Léa>", 'D\'Arc "Ré"'), ("Ève", "Ñúñez")])
def test_names_with_markup_and_accents_stay_data(tmp_path: Path, given: str, family: str) -> None:
    patient = PatientIdentity(PATIENT.ins, INS_NIR_OID, given, family, None, "unknown")
    root = cda_of(tmp_path, patient)
    assert one(root, "//v3:patient/v3:name/v3:given/text()") == given
    assert one(root, "//v3:patient/v3:name/v3:family/text()") == family.upper()
    assert one(root, "//v3:patient/v3:birthTime/@nullFlavor") == "UNK"
    assert one(root, "//v3:patient/v3:administrativeGenderCode/@code") == "UN"
