"""Large documents in the outbox: refused before queueing when the server would refuse them, the
server's own tooLarge explained, the IHE_XDM.ZIP streamed (same package as built in memory, memory
flat, nothing readable on disk), uploads read through one connection."""

from __future__ import annotations

import base64
import io
import os
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.message.compose import OutgoingAttachment, OutgoingMessage, build_message_xdm
from app.message.patient import PatientIdentity
from app.message.xdm import XdmReader, parse_xdm
from app.outbox.limits import MessageTooLarge, attachments_limit, xdm_estimate
from app.outbox.sender import Outbox
from app.store import outbox as rows
from app.store.db import Cache
from app.store.outbox import OutboxState
from app.store.records import Address
from tests.app.jmap_helpers import jmap_client
from tests.server.conftest import ALICE, BOB, ServerFactory

MB = 1024 * 1024
V3 = {"v3": "urn:hl7-org:v3"}
MAIL = "urn:ietf:params:jmap:mail"
PATIENT = PatientIdentity(
    "248017512345678",
    "1.2.250.1.213.1.4.10",
    "Hortense",
    "ZEBULONESQUE",
    date(1948, 1, 7),
    "female",
)
MARKER = b"CONCLUSION-CONFIDENTIELLE-4242"


def _pdf(path: Path, size: int) -> Path:
    """A PDF-looking file of `size` bytes with a recognisable sentence every 64 kB."""
    block = (b"%PDF-1.4\n" + MARKER + b"\n").ljust(64 * 1024, b"x")
    with path.open("wb") as f:
        left = size
        while left:
            piece = block[: min(left, len(block))]
            f.write(piece)
            left -= len(piece)
    return path


def _message(
    documents: list[Path], patient: PatientIdentity | None = PATIENT, subject: str = "Suivi"
) -> OutgoingMessage:
    return OutgoingMessage(
        from_=Address(ALICE.name, ALICE.email),
        to=[Address(BOB.name, BOB.email)],
        subject=subject,
        text="Cher confrère, ci-joint.",
        patient=patient,
        attachments=[
            OutgoingAttachment(p, p.name, "application/pdf", "11488-4") for p in documents
        ],
    )


def cda_body(data: bytes) -> bytes:
    """The document a CDA R2 N1 of ours carries (its nonXMLBody, base64)."""
    root = ET.fromstring(data)  # noqa: S314 (written by us)
    text = root.findtext("v3:component/v3:nonXMLBody/v3:text", namespaces=V3)
    return base64.b64decode("".join((text or "").split()))


def _outbox_rows(cache: Cache) -> tuple[int, int]:
    with cache.read() as conn:
        count = len(rows.list_rows(conn))
        documents = conn.execute("SELECT count(*) FROM unsent.outbox_documents").fetchone()[0]
    return count, int(documents)


# --- Refused before queueing ------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_document_over_max_size_upload_is_refused_before_queueing(
    server_factory: ServerFactory, cache: Cache, tmp_path: Path
) -> None:
    server = server_factory(max_size_upload=1 * MB)
    document = _pdf(tmp_path / "scanner.pdf", 3 * MB)
    async with jmap_client(server, ALICE) as alice:
        outbox = Outbox(cache, alice)
        with pytest.raises(MessageTooLarge) as caught:
            await outbox.queue(_message([document], patient=None))
    assert caught.value.message_fr == (
        "Le document « scanner.pdf » fait 3 Mo : le serveur accepte au plus 1 Mo par pièce jointe."
    )
    assert _outbox_rows(cache) == (0, 0)


@pytest.mark.asyncio
async def test_documents_and_their_xdm_over_the_per_message_limit_are_refused_before_queueing(
    server_factory: ServerFactory, cache: Cache, tmp_path: Path
) -> None:
    """3 MB of documents fit a 4 MB limit alone, not with their copy in IHE_XDM.ZIP (6 MB)."""
    server = server_factory(max_size_upload=5 * MB, max_size_attachments_per_email=4 * MB)
    documents = [_pdf(tmp_path / f"cr{i}.pdf", int(1.5 * MB)) for i in (1, 2)]
    async with jmap_client(server, ALICE) as alice:
        outbox = Outbox(cache, alice)
        with pytest.raises(MessageTooLarge) as caught:
            await outbox.queue(_message(documents))
        assert _outbox_rows(cache) == (0, 0)
        # The same documents without a patient (no IHE_XDM.ZIP) go.
        await outbox.queue(_message(documents, patient=None))
        assert await outbox.send_pending() == 1
    message = caught.value.message_fr
    assert message.startswith("Les pièces jointes du message font 6,1 Mo au total")
    assert "IHE_XDM.ZIP" in message
    assert "au plus 4 Mo par message" in message


