"""Golden messages (issue 14 "What must be shown"): each kind of message the app sends — plain,
with documents, about a patient (CDA N1 in IHE_XDM.ZIP), to a patient's mailbox, and the
client-built read receipt — as the MIME file the app's own builders make from fixed inputs (date,
Message-ID, ids, boundaries), committed in tests/app/golden/.

(a) Rebuilt and compared byte for byte: any change to the format is a visible diff
    (`MONSISRA_REGEN_GOLDEN=1` writes them again; review the diff before committing).
(b) Checked header by header and part by part against what issue 14 requires.
(c) Delivered to the real sandbox and read back by the app's own reading path (the sync's
    mapping, the patient read from the package, receipts), as a correspondent's client would.

The MIME of a sent message is made by the server from the client's Email/set create object: here
the client's builders (`with_conventions`, `email_create`, `build_message_xdm`) feed the
sandbox's `build_message` through `as_server_draft`, which reads the create object as the
sandbox's Email/set does (`test_the_sandbox_builds_the_same_message` holds them together). The
DSN golden is in tests/server/golden/.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import io
import itertools
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from app.message import dsn, mss
from app.message.compose import (
    OutgoingAttachment,
    OutgoingMessage,
    build_message_xdm,
    email_create,
    with_conventions,
)
from app.message.patient import INS_NIR_OID, PatientIdentity
from app.message.receipt import build_mdn, parse_mdn
from app.message.xdm import parse_xdm
from app.outbox.sender import Outbox
from app.session import AccountSession
from app.store import mail
from app.store.db import Cache
from app.store.records import Address, EmailRecord
from server.mail import mime
from tests.app.jmap_helpers import jmap_client
from tests.server.conftest import ALICE, BOB, ServerFactory, account_id

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("MONSISRA_REGEN_GOLDEN") == "1"
DOMAIN = "sisra-demo.mssante.fr"
SENT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
NIL = "MONSISRA-BUREAU-TEST-01"
RPPS = "10001234567"
PATIENT = PatientIdentity(
    "248017512345626", INS_NIR_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female"
)
MAILBOX = f"{PATIENT.ins}@patient.mssante.fr"
PDF = b"%PDF-1.4\n% golden\n" + b"compte rendu de biologie " * 40 + b"\n%%EOF\n"
ME = Address("Dr Alice Martin", ALICE.email)
CONFRERE = Address("Dr Bob Durand", BOB.email)
KINDS = ("plain", "documents", "patient", "patient-mailbox", "mdn")


def fixed_uuids(seed: int) -> Callable[[], uuid.UUID]:
    """Ids that are the same at every build (and differ between kinds)."""
    counter = itertools.count(1)
    return lambda: uuid.UUID(int=(seed << 64) + next(counter))


def boundaries(kind: str) -> Iterator[str]:
    return (f"=_golden-{kind}-{i}" for i in itertools.count(1))


def pdf(tmp_path: Path) -> OutgoingAttachment:
    path = tmp_path / "cr.pdf"
    path.write_bytes(PDF)
    return OutgoingAttachment(path, "cr.pdf", "application/pdf", "11502-2")


def outgoing(kind: str, tmp_path: Path) -> OutgoingMessage:
    """The message of each kind, as the composer hands it to the outbox (`with_conventions`)."""
    message_id = f"<golden-{kind}@{DOMAIN}>"
    if kind == "plain":
        msg = OutgoingMessage(
            ME,
            [CONFRERE],
            subject="Avis sur un patient commun",
            text="Cher confrère,\n\nPouvez-vous me rappeler ?\n\nBien à vous.",
            message_id=message_id,
        )
    elif kind == "documents":
        msg = OutgoingMessage(
            ME,
            [CONFRERE],
            subject="Compte rendu",
            text="Ci-joint le compte rendu.",
            attachments=[pdf(tmp_path)],
            message_id=message_id,
        )
    elif kind == "patient":
        msg = OutgoingMessage(
            ME,
            [CONFRERE],
            text="Ci-joints les résultats de Mme Dupont.",
            patient=PATIENT,
            attachments=[pdf(tmp_path)],
            message_id=message_id,
            author_rpps=RPPS,
            read_receipt=True,
        )
    elif kind == "patient-mailbox":
        msg = OutgoingMessage(
            ME,
            [Address(None, MAILBOX)],
            subject="Vos résultats",
            text="Bonjour,\n\nVos résultats sont joints.",
            patient=PATIENT,
            attachments=[pdf(tmp_path)],
            message_id=message_id,
            author_rpps=RPPS,
            patient_cannot_reply=True,
        )
    else:
        raise ValueError(kind)
    return with_conventions(msg, SENT.date())


def as_server_draft(create: Mapping[str, Any], blobs: Mapping[str, bytes]) -> mime.Draft:
    """The sandbox's reading of an Email/set create object (server/jmap/methods/email.py), for
    the properties the client writes: addresses, subject, text, ids, `header:…:asText` and
    `…:asAddresses` headers in order, attachments with their description."""
    extra: list[tuple[str, str]] = []
    for key, value in create.items():
        if key.startswith("header:"):
            _, name, form = key.split(":")
            text = mime.format_addresses(value) if form == "asAddresses" else value
            extra.append((name, text))
    return mime.Draft(
        from_=create["from"],
        to=create["to"],
        cc=create.get("cc", []),
        bcc=create.get("bcc", []),
        subject=create["subject"],
        text=create["bodyValues"]["text"]["value"],
        attachments=[
            mime.Attachment(
                content=blobs[a["blobId"]],
                type=a["type"].lower(),
                name=a["name"],
                disposition=a["disposition"],
                description=a.get("header:Content-Description:asText"),
            )
            for a in create.get("attachments", [])
        ],
        message_id=create["messageId"][0],
        in_reply_to=create.get("inReplyTo", []),
        references=create.get("references", []),
        sent_at=SENT,
        extra_headers=extra,
    )


def build(kind: str, tmp_path: Path) -> bytes:
    """The golden message of `kind`, made by the app's builders from the fixed inputs."""
    if kind == "mdn":
        return build_mdn(
            CONFRERE,
            [ME],
            f"golden-patient@{DOMAIN}",
            mss.default_subject(PATIENT, ["11502-2"]),
            f"<golden-mdn@{DOMAIN}>",
            now=SENT,
            boundary="=_golden-mdn-1",
        )
    msg = outgoing(kind, tmp_path)
    blobs = {f"blob-{i}": a.path.read_bytes() for i, a in enumerate(msg.attachments)}
    blob_ids = {str(a.path): f"blob-{i}" for i, a in enumerate(msg.attachments)}
    xdm_id = None
    if msg.needs_xdm:
        xdm_id = "blob-xdm"
        blobs[xdm_id] = build_message_xdm(msg, SENT, fixed_uuids(KINDS.index(kind) + 1))
    create = email_create(msg, blob_ids, xdm_id, "drafts", NIL)
    return mime.build_message(as_server_draft(create, blobs), DOMAIN, boundaries(kind))


