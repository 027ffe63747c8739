"""The desktop app's own Pro Santé Connect code (app/account/psc.py) through the whole real chain
(issue 15 §3): app → sandbox (authorization server + relying party) → the real OpenID provider
dressed as PSC. Only the system browser is played, by httpx, from the authorize URL the app
opens to the app's own loopback listener; then the account opens with a local passphrase and
reads its mail, and opens again offline with that passphrase alone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.account import psc
from app.account.login import AccountRef, open_account
from app.account.vault import WrongPassword
from app.session import AccountSession
from tests.interop.psc_peer import PscPeer, log_in_at_psc
from tests.interop.test_psc_chain import Chain, chain_to
from tests.server.conftest import ALICE

PASSPHRASE = "ma salle d'attente 2e étage"


@pytest.fixture
def chain(psc: PscPeer, tmp_path: Path) -> Iterator[Chain]:
    with chain_to(psc, tmp_path / "sandbox") as made:
        yield made


def browser_as(login: str) -> tuple[list[str], Callable[[str], Awaitable[bool]]]:
    """The system browser: follows the app's authorize URL through PSC's login page and back to
    the app's loopback listener (in a thread, as a browser is another program)."""
    visited: list[str] = []

    def run(url: str) -> None:
        with httpx.Client() as browser:
            back = log_in_at_psc(browser, url, login, stop_at="http://127.0.0.1:")
            while str(back).startswith(
                url.split("/auth/", maxsplit=1)[0]
            ):  # the sandbox's own hops
                back = log_in_at_psc(browser, str(back), login, stop_at="http://127.0.0.1:")
            visited.append(str(back))
            browser.get(back)  # the app's listener answers its French end page

    async def open_browser(url: str) -> bool:
        asyncio.get_running_loop().run_in_executor(None, run, url)
        return True

    return visited, open_browser


@pytest.mark.asyncio
async def test_the_app_logs_in_through_psc_reads_its_mail_and_unlocks_offline(
    chain: Chain, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    root = tmp_path / "app"
    async with httpx.AsyncClient() as http:
        server = await psc.discover(http, chain.base)
        assert server is not None
        visited, open_browser = browser_as("alice")
        grant = await psc.browser_login(http, server, open_browser, timeout=60)
    assert grant.login == ALICE.login
    assert visited
    assert visited[0].startswith("http://127.0.0.1:")
    assert not visited[0].startswith(chain.base)  # the app's own listener, not the sandbox
    assert "code=" in visited[0]
    assert [p.label for p in grant.practices]  # from PSC's SubjectRefPro

    session = await AccountSession.open_psc(root, chain.base, grant, PASSPHRASE)
    try:
        await session.sync_once()
        assert session.mailboxes()
    finally:
        await session.close()
    assert psc.is_psc(AccountRef.make(root, chain.base, ALICE.login).dir)

    # Offline: the passphrase alone opens the cache; a wrong one does not.
    chain.sandbox.stop()
    with pytest.raises(WrongPassword):
        await open_account(root, chain.base, ALICE.login, "pas la bonne phrase 12")
    offline = await open_account(root, chain.base, ALICE.login, PASSPHRASE)
    try:
        assert not offline.online
    finally:
        await offline.close()

    # Nothing of PSC's, nor our id_token, in the logs or the data folder.
    said = caplog.text
    assert grant.tokens.refresh_token is not None
    assert grant.tokens.refresh_token not in said
    assert PASSPHRASE not in said
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert grant.tokens.access_token.encode() not in data, path
            assert b"SubjectNameID" not in data, path
