"""Issue 17 §4, two at once: one opener per account across processes (app/account/lock.py). The
app core open here and `monsisra-cli` in a real process on the same data folder: the CLI waits,
then refuses in French with its own exit code, and the cache stays the server's; a process that
holds the account and is killed with SIGKILL lets it go (the OS drops its lock); a data folder
reached by a symlink finds the same lock; offline and Pro Santé Connect openings are refused
alike (a PSC one before its tokens are used)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.account import psc
from app.account.lock import LOCK_FILE_NAME, AccountInUse
from app.account.login import open_account, open_account_with_tokens
from app.cli import EXIT_ACCOUNT_IN_USE
from server.testing import ServerThread
from tests.app.cli_helpers import KILLED, as_alice, cli, deliver_to_alice, ok, opened
from tests.app.jmap_helpers import jmap_client
from tests.app.memory_keyring import MemoryKeyring, memory_keyring
from tests.app.psc_real import GP, card_browser, psc_server, rpps_of
from tests.app.sync_helpers import assert_cache_equals_server
from tests.server.conftest import ALICE

__all__ = ["memory_keyring", "psc_server"]  # fixtures

IN_USE_FR = AccountInUse.message_fr
PASSPHRASE = "ma phrase de 2026 pour le cabinet"

# A process that opens alice's account, says so, and keeps it open until it is killed.
HOLDER = """
import asyncio, sys, time
from pathlib import Path
from app.account.login import open_account

async def main() -> None:
    account = await open_account(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
    print("open", flush=True)
    time.sleep(600)

asyncio.run(main())
"""


def synced_data(server: ServerThread, tmp_path: Path) -> Path:
    """alice's data folder after a first `monsisra-cli sync` of 30 messages."""
    deliver_to_alice(server, "Résultats", "lock", 30, datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    data = tmp_path / "client"
    assert ok(as_alice(server, data, "sync"))["messages"] == 30
    return data


def cli_sync(server: ServerThread, data: Path, wait: str) -> subprocess.CompletedProcess[str]:
    return cli(server.base_url, ALICE.login, ALICE.password, data, "--wait", wait, "sync")


async def assert_matches_server(server: ServerThread, data: Path) -> None:
    async with (
        opened(server.base_url, ALICE.login, ALICE.password, data) as account,
        jmap_client(server, ALICE) as client,
    ):
        await assert_cache_equals_server(account.cache, client)


@pytest.mark.asyncio
async def test_cli_sync_while_the_app_core_has_the_account_open_is_refused_in_french(
    server: ServerThread, tmp_path: Path
) -> None:
    data = synced_data(server, tmp_path)
    deliver_to_alice(server, "Suite", "later", 5, datetime(2026, 11, 3, 8, 0, tzinfo=UTC))
    async with opened(server.base_url, ALICE.login, ALICE.password, data) as account:
        refused = await asyncio.to_thread(cli_sync, server, data, "0.5")
        assert refused.returncode == EXIT_ACCOUNT_IN_USE, refused.stderr
        assert refused.stderr.strip() == f"monsisra-cli: {IN_USE_FR}"
        assert refused.stdout == ""
        # The app's cache is untouched and still its own: readable and writable here.
        with account.cache.read() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM emails").fetchone()[0] == 30
    # Closed: the CLI gets it now, and the cache converges to the server.
    assert ok(await asyncio.to_thread(cli_sync, server, data, "0"))["messages"] == 35
    await assert_matches_server(server, data)


@pytest.mark.asyncio
async def test_the_cli_waits_for_the_app_to_close_the_account_then_syncs(
    server: ServerThread, tmp_path: Path
) -> None:
    data = synced_data(server, tmp_path)
    deliver_to_alice(server, "Suite", "later", 4, datetime(2026, 11, 3, 8, 0, tzinfo=UTC))
    account = await open_account(data, server.base_url, ALICE.login, ALICE.password)
    waiting = asyncio.ensure_future(asyncio.to_thread(cli_sync, server, data, "60"))
    try:
        # Whether the CLI reached the lock yet or not, it must not have got it.
        await asyncio.sleep(1.0)
        assert not waiting.done()
    finally:
        await account.close()
    done = await asyncio.wait_for(waiting, 120)
    assert ok(done)["messages"] == 34
    await assert_matches_server(server, data)


@pytest.mark.asyncio
async def test_a_holder_killed_with_sigkill_lets_the_account_go(
    server: ServerThread, tmp_path: Path
) -> None:
    data = synced_data(server, tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data), server.base_url, ALICE.login, ALICE.password],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(holder.stdout.readline), 60)
        assert line.strip() == "open"
        with pytest.raises(AccountInUse) as refused:
            await open_account(data, server.base_url, ALICE.login, ALICE.password)
        assert refused.value.message_fr == IN_USE_FR
        with pytest.raises(AccountInUse):  # offline (the user's choice) is refused as well
            await open_account(data, server.base_url, ALICE.login, ALICE.password, offline=True)
    finally:
        holder.kill()  # SIGKILL: no close, no cleanup; the OS drops the lock
        holder.wait(timeout=60)
        if holder.stdout is not None:
            holder.stdout.close()
    assert holder.returncode == KILLED
    assert (data / "accounts").is_dir()
    await assert_matches_server(server, data)


