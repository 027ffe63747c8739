"""Golden messages of issue 14 §1 against the sandbox: sent through the outbox, then read back raw
through JMAP and parsed, header by header and part by part (a plain one, one about a patient with
its CDA documents, one to a patient's mailbox)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import xml.etree.ElementTree as ET
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.message.compose import (
    OutgoingAttachment,
    OutgoingMessage,
    new_message_id,
    with_conventions,
)
from app.message.patient import INS_NIR_OID, PatientIdentity
from app.outbox.sender import Outbox
from app.remote.jmap import JmapClient
from app.store.db import Cache
from app.store.records import Address
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.server.conftest import ALICE, BOB, ServerFactory, account_id

NIL = "MONSISRA-BUREAU-TEST-01"
RPPS = "10001234567"
PATIENT = PatientIdentity(
    "248017512345626", INS_NIR_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female"
)
PDF = b"%PDF-1.4\n" + b"compte rendu " * 500 + b"\n%%EOF\n"
V3 = {"v3": "urn:hl7-org:v3"}


@pytest.fixture
def mss_server(server_factory: ServerFactory) -> ServerThread:
    """A sandbox with a product reference, alice tied to her RPPS."""
    server = server_factory(mss_product_reference=NIL)
    server.sandbox.accounts.link_practitioner(account_id(server, ALICE), "pr-alice", RPPS)
    return server


async def _raw(client: JmapClient, subject: str) -> EmailMessage:
    """The one message with this subject in `client`'s account, as its raw MIME parsed."""
    ids = (await client.call_one("Email/query", {"filter": {"subject": subject}}))["ids"]
    assert len(ids) == 1
    got = await client.get_all("Email", ids, ["blobId"])
    raw = await client.download_bytes(got[0]["blobId"], "m.eml", "message/rfc822", 5_000_000)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _report(tmp_path: Path) -> OutgoingAttachment:
    path = tmp_path / "cr scanné.pdf"
    path.write_bytes(PDF)
    return OutgoingAttachment(path, path.name, "application/pdf", "11502-2")


@pytest.mark.asyncio
async def test_a_plain_message_carries_x_mss_nil_and_nothing_about_a_patient(
    mss_server: ServerThread, cache: Cache
) -> None:
    async with jmap_client(mss_server, ALICE) as alice, jmap_client(mss_server, BOB) as bob:
        outbox = Outbox(cache, alice)
        msg = OutgoingMessage(
            Address(ALICE.name, ALICE.email), [Address(BOB.name, BOB.email)], subject="Café ?"
        )
        await outbox.queue(msg, 0)
        assert await outbox.send_pending() == 1
        got = await _raw(bob, "Café ?")
    assert got["X-MSS-NIL"] == NIL
    for absent in ("X-MSS-CODECDA", "X-MSS-INS", "X-MSS-MES"):
        assert got[absent] is None
    assert got["Subject"] == "Café ?"
    assert got.get_content_type() == "text/plain"
    assert got.get_content_charset() == "utf-8"


@pytest.mark.asyncio
async def test_a_message_about_a_patient_is_sent_as_the_ci_sis_asks(
    mss_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(mss_server, ALICE) as alice, jmap_client(mss_server, BOB) as bob:
        msg = OutgoingMessage(
            Address(ALICE.name, ALICE.email),
            [Address(BOB.name, BOB.email)],
            text="Résultats ci-joints.",
            patient=PATIENT,
            attachments=[_report(tmp_path)],
            message_id=new_message_id("sisra-demo.mssante.fr"),
        )
        msg = with_conventions(msg, dt.date(2026, 12, 7))
        await Outbox(cache, alice).queue(msg, 0)
        assert await Outbox(cache, alice).send_pending() == 1
        got = await _raw(bob, "Dupont")
    # Headers, one by one.
    assert got["Subject"] == "XDM/1.0/DDM+CR d'examens biologiques DUPONT Marie 07/01/1948"
    assert got["From"].addresses[0].addr_spec == ALICE.email
    assert got["To"].addresses[0].addr_spec == BOB.email
    assert got["Message-ID"] == msg.message_id
    assert got["X-MSS-NIL"] == NIL
    assert got["X-MSS-CODECDA"] == "11502-2"
    assert got["X-MSS-INS"] == "O"
    assert got["X-MSS-MES"] is None
    assert got.get_content_type() == "multipart/mixed"
    # Parts, one by one: the text, the readable PDF, the IHE_XDM.ZIP.
    parts = list(got.iter_parts())
    assert [p.get_content_type() for p in parts] == [
        "text/plain",
        "application/pdf",
        "application/zip",
    ]
    assert parts[0].get_content_charset() == "utf-8"
    assert parts[0].get_content().strip() == "Résultats ci-joints."
    assert parts[1].get_filename() == "20261207_CR-d-examens-biologiques_DUPONT_Marie.pdf"
    assert parts[1]["Content-Description"] == "CR d'examens biologiques"
    assert parts[1].get_content() == PDF
    assert parts[2].get_filename() == "IHE_XDM.ZIP"
    archive = zipfile.ZipFile(io.BytesIO(parts[2].get_content()))
    assert "IHE_XDM/SUBSET01/METADATA.XML" in archive.namelist()
    cda = ET.fromstring(archive.read("IHE_XDM/SUBSET01/DOC0001.XML"))  # noqa: S314 (ours)
    author = cda.find("v3:author/v3:assignedAuthor/v3:id", V3)
    assert author is not None
    assert author.get("extension") == "8" + RPPS  # the RPPS the Session gave
    code = cda.find("v3:code", V3)
    assert code is not None
    assert code.get("code") == "11502-2"


@pytest.mark.asyncio
async def test_a_message_to_a_patient_mailbox_can_forbid_the_answer(
    mss_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(mss_server, ALICE) as alice:
        msg = OutgoingMessage(
            Address(ALICE.name, ALICE.email),
            [Address("Marie Dupont", "248017512345626@patient.mssante.fr")],
            subject="Vos résultats",
            patient=PATIENT,
            attachments=[_report(tmp_path)],
            patient_cannot_reply=True,
        )
        outbox = Outbox(cache, alice)
        await outbox.queue(msg, 0)
        assert await outbox.send_pending() == 1
        mine = await _raw(alice, "Vos résultats")  # the copy in Envoyés
    assert mine["X-MSS-MES"] == "FIN"
    assert mine["X-MSS-INS"] == "O"
    assert mine["X-MSS-NIL"] == NIL
    assert mine["Subject"] == "Vos résultats"  # the user's own subject stays
