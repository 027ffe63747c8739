"""Issue 17 §3: the undo delay (« Annuler l'envoi ») is measured on the monotonic clock while the
app runs. The wall clock set forward during the delay does not send the message early (the user
keeps "Annuler"), set back it does not hold it for hours (libfaketime in a child,
tests/faults/clock.py). The wall-clock end kept for a restart is capped by the message's own
delay."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from app.message.compose import OutgoingMessage
from app.outbox.sender import MAX_HOLD_S
from app.session import AccountSession
from app.store import outbox as rows
from app.store.records import Address
from server.testing import ServerThread
from tests.app.test_session_reconnect_outbox import bob_received
from tests.app.waiting import until
from tests.faults.clock import ClockChild
from tests.server.conftest import ALICE, BOB, start_sandbox

HOURS_2 = 2 * 3600
HOLD_S = 10


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    thread = start_sandbox(tmp_path_factory.mktemp("undo-clock-sandbox"))
    yield thread
    thread.stop()


def undo_child(tmp_path: Path, sandbox: ServerThread) -> ClockChild:
    data = str(tmp_path / "client")
    args = (sandbox.base_url, ALICE.login, ALICE.password, data, BOB.email, str(HOLD_S))
    return ClockChild(tmp_path, "undo", *args)


def received(sandbox: ServerThread) -> int:
    return asyncio.run(bob_received(sandbox, "Annulable"))


def test_the_wall_clock_set_forward_during_the_delay_neither_sends_it_nor_takes_annuler_away(
    tmp_path: Path, sandbox: ServerThread
) -> None:
    with undo_child(tmp_path, sandbox) as child:
        assert child.expect("queued")["states"] == ["queued"]
        child.jump(HOURS_2)
        time.sleep(2)  # two seconds of the delay go by, two hours by the wall clock
        child.tell("pass")  # a send pass (push, a reconnection, another message) comes meanwhile
        passed = child.expect("passed")
        assert passed["state"] == "queued"
        assert 0 < passed["left"] <= HOLD_S - 2  # the countdown goes on from where it was
        assert received(sandbox) == 0
        child.tell("cancel")
        cancelled = child.expect("cancelled")
        assert (cancelled["outbox"], cancelled["drafts"]) == (0, 1)  # back as a draft, unsent
    assert received(sandbox) == 0


def test_the_wall_clock_set_back_during_the_delay_does_not_hold_the_message_for_hours(
    tmp_path: Path, sandbox: ServerThread
) -> None:
    with undo_child(tmp_path, sandbox) as child:
        queued = child.expect("queued")
        child.jump(-HOURS_2)
        child.tell("left")
        left = child.expect("left")  # within the harness's bound (a minute), not in two hours
        assert left["mono"] - queued["mono"] >= HOLD_S - 1  # and not before its delay
    assert received(sandbox) == 1


def to_bob(subject: str) -> OutgoingMessage:
    return OutgoingMessage(
        from_=Address(None, ALICE.email), to=[Address(None, BOB.email)], subject=subject, text="."
    )


async def stored_hold(data: Path, sandbox: ServerThread, payload: dict[str, object]) -> str:
    """A message left in the unsent file by a run that quit during its delay, with `payload`'s
    hold fields as that run (or an older version) wrote them."""
    session = await AccountSession.open(data, sandbox.base_url, ALICE.login, ALICE.password)
    try:
        outbox_id = await session.outbox.queue(to_bob(str(payload["subject"])), hold_s=HOLD_S)
        [row] = session.outbox_list()
        changed = {k: v for k, v in {**row.payload, **payload}.items() if v is not None}
        await session.account.cache.write(
            partial(rows.update, outbox_id=outbox_id, payload=changed)
        )
    finally:
        await session.close()
    return outbox_id


@pytest.mark.asyncio
async def test_after_a_restart_a_delay_stretched_by_a_clock_set_back_is_capped_at_its_own(
    tmp_path: Path, sandbox: ServerThread
) -> None:
    data = tmp_path / "client"
    later_ms = int(time.time() * 1000) + HOURS_2 * 1000  # the clock was set back while closed
    await stored_hold(data, sandbox, {"subject": "Rouvert", "hold_until": later_ms, "hold_s": 10})
    session = await AccountSession.open(data, sandbox.base_url, ALICE.login, ALICE.password)
    try:
        [row] = session.outbox_list()
        left = session.hold_left(row)
        assert left is not None
        assert 0 < left <= HOLD_S  # still cancellable, not for two hours
        session.start()
        await until(lambda: [r.state for r in session.outbox_list()] == ["sent"], timeout=30)
        assert await bob_received(sandbox, "Rouvert") == 1
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_after_a_restart_an_older_row_without_its_delay_is_capped_at_the_longest_one(
    tmp_path: Path, sandbox: ServerThread
) -> None:
    data = tmp_path / "client"
    later_ms = int(time.time() * 1000) + HOURS_2 * 1000
    payload = {"subject": "Ancien", "hold_until": later_ms, "hold_s": None}
    await stored_hold(data, sandbox, payload)
    session = await AccountSession.open(data, sandbox.base_url, ALICE.login, ALICE.password)
    try:
        [row] = session.outbox_list()
        assert row.hold_s is None
        left = session.hold_left(row)
        assert left is not None
        assert HOLD_S < left <= MAX_HOLD_S
        await session.reopen_unsent(row.id)  # "Annuler": nothing goes
        assert session.outbox_list() == []
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_after_a_restart_a_delay_already_over_sends_at_once(
    tmp_path: Path, sandbox: ServerThread
) -> None:
    data = tmp_path / "client"
    earlier_ms = int(time.time() * 1000) - 1000
    await stored_hold(data, sandbox, {"subject": "Échu", "hold_until": earlier_ms, "hold_s": 10})
    session = await AccountSession.open(data, sandbox.base_url, ALICE.login, ALICE.password)
    try:
        [row] = session.outbox_list()
        assert session.hold_left(row) is None
        assert await session.outbox.send_pending() == 1
        assert await bob_received(sandbox, "Échu") == 1
    finally:
        await session.close()