@pytest.mark.asyncio
async def test_the_servers_too_large_answer_gets_its_own_message(
    server_factory: ServerFactory, cache: Cache, tmp_path: Path
) -> None:
    """Queued offline (limits unknown), refused by Email/set: the row says why, with the sizes."""
    server = server_factory(max_size_upload=5 * MB, max_size_attachments_per_email=2 * MB)
    scan = tmp_path / "cr.pdf"
    scan.write_bytes(os.urandom(int(1.5 * MB)))  # a real scan: its CDA does not deflate away
    documents = [scan]
    outbox_id = await Outbox(cache, None).queue(_message(documents))
    async with jmap_client(server, ALICE) as alice:
        outbox = Outbox(cache, alice)
        assert await outbox.send_pending() == 0
    with cache.read() as conn:
        row = rows.get(conn, outbox_id)
    assert row is not None
    assert row.state == OutboxState.FAILED
    assert row.error == (
        "Le serveur a refusé le message : il est trop volumineux (3 Mo de pièces jointes, au plus "
        "2 Mo). Envoyez les documents en plusieurs messages."
    )


@pytest.mark.asyncio
async def test_offline_the_size_is_not_checked_and_the_message_waits(
    cache: Cache, tmp_path: Path
) -> None:
    outbox_id = await Outbox(cache, None).queue(_message([_pdf(tmp_path / "a.pdf", 3 * MB)]))
    with cache.read() as conn:
        row = rows.get(conn, outbox_id)
    assert row is not None
    assert row.state == OutboxState.QUEUED


# --- The streamed IHE_XDM.ZIP -----------------------------------------------------------------


def _queued_xdm(cache: Cache, outbox_id: str) -> bytes:
    with cache.read() as conn:
        row = rows.get(conn, outbox_id)
        assert row is not None
        return b"".join(rows.read_document(conn, row.payload["xdm"]["key"]))


@pytest.mark.asyncio
async def test_the_streamed_xdm_equals_the_one_built_in_memory(
    cache: Cache, tmp_path: Path
) -> None:
    report = _pdf(tmp_path / "compte rendu.pdf", 700_000)  # several chunks
    note = tmp_path / "note.txt"
    note.write_bytes("Note pour Mme Zebulonesque, née en 1948.\n".encode() * 50)
    msg = _message([report])
    msg = OutgoingMessage(
        **{
            **msg.__dict__,
            "attachments": [
                *msg.attachments,
                OutgoingAttachment(note, note.name, "text/plain", None),
            ],
        }
    )
    outbox_id = await Outbox(cache, None).queue(msg)
    streamed = _queued_xdm(cache, outbox_id)
    in_memory = build_message_xdm(msg)
    with (
        zipfile.ZipFile(io.BytesIO(streamed)) as a,
        zipfile.ZipFile(io.BytesIO(in_memory)) as b,
    ):
        assert a.namelist() == b.namelist()
        assert "IHE_XDM/SUBSET01/METADATA.XML" in a.namelist()
        assert a.testzip() is None
        # The typed PDF is a CDA (its ids and time are its own), the untyped note as it is.
        cda = "IHE_XDM/SUBSET01/DOC0001.XML"
        assert cda_body(a.read(cda)) == cda_body(b.read(cda)) == report.read_bytes()
        assert a.read("IHE_XDM/SUBSET01/DOC0002.TXT") == b.read("IHE_XDM/SUBSET01/DOC0002.TXT")
    first, second = parse_xdm(streamed), parse_xdm(in_memory)
    assert first.patient == second.patient == PATIENT
    described = [(d.file_name, d.type_code, d.type_label, d.member) for d in first.documents]
    assert described == [
        (d.file_name, d.type_code, d.type_label, d.member) for d in second.documents
    ]
    assert first.documents[1].size == note.stat().st_size
    with XdmReader(streamed) as reader:  # each document checked against its hash as it streams
        contents = [b"".join(reader.document(d)) for d in reader.package.documents]
    assert [cda_body(contents[0]), contents[1]] == [report.read_bytes(), note.read_bytes()]


