"""Issue 17 §1 against a real Cyrus: the fault proxy (tests/faults/proxy.py) between the client core
and Cyrus's JMAP, which is plain HTTP on loopback, so the proxy matches request lines as the
sandbox matrix does — with Cyrus's paths: the API is `POST /jmap/`, documents come from
`/jmap/download/…`, go up to `/jmap/upload/…`, push is `/jmap/eventsource/…`.

Each faulted try ends (an error or a slow success, bounded by asyncio.wait_for only to catch a
hang); with the fault lifted, the next try through the same public methods the app calls makes
the cache equal to Cyrus, and a message leaves exactly once (counted where mail leaves Cyrus, its
SMTP relay, and in bob's mailbox). One Cyrus and one small seed of alice's mailbox for the module,
not the session's corpus: each case then syncs a few dozen messages, not a thousand.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

import app.session
from app.account.login import NoLocalAccount
from app.errors import CoreError
from app.events import ConnectionChanged
from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.outbox.limits import MessageTooLarge
from app.remote.http import make_http_client
from app.session import AccountSession
from app.store.records import Address
from tests.app.sync_helpers import assert_cache_equals_server
from tests.app.waiting import until
from tests.faults.matrix import (
    HANG,
    MB,
    QUICK,
    bounded,
    download_through_fault,
    eventually,
    fault,
)
from tests.faults.proxy import FaultProxy, Rule
from tests.interop import cyrus
from tests.interop.conftest import running_cyrus
from tests.interop.cyrus import ALICE, BOB, Cyrus
from tests.interop.test_cyrus_send import _by_message_id, relayed

pytestmark = pytest.mark.interop

API = "/jmap/"  # Cyrus's apiUrl: a prefix of every other path, so the API rule says its method
API_CALL = b"POST /jmap/ HTTP/1.1\r\n"
BREAKS = ["cut", "reset", "stall", "truncate"]  # each ends the try with an error
AT_FIRST_BYTE = ["cut", "reset", "stall"]  # an answer truncated at its byte 0 is a cut
DOCUMENT = (b"%PDF-1.4\n" + bytes(range(256)) * 1200).ljust(300_000, b"\n")
_serial = itertools.count()


def _message(subject: str, document: bytes | None = None) -> tuple[str, bytes]:
    """A message to alice as another doctor's server delivers it; its Message-ID and bytes."""
    message_id = f"<cyrus-fault-{next(_serial)}@chu-lyon.mssante.fr>"
    msg = EmailMessage()
    msg["From"] = "Dr Émile Roux <emile.roux@chu-lyon.mssante.fr>"
    msg["To"] = ALICE
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg.set_content("Compte rendu : échographie sans anomalie.\n" * 40)
    if document is not None:
        msg.add_attachment(document, maintype="application", subtype="pdf", filename="cr.pdf")
    return message_id, bytes(msg)


def deliver(server: Cyrus, subject: str, document: bytes | None = None) -> str:
    message_id, raw = _message(subject, document)
    assert cyrus.deliver(server, [raw], ALICE, connections=1) == 1
    return message_id


@pytest.fixture(scope="module")
def faulty_cyrus() -> Iterator[Cyrus]:
    """This module's own Cyrus (about a second), alice's mailbox seeded with 30 messages, three
    of them with a document; skipped or failed as conftest's `cyrus_server` is."""
    with running_cyrus() as server:
        seed = [_message(f"Résultat {i}", DOCUMENT if i % 10 == 0 else None)[1] for i in range(30)]
        assert cyrus.deliver(server, seed, ALICE) == len(seed)
        yield server


@pytest.fixture(scope="module")
def with_document(faulty_cyrus: Cyrus) -> str:
    return deliver(faulty_cyrus, "Compte rendu avec document", DOCUMENT)


