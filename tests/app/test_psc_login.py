"""Pro Santé Connect in the desktop core (issue 15 §1): the browser flow on the loopback, the
e-CPS push, the passphrase that wraps the vault, and no PSC token anywhere at rest.

The browser is what cannot be real here: httpx plays it, following the authorize URL back to the
app's loopback. Part A (the server's authorization server) is `tests/app/psc_as_stub.py` until it
is merged: only the `psc_as` fixture changes then."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from app.account import psc
from app.account.login import PassphraseWeak, open_account, open_account_with_tokens
from app.account.vault import WrongPassword
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401
from tests.app.psc_as_stub import RPPS, StubAS, psc_as  # noqa: F401
from tests.server.conftest import ALICE

PASSPHRASE = "ma phrase de 2026 pour le cabinet"


def browser(seen: list[str], *, tamper_state: bool = False) -> Callable[[str], bool]:
    """The system browser: follows the authorize URL, then the redirect to the loopback."""

    def open_url(url: str) -> bool:
        seen.append(url)

        async def go() -> None:
            async with httpx.AsyncClient() as client:
                answer = await client.get(url)
                assert answer.status_code == 302
                location = answer.headers["location"]
                if tamper_state:
                    parts = urlsplit(location)
                    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                    query["state"] = "forged"
                    location = parts._replace(query=urlencode(query)).geturl()
                # the favicon a browser asks first is ignored
                base = location.split("?")[0].rsplit("/", 1)[0]
                assert (await client.get(base + "/favicon.ico")).status_code == 404
                page = await client.get(location)
                seen.append(page.text)

        asyncio.get_running_loop().create_task(go())
        return True

    return open_url


async def page_shown(seen: list[str]) -> None:
    """The browser's task reads the end page after the app got the redirect."""
    for _ in range(500):
        if len(seen) > 1:
            return
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def discovered(stub: StubAS) -> AsyncIterator[tuple[httpx.AsyncClient, psc.PscServer]]:
    async with httpx.AsyncClient() as http:
        server = await psc.discover(http, stub.url)
        assert server is not None
        yield http, server


