"""IHE ITI XDM packages (`IHE_XDM.ZIP`) for the sandbox's messages about a patient (DESIGN §2.5):
the demo's, and the compte rendu that closes a téléexpertise (server/regional/report.py).

Layout (ITI TF-1 §16, TF-3 §4.2 for the metadata):
    INDEX.HTM, README.TXT                      at the root
    IHE_XDM/SUBSET01/METADATA.XML              an ebRIM lcm:SubmitObjectsRequest
    IHE_XDM/SUBSET01/DOC0001.PDF …             the documents, named by the URI slot
One RegistryPackage (the submission set), one ExtrinsicObject per document, HasMember
associations. Codes follow the French CI-SIS choices (JDV_J07 type codes are LOINC). Ids are
derived from the message, so the same message gives the same zip byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from server.regional.common import born

LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
RS = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"

# ebXML registry identifiers of the XDS metadata attributes (ITI TF-3 §4.2.5).
DOCUMENT_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
DE_AUTHOR = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
DE_CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
DE_CONFIDENTIALITY = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
DE_FORMAT_CODE = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
DE_FACILITY_TYPE = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1"
DE_PRACTICE_SETTING = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead"
DE_TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
DE_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
DE_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
SS_AUTHOR = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d"
SS_CONTENT_TYPE = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"
SS_UNIQUE_ID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"
SS_SOURCE_ID = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832"
SS_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"

CLASSIFICATION = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification"
EXTERNAL_IDENTIFIER = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier"
REGISTRY_PACKAGE = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage"
HAS_MEMBER = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"
APPROVED = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"

XDM_FILE_NAME = "IHE_XDM.ZIP"  # the attachment's name in a message (DESIGN §2.5)
LOINC = "2.16.840.1.113883.6.1"
RPPS_OID = "1.2.250.1.71.4.2.1"
# Where the demo's unique ids live: a made-up branch, never a real registry's.
DEMO_ROOT_OID = "1.2.250.1.999.2026.1"
_UUID_NAMESPACE = uuid.UUID("6f1c4c55-3c1e-4d7b-9d4e-5a6e1f0b2026")

# JDV_J07 (XDS typeCode) labels used by the demo; DESIGN §2.5.
TYPE_LABELS: dict[str, str] = {
    "11488-4": "Compte rendu de consultation",
    "11490-0": "Lettre de liaison de sortie",
    "57833-6": "Ordonnance",
    "57832-8": "Prescription de soins",
    "60591-5": "Synthèse médicale",
    "11502-2": "CR d'examens biologiques",
    "18748-4": "CR d'imagerie médicale",
    "34112-3": "CR hospitalier",
    "85208-7": "CR de télémédecine",
    "96349-6": "Lettre d'adressage",
    "89601-9": "Certificat médical",
}
# JDV_J06 classCode of each type (CI-SIS: 10 compte rendu, 11 synthèse, 04 prescription…)
_CLASS: dict[str, tuple[str, str]] = {
    "57833-6": ("04", "Prescription"),
    "57832-8": ("04", "Prescription"),
    "60591-5": ("11", "Synthèse"),
    "96349-6": ("22", "Lettre"),
    "89601-9": ("06", "Certificat, déclaration"),
}
_DEFAULT_CLASS = ("10", "Compte rendu")


@dataclass(frozen=True)
class XdmPatient:
    ins: str
    ins_oid: str
    given: str
    family: str
    birth_date: str  # YYYY-MM-DD
    sex: str  # "female" | "male"

    @property
    def patient_id(self) -> str:
        """The IHE CX form: `{INS}^^^&{OID}&ISO`."""
        return f"{self.ins}^^^&{self.ins_oid}&ISO"


@dataclass(frozen=True)
class XdmAuthor:
    rpps: str | None
    given: str
    family: str
    organisation: str
    specialty: str = ""

    def xcn(self) -> str:
        ident = f"8{self.rpps}" if self.rpps else ""
        authority = f"&{RPPS_OID}&ISO" if self.rpps else ""
        return f"{ident}^{self.family.upper()}^{self.given}^^^^^^{authority}^D^^^IDNPS"


@dataclass(frozen=True)
class XdmDocument:
    filename: str  # the name in the message (kept in the README), not in the zip
    data: bytes
    mime_type: str
    type_code: str  # LOINC, a key of TYPE_LABELS
    title: str
    creation_time: str  # YYYYMMDDHHMMSS, UTC

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type_code, "Autre")


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{RIM}}}{tag}", attrs)


def _slot(parent: ET.Element, name: str, *values: str) -> None:
    slot = _sub(parent, "Slot", name=name)
    value_list = _sub(slot, "ValueList")
    for value in values:
        _sub(value_list, "Value").text = value


def _localized(parent: ET.Element, tag: str, text: str) -> None:
    element = _sub(parent, tag)
    ET.SubElement(
        element,
        f"{{{RIM}}}LocalizedString",
        {"{http://www.w3.org/XML/1998/namespace}lang": "fr-FR", "charset": "UTF-8", "value": text},
    )


def _coded(
    parent: ET.Element,
    object_id: str,
    scheme: str,
    code: str,
    coding_scheme: str,
    display: str,
    ids: _Ids,
) -> None:
    node = _sub(
        parent,
        "Classification",
        id=ids.next(),
        objectType=CLASSIFICATION,
        classificationScheme=scheme,
        classifiedObject=object_id,
        nodeRepresentation=code,
    )
    _slot(node, "codingScheme", coding_scheme)
    _localized(node, "Name", display)


def _external_id(
    parent: ET.Element, object_id: str, scheme: str, value: str, label: str, ids: _Ids
) -> None:
    node = _sub(
        parent,
        "ExternalIdentifier",
        id=ids.next(),
        objectType=EXTERNAL_IDENTIFIER,
        identificationScheme=scheme,
        registryObject=object_id,
        value=value,
    )
    _localized(node, "Name", label)


class _Ids:
    """Deterministic urn:uuid ids and OIDs derived from the message's own id."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._n = 0

    def next(self) -> str:
        self._n += 1
        return f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, f'{self._seed}/{self._n}')}"

    def oid(self, suffix: str) -> str:
        digest = int(hashlib.sha1(f"{self._seed}/{suffix}".encode()).hexdigest()[:12], 16)  # noqa: S324
        return f"{DEMO_ROOT_OID}.{digest}"


