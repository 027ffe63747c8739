"""Documents kept for offline use before anyone opens them (DESIGN §2.4: offline means offline).

After each sync pass, and while the first one writes its pages, the documents of the last
`days` days are downloaded newest first into the encrypted cache, the way opening one stores it
(Attachments.keep_offline), until the size budget is full. The plan is made from the cache each
time: the newest documents that fit in the budget, those already there included; what the cache
holds outside the plan (older, or opened long ago) is let go, least recently used first, to make
room for the plan, and nothing in the plan is ever evicted for another of it — so a budget too
small for the month keeps the newest, and two passes never undo each other.

A few downloads at a time, each written by the cache's one writer; during a sync, they begin once
its pass and its patients are done (SyncEngine.sync_all): the list needs those first. Offline,
the pass ends with NotAvailableOffline and the next sync pass (when the server answers again)
resumes where the cache stands; a closed session cancels the task that runs it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import partial

from app import logs
from app.attachments import Attachments, NotAvailableOffline
from app.errors import CoreError
from app.remote.http import TlsFailure
from app.store import attachments as store
from app.store.attachments import Candidate
from app.store.db import DiskError

log = logs.get("sync.prefetch")

DEFAULT_DAYS = 30
CONCURRENCY = 6  # after the patients, nothing else of the sync shares the connections
DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class Plan:
    """The documents to keep offline (newest first) and those of them still to download."""

    keep: tuple[Candidate, ...]
    missing: tuple[Candidate, ...]

    @property
    def missing_bytes(self) -> int:
        return sum(c.size for c in self.missing)


def plan(candidates: list[Candidate], budget_bytes: int) -> Plan:
    """Newest first, each document that still fits in the budget (one too large is skipped, the
    older ones that fit still come)."""
    keep: list[Candidate] = []
    total = 0
    for c in candidates:
        size = c.cached if c.cached is not None else c.size
        if total + size <= budget_bytes:
            keep.append(c)
            total += size
    return Plan(tuple(keep), tuple(c for c in keep if c.cached is None))


def window_start(days: int, now_ms: int | None = None) -> int:
    """When the documents kept offline begin (ms): `days` days before now."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    return now - days * DAY_MS


async def prefetch(documents: Attachments, days: int, now_ms: int | None = None) -> int:
    """One pass: the plan's missing documents downloaded; returns how many were stored.
    NotAvailableOffline (or TlsFailure) when the server stops answering: the pass ends there."""
    since = window_start(days, now_ms)
    cache, budget = documents.cache, documents.budget_bytes
    candidates = await cache.write(partial(store.offline_candidates, since_ms=since))
    chosen = plan(candidates, budget)
    if not chosen.missing:
        return 0
    keep = frozenset(c.blob_id for c in chosen.keep)
    # Room for what comes, taken from what is not in the plan (least recently used first).
    await cache.write(
        partial(store.evict_to_budget, budget_bytes=budget - chosen.missing_bytes, keep=keep)
    )
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(c: Candidate) -> bool:
        async with gate:
            try:
                await documents.keep_offline(c.blob_id, c.name or "", c.type, c.size, c.received_ms)
            except (NotAvailableOffline, TlsFailure, DiskError):
                raise  # the next ones would fail the same way: the pass ends here
            except CoreError as e:  # this one refused or broken: the others still come
                log.info("document not kept offline (%s)", type(e).__name__)
                return False
            return True

    tasks = [asyncio.ensure_future(one(c)) for c in chosen.missing]
    try:
        stored = sum(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    # A server that gave sizes smaller than the documents: the plan still wins over the rest.
    await cache.write(partial(store.evict_to_budget, budget_bytes=budget, keep=keep))
    log.info("%d documents kept for offline use", stored)
    return stored
