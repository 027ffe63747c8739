"""A full disk (issue 17 §2): the account's data folder on a small tmpfs (tests/faults/disk.py),
filled during an initial sync, a document prefetch, a document open, a draft being saved and a
message being queued. Each time the app says so in French (DiskError, and DiskChanged for the
sync running in the background), what was not sent (outbox, drafts) is kept whole, the cache opens
again with the same key and passes its integrity checks, and everything resumes once the filler
is deleted."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.attachments import Attachments
from app.copies import PrivateCopies
from app.events import DiskChanged, EventBus
from app.message.compose import Address, OutgoingMessage
from app.outbox.sender import Outbox
from app.store import attachments as content
from app.store import drafts
from app.store import outbox as rows
from app.store.db import Cache, DiskError
from app.store.key import CacheKey
from app.sync.engine import SyncEngine
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.sync_helpers import assert_cache_equals_server
from tests.app.test_sync_engine import GP
from tests.faults.disk import DISK_FR, SmallDisk, disk, reopened_is_whole  # noqa: F401
from tests.server.conftest import ALICE, BOB

HANG = 60.0  # only catches a hang


@pytest.fixture
def opened(disk: SmallDisk, key: CacheKey) -> Iterator[Cache]:  # noqa: F811
    cache = Cache.open(disk.root / "account" / "cache.db", key)
    yield cache
    cache.close()


def _message(subject: str) -> OutgoingMessage:
    return OutgoingMessage(
        from_=Address(ALICE.name, ALICE.email),
        to=[Address(BOB.name, BOB.email)],
        subject=subject,
        text="Cher confrère,\nci-joint le compte rendu." + " Bien à vous." * 2000,
    )


async def _unsent_work(cache: Cache) -> tuple[str, dict[str, object]]:
    """A queued message and a draft made while the disk had room: they must survive."""
    outbox_id = await Outbox(cache, None).queue(_message("Avant le disque plein"))
    draft = {"v": 1, "subject": "Brouillon d'avant", "text": "Premier jet. " * 500}
    await cache.write(lambda c: drafts.save(c, "d1", draft))
    return outbox_id, draft


def _assert_unsent_kept(cache: Cache, outbox_id: str, draft: dict[str, object]) -> None:
    with cache.read() as conn:
        row = rows.get(conn, outbox_id)
        stored = drafts.load(conn, "d1")
    assert row is not None
    assert row.state == rows.OutboxState.QUEUED
    assert "Avant le disque plein" in str(row.payload)
    assert stored is not None
    assert stored.payload == draft


@pytest.mark.asyncio
async def test_initial_sync_on_a_full_disk_is_said_then_converges_once_space_is_freed(
    demo_server: ServerThread,
    disk: SmallDisk,  # noqa: F811
    key: CacheKey,
    opened: Cache,
) -> None:
    outbox_id, draft = await _unsent_work(opened)
    disk.fill(leave=64 * 1024)
    bus = EventBus()
    said: list[DiskChanged] = []
    bus.subscribe(DiskChanged, said.append)
    cache = opened
    async with jmap_client(demo_server, GP) as client:
        engine = SyncEngine(cache, client, bus, poll_interval=3600)
        stop = asyncio.Event()
        running = asyncio.ensure_future(engine.run(stop))
        await asyncio.wait_for(_until(lambda: bool(said) or running.done()), HANG)
        assert not running.done()  # the loop survives the full disk
        assert said[0].reason_fr is not None
        assert DISK_FR in said[0].reason_fr
        assert isinstance(engine.disk_error, DiskError)
        # The writer rolled back and still answers: a small read-write works (pages are free).
        assert await cache.write(lambda c: drafts.load(c, "d1")) is not None
        _assert_unsent_kept(cache, outbox_id, draft)
        disk.free()
        engine.wake()
        await asyncio.wait_for(_until(lambda: len(said) == 2), HANG)
        assert said[1].reason is None  # said again once writing works
        stop.set()
        await asyncio.wait_for(running, HANG)
        await assert_cache_equals_server(cache, client)
    cache = reopened_is_whole(cache, key)
    _assert_unsent_kept(cache, outbox_id, draft)
    cache.close()


async def _until(condition: object) -> None:
    assert callable(condition)
    while not condition():
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_a_prefetch_that_fills_the_disk_stops_says_why_and_completes_later(
    demo_server: ServerThread,
    disk: SmallDisk,  # noqa: F811
    key: CacheKey,
    opened: Cache,
    tmp_path: Path,
) -> None:
    copies = PrivateCopies(tmp_path / "account", base=tmp_path)
    cache = opened
    async with jmap_client(demo_server, GP) as client:
        documents = Attachments(cache, client, copies)
        engine = SyncEngine(cache, client, documents=documents)
        await engine.sync_once()
        outbox_id, draft = await _unsent_work(cache)
        disk.fill(leave=256 * 1024)
        with pytest.raises(DiskError) as full:
            await asyncio.wait_for(engine.keep_documents(), HANG)
        assert DISK_FR in full.value.message_fr
        _assert_unsent_kept(cache, outbox_id, draft)
        disk.free()
        cache = reopened_is_whole(cache, key)
        documents = Attachments(cache, client, copies)
        engine = SyncEngine(cache, client, documents=documents)
        await asyncio.wait_for(engine.keep_documents(), HANG)
        assert await asyncio.wait_for(engine.keep_documents(), HANG) == 0  # nothing missing
        with cache.read() as conn:
            wanted = content.offline_candidates(conn, since_ms=0)
        kept = documents.available(c.blob_id for c in wanted)
        assert kept
        assert all(c.cached is not None for c in wanted if c.blob_id in kept)
    _assert_unsent_kept(cache, outbox_id, draft)
    cache.close()
    copies.wipe()


@pytest.mark.asyncio
async def test_opening_a_document_on_a_full_disk_says_so_and_leaves_no_half_copy(
    demo_server: ServerThread,
    disk: SmallDisk,  # noqa: F811
    key: CacheKey,
    opened: Cache,
) -> None:
    copies = PrivateCopies(disk.root / "account", base=disk.root / "copies")
    (disk.root / "copies").mkdir(mode=0o700)
    cache = opened
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        with cache.read() as conn:
            doc = max(content.offline_candidates(conn, since_ms=0), key=lambda c: c.size)
        documents = Attachments(cache, client, copies)
        # (1) the download has no room in the cache
        disk.fill(leave=0)
        with pytest.raises(DiskError) as full:
            await asyncio.wait_for(documents.open_copy(doc.blob_id, doc.name or "", doc.type), HANG)
        assert DISK_FR in full.value.message_fr
        assert documents.available([doc.blob_id]) == set()
        # (2) in the cache, but no room for the viewer's copy
        disk.free()
        await documents.ensure(doc.blob_id, doc.name or "", doc.type, doc.size)
        disk.fill(leave=0)
        with pytest.raises(DiskError):
            await asyncio.wait_for(documents.open_copy(doc.blob_id, doc.name or "", doc.type), HANG)
        left = [p for p in (disk.root / "copies").rglob("*") if p.is_file()]
        assert left == []  # no half-written document for a viewer to show
        disk.free()
        copy = await documents.open_copy(doc.blob_id, doc.name or "", doc.type, doc.size)
        assert copy.stat().st_size == doc.size
    reopened_is_whole(cache, key).close()
    copies.wipe()


@pytest.mark.asyncio
async def test_a_draft_saved_on_a_full_disk_keeps_the_last_saved_one_then_saves(
    disk: SmallDisk,  # noqa: F811
    key: CacheKey,
    opened: Cache,
) -> None:
    cache = opened
    outbox_id, draft = await _unsent_work(cache)
    disk.fill(leave=0)
    longer = {"v": 1, "subject": "Brouillon d'avant", "text": "Deuxième jet, plus long. " * 4000}
    with pytest.raises(DiskError) as full:
        await cache.write(lambda c: drafts.save(c, "d1", longer))
    assert DISK_FR in full.value.message_fr
    _assert_unsent_kept(cache, outbox_id, draft)  # the last saved version, whole
    disk.free()
    await cache.write(lambda c: drafts.save(c, "d1", longer))
    cache = reopened_is_whole(cache, key)
    with cache.read() as conn:
        stored = drafts.load(conn, "d1")
    assert stored is not None
    assert stored.payload == longer
    cache.close()


@pytest.mark.asyncio
async def test_a_message_queued_on_a_full_disk_is_refused_whole_and_queues_later(
    disk: SmallDisk,  # noqa: F811
    key: CacheKey,
    opened: Cache,
) -> None:
    cache = opened
    outbox_id, draft = await _unsent_work(cache)
    disk.fill(leave=0)
    outbox = Outbox(cache, None)
    with pytest.raises(DiskError) as full:
        await outbox.queue(_message("Pendant le disque plein"))
    assert DISK_FR in full.value.message_fr
    with cache.read() as conn:
        queued = rows.list_rows(conn)
    assert [r.id for r in queued] == [outbox_id]  # no half message in the outbox
    disk.free()
    later = await outbox.queue(_message("Pendant le disque plein"))
    cache = reopened_is_whole(cache, key)
    with cache.read() as conn:
        assert {r.id for r in rows.list_rows(conn)} == {outbox_id, later}
    _assert_unsent_kept(cache, outbox_id, draft)
    cache.close()