def zip_name(index: int, mime_type: str) -> str:
    extension = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}.get(
        mime_type, "BIN"
    )
    return f"DOC{index:04d}.{extension}"


def metadata_xml(
    patient: XdmPatient,
    author: XdmAuthor,
    documents: list[XdmDocument],
    *,
    submission_time: str,
    title: str,
    recipients: list[str],
    seed: str,
) -> bytes:
    """The METADATA.XML of one submission set holding `documents`."""
    ET.register_namespace("lcm", LCM)
    ET.register_namespace("rim", RIM)
    ET.register_namespace("rs", RS)
    ids = _Ids(seed)
    root = ET.Element(f"{{{LCM}}}SubmitObjectsRequest")
    objects = _sub(root, "RegistryObjectList")
    document_ids: list[str] = []
    pid = patient.patient_id
    birth = patient.birth_date.replace("-", "")
    sex = "F" if patient.sex == "female" else "M"
    for index, doc in enumerate(documents, start=1):
        doc_id = ids.next()
        document_ids.append(doc_id)
        entry = _sub(
            objects,
            "ExtrinsicObject",
            id=doc_id,
            mimeType=doc.mime_type,
            objectType=DOCUMENT_ENTRY,
            status=APPROVED,
        )
        _slot(entry, "creationTime", doc.creation_time)
        _slot(entry, "hash", hashlib.sha1(doc.data).hexdigest())  # noqa: S324 (XDS wants SHA-1)
        _slot(entry, "size", str(len(doc.data)))
        _slot(entry, "languageCode", "fr-FR")
        _slot(entry, "serviceStartTime", doc.creation_time[:12])
        _slot(entry, "sourcePatientId", pid)
        _slot(
            entry,
            "sourcePatientInfo",
            f"PID-3|{pid}",
            f"PID-5|{patient.family.upper()}^{patient.given}^^^^^L",
            f"PID-7|{birth}",
            f"PID-8|{sex}",
        )
        _slot(entry, "URI", zip_name(index, doc.mime_type))
        _localized(entry, "Name", doc.title)
        _localized(entry, "Description", doc.type_label)
        author_node = _sub(
            entry,
            "Classification",
            id=ids.next(),
            objectType=CLASSIFICATION,
            classificationScheme=DE_AUTHOR,
            classifiedObject=doc_id,
            nodeRepresentation="",
        )
        _slot(author_node, "authorPerson", author.xcn())
        _slot(author_node, "authorInstitution", author.organisation)
        if author.specialty:
            _slot(author_node, "authorSpecialty", author.specialty)
        class_code, class_label = _CLASS.get(doc.type_code, _DEFAULT_CLASS)
        _coded(entry, doc_id, DE_CLASS_CODE, class_code, "1.2.250.1.213.1.1.4.1", class_label, ids)
        _coded(entry, doc_id, DE_CONFIDENTIALITY, "N", "2.16.840.1.113883.5.25", "Normal", ids)
        _coded(
            entry,
            doc_id,
            DE_FORMAT_CODE,
            "urn:ihe:iti:xds:2017:mimeTypeSufficient",
            "1.3.6.1.4.1.19376.1.2.3",
            "Format décrit par le type MIME",
            ids,
        )
        _coded(
            entry,
            doc_id,
            DE_FACILITY_TYPE,
            "SA07",
            "1.2.250.1.71.4.2.4",
            "Cabinet individuel",
            ids,
        )
        _coded(
            entry,
            doc_id,
            DE_PRACTICE_SETTING,
            "AMBULATOIRE",
            "1.2.250.1.213.1.1.4.9",
            "Ambulatoire",
            ids,
        )
        _coded(entry, doc_id, DE_TYPE_CODE, doc.type_code, LOINC, doc.type_label, ids)
        _external_id(entry, doc_id, DE_PATIENT_ID, pid, "XDSDocumentEntry.patientId", ids)
        _external_id(
            entry,
            doc_id,
            DE_UNIQUE_ID,
            ids.oid(f"doc{index}"),
            "XDSDocumentEntry.uniqueId",
            ids,
        )

    set_id = ids.next()
    package = _sub(objects, "RegistryPackage", id=set_id, objectType=REGISTRY_PACKAGE)
    _slot(package, "submissionTime", submission_time)
    if recipients:
        # XON|XCN|XTN: only the telecom part is known for a mail recipient.
        _slot(package, "intendedRecipient", *(f"||^^Internet^{r}" for r in recipients))
    _localized(package, "Name", title)
    ss_author = _sub(
        package,
        "Classification",
        id=ids.next(),
        objectType=CLASSIFICATION,
        classificationScheme=SS_AUTHOR,
        classifiedObject=set_id,
        nodeRepresentation="",
    )
    _slot(ss_author, "authorPerson", author.xcn())
    _slot(ss_author, "authorInstitution", author.organisation)
    first_type = documents[0].type_code if documents else "11488-4"
    _coded(
        package,
        set_id,
        SS_CONTENT_TYPE,
        first_type,
        LOINC,
        TYPE_LABELS.get(first_type, "Autre"),
        ids,
    )
    _external_id(package, set_id, SS_UNIQUE_ID, ids.oid("set"), "XDSSubmissionSet.uniqueId", ids)
    _external_id(package, set_id, SS_SOURCE_ID, DEMO_ROOT_OID, "XDSSubmissionSet.sourceId", ids)
    _external_id(package, set_id, SS_PATIENT_ID, pid, "XDSSubmissionSet.patientId", ids)
    _sub(
        objects,
        "Classification",
        id=ids.next(),
        objectType=CLASSIFICATION,
        classifiedObject=set_id,
        classificationNode=SUBMISSION_SET,
    )
    for doc_id in document_ids:
        association = _sub(
            objects,
            "Association",
            id=ids.next(),
            objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association",
            associationType=HAS_MEMBER,
            sourceObject=set_id,
            targetObject=doc_id,
        )
        _slot(association, "SubmissionSetStatus", "Original")
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def _index_htm(patient: XdmPatient, documents: list[XdmDocument], title: str) -> bytes:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    items = "\n".join(
        f'<li><a href="IHE_XDM/SUBSET01/{zip_name(i, d.mime_type)}">{esc(d.title)}</a>'
        f" — {esc(d.type_label)}</li>"
        for i, d in enumerate(documents, start=1)
    )
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title></head>\n<body>\n<h1>{esc(title)}</h1>\n"
        f"<p>Patient : {esc(patient.family.upper())} {esc(patient.given)}, "
        f"{born(patient.sex)} le {patient.birth_date}</p>\n<ul>\n{items}\n</ul>\n"
        '<p>Métadonnées : <a href="IHE_XDM/SUBSET01/METADATA.XML">METADATA.XML</a></p>\n'
        "</body></html>\n"
    ).encode()


