"""Pro Santé Connect in the desktop core (issue 15 §1) against the real chain: the sandbox's
authorization server and relying party in front of its « PSC simulé ». The browser flow on the
loopback, the e-CPS push, the passphrase that wraps the vault, and no token of PSC's anywhere at
rest. The system browser and the phone are what cannot be real: httpx plays them
(tests/app/psc_real.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.account import psc
from app.account.login import PassphraseWeak, open_account, open_account_with_tokens
from app.account.vault import WrongPassword
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring
from tests.app.psc_real import GP, advance, card_browser, phone, psc_server, rpps_of, tokens_seen

__all__ = ["memory_keyring", "psc_server"]  # fixtures

PASSPHRASE = "ma phrase de 2026 pour le cabinet"


def browser(
    seen: list[str], rpps: str, mode: str = "normal", action: str = "valider", **kw: bool
) -> Callable[[str], bool]:
    """The system browser: `seen` gets the authorize URL, then the page the loopback shows."""

    def open_url(url: str) -> bool:
        seen.append(url)

        async def go() -> None:
            seen.append(await asyncio.to_thread(card_browser, url, rpps, mode, action, **kw))

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
async def discovered(
    server: ServerThread, answers: list[dict[str, Any]] | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, psc.PscServer]]:
    """The app's client, the server's metadata; `answers` gets each token endpoint answer."""

    async def keep(response: httpx.Response) -> None:
        if answers is not None and response.url.path == "/auth/token":
            await response.aread()
            answers.append(response.json())

    async with httpx.AsyncClient(event_hooks={"response": [keep]}) as http:
        meta = await psc.discover(http, server.base_url)
        assert meta is not None
        yield http, meta


def email_of(server: ServerThread, login: str) -> str:
    account = server.sandbox.accounts.by_login(login)
    assert account is not None
    return account.email


@pytest.mark.asyncio
async def test_code_flow_opens_the_account_and_keeps_no_psc_token(
    psc_server: ServerThread,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    root = tmp_path / "app"  # the sandbox's own data is beside it, under tmp_path
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    answers: list[dict[str, Any]] = []
    async with discovered(psc_server, answers) as (http, meta):
        grant = await psc.browser_login(http, meta, browser(seen, rpps_of(psc_server, GP)))
    query = parse_qs(urlsplit(seen[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    await page_shown(seen)
    assert "Vous pouvez revenir à MonSisra bureau" in seen[1]
    assert grant.login == GP
    assert len(grant.practices) == 2  # two practices at the simulé
    assert {p.email for p in grant.practices} == {email_of(psc_server, GP)}
    assert all(p.label for p in grant.practices)

    with pytest.raises(PassphraseWeak) as weak:
        await open_account_with_tokens(root, psc_server.base_url, grant, "courte")
    assert "12 caractères" in weak.value.message_fr
    with pytest.raises(PassphraseWeak):
        await open_account_with_tokens(root, psc_server.base_url, grant, "a" * 20)

    account = await open_account_with_tokens(
        root, psc_server.base_url, grant, PASSPHRASE, remember=True
    )
    try:
        assert account.online
        assert psc.is_psc(account.ref.dir)
        assert (await account.jmap_client().session()).username == GP
    finally:
        await account.close()

    # The keyring holds our (rotated or not) refresh token; never an id_token, nothing of PSC's.
    kept = list(memory_keyring.tokens().values())
    assert kept
    [answer] = answers
    id_token = answer["id_token"]
    of_psc = tokens_seen(psc_server)
    assert of_psc  # the sandbox did get PSC's tokens…
    everything = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())
    for secret in [id_token, id_token.split(".")[2], *of_psc]:
        assert secret.encode() not in everything  # …which never reach the app's files
        assert all(secret not in k for k in kept)
    assert not set(answer) & {"psc_access_token", "psc_refresh_token"}
    assert not any(t in str(answer) for t in of_psc)

    assert "PSC login accepted" in caplog.text  # the logs are read…
    for secret in [id_token, answer["refresh_token"], *of_psc, *kept, PASSPHRASE]:
        assert secret not in caplog.text  # …and hold no token nor the passphrase

    # offline: the passphrase alone opens the cache; a wrong one does not
    psc_server.stop()
    with pytest.raises(WrongPassword):
        await open_account(root, psc_server.base_url, GP, "pas la bonne phrase")
    offline = await open_account(root, psc_server.base_url, GP, PASSPHRASE)
    try:
        assert not offline.online
        assert offline._password is None  # never sent as a password when the server is back
    finally:
        await offline.close()


@pytest.mark.asyncio
async def test_wrong_state_is_refused_in_french_and_nothing_is_exchanged(
    psc_server: ServerThread,
) -> None:
    seen: list[str] = []
    answers: list[dict[str, Any]] = []
    async with discovered(psc_server, answers) as (http, meta):
        with pytest.raises(psc.PscError) as refused:
            await psc.browser_login(
                http, meta, browser(seen, rpps_of(psc_server, GP), forge_state=True)
            )
    assert "ne correspond pas" in refused.value.message_fr
    await page_shown(seen)
    assert "ne correspond pas" in seen[1]  # the browser's page says it too
    assert answers == []  # the code was never exchanged


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("mode", "action", "said"),
    [
        ("expiree", "valider", "Votre carte CPS a expiré."),
        ("eidas0", "valider", "Authentification trop faible"),
        ("normal", "refuser", "Connexion refusée par Pro Santé Connect."),
    ],
)
async def test_refusals_by_the_chain_show_the_servers_french_sentence(
    psc_server: ServerThread, mode: str, action: str, said: str
) -> None:
    seen: list[str] = []
    async with discovered(psc_server) as (http, meta):
        with pytest.raises(psc.PscError) as refused:
            await psc.browser_login(
                http, meta, browser(seen, rpps_of(psc_server, GP), mode, action)
            )
    assert said in refused.value.message_fr
    await page_shown(seen)
    assert said in seen[1].replace("&#x27;", "'")


@pytest.mark.asyncio
async def test_timeout_and_cancel_close_the_listener(psc_server: ServerThread) -> None:
    urls: list[str] = []

    def no_browser_answer(url: str) -> bool:
        urls.append(url)
        return True

    async with discovered(psc_server) as (http, meta):
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


@pytest.mark.asyncio
async def test_ciba_pending_slow_down_then_confirmed_on_the_phone(
    psc_server: ServerThread,
) -> None:
    rpps = rpps_of(psc_server, GP)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        """Time passes as asked, except once the app wakes too early and polls at once."""
        waits.append(seconds)
        if len(waits) == 2:
            return
        if len(waits) == 3:
            await asyncio.to_thread(phone, psc_server, "valider")
        advance(psc_server, seconds)

    async with discovered(psc_server) as (http, meta):
        wrong = rpps[:-1] + str((int(rpps[-1]) + 1) % 10)
        with pytest.raises(psc.PscError) as bad:
            await psc.ciba_start(http, meta, wrong)
        assert "11 chiffres" in bad.value.message_fr
        request = await psc.ciba_start(http, meta, rpps)
        assert request.binding_message in await asyncio.to_thread(phone, psc_server)
        assert 0 < request.seconds_left() <= 120
        grant = await psc.ciba_wait(http, meta, request, sleep=sleep)
    assert grant.login == GP
    assert {p.email for p in grant.practices} == {email_of(psc_server, GP)}
    # the simulé's interval (3 s); polled too soon the server says slow_down: 5 s more
    assert waits == [3.0, 3.0, 8.0]


@pytest.mark.asyncio
@pytest.mark.parametrize(("step", "words"), [("refuser", "refusée"), ("expire", "expiré")])
async def test_ciba_refused_or_expired_in_french(
    psc_server: ServerThread, step: str, words: str
) -> None:
    async def sleep(seconds: float) -> None:
        if step == "refuser":
            await asyncio.to_thread(phone, psc_server, "refuser")
            advance(psc_server, seconds)
        else:
            advance(psc_server, 121)  # the push outlives its 120 s

    async with discovered(psc_server) as (http, meta):
        request = await psc.ciba_start(http, meta, rpps_of(psc_server, GP))
        with pytest.raises(psc.PscError) as refused:
            await psc.ciba_wait(http, meta, request, sleep=sleep)
    assert words in refused.value.message_fr


@pytest.mark.asyncio
async def test_not_offered_when_the_server_has_no_psc(server: ServerThread) -> None:
    async with httpx.AsyncClient() as http:
        meta = await http.get(server.base_url + "/.well-known/oauth-authorization-server")
        assert meta.json()["monsisra_pro_sante_connect"] is False
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