@pytest.mark.asyncio
async def test_a_data_folder_reached_through_a_symlink_finds_the_same_lock(
    server: ServerThread, tmp_path: Path
) -> None:
    data = synced_data(server, tmp_path)
    link = tmp_path / "same-place"
    link.symlink_to(data, target_is_directory=True)
    async with opened(server.base_url, ALICE.login, ALICE.password, data):
        with pytest.raises(AccountInUse):
            await open_account(link, server.base_url, ALICE.login, ALICE.password)
        refused = await asyncio.to_thread(cli_sync, server, link, "0")
        assert refused.returncode == EXIT_ACCOUNT_IN_USE, refused.stderr
        assert IN_USE_FR in refused.stderr
    async with opened(server.base_url, ALICE.login, ALICE.password, link) as account:
        assert account.ref.dir.parent.parent == link  # by the other path, once free
        [lock_file] = [p for p in account.ref.dir.iterdir() if p.name == LOCK_FILE_NAME]
        if os.name == "posix":
            assert lock_file.stat().st_mode & 0o077 == 0  # the user's only, like the rest
    await assert_matches_server(server, data)


@pytest.mark.asyncio
async def test_two_opens_in_one_process_are_refused_and_a_close_frees_the_account(
    server: ServerThread, tmp_path: Path
) -> None:
    """The lock is per opening, not per process: a second window's core in the same process
    would be refused as well."""
    data = synced_data(server, tmp_path)
    first = await open_account(data, server.base_url, ALICE.login, ALICE.password)
    try:
        with pytest.raises(AccountInUse):
            await open_account(data, server.base_url, ALICE.login, ALICE.password)
    finally:
        await first.close()
    assert first.lock is not None
    assert not first.lock.held
    await assert_matches_server(server, data)


async def psc_grant(server: ServerThread) -> psc.PscGrant:
    """A Pro Santé Connect login of the GP, the card read by httpx in place of the browser."""

    def open_url(url: str) -> bool:
        asyncio.get_running_loop().create_task(
            asyncio.to_thread(card_browser, url, rpps_of(server, GP))
        )
        return True

    async with httpx.AsyncClient() as http:
        meta = await psc.discover(http, server.base_url)
        assert meta is not None
        return await psc.browser_login(http, meta, open_url)


@pytest.mark.asyncio
async def test_a_pro_sante_connect_login_is_refused_too_and_spends_nothing(
    psc_server: ServerThread, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    root = tmp_path / "app"
    first_grant = await psc_grant(psc_server)
    first = await open_account_with_tokens(root, psc_server.base_url, first_grant, PASSPHRASE)
    second_grant = await psc_grant(psc_server)
    try:
        with pytest.raises(AccountInUse):
            await open_account_with_tokens(root, psc_server.base_url, second_grant, PASSPHRASE)
    finally:
        await first.close()
    # Refused before its tokens were used: they still open the account once it is free.
    second = await open_account_with_tokens(root, psc_server.base_url, second_grant, PASSPHRASE)
    try:
        assert second.online
        assert (await second.jmap_client().session()).username == GP
    finally:
        await second.close()
