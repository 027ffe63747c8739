"""Opening accounts against the real sandbox: online, offline, wrong passwords, several accounts,
"remember me", a damaged cache, and no secret left in files or logs."""

from __future__ import annotations

import functools
import logging
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import sqlcipher3

from app.account.keychain import NO_KEYRING_FR, SERVICE
from app.account.login import (
    NoLocalAccount,
    OpenAccount,
    VaultPasswordMismatch,
    open_account,
    resume_account,
)
from app.account.rebuild import rebuild_cache
from app.account.vault import Vault, WrongPassword
from app.errors import CoreError
from app.events import CacheRebuilt, ConnectionChanged, EventBus
from app.remote.auth import LoginRejected
from app.remote.http import make_http_client
from app.store.db import Cache
from app.store.key import CacheKey
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring, no_keyring  # noqa: F401
from tests.server.conftest import ALICE, BOB

OUTBOX_SQL = (
    "INSERT INTO outbox (id, message_id, state, payload, created_at, updated_at) "
    "VALUES (?, ?, 'queued', '{}', 1, 1)"
)


def closed_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def recording_factory(bodies: list[str]) -> Callable[[], httpx.AsyncClient]:
    """A make_http_client that records every request body sent (to prove what was not sent)."""

    def factory() -> httpx.AsyncClient:
        client = make_http_client()

        async def hook(request: httpx.Request) -> None:
            bodies.append(request.content.decode(errors="replace"))
            bodies.append(request.headers.get("Authorization", ""))

        client.event_hooks = {"request": [hook], "response": []}
        return client

    return factory


async def username(account: OpenAccount) -> str:
    assert account.http is not None
    response = await account.http.get(account.ref.server_url + "/.well-known/jmap")
    assert response.status_code == 200
    name: str = response.json()["username"]
    return name


def add_favorite(account: OpenAccount, address: str) -> None:
    account.cache.write_blocking(
        lambda c: c.execute(
            "INSERT INTO favorites (address, display, added_at) VALUES (?, ?, 1)", (address, "x")
        )
    )


def favorites(account: OpenAccount) -> list[str]:
    with account.cache.read() as conn:
        return [r[0] for r in conn.execute("SELECT address FROM favorites")]


