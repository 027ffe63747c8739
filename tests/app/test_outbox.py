"""The outbox against the sandbox: typed documents arrive, offline mail waits, failures say why."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import httpx
import pytest

from app import messages
from app.events import EventBus, OutboxChanged
from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.message.patient import PatientIdentity
from app.outbox.sender import Outbox
from app.remote.jmap import JmapClient, NetworkError
from app.store import outbox as rows
from app.store.db import Cache
from app.store.outbox import OutboxRow, OutboxState
from app.store.records import Address
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.netrelay import Relay
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token

PATIENT = PatientIdentity(
    "248017512345678", "1.2.250.1.213.1.4.10", "Marie", "Dupont", date(1948, 1, 7), "female"
)


def _documents(tmp_path: Path) -> list[OutgoingAttachment]:
    report = tmp_path / "compte rendu été.pdf"
    report.write_bytes(b"%PDF-1.4\n" + b"x" * 200_000 + b"\n%%EOF\n")
    prescription = tmp_path / "ordonnance.pdf"
    prescription.write_bytes(b"%PDF-1.4\nordonnance\n%%EOF\n")
    return [
        OutgoingAttachment(report, report.name, "application/pdf", "11488-4"),
        OutgoingAttachment(prescription, prescription.name, "application/pdf", "57833-6"),
    ]


def _message(
    tmp_path: Path, subject: str, patient: PatientIdentity | None = PATIENT
) -> OutgoingMessage:
    return OutgoingMessage(
        from_=Address(ALICE.name, ALICE.email),
        to=[Address(BOB.name, BOB.email)],
        subject=subject,
        text="Cher confrère,\nci-joint le compte rendu.",
        patient=patient,
        attachments=_documents(tmp_path),
    )


def _row(cache: Cache, outbox_id: str) -> OutboxRow:
    """The outbox's row `outbox_id`, as the unsent file holds it now."""
    with cache.read() as conn:
        row = rows.get(conn, outbox_id)
    assert row is not None
    return row


async def _inbox_of(client: JmapClient, subject: str) -> list[dict]:
    answer = await client.call_one("Email/query", {"filter": {"subject": subject}})
    got = await client.get_all(
        "Email",
        answer["ids"],
        ["subject", "mailboxIds", "keywords", "attachments", "messageId"],
        bodyProperties=["name", "type", "blobId", "header:Content-Description:asText"],
    )
    return list(got)


@pytest.mark.asyncio
async def test_a_message_with_typed_documents_arrives_once_with_its_xdm(
    server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(server, ALICE) as alice, jmap_client(server, BOB) as bob:
        bus = EventBus()
        counts: list[OutboxChanged] = []
        bus.subscribe(OutboxChanged, counts.append)
        outbox = Outbox(cache, alice, bus)
        outbox_id = await outbox.queue(_message(tmp_path, "Compte rendu Mme Dupont"))
        assert counts[-1] == OutboxChanged(pending=1, failed=0)
        assert await outbox.send_pending() == 1
        assert counts[-1] == OutboxChanged(pending=0, failed=0)
        row = _row(cache, outbox_id)
        assert row.state == OutboxState.SENT
        received = await _inbox_of(bob, "Compte rendu Mme Dupont")
        assert len(received) == 1
        parts = {a["name"]: a for a in received[0]["attachments"]}
        assert parts["compte rendu été.pdf"]["header:Content-Description:asText"] == (
            "Compte rendu de consultation"
        )
        assert parts["ordonnance.pdf"]["header:Content-Description:asText"].startswith("Ordonnance")
        xdm = await bob.download_bytes(
            parts["IHE_XDM.ZIP"]["blobId"], "x.zip", "application/zip", 5_000_000
        )
        names = zipfile.ZipFile(io.BytesIO(xdm)).namelist()
        assert "IHE_XDM/SUBSET01/METADATA.XML" in names
        # Alice's copy moved from Drafts to Sent, no longer a draft.
        mine = await _inbox_of(alice, "Compte rendu Mme Dupont")
        sent_id = (await alice.call_one("Mailbox/query", {"filter": {"role": "sent"}}))["ids"][0]
        assert len(mine) == 1
        assert mine[0]["mailboxIds"] == {sent_id: True}
        assert "$draft" not in mine[0]["keywords"]
        # Sending again sends nothing more.
        assert await outbox.send_pending() == 0
        assert len(await _inbox_of(bob, "Compte rendu Mme Dupont")) == 1


@pytest.mark.asyncio
async def test_composed_offline_it_waits_then_goes_once_when_the_server_is_back(
    server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])
    relay = Relay(port)
    url = await relay.start()
    token = get_token(server.base_url, ALICE)
    try:
        async with (
            httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http,
            jmap_client(server, BOB) as bob,
        ):
            outbox = Outbox(cache, JmapClient(http, url + "/.well-known/jmap"))
            relay.cut()
            first = await outbox.queue(_message(tmp_path, "Hors ligne 1"))
            second = await outbox.queue(_message(tmp_path, "Hors ligne 2", patient=None))
            for document in tmp_path.glob("*.pdf"):
                document.unlink()  # the files may go: the outbox kept its own copies
            with pytest.raises(NetworkError):
                await outbox.send_pending()
            with cache.read() as conn:
                assert [r.state for r in rows.list_rows(conn)] == [
                    OutboxState.QUEUED,
                    OutboxState.QUEUED,
                ]
            relay.restore(port)
            assert await outbox.send_pending() == 2
            with cache.read() as conn:
                assert {rows.get(conn, i).state for i in (first, second)} == {OutboxState.SENT}  # type: ignore[union-attr]
            for subject in ("Hors ligne 1", "Hors ligne 2"):
                assert len(await _inbox_of(bob, subject)) == 1
    finally:
        await relay.close()


