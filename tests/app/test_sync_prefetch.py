"""Documents kept for offline use by the sync (defect 5 of issue 12): after a sync, the documents
of the last 30 days open without the server, older ones say why they do not, the budget keeps the
newest, and stopping the sync leaves no download running."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.attachments import Attachments, NotAvailableOffline
from app.copies import PrivateCopies
from app.message.patient import XDM_FILE_NAME
from app.store import attachments as content
from app.store.attachments import Candidate
from app.store.db import Cache
from app.sync.engine import SyncEngine
from app.sync.prefetch import DAY_MS, DEFAULT_DAYS, plan
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.test_sync_engine import GP


def _everything(cache: Cache) -> list[Candidate]:
    with cache.read() as conn:
        return content.offline_candidates(conn, since_ms=0)


def _recent_and_older(cache: Cache) -> tuple[list[Candidate], list[Candidate]]:
    """The cache's documents received within the default offline days, and the older ones."""
    since = int(time.time() * 1000) - DEFAULT_DAYS * DAY_MS
    everything = _everything(cache)
    return (
        [c for c in everything if c.received_ms >= since],
        [c for c in everything if c.received_ms < since],
    )


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[PrivateCopies]:
    """The account's private copies of documents, wiped after the test."""
    made = PrivateCopies(tmp_path / "account", base=tmp_path)
    yield made
    made.wipe()


def _kept(cache: Cache) -> set[str]:
    with cache.read() as conn:
        return {r[0] for r in conn.execute("SELECT blob_id FROM content_blobs")}


@pytest.mark.asyncio
async def test_after_a_sync_the_documents_of_the_month_open_offline_and_older_ones_say_why(
    demo_server: ServerThread, cache: Cache, copies: PrivateCopies
) -> None:
    async with jmap_client(demo_server, GP) as client:
        engine = SyncEngine(cache, client, documents=Attachments(cache, client, copies))
        report = await engine.sync_all()
    recent, older = _recent_and_older(cache)
    assert recent
    assert older
    packages = [c for c in recent if (c.name or "").upper() == XDM_FILE_NAME]
    assert packages
    # The packages came first, kept by the patient reader; the prefetch downloaded the rest.
    assert report.documents == len(recent) - len(packages)
    assert report.patients > 0  # read beside the pages, in the same call
    assert _kept(cache) == {c.blob_id for c in recent}
    offline = Attachments(cache, None, copies)  # no server: what the cache has, only
    for c in recent[:5]:
        copy = await offline.private_copy(c.blob_id, c.name or "", c.type, c.size)
        assert copy.stat().st_size == c.size
    with pytest.raises(NotAvailableOffline) as refused:
        await offline.open_copy(older[0].blob_id, older[0].name or "", older[0].type, older[0].size)
    assert "connexion" in refused.value.message_fr
    assert offline.available(c.blob_id for c in recent + older) == {c.blob_id for c in recent}


@pytest.mark.asyncio
async def test_a_small_budget_keeps_the_newest_and_lets_other_documents_go_first(
    demo_server: ServerThread, cache: Cache, copies: PrivateCopies
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        recent, older = _recent_and_older(cache)
        budget = sum(c.size for c in recent[:3]) + 10
        documents = Attachments(cache, client, copies, budget_bytes=budget)
        # The user opened an old one: it goes to make room for the newest.
        await documents.ensure(older[0].blob_id, older[0].name or "", older[0].type, older[0].size)
        engine = SyncEngine(cache, client, documents=documents)
        stored = await engine.keep_documents()
        again = await engine.keep_documents()
    expected = {c.blob_id for c in plan(recent, budget).keep}
    assert {c.blob_id for c in recent[:3]} <= expected
    assert _kept(cache) == expected
    assert stored == len(expected)
    assert again == 0
    with cache.read() as conn:
        assert content.total_size(conn) <= budget


def test_the_plan_takes_the_newest_that_fit_and_counts_what_is_cached() -> None:
    def doc(name: str, size: int, cached: int | None = None) -> Candidate:
        return Candidate(name, name, "application/pdf", size, 0, cached)

    chosen = plan([doc("a", 40), doc("b", 70), doc("c", 30, cached=30), doc("d", 50)], 100)
    assert [c.blob_id for c in chosen.keep] == ["a", "c"]  # b is too large; d no longer fits
    assert [c.blob_id for c in chosen.missing] == ["a"]
    assert chosen.missing_bytes == 40


@pytest.mark.asyncio
async def test_stopping_the_sync_during_the_downloads_leaves_nothing_running(
    demo_server: ServerThread, cache: Cache, copies: PrivateCopies
) -> None:
    async with jmap_client(demo_server, GP) as client:
        documents = Attachments(cache, client, copies)
        engine = SyncEngine(cache, client, documents=documents)
        started = asyncio.Event()
        original = documents.keep_offline

        async def keep_offline(*args: object) -> int:
            started.set()
            return await original(*args)  # type: ignore[arg-type]

        documents.keep_offline = keep_offline  # type: ignore[method-assign]
        stop = asyncio.Event()
        running = asyncio.ensure_future(engine.run(stop))
        await asyncio.wait_for(started.wait(), 30)
        stop.set()
        running.cancel()  # as AccountSession does at lock and sign-out
        await asyncio.gather(running, return_exceptions=True)
        assert asyncio.all_tasks() == {asyncio.current_task()}
        kept = _kept(cache)
        await asyncio.sleep(0.3)
        assert _kept(cache) == kept  # nothing still writes


@pytest.mark.asyncio
async def test_a_first_sync_downloads_each_package_once_and_keeps_the_recent_ones(
    demo_server: ServerThread, cache: Cache, copies: PrivateCopies
) -> None:
    # The patient reader and the prefetch both want the packages of the month: one download each.
    downloads: Counter[str] = Counter()

    async def count(request: httpx.Request) -> None:
        if "/download/" in request.url.path:
            downloads[request.url.path.split("/")[4]] += 1  # /jmap/download/{account}/{blob}/…

    async with jmap_client(demo_server, GP, event_hooks={"request": [count]}) as client:
        engine = SyncEngine(cache, client, documents=Attachments(cache, client, copies))
        report = await engine.sync_all()
    since = int(time.time() * 1000) - DEFAULT_DAYS * DAY_MS
    packages = [c for c in _everything(cache) if (c.name or "").upper() == XDM_FILE_NAME]
    recent = {c.blob_id for c in packages if c.received_ms >= since}
    assert recent  # the month has packages: both readers wanted them
    assert report.patients == len(packages)
    assert {b: n for b, n in downloads.items() if n > 1} == {}
    assert {c.blob_id for c in packages} <= set(downloads)
    assert recent <= _kept(cache)  # kept by whichever came first, for offline reading
