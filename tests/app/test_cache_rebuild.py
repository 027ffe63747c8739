"""A damaged cache is rebuilt from the server and the user's unsent work survives it.

End to end, through `monsisra-cli` processes against the sandbox, behind a relay that can cut the
network: sync, queue a message with a document while the server is unreachable, damage the cache
file (pages in the middle, or the whole file), then sync again — the cache is rebuilt and equals the
server, and the queued message, kept in the unsent file, is delivered exactly once.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.account.login import AccountRef, open_account
from app.account.rebuild import REASON_FR
from app.events import CacheRebuilt, EventBus
from app.remote.jmap import JmapClient
from app.store import drafts, mail
from app.store.db import UnsentCorrupt, unsent_path_for
from server.testing import ServerThread
from tests.app.cli_helpers import cli, deliver_to_alice, ok, opened
from tests.app.jmap_helpers import jmap_client
from tests.app.netrelay import Relay
from tests.app.sync_helpers import assert_cache_equals_server
from tests.server.conftest import ALICE, BOB

PAGE = 4096


def _damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    pages = size // PAGE
    assert pages > 40, pages
    with open(path, "r+b") as fh:
        if how == "middle-pages":
            # Past the schema (written first) and before the statistics (written at close,
            # read when the schema loads): pages only the commands themselves read.
            for page in range(pages // 2, pages - 8):
                fh.seek(page * PAGE + 512)
                fh.write(os.urandom(256))
        else:
            fh.write(os.urandom(size))


async def _run(url: str, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a thread, so that the relay (on this loop) keeps relaying."""
    return await asyncio.to_thread(cli, url, ALICE.login, ALICE.password, data, *args)


async def _received(client: JmapClient, subject: str) -> int:
    answer = await client.call_one("Email/query", {"filter": {"subject": subject}})
    return len(answer["ids"])


@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["middle-pages", "whole-file"])
async def test_damaged_cache_is_rebuilt_from_the_server_and_the_outbox_survives(
    server: ServerThread, tmp_path: Path, how: str
) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])
    relay = Relay(port)
    url = await relay.start()
    data = tmp_path / "client"
    deliver_to_alice(server, "Résultats", "first", 150, datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    try:
        assert ok(await _run(url, data, "sync"))["messages"] == 150
        cache_path = AccountRef.make(data, url, ALICE.login).cache_path
        unsent = unsent_path_for(cache_path)

        # Offline: the message and its document wait in the unsent file.
        relay.cut()
        document = tmp_path / "compte-rendu.pdf"
        document.write_bytes(b"%PDF-1.4\n" + os.urandom(300_000) + b"\n%%EOF\n")
        subject = f"Compte rendu en attente ({how})"
        queued = ok(
            await _run(
                url,
                data,
                "send",
                "--to",
                BOB.email,
                "--subject",
                subject,
                "--body",
                "Cher confrère, voici le compte rendu.",
                "--attach",
                f"{document}:11488-4",
            )
        )
        assert queued["state"] == "queued"
        document.unlink()  # the outbox has its own copy

        # Meanwhile the server gets new mail, and the cache file is damaged.
        deliver_to_alice(
            server, "Nouveaux résultats", "later", 20, datetime(2026, 10, 2, 8, 0, tzinfo=UTC)
        )
        unsent_before = unsent.read_bytes()
        _damage(cache_path, how)

        relay.restore(port)
        synced = await _run(url, data, "sync")
        report = ok(synced)
        assert "reconstruit" in synced.stderr
        log = (data / "logs" / "monsisra.log").read_text(encoding="utf-8")
        if how == "middle-pages":  # found while syncing: rebuilt, then the command retried
            assert "cache damaged during sync: rebuilding, then retrying once" in log
        else:  # found when opening (every page fails its check: as if under another key)
            assert re.search(r"cache unreadable \((WrongKey|CacheCorrupt)\): rebuilding", log)
        assert report["messages"] == 170 + 1  # 170 received, and the copy of the sent message
        assert not list(unsent.parent.glob("*.corrupt-*"))  # the unsent file was not touched
        assert len(unsent_before) > 300_000

        rows = ok(await _run(url, data, "outbox", "--send"))
        assert [(r["id"], r["state"]) for r in rows] == [(queued["outboxId"], "sent")]
        again = ok(await _run(url, data, "sync"))
        assert again["sent"] == 0
        assert again["messages"] == 171
        async with (
            opened(url, ALICE.login, ALICE.password, data) as account,
            jmap_client(server, ALICE) as alice,
            jmap_client(server, BOB) as bob,
        ):
            await assert_cache_equals_server(account.cache, alice)
            assert await _received(bob, subject) == 1
            assert await _received(alice, subject) == 1  # her copy, in Sent
    finally:
        await relay.close()


@pytest.mark.asyncio
async def test_rebuild_cache_of_an_open_account_keeps_unsent_work_and_announces_it(
    server: ServerThread, tmp_path: Path
) -> None:
    deliver_to_alice(server, "Résultats", "first", 30, datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    data = tmp_path / "client"
    assert ok(cli(server.base_url, ALICE.login, ALICE.password, data, "sync"))["messages"] == 30
    events = EventBus()
    rebuilt: list[CacheRebuilt] = []
    events.subscribe(CacheRebuilt, rebuilt.append)
    account = await open_account(data, server.base_url, ALICE.login, ALICE.password, events=events)
    try:
        await account.cache.write(lambda c: drafts.save(c, "d1", {"subject": "À finir"}))
        before = account.cache
        await account.rebuild_cache()
        assert account.cache is not before
        assert [e.reason_fr for e in rebuilt] == [REASON_FR]
        with account.cache.read() as conn:
            assert mail.email_ids(conn) == set()
            assert mail.get_state(conn, "Email") is None  # the next sync starts over
            assert [d.id for d in drafts.list_drafts(conn)] == ["d1"]
    finally:
        await account.close()
    assert ok(cli(server.base_url, ALICE.login, ALICE.password, data, "sync"))["messages"] == 30


@pytest.mark.asyncio
async def test_a_garbled_unsent_file_is_set_aside_and_the_cli_says_so(
    server: ServerThread, tmp_path: Path
) -> None:
    data = tmp_path / "client"
    ok(cli(server.base_url, ALICE.login, ALICE.password, data, "sync"))
    unsent = unsent_path_for(AccountRef.make(data, server.base_url, ALICE.login).cache_path)
    garbage = os.urandom(unsent.stat().st_size)
    unsent.write_bytes(garbage)
    listed = cli(server.base_url, ALICE.login, ALICE.password, data, "outbox")
    assert ok(listed) == []
    assert UnsentCorrupt.message_fr in listed.stderr
    (aside,) = unsent.parent.glob("unsent.sqlite3.corrupt-*")
    assert aside.read_bytes() == garbage
    again = cli(server.base_url, ALICE.login, ALICE.password, data, "outbox")
    assert ok(again) == []
    assert again.stderr == ""  # said once: the new file is healthy
