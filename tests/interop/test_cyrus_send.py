"""Sending through Cyrus's JMAP: alice writes to bob with typed documents and a patient; it arrives
intact and once, her copy moves from Drafts to Sent; a message written offline goes once when the
network is back; a send killed at any step goes once after a restart.

"Once" is counted where mail leaves Cyrus (its SMTP relay's log), not only in bob's mailbox:
Cyrus's LMTP may suppress a duplicate delivery, which would hide a double send.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
from datetime import date
from pathlib import Path

import pytest

from app.account.login import open_account
from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.message.patient import PatientIdentity
from app.message.xdm import parse_xdm
from app.outbox.sender import Outbox
from app.remote.jmap import JmapClient, NetworkError
from app.store import outbox as rows
from app.store.db import Cache
from app.store.outbox import OutboxState
from app.store.records import Address
from tests.app.cli_helpers import KILLED, cli, ok
from tests.app.netrelay import Relay
from tests.interop import cyrus
from tests.interop.cyrus import ALICE, BOB, Cyrus

pytestmark = pytest.mark.interop

PATIENT = PatientIdentity(
    "248017512345678", "1.2.250.1.213.1.4.10", "Marie", "Dupont", date(1948, 1, 7), "female"
)


def _documents() -> dict[str, bytes]:
    return {
        "compte rendu été.pdf": b"%PDF-1.4\n" + os.urandom(300_000) + b"\n%%EOF\n",
        "ordonnance.pdf": b"%PDF-1.4\nordonnance\n%%EOF\n",
    }


def _message(tmp_path: Path, subject: str, documents: dict[str, bytes]) -> OutgoingMessage:
    attachments = []
    for (name, content), code in zip(documents.items(), ("11488-4", "57833-6"), strict=False):
        path = tmp_path / name
        path.write_bytes(content)
        attachments.append(OutgoingAttachment(path, name, "application/pdf", code))
    return OutgoingMessage(
        from_=Address("Dr Alice Martin", ALICE),
        to=[Address("Dr Bob Durand", BOB)],
        subject=subject,
        text="Cher confrère,\nci-joint le compte rendu de Mme Dupont.",
        patient=PATIENT,
        attachments=attachments,
    )


def relayed(server: Cyrus, message_id: str) -> list[dict[str, object]]:
    """What Cyrus handed to its SMTP relay for this Message-ID (one entry per SMTP transaction)."""
    if not server.smtp_outbox.exists():
        return []
    out = []
    for line in server.smtp_outbox.read_text().splitlines():
        entry = json.loads(line)
        raw = base64.b64decode(entry["data_b64"])
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        if str(parsed["Message-ID"]).strip() == message_id:
            out.append(entry)
    return out


async def _by_message_id(client: JmapClient, message_id: str) -> list[dict]:
    answer = await client.call_one(
        "Email/query", {"filter": {"header": ["Message-ID", message_id.strip("<>")]}}
    )
    got = await client.get_all(
        "Email",
        answer["ids"],
        ["subject", "mailboxIds", "keywords", "attachments", "messageId"],
        bodyProperties=["name", "type", "blobId", "size", "header:Content-Description:asText"],
    )
    return list(got)


async def _roles(client: JmapClient) -> dict[str, str]:
    got = await client.get_all("Mailbox", None, ["id", "role"])
    return {m["role"]: m["id"] for m in got if m.get("role")}


@pytest.mark.asyncio
async def test_alice_sends_bob_typed_documents_that_arrive_intact_once(
    cyrus_server: Cyrus, cache: Cache, tmp_path: Path
) -> None:
    documents = _documents()
    async with (
        cyrus.jmap_client(cyrus_server, ALICE) as alice,
        cyrus.jmap_client(cyrus_server, BOB) as bob,
    ):
        outbox = Outbox(cache, alice)
        outbox_id = await outbox.queue(_message(tmp_path, "Compte rendu Mme Dupont", documents))
        assert await outbox.send_pending() == 1
        with cache.read() as conn:
            row = rows.get(conn, outbox_id)
        assert row is not None
        assert row.state == OutboxState.SENT
        assert len(relayed(cyrus_server, row.message_id)) == 1
        [received] = await _by_message_id(bob, row.message_id)
        parts = {a["name"]: a for a in received["attachments"]}
        assert set(parts) == {*documents, "IHE_XDM.ZIP"}
        for name, content in documents.items():
            blob = await bob.download_bytes(parts[name]["blobId"], name, "application/pdf", 10**7)
            assert blob == content, name
        assert parts["compte rendu été.pdf"]["header:Content-Description:asText"] == (
            "Compte rendu de consultation"
        )
        xdm = await bob.download_bytes(
            parts["IHE_XDM.ZIP"]["blobId"], "IHE_XDM.ZIP", "application/zip", 10**7
        )
        package = parse_xdm(xdm)
        assert package.patient is not None
        assert package.patient.ins == PATIENT.ins
        assert {d.type_code for d in package.documents} == {"11488-4", "57833-6"}
        # Alice's copy: moved from Drafts to Sent, no longer a draft.
        [mine] = await _by_message_id(alice, row.message_id)
        roles = await _roles(alice)
        assert mine["mailboxIds"] == {roles["sent"]: True}
        assert "$draft" not in mine["keywords"]
        # Sending again sends nothing more.
        assert await outbox.send_pending() == 0
        assert len(relayed(cyrus_server, row.message_id)) == 1


@pytest.mark.asyncio
async def test_written_offline_it_goes_once_when_the_network_is_back(
    cyrus_server: Cyrus, tmp_path: Path
) -> None:
    port = int(cyrus_server.server_url.rsplit(":", 1)[1])
    relay = Relay(port)
    url = await relay.start()
    account = await open_account(tmp_path / "client", url, ALICE, cyrus_server.passwords[ALICE])
    try:
        assert account.http is not None
        outbox = Outbox(account.cache, JmapClient(account.http, url + "/.well-known/jmap"))
        relay.cut()
        queued = [
            await outbox.queue(_message(tmp_path, f"Hors ligne {i}", _documents()))
            for i in range(2)
        ]
        for document in tmp_path.glob("*.pdf"):
            document.unlink()  # the outbox kept its own copies
        with pytest.raises(NetworkError):
            await outbox.send_pending()
        with account.cache.read() as conn:
            assert [r.state for r in rows.list_rows(conn)] == [
                OutboxState.QUEUED,
                OutboxState.QUEUED,
            ]
        relay.restore(port)
        assert await outbox.send_pending() == 2
        with account.cache.read() as conn:
            sent = [rows.get(conn, i) for i in queued]
        assert all(r is not None and r.state == OutboxState.SENT for r in sent)
        async with cyrus.jmap_client(cyrus_server, BOB) as bob:
            for row in sent:
                assert row is not None
                assert len(relayed(cyrus_server, row.message_id)) == 1
                assert len(await _by_message_id(bob, row.message_id)) == 1
    finally:
        await account.close()
        await relay.close()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "point", ["outbox.uploaded#1", "outbox.created", "outbox.before_submit", "outbox.submitted"]
)
async def test_a_send_killed_at_any_step_goes_once_after_a_restart(
    cyrus_server: Cyrus, tmp_path: Path, point: str
) -> None:
    data = tmp_path / "client"
    password = cyrus_server.passwords[ALICE]
    report = tmp_path / "compte-rendu.pdf"
    report.write_bytes(b"%PDF-1.4\n" + os.urandom(50_000) + b"\n%%EOF\n")
    subject = f"Envoi interrompu {point}"
    args = ("send", "--to", BOB, "--subject", subject, "--body", "Cher confrère,")
    killed = cli(
        cyrus_server.server_url,
        ALICE,
        password,
        data,
        *args,
        "--attach",
        f"{report}:11488-4",
        crashpoint=point,
    )
    assert killed.returncode == KILLED, (point, killed.stderr)
    listed = ok(cli(cyrus_server.server_url, ALICE, password, data, "outbox", "--send"))
    assert [r["state"] for r in listed] == ["sent"]
    ok(cli(cyrus_server.server_url, ALICE, password, data, "outbox", "--send"))
    message_id = listed[0]["messageId"]
    assert len(relayed(cyrus_server, message_id)) == 1
    async with (
        cyrus.jmap_client(cyrus_server, BOB) as bob,
        cyrus.jmap_client(cyrus_server, ALICE) as alice,
    ):
        assert len(await _by_message_id(bob, message_id)) == 1
        [mine] = await _by_message_id(alice, message_id)  # her one copy, in Sent
        assert mine["mailboxIds"] == {(await _roles(alice))["sent"]: True}