@pytest.mark.asyncio
async def test_a_refused_message_is_kept_failed_with_its_reason_and_the_next_goes(
    server_factory: ServerFactory, cache: Cache, tmp_path: Path
) -> None:
    server = server_factory(max_size_upload=100_000)
    async with jmap_client(server, ALICE) as alice, jmap_client(server, BOB) as bob:
        # Queued offline: the limits were not known, so the server's refusal comes at sending.
        offline = Outbox(cache, None)
        too_big = await offline.queue(_message(tmp_path, "Trop gros"))
        small = OutgoingMessage(
            from_=Address(ALICE.name, ALICE.email),
            to=[Address(BOB.name, BOB.email)],
            subject="Petit mot",
            text="Merci.",
        )
        await offline.queue(small)
        outbox = Outbox(cache, alice)
        assert await outbox.send_pending() == 1
        row = _row(cache, too_big)
        assert row.state == OutboxState.FAILED
        assert "taille maximale" in (row.error or "")
        assert len(await _inbox_of(bob, "Petit mot")) == 1
        assert await _inbox_of(bob, "Trop gros") == []


async def _drafts_and_sent(client: JmapClient, subject: str) -> list[dict]:
    return [e for e in await _inbox_of(client, subject) if e["mailboxIds"]]


@pytest.mark.asyncio
async def test_a_draft_the_server_lost_before_its_submission_is_created_again_and_sent_once(
    server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    server.sandbox.refusals.drafts_lost = 1
    async with jmap_client(server, ALICE) as alice, jmap_client(server, BOB) as bob:
        outbox = Outbox(cache, alice)
        outbox_id = await outbox.queue(_message(tmp_path, "Brouillon perdu une fois"))
        assert await outbox.send_pending() == 1
        row = _row(cache, outbox_id)
        assert row.state == OutboxState.SENT
        [received] = await _inbox_of(bob, "Brouillon perdu une fois")
        assert {a["name"] for a in received["attachments"]} == {
            "compte rendu été.pdf",
            "ordonnance.pdf",
            "IHE_XDM.ZIP",
        }
        assert len(await _drafts_and_sent(alice, "Brouillon perdu une fois")) == 1


@pytest.mark.asyncio
async def test_a_draft_lost_twice_stays_failed_with_its_reason_then_retry_sends_it(
    server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    server.sandbox.refusals.drafts_lost = 2
    async with jmap_client(server, ALICE) as alice, jmap_client(server, BOB) as bob:
        outbox = Outbox(cache, alice)
        outbox_id = await outbox.queue(_message(tmp_path, "Brouillon perdu deux fois"))
        assert await outbox.send_pending() == 0
        row = _row(cache, outbox_id)
        assert row.state == OutboxState.FAILED  # never "sent" without an accepted submission
        assert row.error == messages.SEND_DRAFT_LOST.text()
        assert row.email_id is None
        assert await _inbox_of(bob, "Brouillon perdu deux fois") == []
        await outbox.retry(outbox_id)
        assert await outbox.send_pending() == 1
        assert len(await _inbox_of(bob, "Brouillon perdu deux fois")) == 1
