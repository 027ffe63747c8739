"""A message written while the server is down waits in the outbox and goes, once, when the same
server comes back — without the user doing anything."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from app.events import ConnectionChanged, OutboxChanged
from app.message.compose import OutgoingMessage
from app.remote.directory import DirectoryQuery
from app.session import AccountSession
from app.store.records import Address
from app.sync.reconnect import RETRY_MAX_S, Reconnection
from server.testing import ServerThread, quick_config
from tests.app.jmap_helpers import jmap_client
from tests.app.waiting import until
from tests.server.conftest import ALICE, BOB


async def queue_to_bob(session: AccountSession, subject: str, text: str) -> None:
    """A message from Alice to Bob, handed to the session (queued: the server is down)."""
    message = OutgoingMessage(
        from_=Address(None, ALICE.email), to=[Address(None, BOB.email)], subject=subject, text=text
    )
    await session.send(message)


def restart(data: Path, url: str) -> ServerThread:
    """The same sandbox (its data folder) again, on the same port."""
    return ServerThread(quick_config(data), port=int(url.rsplit(":", 1)[1])).start()


async def bob_received(server: ServerThread, subject: str) -> int:
    async with jmap_client(server, BOB) as bob:
        found = await bob.call_one("Email/query", {"filter": {"subject": subject}})
    return len(found["ids"])


@pytest.mark.asyncio
async def test_the_outbox_sends_once_when_the_server_comes_back(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    session = await AccountSession.open(tmp_path / "client", url, ALICE.login, ALICE.password)
    seen: list[bool] = []
    session.bus.subscribe(ConnectionChanged, lambda e: seen.append(e.online))
    again: ServerThread | None = None
    try:
        session.start()
        await until(lambda: bool(session.mailboxes()), timeout=40)
        first.stop()
        await queue_to_bob(session, "Écrit pendant la coupure", "Parti au retour du serveur.")
        assert [r.state for r in session.outbox_list()] == ["queued"]
        await until(lambda: False in seen, timeout=40)  # the failed send made the engine look
        again = restart(data, url)
        await until(lambda: [r.state for r in session.outbox_list()] == ["sent"], timeout=40)
        assert await bob_received(again, "Écrit pendant la coupure") == 1
    finally:
        await session.close()
        if again is not None:
            again.stop()


@pytest.mark.asyncio
async def test_after_a_long_outage_the_outbox_leaves_as_soon_as_the_server_answers(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    """The engine waits long between tries after a long outage (RETRY_MAX_S); any answer of the
    server — here the push stream reconnecting — ends that wait, and the outbox goes at once."""
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    session = await AccountSession.open(tmp_path / "client", url, ALICE.login, ALICE.password)
    assert session.engine is not None
    # Where a long outage leaves the schedule: every wait 15 to 30 s.
    session.reconnection = Reconnection(first=RETRY_MAX_S, maximum=RETRY_MAX_S)
    session.engine.reconnection = session.reconnection
    seen: list[bool] = []
    session.bus.subscribe(ConnectionChanged, lambda e: seen.append(e.online))
    again: ServerThread | None = None
    try:
        session.start()
        await until(lambda: bool(session.mailboxes()), timeout=40)
        first.stop()
        await queue_to_bob(session, "Parti dès le retour", "Sans attendre la prochaine tentative.")
        await until(lambda: False in seen, timeout=40)
        await until(lambda: session.reconnection.waiting, timeout=10)
        again = restart(data, url)
        await until(lambda: [r.state for r in session.outbox_list()] == ["sent"], timeout=5)
    finally:
        await session.close()
        if again is not None:
            again.stop()


@pytest.mark.asyncio
async def test_opened_offline_a_refresh_tries_the_server_at_once(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    """Opened offline, queued there; the server back: F5 (sync_now) does not wait for the next
    try, and the message is on the server within seconds."""
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    known = await AccountSession.open(tmp_path / "client", url, ALICE.login, ALICE.password)
    await known.own_address()
    await known.close()
    first.stop()
    session = await AccountSession.open(tmp_path / "client", url, ALICE.login, ALICE.password)
    session.reconnection = Reconnection(first=RETRY_MAX_S, maximum=RETRY_MAX_S)
    again: ServerThread | None = None
    try:
        assert not session.online
        session.start()
        await queue_to_bob(session, "Écrit hors connexion", "Parti au premier essai.")
        assert session.outbox_counts() == OutboxChanged(pending=1, failed=0)
        await until(lambda: session.reconnection.waiting, timeout=10)
        again = restart(data, url)
        session.sync_now()
        await until(lambda: [r.state for r in session.outbox_list()] == ["sent"], timeout=5)
        assert await bob_received(again, "Écrit hors connexion") == 1
    finally:
        await session.close()
        if again is not None:
            again.stop()


@pytest.mark.asyncio
async def test_any_answer_of_the_server_ends_the_wait_before_the_next_try(
    server: ServerThread, tmp_path: Path
) -> None:
    """Not only the sync's own tries: a directory search the user makes meanwhile counts."""
    session = await AccountSession.open(
        tmp_path / "client", server.base_url, ALICE.login, ALICE.password
    )
    session.reconnection = Reconnection(first=600, maximum=600)
    stop = asyncio.Event()
    try:
        waiting = asyncio.create_task(session.reconnection.wait(stop))
        await until(lambda: session.reconnection.waiting, timeout=5)
        await session.search_directory(DirectoryQuery(name="Benali"))
        await asyncio.wait_for(waiting, timeout=5)
    finally:
        stop.set()
        await session.close()
