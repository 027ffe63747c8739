"""A token bucket: how many requests a client may send per second, shared by all its callers.

The national Annuaire Santé API allows 17 requests per second per application and answers 429
beyond (DESIGN §2.3). A bucket of `burst` tokens refilled at `rate` per second lets at most
burst + rate requests through in any one second, so 4 + 12 = 16 stays under 17 while a search
and its included pages still start at once.
"""

from __future__ import annotations

import asyncio


class TokenBucket:
    def __init__(self, rate: float = 12.0, burst: int = 4) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._stamp: float | None = None
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Nobody sends for `seconds` (a 429's Retry-After): the bucket empties and waits."""
        now = asyncio.get_running_loop().time()
        self._paused_until = max(self._paused_until, now + seconds)
        self._tokens = 0.0
        self._stamp = self._paused_until

    async def take(self) -> None:
        """Waits until one request may be sent, then counts it. Callers are served in turn."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                if now < self._paused_until:
                    await asyncio.sleep(self._paused_until - now)
                    continue
                if self._stamp is not None:
                    elapsed = max(0.0, now - self._stamp)
                    self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
                self._stamp = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                await asyncio.sleep((1.0 - self._tokens) / self.rate)
