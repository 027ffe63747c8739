"""A large document on a full disk (issue 17 §2): one over the in-memory limit is streamed to the
cache's writer through a bounded queue (Attachments._stream_into_cache). When the disk fills
mid-download the writer stops first; the download must then stop too and say DiskError, not wait
for ever for room in the queue. The limit (32 MB) is lowered to 1 MB here so that a 16 MB document
takes that path; the data folder is a small tmpfs (tests/faults/disk.py), the sandbox and the
cache are real."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
from collections.abc import AsyncGenerator, Awaitable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import pytest

import app.attachments
from app.attachments import Attachments
from app.copies import PrivateCopies
from app.store import attachments as content
from app.store.attachments import Candidate
from app.store.db import Cache, DiskError
from app.store.key import CacheKey
from app.sync.engine import SyncEngine
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.test_sync_engine import GP
from tests.faults.disk import DISK_FR, SmallDisk, reopened_is_whole, small_disk
from tests.faults.matrix import HANG, MB

# Random, so that no layer can make it smaller. Large enough that the writer fails while most of
# it is still to come: SQLite's page cache (2 MB) and the queue (8 pieces of 256 KB) take the first
# megabytes before a byte is refused, and a stuck download needs more than the queue holds left.
LARGE = os.urandom(16 * MB)
LIMIT = 1 * MB
T = TypeVar("T")


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Documents over 1 MB take the streamed path; returns the sizes of the pieces downloaded
    (the real download, counted on its way to the writer)."""
    monkeypatch.setattr(app.attachments, "IN_MEMORY_LIMIT", LIMIT)
    taken: list[int] = []
    real = app.attachments.download_chunks

    def counted(*args: Any) -> AsyncGenerator[bytes, None]:
        async def pieces() -> AsyncGenerator[bytes, None]:
            async with contextlib.aclosing(real(*args)) as downloading:
                async for piece in downloading:
                    taken.append(len(piece))
                    yield piece

        return pieces()

    monkeypatch.setattr(app.attachments, "download_chunks", counted)
    return taken


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """Room for the synced demo cache and the document twice (its transaction in the WAL, then
    checkpointed into the file) once the filler is gone."""
    with small_disk(tmp_path / "disk", 48 * MB) as made:
        yield made


@pytest.fixture
def opened(disk: SmallDisk, key: CacheKey) -> Iterator[Cache]:
    cache = Cache.open(disk.root / "account" / "cache.db", key)
    yield cache
    cache.close()


def _deliver_large(server: ServerThread) -> None:
    """A message with LARGE lands in GP's inbox, as an incoming mail server delivers it."""
    account = server.sandbox.accounts.by_login(GP.login)
    assert account is not None
    msg = EmailMessage()
    msg["From"] = "Dr Claire Petit <claire.petit@sisra-demo.mssante.fr>"
    msg["To"] = "helene.garnier@sisra-demo.mssante.fr"
    msg["Subject"] = "Scanner thoracique"
    msg["Message-ID"] = "<bigdl-scanner@sisra-demo.mssante.fr>"
    msg.set_content("Veuillez trouver ci-joint les images.")
    msg.add_attachment(LARGE, maintype="application", subtype="pdf", filename="scanner.pdf")
    with server.sandbox.db.write():
        server.sandbox.mail.import_message(
            account.id, msg.as_bytes(), received_at=datetime.now(UTC)
        )


async def _synced_large(server: ServerThread, cache: Cache) -> Candidate:
    """The large document delivered to GP and her cache synced: its candidate."""
    _deliver_large(server)
    async with jmap_client(server, GP) as client:
        await SyncEngine(cache, client).sync_once()
    with cache.read() as conn:
        doc = max(content.offline_candidates(conn, since_ms=0), key=lambda c: c.size)
    assert doc.size == len(LARGE)
    assert doc.size > LIMIT  # the streamed path
    return doc


