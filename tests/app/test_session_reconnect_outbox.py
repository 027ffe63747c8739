"""A message written while the server is down waits in the outbox and goes, once, when the same
server comes back — without the user doing anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.events import ConnectionChanged
from app.message.compose import OutgoingMessage
from app.session import AccountSession
from app.store.records import Address
from server.testing import ServerThread, quick_config
from tests.app.jmap_helpers import jmap_client
from tests.app.waiting import until
from tests.server.conftest import ALICE, BOB


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
        await session.send(
            OutgoingMessage(
                from_=Address(None, ALICE.email),
                to=[Address(None, BOB.email)],
                subject="Écrit pendant la coupure",
                text="Parti au retour du serveur.",
            )
        )
        assert [r.state for r in session.outbox_list()] == ["queued"]
        await until(lambda: False in seen, timeout=40)  # the failed send made the engine look
        again = ServerThread(quick_config(data), port=int(url.rsplit(":", 1)[1])).start()
        await until(lambda: [r.state for r in session.outbox_list()] == ["sent"], timeout=40)
        async with jmap_client(again, BOB) as bob:
            found = await bob.call_one(
                "Email/query", {"filter": {"subject": "Écrit pendant la coupure"}}
            )
        assert len(found["ids"]) == 1
    finally:
        await session.close()
        if again is not None:
            again.stop()
