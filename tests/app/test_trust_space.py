"""The trust space's whitelist on the client (issue 14 §3): fetched from the sandbox the Session
names, kept in the encrypted cache (there offline, there when the server is down), refreshed daily
with a conditional GET, never replaced by a malformed answer (logged, not shown), never fetched
from another origin than the one the user logged in to."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from app.remote.http import make_http_client
from app.session import AccountSession
from app.store.db import Cache
from app.trust.space import REFRESH_S, RETRY_S, TrustSpace, Verdict
from app.trust.whitelist import WhitelistError, parse_whitelist
from server.testing import ServerThread, quick_config
from server.urls import TRUST_SPACE_PATH
from tests.app.store_helpers import cache, cache_path, key  # noqa: F401 (fixtures)
from tests.app.waiting import until
from tests.server.conftest import ALICE, BOB, ServerFactory

TRUSTED = ("sisra-demo.mssante.fr", "patient.mssante.fr", "chu-lyon.mssante.fr")
NS = "https://listeblanche.mssante.fr/schema"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    client = make_http_client()
    yield client
    await client.aclose()


def requests_of(client: httpx.AsyncClient) -> list[httpx.Request]:
    """Every request `client` sends from now on."""
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    client.event_hooks["request"] = [record]
    return seen


def mock_client(body: bytes, status: int = 200) -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    """A server that answers `body` to everything: what the sandbox never sends (a hostile or
    broken server), so simulated."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body, headers={"ETag": '"x"'})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer)), seen


