"""When to try the server again after it did not answer.

Soon at first (most cuts last a second: a Wi-Fi roaming, a server restarting), then less and less
often up to RETRY_MAX_S, so that a long outage costs the server and the battery little. The wait
ends at once when something says the server is back: any answer it gives to another request (the
account's HTTP client reports each one, the push stream reconnecting included) or the user asking
(F5, "Réessayer maintenant"). The outbox is then sent straight away (app.session)."""

from __future__ import annotations

import asyncio

from app.remote.push import Backoff

RETRY_FIRST_S = 1.0
# Offline, the longest wait between two tries: after a long outage that nothing else noticed,
# mail flows again within this.
RETRY_MAX_S = 30.0


class Reconnection:
    def __init__(self, first: float = RETRY_FIRST_S, maximum: float = RETRY_MAX_S) -> None:
        self._backoff = Backoff(first, maximum)
        self._now = asyncio.Event()
        self.waiting = False

    async def wait(self, stop: asyncio.Event) -> None:
        """After a failed try: the next delay, cut short by `answered`, `try_now` or `stop`."""
        self.waiting = True
        try:
            await wait_any(stop, self._now, self._backoff.next_delay())
        finally:
            self.waiting = False
            self._now.clear()

    def answered(self) -> None:
        """The server answered a request: the delays start short again, and a wait ends now."""
        self._backoff.reset()
        self.try_now()

    def try_now(self) -> None:
        """Ends the current wait, if any (a wake-up for no wait is not kept for the next one)."""
        if self.waiting:
            self._now.set()


async def wait_any(stop: asyncio.Event, wake: asyncio.Event, timeout: float) -> None:
    """Until `stop` or `wake` is set, or `timeout` seconds."""
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
