"""Composing: the Email/set create object (checked against the real sandbox), Message-IDs, replies
and forwards, document types and the patient helpers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from app.message import doctypes
from app.message.compose import (
    ComposeError,
    OutgoingAttachment,
    OutgoingMessage,
    bare_id,
    build_message_xdm,
    email_create,
    forward,
    forward_subject,
    new_message_id,
    reply_subject,
    reply_to,
)
from app.message.patient import (
    INS_NIA_TEST_OID,
    INS_NIR_OID,
    PatientIdentity,
    format_ins,
    is_valid_ins,
    is_xdm_file,
    normalize_ins,
    received_patient,
    xdm_attachment,
)
from app.message.xdm import XdmPackage, parse_xdm
from app.store.records import Address
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB
from tests.server.jmap_support import MAIL, Jmap

ME = Address("Dr Alice Martin", ALICE.email)
PATIENT = PatientIdentity(
    "260057512345684", INS_NIA_TEST_OID, "Marie", "DUPONT", dt.date(1960, 2, 1), "female"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# --- Document types ---------------------------------------------------------------------------


def test_document_types_follow_design_2_5_with_autre_last() -> None:
    codes = [t.code for t in doctypes.DOCUMENT_TYPES]
    assert codes == [
        "11488-4", "11490-0", "57833-6", "57832-8", "60591-5", "11502-2", "18748-4", "34112-3",
        "85208-7", "96349-6", "89601-9", "autre",
    ]  # fmt: skip
    assert doctypes.DOCUMENT_TYPES[-1] is doctypes.OTHER
    assert not doctypes.OTHER.is_loinc
    assert len({t.label for t in doctypes.DOCUMENT_TYPES}) == len(codes)


def test_document_type_lookups_forgive_case_accents_and_long_forms() -> None:
    assert doctypes.by_code("57833-6") == doctypes.DocumentType("57833-6", "Ordonnance")
    assert doctypes.by_code(" 85208-7 ") is not None
    assert doctypes.by_code("00000-0") is None
    assert doctypes.by_code(None) is None
    assert doctypes.by_label("synthese  MEDICALE") == doctypes.by_code("60591-5")
    assert doctypes.by_label("CR d’imagerie") == doctypes.by_code("18748-4")
    assert doctypes.by_label("Ordonnance (prescription de produits de santé)") == (
        doctypes.by_code("57833-6")
    )
    assert doctypes.by_label("inconnu") is None
    assert doctypes.label_of("nope") == "Autre"


# --- Patient ----------------------------------------------------------------------------------


def test_ins_key_is_checked() -> None:
    assert normalize_ins("2 60 05 75 123 456 84") == "260057512345684"
    assert is_valid_ins("260057512345684")
    assert not is_valid_ins("260057512345685")  # wrong key
    assert not is_valid_ins("26005751234568")  # too short
    assert not is_valid_ins("460057512345684")  # no such sex digit
    # Corsica: 2A counts as 19 for the key.
    nir = "1850" + "72A" + "123" + "456"
    key = 97 - int(nir.replace("2A", "19")) % 97
    assert normalize_ins(f"{nir}{key:02d}") == f"{nir}{key:02d}"


def test_an_ins_is_shown_in_the_groups_of_the_carte_vitale() -> None:
    assert format_ins("285036912304567") == "2 85 03 69 123 045 67"
    assert format_ins("1 850 72A 123 456 42") == "1 85 07 2A 123 456 42"  # spaces redone
    assert format_ins("ABC") == "ABC"  # not an INS: shown as given
    assert format_ins("") == ""


def test_the_patient_package_is_known_by_its_name_whatever_its_case_and_spaces() -> None:
    assert is_xdm_file("IHE_XDM.ZIP")
    assert is_xdm_file(" ihe_xdm.zip ")
    assert not is_xdm_file("IHE_XDM.ZIP.pdf")
    assert not is_xdm_file("")


def test_patient_display_in_french() -> None:
    assert PATIENT.display() == "DUPONT Marie, née le 01/02/1960"
    male = PatientIdentity(None, None, "Paul", "Roux", dt.date(1950, 12, 3), "male")
    assert male.display() == "ROUX Paul, né le 03/12/1950"
    unknown = PatientIdentity(None, None, "Camille", "Petit", dt.date(2001, 1, 9))
    assert unknown.display() == "PETIT Camille, date de naissance : 09/01/2001"
    assert PatientIdentity(None, None, "Léa", "Blanc").display() == "BLANC Léa"
    assert PATIENT.is_test
    assert not PATIENT.is_qualified
    real = PatientIdentity("260057512345684", INS_NIR_OID, "Marie", "DUPONT")
    assert real.is_qualified
    assert real.ihe_id == "260057512345684^^^&1.2.250.1.213.1.4.8&ISO"


def test_received_patient_comes_from_the_xdm_only() -> None:
    package = XdmPackage(patient=PATIENT)
    with_xdm = {"attachments": [{"name": "cr.pdf"}, {"name": "IHE_XDM.ZIP", "blobId": "b1"}]}
    without = {"attachments": [{"name": "cr.pdf"}]}
    assert xdm_attachment(with_xdm) == {"name": "IHE_XDM.ZIP", "blobId": "b1"}
    assert received_patient(with_xdm, package) == PATIENT
    assert received_patient(with_xdm, None) is None
    assert received_patient(without, package) is None
    assert xdm_attachment({"attachments": "junk"}) is None


# --- Message-IDs, replies, forwards -----------------------------------------------------------


def test_message_ids_are_random_and_well_formed() -> None:
    ids = {new_message_id("sisra-demo.mssante.fr") for _ in range(1000)}
    assert len(ids) == 1000
    for value in list(ids)[:20]:
        assert re.fullmatch(r"<[0-9a-f]+\.[0-9a-f]{24}@sisra-demo\.mssante\.fr>", value)
    assert new_message_id("bad domain\r\n").endswith("@monsisra.invalid>")
    assert bare_id("<a.b@c>") == "a.b@c"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Bilan", "RE: Bilan"),
        ("RE: Bilan", "RE: Bilan"),
        ("Re: RE : re:Bilan", "RE: Bilan"),
        ("AW: Bilan", "RE: Bilan"),
        ("TR: Bilan", "RE: TR: Bilan"),
        ("", "RE: "),
    ],
)
def test_reply_subject_does_not_stack(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_forward_subject_does_not_stack() -> None:
    assert forward_subject("Fwd: TR: Bilan") == "TR: Bilan"
    assert forward_subject("RE: Bilan") == "TR: RE: Bilan"


ORIGINAL: dict[str, Any] = {
    "from": [{"name": "Dr Bob Durand", "email": BOB.email}],
    "to": [{"name": "Dr Alice Martin", "email": ALICE.email.upper()}, {"email": "c@x.example"}],
    "cc": [{"name": None, "email": "d@x.example"}, {"email": "c@x.example"}],
    "subject": "RE: Patiente DUPONT",
    "messageId": ["m3@x.example"],
    "references": ["m1@x.example", "m2@x.example"],
}


def test_reply_goes_to_the_sender_and_threads() -> None:
    reply = reply_to(ORIGINAL, ME, reply_all=False)
    assert reply.to == [Address("Dr Bob Durand", BOB.email)]
    assert reply.cc == []
    assert reply.subject == "RE: Patiente DUPONT"
    assert reply.in_reply_to == ["m3@x.example"]
    assert reply.references == ["m1@x.example", "m2@x.example", "m3@x.example"]
    assert reply.message_id.endswith("@sisra-demo.mssante.fr>")


def test_reply_all_goes_to_the_sender_first_then_the_recipients_and_keeps_cc_as_cc() -> None:
    reply = reply_to(ORIGINAL, ME, reply_all=True)
    assert [a.email for a in reply.to] == [BOB.email, "c@x.example"]  # me (upper-cased) left out
    assert [a.email for a in reply.cc] == ["d@x.example"]  # c@ once, in To


def test_reply_all_leaves_out_every_address_of_mine_whatever_its_case() -> None:
    original = {
        "from": [{"email": BOB.email}],
        "to": [{"email": "Secretariat.Martin@X.example"}, {"email": "e@x.example"}],
        "cc": [{"email": "E@X.example"}, {"email": ALICE.email}],
    }
    reply = reply_to(original, ME, True, mine=["secretariat.martin@x.example"])
    assert [a.email for a in reply.to] == [BOB.email, "e@x.example"]
    assert reply.cc == []


def test_reply_prefers_reply_to_and_survives_junk() -> None:
    original = {"from": [{"email": "a@x"}], "replyTo": [{"email": "secretariat@x"}], "to": 3}
    assert [a.email for a in reply_to(original, ME, True).to] == ["secretariat@x"]
    empty = reply_to({}, ME, reply_all=True)
    assert empty.to == []
    assert empty.subject == "RE: "
    assert empty.references == []


def test_reply_to_my_own_message_goes_to_its_recipients() -> None:
    mine = {"from": [{"email": ALICE.email}], "to": [{"email": BOB.email}], "subject": "x"}
    assert [a.email for a in reply_to(mine, ME, False).to] == [BOB.email]


def test_forward_has_no_recipient_and_a_tr_subject() -> None:
    message = forward(ORIGINAL, ME)
    assert message.to == []
    assert message.subject == "TR: RE: Patiente DUPONT"
    assert message.in_reply_to == []


# --- The create object ------------------------------------------------------------------------


def _message(tmp_path: Path, patient: PatientIdentity | None = PATIENT) -> OutgoingMessage:
    cr = tmp_path / "cr.pdf"
    cr.write_bytes(PDF)
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    return OutgoingMessage(
        from_=ME,
        to=[Address("Dr Bob Durand", BOB.email)],
        cc=[Address(None, "c@x.example")],
        subject="Patiente DUPONT",
        text="Bonjour,\nci-joint le compte rendu.",
        html="<p>Bonjour,</p>",
        patient=patient,
        attachments=[
            OutgoingAttachment(cr, "CR consultation.pdf", "application/pdf", "11488-4"),
            OutgoingAttachment(photo, "photo.png", "image/png", None),
        ],
        in_reply_to=["<m1@x.example>"],
        references=["m0@x.example", "<m1@x.example>"],
        message_id=new_message_id("sisra-demo.mssante.fr"),
    )


def test_email_create_shape(tmp_path: Path) -> None:
    msg = _message(tmp_path)
    blobs = {str(a.path): f"B{i}" for i, a in enumerate(msg.attachments)}
    create = email_create(msg, blobs, "BX", "drafts-id")
    assert create["mailboxIds"] == {"drafts-id": True}
    assert create["keywords"] == {"$draft": True, "$seen": True}
    assert create["from"] == [{"name": "Dr Alice Martin", "email": ALICE.email}]
    assert create["cc"] == [{"name": None, "email": "c@x.example"}]
    assert create["messageId"] == [bare_id(msg.message_id)]
    assert create["inReplyTo"] == ["m1@x.example"]
    assert create["references"] == ["m0@x.example", "m1@x.example"]
    assert create["bodyValues"]["text"]["value"].startswith("Bonjour")
    assert create["textBody"] == [{"partId": "text", "type": "text/plain"}]
    assert create["htmlBody"] == [{"partId": "html", "type": "text/html"}]
    assert create["attachments"] == [
        {
            "blobId": "B0",
            "name": "CR consultation.pdf",
            "type": "application/pdf",
            "disposition": "attachment",
            "header:Content-Description:asText": "Compte rendu de consultation",
        },
        {"blobId": "B1", "name": "photo.png", "type": "image/png", "disposition": "attachment"},
        {
            "blobId": "BX",
            "name": "IHE_XDM.ZIP",
            "type": "application/zip",
            "disposition": "attachment",
        },
    ]


def test_email_create_refuses_what_cannot_be_sent(tmp_path: Path) -> None:
    msg = _message(tmp_path)
    blobs = {str(a.path): "B" for a in msg.attachments}
    with pytest.raises(ComposeError):
        email_create(msg, blobs, None, "d")  # patient but no XDM
    with pytest.raises(ComposeError):
        email_create(msg, {}, "BX", "d")  # attachment not uploaded
    with pytest.raises(ComposeError):
        email_create(OutgoingMessage(ME, [], message_id=""), {}, None, "d")
    with pytest.raises(ComposeError) as caught:
        email_create(
            OutgoingMessage(ME, [], subject="a\nBcc: x", message_id="<a@b>"), {}, None, "d"
        )
    assert caught.value.message_fr.startswith("L'objet")
    plain = OutgoingMessage(ME, [Address(None, BOB.email)], message_id="<a@b>")
    assert "attachments" not in email_create(plain, {}, None, "d")


def test_message_xdm_carries_every_attachment(tmp_path: Path) -> None:
    package = parse_xdm(build_message_xdm(_message(tmp_path)))
    assert package.patient == PATIENT
    assert [(d.type_code, d.type_label) for d in package.documents] == [
        ("11488-4", "Compte rendu de consultation"),
        ("autre", "Autre"),
    ]
    # The typed PDF travels as a CDA R2 N1 (its body), the untyped one as it is (issue 14 §1).
    assert package.documents[0].mime_type == "text/xml"
    assert package.entry_for(PDF) is None
    assert package.title == "Patiente DUPONT"
    with pytest.raises(ComposeError):
        build_message_xdm(_message(tmp_path, patient=None))


def test_sandbox_accepts_the_create_object_and_keeps_everything(
    server: ServerThread, alice_token: str, tmp_path: Path
) -> None:
    jmap = Jmap(server.base_url, alice_token)
    session = jmap.session
    account = session["primaryAccounts"][MAIL]
    headers = {"Authorization": f"Bearer {alice_token}"}

    def upload(data: bytes, type_: str) -> str:
        url = session["uploadUrl"].replace("{accountId}", account)
        r = httpx.post(url, content=data, headers={**headers, "Content-Type": type_})
        assert r.status_code == 201, r.text
        blob_id: str = r.json()["blobId"]
        return blob_id

    msg = _message(tmp_path)
    blobs = {str(a.path): upload(a.path.read_bytes(), a.mime_type) for a in msg.attachments}
    xdm_blob = upload(build_message_xdm(msg), "application/zip")
    create = email_create(msg, blobs, xdm_blob, jmap.mailbox("drafts"))
    result = jmap.call("Email/set", create={"k1": create})
    assert result.get("notCreated") is None, result
    email_id = result["created"]["k1"]["id"]
    [email] = jmap.call(
        "Email/get",
        ids=[email_id],
        properties=[
            "messageId", "inReplyTo", "references", "subject", "keywords", "to", "cc",
            "attachments", "mailboxIds",
        ],
        bodyProperties=["name", "type", "blobId", "header:Content-Description:asText"],
    )["list"]  # fmt: skip
    assert email["messageId"] == [bare_id(msg.message_id)]
    assert email["inReplyTo"] == ["m1@x.example"]
    assert email["references"] == ["m0@x.example", "m1@x.example"]
    assert email["keywords"] == {"$draft": True, "$seen": True}
    assert email["subject"] == "Patiente DUPONT"
    names = [(a["name"], a["header:Content-Description:asText"]) for a in email["attachments"]]
    assert names == [
        ("CR consultation.pdf", "Compte rendu de consultation"),
        ("photo.png", None),
        ("IHE_XDM.ZIP", None),
    ]
    part = xdm_attachment(email)
    assert part is not None
    url = (
        session["downloadUrl"]
        .replace("{accountId}", account)
        .replace("{blobId}", part["blobId"])
        .replace("{name}", "IHE_XDM.ZIP")
        .replace("{type}", quote("application/zip", safe=""))
    )
    r = httpx.get(url, headers=headers)
    assert r.status_code == 200
    assert received_patient(email, parse_xdm(r.content)) == PATIENT
