"""Leaving an account (app/account/signout.py) against the real sandbox: "Se déconnecter" revokes
the session on the server and forgets it here, offline too (saying the server was not told);
"Oublier ce compte sur cet ordinateur" also deletes the account's folder."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.account.keychain import SERVICE
from app.account.login import resume_account
from app.remote.auth import ReauthRequired, refresh_grant, revoke
from app.remote.http import ServerUnreachable, make_http_client
from app.session import AccountSession
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401
from tests.app.test_account_login import closed_url, recording_factory
from tests.server.conftest import ALICE, BOB, ServerFactory, User


async def refused(server_url: str, refresh_token: str) -> bool:
    async with make_http_client() as http:
        try:
            await refresh_grant(http, server_url, refresh_token)
        except ReauthRequired:
            return True
    return False


async def remembered_session(
    root: Path, server: ServerThread, user: User = ALICE
) -> tuple[AccountSession, str]:
    session = await AccountSession.open(
        root, server.base_url, user.login, user.password, remember=True
    )
    tokens = session.account.auth.tokens if session.account.auth else None
    assert tokens is not None
    assert tokens.refresh_token is not None
    return session, tokens.refresh_token


@pytest.mark.asyncio
async def test_revoke_makes_the_server_refuse_the_refresh_token_and_its_access_tokens(
    server: ServerThread,
) -> None:
    async with make_http_client() as http:
        r = await http.post(
            server.base_url + "/auth/token",
            data={"grant_type": "password", "username": ALICE.login, "password": ALICE.password},
        )
        tokens = r.json()
        assert await revoke(http, server.base_url, tokens["refresh_token"]) is True
        session = await http.get(
            server.base_url + "/.well-known/jmap",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert session.status_code == 401
    assert await refused(server.base_url, tokens["refresh_token"])
    async with make_http_client() as http:
        with pytest.raises(ServerUnreachable):
            await revoke(http, closed_url(), tokens["refresh_token"])


@pytest.mark.asyncio
async def test_sign_out_revokes_the_session_and_the_next_login_sends_the_password(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    session, refresh = await remembered_session(tmp_path, server)
    ref = session.account.ref
    assert memory_keyring.secrets[(SERVICE, ref.dir.name)] == refresh

    assert await session.sign_out() is True
    # The session is forgotten; the vault's own secret (its wrong-password delay) stays with it.
    assert memory_keyring.tokens() == {}
    assert set(memory_keyring.secrets) == {(SERVICE, f"{ref.dir.name}.vault")}
    assert await refused(server.base_url, refresh)
    assert ref.cache_path.exists(), "signing out keeps this computer's data"
    with pytest.raises(Exception, match="close"), session.account.cache.read() as conn:
        conn.execute("SELECT 1")

    sent: list[str] = []
    again = await resume_account(
        tmp_path,
        server.base_url,
        ALICE.login,
        ALICE.password,
        http_factory=recording_factory(sent),
    )
    try:
        assert again.online
        assert any("grant_type=password" in body for body in sent)
        assert not any("grant_type=refresh_token" in body for body in sent)
    finally:
        await again.close()


@pytest.mark.asyncio
async def test_sign_out_offline_forgets_here_and_says_the_server_was_not_told(
    server_factory: ServerFactory,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    server = server_factory()
    session, _ = await remembered_session(tmp_path, server)
    server.stop()  # the network is gone
    assert await session.sign_out() is False
    assert memory_keyring.tokens() == {}


@pytest.mark.asyncio
async def test_forget_deletes_the_account_folder_and_the_keyring_entry(
    server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    session, refresh = await remembered_session(tmp_path, server)
    ref = session.account.ref
    assert any(ref.dir.iterdir())
    other, _ = await remembered_session(tmp_path, server, BOB)  # another account here
    await other.close()

    assert await session.forget() is True
    assert not ref.dir.exists()
    assert other.account.ref.dir.exists()
    kept = other.account.ref.dir.name
    assert memory_keyring.secrets.keys() == {(SERVICE, kept), (SERVICE, f"{kept}.vault")}
    assert await refused(server.base_url, refresh)
    async with httpx.AsyncClient() as http:  # the other session (another family) still works
        stored = memory_keyring.secrets[(SERVICE, other.account.ref.dir.name)]
        r = await http.post(
            server.base_url + "/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": stored},
        )
        assert r.status_code == 200