def parsed(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def golden(kind: str) -> bytes:
    return (GOLDEN / f"{kind}.eml").read_bytes()


# (a) Byte for byte ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_builders_make_the_golden_message_byte_for_byte(kind: str, tmp_path: Path) -> None:
    built = build(kind, tmp_path)
    assert build(kind, tmp_path) == built  # fixed inputs: nothing random is left
    path = GOLDEN / f"{kind}.eml"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(built)
    assert built == path.read_bytes(), f"{path.name} changed: review, then MONSISRA_REGEN_GOLDEN=1"


# (b) Header by header, part by part ---------------------------------------------------------


def attachments(message: EmailMessage) -> list[EmailMessage]:
    return list(message.iter_attachments())  # type: ignore[arg-type]


def test_plain_carries_x_mss_nil_and_nothing_about_a_patient() -> None:
    got = parsed(golden("plain"))
    assert got["X-MSS-NIL"] == NIL
    for absent in ("X-MSS-CODECDA", "X-MSS-INS", "X-MSS-MES", "Disposition-Notification-To"):
        assert got[absent] is None
    assert got["Subject"] == "Avis sur un patient commun"
    assert got["Message-ID"] == f"<golden-plain@{DOMAIN}>"
    assert got.get_content_type() == "text/plain"
    assert "Pouvez-vous me rappeler" in got.get_content()


def test_documents_without_a_patient_go_typed_without_package_nor_cda_headers() -> None:
    got = parsed(golden("documents"))
    assert got["X-MSS-NIL"] == NIL
    assert got["X-MSS-CODECDA"] is None
    assert got["X-MSS-INS"] is None
    [document] = attachments(got)
    assert document.get_filename() == "cr.pdf"  # no patient: the user's name is kept
    assert document["Content-Description"] == "CR d'examens biologiques"
    assert document.get_content() == PDF


def check_package(zip_bytes: bytes) -> None:
    """IHE_XDM.ZIP: METADATA.XML naming the patient, the CDA N1 of the PDF beside it."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as package:
        names = package.namelist()
        assert {"INDEX.HTM", "README.TXT", "IHE_XDM/SUBSET01/METADATA.XML"} <= set(names)
        cda = package.read("IHE_XDM/SUBSET01/DOC0001.XML").decode()
        metadata = package.read("IHE_XDM/SUBSET01/METADATA.XML").decode()
    assert "<ClinicalDocument" in cda
    assert 'code="11502-2"' in cda
    assert f'extension="8{RPPS}"' in cda
    assert f"{PATIENT.ins}^^^&amp;{INS_NIR_OID}&amp;ISO" in metadata
    assert "DOC0001.XML" in metadata


def test_about_a_patient_cda_in_ihe_xdm_with_its_headers_names_and_receipt_request() -> None:
    got = parsed(golden("patient"))
    assert got["X-MSS-NIL"] == NIL
    assert got["X-MSS-CODECDA"] == "11502-2"
    assert got["X-MSS-INS"] == "O"
    assert got["X-MSS-MES"] is None
    assert got["Subject"] == ("XDM/1.0/DDM+CR d'examens biologiques DUPONT Marie 07/01/1948")
    asked = email.utils.parseaddr(str(got["Disposition-Notification-To"]))
    assert asked == ("Dr Alice Martin", ALICE.email)  # the sender, as the composer's option
    readable, package = attachments(got)
    assert readable.get_filename() == ("20261207_CR-d-examens-biologiques_DUPONT_Marie.pdf")
    assert readable.get_content_type() == "application/pdf"
    assert readable.get_content() == PDF  # the readable PDF beside the package
    assert package.get_filename() == "IHE_XDM.ZIP"
    assert package.get_content_type() == "application/zip"
    check_package(package.get_content())


def test_to_a_patient_mailbox_the_patient_cannot_reply() -> None:
    got = parsed(golden("patient-mailbox"))
    assert got["To"] == MAILBOX
    assert got["X-MSS-MES"] == "FIN"
    assert got["X-MSS-INS"] == "O"  # a patient mailbox takes only a qualified INS
    assert got["X-MSS-CODECDA"] == "11502-2"
    assert got["Subject"] == "Vos résultats"  # the user's subject is kept
    readable, package = attachments(got)
    assert readable.get_filename().endswith("_DUPONT_Marie.pdf")
    check_package(package.get_content())


def test_the_read_receipt_is_a_manual_displayed_mdn() -> None:
    got = parsed(golden("mdn"))
    assert got.get_content_type() == "multipart/report"
    assert got.get_param("report-type") == "disposition-notification"
    assert got["In-Reply-To"] == f"<golden-patient@{DOMAIN}>"
    # The original's subject as a reader sees it: the document prefix is not carried over.
    assert str(got["Subject"]).startswith("Accusé de lecture : CR d'examens biologiques DUPONT")
    text, fields = got.iter_parts()
    assert "« CR d'examens biologiques DUPONT" in text.get_content()
    assert text.get_content_type() == "text/plain"
    assert fields.get_content_type() == "message/disposition-notification"
    block = golden("mdn").decode()
    assert f"Final-Recipient: rfc822;{BOB.email}\r\n" in block
    assert f"Original-Message-ID: <golden-patient@{DOMAIN}>\r\n" in block
    assert "Disposition: manual-action/MDN-sent-manually; displayed\r\n" in block


# (c) Read back by the app ----------------------------------------------------------------------


def records(session: AccountSession) -> dict[str, EmailRecord]:
    """By Message-ID."""
    with session.account.cache.read() as conn:
        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    return {r.message_id[0]: r for r in found if r is not None and r.message_id}


@pytest.mark.asyncio
async def test_the_app_reads_them_back_as_a_correspondent_would(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    assert parse_mdn(golden("mdn")) == parse_mdn(golden("mdn"))
    receipt = parse_mdn(golden("mdn"))
    assert receipt is not None
    assert (receipt.final_recipient, receipt.original_message_id, receipt.disposition) == (
        BOB.email,
        f"golden-patient@{DOMAIN}",
        "displayed",
    )
    package = parse_xdm(attachments(parsed(golden("patient")))[1].get_content())
    assert package.patient.ins == PATIENT.ins

    server = server_factory()
    sandbox = server.sandbox
    bob_account = sandbox.accounts.by_login(BOB.login)
    alice_account = sandbox.accounts.by_login(ALICE.login)
    assert bob_account is not None
    assert alice_account is not None
    with sandbox.db.write():
        for kind in ("plain", "documents", "patient", "patient-mailbox"):
            sandbox.mail.import_message(bob_account.id, golden(kind))
        sandbox.mail.import_message(alice_account.id, golden("patient"), mailbox_role="sent")
        sandbox.mail.import_message(alice_account.id, golden("mdn"))
    bob = await AccountSession.open(tmp_path / "b", server.base_url, BOB.login, BOB.password)
    alice = await AccountSession.open(tmp_path / "a", server.base_url, ALICE.login, ALICE.password)
    try:
        await bob.sync_once()
        await alice.sync_once()
        got = records(bob)
        plain = got[f"golden-plain@{DOMAIN}"]
        assert plain.patient is None
        assert plain.subject == "Avis sur un patient commun"
        assert not bob.receipt_asked(plain)
        documents = got[f"golden-documents@{DOMAIN}"]
        assert [(a.name, a.doc_type) for a in documents.attachments] == [
            ("cr.pdf", "CR d'examens biologiques")
        ]
        about = got[f"golden-patient@{DOMAIN}"]
        assert about.patient is not None
        assert (about.patient.ins, about.patient.family, about.patient.given) == (
            PATIENT.ins,
            "DUPONT",
            "Marie",
        )
        assert mss.shown_subject(about.subject) == (
            "CR d'examens biologiques DUPONT Marie 07/01/1948"
        )
        assert bob.receipt_asked(about)  # "… demande un accusé de lecture"
        assert [a.email for a in about.receipt_to] == [ALICE.email]
        mailbox = got[f"golden-patient-mailbox@{DOMAIN}"]
        assert mailbox.patient is not None
        assert mailbox.patient.ins == PATIENT.ins
        # Alice's side: the receipt is not a message; it marks hers read by Bob.
        mine = records(alice)
        assert f"golden-mdn@{DOMAIN}" not in mine
        [read] = mine[f"golden-patient@{DOMAIN}"].read_by
        assert (read.recipient, read.disposition) == (BOB.email, "displayed")
    finally:
        await bob.close()
        await alice.close()


@pytest.mark.asyncio
async def test_the_sandbox_builds_the_same_message(
    server_factory: ServerFactory, tmp_path: Path, cache: Cache
) -> None:
    """`as_server_draft` reads the create object as the sandbox does: the message about a patient
    sent through the real outbox and sandbox has the golden's headers and parts, in order (only
    the date, the boundaries, the ids in the package and its bytes differ)."""
    server = server_factory(mss_product_reference=NIL)
    server.sandbox.accounts.link_practitioner(account_id(server, ALICE), "pr-alice", RPPS)
    msg = outgoing("patient", tmp_path)
    async with jmap_client(server, ALICE) as client:
        outbox = Outbox(cache, client)
        await outbox.queue(msg, 0)
        assert await outbox.send_pending() == 1
        ids = (await client.call_one("Email/query", {}))["ids"]
        got = await client.get_all("Email", ids, ["blobId", "messageId"])
        [blob] = [g["blobId"] for g in got if g["messageId"] == [f"golden-patient@{DOMAIN}"]]
        raw = await client.download_bytes(blob, "m.eml", "message/rfc822", 5_000_000)
    sent, gold = parsed(raw), parsed(golden("patient"))
    assert list(sent.keys()) == list(gold.keys())
    for name in gold:
        if name not in {"Date", "Content-Type"}:
            assert sent[name] == gold[name], name

    def shape(m: EmailMessage) -> list[tuple[str, str | None, str | None]]:
        return [
            (p.get_content_type(), p.get_filename(), p["Content-Description"]) for p in m.walk()
        ]

    assert shape(sent) == shape(gold)


def test_the_sandbox_golden_dsn_reads_as_a_failure_for_its_recipient() -> None:
    """The DSN kind of the golden set: made by the sandbox (tests/server/golden/), read back by
    the app's own parser as the sync reads any report that arrives."""
    raw = (
        Path(__file__).parents[1] / "server" / "golden" / "dsn-unknown-recipient.eml"
    ).read_bytes()
    assert dsn.is_report_type(str(parsed(raw)["Content-Type"]))
    report = dsn.parse_dsn(raw)
    assert report is not None
    assert report.original_message_id == "avis-1@sisra-demo.mssante.fr"
    [recipient] = report.recipients
    assert (recipient.recipient, recipient.action, recipient.status) == (
        "inconnu.absent@sisra-demo.mssante.fr",
        "failed",
        "5.1.1",
    )
    reason = dsn.reason_of(recipient.status)
    assert reason is not None
    assert reason.text() == "adresse inconnue"