@pytest.mark.asyncio
async def test_the_session_fetches_the_list_and_keeps_it_in_the_cache_for_offline(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(trusted_domains=TRUSTED)
    session = await AccountSession.open(tmp_path, server.base_url, ALICE.login, ALICE.password)
    try:
        assert session.trust_space.verdict("x@example.org") is Verdict.UNKNOWN  # not yet: no block
        session.start()
        await until(lambda: session.trust_space.received)
        space = session.trust_space
        assert space.verdict(BOB.email) is Verdict.INSIDE
        assert space.verdict("Dr.X@CHU-Lyon.MSSante.fr") is Verdict.INSIDE
        assert space.verdict("1234567890123@patient.mssante.fr") is Verdict.INSIDE
        assert space.verdict("x@example.org") is Verdict.OUTSIDE
        assert space.verdict("x@mssante.fr") is Verdict.OUTSIDE  # a domain, not a suffix
        assert space.outside([BOB.email, "x@example.org"]) == ["x@example.org"]
    finally:
        await session.close()
    server.stop()
    again = await AccountSession.open(tmp_path, server.base_url, ALICE.login, ALICE.password)
    try:
        assert not again.online
        assert again.trust_space.verdict("x@example.org") is Verdict.OUTSIDE  # from the cache
        assert again.trust_space.verdict(BOB.email) is Verdict.INSIDE
    finally:
        await again.close()


@pytest.mark.asyncio
async def test_refreshed_daily_with_a_conditional_get_and_a_changed_list_replaces_the_old(
    server_factory: ServerFactory,
    tmp_path: Path,
    cache: Cache,  # noqa: F811
    clock: Clock,
    http: httpx.AsyncClient,
) -> None:
    data = tmp_path / "sandbox"
    server = server_factory(data_dir=data, trusted_domains=TRUSTED)
    url = server.base_url + TRUST_SPACE_PATH
    space = TrustSpace(lambda: cache, server.base_url, clock=clock)
    seen = requests_of(http)
    assert await space.refresh(http, url)
    assert "if-none-match" not in seen[0].headers
    assert "authorization" not in seen[0].headers  # a public document
    assert not await space.refresh(http, url)  # fetched a moment ago: not due
    assert len(seen) == 1
    clock.now += REFRESH_S
    assert not await space.refresh(http, url)  # a day later: asked again, unchanged (304)
    assert len(seen) == 2
    assert seen[1].headers["if-none-match"].startswith('"')
    assert not space.due()  # the 304 counts as a fetch
    server.stop()
    port = int(server.base_url.rsplit(":", 1)[1])
    changed = quick_config(data, trusted_domains=(*TRUSTED, "ch-vienne.mssante.fr"))
    again = ServerThread(changed, port=port).start()
    try:
        clock.now += REFRESH_S
        assert space.verdict("a@ch-vienne.mssante.fr") is Verdict.OUTSIDE
        assert await space.refresh(http, url)
        assert space.verdict("a@ch-vienne.mssante.fr") is Verdict.INSIDE
    finally:
        again.stop()
    reloaded = TrustSpace(lambda: cache, server.base_url, clock=clock)
    reloaded.load()
    assert reloaded.verdict("a@ch-vienne.mssante.fr") is Verdict.INSIDE  # as kept in the cache


@pytest.mark.asyncio
async def test_the_server_down_keeps_the_list_and_it_is_tried_again_an_hour_later(
    server_factory: ServerFactory,
    cache: Cache,  # noqa: F811
    clock: Clock,
    http: httpx.AsyncClient,
) -> None:
    server = server_factory(trusted_domains=TRUSTED)
    url = server.base_url + TRUST_SPACE_PATH
    space = TrustSpace(lambda: cache, server.base_url, clock=clock)
    assert await space.refresh(http, url)
    server.stop()
    clock.now += REFRESH_S
    assert not await space.refresh(http, url)
    assert space.verdict(BOB.email) is Verdict.INSIDE
    assert not space.due()
    clock.now += RETRY_S
    assert space.due()
    space.back_online()
    assert space.due()


@pytest.mark.parametrize(
    "body",
    [
        b"<ListeBlanche xmlns='" + NS.encode() + b"'><Domaine><Nom>x.fr</Nom>",  # cut short
        b"<html><body>Maintenance</body></html>",  # not the list
        b"<ListeBlanche xmlns='" + NS.encode() + b"'></ListeBlanche>",  # empty
        b"<ListeBlanche><Domaine><Nom>x.fr</Nom></Domaine></ListeBlanche>",  # no namespace
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<ListeBlanche xmlns='" + NS.encode() + b"'><Domaine><Nom>&b;</Nom></Domaine>"
        b"</ListeBlanche>",  # entities
    ],
)
@pytest.mark.asyncio
async def test_a_malformed_list_keeps_the_last_good_one_and_says_so_in_the_log(
    body: bytes,
    cache: Cache,  # noqa: F811
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = b"<L xmlns='" + NS.encode() + b"'><Domaine><Nom> A.fr. </Nom></Domaine></L>"
    space = TrustSpace(lambda: cache, "https://sisra.example", clock=clock)
    first, _ = mock_client(good)
    async with first:
        assert await space.refresh(first, "https://sisra.example/liste.xml")
    clock.now += REFRESH_S
    bad, seen = mock_client(body)
    with caplog.at_level(logging.WARNING):
        async with bad:
            assert not await space.refresh(bad, "https://sisra.example/liste.xml")
    assert len(seen) == 1
    assert space.verdict("x@a.fr") is Verdict.INSIDE
    assert "last good one is kept" in caplog.text
    with pytest.raises(WhitelistError):
        parse_whitelist(body)


@pytest.mark.asyncio
async def test_never_fetched_from_another_origin_than_the_login_one(
    cache: Cache,  # noqa: F811
    clock: Clock,
) -> None:
    space = TrustSpace(lambda: cache, "https://sisra.example", clock=clock)
    client, seen = mock_client(
        b"<L xmlns='" + NS.encode() + b"'><Domaine><Nom>a.fr</Nom></Domaine></L>"
    )
    async with client:
        assert not await space.refresh(client, "https://ailleurs.example/liste.xml")
        assert not await space.refresh(client, "http://sisra.example/liste.xml")
    assert seen == []
    assert space.verdict("x@a.fr") is Verdict.UNKNOWN


def test_domains_are_read_only_from_domaine_nom_and_names_that_are_not_domains_are_skipped() -> (
    None
):
    doc = (
        f"<ListeBlanche xmlns='{NS}'><Domaine><Nom>ok.mssante.fr</Nom><Autre>x.fr</Autre>"
        "</Domaine><Nom>seul.fr</Nom><Domaine><Nom>pas un domaine</Nom></Domaine>"
        "<Domaine><Nom>a&lt;b.fr</Nom></Domaine></ListeBlanche>"
    ).encode()
    assert parse_whitelist(doc) == {"ok.mssante.fr"}
