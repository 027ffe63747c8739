"""Issue 17 §1, what the first matrix (test_fault_matrix*.py) left: a transfer dripping so slowly
that no read timeout trips ends at the floor under its rate (app/remote/pace.py) and says so in
French; a paged initial sync cut in its middle resumes where it was; the access token revoked in
the middle of a sync is refreshed without the password, and the sync converges."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.message.compose import OutgoingMessage
from app.message.draft import Draft
from app.remote.pace import Pace, TransferTooSlow
from app.session import AccountSession
from app.store import mail
from app.store.records import Address
from app.sync import engine
from server.testing import ServerThread, quick_config
from tests.app.jmap_helpers import jmap_client
from tests.app.waiting import until
from tests.faults.matrix import (  # noqa: F401 (fixtures)
    DOCUMENT,
    HANG,
    bounded,
    converged,
    deliver,
    proxy,
    sandbox,
    session,
    with_document,
)
from tests.faults.proxy import Fault, FaultProxy, Rule
from tests.server.conftest import ALICE, BOB, start_sandbox

# A quick floor for the tests: the document (300 KB) must come within 1 + 3 s; at full speed on
# loopback it takes milliseconds, a byte every half second never makes it.
QUICK_PACE = Pace(min_rate=100_000.0, grace=1.0)


def drip(after_bytes: int) -> Fault:
    return Fault("drip", "down", after_bytes, drip_bytes=1, drip_every_s=0.5)


def cached_ids(opened: AccountSession) -> set[str]:
    with opened.account.cache.read() as conn:
        return mail.email_ids(conn)


def resuming(opened: AccountSession) -> bool:
    with opened.account.cache.read() as conn:
        return mail.get_state(conn, engine.INITIAL_STATE_KEY) is not None


# A download dripping for ever -------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("after_bytes", [200, 100_000], ids=["in-the-head", "in-the-body"])
async def test_a_dripping_download_ends_too_slow_in_french_then_comes_whole(
    after_bytes: int,
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    with_document: str,  # noqa: F811 (the fixture imported above)
) -> None:
    await session.sync_once()
    assert session.jmap is not None
    session.jmap.transfer_pace = QUICK_PACE
    email = session.email_by_message_id(with_document)
    assert email is not None
    part = email.attachments[0]
    assert part.name is not None
    rule = proxy.add(Rule(drip(after_bytes), path="/jmap/download"))
    got = await bounded(session.open_document(part.blob_id, part.name, part.type, part.size))
    assert rule.hits == 1
    assert isinstance(got, TransferTooSlow), got
    assert got.message.text().startswith("Connexion trop lente")
    proxy.clear()
    opened = await bounded(session.open_document(part.blob_id, part.name, part.type, part.size))
    assert isinstance(opened, Path), opened
    assert opened.read_bytes() == DOCUMENT


@pytest.mark.asyncio
async def test_a_dripping_upload_ends_too_slow_then_goes_whole(
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    """The upload direction: the blob's bytes dripped to the server past the floor; nothing is
    lost, the blob goes again whole. The floor is set to end it before the answer's read
    timeout (4 s) would: on loopback the whole body fits in the sockets' buffers."""
    assert session.jmap is not None
    session.jmap.transfer_pace = Pace(min_rate=200_000.0, grace=0.5)
    up = Fault("drip", "up", 2000, drip_bytes=1, drip_every_s=0.5)
    rule = proxy.add(Rule(up, path="/jmap/upload"))
    got = await bounded(session.jmap.upload(DOCUMENT, "application/pdf"))
    assert rule.hits == 1
    assert isinstance(got, TransferTooSlow), got
    proxy.clear()
    blob = await bounded(session.jmap.upload(DOCUMENT, "application/pdf"))
    assert not isinstance(blob, Exception), blob
    assert blob.size == len(DOCUMENT)


# A paged initial sync cut in its middle ---------------------------------------------------------


