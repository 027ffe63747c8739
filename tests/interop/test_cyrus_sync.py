"""The client core against Cyrus IMAP's JMAP: HTTP Basic login, the initial sync of the corpus, and
delta sync by polling (Cyrus has no push) after new deliveries, IMAP flag changes and deletions."""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
from collections import Counter
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.account.login import OpenAccount, open_account
from app.account.vault import WrongPassword
from app.events import ConnectionChanged, EventBus
from app.remote.auth import LoginRejected
from app.remote.jmap import JmapClient
from app.store import mail
from app.sync.engine import SyncEngine
from tests.app.memory_keyring import MemoryKeyring
from tests.app.netrelay import Relay
from tests.app.sync_helpers import assert_cache_equals_server, cached_emails
from tests.app.waiting import until
from tests.interop import cyrus
from tests.interop.corpus import Corpus
from tests.interop.cyrus import ALICE, Cyrus

pytestmark = pytest.mark.interop
SESSION_PATH = "/.well-known/jmap"


@contextlib.asynccontextmanager
async def alice_account(
    server: Cyrus, data: Path, url: str | None = None
) -> AsyncIterator[OpenAccount]:
    account = await open_account(data, url or server.server_url, ALICE, server.passwords[ALICE])
    try:
        yield account
    finally:
        await account.close()


def client_of(account: OpenAccount) -> JmapClient:
    assert account.http is not None
    return JmapClient(account.http, account.ref.server_url + SESSION_PATH)


