"""IHE_XDM.ZIP packages of the demo (unit tests: the builder is a pure function)."""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from server.demo.images import ecg_png
from server.documents.pdf import PdfDocument, make_pdf
from server.documents.xdm import (
    DE_PATIENT_ID,
    DE_TYPE_CODE,
    LCM,
    RIM,
    SS_PATIENT_ID,
    XdmAuthor,
    XdmDocument,
    XdmPatient,
    build_xdm_zip,
)

R = f"{{{RIM}}}"
PATIENT = XdmPatient(
    "248027512345678", "1.2.250.1.213.1.4.10", "Élodie", "Cœur", "1948-02-07", "female"
)
AUTHOR = XdmAuthor("10003456789", "Karim", "Benali", "CHU de Lyon", "cardiologue")


def _package() -> tuple[zipfile.ZipFile, list[XdmDocument]]:
    pdf = make_pdf(PdfDocument(title="Compte rendu", organisation="CHU de Lyon"))
    png = ecg_png(1, 200, 100)
    docs = [
        XdmDocument("cr.pdf", pdf, "application/pdf", "11488-4", "Compte rendu", "20261112093000"),
        XdmDocument("ecg.png", png, "image/png", "11502-2", "ECG", "20261112093000"),
    ]
    data = build_xdm_zip(
        PATIENT,
        AUTHOR,
        docs,
        submission_time="20261112093500",
        title="RE: Adressage",
        recipients=["helene.garnier@sisra-demo.mssante.fr"],
        seed="<1@example>",
    )
    return zipfile.ZipFile(io.BytesIO(data)), docs


def _metadata(archive: zipfile.ZipFile) -> ET.Element:
    xml = archive.read("IHE_XDM/SUBSET01/METADATA.XML")
    return ET.fromstring(xml)  # noqa: S314 (our own output, not untrusted input)


def _slot(element: ET.Element, name: str) -> list[str]:
    for slot in element.findall(f"{R}Slot"):
        if slot.get("name") == name:
            return [v.text or "" for v in slot.iter(f"{R}Value")]
    return []


def test_zip_has_the_xdm_layout() -> None:
    archive, _ = _package()
    assert sorted(archive.namelist()) == [
        "IHE_XDM/SUBSET01/DOC0001.PDF",
        "IHE_XDM/SUBSET01/DOC0002.PNG",
        "IHE_XDM/SUBSET01/METADATA.XML",
        "INDEX.HTM",
        "README.TXT",
    ]
    assert b"DOC0001.PDF" in archive.read("INDEX.HTM")


def test_metadata_is_a_submit_objects_request_with_the_right_namespaces() -> None:
    archive, _ = _package()
    root = _metadata(archive)
    assert root.tag == f"{{{LCM}}}SubmitObjectsRequest"
    objects = root.find(f"{R}RegistryObjectList")
    assert objects is not None
    assert len(objects.findall(f"{R}ExtrinsicObject")) == 2
    assert len(objects.findall(f"{R}RegistryPackage")) == 1
    associations = objects.findall(f"{R}Association")
    package = objects.find(f"{R}RegistryPackage")
    assert package is not None
    assert {a.get("sourceObject") for a in associations} == {package.get("id")}
    ss_ids = [
        e.get("value")
        for e in package.findall(f"{R}ExternalIdentifier")
        if e.get("identificationScheme") == SS_PATIENT_ID
    ]
    assert ss_ids == ["248027512345678^^^&1.2.250.1.213.1.4.10&ISO"]


def test_documents_carry_patient_type_code_hash_and_size() -> None:
    archive, docs = _package()
    root = _metadata(archive)
    entries = list(root.iter(f"{R}ExtrinsicObject"))
    for entry, doc in zip(entries, docs, strict=True):
        uri = _slot(entry, "URI")[0]
        content = archive.read(f"IHE_XDM/SUBSET01/{uri}")
        assert content == doc.data
        assert _slot(entry, "hash") == [hashlib.sha1(content).hexdigest()]  # noqa: S324
        assert _slot(entry, "size") == [str(len(content))]
        assert _slot(entry, "creationTime") == ["20261112093000"]
        assert entry.get("mimeType") == doc.mime_type
        info = _slot(entry, "sourcePatientInfo")
        assert "PID-5|CŒUR^Élodie^^^^^L" in info
        assert "PID-7|19480207" in info
        patient_ids = [
            e.get("value")
            for e in entry.findall(f"{R}ExternalIdentifier")
            if e.get("identificationScheme") == DE_PATIENT_ID
        ]
        assert patient_ids == ["248027512345678^^^&1.2.250.1.213.1.4.10&ISO"]
        [type_code] = [
            c
            for c in entry.findall(f"{R}Classification")
            if c.get("classificationScheme") == DE_TYPE_CODE
        ]
        assert type_code.get("nodeRepresentation") == doc.type_code
        assert _slot(type_code, "codingScheme") == ["2.16.840.1.113883.6.1"]
        name = type_code.find(f"{R}Name/{R}LocalizedString")
        assert name is not None
        assert name.get("value") == doc.type_label
        title = entry.find(f"{R}Name/{R}LocalizedString")
        assert title is not None
        assert title.get("value") == doc.title


def test_ids_are_unique_and_the_zip_is_reproducible() -> None:
    archive, _ = _package()
    root = _metadata(archive)
    ids = [e.get("id") or "" for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("urn:uuid:") for i in ids)
    again, _ = _package()
    assert again.read("IHE_XDM/SUBSET01/METADATA.XML") == archive.read(
        "IHE_XDM/SUBSET01/METADATA.XML"
    )
