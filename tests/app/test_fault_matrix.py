"""Issue 17 §1: each network fault (tests/faults/proxy.py) during each operation of the client
core. The faulted try ends (an error or a slow success, never a hang: each is bounded by
asyncio.wait_for), and once the fault is lifted and the client tries again through the same public
methods the app calls, the cache equals the server and a message went exactly once. Sync here;
tests/app/test_fault_matrix_transfers.py and test_fault_matrix_push.py for the rest."""

from __future__ import annotations

import pytest

from app.errors import CoreError
from app.events import ConnectionChanged
from app.remote.http import ServerUnreachable
from app.session import AccountSession
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.waiting import until
from tests.faults.matrix import (  # noqa: F401 (fixtures)
    DOCUMENT,
    HANG,
    KINDS,
    converges,
    deliver,
    fault,
    faulted_sync_then_converged,
    proxy,
    sandbox,
    session,
)
from tests.faults.proxy import Fault, FaultProxy, Rule
from tests.server.conftest import ALICE

# Initial and delta sync ---------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_initial_sync(
    kind: str,
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    rule = proxy.add(Rule(fault(kind, 600), path="/jmap/api", skip=1))
    failure = None if kind == "drip" else CoreError  # slow is no failure
    await faulted_sync_then_converged(proxy, rule, session, sandbox, failure)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_delta_sync(
    kind: str,
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    await session.sync_once()
    deliver(sandbox, f"Nouveau {kind}", DOCUMENT)
    async with jmap_client(sandbox, ALICE) as alice:
        some = (await alice.call_one("Email/query", {"limit": 3}))["ids"]
        await alice.call_one(
            "Email/set", {"update": {i: {"keywords/$flagged": True} for i in some}}
        )
    rule = proxy.add(Rule(fault(kind, 300), path="/jmap/api", skip=1))
    failure = None if kind == "drip" else CoreError  # slow is no failure
    await faulted_sync_then_converged(proxy, rule, session, sandbox, failure)


# Deadlines ----------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_answer_dripping_forever_ends_at_the_calls_deadline(
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    """A byte every half second never trips a read timeout: only the call's own deadline ends
    it, as unreachable; the next sync, on a sound link, converges."""
    assert session.jmap is not None
    session.jmap.api_deadline = 3.0
    slow = Fault("drip", "down", 200, drip_bytes=1, drip_every_s=0.5)
    rule = proxy.add(Rule(slow, path="/jmap/api", skip=1))
    await faulted_sync_then_converged(proxy, rule, session, sandbox, ServerUnreachable)


# What the status bar is told ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_stalled_sync_says_offline_in_french_then_online(
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    """The background sync, stalled, ends at its deadline; the status bar hears "offline" with a
    French reason, then "online" once the link is sound again."""
    said: list[ConnectionChanged] = []
    session.bus.subscribe(ConnectionChanged, said.append)
    proxy.add(Rule(Fault("stall", "down", 300), path="/jmap/api", skip=1))
    session.start()
    await until(lambda: any(not e.online for e in said), timeout=HANG)
    offline = next(e for e in said if not e.online)
    assert offline.reason_fr == "Serveur injoignable : les messages en cache restent lisibles."
    proxy.clear()
    await until(lambda: bool(said) and said[-1].online, timeout=HANG)
    await converges(session, sandbox)
