"""Issue 17 §1, the fault matrix (see test_fault_matrix.py) for the transfers: a document
download, and a send with a 20 MB document that must leave exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.session import AccountSession
from app.store.records import Address
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.faults.matrix import (  # noqa: F401 (fixtures)
    DOCUMENT,
    HANG,
    KINDS,
    MB,
    bounded,
    download_through_fault,
    fault,
    proxy,
    sandbox,
    session,
    with_document,
)
from tests.faults.proxy import FaultProxy, Rule
from tests.server.conftest import ALICE, BOB

# A document download ------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_document_download(
    kind: str,
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
    with_document: str,  # noqa: F811 (the fixture imported above)
) -> None:
    await session.sync_once()
    email = session.email_by_message_id(with_document)
    assert email is not None
    await download_through_fault(session, proxy, email.attachments[0], kind, "/jmap/download")


# A send with a 20 MB document, exactly once -------------------------------------------------------


async def received_by_bob(server: ServerThread, subject: str) -> int:
    async with jmap_client(server, BOB) as bob:
        found = await bob.call_one("Email/query", {"filter": {"subject": subject}})
    return len(found["ids"])


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_send_large_document_exactly_once(
    kind: str,
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    big = tmp_path / "imagerie.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.write(bytes(range(256)) * (20 * MB // 256))
    subject = f"Imagerie 20 Mo ({kind})"
    message = OutgoingMessage(
        from_=Address(ALICE.name, ALICE.email),
        to=[Address(BOB.name, BOB.email)],
        subject=subject,
        text="Cher confrère, ci-joint l'imagerie.",
        attachments=[OutgoingAttachment(big, big.name, "application/pdf", "11488-4")],
    )
    if kind in ("truncate", "silence"):
        # The submission done by the server, its answer lost: the trap of sending twice.
        rule = proxy.add(Rule(fault(kind, 0), path="/jmap/api", contains=b"EmailSubmission/set"))
    else:
        rule = proxy.add(Rule(fault(kind, 1 * MB, "up"), path="/jmap/upload"))
    outbox_id = await asyncio.wait_for(session.send(message), HANG)
    assert rule.hits == 1
    proxy.clear()
    row = session.outbox_row(outbox_id)
    assert row is not None
    # Cut off, the message waits in the outbox (unreachable: not refused); a slow link sends it.
    assert row.state == ("sent" if kind == "drip" else "queued"), row.state
    if row.state == "failed":
        await asyncio.wait_for(session.retry(outbox_id), HANG)
    elif row.state != "sent":
        await asyncio.wait_for(session.send_outbox(), HANG)
    row = session.outbox_row(outbox_id)
    assert row is not None
    assert row.state == "sent", row
    assert await received_by_bob(sandbox, subject) == 1