def _readme(author: XdmAuthor, documents: list[XdmDocument]) -> bytes:
    lines = [
        "Paquet IHE XDM (ITI TF-1 §16) produit par le bac à sable MonSisra (données fictives).",
        f"Émetteur : {author.given} {author.family}, {author.organisation}",
        "Contenu : IHE_XDM/SUBSET01/METADATA.XML et les documents suivants :",
        *(
            f"  {zip_name(i, d.mime_type)}  {d.type_label}  ({d.filename})"
            for i, d in enumerate(documents, start=1)
        ),
        "",
    ]
    return "\r\n".join(lines).encode()


def build_xdm_zip(
    patient: XdmPatient,
    author: XdmAuthor,
    documents: list[XdmDocument],
    *,
    submission_time: str,
    title: str,
    recipients: list[str],
    seed: str,
) -> bytes:
    """The IHE_XDM.ZIP of one message; `seed` (the Message-ID) makes the ids stable."""
    metadata = metadata_xml(
        patient,
        author,
        documents,
        submission_time=submission_time,
        title=title,
        recipients=recipients,
        seed=seed,
    )
    t = submission_time
    date_time = (int(t[0:4]), int(t[4:6]), int(t[6:8]), int(t[8:10]), int(t[10:12]), 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add("INDEX.HTM", _index_htm(patient, documents, title))
        add("README.TXT", _readme(author, documents))
        add("IHE_XDM/SUBSET01/METADATA.XML", metadata)
        for index, doc in enumerate(documents, start=1):
            add(f"IHE_XDM/SUBSET01/{zip_name(index, doc.mime_type)}", doc.data)
    return buffer.getvalue()
