"""IHE ITI XDM packages (`IHE_XDM.ZIP`): the patient and the typed documents of a message.

Layout (ITI TF-1 §16, TF-3 §4.2):
    INDEX.HTM, README.TXT              at the root, for a human opening the zip
    IHE_XDM/SUBSET01/METADATA.XML      an ebRIM lcm:SubmitObjectsRequest
    IHE_XDM/SUBSET01/DOC0001.PDF …     the documents, named by each entry's URI slot

Building writes the submission set (RegistryPackage) and one document entry (ExtrinsicObject) per
document. Parsing reads what any sender writes: the zip comes from the network, so it is treated as
hostile — bounded member count and uncompressed size, no absolute or `..` names, XML without DTD or
entities, bounded depth — and every failure is an XdmError. A package is read for its patient many
times a day, and a 257 KB zip can unpack to 256 MB: `parse_xdm` therefore decompresses METADATA.XML
alone (at most 8 MiB) and never the documents; `XdmReader.document` streams one, in pieces, hashed
on the way, when it is wanted. Every decompressed byte is counted by us against the
package's budget, whatever sizes its headers declare. `write_xdm` streams each document from
its source into any write-only file (the outbox writes it straight into encrypted chunk rows), so a
document is never whole in memory; METADATA.XML, which needs each document's SHA-1 and size, is the
last member. All of it is CPU work: call it through `asyncio.to_thread`.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import io
import lzma
import posixpath
import re
import struct
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from xml.parsers import expat

from app import logs, messages
from app.errors import CoreError
from app.message import doctypes
from app.message.patient import INS_OIDS, PatientIdentity, Sex
from app.messages import Message

__all__ = [
    "PatientIdentity",
    "XdmDocument",
    "XdmEntry",
    "XdmError",
    "XdmPackage",
    "XdmReader",
    "XdmSource",
    "build_xdm",
    "parse_xdm",
    "write_xdm",
]

log = logs.get("message")

LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"

# ebXML registry identifiers of the XDS metadata (ITI TF-3 §4.2.5).
DOCUMENT_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
DE_AUTHOR = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
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
ASSOCIATION = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association"
HAS_MEMBER = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"
APPROVED = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
# Codes that are not LOINC ("autre") are written under this local scheme, never passed as LOINC.
LOCAL_TYPE_SCHEME = "urn:monsisra:document-type"
# The OID of this software as a submission source: 2.25 + a fixed UUID (ITU-T X.667).
SOURCE_OID = "2.25." + str(uuid.UUID("0b8f6f8e-4f5e-4d7a-9a55-6d6f6e736973").int)

METADATA_PATH = "IHE_XDM/SUBSET01/METADATA.XML"
MAX_MEMBERS = 1_000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_METADATA_BYTES = 8 * 1024 * 1024
MAX_XML_DEPTH = 64
MAX_XML_NODES = 200_000  # elements and attributes: what the parsed tree costs in memory
_READ_CHUNK = 64 * 1024
_EXTENSIONS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPG",
    "image/tiff": "TIF",
    "text/plain": "TXT",
    "text/xml": "XML",
    "application/xml": "XML",
    "application/hl7-v3+xml": "XML",
    "text/rtf": "RTF",
}
# Formats that are compressed already: stored as they are (deflating them again costs time for
# nothing; a 200 MB scan would hold the cache's writer for seconds).
_STORED_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/gif", "application/zip", "video/mp4"}
)
_PID8 = {"female": "F", "male": "M", "other": "O", "unknown": "U"}
_SEX_OF_PID8: dict[str, Sex] = {"F": "female", "M": "male", "O": "other", "A": "other"}


class XdmError(CoreError):
    message = messages.XDM_INVALID


@dataclass(frozen=True)
class XdmDocument:
    """A document to put in a package: `file_name` is its name in the message."""

    file_name: str
    mime_type: str
    type_code: str
    type_label: str
    title: str
    content: bytes


@dataclass(frozen=True)
class XdmSource:
    """A document to stream into a package: `chunks()` yields its bytes once, in pieces; `size` is
    what it is expected to weigh (for the zip's 64-bit extensions): the real size and SHA-1 are
    measured while it streams."""

    file_name: str
    mime_type: str
    type_code: str
    type_label: str
    title: str
    size: int
    chunks: Callable[[], Iterable[bytes]]


class XdmSink(Protocol):
    """Where a package is written: a write-only file (zipfile needs only these)."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class XdmEntry:
    """A document entry of a package's METADATA.XML; `XdmReader.document` streams its content."""

    file_name: str  # the URI slot: the member's name within the subset folder
    mime_type: str
    type_code: str | None
    type_label: str  # the display name the sender wrote, else ours, else "Autre"
    coding_scheme: str | None
    title: str
    size: int | None
    sha1: str | None
    creation_time: dt.datetime | None
    member: str | None  # the document's path in the zip; None when the zip lacks it

    @property
    def document_type(self) -> doctypes.DocumentType | None:
        return doctypes.by_code(self.type_code)


@dataclass(frozen=True)
class XdmPackage:
    patient: PatientIdentity | None
    documents: list[XdmEntry] = field(default_factory=list)
    title: str = ""
    submission_time: dt.datetime | None = None
    author: str = ""  # the author as the sender wrote it (XCN), for display only

    def entry_for(self, content: bytes) -> XdmEntry | None:
        """The entry describing an attachment of the message, matched by its SHA-1."""
        digest = hashlib.sha1(content).hexdigest()  # noqa: S324 (XDS's hash is SHA-1)
        return next((e for e in self.documents if e.sha1 == digest), None)


# --- Building ---------------------------------------------------------------------------------


def _ts(moment: dt.datetime) -> str:
    """XDS DTM: YYYYMMDDHHMMSS in UTC (naive datetimes are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%d%H%M%S")


def _oid_from_uuid(new_uuid: Callable[[], uuid.UUID]) -> str:
    return f"2.25.{new_uuid().int}"


class _Writer:
    """ElementTree helpers for the rim: namespace."""

    def __init__(self, new_uuid: Callable[[], uuid.UUID]) -> None:
        self.new_uuid = new_uuid
        self.root = ET.Element(f"{{{LCM}}}SubmitObjectsRequest")
        self.objects = self.sub(self.root, "RegistryObjectList")

    @staticmethod
    def sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
        return ET.SubElement(parent, f"{{{RIM}}}{tag}", attrs)

    def slot(self, parent: ET.Element, name: str, *values: str) -> None:
        values_node = self.sub(self.sub(parent, "Slot", name=name), "ValueList")
        for value in values:
            self.sub(values_node, "Value").text = value

    def localized(self, parent: ET.Element, tag: str, text: str) -> None:
        self.sub(
            self.sub(parent, tag),
            "LocalizedString",
            **{"{http://www.w3.org/XML/1998/namespace}lang": "fr-FR", "value": text},
        )

    def classification(
        self, parent: ET.Element, scheme: str, target: str, code: str = ""
    ) -> ET.Element:
        return self.sub(
            parent,
            "Classification",
            id=f"urn:uuid:{self.new_uuid()}",
            objectType=CLASSIFICATION,
            classificationScheme=scheme,
            classifiedObject=target,
            nodeRepresentation=code,
        )

    def external_id(
        self, parent: ET.Element, scheme: str, target: str, value: str, label: str
    ) -> None:
        node = self.sub(
            parent,
            "ExternalIdentifier",
            id=f"urn:uuid:{self.new_uuid()}",
            objectType=EXTERNAL_IDENTIFIER,
            identificationScheme=scheme,
            registryObject=target,
            value=value,
        )
        self.localized(node, "Name", label)


def _xcn(author_name: str) -> str:
    """XCN with only a display name known: it goes in the family-name component."""
    return "^" + _hl7_escape(author_name)


def _hl7_escape(text: str) -> str:
    """HL7 v2 escapes, so a name with ^ or & cannot shift the components."""
    table = {"\\": "\\E\\", "|": "\\F\\", "^": "\\S\\", "&": "\\T\\", "~": "\\R\\"}
    return "".join(table.get(c, c) for c in text)


def _hl7_unescape(text: str) -> str:
    table = {"\\E\\": "\\", "\\F\\": "|", "\\S\\": "^", "\\T\\": "&", "\\R\\": "~"}
    return re.sub(r"\\[EFSTR]\\", lambda m: table[m.group(0)], text)


def _xcn_display(xcn: str) -> str:
    """ "Given FAMILY" from an XCN (`id^family^given^…`), for display."""
    parts = [_hl7_unescape(p).strip() for p in xcn.split("^")]
    family = parts[1] if len(parts) > 1 else ""
    given = parts[2] if len(parts) > 2 else ""
    return " ".join(p for p in (given, family) if p) or (parts[0] if parts else "")


def _member_name(index: int, document: XdmSource) -> str:
    suffix = posixpath.splitext(document.file_name)[1].lstrip(".").upper()
    if not (suffix.isascii() and suffix.isalnum() and 1 <= len(suffix) <= 4):
        suffix = _EXTENSIONS.get(document.mime_type.lower(), "BIN")
    return f"DOC{index:04d}.{suffix}"


def _author_slots(writer: _Writer, node: ET.Element, author_name: str, author_email: str) -> None:
    writer.slot(node, "authorPerson", _xcn(author_name))
    if author_email:
        writer.slot(node, "authorTelecommunication", f"^^Internet^{author_email}")


def _metadata(
    patient: PatientIdentity,
    documents: Sequence[XdmSource],
    names: list[str],
    digests: list[tuple[str, int]],
    author_name: str,
    author_email: str,
    created: dt.datetime,
    title: str,
    new_uuid: Callable[[], uuid.UUID],
) -> bytes:
    writer = _Writer(new_uuid)
    when = _ts(created)
    pid = patient.ihe_id
    patient_info = [
        f"PID-5|{_hl7_escape(patient.family.upper())}^{_hl7_escape(patient.given)}^^^^^L",
        f"PID-8|{_PID8[patient.sex]}",
    ]
    if patient.birth_date is not None:
        patient_info.insert(1, f"PID-7|{patient.birth_date.strftime('%Y%m%d')}")
    if pid is not None:
        patient_info.insert(0, f"PID-3|{pid}")
    entry_ids: list[str] = []
    for document, name, (sha1, size) in zip(documents, names, digests, strict=True):
        entry_id = f"urn:uuid:{new_uuid()}"
        entry_ids.append(entry_id)
        entry = writer.sub(
            writer.objects,
            "ExtrinsicObject",
            id=entry_id,
            mimeType=document.mime_type,
            objectType=DOCUMENT_ENTRY,
            status=APPROVED,
        )
        writer.slot(entry, "creationTime", when)
        writer.slot(entry, "hash", sha1)
        writer.slot(entry, "size", str(size))
        writer.slot(entry, "languageCode", "fr-FR")
        if pid is not None:
            writer.slot(entry, "sourcePatientId", pid)
        writer.slot(entry, "sourcePatientInfo", *patient_info)
        writer.slot(entry, "URI", name)
        writer.localized(entry, "Name", document.title or document.file_name)
        label = document.type_label or doctypes.label_of(document.type_code)
        writer.localized(entry, "Description", label)
        _author_slots(
            writer, writer.classification(entry, DE_AUTHOR, entry_id), author_name, author_email
        )
        known = doctypes.by_code(document.type_code)
        scheme = doctypes.LOINC_OID if known is not None and known.is_loinc else LOCAL_TYPE_SCHEME
        type_node = writer.classification(entry, DE_TYPE_CODE, entry_id, document.type_code)
        writer.slot(type_node, "codingScheme", scheme)
        writer.localized(type_node, "Name", label)
        if pid is not None:
            writer.external_id(entry, DE_PATIENT_ID, entry_id, pid, "XDSDocumentEntry.patientId")
        writer.external_id(
            entry, DE_UNIQUE_ID, entry_id, _oid_from_uuid(new_uuid), "XDSDocumentEntry.uniqueId"
        )

    set_id = f"urn:uuid:{new_uuid()}"
    package = writer.sub(writer.objects, "RegistryPackage", id=set_id, objectType=REGISTRY_PACKAGE)
    writer.slot(package, "submissionTime", when)
    writer.localized(package, "Name", title)
    _author_slots(
        writer, writer.classification(package, SS_AUTHOR, set_id), author_name, author_email
    )
    first = documents[0].type_code if documents else doctypes.OTHER_CODE
    content_type = writer.classification(package, SS_CONTENT_TYPE, set_id, first)
    first_known = doctypes.by_code(first)
    writer.slot(
        content_type,
        "codingScheme",
        doctypes.LOINC_OID
        if first_known is not None and first_known.is_loinc
        else LOCAL_TYPE_SCHEME,
    )
    writer.localized(content_type, "Name", doctypes.label_of(first))
    writer.external_id(
        package, SS_UNIQUE_ID, set_id, _oid_from_uuid(new_uuid), "XDSSubmissionSet.uniqueId"
    )
    writer.external_id(package, SS_SOURCE_ID, set_id, SOURCE_OID, "XDSSubmissionSet.sourceId")
    if pid is not None:
        writer.external_id(package, SS_PATIENT_ID, set_id, pid, "XDSSubmissionSet.patientId")
    writer.sub(
        writer.objects,
        "Classification",
        id=f"urn:uuid:{new_uuid()}",
        objectType=CLASSIFICATION,
        classifiedObject=set_id,
        classificationNode=SUBMISSION_SET,
    )
    for entry_id in entry_ids:
        association = writer.sub(
            writer.objects,
            "Association",
            id=f"urn:uuid:{new_uuid()}",
            objectType=ASSOCIATION,
            associationType=HAS_MEMBER,
            sourceObject=set_id,
            targetObject=entry_id,
        )
        writer.slot(association, "SubmissionSetStatus", "Original")
    ET.register_namespace("lcm", LCM)
    ET.register_namespace("rim", RIM)
    ET.indent(writer.root)
    data: bytes = ET.tostring(writer.root, encoding="UTF-8", xml_declaration=True)
    return data


def _index_htm(
    patient: PatientIdentity, documents: Sequence[XdmSource], names: list[str], title: str
) -> bytes:
    esc = html.escape
    items = "\n".join(
        f'<li><a href="IHE_XDM/SUBSET01/{name}">{esc(d.title or d.file_name)}</a>'
        f" — {esc(d.type_label or doctypes.label_of(d.type_code))}</li>"
        for d, name in zip(documents, names, strict=True)
    )
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title></head>\n<body>\n<h1>{esc(title)}</h1>\n"
        f"<p>Patient : {esc(patient.display())}</p>\n<ul>\n{items}\n</ul>\n"
        '<p>Métadonnées : <a href="IHE_XDM/SUBSET01/METADATA.XML">METADATA.XML</a></p>\n'
        "</body></html>\n"
    ).encode()


def _readme(author_name: str, documents: Sequence[XdmSource], names: list[str]) -> bytes:
    lines = [
        "Paquet IHE XDM (IHE ITI TF-1 §16) produit par MonSisra bureau.",
        f"Émetteur : {author_name}",
        "Contenu : IHE_XDM/SUBSET01/METADATA.XML et les documents suivants :",
        *(
            f"  {name}  {d.type_label or doctypes.label_of(d.type_code)}  ({d.file_name})"
            for d, name in zip(documents, names, strict=True)
        ),
        "",
    ]
    return "\r\n".join(lines).encode()


def build_xdm(
    patient: PatientIdentity,
    documents: Sequence[XdmDocument],
    author_name: str,
    author_email: str,
    created: dt.datetime,
    *,
    title: str = "",
) -> bytes:
    """The IHE_XDM.ZIP of one message about `patient` holding `documents` (at least one), in
    memory: for small documents; `write_xdm` streams large ones."""
    sources = [
        XdmSource(
            file_name=d.file_name,
            mime_type=d.mime_type,
            type_code=d.type_code,
            type_label=d.type_label,
            title=d.title,
            size=len(d.content),
            chunks=_whole(d.content),
        )
        for d in documents
    ]
    buffer = io.BytesIO()
    write_xdm(buffer, patient, sources, author_name, author_email, created, title=title)
    return buffer.getvalue()


def _whole(content: bytes) -> Callable[[], Iterable[bytes]]:
    return lambda: (content,)


def write_xdm(
    out: XdmSink,
    patient: PatientIdentity,
    documents: Sequence[XdmSource],
    author_name: str,
    author_email: str,
    created: dt.datetime,
    *,
    title: str = "",
    new_uuid: Callable[[], uuid.UUID] = uuid.uuid4,
) -> None:
    """Writes the IHE_XDM.ZIP of one message about `patient` into `out`, each document streamed
    from its source (memory stays at a few chunks whatever the sizes). `out` needs only `write`
    (and `tell`, when it has one): without `seek`, members carry data descriptors. Documents come
    before METADATA.XML, whose hashes and sizes are those measured while streaming. `new_uuid`
    makes its ids (fixed ones, with `created`, give the same bytes: the golden messages' tests)."""
    if not documents:
        raise XdmError("no documents", messages.XDM_NO_DOCUMENT)
    names = [_member_name(i, d) for i, d in enumerate(documents, start=1)]
    title = title or documents[0].title or "Documents"
    moment = created.astimezone(dt.UTC) if created.tzinfo else created
    stamp = (
        max(moment.year, 1980),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )

    def info(name: str, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
        member = zipfile.ZipInfo(name, stamp)
        member.compress_type = compress
        return member

    digests: list[tuple[str, int]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(info("INDEX.HTM"), _index_htm(patient, documents, names, title))
        archive.writestr(info("README.TXT"), _readme(author_name, documents, names))
        for document, name in zip(documents, names, strict=True):
            stored = document.mime_type.lower() in _STORED_TYPES
            member = info(
                f"IHE_XDM/SUBSET01/{name}", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
            member.file_size = max(document.size, 0)  # decides the zip64 extensions
            digest = hashlib.sha1()  # noqa: S324 (XDS's hash is SHA-1)
            size = 0
            with archive.open(member, "w") as stream:
                for piece in document.chunks():
                    digest.update(piece)
                    size += len(piece)
                    stream.write(piece)
            digests.append((digest.hexdigest(), size))
        metadata = _metadata(
            patient, documents, names, digests, author_name, author_email, created, title, new_uuid
        )
        archive.writestr(info(METADATA_PATH), metadata)
    log.debug("built an XDM package with %d document(s)", len(documents))


# --- Parsing ----------------------------------------------------------------------------------

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ValueError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    KeyError,
    IndexError,
    OverflowError,
)


def _bad(detail: str, message: Message | None = None) -> XdmError:
    return XdmError(detail, message)


def _safe_member_name(name: str) -> str:
    """The member's path with `/` separators; refuses what could escape a folder."""
    path = name.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise _bad("absolute member name", messages.XDM_ABSOLUTE_PATH)
    if any(part == ".." for part in path.split("/")):
        raise _bad("member name with ..", messages.XDM_FORBIDDEN_PATH)
    return path


class _Archive:
    """A zip opened with its members checked before anything is decompressed, and whose every
    decompressed byte is then counted, by us, against one budget."""

    def __init__(self, data: bytes, max_members: int, max_total: int) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))  # BytesIO shares `data`: no copy
        infos = self.zip.infolist()
        if len(infos) > max_members:
            raise _bad("too many members", messages.XDM_TOO_MANY_FILES)
        self.by_name: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            path = _safe_member_name(info.filename)
            if info.flag_bits & 0x1:
                raise _bad(
                    "encrypted member",
                    messages.XDM_ENCRYPTED,
                )
            key = path.upper()
            if key in self.by_name:
                raise _bad("duplicate member", messages.XDM_DUPLICATES)
            self.by_name[key] = info
            declared += max(info.file_size, 0)
        if declared > max_total:  # an honest bomb, refused before any work
            raise _too_big(f"declares {declared} bytes")
        self.budget = max_total

    def member(self, path: str) -> zipfile.ZipInfo | None:
        """The file at `path` (case-insensitive), None when there is none (or a folder)."""
        info = self.by_name.get(path.upper())
        return None if info is None or info.is_dir() else info

    def chunks(self, info: zipfile.ZipInfo, limit: int | None = None) -> Iterator[bytes]:
        """A member's bytes as they inflate, at most _READ_CHUNK at a time, counted against the
        budget (and `limit`). zipfile stops at the size the headers declare and then fails on the
        CRC, so a lying header would never reach our cap: the member is opened through a copy of
        its entry that declares no limit, the stream runs to its real end, our count decides, and a
        size that differs from the declared one is refused at the end (zipfile checks the CRC)."""
        cap = self.budget if limit is None else min(limit, self.budget)
        unbounded = copy.copy(info)
        unbounded.file_size = sys.maxsize
        produced = 0
        with self.zip.open(unbounded) as stream:
            while chunk := stream.read(_READ_CHUNK):
                produced += len(chunk)
                self.budget -= len(chunk)
                if produced > cap:
                    raise _too_big(f"stopped after {produced} bytes")
                yield chunk
        if produced != info.file_size:
            raise _bad(
                "member size differs from its header",
                messages.XDM_SIZE_MISMATCH,
            )


def _too_big(detail: str) -> XdmError:
    return _bad(
        f"too large once decompressed ({detail})",
        messages.XDM_TOO_LARGE,
    )


def _parse_xml(data: bytes) -> ET.Element:
    """XML through expat with no DTD, no entity and bounded depth and size, in one call: expat 2.5
    scans a token cut across pieces again from its start, which made an 8 MB start tag cost three
    times as much fed in 64 KiB pieces. Tags come out as `{ns}local`."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    depth = 0
    count = 0

    def refuse(*_args: object) -> int:
        raise _bad(
            "DTD or entity in METADATA.XML",
            messages.XDM_METADATA_DTD,
        )

    def tag(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, count
        depth += 1
        count += 1 + len(attrs)
        if depth > MAX_XML_DEPTH or count > MAX_XML_NODES:
            raise _bad("XML too deep or too large", messages.XDM_METADATA_TOO_COMPLEX)
        builder.start(tag(name), {tag(k): v for k, v in attrs.items()})

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(tag(name))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SkippedEntityHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _bad(f"bad XML ({exc.code})", messages.XDM_METADATA_NOT_XML) from None
    return builder.close()


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _children(element: ET.Element, local: str) -> list[ET.Element]:
    return [child for child in element if _local(child) == local]


def _descendants(element: ET.Element, local: str) -> list[ET.Element]:
    return [node for node in element.iter() if _local(node) == local]


def _slots(element: ET.Element) -> dict[str, list[str]]:
    """Slot name → values; names compared as senders write them (case kept, first wins)."""
    out: dict[str, list[str]] = {}
    for slot in _children(element, "Slot"):
        name = slot.get("name")
        if not name or name in out:
            continue
        out[name] = [
            (value.text or "").strip()
            for values in _children(slot, "ValueList")
            for value in _children(values, "Value")
        ]
    return out


def _localized(element: ET.Element, local: str) -> str:
    for holder in _children(element, local):
        for string in _children(holder, "LocalizedString"):
            value = string.get("value")
            if value:
                return value.strip()
    return ""


def _parse_dtm(value: str) -> dt.datetime | None:
    """HL7 DTM (YYYY[MM[DD[HH[MM[SS]]]]], optional fraction and zone; UTC when none)."""
    match = re.fullmatch(
        r"(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?", value.strip()
    )
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    tz = dt.UTC
    if zone:
        sign = 1 if zone[0] == "+" else -1
        try:
            tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))
        except ValueError:
            return None
    try:
        return dt.datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None


def _parse_date(value: str) -> dt.date | None:
    moment = _parse_dtm(value[:8]) if len(value) >= 8 else None
    return moment.date() if moment else None


def _cx(value: str) -> tuple[str, str | None] | None:
    """`id^^^&OID&ISO` → (id, OID); None when there is no id."""
    parts = value.strip().split("^")
    ident = parts[0].strip()
    if not ident:
        return None
    oid = None
    if len(parts) >= 4:
        authority = parts[3].split("&")
        if len(authority) >= 2 and authority[1].strip():
            oid = authority[1].strip()
    return ident, oid


def _best_patient_id(candidates: list[str]) -> tuple[str, str | None] | None:
    """An INS when any candidate is one (a real INS first), else the first identifier."""
    parsed = [p for c in candidates for rep in c.split("~") if (p := _cx(rep)) is not None]
    for wanted in (("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9"), tuple(INS_OIDS)):
        for ident, oid in parsed:
            if oid in wanted:
                return ident, oid
    return parsed[0] if parsed else None


def _patient(entries: list[ET.Element], packages: list[ET.Element]) -> PatientIdentity | None:
    ids: list[str] = []
    info: list[str] = []
    for node in [*packages, *entries]:
        for external in _children(node, "ExternalIdentifier"):
            if external.get("identificationScheme") in (DE_PATIENT_ID, SS_PATIENT_ID):
                ids.append(external.get("value") or "")
    for entry in entries:
        slots = _slots(entry)
        ids += slots.get("sourcePatientId", [])
        if not info:
            info = slots.get("sourcePatientInfo", [])
    fields: dict[str, list[str]] = {}
    for line in info:
        key, bar, value = line.partition("|")
        if bar:
            fields.setdefault(key.strip().upper(), []).append(value.strip())
    ids = fields.get("PID-3", []) + ids
    found = _best_patient_id(ids)
    name = (fields.get("PID-5") or [""])[0].split("~")[0].split("^")
    family = _hl7_unescape(name[0]).strip() if name else ""
    given = _hl7_unescape(name[1]).strip() if len(name) > 1 else ""
    if found is None and not (family or given):
        return None
    ins, oid = (found[0], found[1]) if found is not None and found[1] in INS_OIDS else (None, None)
    if ins is not None:
        ins = ins.upper()
    birth = _parse_date((fields.get("PID-7") or [""])[0])
    sex: Sex = _SEX_OF_PID8.get((fields.get("PID-8") or [""])[0].strip().upper()[:1], "unknown")
    return PatientIdentity(ins=ins, oid=oid, given=given, family=family, birth_date=birth, sex=sex)


def _int(values: list[str]) -> int | None:
    text = values[0] if values else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 15 else None


def _entry(node: ET.Element, folder: str, archive: _Archive) -> XdmEntry:
    slots = _slots(node)
    entry_id = node.get("id")
    type_code = None
    type_label = ""
    coding_scheme = None
    for classification in _children(node, "Classification"):
        if classification.get("classificationScheme") != DE_TYPE_CODE:
            continue
        if entry_id and classification.get("classifiedObject") not in (None, entry_id):
            continue
        type_code = (classification.get("nodeRepresentation") or "").strip() or None
        schemes = _slots(classification).get("codingScheme") or []
        coding_scheme = schemes[0] if schemes else None
        type_label = _localized(classification, "Name")
        break
    known = doctypes.by_code(type_code)
    label = type_label or (known.label if known else doctypes.OTHER.label)
    uri = (slots.get("URI") or [""])[0]
    member = posixpath.join(folder, _safe_member_name(uri)) if uri else None
    return XdmEntry(
        file_name=uri,
        mime_type=node.get("mimeType") or "application/octet-stream",
        type_code=type_code,
        type_label=label,
        coding_scheme=coding_scheme,
        title=_localized(node, "Name"),
        size=_int(slots.get("size", [])),
        sha1=(slots.get("hash") or [""])[0].lower() or None,
        creation_time=_parse_dtm((slots.get("creationTime") or [""])[0]),
        member=member if member is not None and archive.member(member) is not None else None,
    )


def _metadata_path(archive: _Archive) -> str:
    """IHE_XDM/SUBSET01/METADATA.XML, or the first subset's when a sender named it otherwise."""
    if METADATA_PATH.upper() in archive.by_name:
        return METADATA_PATH.upper()
    found = sorted(
        name for name in archive.by_name if re.fullmatch(r"IHE_XDM/[^/]+/METADATA\.XML", name)
    )
    if not found:
        raise _bad(
            "no METADATA.XML",
            messages.XDM_NO_METADATA,
        )
    return found[0]


def parse_xdm(
    data: bytes,
    *,
    max_members: int = MAX_MEMBERS,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_metadata_bytes: int = MAX_METADATA_BYTES,
) -> XdmPackage:
    """The patient and document entries of an IHE_XDM.ZIP, from its METADATA.XML alone (no
    document is decompressed); any problem is an XdmError (French)."""
    with XdmReader(
        data,
        max_members=max_members,
        max_total_bytes=max_total_bytes,
        max_metadata_bytes=max_metadata_bytes,
    ) as reader:
        return reader.package


class XdmReader:
    """An IHE_XDM.ZIP being read: its members checked, its METADATA.XML parsed, its documents
    streamed on demand; all of it within one decompression budget (`max_total_bytes`), counted by
    us."""

    def __init__(
        self,
        data: bytes,
        *,
        max_members: int = MAX_MEMBERS,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        max_metadata_bytes: int = MAX_METADATA_BYTES,
    ) -> None:
        try:
            self._archive = _Archive(data, max_members, max_total_bytes)
        except _ZIP_ERRORS as exc:
            raise _unreadable(exc) from None
        try:
            self.package = self._read_package(max_metadata_bytes)
        except _ZIP_ERRORS as exc:
            self.close()
            raise _unreadable(exc) from None
        except BaseException:
            self.close()
            raise
        log.debug("parsed an XDM package with %d document(s)", len(self.package.documents))

    def _read_package(self, max_metadata_bytes: int) -> XdmPackage:
        archive = self._archive
        path = _metadata_path(archive)
        info = archive.member(path)
        if info is None:
            raise _bad("METADATA.XML is a folder")
        metadata = io.BytesIO()  # grows in place; getvalue() hands its buffer over
        for chunk in archive.chunks(info, max_metadata_bytes):
            metadata.write(chunk)
        root = _parse_xml(metadata.getvalue())
        if _local(root) != "SubmitObjectsRequest":
            raise _bad(
                "not a SubmitObjectsRequest",
                messages.XDM_NOT_SUBMISSION,
            )
        entries = _descendants(root, "ExtrinsicObject")
        packages = _descendants(root, "RegistryPackage")
        folder = path.rpartition("/")[0]
        package = packages[0] if packages else None
        submission = None
        author = ""
        if package is not None:
            submission = _parse_dtm((_slots(package).get("submissionTime") or [""])[0])
            for classification in _children(package, "Classification"):
                if classification.get("classificationScheme") == SS_AUTHOR:
                    author = (_slots(classification).get("authorPerson") or [""])[0]
        return XdmPackage(
            patient=_patient(entries, packages),
            documents=[_entry(node, folder, archive) for node in entries],
            title=_localized(package, "Name") if package is not None else "",
            submission_time=submission,
            author=_xcn_display(author),
        )

    def document(self, entry: XdmEntry) -> Iterator[bytes]:
        """The entry's document in pieces of at most 64 KiB, hashed as it streams: once the last
        piece is out, an XdmError if it does not match the SHA-1 and size METADATA.XML gives."""
        info = self._archive.member(entry.member) if entry.member is not None else None
        if info is None:
            raise _bad("document missing", messages.XDM_DOCUMENT_MISSING)
        digest = hashlib.sha1()  # noqa: S324 (XDS's hash is SHA-1)
        size = 0
        try:
            for chunk in self._archive.chunks(info):
                digest.update(chunk)
                size += len(chunk)
                yield chunk
        except _ZIP_ERRORS as exc:
            raise _unreadable(exc) from None
        if (entry.sha1 is not None and digest.hexdigest() != entry.sha1) or (
            entry.size is not None and size != entry.size
        ):
            raise _bad(
                "document differs from its metadata",
                messages.XDM_DOCUMENT_ALTERED,
            )

    def close(self) -> None:
        self._archive.zip.close()

    def __enter__(self) -> XdmReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _unreadable(exc: BaseException) -> XdmError:
    return _bad(f"unreadable zip ({type(exc).__name__})")
