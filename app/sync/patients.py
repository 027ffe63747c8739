"""The patient of each received message, read from its IHE_XDM.ZIP (DESIGN §2.5) after the
message itself is in the cache: the list shows the patient, filters and search find it.

Packages are fetched a few at a time, parsed in a thread, and a broken one is not asked for again
during this run (the message stays readable as plain mail). Their senders choose what they weigh,
so memory is bounded per sync, not per package: every package reserves its size in one byte
budget before it is downloaded and keeps it until it is parsed (six 20 MB packages cannot add up),
only METADATA.XML is decompressed (`parse_xdm`), and one package is parsed at a time — the parse
is Python code under the GIL, so a second thread would add memory, not speed. What a sync holds
for packages is thus at most MEMORY_BUDGET plus one parse, itself bounded by the XML limits of
app.message.xdm (about 90 MB for the worst METADATA.XML they let through).

A package goes through the documents' cache (Attachments.read_small) when the sync keeps
documents: the prefetch wants the same packages (those of the last days), so each is downloaded
once — taken from the cache, or awaited when the prefetch is fetching it, or fetched here and kept
for the prefetch (a recent one only: an older one is read and dropped, the cache is not filled
with packages nobody asked to keep). Which of a batch the cache has is asked once for the batch,
and the packages kept are stored together (app/store/grouped.py); a package waiting for the
writer, busy with the sync's pages, holds its memory but not its place among the downloads.

The patients found in a batch are written in one transaction of the cache's writer: one write per
package made the writer the bottleneck of a first sync (over a thousand transactions, each
re-indexing its email), and the sync engine runs this beside its own pages (SyncEngine.sync_all)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

from app import logs
from app.attachments import Attachments
from app.errors import CoreError
from app.events import EventBus, MailChanged
from app.message.patient import XDM_FILE_NAME
from app.message.xdm import XdmError, parse_xdm
from app.remote.http import ServerUnreachable
from app.remote.jmap import JmapClient
from app.store import mail
from app.store.db import Cache
from app.store.records import PatientRef
from app.sync.budget import ByteBudget

log = logs.get("sync.patients")

XDM_TYPE = "application/zip"
MAX_XDM_BYTES = 20 * 1024 * 1024
MEMORY_BUDGET = 2 * MAX_XDM_BYTES  # package bytes held at once by one sync
# Package downloads in flight (not those waiting for the cache's writer: see `read_small`'s gate).
# The client's own work per download is the limit now that the connections acknowledge at once
# (app/remote/http_closing.py): 6, 8 and 12 gave the same first sync of Cyrus's 10,000 messages
# within the noise, 4 a slower one. With the first sync's 3 pages, 11 of the HTTP client's 16
# connections; memory stays bound by MEMORY_BUDGET whatever their number.
CONCURRENCY = 8
# Over the size the server gives for the part: room for a server that rounds it. More than that
# and the download stops (the reservation would no longer hold what the download does).
SIZE_MARGIN = 64 * 1024


async def read_patients(
    cache: Cache,
    jmap: JmapClient,
    bus: EventBus,
    skip: set[str],
    batch: int = 200,
    budget: ByteBudget | None = None,
    documents: Attachments | None = None,
    keep_since_ms: int | None = None,
) -> int:
    """Fills in the patients the cache lacks; returns how many emails got one. `skip` collects
    the emails whose package could not be read (kept across calls by the caller). With
    `documents`, packages come through its cache, and those of messages received since
    `keep_since_ms` stay there."""
    found = 0
    budget = budget or ByteBudget(MEMORY_BUDGET)
    gate = asyncio.Semaphore(CONCURRENCY)
    parsing = asyncio.Lock()
    while True:
        todo = [
            row
            # Past the ones skipped (broken packages stay without a patient): a batch of others.
            for row in await cache.write(
                partial(mail.emails_missing_patient, limit=batch + len(skip))
            )
            if row[0] not in skip
        ]
        if not todo:
            return found
        # Asked for them all at once: those the cache lacks are not looked for one by one.
        cached = (
            await asyncio.to_thread(documents.available, [row[1] for row in todo])
            if documents is not None
            else set()
        )
        fetch = partial(_fetch, jmap, documents, keep_since_ms, gate, cached)
        results = await asyncio.gather(*(_one(fetch, budget, parsing, *row) for row in todo))
        ids = [row[0] for row in todo]
        skip.update(i for i, patient in zip(ids, results, strict=True) if patient is None)
        found_here = {i: p for i, p in zip(ids, results, strict=True) if p is not None}
        updated = (
            await cache.write(partial(mail.set_patients, patients=found_here)) if found_here else []
        )
        found += len(updated)
        if updated:
            bus.publish(MailChanged(email_ids=frozenset(updated)))


async def _fetch(
    jmap: JmapClient,
    documents: Attachments | None,
    keep_since_ms: int | None,
    gate: asyncio.Semaphore,
    cached: set[str],
    blob_id: str,
    received_ms: int,
    limit: int,
) -> bytes:
    """A package's bytes (at most `limit`): through the documents' cache when there is one
    (`cached`: those it had when the batch began)."""
    if documents is None:
        async with gate:
            return await jmap.download_bytes(blob_id, XDM_FILE_NAME, XDM_TYPE, limit)
    recent = keep_since_ms is not None and received_ms >= keep_since_ms
    keep_at = received_ms if recent else None
    return await documents.read_small(
        blob_id, XDM_FILE_NAME, XDM_TYPE, limit, keep_at, cached=blob_id in cached, gate=gate
    )


async def _one(
    fetch: Callable[[str, int, int], Awaitable[bytes]],
    budget: ByteBudget,
    parsing: asyncio.Lock,
    email_id: str,
    blob_id: str,
    size: int,
    received_ms: int,
) -> PatientRef | None:
    """The patient of one package; None when it has none or cannot be read."""
    if size > MAX_XDM_BYTES:
        return None
    limit = min(max(size, 0) + SIZE_MARGIN, MAX_XDM_BYTES)
    async with budget.hold(limit):
        try:
            data = await fetch(blob_id, received_ms, limit)
        except ServerUnreachable:
            raise
        except CoreError as e:
            log.info("package not fetched (%s)", type(e).__name__)
            return None
        try:
            async with parsing:
                package = await asyncio.to_thread(parse_xdm, data)
        except XdmError as e:
            log.info("package not readable (%s)", type(e).__name__)
            return None
        del data  # what the reservation covered: not held past it
    identity = package.patient
    if identity is None:
        return None
    return PatientRef(
        ins=identity.ins,
        oid=identity.oid,
        given=identity.given,
        family=identity.family,
        birth_date=identity.birth_date,
    )
