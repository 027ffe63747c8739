"""The account session the desktop app talks to: reads, actions, sending — online and offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.events import MailChanged
from app.message.compose import OutgoingMessage
from app.session import AccountSession
from app.store.records import Address
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.test_sync_engine import GP
from tests.app.waiting import until


@pytest.mark.asyncio
async def test_a_session_syncs_in_the_background_and_serves_the_views(
    demo_server: ServerThread, tmp_path: Path
) -> None:
    session = await AccountSession.open(tmp_path, demo_server.base_url, GP.login, DEMO_PASSWORD)
    changes: list[MailChanged] = []
    session.bus.subscribe(MailChanged, changes.append)
    try:
        session.start()
        await until(lambda: session.unread_total() > 0)
        boxes = session.mailboxes()
        assert [b.role for b in boxes][:3] == ["inbox", "drafts", "sent"]
        inbox = boxes[0]
        await until(lambda: session.count(inbox.id) == session.mailboxes()[0].total > 200)
        ids = session.list_ids(inbox.id, limit=50)
        rows = session.summaries(ids)
        assert [r.id for r in rows] == ids
        assert rows == sorted(rows, key=lambda r: r.received_at, reverse=True)
        thread = session.thread(rows[0].thread_id)
        assert rows[0].id in {e.id for e in thread}
        unread = next(r for r in rows if r.unread)
        before = session.unread_total()
        await session.set_seen([unread.id], True)
        assert session.unread_total() == before - 1
        assert session.search(rows[0].subject.split()[-1])
        address = await session.own_address()
        assert address.email.endswith("@sisra-demo.mssante.fr")
        assert changes
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_opened_offline_it_reads_the_cache_and_queues_what_is_written(
    server: ServerThread, tmp_path: Path
) -> None:
    from tests.server.conftest import ALICE, BOB

    url = server.base_url
    first = await AccountSession.open(tmp_path, url, ALICE.login, ALICE.password)
    first.start()
    await until(lambda: bool(first.mailboxes()))
    await first.close()
    server.stop()
    offline = await AccountSession.open(tmp_path, url, ALICE.login, ALICE.password)
    try:
        assert not offline.online
        assert {b.role for b in offline.mailboxes()} >= {"inbox", "sent", "trash"}
        await offline.send(
            OutgoingMessage(
                from_=Address(None, ALICE.email),
                to=[Address(None, BOB.email)],
                subject="Hors connexion",
                text="sera envoyé au retour de la connexion",
            )
        )
        assert [r.state for r in offline.outbox_list()] == ["queued"]
        assert [r.address for r in (await offline.at_hand()).recents] == [BOB.email]
    finally:
        await offline.close()