@pytest_asyncio.fixture
async def proxy(faulty_cyrus: Cyrus) -> AsyncIterator[FaultProxy]:
    faults = FaultProxy(int(faulty_cyrus.server_url.rsplit(":", 1)[1]))
    await faults.start()
    yield faults
    await faults.close()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions opened with deadlines of seconds (the app's are a minute)."""

    def quick_client(**kwargs: Any) -> httpx.AsyncClient:
        return make_http_client(timeout=QUICK, **kwargs)

    monkeypatch.setattr(app.session, "make_http_client", quick_client)


async def open_alice(proxy: FaultProxy, server: Cyrus, root: Path) -> AccountSession:
    return await AccountSession.open(root, proxy.url, ALICE, server.passwords[ALICE])


@pytest_asyncio.fixture
async def session(
    proxy: FaultProxy, faulty_cyrus: Cyrus, tmp_path: Path, quick: None
) -> AsyncIterator[AccountSession]:
    """Alice's session on Cyrus (HTTP Basic) through the proxy, with deadlines of seconds,
    documents not kept ahead (a download goes to Cyrus)."""
    opened = await open_alice(proxy, faulty_cyrus, tmp_path / "client")
    await opened.set_documents_budget(0, offline_days=0)
    yield opened
    await opened.close()


async def converged(session: AccountSession, server: Cyrus) -> None:
    async with cyrus.jmap_client(server, ALICE) as alice:
        await assert_cache_equals_server(session.account.cache, alice)


async def background_converged(session: AccountSession, server: Cyrus) -> None:
    """Returns once the background sync has made the cache equal to Cyrus."""
    await eventually(lambda: converged(session, server))


async def faulted_sync_then_converged(
    proxy: FaultProxy, rule: Rule, session: AccountSession, server: Cyrus, fails: bool
) -> None:
    outcome = await bounded(session.sync_once())
    assert rule.hits == 1
    assert isinstance(outcome, CoreError) is fails, outcome
    proxy.clear()
    again = await bounded(session.sync_once())
    assert not isinstance(again, CoreError), again
    await converged(session, server)


def api_rule(kind: str, after_bytes: int, method: bytes | None = None, skip: int = 0) -> Rule:
    """A fault on Cyrus's API: the request that carries `method` (any, without)."""
    return Rule(fault(kind, after_bytes), path=API, contains=method or API_CALL, skip=skip)


# Logging in -------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", AT_FIRST_BYTE)
async def test_login_with_the_session_fetch_broken(
    kind: str, proxy: FaultProxy, faulty_cyrus: Cyrus, tmp_path: Path, quick: None
) -> None:
    """Cyrus's Session is one redirect away (/.well-known/jmap → /jmap); that second GET broken
    at its answer's first byte: a first login says the server cannot be reached and leaves
    nothing in the way of the next one; a known account opens offline on its cache, then
    comes back online by itself once Cyrus answers, and converges."""
    root = tmp_path / "client"

    def session_fetch() -> Rule:
        return proxy.add(Rule(fault(kind, 0), path="/jmap", contains=b"GET /jmap HTTP/1.1\r\n"))

    rule = session_fetch()
    first = await bounded(open_alice(proxy, faulty_cyrus, root))
    assert rule.hits == 1
    assert isinstance(first, NoLocalAccount), first
    assert first.message_fr.startswith("Le serveur est injoignable et ce compte n'a encore jamais")
    proxy.clear()
    known = await bounded(open_alice(proxy, faulty_cyrus, root))
    assert isinstance(known, AccountSession), known
    await known.sync_once()
    await known.close()
    rule = session_fetch()
    opened = await bounded(open_alice(proxy, faulty_cyrus, root))
    assert isinstance(opened, AccountSession), opened
    try:
        assert rule.hits == 1
        assert not opened.online
        proxy.clear()
        opened.start()
        await until(lambda: opened.online, timeout=HANG)
        await asyncio.wait_for(background_converged(opened, faulty_cyrus), HANG)
    finally:
        await opened.close()


# Initial and delta sync ---------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", [*BREAKS, "drip"])
async def test_initial_sync(
    kind: str, proxy: FaultProxy, session: AccountSession, faulty_cyrus: Cyrus
) -> None:
    """The answer carrying the messages broken after 600 bytes (drip: slowed, not broken)."""
    rule = proxy.add(api_rule(kind, 600, b"Email/get"))
    await faulted_sync_then_converged(proxy, rule, session, faulty_cyrus, kind != "drip")


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", BREAKS)
async def test_delta_sync(
    kind: str, proxy: FaultProxy, session: AccountSession, faulty_cyrus: Cyrus
) -> None:
    """A delivery with a document and flags set by another client (IMAP); the changes' answer
    broken after 300 bytes."""
    await session.sync_once()
    delivered = deliver(faulty_cyrus, f"Nouveau {kind}", DOCUMENT)

    def flag_three() -> None:
        with cyrus.imap(faulty_cyrus, ALICE) as imap:
            imap.select("INBOX")
            imap.store("1:3", "+FLAGS", "(\\Flagged)")

    await asyncio.to_thread(flag_three)
    rule = proxy.add(api_rule(kind, 300, b"Email/changes"))
    await faulted_sync_then_converged(proxy, rule, session, faulty_cyrus, True)
    assert session.email_by_message_id(delivered.strip("<>")) is not None


# A document download ------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", [*BREAKS, "drip"])
async def test_document_download(
    kind: str,
    proxy: FaultProxy,
    session: AccountSession,
    with_document: str,
) -> None:
    await session.sync_once()
    email = session.email_by_message_id(with_document.strip("<>"))
    assert email is not None
    part = next(a for a in email.attachments if a.type == "application/pdf")
    await download_through_fault(session, proxy, part, kind, "/jmap/download/")


# A send with a document, exactly once -------------------------------------------------------------

# Cyrus takes at most 10 MiB of attachments per message (its account's maxSizeAttachmentsPerEmail):
# the 20 MB document is refused before queueing (below). The matrix sends 4 MB: each send
# is then read back, base64, from the SMTP relay's log, which 8 MB made the slowest part here.
SENT_DOCUMENT = 4 * MB


def imaging(folder: Path, subject: str, size: int) -> OutgoingMessage:
    big = folder / "imagerie.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.write(bytes(range(256)) * (size // 256))
    return OutgoingMessage(
        from_=Address("Dr Alice Martin", ALICE),
        to=[Address("Dr Bob Durand", BOB)],
        subject=subject,
        text="Cher confrère, ci-joint l'imagerie.",
        attachments=[OutgoingAttachment(big, big.name, "application/pdf", "11488-4")],
    )


@pytest.mark.asyncio
async def test_a_20_mb_document_is_refused_before_queueing_on_cyrus(
    session: AccountSession, faulty_cyrus: Cyrus, tmp_path: Path
) -> None:
    """Over Cyrus's per-message limit: said in French with the sizes, nothing queued, nothing
    leaves (no fault needed: the limit is Cyrus's own)."""
    subject = "Imagerie de 20 Mo"
    with pytest.raises(MessageTooLarge) as caught:
        await session.send(imaging(tmp_path, subject, 20 * MB))
    assert caught.value.message_fr == (
        "Les pièces jointes du message font 20 Mo au total : le serveur accepte au plus 10 Mo "
        "par message. Envoyez les documents en plusieurs messages."
    )
    assert session.outbox_list() == []
    async with cyrus.jmap_client(faulty_cyrus, BOB) as bob:
        found = await bob.call_one("Email/query", {"filter": {"subject": subject}})
    assert found["ids"] == []


SEND_RULES = {
    # The document's upload broken after 1 MB went up.
    "cut": lambda: Rule(fault("cut", 1 * MB, "up"), path="/jmap/upload/"),
    "reset": lambda: Rule(fault("reset", 1 * MB, "up"), path="/jmap/upload/"),
    "stall": lambda: Rule(fault("stall", 1 * MB, "up"), path="/jmap/upload/"),
    # The submission done by Cyrus, its answer lost: the trap of sending twice.
    "truncate": lambda: api_rule("truncate", 0, b"EmailSubmission/set"),
    "stall-after-submit": lambda: api_rule("stall", 0, b"EmailSubmission/set"),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(SEND_RULES))
async def test_send_with_a_document_exactly_once(
    case: str, proxy: FaultProxy, session: AccountSession, faulty_cyrus: Cyrus, tmp_path: Path
) -> None:
    message = imaging(tmp_path, f"Imagerie ({case})", SENT_DOCUMENT)
    rule = proxy.add(SEND_RULES[case]())
    outbox_id = await asyncio.wait_for(session.send(message), HANG)
    assert rule.hits == 1
    proxy.clear()
    row = session.outbox_row(outbox_id)
    assert row is not None
    assert row.state == "queued", row.state  # unreachable, not refused: it waits
    message_id = row.message_id
    if "submit" in case or case == "truncate":  # Cyrus did send it: only its answer was lost
        await until(lambda: len(relayed(faulty_cyrus, message_id)) == 1, HANG)
    await asyncio.wait_for(session.send_outbox(), HANG)
    row = session.outbox_row(outbox_id)
    assert row is not None
    assert row.state == "sent", row
    assert len(relayed(faulty_cyrus, row.message_id)) == 1
    async with cyrus.jmap_client(faulty_cyrus, BOB) as bob:
        assert len(await _by_message_id(bob, row.message_id)) == 1
    async with cyrus.jmap_client(faulty_cyrus, ALICE) as alice:
        assert len(await _by_message_id(alice, row.message_id)) == 1  # her one copy


# The push stream ----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", AT_FIRST_BYTE)
async def test_push_probe(
    kind: str, proxy: FaultProxy, session: AccountSession, faulty_cyrus: Cyrus
) -> None:
    """Cyrus 3.6 names an eventSourceUrl but answers it 204 (no push): the client asks once, then
    polls. That probe broken at its answer's first byte (stalled: past the stream's read
    deadline) is asked again, and meanwhile the poll goes on: a delivery during the fault
    arrives, and one after it too."""
    assert session.engine is not None
    session.engine.poll_interval = 0.5
    session.engine.push_ping = 1  # a stalled probe ends at its read deadline: 12 s
    rule = proxy.add(Rule(fault(kind, 0), path="/jmap/eventsource"))
    session.start()
    await until(lambda: rule.hits == 1, timeout=HANG)
    during = deliver(faulty_cyrus, f"Pendant la panne ({kind})")
    await until(lambda: session.email_by_message_id(during.strip("<>")) is not None, HANG)
    await until(lambda: proxy.faults_done == 1, timeout=HANG)
    proxy.clear()
    await until(lambda: proxy.count("/jmap/eventsource") >= 2, timeout=HANG)  # asked again
    after = deliver(faulty_cyrus, f"Après la panne ({kind})")
    await until(lambda: session.email_by_message_id(after.strip("<>")) is not None, HANG)
    await converged(session, faulty_cyrus)


# What the status bar is told ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_stalled_sync_says_offline_in_french_then_online(
    proxy: FaultProxy, session: AccountSession, faulty_cyrus: Cyrus
) -> None:
    """The background sync on Cyrus, its API stalled, ends at its deadline; the status bar hears
    "offline" with a French reason, then "online" once the link is sound again."""
    said: list[ConnectionChanged] = []
    session.bus.subscribe(ConnectionChanged, said.append)
    proxy.add(api_rule("stall", 300, b"Email/get"))
    session.start()
    await until(lambda: any(not e.online for e in said), timeout=HANG)
    offline = next(e for e in said if not e.online)
    assert offline.reason_fr == "Serveur injoignable : les messages en cache restent lisibles."
    proxy.clear()
    await until(lambda: bool(said) and said[-1].online, timeout=HANG)
    # "Online" is said at the first answer, before the pass that follows has ended.
    await asyncio.wait_for(background_converged(session, faulty_cyrus), HANG)