@pytest.mark.asyncio
async def test_basic_login_keeps_the_password_out_of_disk_and_keyring(
    cyrus_server: Cyrus, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    password = cyrus_server.passwords[ALICE]
    data = tmp_path / "client"
    port = int(cyrus_server.server_url.rsplit(":", 1)[1])
    relay = Relay(port)
    url = await relay.start()
    try:
        with pytest.raises(LoginRejected):
            await open_account(data, url, ALICE, "pas le bon mot de passe")
        account = await open_account(data, url, ALICE, password, remember=True)
        try:
            assert account.online
            assert account.auth is not None
            assert account.auth.mode == "basic"  # Cyrus has no token endpoint
            await SyncEngine(account.cache, client_of(account)).sync_once()
        finally:
            await account.close()
        # Nothing to remember in the keyring (no refresh token), and never the password.
        assert password not in memory_keyring.secrets.values()
        files = [p for p in data.rglob("*") if p.is_file()]
        assert files
        for path in files:
            assert password.encode() not in path.read_bytes(), path
        # Offline, the vault (wrapped by a key derived from the password) opens the cache.
        relay.cut()
        with pytest.raises(WrongPassword):
            await open_account(data, url, ALICE, "pas le bon mot de passe")
        offline = await open_account(data, url, ALICE, password)
        try:
            assert not offline.online
            with offline.cache.read() as conn:
                roles = {m.role for m in mail.list_mailboxes(conn)}
            assert {"inbox", "drafts", "sent"} <= roles
        finally:
            await offline.close()
    finally:
        await relay.close()


@pytest.mark.asyncio
async def test_initial_sync_of_the_corpus_makes_the_cache_equal_to_cyrus(
    cyrus_server: Cyrus, alice_corpus: Corpus, tmp_path: Path
) -> None:
    async with alice_account(cyrus_server, tmp_path / "client") as account:
        client = client_of(account)
        engine = SyncEngine(account.cache, client)
        report = await engine.sync_once()
        assert report.full
        assert report.added >= len(alice_corpus.messages)
        await assert_cache_equals_server(account.cache, client)
        cached = cached_emails(account.cache)
        # Threads follow In-Reply-To/References; encoded and malformed headers still read.
        sizes = Counter(r.thread_id for r in cached.values())
        assert max(sizes.values()) >= alice_corpus.longest_thread
        subjects = {r.subject for r in cached.values()}
        assert any(s.startswith("Résultats d'analyse n°") for s in subjects)  # Latin-1, B
        # Every malformed message is there; raw 8-bit in a header is Cyrus's "X" (munge8bit).
        assert "sans date ni identifiant" in subjects
        by_message_id = {m: r for r in cached.values() for m in r.message_id}
        assert set(alice_corpus.malformed) <= set(by_message_id)
        assert "RXsultats non encodXs" in subjects
        with_pdf = [
            r for r in cached.values() if any(a.type == "application/pdf" for a in r.attachments)
        ]
        assert with_pdf
        assert any(a.doc_type for r in with_pdf for a in r.attachments)
        # The IHE_XDM.ZIP packages are downloaded and read: their patients show.
        assert await engine.read_patients() >= alice_corpus.xdm_count
        with account.cache.read() as conn:
            patients = sum(
                1 for i in mail.email_ids(conn) if (e := mail.get_email(conn, i)) and e.patient
            )
        assert patients >= alice_corpus.xdm_count
        # Nothing changed: the next pass is an empty delta.
        again = await engine.sync_once()
        assert not again.full
        assert (again.added, again.updated, again.removed) == (0, 0, 0)


def _delivery(index: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Dr Émile Roux <emile.roux@chu-lyon.mssante.fr>"
    msg["To"] = ALICE
    msg["Subject"] = f"Arrivé pendant la synchro {index}"
    msg["Message-ID"] = f"<delta-{index}@chu-lyon.mssante.fr>"
    msg.set_content("Bonjour,\nnouveau message.\n")
    return bytes(msg)


def _uid_of(imap: imaplib.IMAP4, message_id: str) -> str:
    status, found = imap.uid("SEARCH", "HEADER", "Message-ID", message_id)
    assert status == "OK"
    [uid] = found[0].split()
    return uid.decode()


@pytest.mark.asyncio
async def test_polling_follows_deliveries_imap_flags_and_deletions(
    cyrus_server: Cyrus, alice_corpus: Corpus, tmp_path: Path
) -> None:
    bus = EventBus()
    online: list[bool] = []
    bus.subscribe(ConnectionChanged, lambda e: online.append(e.online))
    async with alice_account(cyrus_server, tmp_path / "client") as account:
        client = client_of(account)
        engine = SyncEngine(account.cache, client, bus, poll_interval=0.5)
        await engine.sync_once()
        before = cached_emails(account.cache)
        stop = asyncio.Event()
        runner = asyncio.create_task(engine.run(stop))
        try:
            # New mail delivered over LMTP: no push from Cyrus, the poll brings it.
            await asyncio.to_thread(
                cyrus.deliver, cyrus_server, [_delivery(i) for i in range(5)], ALICE, connections=1
            )

            def delivered() -> set[str]:
                return {
                    r.id
                    for r in cached_emails(account.cache).values()
                    if r.subject.startswith("Arrivé pendant la synchro")
                }

            await until(lambda: len(delivered()) == 5)
            new_ids = delivered()
            # Another mail client (IMAP) reads one, flags another, deletes two of the corpus.
            by_message_id = {
                r.message_id[0]: r.id for r in cached_emails(account.cache).values() if r.message_id
            }
            gone = ["corpus-3@", "corpus-10@"]
            gone_ids = {i for m, i in by_message_id.items() if any(m.startswith(g) for g in gone)}
            assert len(gone_ids) == 2

            def imap_changes() -> None:
                with cyrus.imap(cyrus_server, ALICE) as imap:
                    imap.select("INBOX")
                    imap.uid(
                        "STORE",
                        _uid_of(imap, "<delta-0@chu-lyon.mssante.fr>"),
                        "+FLAGS",
                        "(\\Seen)",
                    )
                    imap.uid(
                        "STORE",
                        _uid_of(imap, "<delta-1@chu-lyon.mssante.fr>"),
                        "+FLAGS",
                        "(\\Flagged)",
                    )
                    for message_id in by_message_id:
                        if any(message_id.startswith(g) for g in gone):
                            imap.uid(
                                "STORE", _uid_of(imap, f"<{message_id}>"), "+FLAGS", "(\\Deleted)"
                            )
                    imap.expunge()

            await asyncio.to_thread(imap_changes)
            seen_id = by_message_id["delta-0@chu-lyon.mssante.fr"]
            flagged_id = by_message_id["delta-1@chu-lyon.mssante.fr"]

            def converged() -> bool:
                now = cached_emails(account.cache)
                return (
                    not gone_ids & set(now)
                    and "$seen" in now[seen_id].keywords
                    and "$flagged" in now[flagged_id].keywords
                )

            await until(converged)
        finally:
            stop.set()
            await runner
        await assert_cache_equals_server(account.cache, client)
        after = cached_emails(account.cache)
        assert set(after) == (set(before) | new_ids) - gone_ids
        assert False not in online  # polling is not "offline"
