"""The trust space's whitelist on this computer (issue 14 §3): fetched from the URL the Session
names (`trustSpaceUrl`), only on the origin the user logged in to, at most daily and then with a
conditional GET (ETag); kept in the encrypted cache, so it is there offline and when the server
is down. A malformed answer never replaces the last good list: it is logged, not shown.

`verdict` is what the composer asks of each recipient: inside, outside, or unknown while no
list was ever received (the composer then lets the message go and says why in a tooltip: a
server without a whitelist must not stop the mail). Patient mailboxes (`@patient.mssante.fr`)
are judged by the list like any other domain.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Callable

import httpx

from app import logs, messages
from app.errors import CoreError
from app.remote.http import get_following
from app.remote.origins import origin_of
from app.store import trust_space as rows
from app.store.db import Cache
from app.sync.reconnect import wait_any
from app.trust.whitelist import WhitelistError, normalize_domain, parse_whitelist

log = logs.get("trust")

REFRESH_S = 24 * 3600.0  # the list is fetched again after a day
RETRY_S = 3600.0  # after a failure (server down, malformed answer), tried again in an hour


class Verdict(enum.Enum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    UNKNOWN = "unknown"  # no list received yet: not checked


class OutsideTrustSpace(CoreError):
    """A message with recipients outside the whitelist: refused before it is queued."""

    message = messages.OUTSIDE_TRUST_SPACE_ANY  # raised with the addresses named


class ForeignWhitelist(CoreError):
    """The whitelist's URL (or a redirect) leaves the origin the user logged in to."""


class TrustSpace:
    def __init__(
        self,
        cache: Callable[[], Cache],
        server_url: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._cache = cache  # the account's cache of the moment (a rebuild replaces it)
        self._origin = origin_of(server_url)
        self._clock = clock
        self._stored: rows.StoredWhitelist | None = None
        self._failed_at: float | None = None
        self.wake = asyncio.Event()

    def load(self) -> None:
        """The list kept in the cache (at opening, online or not)."""
        with self._cache().read() as conn:
            self._stored = rows.load(conn)

    @property
    def received(self) -> bool:
        return self._stored is not None

    def verdict(self, address: str) -> Verdict:
        if self._stored is None:
            return Verdict.UNKNOWN
        domain = normalize_domain(address.rpartition("@")[2])
        return Verdict.INSIDE if domain in self._stored.domains else Verdict.OUTSIDE

    def outside(self, addresses: list[str]) -> list[str]:
        """Those of `addresses` outside the trust space (none while no list was received)."""
        return [a for a in addresses if self.verdict(a) is Verdict.OUTSIDE]

    def check(self, addresses: list[str]) -> None:
        """OutsideTrustSpace naming those of `addresses` outside the list. While no list was
        ever received nothing is refused (Verdict.UNKNOWN): a server that publishes none must
        not stop the mail — the composer lets such a message go too. Patient mailboxes
        (`@patient.mssante.fr`) are judged by the list like any domain, as in the composer."""
        outside = self.outside(addresses)
        if outside:
            raise OutsideTrustSpace(
                f"{len(outside)} recipient(s) outside the trust space",
                messages.OUTSIDE_TRUST_SPACE.fill(addresses=", ".join(outside)),
            )

    def due(self) -> bool:
        """Whether a fetch is due now: never fetched, a day old, or an hour after a failure. The
        fetch time is kept in the cache, so it is a wall-clock time: one in the future means the
        clock was set back, and the list is fetched again rather than kept until that date."""
        now = self._clock()
        if self._failed_at is not None and 0 <= now - self._failed_at < RETRY_S:
            return False
        return self._stored is None or not 0 <= now - self._stored.fetched_at < REFRESH_S

    async def refresh(self, client: httpx.AsyncClient, url: str | None) -> bool:
        """Fetches the list from `url` when due; True when the kept list changed. Any failure
        keeps the last good list (and is retried later)."""
        if url is None or not self.due():
            return False
        try:
            return await self._fetch(client, url)
        except (CoreError, WhitelistError, httpx.HTTPError) as exc:
            self._failed_at = self._clock()
            log.warning("trust space list not updated (%s): the last good one is kept", exc)
            return False

    async def _fetch(self, client: httpx.AsyncClient, url: str) -> bool:
        headers = {"Accept": "application/xml"}
        if self._stored is not None and self._stored.etag:
            headers["If-None-Match"] = self._stored.etag
        response = await get_following(
            client, url, self._same_origin, headers=headers, attempts=2, without_auth=True
        )
        now = self._clock()
        if response.status_code == 304 and self._stored is not None:
            await self._keep(rows.StoredWhitelist(self._stored.domains, self._stored.etag, now))
            return False
        if response.status_code != 200:
            raise WhitelistError(f"HTTP {response.status_code}")
        domains = await asyncio.to_thread(parse_whitelist, response.content)
        changed = self._stored is None or domains != self._stored.domains
        await self._keep(rows.StoredWhitelist(domains, response.headers.get("etag"), now))
        log.info("trust space list received: %d domains", len(domains))
        return changed

    def _same_origin(self, url: str) -> None:
        if origin_of(url) != self._origin:
            raise ForeignWhitelist("trust space list outside the login origin: not fetched")

    async def _keep(self, stored: rows.StoredWhitelist) -> None:
        await self._cache().write(lambda conn: rows.save(conn, stored))
        self._stored = stored
        self._failed_at = None

    def back_online(self) -> None:
        """The server answers again: a fetch that failed is tried now, not in an hour."""
        self._failed_at = None
        self.wake.set()

    async def run(
        self,
        stop: asyncio.Event,
        client: Callable[[], httpx.AsyncClient | None],
        url: Callable[[], str | None],
    ) -> None:
        """Refreshes when due (and when woken: back online) until `stop`."""
        while not stop.is_set():
            self.wake.clear()
            http = client()
            if http is not None:
                await self.refresh(http, url())
            await wait_any(stop, self.wake, RETRY_S)


__all__ = ["REFRESH_S", "RETRY_S", "ForeignWhitelist", "OutsideTrustSpace", "TrustSpace", "Verdict"]
