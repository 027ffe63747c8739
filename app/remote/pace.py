"""A floor under a transfer's average rate (issue 17 §1).

The read and write timeouts only bound the wait for each byte: a link that drips one byte every
few seconds never trips them, and a download or an upload would then last for ever. A transfer
must instead average at least `min_rate` bytes per second once `grace` seconds have passed (the
connection set up, a slow start): its deadline is `grace + size / min_rate` from its start, the size
being the one announced when known, else what has arrived so far plus a chunk (so that the deadline
moves only as bytes come). Past it, the transfer ends with TransferTooSlow (a NetworkError: the
caller waits and tries again as when offline) and says so in French.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from app import logs
from app.remote.jmap import TransferTooSlow

log = logs.get("pace")

CHUNK = 256 * 1024
__all__ = ["DEFAULT_PACE", "Meter", "Pace", "TransferTooSlow", "paced"]


@dataclass(frozen=True)
class Pace:
    """4 KB/s is a very poor link still doing its work (a 20 MB document in 85 minutes); below
    it, giving up and trying later frees the connection and tells the user why."""

    min_rate: float = 4096.0  # bytes per second, on average since the start
    grace: float = 30.0  # seconds before the average counts

    def seconds_for(self, size: int) -> float:
        return self.grace + size / self.min_rate


DEFAULT_PACE = Pace()


class Meter:
    """Counts a transfer's bytes and moves its deadline (`paced` gives one)."""

    def __init__(self, pace: Pace, started: float, timer: asyncio.Timeout, size: int) -> None:
        self._pace = pace
        self._started = started
        self._timer = timer
        self._size = size
        self.done = 0
        self._move()

    def expect(self, size: int) -> None:
        """The size, once the server announces it (0: still unknown)."""
        self._size = size
        self._move()

    def count(self, n: int) -> None:
        self.done += n
        if self._size <= 0:
            self._move()

    def _move(self) -> None:
        size = self._size if self._size > 0 else self.done + CHUNK
        self._timer.reschedule(self._started + self._pace.seconds_for(size))


@contextlib.asynccontextmanager
async def paced(pace: Pace, size: int = 0) -> AsyncIterator[Meter]:
    """The transfer inside, bounded by `pace`; TransferTooSlow when it falls below it."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    meter: Meter | None = None
    try:
        async with asyncio.timeout(None) as timer:
            meter = Meter(pace, started, timer, size)
            yield meter
    except TimeoutError:
        done = meter.done if meter is not None else 0
        log.info(
            "transfer below %.0f B/s: ended after %.0f s, %d bytes",
            pace.min_rate,
            loop.time() - started,
            done,
        )
        raise TransferTooSlow("transfer below the minimum rate") from None
