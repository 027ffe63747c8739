"""A document about a patient as a CDA R2 "N1" (CI-SIS: structured header, unstructured body):
what the IHE_XDM.ZIP of a message carries for each document, so that patient software and
Mon espace santé file it under the right patient and type (DESIGN §2.5).

The header says who (the patient: INS and the 4 traits — birth name, first given name, birth date,
sex), by whom (the author's RPPS, as the ANS national identifier `8` + RPPS), what (the LOINC type
code), when, and how confidential; the body is the document itself, base64, in a `nonXMLBody`.
The body is streamed: a document is never whole in memory, here as in app.message.xdm.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from app.message import doctypes
from app.message.patient import PatientIdentity

HL7 = "urn:hl7-org:v3"
CDA_MIME_TYPE = "text/xml"
# The ANS national identifier of health professionals (IdNat_PS): "8" + RPPS.
IDNAT_PS_OID = "1.2.250.1.71.4.2.1"
# CI-SIS: conformance to the French CDA header, and to the minimal structuration (N1).
CISIS_HEADER_TEMPLATE = "1.2.250.1.213.1.1.1.1"
CISIS_N1_TEMPLATE = "1.2.250.1.213.1.1.1.1.10"
HL7_FRANCE_TEMPLATE = "2.16.840.1.113883.2.8.2.1"
CONFIDENTIALITY_OID = "2.16.840.1.113883.5.25"
GENDER_OID = "2.16.840.1.113883.5.1"
_GENDER = {"female": "F", "male": "M", "other": "UN", "unknown": "UN"}
_LINE = 57 * 12  # bytes of document per base64 line group (whole multiples of 3)


NewUuid = Callable[[], uuid.UUID]


def _uuid_oid(new_uuid: NewUuid) -> str:
    return "2.25." + str(new_uuid().int)


def _ts(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return moment.strftime("%Y%m%d%H%M%S") + "+0000"


def _a(value: str) -> str:
    return quoteattr(value)


def cda_header(
    patient: PatientIdentity,
    type_code: str,
    title: str,
    author_name: str,
    author_rpps: str | None,
    created: dt.datetime,
    media_type: str,
    new_uuid: NewUuid = uuid.uuid4,
) -> str:
    """Everything of the CDA before the base64 body (the body's `<text>` opened). `new_uuid`
    makes its ids (fixed ones give the same bytes: the golden messages' tests)."""
    if patient.ins is None or patient.oid is None:
        raise ValueError("a CDA document needs the patient's INS")
    label = doctypes.label_of(type_code)
    when = _ts(created)
    birth = (
        f"<birthTime value={_a(patient.birth_date.strftime('%Y%m%d'))}/>"
        if patient.birth_date
        else '<birthTime nullFlavor="UNK"/>'
    )
    author_id = (
        f"<id root={_a(IDNAT_PS_OID)} extension={_a('8' + author_rpps)}/>"
        if author_rpps
        else f'<id root={_a(IDNAT_PS_OID)} nullFlavor="UNK"/>'
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="{HL7}">
<realmCode code="FR"/>
<typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<templateId root="{HL7_FRANCE_TEMPLATE}"/>
<templateId root="{CISIS_HEADER_TEMPLATE}"/>
<templateId root="{CISIS_N1_TEMPLATE}"/>
<id root={_a(_uuid_oid(new_uuid))}/>
<code code={_a(type_code)} codeSystem="{doctypes.LOINC_OID}" displayName={_a(label)}/>
<title>{escape(title or label)}</title>
<effectiveTime value="{when}"/>
<confidentialityCode code="N" codeSystem="{CONFIDENTIALITY_OID}" displayName="Normal"/>
<languageCode code="fr-FR"/>
<setId root={_a(_uuid_oid(new_uuid))}/>
<versionNumber value="1"/>
<recordTarget><patientRole>
<id root={_a(patient.oid)} extension={_a(patient.ins)}/>
<patient>
<name><given>{escape(patient.given)}</given>
<family qualifier="BR">{escape(patient.family.upper())}</family></name>
<administrativeGenderCode code="{_GENDER[patient.sex]}" codeSystem="{GENDER_OID}"/>
{birth}
</patient>
</patientRole></recordTarget>
<author><time value="{when}"/><assignedAuthor>
{author_id}
<assignedPerson><name><family>{escape(author_name)}</family></name></assignedPerson>
</assignedAuthor></author>
<custodian><assignedCustodian><representedCustodianOrganization>
<id root={_a(_uuid_oid(new_uuid))}/><name>MonSisra</name>
</representedCustodianOrganization></assignedCustodian></custodian>
<component><nonXMLBody><text mediaType={_a(media_type)} representation="B64">"""


CDA_FOOTER = "</text></nonXMLBody></component>\n</ClinicalDocument>\n"


def base64_size(size: int) -> int:
    """The size of `size` bytes in base64 with a line break after each group of `_LINE` bytes."""
    lines = -(-size // _LINE)
    return 4 * (-(-size // 3)) + lines


def cda_chunks(header: str, chunks: Callable[[], Iterable[bytes]]) -> Callable[[], Iterable[bytes]]:
    """The CDA's bytes, in pieces: the header, the document in base64 as it streams, the end."""

    def read() -> Iterator[bytes]:
        yield header.encode()
        pending = b""
        for piece in chunks():
            pending += piece
            whole = len(pending) - len(pending) % _LINE
            for start in range(0, whole, _LINE):
                yield base64.b64encode(pending[start : start + _LINE]) + b"\n"
            pending = pending[whole:]
        if pending:
            yield base64.b64encode(pending) + b"\n"
        yield CDA_FOOTER.encode()

    return read


def cda_size(header: str, size: int) -> int:
    return len(header.encode()) + base64_size(size) + len(CDA_FOOTER.encode())