@pytest.mark.asyncio
async def test_code_flow_opens_the_account_and_keeps_no_psc_token(
    server: ServerThread,
    psc_as: StubAS,  # noqa: F811
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    async with discovered(psc_as) as (http, meta):
        grant = await psc.browser_login(http, meta, browser(seen))
    query = parse_qs(urlsplit(seen[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert "Vous pouvez revenir à MonSisra bureau" in seen[1]
    assert grant.login == ALICE.login
    assert [p.id for p in grant.practices] == ["p1", "p2"]

    with pytest.raises(PassphraseWeak) as weak:
        await open_account_with_tokens(tmp_path, server.base_url, grant, "courte")
    assert "12 caractères" in weak.value.message_fr
    with pytest.raises(PassphraseWeak):
        await open_account_with_tokens(tmp_path, server.base_url, grant, "a" * 20)

    account = await open_account_with_tokens(
        tmp_path, server.base_url, grant, PASSPHRASE, remember=True
    )
    try:
        assert account.online
        assert psc.is_psc(account.ref.dir)
        assert (await account.jmap_client().session()).username == ALICE.login
    finally:
        await account.close()

    # the keyring holds our (rotated or not) refresh token, never an id_token
    kept = list(memory_keyring.tokens().values())
    assert kept
    everything = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for secret in psc_as.issued_id_tokens:
        assert secret.encode() not in everything
        assert secret not in kept
        assert secret.split(".")[2].encode() not in everything

    assert "PSC login accepted" in caplog.text  # the logs are read…
    for secret in [*psc_as.issued_id_tokens, *psc_as.issued_refresh, *kept, PASSPHRASE]:
        assert secret not in caplog.text  # …and hold no token nor the passphrase

    # offline: the passphrase alone opens the cache; a wrong one does not
    server.stop()
    with pytest.raises(WrongPassword):
        await open_account(tmp_path, server.base_url, ALICE.login, "pas la bonne phrase")
    offline = await open_account(tmp_path, server.base_url, ALICE.login, PASSPHRASE)
    try:
        assert not offline.online
        assert offline._password is None  # never sent as a password when the server is back
    finally:
        await offline.close()


@pytest.mark.asyncio
async def test_wrong_state_is_refused_in_french_and_nothing_is_exchanged(
    server: ServerThread,
    psc_as: StubAS,  # noqa: F811
) -> None:
    seen: list[str] = []
    async with discovered(psc_as) as (http, meta):
        with pytest.raises(psc.PscError) as refused:
            await psc.browser_login(http, meta, browser(seen, tamper_state=True))
    assert "ne correspond pas" in refused.value.message_fr
    await page_shown(seen)
    assert "ne correspond pas" in seen[1]  # the browser's page says it too
    assert len(psc_as.codes) == 1  # the code was never exchanged
    assert psc_as.issued_refresh == []


@pytest.mark.asyncio
async def test_refusal_by_the_server_shows_its_french_sentence(
    server: ServerThread,
    psc_as: StubAS,  # noqa: F811
) -> None:
    psc_as.authorize_error = "Votre carte CPS a expiré."
    seen: list[str] = []
    async with discovered(psc_as) as (http, meta):
        with pytest.raises(psc.PscError) as refused:
            await psc.browser_login(http, meta, browser(seen))
    assert refused.value.message_fr == "Votre carte CPS a expiré."
    await page_shown(seen)
    assert "Votre carte CPS a expiré." in seen[1]


@pytest.mark.asyncio
async def test_timeout_and_cancel_close_the_listener(
    server: ServerThread,
    psc_as: StubAS,  # noqa: F811
) -> None:
    urls: list[str] = []

    def no_browser_answer(url: str) -> bool:
        urls.append(url)
        return True

    async with discovered(psc_as) as (http, meta):
        with pytest.raises(psc.PscError) as late:
            await psc.browser_login(http, meta, no_browser_answer, timeout=0.2)
        assert "à temps" in late.value.message_fr
        redirect = parse_qs(urlsplit(urls[0]).query)["redirect_uri"][0]
        with pytest.raises(httpx.ConnectError):
            await http.get(redirect)

        task = asyncio.ensure_future(psc.browser_login(http, meta, no_browser_answer))
        while len(urls) < 2:
            await asyncio.sleep(0.01)
        redirect = parse_qs(urlsplit(urls[1]).query)["redirect_uri"][0]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(httpx.ConnectError):
            await http.get(redirect)


async def no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_ciba_pending_slow_down_then_confirmed(
    server: ServerThread,
    psc_as: StubAS,  # noqa: F811
) -> None:
    psc_as.ciba_script = ["authorization_pending", "slow_down", "ok"]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async with discovered(psc_as) as (http, meta):
        with pytest.raises(psc.PscError) as bad:
            await psc.ciba_start(http, meta, RPPS[:-1] + str((int(RPPS[-1]) + 1) % 10))
        assert "11 chiffres" in bad.value.message_fr
        request = await psc.ciba_start(http, meta, RPPS)
        assert request.binding_message == "K7PX"
        assert 0 < request.seconds_left() <= 120
        grant = await psc.ciba_wait(http, meta, request, sleep=sleep)
    assert grant.login == ALICE.login
    assert waits == [1.0, 1.0, 6.0]  # slow_down: 5 s more


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("step", "words"), [("access_denied", "refusée"), ("expired_token", "expiré")]
)
async def test_ciba_refused_or_expired_in_french(
    server: ServerThread,
    psc_as: StubAS,  # noqa: F811
    step: str,
    words: str,
) -> None:
    psc_as.ciba_script = ["authorization_pending", step]
    async with discovered(psc_as) as (http, meta):
        request = await psc.ciba_start(http, meta, RPPS)
        with pytest.raises(psc.PscError) as refused:
            await psc.ciba_wait(http, meta, request, sleep=no_wait)
    assert words in refused.value.message_fr


@pytest.mark.asyncio
async def test_not_offered_when_the_server_has_no_metadata(server: ServerThread) -> None:
    async with httpx.AsyncClient() as http:
        assert await psc.discover(http, server.base_url) is None


def test_passphrase_rule() -> None:
    assert psc.passphrase_problem("court1") is not None
    assert psc.passphrase_problem("abcdefghijklmnop") is not None
    assert psc.passphrase_problem("123456789012345") is not None
    assert psc.passphrase_problem("cheval correct agrafe") is None
    assert psc.passphrase_problem("Cabinet2026!x") is None


def test_the_chosen_practice_sends_when_it_is_one_of_my_identities(tmp_path: Path) -> None:
    from app.account.identities import Identity, sending_first
    from app.store.records import Address

    mine = [Identity(Address(None, "a@x.fr")), Identity(Address(None, "b@x.fr"))]
    psc.mark_psc(tmp_path, psc.Practice("p2", "Centre hospitalier", "B@x.fr"))
    assert sending_first(mine, psc.practice_email(tmp_path))[0].address.email == "b@x.fr"
    assert sending_first(mine, "other@x.fr") == mine  # not mine: the server's first
    assert psc.is_psc(tmp_path)
