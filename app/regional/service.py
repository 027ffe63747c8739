"""What every regional service shares: the account's regional client, the offline rule, and when
a list read from the server is old enough to read again. The services own their calls; the pages
only show what the services return."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import ClassVar

from app import messages
from app.regional.errors import RegionalError
from app.remote.regional import RegionalClient

Connect = Callable[[], Awaitable[RegionalClient]]


class RegionalOffline(RegionalError):
    """Asked while offline: the regional services live on the server, nothing of them is cached."""

    message = messages.REGIONAL_OFFLINE


class RegionalService:
    # A list read longer ago than this is read again when its page shows.
    stale_after_s: ClassVar[float] = 60.0

    def __init__(
        self,
        connect: Connect,
        online: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._online = online
        self._clock = clock
        self._loaded_at: float | None = None

    @property
    def online(self) -> bool:
        return self._online()

    async def client(self) -> RegionalClient:
        """The client for one call; RegionalOffline at once when offline (no request waits)."""
        if not self._online():
            raise RegionalOffline("offline")
        return await self._connect()

    def loaded(self) -> None:
        """The service's list was just read from the server."""
        self._loaded_at = self._clock()

    def stale(self) -> bool:
        """Never read, or read more than `stale_after_s` ago."""
        return self._loaded_at is None or self._clock() - self._loaded_at > self.stale_after_s


__all__ = ["Connect", "RegionalOffline", "RegionalService"]
