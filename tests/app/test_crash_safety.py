"""kill -9 at many points of an initial sync and of a send: after a restart the cache converges to
the server and every message is delivered exactly once.

The client runs as its own process (`monsisra-cli`); MONSISRA_CRASHPOINT makes it SIGKILL itself
at a named point (app/crashpoints.py), the way a power cut or a killed task would stop it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.remote.jmap import JmapClient
from server.testing import ServerThread
from tests.app.cli_helpers import KILLED, as_alice, deliver_to_alice, ok, opened, send_as_alice
from tests.app.jmap_helpers import jmap_client
from tests.app.sync_helpers import assert_cache_equals_server
from tests.server.conftest import ALICE, BOB

SYNC_POINTS = [
    "sync.initial.state_noted",
    "sync.initial.ids_listed",
    "sync.page_written#1",
    "sync.page_written#2",
    "sync.page_written#4",
    "sync.initial.finished",
    "store.before_commit#1",
    "store.before_commit#3",
    "store.before_commit#6",
    "store.committed#2",
    "store.committed#5",
    "store.committed#9",
]

SEND_POINTS = [
    "outbox.queued",
    "outbox.uploaded#1",
    "outbox.uploaded#2",
    "outbox.before_create",
    "outbox.created",
    "outbox.email_recorded",
    "outbox.before_submit",
    "outbox.submitted",
    "outbox.sent",
    "outbox.status_written",
    "store.committed#4",
    "store.committed#7",
    "store.before_commit#5",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("point", SYNC_POINTS)
async def test_initial_sync_killed_then_restarted_converges(
    server: ServerThread, tmp_path: Path, point: str
) -> None:
    deliver_to_alice(server, "Résultats", "fill", 120, datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    data = tmp_path / "client"
    # Pages that wait for the writer are stored together (up to WRITE_GROUP a transaction): 24
    # pages of 5 give at least 6 page writes, so every crash point above is reached.
    killed = as_alice(server, data, "sync", "--page-size", "5", crashpoint=point)
    assert killed.returncode == KILLED, (point, killed.stderr)
    report = ok(as_alice(server, data, "sync"))
    assert report["messages"] == 120
    async with (
        opened(server.base_url, ALICE.login, ALICE.password, data) as account,
        jmap_client(server, ALICE) as client,
    ):
        await assert_cache_equals_server(account.cache, client)


async def _received(client: JmapClient, subject: str) -> int:
    answer = await client.call_one("Email/query", {"filter": {"subject": subject}})
    return len(answer["ids"])


# Where a send whose draft the server lost (once) may be killed while it creates it again.
DRAFT_LOST_POINTS = [
    "outbox.draft_lost",
    "outbox.before_create#2",
    "outbox.created#2",
    "outbox.email_recorded#2",
    "outbox.submitted",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("point", SEND_POINTS)
async def test_send_killed_then_restarted_delivers_exactly_once(
    server: ServerThread, tmp_path: Path, point: str
) -> None:
    await _send_killed_then_restarted(server, tmp_path, point)


@pytest.mark.asyncio
@pytest.mark.parametrize("point", DRAFT_LOST_POINTS)
async def test_send_whose_draft_was_lost_killed_then_restarted_delivers_exactly_once(
    server: ServerThread, tmp_path: Path, point: str
) -> None:
    server.sandbox.refusals.drafts_lost = 1
    await _send_killed_then_restarted(server, tmp_path, point)


@pytest.mark.asyncio
async def test_a_draft_another_client_deleted_after_a_kill_is_sent_once_at_restart(
    server: ServerThread, tmp_path: Path
) -> None:
    """Killed once the draft was on the server; another client of the account deletes that draft
    before the restart: the restart sends the message (from the outbox's copy), once."""
    data = tmp_path / "client"
    ok(as_alice(server, data, "sync"))
    subject = "Brouillon effacé ailleurs"
    killed = send_as_alice(server, data, subject, crashpoint="outbox.email_recorded")
    assert killed.returncode == KILLED, killed.stderr
    async with jmap_client(server, ALICE) as other:
        found = await other.call_one("Email/query", {"filter": {"subject": subject}})
        assert len(found["ids"]) == 1
        await other.call_one("Email/set", {"destroy": found["ids"]})
    rows = ok(as_alice(server, data, "outbox", "--send"))
    assert [r["state"] for r in rows] == ["sent"]
    async with jmap_client(server, BOB) as bob, jmap_client(server, ALICE) as alice:
        assert await _received(bob, subject) == 1
        assert await _received(alice, subject) == 1


async def _send_killed_then_restarted(server: ServerThread, tmp_path: Path, point: str) -> None:
    data = tmp_path / "client"
    ok(as_alice(server, data, "sync"))
    report = tmp_path / "compte-rendu.pdf"
    report.write_bytes(b"%PDF-1.4\n" + b"r" * 50_000 + b"\n%%EOF\n")
    scan = tmp_path / "ecg.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"e" * 20_000)
    subject = f"Envoi interrompu {point}"
    documents = (f"{report}:11488-4", f"{scan}:18748-4")
    killed = send_as_alice(server, data, subject, attach=documents, crashpoint=point)
    assert killed.returncode == KILLED, (point, killed.stderr)
    rows = ok(as_alice(server, data, "outbox", "--send"))
    assert [r["state"] for r in rows] == ["sent"]
    # A second restart sends nothing more.
    ok(as_alice(server, data, "outbox", "--send"))
    async with jmap_client(server, BOB) as bob, jmap_client(server, ALICE) as alice:
        assert await _received(bob, subject) == 1
        assert await _received(alice, subject) == 1  # her copy, in Sent
