"""The patient of each received message, read from its IHE_XDM.ZIP (DESIGN §2.5) after the
message itself is in the cache: the list shows the patient, filters and search find it.

Packages are small (a few KB); they are fetched a few at a time, parsed in a thread, and a broken
one is not asked for again during this run (the message stays readable as plain mail)."""

from __future__ import annotations

import asyncio
from functools import partial

from app import logs
from app.errors import CoreError
from app.events import EventBus, MailChanged
from app.message.patient import XDM_FILE_NAME
from app.message.xdm import XdmError, parse_xdm
from app.remote.http import ServerUnreachable
from app.remote.jmap import JmapClient
from app.store import mail
from app.store.db import Cache
from app.store.records import PatientRef

log = logs.get("sync.patients")

MAX_XDM_BYTES = 20 * 1024 * 1024
CONCURRENCY = 6


async def read_patients(
    cache: Cache, jmap: JmapClient, bus: EventBus, skip: set[str], batch: int = 200
) -> int:
    """Fills in the patients the cache lacks; returns how many emails got one. `skip` collects
    the emails whose package could not be read (kept across calls by the caller)."""
    found = 0
    while True:
        todo = [
            row
            for row in await cache.write(partial(mail.emails_missing_patient, limit=batch))
            if row[0] not in skip
        ]
        if not todo:
            return found
        gate = asyncio.Semaphore(CONCURRENCY)
        results = await asyncio.gather(*(_one(cache, jmap, gate, *row) for row in todo))
        ids = [row[0] for row in todo]
        updated = [i for i, ok in zip(ids, results, strict=True) if ok]
        skip.update(i for i, ok in zip(ids, results, strict=True) if not ok)
        found += len(updated)
        if updated:
            bus.publish(MailChanged(email_ids=frozenset(updated)))


async def _one(
    cache: Cache, jmap: JmapClient, gate: asyncio.Semaphore, email_id: str, blob_id: str, size: int
) -> bool:
    if size > MAX_XDM_BYTES:
        return False
    async with gate:
        try:
            data = await jmap.download_bytes(
                blob_id, XDM_FILE_NAME, "application/zip", MAX_XDM_BYTES
            )
        except ServerUnreachable:
            raise
        except CoreError as e:
            log.info("package not fetched (%s)", type(e).__name__)
            return False
    try:
        package = await asyncio.to_thread(parse_xdm, data)
    except XdmError as e:
        log.info("package not readable (%s)", type(e).__name__)
        return False
    identity = package.patient
    if identity is None:
        return False
    patient = PatientRef(
        ins=identity.ins,
        oid=identity.oid,
        given=identity.given,
        family=identity.family,
        birth_date=identity.birth_date,
    )
    return await cache.write(partial(mail.set_patient, email_id=email_id, patient=patient))