def _nothing_stored(cache: Cache, blob_id: str) -> None:
    """No row and no piece of the blob: the writer's transaction was rolled back whole."""
    with cache.read() as conn:
        assert content.content_size(conn, blob_id) is None
        pieces = conn.execute(
            "SELECT count(*) FROM attachment_content WHERE blob_id = ?", (blob_id,)
        ).fetchone()[0]
    assert pieces == 0


async def _ends(work: Awaitable[T]) -> T:
    """`work`'s outcome, failing if it has none within HANG. Not asyncio.wait_for: a download
    stuck in a thread putting into a full queue would not end when cancelled either (its
    `finally` puts again), and the test would hang instead of failing."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=HANG)
    assert done, "hung: the download waits for room in the queue of a writer that stopped"
    return task.result()


def _stopped_early(taken: list[int]) -> None:
    """The download stopped once the writer had: the rest was never fetched."""
    assert 0 < sum(taken) < len(LARGE)


@pytest.mark.asyncio
async def test_a_large_document_opened_on_a_full_disk_ends_with_disk_error_then_opens_whole(
    demo_server: ServerThread,
    disk: SmallDisk,
    key: CacheKey,
    opened: Cache,
    streamed: list[int],
    tmp_path: Path,
) -> None:
    cache = opened
    doc = await _synced_large(demo_server, cache)
    (tmp_path / "copies").mkdir(mode=0o700)  # off the full disk: the cache is what fails
    copies = PrivateCopies(disk.root / "account", base=tmp_path / "copies")
    async with jmap_client(demo_server, GP) as client:
        documents = Attachments(cache, client, copies)
        disk.fill(leave=0)
        with pytest.raises(DiskError) as full:
            await _ends(documents.open_copy(doc.blob_id, doc.name or "", doc.type, doc.size))
        assert DISK_FR in full.value.message_fr
        _stopped_early(streamed)
        _nothing_stored(cache, doc.blob_id)
        assert documents.available([doc.blob_id]) == set()
        disk.free()
        cache = reopened_is_whole(cache, key)
        documents = Attachments(cache, client, copies)
        copy = await _ends(documents.open_copy(doc.blob_id, doc.name or "", doc.type, doc.size))
        got = hashlib.sha256(copy.read_bytes()).hexdigest()
        assert got == hashlib.sha256(LARGE).hexdigest()
        assert documents.available([doc.blob_id]) == {doc.blob_id}
    cache.close()
    copies.wipe()


@pytest.mark.asyncio
async def test_a_large_document_kept_offline_on_a_full_disk_ends_with_disk_error_then_is_kept(
    demo_server: ServerThread,
    disk: SmallDisk,
    key: CacheKey,
    opened: Cache,
    streamed: list[int],
    tmp_path: Path,
) -> None:
    cache = opened
    doc = await _synced_large(demo_server, cache)
    (tmp_path / "copies").mkdir(mode=0o700)
    copies = PrivateCopies(disk.root / "account", base=tmp_path / "copies")
    async with jmap_client(demo_server, GP) as client:
        documents = Attachments(cache, client, copies)
        keep = (doc.blob_id, doc.name or "", doc.type, doc.size, doc.received_ms)
        disk.fill(leave=0)
        with pytest.raises(DiskError) as full:
            await _ends(documents.keep_offline(*keep))
        assert DISK_FR in full.value.message_fr
        _stopped_early(streamed)
        _nothing_stored(cache, doc.blob_id)
        disk.free()
        cache = reopened_is_whole(cache, key)
        documents = Attachments(cache, client, copies)
        assert await _ends(documents.keep_offline(*keep)) == len(LARGE)
    with cache.read() as conn:
        kept = b"".join(content.read_content(conn, doc.blob_id))
    assert hashlib.sha256(kept).hexdigest() == hashlib.sha256(LARGE).hexdigest()
    cache.close()
    copies.wipe()
