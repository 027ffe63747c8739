"""The fault matrix's parts (issue 17 §1): one sandbox per test module with alice's mail, a
fault proxy in front of it, alice's session through the proxy with deadlines of seconds, and the
bounded try and the convergence check every case ends with."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import pytest_asyncio

import app.session
from app.errors import CoreError
from app.remote.http import make_http_client
from app.session import AccountSession
from app.store.records import AttachmentRecord
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.sync_helpers import assert_cache_equals_server
from tests.faults.proxy import Fault, FaultProxy, Rule
from tests.server.conftest import ALICE, BOB, start_sandbox

T = TypeVar("T")
MB = 1024 * 1024
HANG = 60.0  # only catches a hang: every faulted try ends long before
# Short deadlines so that a stalled connection ends within seconds (the app's are a minute).
QUICK = httpx.Timeout(connect=5.0, read=4.0, write=4.0, pool=5.0)
DOCUMENT = (b"%PDF-1.4\n" + bytes(range(256)) * 1200).ljust(300_000, b"\n")
KINDS = ["cut", "reset", "stall", "drip", "truncate", "silence"]
_serial = itertools.count()


def fault(kind: str, after_bytes: int, direction: str = "down") -> Fault:
    if kind in ("truncate", "silence"):
        direction = "down"
    if kind == "drip":  # slow, then normal: a slow link is no failure
        return Fault("drip", direction, after_bytes, drip_bytes=1024, drip_limit=48 * 1024)  # type: ignore[arg-type]
    return Fault(kind, direction, after_bytes)  # type: ignore[arg-type]


def deliver(server: ServerThread, subject: str, document: bytes | None = None) -> str:
    """A message to alice, as an incoming mail server delivers it; its Message-ID."""
    account = server.sandbox.accounts.by_login(ALICE.login)
    assert account is not None
    message_id = f"fault-{next(_serial)}@sisra-demo.mssante.fr"
    msg = EmailMessage()
    msg["From"] = BOB.email
    msg["To"] = ALICE.email
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}>"
    msg.set_content("Compte rendu : échographie sans anomalie.\n" * 40)
    if document is not None:
        msg.add_attachment(document, maintype="application", subtype="pdf", filename="cr.pdf")
    with server.sandbox.db.write():
        server.sandbox.mail.import_message(
            account.id, msg.as_bytes(), received_at=datetime.now(UTC)
        )
    return message_id


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    """One sandbox for the matrix (each case has its own client, and its own subjects)."""
    thread = start_sandbox(tmp_path_factory.mktemp("fault-sandbox"), (ALICE, BOB))
    for i in range(30):
        deliver(thread, f"Résultat {i}", DOCUMENT if i % 10 == 0 else None)
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def with_document(sandbox: ServerThread) -> str:
    """The Message-ID of a message to alice with DOCUMENT, in this module's sandbox (a global
    would name the one of a module run before on the same worker)."""
    return deliver(sandbox, "Compte rendu avec document", DOCUMENT)


@pytest_asyncio.fixture
async def proxy(sandbox: ServerThread) -> AsyncIterator[FaultProxy]:
    faults = FaultProxy(int(sandbox.base_url.rsplit(":", 1)[1]))
    await faults.start()
    yield faults
    await faults.close()


@pytest_asyncio.fixture
async def session(
    proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AccountSession]:
    """Alice's session through the proxy, with deadlines of seconds, documents not kept ahead
    (a download goes to the server)."""

    def quick_client(**kwargs: Any) -> httpx.AsyncClient:
        return make_http_client(timeout=QUICK, **kwargs)

    monkeypatch.setattr(app.session, "make_http_client", quick_client)
    opened = await AccountSession.open(tmp_path / "client", proxy.url, ALICE.login, ALICE.password)
    await opened.set_documents_budget(0, offline_days=0)
    yield opened
    await opened.close()


async def bounded(work: Awaitable[T]) -> T | CoreError:
    """The try, which must end: its result, or the error it ended with."""
    try:
        return await asyncio.wait_for(work, HANG)
    except CoreError as e:
        return e


async def converged(session: AccountSession, sandbox: ServerThread) -> None:
    async with jmap_client(sandbox, ALICE) as alice:
        await assert_cache_equals_server(session.account.cache, alice)


async def eventually(check: Callable[[], Awaitable[None]]) -> None:
    """`check` passes once the background work has caught up: tried again until it does, its
    assertion raised after HANG seconds."""
    deadline = asyncio.get_running_loop().time() + HANG
    while True:
        try:
            await check()
            return
        except AssertionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(0.2)


async def converges(session: AccountSession, sandbox: ServerThread) -> None:
    """The background sync converges: "online" is said after the mailboxes, while the pass may
    still be writing emails, so the comparison is tried until the pass has ended."""
    await eventually(lambda: converged(session, sandbox))


async def faulted_sync_then_converged(
    proxy: FaultProxy,
    rule: Rule,
    session: AccountSession,
    sandbox: ServerThread,
    failure: type[CoreError] | None,
) -> None:
    """A sync through `rule`'s fault ends, with `failure` (None: it succeeds, a slow link is no
    failure); with the fault lifted, the next sync converges to the server."""
    outcome = await bounded(session.sync_once())
    assert rule.hits == 1
    if failure is None:
        assert not isinstance(outcome, CoreError), outcome
    else:
        assert isinstance(outcome, failure), outcome
    proxy.clear()
    await bounded(session.sync_once())
    await converged(session, sandbox)


async def download_through_fault(
    session: AccountSession, proxy: FaultProxy, part: AttachmentRecord, kind: str, path: str
) -> None:
    """`part` (DOCUMENT, not kept offline) opened through a `kind` fault on the download `path`:
    the try ends (only a slow link gives it at once), and once the fault is lifted the next
    opening gives it whole."""
    assert part.name is not None
    assert part.blob_id not in session.documents_offline([part.blob_id])
    rule = proxy.add(Rule(fault(kind, 100_000), path=path))
    got = await bounded(session.open_document(part.blob_id, part.name, part.type, part.size))
    assert rule.hits == 1
    assert isinstance(got, Path) is (kind == "drip"), got
    if isinstance(got, Path):
        assert got.read_bytes() == DOCUMENT
    proxy.clear()
    opened = await bounded(session.open_document(part.blob_id, part.name, part.type, part.size))
    assert isinstance(opened, Path), opened
    assert opened.read_bytes() == DOCUMENT
