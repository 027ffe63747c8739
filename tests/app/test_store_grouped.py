"""Writes grouped while the cache's writer is busy (app/store/grouped.py): each caller returns
once its item is committed, the items that came meanwhile share one transaction, a failed group
fails its own callers only, and a caller that gives up does not take its item back."""

from __future__ import annotations

import asyncio
import threading

import pytest

from app.store.db import Cache, Connection
from app.store.grouped import GroupedWrites

TABLE = "CREATE TABLE IF NOT EXISTS grouped_test (item INTEGER PRIMARY KEY, txn INTEGER)"


class Recorder:
    """Writes items into a test table, numbering the transactions; fails on a chosen item."""

    def __init__(self, cache: Cache, fail_on: int | None = None) -> None:
        cache.write_blocking(lambda c: c.execute(TABLE))
        self.transactions: list[list[int]] = []
        self.fail_on = fail_on

    def write(self, conn: Connection, items: list[int]) -> None:
        number = len(self.transactions)
        self.transactions.append(list(items))
        conn.executemany(
            "INSERT INTO grouped_test (item, txn) VALUES (?, ?)", [(i, number) for i in items]
        )
        if self.fail_on in items:
            raise ValueError("refused")


def stored(cache: Cache) -> dict[int, int]:
    with cache.read() as conn:
        return dict(conn.execute("SELECT item, txn FROM grouped_test").fetchall())


async def _writer_held(cache: Cache) -> tuple[threading.Event, asyncio.Future[None]]:
    """The writer busy with another transaction until the event is set."""
    release, started = threading.Event(), threading.Event()

    def hold(_conn: Connection) -> None:
        started.set()
        release.wait(10)

    holding = asyncio.ensure_future(cache.write(hold))
    await asyncio.to_thread(started.wait, 10)
    return release, holding


@pytest.mark.asyncio
async def test_items_added_while_the_writer_is_busy_share_transactions_of_at_most_most(
    cache: Cache,
) -> None:
    recorder = Recorder(cache)
    grouped = GroupedWrites(cache, recorder.write, most=4)
    release, holding = await _writer_held(cache)
    adding = [asyncio.ensure_future(grouped.add(i)) for i in range(10)]
    await asyncio.sleep(0.05)
    assert not any(a.done() for a in adding)  # nothing returns before its commit
    release.set()
    await holding
    await asyncio.gather(*adding)
    assert [len(t) for t in recorder.transactions] == [4, 4, 2]
    assert sorted(stored(cache)) == list(range(10))


@pytest.mark.asyncio
async def test_each_caller_returns_with_its_item_committed_and_readable(cache: Cache) -> None:
    recorder = Recorder(cache)
    grouped = GroupedWrites(cache, recorder.write)

    async def add_then_read(item: int) -> bool:
        await grouped.add(item)
        return item in stored(cache)

    assert all(await asyncio.gather(*(add_then_read(i) for i in range(20))))


@pytest.mark.asyncio
async def test_a_failed_transaction_fails_its_own_callers_and_the_next_group_goes(
    cache: Cache,
) -> None:
    recorder = Recorder(cache, fail_on=4)
    grouped = GroupedWrites(cache, recorder.write, most=3)
    release, holding = await _writer_held(cache)
    adding = [asyncio.ensure_future(grouped.add(i)) for i in range(7)]
    await asyncio.sleep(0)
    release.set()
    await holding
    results = await asyncio.gather(*adding, return_exceptions=True)
    # Groups [0, 1, 2], [3, 4, 5] (rolled back), [6].
    failed = [i for i, r in enumerate(results) if isinstance(r, ValueError)]
    assert failed == [3, 4, 5]
    assert all(r is None for i, r in enumerate(results) if i not in failed)
    assert sorted(stored(cache)) == [0, 1, 2, 6]


@pytest.mark.asyncio
async def test_a_caller_cancelled_while_waiting_leaves_its_item_to_be_stored(cache: Cache) -> None:
    recorder = Recorder(cache)
    grouped = GroupedWrites(cache, recorder.write)
    release, holding = await _writer_held(cache)
    first = asyncio.ensure_future(grouped.add(1))
    second = asyncio.ensure_future(grouped.add(2))
    await asyncio.sleep(0)
    second.cancel()
    release.set()
    await holding
    await first
    with pytest.raises(asyncio.CancelledError):
        await second
    await grouped.add(3)  # after the group with 2 in it
    assert sorted(stored(cache)) == [1, 2, 3]
