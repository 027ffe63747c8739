"""The first sync of a mailbox as a whole (defect 15 of issue 12): its pages stored by groups
while the writer is busy, the patients' packages before the month's documents, and when each part
ended, against the sandbox over loopback."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.attachments import Attachments
from app.copies import PrivateCopies
from app.message.patient import XDM_FILE_NAME
from app.store import mail
from app.store.db import Cache, Connection
from app.store.records import EmailRecord
from app.sync.engine import FETCHING, WRITE_GROUP, SyncEngine
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.sync_helpers import assert_cache_equals_server, server_emails
from tests.app.test_sync_engine import GP

PAGE = 50


@pytest.mark.asyncio
async def test_pages_that_arrive_while_the_writer_is_busy_are_stored_together_and_bounded(
    demo_server: ServerThread, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[int] = []  # emails per transaction of the pass
    bound = 1 + FETCHING + WRITE_GROUP  # the first page, then the pages held in memory at most
    bound_reached = threading.Event()
    fetched_while_held: list[int] = []
    insert = mail.insert_new_emails

    def spy(conn: Connection, records: list[EmailRecord]) -> None:
        stored.append(len(records))
        if len(stored) == 2:  # the writer is held (on its thread): the pages pile up, bounded
            bound_reached.wait(30)
            time.sleep(0.5)  # time for more fetches, were they not bounded
            fetched_while_held.append(fetched)
        insert(conn, records)

    monkeypatch.setattr(mail, "insert_new_emails", spy)
    async with jmap_client(demo_server, GP) as client:
        total = len(await server_emails(client))
        pages = math.ceil(total / PAGE)
        get_all, fetched = client.get_all, 0

        async def counting(*args: Any, **kwargs: Any) -> Any:
            nonlocal fetched
            got = await get_all(*args, **kwargs)
            if "bodyProperties" in kwargs:
                fetched += 1
                if fetched == bound:
                    bound_reached.set()
            return got

        monkeypatch.setattr(client, "get_all", counting)
        report = await SyncEngine(cache, client, page_size=PAGE).sync_once()
        monkeypatch.setattr(client, "get_all", get_all)
        await assert_cache_equals_server(cache, client)
    assert pages > bound + 1  # more pages than may be held: the bound shows
    assert fetched_while_held == [bound]  # no more pages in memory while the writer was busy
    assert report.added == sum(stored) == total
    assert stored[0] == PAGE  # the newest page alone and first: the inbox shows at once
    assert max(stored) == WRITE_GROUP * PAGE  # the pages that waited: by groups
    assert len(stored) < pages


@pytest.mark.asyncio
async def test_a_first_sync_reads_every_package_before_it_downloads_a_document(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    downloads: list[str] = []  # names asked for, in order

    async def note(request: httpx.Request) -> None:
        if "/download/" in request.url.path:
            downloads.append(request.url.path.rsplit("/", 1)[1].upper())

    copies = PrivateCopies(tmp_path / "account", base=tmp_path)
    async with jmap_client(demo_server, GP, event_hooks={"request": [note]}) as client:
        documents = Attachments(cache, client, copies)
        report = await SyncEngine(cache, client, page_size=PAGE, documents=documents).sync_all()
    packages = [i for i, name in enumerate(downloads) if name == XDM_FILE_NAME]
    others = [i for i, name in enumerate(downloads) if name != XDM_FILE_NAME]
    assert packages
    assert others
    assert max(packages) < min(others)
    assert report.patients == len(packages)
    assert 0 < report.pass_ended <= report.patients_ended <= report.documents_ended
    copies.wipe()


@pytest.mark.asyncio
async def test_a_sync_without_documents_reports_its_patients_ended_after_its_pass(
    demo_server: ServerThread, cache: Cache
) -> None:
    async with jmap_client(demo_server, GP) as client:
        engine = SyncEngine(cache, client, page_size=PAGE * 4)
        report = await engine.sync_all()
        again = await engine.sync_all()
    assert report.patients > 0
    assert report.documents == 0
    assert 0 < report.pass_ended <= report.patients_ended <= report.documents_ended
    assert (again.added, again.patients) == (0, 0)
    assert asyncio.all_tasks() == {asyncio.current_task()}
