"""The undo delay in the core: a message sent online waits its delay in the unsent file, the
other messages go meanwhile, and quitting during the delay loses nothing — the next start sends
it, once. Offline there is no delay: the message waits for the connection as before."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.message.compose import OutgoingMessage
from app.session import AccountSession
from app.store.records import Address
from server.testing import ServerThread
from tests.app.test_session_reconnect_outbox import bob_received
from tests.app.waiting import until
from tests.server.conftest import ALICE, BOB


def to_bob(subject: str) -> OutgoingMessage:
    return OutgoingMessage(
        from_=Address(None, ALICE.email), to=[Address(None, BOB.email)], subject=subject, text="."
    )


async def started(server: ServerThread, data: Path) -> AccountSession:
    session = await AccountSession.open(data, server.base_url, ALICE.login, ALICE.password)
    session.start()
    await until(lambda: session.online and session.engine is not None)
    return session


@pytest.mark.asyncio
async def test_a_message_in_its_delay_waits_while_one_without_goes_at_once(
    server: ServerThread, tmp_path: Path
) -> None:
    session = await started(server, tmp_path / "client")
    try:
        await session.send(to_bob("Avec délai"), delay_s=30)
        await session.send(to_bob("Sans délai"))
        assert await bob_received(server, "Sans délai") == 1
        assert await bob_received(server, "Avec délai") == 0
        held, sent = session.outbox_list()
        assert held.held(int(time.time() * 1000))
        assert (held.state, sent.state) == ("queued", "sent")
        assert session.outbox_counts().pending == 1  # counted as waiting
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_quit_during_the_delay_then_the_next_start_sends_it_once(
    server: ServerThread, tmp_path: Path
) -> None:
    data = tmp_path / "client"
    session = await started(server, data)
    await session.send(to_bob("Quitté pendant le délai"), delay_s=1)
    [row] = session.outbox_list()
    await session.close()  # the app quits before the delay ends
    assert await bob_received(server, "Quitté pendant le délai") == 0
    held_until = row.held_until
    assert held_until is not None
    again = await started(server, data)
    try:
        await until(lambda: [r.state for r in again.outbox_list()] == ["sent"], timeout=20)
        assert time.time() * 1000 >= held_until  # not before the end of its delay
        assert await bob_received(server, "Quitté pendant le délai") == 1
    finally:
        await again.close()


@pytest.mark.asyncio
async def test_offline_a_message_has_no_delay_and_waits_for_the_connection(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    server = server_factory()
    data = tmp_path / "client"
    known = await AccountSession.open(data, server.base_url, ALICE.login, ALICE.password)
    await known.close()
    server.stop()
    session = await AccountSession.open(data, server.base_url, ALICE.login, ALICE.password)
    try:
        assert not session.online
        await session.send(to_bob("Hors ligne"), delay_s=30)
        [row] = session.outbox_list()
        assert row.held_until is None
        assert row.state == "queued"
    finally:
        await session.close()
