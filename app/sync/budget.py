"""A byte budget shared by concurrent tasks: what several downloads and parses may hold at once.

A semaphore counts tasks, but six hostile packages weigh what their senders decided; each task
here reserves the bytes it will hold and waits until that much is free, so the total in flight
stays under one bound whatever the mix. A reservation larger than the whole budget is cut to it
(that task then runs alone rather than never). Tasks of one event loop only.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class ByteBudget:
    def __init__(self, total: int) -> None:
        if total <= 0:
            raise ValueError("a budget needs at least one byte")
        self.total = total
        self.held = 0
        self.peak = 0  # the most ever held at once
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def hold(self, size: int) -> AsyncIterator[None]:
        """Inside: `size` bytes (0 ≤ size ≤ total) are reserved for the caller."""
        size = min(max(size, 0), self.total)
        async with self._changed:
            await self._changed.wait_for(lambda: self.held + size <= self.total)
            self.held += size
            self.peak = max(self.peak, self.held)
        try:
            yield
        finally:
            async with self._changed:
                self.held -= size
                self._changed.notify_all()
