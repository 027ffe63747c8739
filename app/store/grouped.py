"""Small writes that many tasks make at once, stored together: those that come while the writer
runs one transaction go in the next (group commit), up to a number per transaction.

A first sync keeps over a thousand XDM packages in the cache as it reads their patients, beside
the sync's pages that want the same writer: one transaction each cost more than the packages'
own bytes (a COMMIT and a wake-up of the event loop from the writer thread each), and made each
package wait its turn behind the pages."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from app.store.db import Cache, Connection

Item = TypeVar("Item")


class _Group(Generic[Item]):
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # Read here: no "exception never retrieved" when every waiter was cancelled.
        self.stored.add_done_callback(lambda f: f.cancelled() or f.exception())


class GroupedWrites(Generic[Item]):
    """`await add(item)` returns once `write(conn, items)` stored the item, in one transaction
    with others added meanwhile (at most `most`); its exception if that transaction failed."""

    def __init__(
        self, cache: Cache, write: Callable[[Connection, list[Item]], None], most: int = 64
    ) -> None:
        self._cache = cache
        self._write = write
        self._most = most  # a group of small items holds the writer briefly
        self._groups: deque[_Group[Item]] = deque()
        self._running: asyncio.Task[None] | None = None

    async def add(self, item: Item) -> None:
        if not self._groups or len(self._groups[-1].items) >= self._most:
            self._groups.append(_Group())
        group = self._groups[-1]
        group.items.append(item)
        if self._running is None:
            self._running = asyncio.ensure_future(self._drain())
        # A caller cancelled meanwhile leaves its item to be stored: it is in the group already.
        await asyncio.shield(group.stored)

    async def _drain(self) -> None:
        group: _Group[Item] | None = None
        try:
            while self._groups:
                group = self._groups.popleft()
                try:
                    await self._cache.write(_writing(self._write, group.items))
                except Exception as e:  # its waiters get it; the next group still goes
                    group.stored.set_exception(e)
                else:
                    group.stored.set_result(None)
        except BaseException:  # cancelled (the loop is ending): nobody is left waiting forever
            for waiting in (group, *self._groups):
                if waiting is not None and not waiting.stored.done():
                    waiting.stored.cancel()
            self._groups.clear()
            raise
        finally:
            self._running = None


def _writing(
    write: Callable[[Connection, list[Item]], None], items: list[Item]
) -> Callable[[Connection], None]:
    return lambda conn: write(conn, items)