@pytest.mark.asyncio
async def test_queueing_a_50_mb_document_about_a_patient_keeps_memory_flat(
    cache: Cache, tmp_path: Path
) -> None:
    """The copy, the IHE_XDM.ZIP built from it and its SHA-1: Python's allocations stay under
    20 MB above the baseline (building it in memory took three times the document)."""
    document = tmp_path / "scanner.pdf"
    with document.open("wb") as f:
        for _ in range(50):
            f.write(os.urandom(MB))
    outbox = Outbox(cache, None)
    await outbox.queue(_message([_pdf(tmp_path / "warm.pdf", 10_000)]))  # code paths warmed
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        outbox_id = await outbox.queue(_message([document]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak - baseline < 20 * MB, f"{(peak - baseline) / MB:.1f} MB"
    with cache.read() as conn:
        row = rows.get(conn, outbox_id)
        assert row is not None
        xdm_size = rows.document_size(conn, row.payload["xdm"]["key"])
    assert xdm_size is not None
    # A CDA: its base64, deflated back to about the document's size (xdm_estimate's bound).
    assert 50 * MB < xdm_size < xdm_estimate([50 * MB])


@pytest.mark.asyncio
async def test_nothing_about_the_patient_is_readable_in_the_account_folder_after_queueing(
    cache: Cache, cache_path: Path, tmp_path: Path
) -> None:
    document = _pdf(tmp_path / "compte rendu Zebulonesque.pdf", 600_000)
    await Outbox(cache, None).queue(
        _message([document], subject="Suivi de Mme Zebulonesque confidentiel")
    )
    secrets = [
        MARKER,
        b"Zebulonesque",
        b"ZEBULONESQUE",
        b"Hortense",
        PATIENT.ins.encode() if PATIENT.ins else b"",
        b"Cher confr",
        b"METADATA.XML",
        b"SubmitObjectsRequest",
    ]

    def readable() -> list[tuple[str, bytes]]:
        found = []
        for path in sorted(cache_path.parent.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                found += [(path.name, s) for s in secrets if s in data]
        return found

    files = [p.name for p in cache_path.parent.rglob("*") if p.is_file()]
    assert any(name.endswith("-wal") for name in files), files  # the fresh writes are there too
    assert readable() == []
    cache.close()
    assert readable() == []


# --- Uploading --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_uploads_read_the_documents_through_their_own_connection(
    server_factory: ServerFactory, cache: Cache, tmp_path: Path
) -> None:
    """No per-thread reader connection is left behind by an upload (each one held a page cache
    and a malloc arena); the documents arrive whole."""
    server = server_factory(max_size_upload=10 * MB, max_size_attachments_per_email=10 * MB)
    document = _pdf(tmp_path / "scanner.pdf", 2 * MB)
    async with jmap_client(server, ALICE) as alice, jmap_client(server, BOB) as bob:
        outbox = Outbox(cache, alice)
        outbox_id = await outbox.queue(_message([document], subject="Scanner"))
        readers_before = len(cache._readers)
        assert await outbox.send_pending() == 1
        assert len(cache._readers) == readers_before
        with cache.read() as conn:
            row = rows.get(conn, outbox_id)
        assert row is not None
        assert row.state == OutboxState.SENT
        found = await bob.call_one("Email/query", {"filter": {"subject": "Scanner"}})
        [email] = await bob.get_all(
            "Email", found["ids"], ["attachments"], bodyProperties=["name", "blobId", "size"]
        )
        parts = {a["name"]: a for a in email["attachments"]}
        got = await bob.download_bytes(
            parts["scanner.pdf"]["blobId"], "s.pdf", "application/pdf", 3 * MB
        )
        assert got == document.read_bytes()
        xdm = await bob.download_bytes(
            parts["IHE_XDM.ZIP"]["blobId"], "x.zip", "application/zip", 3 * MB
        )
        with XdmReader(xdm) as reader:
            assert reader.package.patient == PATIENT
            assert cda_body(b"".join(reader.document(reader.package.documents[0]))) == got


# --- The Session's limit, as sent by any server -----------------------------------------------


def test_the_attachments_limit_is_read_from_the_account_then_the_server() -> None:
    account = {"accountCapabilities": {MAIL: {"maxSizeAttachmentsPerEmail": 1000}}}
    document = {"accounts": {"A": account}, "capabilities": {MAIL: {}}}
    assert attachments_limit(document, "A") == 1000
    assert attachments_limit(document, "B") is None
    server_wide = {"capabilities": {MAIL: {"maxSizeAttachmentsPerEmail": 50}}}
    assert attachments_limit(server_wide, "A") == 50
    assert (
        attachments_limit({"capabilities": {MAIL: {"maxSizeAttachmentsPerEmail": 0}}}, "A") is None
    )
    assert (
        attachments_limit({"capabilities": {MAIL: {"maxSizeAttachmentsPerEmail": True}}}, "A")
        is None
    )


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _json,
        st.fixed_dictionaries(
            {
                "accounts": st.dictionaries(
                    st.sampled_from(["A", "B"]),
                    st.fixed_dictionaries(
                        {
                            "accountCapabilities": st.dictionaries(
                                st.sampled_from([MAIL, "x"]), _json
                            )
                        }
                    ),
                ),
                "capabilities": st.dictionaries(
                    st.sampled_from([MAIL, "y"]),
                    st.dictionaries(st.sampled_from(["maxSizeAttachmentsPerEmail", "z"]), _json),
                ),
            }
        ),
    )
)
def test_any_session_document_gives_a_positive_limit_or_none(document: object) -> None:
    limit = attachments_limit(document, "A")
    assert limit is None or (type(limit) is int and limit > 0)
