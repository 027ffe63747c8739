"""ServerAuth against the real sandbox: login, refresh (proactive, reactive, one at a time),
refused refresh → ReauthRequired → reauthenticate, throttling, HTTP Basic."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from app.remote.auth import (
    LoginRejected,
    LoginThrottled,
    ReauthRequired,
    ServerAuth,
    Tokens,
    password_grant,
)
from app.remote.http import make_http_client
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory


async def session_username(http: httpx.AsyncClient, server: ServerThread) -> str:
    response = await http.get(server.base_url + "/.well-known/jmap")
    assert response.status_code == 200, response.status_code
    username: str = response.json()["username"]
    return username


def count_token_calls(http: httpx.AsyncClient) -> list[str]:
    grants: list[str] = []

    async def hook(request: httpx.Request) -> None:
        if request.url.path == "/auth/token":
            grants.append(request.content.decode())

    http.event_hooks = {"request": [hook], "response": []}
    return grants


@pytest.mark.asyncio
async def test_password_grant_gives_tokens(server: ServerThread) -> None:
    async with make_http_client() as http:
        tokens = await password_grant(http, server.base_url, ALICE.login, ALICE.password)
        assert tokens is not None
        assert tokens.refresh_token
        assert tokens.expires_at > time.monotonic() + 500  # quick_config: 600 s
        http.auth = ServerAuth(server.base_url, tokens=tokens, login=ALICE.login)
        assert await session_username(http, server) == "alice"


@pytest.mark.asyncio
async def test_wrong_password_is_rejected_in_french(server: ServerThread) -> None:
    async with make_http_client() as http:
        with pytest.raises(LoginRejected) as info:
            await password_grant(http, server.base_url, ALICE.login, "not-it")
    assert info.value.message_fr == "Identifiant ou mot de passe incorrect."


@pytest.mark.asyncio
async def test_six_wrong_logins_are_throttled_with_retry_after(server: ServerThread) -> None:
    async with make_http_client() as http:
        for _ in range(5):
            with pytest.raises(LoginRejected):
                await password_grant(http, server.base_url, BOB.login, "nope")
        with pytest.raises(LoginThrottled) as info:
            await password_grant(http, server.base_url, BOB.login, "nope")
    assert 1 <= info.value.retry_after <= 300
    assert "Réessayez dans" in info.value.message_fr


@pytest.mark.asyncio
async def test_expired_token_is_refreshed_before_the_request(server_factory: ServerFactory) -> None:
    server = server_factory(access_token_lifetime=1)
    async with make_http_client() as http:
        tokens = await password_grant(http, server.base_url, ALICE.login, ALICE.password)
        assert tokens is not None
        seen: list[Tokens] = []
        auth = ServerAuth(server.base_url, tokens=tokens, login=ALICE.login, on_tokens=seen.append)
        http.auth = auth
        await asyncio.sleep(1.2)
        assert await session_username(http, server) == "alice"
    assert auth.refresh_count == 1
    assert len(seen) == 1
    assert seen[0].access_token != tokens.access_token


@pytest.mark.asyncio
async def test_401_triggers_one_shared_refresh_and_a_retry(server_factory: ServerFactory) -> None:
    server = server_factory(access_token_lifetime=1)
    async with make_http_client() as http:
        tokens = await password_grant(http, server.base_url, ALICE.login, ALICE.password)
        assert tokens is not None
        # The client believes its token is good for an hour: only the server's 401 tells.
        believed = Tokens(tokens.access_token, tokens.refresh_token, time.monotonic() + 3600)
        auth = ServerAuth(server.base_url, tokens=believed, login=ALICE.login)
        http.auth = auth
        await asyncio.sleep(1.2)
        grants = count_token_calls(http)
        names = await asyncio.gather(*(session_username(http, server) for _ in range(8)))
    assert names == ["alice"] * 8
    assert len(grants) == 1, "concurrent requests must share one refresh"
    assert "grant_type=refresh_token" in grants[0]
    assert auth.refresh_count == 1


@pytest.mark.asyncio
async def test_refused_refresh_asks_for_the_password_and_the_call_then_completes(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(access_token_lifetime=1, refresh_token_lifetime=1)
    reauth_calls: list[None] = []
    async with make_http_client() as http:
        tokens = await password_grant(http, server.base_url, ALICE.login, ALICE.password)
        assert tokens is not None
        auth = ServerAuth(
            server.base_url,
            tokens=tokens,
            login=ALICE.login,
            on_reauth=lambda: reauth_calls.append(None),
        )
        http.auth = auth
        await asyncio.sleep(1.3)

        async def work() -> str:
            """A worker that keeps its place: waits for the session, then goes on."""
            while True:
                try:
                    return await session_username(http, server)
                except ReauthRequired:
                    await auth.wait_authenticated()

        worker = asyncio.create_task(work())
        await asyncio.sleep(0.3)
        assert not worker.done()
        assert auth.needs_reauth
        assert reauth_calls == [None]
        with pytest.raises(ReauthRequired):  # nothing is sent while the session is locked
            await session_username(http, server)
        with pytest.raises(LoginRejected):
            await auth.reauthenticate("wrong", http=http)
        assert auth.needs_reauth
        await auth.reauthenticate(ALICE.password, http=http)
        assert await asyncio.wait_for(worker, 10) == "alice"
        assert await session_username(http, server) == "alice"


@pytest.mark.asyncio
async def test_basic_mode_for_servers_without_token_endpoint(server: ServerThread) -> None:
    async with make_http_client(
        auth=ServerAuth(server.base_url, basic=(BOB.login, BOB.password))
    ) as http:
        assert await session_username(http, server) == "bob"
    bad = ServerAuth(server.base_url, basic=(BOB.login, "changed-on-the-server"))
    async with make_http_client(auth=bad) as http:
        with pytest.raises(ReauthRequired):
            await session_username(http, server)
        assert bad.needs_reauth
        await bad.reauthenticate(BOB.password, http=http)
        assert await session_username(http, server) == "bob"


@pytest.mark.asyncio
async def test_concurrent_refreshes_rotate_once_and_never_present_a_spent_token(
    server_factory: ServerFactory,
) -> None:
    """The server revokes a session whose spent refresh token comes back (reuse detection): the
    requests of one process that find the token expired, proactively or by a 401, share one
    refresh, round after round, and the newest refresh token is the one handed to on_tokens."""
    server = server_factory(access_token_lifetime=1)
    async with make_http_client() as http:
        tokens = await password_grant(http, server.base_url, ALICE.login, ALICE.password)
        assert tokens is not None
        seen: list[Tokens] = []
        # The first round believes its token good for an hour: only the server's 401s tell.
        believed = Tokens(tokens.access_token, tokens.refresh_token, time.monotonic() + 3600)
        auth = ServerAuth(
            server.base_url, tokens=believed, login=ALICE.login, on_tokens=seen.append
        )
        http.auth = auth
        grants = count_token_calls(http)
        for _ in range(3):
            await asyncio.sleep(1.2)
            names = await asyncio.gather(*(session_username(http, server) for _ in range(8)))
            assert names == ["alice"] * 8
        assert not auth.needs_reauth
    assert len(grants) == 3, "one refresh per round"
    refresh_tokens = [tokens.refresh_token] + [t.refresh_token for t in seen]
    assert len(set(refresh_tokens)) == 4, "each refresh rotated the token"
    assert auth.tokens is not None
    assert auth.tokens.refresh_token == refresh_tokens[-1]
    async with make_http_client() as http:
        spent = await http.post(
            server.base_url + "/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": refresh_tokens[0]},
        )
    assert spent.status_code == 401
