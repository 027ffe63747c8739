"""The compte rendu that closes a téléexpertise is a real document filed in the patient's record
(issue 13 §3): a PDF typed 85208-7 and its IHE_XDM.ZIP in the conversation, the same PDF in the
record on the regional service, listed and downloaded by the requester and the expert (acteurs du
dossier), refused to a professional without need-to-know, every access in the patient's journal;
the portal's patient file lists it with a download link."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx
import pypdfium2 as pdfium

from app.message.xdm import parse_xdm
from server.regional.report import REGIONAL_PATIENT_OID
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, CAROL, get_token
from tests.server.jmap_support import Jmap
from tests.server.test_regional import assert_error, declare_expert, make_ins, new_patient

INS = make_ins("2800469123046")
TEST_OID = "1.2.250.1.213.1.4.10"
QUESTION = "Lésion pigmentée du dos apparue il y a trois mois : exérèse ?"
ANSWER = "Aspect de naevus atypique : exérèse avec marges de 2 mm."
REPORT = "Exérèse complète réalisée, marges saines. Surveillance annuelle."
DE_TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
RIM = "{urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0}"


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def closed_teleexpertise(alice: httpx.Client, bob: httpx.Client, **patient: Any) -> Any:
    """Alice asks Bob about a patient she follows, Bob answers, Alice closes with REPORT."""
    declare_expert(bob)
    created = new_patient(alice, **patient)
    body = {"expertAddress": BOB.email, "patientId": created["id"], "question": QUESTION}
    r = alice.post("/teleexpertises", json=body)
    assert r.status_code == 201, r.text
    te = r.json()
    assert bob.post(f"/teleexpertises/{te['id']}/answer", json={"answer": ANSWER}).is_success
    closed = alice.post(f"/teleexpertises/{te['id']}/close", json={"report": REPORT})
    assert closed.status_code == 200, closed.text
    return created, closed.json()


def report_attachments(server: ServerThread) -> tuple[Jmap, dict[str, Any], dict[str, Any]]:
    """The last message of Bob's inbox: the compte rendu, its PDF and its IHE_XDM.ZIP."""
    mail = Jmap(server.base_url, get_token(server.base_url, BOB))
    ids = mail.call(
        "Email/query",
        filter={"inMailbox": mail.mailbox("inbox")},
        sort=[{"property": "receivedAt"}],
    )["ids"]
    [email] = mail.call(
        "Email/get",
        ids=[ids[-1]],
        properties=["subject", "attachments"],
        bodyProperties=["blobId", "type", "name", "header:Content-Description:asText"],
    )["list"]
    pdf, package = email["attachments"]
    return mail, pdf, package


def download(mail: Jmap, part: dict[str, Any]) -> bytes:
    url = (
        mail.session["downloadUrl"]
        .replace("{accountId}", mail.account_id)
        .replace("{blobId}", part["blobId"])
        .replace("{name}", quote(part["name"], safe=""))
        .replace("{type}", quote(part["type"], safe=""))
    )
    r = httpx.get(url, headers=mail.headers)
    assert r.status_code == 200, r.text
    return r.content


def test_the_report_is_a_pdf_with_its_xdm_in_the_conversation(trio: Any) -> None:
    server, alice, bob, _ = trio
    closed_teleexpertise(alice, bob, ins=INS, insOid=TEST_OID)
    mail, pdf, package = report_attachments(server)
    assert pdf["type"] == "application/pdf"
    assert pdf["header:Content-Description:asText"] == "CR de télémédecine"
    assert re.fullmatch(r"\d{8}_CR-teleexpertise_LEFEVRE_Elodie\.pdf", pdf["name"])
    assert (package["name"], package["type"]) == ("IHE_XDM.ZIP", "application/zip")

    data = download(mail, pdf)
    assert data.startswith(b"%PDF-1.4")
    text = pdf_text(data)
    for expected in ("Compte rendu de téléexpertise", "Élodie LEFÈVRE", "née le 02/04/1980"):
        assert expected in text
    assert f"INS {INS}" in text
    assert "Exérèse complète réalisée, marges saines." in text
    assert "Aspect de naevus atypique" in text  # the expert's answer
    assert "LOINC 85208-7" in text
    assert ALICE.name in text  # signed by who closed it

    archive = download(mail, package)
    with zipfile.ZipFile(BytesIO(archive)) as z:
        metadata = z.read("IHE_XDM/SUBSET01/METADATA.XML")
        assert z.read("IHE_XDM/SUBSET01/DOC0001.PDF") == data
    root = ET.fromstring(metadata)  # noqa: S314 (the sandbox's own output)
    [type_code] = [
        c
        for c in root.iter(f"{RIM}Classification")
        if c.get("classificationScheme") == DE_TYPE_CODE
    ]
    assert type_code.get("nodeRepresentation") == "85208-7"
    assert f"{INS}^^^&amp;{TEST_OID}&amp;ISO" in metadata.decode()
    # What a MonSisra client reads of it: the patient and the document's type.
    parsed = parse_xdm(archive)
    assert parsed.patient is not None
    assert (parsed.patient.ins, parsed.patient.oid) == (INS, TEST_OID)
    assert (parsed.patient.family, parsed.patient.given) == ("LEFÈVRE", "Élodie")
    entry = parsed.entry_for(data)  # the PDF beside it in the message, by its SHA-1
    assert entry is not None
    assert len(parsed.documents) == 1
    assert entry.type_code == "85208-7"
    assert entry.title == "Compte rendu de téléexpertise"