@pytest.mark.asyncio
async def test_a_paged_initial_sync_cut_after_two_pages_resumes_where_it_was(
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    """Pages of 5: the Email/get of the noted state, then page 1 alone, then page 2; the next
    Email/get (page 3) is cut. The engine keeps its progress (the emails stored and the noted
    state): the next sync fetches only what is missing, and converges."""
    rule = proxy.add(
        Rule(Fault("cut", "down", 0), path="/jmap/api", contains=b'"Email/get"', skip=3)
    )
    failed = await bounded(session.sync_once(page_size=5))
    assert rule.hits == 1
    assert isinstance(failed, Exception), failed
    # Through the one writer, after any page whose write was under way when the pass failed.
    kept = await session.account.cache.write(mail.email_ids)
    assert len(kept) >= 5  # page 1 at least was stored before the cut
    assert resuming(session)  # the noted state kept: the next pass resumes, not restarts
    proxy.clear()
    again = await bounded(session.sync_once(page_size=5))
    assert not isinstance(again, Exception), again
    assert kept <= cached_ids(session)
    assert again.added == len(cached_ids(session)) - len(kept)  # only the missing ones
    assert not resuming(session)
    await converged(session, sandbox)


# The access token gone in the middle of a sync --------------------------------------------------


@pytest.mark.asyncio
async def test_the_access_token_revoked_between_pages_is_refreshed_and_the_sync_converges(
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the first page of a paged initial sync, the server forgets the access token (as
    when it expires): the next call gets a 401, the client refreshes with its refresh token and
    goes on; the password is never asked."""
    auth = session.account.auth
    assert auth is not None
    assert auth.tokens is not None
    first_token = auth.tokens.access_token
    refreshed_before = auth.refresh_count
    fetch_page = engine.SyncEngine._fetch_page
    pages = 0

    async def revoking(self: engine.SyncEngine, ids: list[str]) -> list[dict[str, object]]:
        nonlocal pages
        pages += 1
        if pages == 2:
            await asyncio.to_thread(sandbox.sandbox.tokens.revoke, first_token)
        return await fetch_page(self, ids)

    monkeypatch.setattr(engine.SyncEngine, "_fetch_page", revoking)
    done = await bounded(session.sync_once(page_size=5))
    assert not isinstance(done, Exception), done
    assert pages > 2
    assert auth.refresh_count == refreshed_before + 1
    assert auth.tokens is not None
    assert auth.tokens.access_token != first_token
    assert not auth.needs_reauth
    assert not resuming(session)
    await converged(session, sandbox)


# The server restored from a backup: its states go backwards ---------------------------------------


async def received_by_bob(server: ServerThread, subject: str) -> int:
    async with jmap_client(server, BOB) as bob:
        found = await bob.call_one("Email/query", {"filter": {"subject": subject}})
    return len(found["ids"])


@dataclass
class Restorable:
    """Alice's sandbox on its folder `data` (six messages delivered), her session on it, and the
    folder a backup of it goes to."""

    data: Path
    backup: Path
    server: ServerThread
    opened: AccountSession

    async def back_up(self) -> None:
        """The server stopped, its folder copied to the backup, then started again on its port."""
        port = self.server.port
        self.server.stop()
        await asyncio.to_thread(shutil.copytree, self.data, self.backup)
        self.server = ServerThread(quick_config(self.data), port=port).start()

    async def restore(self) -> None:
        """The server, stopped (the disaster), started again on its port from the backup."""
        port = self.server.port
        await asyncio.to_thread(shutil.rmtree, self.data)
        await asyncio.to_thread(shutil.copytree, self.backup, self.data)
        self.server = ServerThread(quick_config(self.data), port=port).start()


@contextlib.asynccontextmanager
async def restorable(tmp_path: Path) -> AsyncIterator[Restorable]:
    data, backup = tmp_path / "server", tmp_path / "backup"
    server = start_sandbox(data, (ALICE, BOB))
    made: Restorable | None = None
    try:
        for i in range(6):
            deliver(server, f"Avant la sauvegarde {i}")
        opened = await AccountSession.open(
            tmp_path / "client", server.base_url, ALICE.login, ALICE.password
        )
        made = Restorable(data, backup, server, opened)
        try:
            yield made
        finally:
            await opened.close()
    finally:
        (made.server if made is not None else server).stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("changes_after", [1, 12], ids=["states-behind", "states-caught-up"])
async def test_the_server_restored_from_a_backup_resyncs_and_keeps_the_unsent_work(
    changes_after: int, tmp_path: Path
) -> None:
    """A backup of the server's folder; then deliveries, a flag and a deletion the client syncs;
    the server stopped while alice writes a draft and sends a message (queued); the backup
    restored and the server started again on the same port, deliveries after. With one, the
    client's states are ahead of the server's (cannotCalculateChanges): it resyncs from scratch.
    With twelve, more than were lost, the server's states have caught up with the client's and
    /changes is accepted, bridging nothing of what the backup lacks: the engine's check of the ids
    after a failed pass finds the difference and resyncs. Either way the cache equals the server
    (what the backup lacks is gone, what it has is back), the queued message is sent once, the
    draft is still there."""
    async with restorable(tmp_path) as r:
        await r.opened.sync_once()
        await r.back_up()
        after = [deliver(r.server, f"Après la sauvegarde {i}") for i in range(3)]
        async with jmap_client(r.server, ALICE) as alice:
            before = await alice.call_one(
                "Email/query", {"filter": {"subject": "Avant la sauvegarde"}}
            )
            gone, flagged = before["ids"][:2]
            await alice.call_one(
                "Email/set",
                {"update": {flagged: {"keywords/$flagged": True}}, "destroy": [gone]},
            )
        await r.opened.sync_once()
        assert r.opened.email_by_message_id(after[0]) is not None
        assert gone not in cached_ids(r.opened)

        r.server.stop()  # the disaster; alice goes on working meanwhile
        draft_id = await r.opened.save_draft(
            None,
            Draft(to=(Address(BOB.name, BOB.email),), subject="Brouillon", body="À finir."),
        )
        subject = "Parti une seule fois après la restauration"
        message = OutgoingMessage(
            from_=Address(ALICE.name, ALICE.email),
            to=[Address(BOB.name, BOB.email)],
            subject=subject,
            text="Cher confrère, le compte rendu suit.",
        )
        outbox_id = await asyncio.wait_for(r.opened.send(message), HANG)
        row = r.opened.outbox_row(outbox_id)
        assert row is not None
        assert row.state == "queued", row.state

        await r.restore()
        for k in range(changes_after):
            deliver(r.server, f"Après la restauration {k}")
        done = await bounded(r.opened.sync_once())
        assert not isinstance(done, Exception), done
        await converged(r.opened, r.server)
        assert r.opened.email_by_message_id(after[0]) is None  # not in the backup
        assert gone in cached_ids(r.opened)  # in the backup: back
        row = r.opened.outbox_row(outbox_id)
        assert row is not None
        assert row.state == "sent", row.state
        again = await bounded(r.opened.sync_once())
        assert not isinstance(again, Exception), again
        assert await received_by_bob(r.server, subject) == 1
        assert draft_id in [d.id for d in r.opened.drafts()]


@pytest.mark.asyncio
async def test_a_restore_between_two_passes_is_noticed_when_the_push_stream_drops(
    tmp_path: Path,
) -> None:
    """The background engine (push and poll): the server restored from a backup while no pass
    ran, so none failed. The push stream's drop makes the next pass compare the ids; twelve
    deliveries after the restore (states caught up with the client's) and the cache still
    converges: what the backup lacks is gone."""
    async with restorable(tmp_path) as r:
        await r.back_up()
        r.opened.start()
        await until(lambda: len(cached_ids(r.opened)) == 6, timeout=HANG)
        after = [deliver(r.server, f"Après la sauvegarde {i}") for i in range(3)]
        await until(lambda: r.opened.email_by_message_id(after[-1]) is not None, timeout=HANG)
        assert r.opened.engine is not None
        r.opened.engine.poll_interval = 3600.0  # no pass by the clock: push and sync_now only
        r.server.stop()  # restored at once: no pass runs, so none fails, meanwhile
        await r.restore()
        for k in range(12):
            deliver(r.server, f"Après la restauration {k}")
        r.opened.sync_now()
        await until(lambda: r.opened.email_by_message_id(after[0]) is None, timeout=HANG)
        await until(lambda: len(cached_ids(r.opened)) == 6 + 12, timeout=HANG)
        await converged(r.opened, r.server)


@pytest.mark.asyncio
async def test_a_restore_between_two_passes_without_push_is_noticed_by_the_hourly_check(
    tmp_path: Path,
) -> None:
    """No push, no failed pass: the server restored between two passes that both succeed, its
    states caught up with the client's. The pass right after cannot know (its /changes is
    accepted); the ids check due every `ids_check_every` seconds (an hour) finds it."""
    async with restorable(tmp_path) as r:
        engine = r.opened.engine
        assert engine is not None
        await r.back_up()
        await engine.sync_once()
        after = deliver(r.server, "Après la sauvegarde")
        await engine.sync_once()
        assert r.opened.email_by_message_id(after) is not None
        r.server.stop()
        await r.restore()
        for k in range(12):
            deliver(r.server, f"Après la restauration {k}")
        await engine.sync_once()  # within the hour: /changes only
        assert r.opened.email_by_message_id(after) is not None  # what the backup lacks, kept

        engine.ids_check_every = 0.0  # the hour has passed
        await engine.sync_once()
        assert r.opened.email_by_message_id(after) is None
        await converged(r.opened, r.server)
