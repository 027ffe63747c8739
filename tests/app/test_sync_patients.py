"""Patients from IHE_XDM.ZIP packages within one memory budget per sync: packages that unpack to
hundreds of megabytes are read without decompressing their documents, the bytes in flight are
shared out by one byte budget, and one package is parsed at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import random
import threading
import tracemalloc
from collections.abc import Iterator

import pytest

from app.events import EventBus
from app.message.patient import INS_NIR_TEST_OID, PatientIdentity
from app.message.xdm import XdmPackage, XdmSource, write_xdm
from app.remote.jmap import JmapClient
from app.store import mail
from app.store.db import Cache
from app.sync import patients
from app.sync.budget import ByteBudget
from app.sync.engine import SyncEngine
from server.testing import ServerThread
from tests.app.jmap_helpers import drafts_mailbox, jmap_client
from tests.app.test_sync_engine import GP
from tests.server.conftest import ALICE, BOB

PATIENT = PatientIdentity(
    ins="260057512345684",
    oid=INS_NIR_TEST_OID,
    given="Marie",
    family="DUPONT",
    birth_date=dt.date(1960, 2, 1),
    sex="female",
)
MB = 1024 * 1024


def bomb(size: int) -> bytes:
    """A real package whose one document is `size` zero bytes: ~1/1000 of that once zipped."""

    def chunks() -> Iterator[bytes]:
        block = bytes(MB)
        for start in range(0, size, MB):
            yield block[: min(MB, size - start)]

    source = XdmSource("zeros.txt", "text/plain", "11488-4", "", "Zéros", size, chunks)
    buffer = io.BytesIO()
    write_xdm(buffer, PATIENT, [source], "Dr Bob Durand", BOB.email, dt.datetime.now(dt.UTC))
    return buffer.getvalue()


async def send_package(bob: JmapClient, subject: str, package: bytes) -> None:
    """Bob sends Alice a message carrying `package` as its IHE_XDM.ZIP."""
    blob = await bob.upload(package, "application/zip")
    account = (await bob.session()).account_id
    identity = (await bob.get_all("Identity", None))[0]["id"]
    draft = {
        "mailboxIds": {await drafts_mailbox(bob): True},
        "from": [{"email": BOB.email}],
        "to": [{"email": ALICE.email}],
        "subject": subject,
        "textBody": [{"partId": "1", "type": "text/plain"}],
        "bodyValues": {"1": {"value": "Les documents de la patiente."}},
        "attachments": [
            {
                "blobId": blob.blob_id,
                "name": "IHE_XDM.ZIP",
                "type": "application/zip",
                "disposition": "attachment",
            }
        ],
    }
    await bob.call(
        [
            ("Email/set", {"accountId": account, "create": {"m": draft}}, "e"),
            (
                "EmailSubmission/set",
                {"accountId": account, "create": {"s": {"emailId": "#m", "identityId": identity}}},
                "s",
            ),
        ]
    )


# --- The budget ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_holders_never_exceed_the_budget_and_an_oversized_one_runs_alone() -> None:
    budget = ByteBudget(100)
    held: list[int] = []
    most = 0

    async def task(size: int) -> None:
        nonlocal most
        async with budget.hold(size):
            held.append(min(size, 100))
            most = max(most, sum(held))
            await asyncio.sleep(0)
            held.remove(min(size, 100))

    rng = random.Random(7)
    sizes = [rng.randint(0, 60) for _ in range(200)] + [250, 100]
    rng.shuffle(sizes)
    await asyncio.gather(*(task(s) for s in sizes))
    assert most == budget.peak
    assert 60 < budget.peak <= 100
    assert budget.held == 0


@pytest.mark.asyncio
async def test_a_waiter_cancelled_takes_nothing_and_the_next_goes() -> None:
    budget = ByteBudget(10)
    async with budget.hold(8):
        waiting = asyncio.create_task(_hold_briefly(budget, 5))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert budget.held == 8
        await asyncio.wait_for(_hold_briefly(budget, 2), 1)
    assert budget.held == 0


async def _hold_briefly(budget: ByteBudget, size: int) -> None:
    async with budget.hold(size):
        await asyncio.sleep(0)


# --- Reading patients -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_bomb_packages_give_their_patient_within_one_budget_one_parse_at_a_time(
    server: ServerThread, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six packages of ~70 KB that unpack to 64 MB each: the old code held each document twice
    (six at a time); now no document is decompressed, at most two packages' bytes are in flight
    under a budget sized for two, and the parses take turns."""
    package = bomb(64 * MB)
    assert len(package) < 100_000
    parsing = 0
    most_parsing = 0
    lock = threading.Lock()
    real_parse = patients.parse_xdm

    def counted_parse(data: bytes) -> XdmPackage:
        nonlocal parsing, most_parsing
        with lock:
            parsing += 1
            most_parsing = max(most_parsing, parsing)
        try:
            return real_parse(data)
        finally:
            with lock:
                parsing -= 1

    monkeypatch.setattr(patients, "parse_xdm", counted_parse)
    async with jmap_client(server, BOB) as bob, jmap_client(server, ALICE) as alice:
        for n in range(6):
            await send_package(bob, f"Bilan {n}", package)
        engine = SyncEngine(cache, alice)
        await engine.sync_once()
        weight = len(package) + patients.SIZE_MARGIN
        budget = ByteBudget(2 * weight + 1)
        tracemalloc.start()
        try:
            found = await patients.read_patients(cache, alice, EventBus(), set(), budget=budget)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert found == 6
    with cache.read() as conn:
        assert mail.emails_missing_patient(conn) == []
    assert weight <= budget.peak <= 2 * weight
    assert most_parsing == 1
    assert peak < 16 * MB  # the old code: 128 MB per package, several at once


@pytest.mark.asyncio
async def test_packages_skipped_before_do_not_hide_the_older_ones(
    demo_server: ServerThread, cache: Cache
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        with cache.read() as conn:
            waiting = mail.emails_missing_patient(conn, limit=10_000)
        assert len(waiting) > 2
        skip = {waiting[0][0], waiting[1][0]}  # the newest: unreadable in an earlier pass
        found = await patients.read_patients(cache, client, EventBus(), skip, batch=2)
    assert found == len(waiting) - 2
