"""Favorites that follow the user from one computer to another (issue 13 §5).

Starring or unstarring a correspondent is written here first (app/store/contacts.py, in the
unsent file: it works offline and survives a rebuilt cache), then a sync sends what changed
since the last one and takes the server's merged list back. The merge is per address and the
latest gesture wins (`changed_at`, with removals kept as traces), so an entry removed on one
computer and never touched on another stays removed, and one changed on both while offline ends
as the later change made it. A server without the service (no regional API, or an older one that
answers 404) leaves the favorites local, as they always were.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from app import logs
from app.errors import CoreError
from app.events import ConnectionChanged, EventBus, FavoritesChanged
from app.regional.service import Connect, RegionalService
from app.store import contacts
from app.store.db import Cache
from app.sync.reconnect import wait_any

log = logs.get("regional.favorites")

POLL_S = 300.0  # how often another computer's changes are looked for, besides the triggers


class FavoritesSync(RegionalService):
    def __init__(
        self,
        cache: Callable[[], Cache],
        bus: EventBus,
        connect: Connect,
        online: Callable[[], bool],
    ) -> None:
        super().__init__(connect, online)
        self._cache = cache  # the account's cache of the moment (a rebuild replaces it)
        self.bus = bus
        self.wake = asyncio.Event()  # a sync now: a change here, back online, F5
        self._lock = asyncio.Lock()  # one sync at a time: each answers the changes it sent

    async def sync(self) -> bool:
        """Sends this computer's changes and takes the merged list; True when the favorites
        shown changed (FavoritesChanged is published then). Errors propagate (RegionalOffline,
        RegionalError…): the changes stay to be sent at the next sync."""
        async with self._lock:
            client = await self.client()
            cache = self._cache()
            changes = await cache.write(contacts.favorite_changes)
            if changes:
                merged = await client.send_favorite_changes(changes)
            else:
                merged = await client.favorites()
            sent = {change.address: change.changed_at for change in changes}
            changed = await cache.write(partial(contacts.merge_favorites, server=merged, sent=sent))
            self.loaded()
        log.info("favorites synced: %d sent, %d on the server", len(changes), len(merged))
        if changed:
            self.bus.publish(FavoritesChanged())
        return changed

    async def sync_quietly(self) -> bool:
        """A sync in the background: a failure is logged and the changes wait for the next."""
        try:
            return await self.sync()
        except CoreError as e:
            log.info("favorites not synced (%s)", type(e).__name__)
            return False

    def back_online(self, event: ConnectionChanged) -> None:
        """What changed here while offline goes as soon as the server answers again."""
        if event.online:
            self.wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Syncs when woken (a change here, back online, F5) and every POLL_S, so that the
        changes made on other computers come here too, until `stop`."""
        while not stop.is_set():
            self.wake.clear()
            if self.online:
                await self.sync_quietly()
            await wait_any(stop, self.wake, POLL_S)


__all__ = ["POLL_S", "FavoritesSync"]