@pytest.mark.asyncio
async def test_online_login_gets_a_token_creates_the_vault_and_opens_the_cache(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    account = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    try:
        assert account.online
        assert account.auth is not None
        assert account.auth.mode == "bearer"
        assert account.auth.tokens is not None
        assert Vault.exists(account.ref.dir)
        assert account.ref.cache_path.exists()
        assert await username(account) == "alice"
        add_favorite(account, "dr.x@example.org")
        assert favorites(account) == ["dr.x@example.org"]
        assert memory_keyring.tokens() == {}  # not remembered
    finally:
        await account.close()


@pytest.mark.asyncio
async def test_wrong_password_online_then_offline(
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    server = server_factory()
    with pytest.raises(LoginRejected):
        await open_account(tmp_path, server.base_url, ALICE.login, "wrong")
    account = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    await account.close()
    server.stop()  # now the vault judges the password
    with pytest.raises(WrongPassword):
        await open_account(tmp_path, server.base_url, ALICE.login, "wrong")


@pytest.mark.asyncio
async def test_server_unreachable_opens_a_known_account_offline_and_reads_it(
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    server = server_factory()
    url = server.base_url
    account = await open_account(tmp_path, url, ALICE.login, ALICE.password)
    add_favorite(account, "dr.offline@example.org")
    await account.close()
    server.stop()

    events = EventBus()
    changes: list[ConnectionChanged] = []
    events.subscribe(ConnectionChanged, changes.append)
    offline = await open_account(tmp_path, url, ALICE.login, ALICE.password, events=events)
    try:
        assert not offline.online
        assert offline.auth is None
        assert offline.http is None
        assert favorites(offline) == ["dr.offline@example.org"]
        assert changes
        assert changes[0].online is False
        assert await offline.reconnect() is False  # still down
    finally:
        await offline.close()


@pytest.mark.asyncio
async def test_first_login_needs_the_server(tmp_path: Path) -> None:
    with pytest.raises(NoLocalAccount) as info:
        await open_account(tmp_path, closed_url(), ALICE.login, ALICE.password)
    assert "première connexion" in info.value.message_fr


@pytest.mark.asyncio
async def test_offline_account_reconnects_when_the_server_is_back(
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    account = await open_account(tmp_path, url, ALICE.login, ALICE.password)
    await account.close()
    first.stop()
    offline = await open_account(tmp_path, url, ALICE.login, ALICE.password)
    try:
        assert not offline.online
        # The same sandbox comes back on the same port.
        port = int(url.rsplit(":", 1)[1])
        from server.testing import ServerThread as Thread
        from server.testing import quick_config

        again = Thread(quick_config(data), port=port).start()
        try:
            assert await offline.reconnect()
            assert offline.online
            assert await username(offline) == "alice"
        finally:
            again.stop()
    finally:
        await offline.close()


@pytest.mark.asyncio
async def test_two_accounts_get_two_folders_and_two_keys(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    alice = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    bob = await open_account(tmp_path, server.base_url, BOB.login, BOB.password)
    try:
        assert alice.ref.dir != bob.ref.dir
        assert alice.ref.dir.parent == bob.ref.dir.parent
        add_favorite(alice, "only.alice@example.org")
        assert favorites(bob) == []
        assert await username(alice) == "alice"
        assert await username(bob) == "bob"
    finally:
        await alice.close()
        await bob.close()
    key_a = Vault(alice.ref.dir).unlock(ALICE.password)
    key_b = Vault(bob.ref.dir).unlock(BOB.password)
    assert key_a != key_b
    with pytest.raises(WrongPassword):
        Vault(bob.ref.dir).unlock(ALICE.password)


@pytest.mark.asyncio
async def test_remember_me_resumes_without_sending_the_password(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    account = await open_account(
        tmp_path, server.base_url, ALICE.login, ALICE.password, remember=True
    )
    await account.close()
    assert account.notice_fr is None
    stored = memory_keyring.secrets[(SERVICE, account.ref.dir.name)]
    assert stored
    assert stored != ALICE.password

    sent: list[str] = []
    resumed = await resume_account(
        tmp_path,
        server.base_url,
        ALICE.login,
        ALICE.password,
        http_factory=recording_factory(sent),
    )
    try:
        assert resumed.online
        assert await username(resumed) == "alice"
        assert any("grant_type=refresh_token" in body for body in sent)
        assert not any(ALICE.password in body for body in sent)
        assert not any("grant_type=password" in body for body in sent)
    finally:
        await resumed.close()
    # Unticking "remember me" forgets the token.
    again = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    await again.close()
    assert memory_keyring.tokens() == {}


@pytest.mark.asyncio
async def test_a_remembered_session_resumes_twice_in_a_row_keeping_the_newest_token(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    """The server rotates refresh tokens: each resume spends the one in the keyring, and the
    keyring must hold its successor, or the next launch would present a spent token (and the
    server would revoke the session as stolen)."""
    first = await open_account(
        tmp_path, server.base_url, ALICE.login, ALICE.password, remember=True
    )
    await first.close()
    entry = (SERVICE, first.ref.dir.name)
    stored = [memory_keyring.secrets[entry]]
    for _ in range(2):
        sent: list[str] = []
        resumed = await resume_account(
            tmp_path,
            server.base_url,
            ALICE.login,
            ALICE.password,
            http_factory=recording_factory(sent),
        )
        try:
            assert resumed.online
            assert await username(resumed) == "alice"
            assert not any("grant_type=password" in body for body in sent)
        finally:
            await resumed.close()
        stored.append(memory_keyring.secrets[entry])
    assert len(set(stored)) == 3, "a new refresh token kept after each rotation"
    async with make_http_client() as http:
        for spent in stored[:2]:
            r = await http.post(
                server.base_url + "/auth/token",
                data={"grant_type": "refresh_token", "refresh_token": spent},
            )
            assert r.status_code == 401


@pytest.mark.asyncio
async def test_a_resume_that_fails_after_renewing_the_session_keeps_the_new_token(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    """The refresh token is spent as soon as the server renews the session: if the cache then
    cannot be opened (a disk error), the keyring must already hold its successor, or the next
    launch would present a spent token and lose the remembered session."""
    first = await open_account(
        tmp_path, server.base_url, ALICE.login, ALICE.password, remember=True
    )
    await first.close()
    cache = first.ref.cache_path
    cache.unlink()
    cache.mkdir()  # SQLite cannot open it: a disk error after the refresh grant
    with pytest.raises(CoreError):
        await resume_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    cache.rmdir()

    sent: list[str] = []
    resumed = await resume_account(
        tmp_path,
        server.base_url,
        ALICE.login,
        ALICE.password,
        http_factory=recording_factory(sent),
    )
    try:
        assert resumed.online
        assert not any("grant_type=password" in body for body in sent)
    finally:
        await resumed.close()


@pytest.mark.asyncio
async def test_no_keyring_says_so(
    server: ServerThread,
    tmp_path: Path,
    no_keyring: None,  # noqa: F811
) -> None:
    account = await open_account(
        tmp_path, server.base_url, ALICE.login, ALICE.password, remember=True
    )
    try:
        assert account.online
        assert account.notice_fr == NO_KEYRING_FR
        assert not account.remember
    finally:
        await account.close()


@pytest.mark.asyncio
async def test_password_changed_on_the_server_needs_the_old_one(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    first = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    add_favorite(first, "kept@example.org")
    await first.close()
    Vault(first.ref.dir).change_password(ALICE.password, "the-old-one")  # as if changed remotely
    with pytest.raises(VaultPasswordMismatch):
        await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    account = await open_account(
        tmp_path,
        server.base_url,
        ALICE.login,
        ALICE.password,
        previous_password="the-old-one",
    )
    try:
        assert favorites(account) == ["kept@example.org"]  # same key, cache untouched
    finally:
        await account.close()
    assert not Vault(first.ref.dir).unlock(ALICE.password).wiped


@pytest.mark.asyncio
async def test_password_change_keeps_the_cache_key(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    from app.account.login import change_password

    account = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    key_before = Vault(account.ref.dir).unlock(ALICE.password)
    add_favorite(account, "before@example.org")
    await change_password(account, ALICE.password, "nouveau-mot-de-passe")
    await account.close()
    assert Vault(account.ref.dir).unlock("nouveau-mot-de-passe") == key_before
    # The cache was not re-encrypted: the old key still opens it, data intact.
    cache = Cache.open(account.ref.cache_path, key_before)
    try:
        with cache.read() as conn:
            assert [r[0] for r in conn.execute("SELECT address FROM favorites")] == [
                "before@example.org"
            ]
    finally:
        cache.close()


@pytest.mark.asyncio
async def test_undecryptable_cache_is_rebuilt_and_announced(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    account = await open_account(tmp_path, server.base_url, ALICE.login, ALICE.password)
    await account.close()
    path = account.ref.cache_path
    Cache.destroy(path)
    # A cache file that is not under the vault's key (the unsent file beside it still is).
    foreign = sqlcipher3.connect(str(path))
    foreign.execute("PRAGMA key = \"x'" + "01" * 32 + "'\"")
    foreign.execute("CREATE TABLE other (x)")
    foreign.close()
    events = EventBus()
    rebuilt: list[CacheRebuilt] = []
    events.subscribe(CacheRebuilt, rebuilt.append)
    again = await open_account(
        tmp_path, server.base_url, ALICE.login, ALICE.password, events=events
    )
    try:
        assert len(rebuilt) == 1
        assert "reconstruit" in rebuilt[0].reason_fr
        add_favorite(again, "after@example.org")
        assert favorites(again) == ["after@example.org"]
    finally:
        await again.close()


def test_rebuild_keeps_readable_outbox_rows(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    key = CacheKey.random()
    cache = Cache.open(path, key)
    cache.write_blocking(lambda c: c.execute(OUTBOX_SQL, ("o1", "<m1@x>")))
    cache.write_blocking(lambda c: c.execute(OUTBOX_SQL, ("o2", "<m2@x>")))
    cache.write_blocking(
        lambda c: c.execute("INSERT INTO drafts (id, payload, updated_at) VALUES ('d1', '{}', 1)")
    )
    cache.close()
    rebuilt = rebuild_cache(path, key)
    try:
        with rebuilt.read() as conn:
            rows = [tuple(r) for r in conn.execute("SELECT id, message_id FROM outbox ORDER BY id")]
            drafts = [r[0] for r in conn.execute("SELECT id FROM drafts")]
    finally:
        rebuilt.close()
    assert rows == [("o1", "<m1@x>"), ("o2", "<m2@x>")]
    assert drafts == ["d1"]


@pytest.mark.asyncio
async def test_basic_fallback_when_the_server_has_no_token_endpoint(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    class NoTokenEndpoint(httpx.AsyncHTTPTransport):
        """The real sandbox, minus /auth/token (as a plain JMAP server)."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/auth/token":
                return httpx.Response(404)
            return await super().handle_async_request(request)

    factory = functools.partial(make_http_client, transport=NoTokenEndpoint())
    with pytest.raises(LoginRejected):
        await open_account(tmp_path, server.base_url, BOB.login, "wrong", http_factory=factory)
    account = await open_account(
        tmp_path, server.base_url, BOB.login, BOB.password, http_factory=factory
    )
    try:
        assert account.auth is not None
        assert account.auth.mode == "basic"
        assert await username(account) == "bob"
    finally:
        await account.close()


@pytest.mark.asyncio
async def test_no_secret_in_the_account_folder_or_the_logs(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    account = await open_account(
        tmp_path, server.base_url, ALICE.login, ALICE.password, remember=True
    )
    assert account.auth is not None
    assert account.auth.tokens is not None
    tokens = account.auth.tokens
    add_favorite(account, "someone@example.org")
    assert await username(account) == "alice"
    await account.close()
    with Vault(account.ref.dir).unlock(ALICE.password).view() as view:
        raw = bytes(view)  # a copy, in the test only
    secrets = [ALICE.password.encode(), tokens.access_token.encode(), raw, raw.hex().encode()]
    assert tokens.refresh_token is not None
    secrets.append(tokens.refresh_token.encode())
    files = [p for p in account.ref.dir.rglob("*") if p.is_file()]
    assert files
    for file in files:
        data = file.read_bytes()
        for secret in secrets:
            assert secret not in data, file.name
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "account opened" in logged
    for secret in secrets:
        assert secret.decode(errors="replace") not in logged


@pytest.mark.asyncio
async def test_the_connection_comes_back_by_itself(
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    import asyncio

    from app.sync.reconnect import Reconnection
    from server.testing import ServerThread as Thread
    from server.testing import quick_config

    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    await (await open_account(tmp_path, url, ALICE.login, ALICE.password)).close()
    first.stop()
    offline = await open_account(tmp_path, url, ALICE.login, ALICE.password)
    stop = asyncio.Event()
    try:
        retry = Reconnection(first=0.2)
        waiting = asyncio.create_task(offline.reconnect_until_online(stop, retry.wait))
        await asyncio.sleep(0.5)
        assert not waiting.done()  # still down: it keeps trying
        again = Thread(quick_config(data), port=int(url.rsplit(":", 1)[1])).start()
        try:
            assert await asyncio.wait_for(waiting, timeout=10)
            assert offline.online
            assert await username(offline) == "alice"
        finally:
            again.stop()
    finally:
        stop.set()
        await offline.close()
