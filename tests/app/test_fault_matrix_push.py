"""Issue 17 §1, the fault matrix (see test_fault_matrix.py) for the push stream: a stream cut,
reset, stalled or gone silent is noticed (by its pings' absence when it stays open) and reopened."""

from __future__ import annotations

import pytest

from app.session import AccountSession
from server.testing import ServerThread
from tests.app.waiting import until
from tests.faults.matrix import (  # noqa: F401 (fixtures)
    HANG,
    KINDS,
    converges,
    deliver,
    proxy,
    sandbox,
    session,
)
from tests.faults.proxy import Fault, FaultProxy, Rule

# The push stream ----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS)
async def test_push_stream(
    kind: str,
    proxy: FaultProxy,  # noqa: F811 (the fixture imported above)
    session: AccountSession,  # noqa: F811 (the fixture imported above)
    sandbox: ServerThread,  # noqa: F811 (the fixture imported above)
) -> None:
    """Only push (or its reopening) wakes the sync here: the poll is ten minutes away."""
    assert session.engine is not None
    session.engine.poll_interval = 600
    session.engine.push_ping = 1
    rule = proxy.add(Rule(Fault(kind, "down", after_s=0.5), path="/jmap/eventsource"))  # type: ignore[arg-type]
    session.start()
    await until(lambda: proxy.faults_done >= 1, timeout=HANG)
    assert rule.hits == 1
    proxy.clear()
    message_id = deliver(sandbox, f"Après la panne ({kind})")
    await until(lambda: session.email_by_message_id(message_id) is not None, timeout=HANG)
    if kind != "drip":
        assert proxy.count("/jmap/eventsource") >= 2  # the dead stream was reopened
    await converges(session, sandbox)