def test_a_patient_without_ins_is_named_by_the_regional_directory(trio: Any) -> None:
    server, alice, bob, _ = trio
    patient, _ = closed_teleexpertise(alice, bob, given="Jules", family="Noël", sex="male")
    mail, _, package = report_attachments(server)
    archive = download(mail, package)
    with zipfile.ZipFile(BytesIO(archive)) as z:
        metadata = z.read("IHE_XDM/SUBSET01/METADATA.XML").decode()
    assert f"{patient['id']}^^^&amp;{REGIONAL_PATIENT_OID}&amp;ISO" in metadata
    parsed = parse_xdm(archive)
    assert parsed.patient is not None
    assert parsed.patient.ins is None  # never passed for an INS
    assert (parsed.patient.family, parsed.patient.given) == ("NOËL", "Jules")
    listed = alice.get(f"/patients/{patient['id']}/documents").json()["documents"]
    assert [d["typeCode"] for d in listed] == ["85208-7"]


def test_the_report_is_filed_for_those_who_need_to_know(trio: Any) -> None:
    server, alice, bob, carol = trio
    patient, te = closed_teleexpertise(alice, bob, ins=INS, insOid=TEST_OID)
    pid = patient["id"]
    r = alice.get(f"/patients/{pid}/documents")
    assert r.status_code == 200, r.text
    [document] = r.json()["documents"]
    assert document["typeCode"] == "85208-7"
    assert document["typeLabel"] == "CR de télémédecine"
    assert document["title"] == "Compte rendu de téléexpertise"
    assert document["contentType"] == "application/pdf"
    assert (document["source"], document["sourceId"]) == ("teleexpertise", te["id"])
    assert (document["author"], document["authorAddress"]) == (ALICE.name, ALICE.email)
    assert document["filedAt"] == te["closedAt"]

    # The expert does not follow the patient: closing made him one of the acteurs du dossier.
    assert bob.get("/file-active").json()["patients"] == []
    assert bob.get(f"/patients/{pid}/documents").json()["documents"] == [document]
    got = bob.get(f"/patients/{pid}/documents/{document['id']}")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert document["fileName"] in got.headers["content-disposition"]
    mail, pdf, _ = report_attachments(server)
    assert got.content == download(mail, pdf)  # the very PDF sent in the conversation
    assert len(got.content) == document["size"]
    care_team = alice.get(f"/patients/{pid}/care-team").json()["members"]
    assert BOB.email in {m["mssanteAddress"] for m in care_team}

    # Carol neither follows the patient nor is in the care team.
    assert_error(carol.get(f"/patients/{pid}/documents"), 403)
    assert_error(carol.get(f"/patients/{pid}/documents/{document['id']}"), 403)
    assert_error(alice.get("/patients/p0000000000000000/documents"), 404)
    assert_error(alice.get(f"/patients/{pid}/documents/doc0000000000000000"), 404)

    # Every access is in the patient's journal, newest first; Carol's refusals are not accesses.
    entries = alice.get(f"/patients/{pid}/access-log").json()["entries"]
    actions = [(e["actor"]["name"], e["action"]) for e in entries]
    assert actions[:4] == [
        (ALICE.name, "care_team"),
        (BOB.name, "document"),
        (BOB.name, "documents"),
        (ALICE.name, "documents"),
    ]
    assert (ALICE.name, "filed") in actions
    assert all(name != CAROL.name for name, _ in actions)


def test_the_portals_patient_file_lists_the_documents_to_download(trio: Any) -> None:
    server, alice, bob, _ = trio
    patient, _ = closed_teleexpertise(alice, bob, ins=INS, insOid=TEST_OID)
    page_url = f"{server.base_url}/portal/mespatients/patients/{INS}"
    page = httpx.get(page_url, auth=(ALICE.login, ALICE.password))
    assert page.status_code == 200
    assert "Documents du dossier" in page.text
    [href] = re.findall(r'href="(/portal/mespatients/patients/[^"]+/documents/[^"]+)"', page.text)
    assert ">Compte rendu de téléexpertise</a>" in page.text
    assert "CR de télémédecine" in page.text
    got = httpx.get(server.base_url + href, auth=(ALICE.login, ALICE.password))
    assert got.status_code == 200
    assert got.content.startswith(b"%PDF-1.4")
    assert "attachment;" in got.headers["content-disposition"]
    assert REPORT in pdf_text(got.content)
    # Someone without need-to-know gets neither the page nor the document.
    carol_auth = (CAROL.login, CAROL.password)
    assert httpx.get(page_url, auth=carol_auth).status_code == 404
    refused = httpx.get(server.base_url + href, auth=carol_auth)
    assert refused.status_code == 403
    assert "file active" in refused.text
    assert not refused.content.startswith(b"%PDF")
    journal = alice.get(f"/patients/{patient['id']}/access-log").json()["entries"]
    assert (journal[0]["actor"]["name"], journal[0]["action"]) == (ALICE.name, "document")


def test_a_record_without_documents_says_so_on_the_portal(trio: Any) -> None:
    server, alice, _, _ = trio
    new_patient(alice, ins=INS, insOid=TEST_OID)
    page = httpx.get(
        f"{server.base_url}/portal/mespatients/patients/{INS}", auth=(ALICE.login, ALICE.password)
    )
    assert "Aucun document n'a été déposé dans ce dossier." in page.text
