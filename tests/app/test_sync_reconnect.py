"""The reconnection schedule: short first, longer after each failed try up to its maximum, and
cut short when the server answers another request (or the user asks)."""

from __future__ import annotations

import asyncio

import pytest

from app.remote.push import Backoff
from app.sync.reconnect import Reconnection


@pytest.mark.asyncio
async def test_an_answer_of_the_server_ends_a_long_wait() -> None:
    retry = Reconnection(first=600, maximum=600)
    stop = asyncio.Event()
    waiting = asyncio.create_task(retry.wait(stop))
    while not retry.waiting:
        await asyncio.sleep(0)
    retry.answered()
    await asyncio.wait_for(waiting, timeout=5)
    assert not retry.waiting


@pytest.mark.asyncio
async def test_a_wake_up_with_no_wait_is_not_kept_for_the_next_one() -> None:
    retry = Reconnection(first=600, maximum=600)
    retry.try_now()  # nobody waits: nothing to end
    stop = asyncio.Event()
    waiting = asyncio.create_task(retry.wait(stop))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    stop.set()
    await asyncio.wait_for(waiting, timeout=5)


def test_delays_grow_from_the_first_to_the_maximum_and_an_answer_starts_them_again() -> None:
    backoff = Backoff(1.0, 30.0)
    delays = [backoff.next_delay() for _ in range(8)]
    assert 0.5 <= delays[0] <= 1.0
    assert all(d <= 30.0 for d in delays)
    assert delays[-1] >= 15.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0
