"""One open account, everything the desktop app needs from the core, without Qt.

The UI talks to this object only: reads are small indexed queries it may run on its own thread
(they return neutral records), actions are coroutines, and what changes is announced on the
EventBus (MailChanged, SyncProgress, ConnectionChanged, OutboxChanged, ReauthNeeded…) so that no
view polls the database. Network work runs in background tasks started by `start`.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from app import logs, messages
from app.account import identities, signout
from app.account.identities import Identity
from app.account.login import OpenAccount, open_account, open_account_with_tokens, resume_account
from app.account.psc import PscGrant
from app.account.psc import is_psc as psc_is_marked
from app.account.psc import practice_email as psc_practice_email
from app.attachments import Attachments, CachedContent
from app.copies import PrivateCopies
from app.errors import CoreError
from app.events import ConnectionChanged, DraftsChanged, EventBus, OutboxChanged
from app.message.compose import OutgoingMessage
from app.message.draft import Draft
from app.outbox import receipts, withdraw
from app.outbox.sender import Outbox, counts
from app.regional.delegations import DelegationService
from app.regional.documents import PatientDocumentsService
from app.regional.expertise import ExpertiseService
from app.regional.favorites import FavoritesSync
from app.regional.patients import PatientsService
from app.regional.portal import PortalService
from app.regional.service import RegionalOffline
from app.regional.teams import TeamService
from app.regional.teleconsultations import TeleconsultationService
from app.remote.directory import DirectoryClient, DirectoryPage, DirectoryQuery
from app.remote.http import ServerUnreachable, make_http_client
from app.remote.jmap import JmapClient, RegionalUrls
from app.remote.origins import Origin
from app.remote.places import Place, PlaceFinder
from app.remote.rate import TokenBucket
from app.remote.regional import RegionalClient
from app.store import contacts, conversations, delivery, drafts, mail, search, traces
from app.store import outbox as outbox_rows
from app.store.mail import NO_FILTERS, Filters, Sort
from app.store.outbox import OutboxState
from app.store.patient_documents import ReceivedDocument, about_patient
from app.store.records import (
    Address,
    ConversationSummary,
    EmailRecord,
    EmailSummary,
    MailboxRecord,
    RecipientStatus,
)
from app.store.search import SearchHit
from app.sync.engine import LocalAction, SyncEngine, record_action
from app.sync.prefetch import DEFAULT_DAYS
from app.sync.reconnect import Reconnection
from app.trust.space import TrustSpace

log = logs.get("session")

TRACES_KEEP_DAYS = 365  # issue 14 §5: traces kept a year by default
TRACES_PURGE_EVERY_S = 24 * 3600.0
IDENTITY_KEY = "Identity.self"  # who I am, in jmap_state (read offline)
ROLE_ORDER = {"inbox": 0, "drafts": 1, "sent": 2, "archive": 3, "junk": 4, "trash": 5}
# Servers such as Cyrus name the special folders in English ("Inbox", "Sent"…): the app shows
# the French names instead. A folder the user renamed keeps its own name.
ROLE_NAMES_FR = {
    "inbox": ("Boîte de réception", {"inbox"}),
    "drafts": ("Brouillons", {"drafts", "draft"}),
    "sent": ("Envoyés", {"sent", "sent items", "sent mail", "sent messages"}),
    "archive": ("Archives", {"archive", "archives"}),
    "junk": ("Indésirables", {"junk", "spam", "junk mail", "junk e-mail"}),
    "trash": ("Corbeille", {"trash", "bin", "deleted items", "deleted messages"}),
}


def mailbox_display_name(name: str, role: str | None) -> str:
    """The name the app shows: the French name of a special folder still named in English."""
    french, english = ROLE_NAMES_FR.get(role or "", (None, set()))
    return french if french is not None and name.casefold() in english else name


@dataclass(frozen=True)
class MailboxView:
    id: str
    name: str
    role: str | None
    total: int
    unread: int


@dataclass(frozen=True)
class SyncPass:
    """One sync pass made on request (the CLI's `sync`): what was sent and what changed."""

    sent: int
    added: int
    updated: int
    removed: int
    patients: int


class NoRegionalServices(CoreError):
    message = messages.NO_REGIONAL_SERVICES


class AccountSession:
    def __init__(self, account: OpenAccount, bus: EventBus) -> None:
        self.account = account
        self.bus = bus
        self.jmap: JmapClient | None = None
        self.engine: SyncEngine | None = None
        self.outbox = Outbox(account.cache, None, bus)
        # The decrypted copies belong to the session, not to the Attachments object that going
        # online replaces: whichever made them, they go when the session closes.
        self.copies = PrivateCopies(account.ref.dir)
        self.attachments = Attachments(
            account.cache, None, self.copies, origin=account.ref.server_url
        )
        self.regional_urls: RegionalUrls | None = None
        # Issue 14 §4: every directory request of the session takes a token of one bucket (the
        # national API counts requests per application); listeners hear of a 429's wait.
        self.directory_bucket = TokenBucket()
        self.directory_wait_listeners: list[Callable[[messages.Message], None]] = []
        self._directory: DirectoryClient | None = None
        self.offline_days = DEFAULT_DAYS  # documents of these last days are kept offline
        self.traces_keep_days = TRACES_KEEP_DAYS  # the settings' « Conserver les traces »
        # Regional services
        self.patients = PatientsService(self.regional, lambda: self.online, self.own_address)
        self.expertise = ExpertiseService(
            self.regional, lambda: self.online, upload=self._upload_document
        )
        self.teleconsultations = TeleconsultationService(self.regional, lambda: self.online)
        self.delegations = DelegationService(self.regional, lambda: self.online)
        self.portal = PortalService(self.regional, lambda: self.online)
        # Issue 13 §3: the documents about a patient, the record's and the cached messages'.
        self.patient_documents = PatientDocumentsService(
            self.regional,
            lambda: self.online,
            self._documents_about,
            self._copy_of,
            self.open_document,
        )
        self.teams = TeamService(self.regional, lambda: self.online)  # issue 13 §4
        # Issue 13 §5: favorites follow the user through the server (app/regional/favorites.py).
        self.favorite_sync = FavoritesSync(
            lambda: self.account.cache, bus, self.regional, lambda: self.online
        )
        bus.subscribe(ConnectionChanged, self.favorite_sync.back_online)
        # Issue 14 §3: the trust space's whitelist, kept in the cache, refreshed daily.
        self.trust_space = TrustSpace(lambda: self.account.cache, account.ref.server_url)
        self.trust_space.load()
        self._tasks: list[asyncio.Task[Any]] = []
        self._stop = asyncio.Event()
        self.reconnection = Reconnection()
        self._identities: list[Identity] | None = None
        self._release: asyncio.TimerHandle | None = None  # the end of the first undo delay
        self._wire_online()
        bus.subscribe(ConnectionChanged, self._on_connection)

    # Opening and closing ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        root: Path,
        server_url: str,
        login: str,
        password: str,
        *,
        remember: bool = False,
        bus: EventBus | None = None,
        approve: Iterable[Origin] = (),
        ca_bundle: Path | None = None,
        offline: bool = False,
        lock_wait: float = 0.0,
    ) -> AccountSession:
        """Online when the server answers, offline on the cache otherwise (errors: see login).
        `approve`: after OriginApprovalNeeded, the origins the user accepted; `ca_bundle`: the
        settings' extra certificate authorities; `offline`: the user chose to open from this
        computer's cache (after a refused certificate); `lock_wait`: how long to wait for another
        process that has the account open (AccountInUse after it). The copies of documents a
        crashed or killed session of this account left behind go first."""
        bus = bus or EventBus()
        opener = resume_account if remember else open_account
        account = await opener(
            root,
            server_url,
            login,
            password,
            events=bus,
            http_factory=partial(make_http_client, ca_bundle=ca_bundle),
            approve=approve,
            offline=offline,
            lock_wait=lock_wait,
        )
        session = cls(account, bus)
        await asyncio.to_thread(session.copies.sweep)
        return session

    @classmethod
    async def open_psc(
        cls,
        root: Path,
        server_url: str,
        grant: PscGrant,
        passphrase: str,
        *,
        remember: bool = False,
        bus: EventBus | None = None,
        approve: Iterable[Origin] = (),
        ca_bundle: Path | None = None,
    ) -> AccountSession:
        """`open` after a Pro Santé Connect login: the tokens are here, the local passphrase
        opens (or, the first time here, creates) the vault."""
        bus = bus or EventBus()
        account = await open_account_with_tokens(
            root,
            server_url,
            grant,
            passphrase,
            remember=remember,
            events=bus,
            http_factory=partial(make_http_client, ca_bundle=ca_bundle),
            approve=approve,
        )
        session = cls(account, bus)
        await asyncio.to_thread(session.copies.sweep)
        return session

    def _wire_online(self) -> None:
        if not self.account.online or self.account.http is None:
            return
        self.jmap = self.account.jmap_client()
        hooks = self.account.http.event_hooks
        if self._server_answered not in hooks["response"]:  # once per client (a rebuild re-wires)
            hooks["response"] = [*hooks["response"], self._server_answered]
            self.account.http.event_hooks = hooks
        self.outbox = Outbox(self.account.cache, self.jmap, self.bus)
        self.attachments = Attachments(
            self.account.cache,
            self.jmap,
            self.copies,
            budget_bytes=self.attachments.budget_bytes,
            origin=self.account.ref.server_url,
        )
        self.engine = self._engine(reconnection=self.reconnection)

    async def _upload_document(self, path: Path, mime_type: str) -> str:
        """A document for a regional request (téléexpertise), uploaded to my mail account."""
        if self.jmap is None:
            raise RegionalOffline("offline")
        return (await self.jmap.upload(path, mime_type)).blob_id

    def _engine(self, **options: Any) -> SyncEngine:
        """A sync engine of this session: it keeps the recent documents offline, in the budget."""
        assert self.jmap is not None
        return SyncEngine(
            self.account.cache,
            self.jmap,
            self.bus,
            documents=self.attachments,
            offline_days=self.offline_days,
            **options,
        )

    def start(self) -> None:
        """Background work: reconnect when offline, then sync (push + poll) and send the outbox."""
        self._tasks.append(asyncio.ensure_future(self._run()))
        self._tasks.append(asyncio.ensure_future(self._keep_traces()))

    # The trace of mailbox actions (issue 14 §5) -------------------------------------------------

    @property
    def _me(self) -> str:
        """Who acts in this session, for the trace: my first identity's address (as last read from
        the server, kept in the cache), else the login."""
        mine = self._identities
        if mine is None:
            with self.account.cache.read() as conn:
                mine = identities.from_json(mail.get_state(conn, IDENTITY_KEY))
        return mine[0].address.email if mine else self.account.ref.login

    async def purge_traces(self) -> int:
        """The traces older than `traces_keep_days` deleted; how many."""
        before = traces.cutoff(datetime.now(UTC), self.traces_keep_days)
        return await self.account.cache.write(lambda c: traces.purge(c, before))

    async def _keep_traces(self) -> None:
        """At the start, then once a day while the session runs (an indexed DELETE)."""
        while not self._stop.is_set():
            try:
                removed = await self.purge_traces()
            except CoreError as exc:
                log.warning("trace purge failed (%s)", type(exc).__name__)
            else:
                if removed:
                    log.info("%d traces past their retention deleted", removed)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), TRACES_PURGE_EVERY_S)

    def trace_ids(self, filters: traces.TraceFilter = traces.ALL) -> list[int]:
        with self.account.cache.read() as conn:
            return traces.ids(conn, filters)

    def trace_rows(self, trace_ids: list[int]) -> dict[int, traces.Trace]:
        with self.account.cache.read() as conn:
            return traces.get(conn, trace_ids)

    def export_traces(
        self,
        path: Path,
        filters: traces.TraceFilter,
        headers: list[str],
        label: Callable[[traces.Action], str],
        when: Callable[[datetime], str],
    ) -> int:
        """The matching traces written to `path` as CSV (app/store/traces.write_csv); how many.
        Blocking: a thread's work."""
        with self.account.cache.read() as conn:
            found = traces.matching(conn, filters)
        return traces.write_csv(path, found, headers, label, when)

    async def _server_answered(self, response: Any) -> None:
        """Every answer of the server (an httpx response hook): offline, the next try goes now."""
        if response.status_code < 500:
            self.reconnection.answered()

    async def _run(self) -> None:
        if not self.account.online:
            # Opened offline: tried again on the reconnection's schedule (F5 tries at once).
            if not await self.account.reconnect_until_online(self._stop, self.reconnection.wait):
                return
            self._wire_online()
        assert self.engine is not None
        with contextlib.suppress(CoreError):
            session = await self.engine.jmap.session()
            self.regional_urls = session.regional
        await self.own_address()  # remembered now: a message written offline later needs it
        await self.send_outbox()
        self._tasks.append(asyncio.ensure_future(self.favorite_sync.run(self._stop)))
        self._tasks.append(asyncio.ensure_future(self._refresh_trust_space()))
        await self.engine.run(self._stop)

    async def _refresh_trust_space(self) -> None:
        """Issue 14 §3: the whitelist, fetched when due, from the Session's regional URL."""
        await self.trust_space.run(
            self._stop,
            lambda: self.account.http if self.online else None,
            lambda: self.regional_urls.trust_space_url if self.regional_urls else None,
        )

    async def refresh_trust_space_once(self) -> None:
        """The whitelist fetched now when due, instead of the background loop (the CLI, scripts):
        a failure keeps the last good list (or none), as in the loop."""
        if self.jmap is None or not self.trust_space.due():
            return
        try:
            urls = (await self.jmap.session()).regional
        except CoreError:
            return
        url = urls.trust_space_url if urls else None
        if self.account.http is not None:
            await self.trust_space.refresh(self.account.http, url)

    async def send_outbox(self) -> None:
        """What waits in the outbox goes now; offline, it waits (and the engine is woken). A
        message in its undo delay goes when the delay ends (a pass is planned then)."""
        try:
            await self.outbox.send_pending()
        except ServerUnreachable:
            # The engine finds out (and says) that we are offline, and says when we are back.
            self.sync_now()
        self._plan_release()

    def _plan_release(self) -> None:
        """A send pass when the first undo delay ends (one planned pass, the earliest)."""
        if self._release is not None:
            self._release.cancel()
            self._release = None
        wait = self.outbox.next_release()
        if wait is None or self._stop.is_set():
            return
        self._release = asyncio.get_running_loop().call_later(
            wait, lambda: self._tasks.append(asyncio.ensure_future(self.send_outbox()))
        )

    def _on_connection(self, event: ConnectionChanged) -> None:
        """Back online: what waited in the outbox goes now, once (the outbox's own guarantee)."""
        if event.online and self.engine is not None and not self._stop.is_set():
            self._tasks.append(asyncio.ensure_future(self.send_outbox()))
            self.trust_space.back_online()

    async def sync_once(self, page_size: int = 250) -> SyncPass:
        """One pass instead of the background loop (the CLI, scripts): the outbox sent, the cache
        brought level with the server, the patients of new messages read from their packages,
        the recent documents kept offline. Network errors propagate (ServerUnreachable)."""
        if self.jmap is None:
            raise ServerUnreachable("offline")
        await self.own_address()  # remembered, as by the background work (the traces' actor)
        sent = await self.outbox.send_pending()
        report = await self._engine(page_size=page_size).sync_all()
        return SyncPass(sent, report.added, report.updated, report.removed, report.patients)

    async def rebuild_cache(self) -> None:
        """After CacheCorrupt while working: the cache file made again (app/account/rebuild.py;
        the unsent file is kept) and every part of the session that held the old one re-made."""
        await self.account.rebuild_cache()
        self.outbox = Outbox(self.account.cache, None, self.bus)
        self.attachments = Attachments(
            self.account.cache, None, self.copies, origin=self.account.ref.server_url
        )
        self._wire_online()

    def sync_now(self) -> None:
        """A sync soon; offline, a new try to reach the server now."""
        if self.engine is not None:
            self.engine.wake()
        else:
            self.reconnection.try_now()
        self.favorite_sync.wake.set()

    async def close(self) -> None:
        """The end of the session (lock, quit): work stopped, copies of documents removed, HTTP
        client and cache closed."""
        try:
            await self._stop_background()
        finally:
            await asyncio.to_thread(self.copies.wipe)
        await self.account.close()

    async def sign_out(self) -> bool:
        """ "Se déconnecter": the background work stops (no refresh races the revocation), the
        session is revoked on the server and forgotten by the keyring (app/account/signout.py),
        then closed. True when the server was told; False when it could not be (offline)."""
        await self._stop_background()
        try:
            return await signout.sign_out(self.account)
        finally:
            await self.close()

    async def forget(self) -> bool:
        """ "Oublier ce compte sur cet ordinateur": signed out, then the account's folder (vault,
        cache, unsent messages, copies) deleted. True when the server was told."""
        told = await self.sign_out()
        await asyncio.to_thread(signout.forget_local_data, self.account.ref)
        return told

    async def _stop_background(self) -> None:
        self._stop.set()
        if self._release is not None:
            self._release.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def online(self) -> bool:
        return self.account.online and (self.engine is None or self.engine.online is not False)

    # Reading (small indexed queries) -------------------------------------------------------------

    def mailboxes(self) -> list[MailboxView]:
        with self.account.cache.read() as conn:
            boxes = mail.list_mailboxes(conn)
            counts = mail.mailbox_counts(conn)
        views = [
            MailboxView(
                b.id,
                mailbox_display_name(b.name, b.role),
                b.role,
                counts[b.id].total if b.id in counts else 0,
                counts[b.id].unread if b.id in counts else 0,
            )
            for b in boxes
        ]
        return sorted(views, key=lambda m: (ROLE_ORDER.get(m.role or "", 9), m.name.casefold()))

    def mailbox_by_role(self, role: str) -> MailboxRecord | None:
        with self.account.cache.read() as conn:
            return next((b for b in mail.list_mailboxes(conn) if b.role == role), None)

    def list_ids(
        self,
        mailbox_id: str | None,
        sort: Sort = Sort.DATE_DESC,
        filters: Filters = NO_FILTERS,
        offset: int = 0,
        limit: int = 200,
    ) -> list[str]:
        with self.account.cache.read() as conn:
            return mail.list_ids(conn, mailbox_id, sort, filters, offset, limit)

    def count(self, mailbox_id: str | None, filters: Filters = NO_FILTERS) -> int:
        with self.account.cache.read() as conn:
            return mail.count_ids(conn, mailbox_id, filters)

    def summaries(self, ids: list[str]) -> list[EmailSummary]:
        with self.account.cache.read() as conn:
            return mail.summaries(conn, ids)

    def thread(self, thread_id: str) -> list[EmailRecord]:
        with self.account.cache.read() as conn:
            return mail.thread_emails(conn, thread_id)

    # The list by conversation (app/store/conversations.py): thread ids, rows, their messages.

    def conversations(
        self,
        mailbox_id: str,
        sort: Sort = Sort.DATE_DESC,
        filters: Filters = NO_FILTERS,
        offset: int = 0,
        limit: int = 200,
    ) -> list[str]:
        with self.account.cache.read() as conn:
            return conversations.list_threads(conn, mailbox_id, sort, filters, offset, limit)

    def count_conversations(self, mailbox_id: str, filters: Filters = NO_FILTERS) -> int:
        with self.account.cache.read() as conn:
            return conversations.count_threads(conn, mailbox_id, filters)

    def conversation_summaries(
        self, mailbox_id: str | None, thread_ids: list[str]
    ) -> list[ConversationSummary]:
        """Rows of these conversations in a mailbox (None: whole conversations, a search)."""
        with self.account.cache.read() as conn:
            return conversations.summaries(conn, mailbox_id, thread_ids)

    def delivery_of(self, email_ids: list[str]) -> dict[str, list[RecipientStatus]]:
        """Issue 14 §2: where these sent messages stand for each recipient (those known)."""
        with self.account.cache.read() as conn:
            return delivery.of_emails(conn, email_ids)

    def conversation_email_ids(self, mailbox_id: str | None, thread_ids: list[str]) -> list[str]:
        """The messages an action on these rows applies to (those in the mailbox)."""
        with self.account.cache.read() as conn:
            return conversations.email_ids(conn, mailbox_id, thread_ids)

    def search_conversations(self, text: str, limit: int = 500) -> list[str]:
        """The conversations of the newest `limit` messages matching `text`, newest first."""
        with self.account.cache.read() as conn:
            hits = [h.email_id for h in search.search(conn, text, limit)]
            return conversations.threads_of(conn, hits)

    def thread_of(self, email_id: str) -> str | None:
        with self.account.cache.read() as conn:
            found = conversations.threads_of(conn, [email_id])
        return found[0] if found else None

    def search(self, text: str, limit: int = 200, mailbox_id: str | None = None) -> list[str]:
        with self.account.cache.read() as conn:
            return [h.email_id for h in search.search(conn, text, limit, mailbox_id)]

    def search_hits(self, text: str, limit: int = 50) -> list[SearchHit]:
        """The newest `limit` messages matching `text`, with their subject and date."""
        with self.account.cache.read() as conn:
            return search.search(conn, text, limit)

    def email_by_message_id(self, message_id: str) -> EmailRecord | None:
        """The cached message with this Message-ID (angle brackets or not), with its
        per-recipient delivery status (issue 14 §6: `monsisra-cli status`)."""
        bare = message_id.strip().strip("<>").strip()
        with self.account.cache.read() as conn:
            email_id = delivery.email_id_of(conn, bare)
            return mail.get_email(conn, email_id) if email_id is not None else None

    def outbox_row(self, outbox_id: str) -> outbox_rows.OutboxRow | None:
        with self.account.cache.read() as conn:
            return outbox_rows.get(conn, outbox_id)

    def outbox_list(self, *states: outbox_rows.OutboxState) -> list[outbox_rows.OutboxRow]:
        """Rows in these states (all when none given). The UI asks for the unsent ones only: the
        sent rows stay and grow with every message, and reading them all (payloads decoded) on
        the UI thread took 0.2 s after a few hundred sends (bench/soak.py)."""
        with self.account.cache.read() as conn:
            return outbox_rows.list_rows(conn, *states)

    def hold_left(self, row: outbox_rows.OutboxRow) -> float | None:
        """Seconds left of a message's undo delay (None: it may leave), on the monotonic clock:
        what the countdown shows (app.outbox.sender.Outbox.hold_left)."""
        return self.outbox.hold_left(row)

    def outbox_counts(self) -> OutboxChanged:
        """Messages waiting (queued or being sent) and refused, as the unsent file has them."""
        with self.account.cache.read() as conn:
            return counts(conn)

    def unsent_count(self) -> int:
        """Messages of the outbox not sent yet (queued, sending or failed)."""
        return sum(row.state != OutboxState.SENT for row in self.outbox_list())

    def unread_total(self) -> int:
        box = self.mailbox_by_role("inbox")
        if box is None:
            return 0
        with self.account.cache.read() as conn:
            counts = mail.mailbox_counts(conn)
        return counts[box.id].unread if box.id in counts else 0

    # Acting on emails (applied at once, sent when possible) ---------------------------------------

    async def _act(self, action: LocalAction) -> None:
        if self.engine is not None:
            await self.engine.apply(action)
            return
        # Offline from the start: no engine yet; the action waits in the cache for it.
        await record_action(self.account.cache, self.bus, action)

    async def set_seen(self, email_ids: list[str], seen: bool) -> None:
        await self._act(
            LocalAction("keywords", tuple(email_ids), keywords={"$seen": seen}, actor=self._me)
        )

    async def set_flagged(self, email_ids: list[str], flagged: bool) -> None:
        await self._act(
            LocalAction(
                "keywords", tuple(email_ids), keywords={"$flagged": flagged}, actor=self._me
            )
        )

    async def move(self, email_ids: list[str], mailbox_id: str) -> None:
        await self._act(
            LocalAction("move", tuple(email_ids), mailbox_ids=(mailbox_id,), actor=self._me)
        )

    async def archive(self, email_ids: list[str]) -> None:
        box = self.mailbox_by_role("archive")
        if box is None:
            raise CoreError("no archive", messages.NO_ARCHIVE_FOLDER)
        await self.move(email_ids, box.id)

    async def delete(self, email_ids: list[str]) -> None:
        """To the trash; from the trash, for good."""
        trash = self.mailbox_by_role("trash")
        with self.account.cache.read() as conn:
            in_trash = [
                i
                for i in email_ids
                if (e := mail.get_email(conn, i)) is not None
                and trash is not None
                and e.mailbox_ids == {trash.id}
            ]
        rest = [i for i in email_ids if i not in in_trash]
        if in_trash:
            await self._act(LocalAction("destroy", tuple(in_trash), actor=self._me))
        if rest and trash is not None:
            await self.move(rest, trash.id)

    # Sending -------------------------------------------------------------------------------------

    async def identities(self) -> list[Identity]:
        """My identities on the server (the first sends), kept in the encrypted cache: read
        once from the server, then from the cache offline; none when never read."""
        if self._identities is None and self.jmap is not None:
            with contextlib.suppress(CoreError):
                got = identities.from_jmap(
                    await self.jmap.get_all("Identity", None, list(identities.PROPERTIES))
                )
                if got:
                    self._identities = got
                    await self.account.cache.write(
                        partial(
                            mail.set_state, type_name=IDENTITY_KEY, state=identities.to_json(got)
                        )
                    )
        if self._identities is not None:
            return identities.sending_first(self._identities, self._practice_email())
        with self.account.cache.read() as conn:
            kept = identities.from_json(mail.get_state(conn, IDENTITY_KEY))
        return identities.sending_first(kept, self._practice_email())

    @property
    def pro_sante_connect(self) -> bool:
        """Whether this account logs in with Pro Santé Connect (marked at its first PSC login)."""
        return psc_is_marked(self.account.ref.dir)

    def _practice_email(self) -> str | None:
        """A PSC user with several practices sends from the one chosen at login (psc.json)."""
        return psc_practice_email(self.account.ref.dir)

    async def own_address(self) -> Address:
        """The address my messages go from: the server's first identity (the login without
        one)."""
        mine = await self.identities()
        return mine[0].address if mine else Address(None, self.account.ref.login)

    async def signature(self, local: str) -> str:
        """The signature of the address I send from: the one the server keeps for it, else
        `local` (the one set in the app's settings)."""
        mine = await self.identities()
        return (mine[0].text_signature if mine else "") or local

    async def own_emails(self) -> frozenset[str]:
        """Every address that is mine, lower-cased (a reply to all leaves them out)."""
        return identities.own_emails(await self.identities(), self.account.ref.login)

    # Read receipts (issue 14 §2) -------------------------------------------------------------

    def receipt_asked(self, record: EmailRecord) -> bool:
        """Whether to offer to send a read receipt for `record` (asked, not yet answered)."""
        mine = self._identities
        if mine is None:
            with self.account.cache.read() as conn:
                mine = identities.from_json(mail.get_state(conn, IDENTITY_KEY))
        return receipts.asks_receipt(record, identities.own_emails(mine, self.account.ref.login))

    async def send_read_receipt(self, record: EmailRecord) -> None:
        """Sends my read receipt for `record` (the user chose to), then never asks again; not to
        an address outside the trust space (OutsideTrustSpace, issue 14 §3)."""
        self.trust_space.check([a.email for a in record.receipt_to])
        me = await self.own_address()
        await receipts.send_receipt(self.outbox, record, me)
        trace = traces.about(record, traces.Action.RECEIPT_SENT, me.email, datetime.now(UTC))
        await self.account.cache.write(lambda c: traces.add(c, [trace]))
        await self.ignore_read_receipt(record)

    async def ignore_read_receipt(self, record: EmailRecord) -> None:
        """No receipt, and the question is not asked again (`$mdnsent`, RFC 3503)."""
        await self._act(LocalAction("keywords", (record.id,), keywords={receipts.MDN_SENT: True}))

    async def send(self, message: OutgoingMessage, delay_s: float = 0) -> str:
        """Queued at once (works offline); sent now when the server answers — after `delay_s`
        seconds when online (the undo delay: "Annuler" takes it back meanwhile; it is in the
        unsent file, so a quit or a crash meanwhile sends it at the next start). Offline, it
        waits for the connection as any queued message, with no delay. OutsideTrustSpace, and
        nothing queued, when a recipient is outside the trust space's list (app.trust.space)."""
        # Issue 14 §3: no path (composer, CLI, scripts) queues a message outside the trust space.
        self.trust_space.check([a.email for a in (*message.to, *message.cc, *message.bcc)])
        hold = delay_s if self.engine is not None and self.online else 0
        outbox_id = await self.outbox.queue(message, hold_s=hold)
        for r in [*message.to, *message.cc]:
            await self.account.cache.write(
                partial(contacts.note_used, address=r.email, name=r.name)
            )
        if self.engine is not None:
            await self.send_outbox()
        else:
            self.sync_now()  # opened offline: the queue's count is already said; try the server
        return outbox_id

    async def retry(self, outbox_id: str) -> None:
        """ "Réessayer maintenant": a refused message back in the queue, and the queue sent now
        (offline, a new try to reach the server)."""
        await self.outbox.retry(outbox_id)
        await self.send_outbox()

    async def cancel_unsent(self, outbox_id: str) -> None:
        """ "Annuler" in the outbox: a waiting or refused message removed (NotWithdrawable
        when it is being sent or was sent)."""
        await withdraw.cancel(self.outbox, outbox_id)

    async def reopen_unsent(self, outbox_id: str) -> withdraw.Reopened:
        """ "Modifier" in the outbox: the message back as a saved draft for a composer, its
        documents as private copies (gone when the session closes), out of the outbox in the same
        transaction."""
        return await withdraw.reopen(self.outbox, outbox_id, self.copies.new_place)

    async def save_draft(self, draft_id: str | None, draft: Draft) -> str:
        draft_id = draft_id or uuid.uuid4().hex
        payload = draft.to_stored()
        await self.account.cache.write(partial(drafts.save, draft_id=draft_id, payload=payload))
        self.bus.publish(DraftsChanged())
        return draft_id

    def drafts(self) -> list[drafts.StoredDraft]:
        """Most recently edited first; Draft.from_stored opens one."""
        with self.account.cache.read() as conn:
            return drafts.list_drafts(conn)

    async def delete_draft(self, draft_id: str) -> None:
        await self.account.cache.write(partial(drafts.delete, draft_id=draft_id))
        self.bus.publish(DraftsChanged())

    async def discard_server_draft(self, email_id: str) -> None:
        """A draft of the Drafts mailbox, taken up here and now sent: destroyed (when the server
        answers, if offline), as every mail client does with the draft it sends."""
        await self._act(LocalAction("destroy", (email_id,)))

    # Documents -----------------------------------------------------------------------------------

    def _documents_about(self, ins: str) -> list[ReceivedDocument]:
        """The documents of the cached messages about the patient with this INS (issue 13 §3)."""
        with self.account.cache.read() as conn:
            return about_patient(conn, ins)

    async def _copy_of(self, data: bytes, name: str, type_: str) -> Path:
        """A private copy of a document filed on the regional service (self.attachments is
        replaced when the session goes online: asked at the time)."""
        return await self.attachments.copy_of(data, name, type_)

    async def open_document(self, blob_id: str, name: str, type_: str, size: int = 0) -> Path:
        return await self.attachments.open_copy(blob_id, name, type_, size)

    async def document_content(
        self, blob_id: str, name: str, type_: str, size: int = 0
    ) -> CachedContent:
        """The document read in place from the encrypted cache (fetched first if needed): what a
        preview reads, without a decrypted copy on disk."""
        return await self.attachments.content(blob_id, name, type_, size)

    async def copy_document(self, blob_id: str, name: str, type_: str, size: int = 0) -> Path:
        """A private copy to attach to a new message (a forward): programs pass on too, since
        the copy is never opened here; the recipient's client decides what to do with them."""
        return await self.attachments.private_copy(blob_id, name, type_, size)

    async def save_document(
        self, blob_id: str, name: str, type_: str, dest: Path, size: int = 0
    ) -> Path:
        return await self.attachments.save_as(blob_id, name, type_, dest, size)

    def documents_used_bytes(self) -> int:
        return self.attachments.used_bytes()

    def documents_offline(self, blob_ids: Iterable[str]) -> set[str]:
        """Those of `blob_ids` that open without the server (their content is in the cache)."""
        return self.attachments.available(blob_ids)

    async def set_documents_budget(self, budget_bytes: int, offline_days: int | None = None) -> int:
        """Applied at once (older documents let go down to it); returns the bytes freed. With
        `offline_days`, the documents of that many last days are the ones kept ahead."""
        if offline_days is not None:
            self.offline_days = offline_days
            if self.engine is not None:
                self.engine.offline_days = offline_days
        return await self.attachments.set_budget(budget_bytes)

    # Correspondents: directory, favorites, recents -----------------------------------------------

    async def _regional(self) -> RegionalUrls:
        if self.regional_urls is None and self.jmap is not None:
            self.regional_urls = (await self.jmap.session()).regional
        if self.regional_urls is None:
            raise NoRegionalServices("no regional capability")
        return self.regional_urls

    async def directory(self) -> DirectoryClient:
        """The session's one directory client: its bucket and what /metadata said are kept."""
        urls = await self._regional()
        assert self.account.http is not None
        if self._directory is None or self._directory.base_url != urls.directory_url.rstrip("/"):
            self._directory = DirectoryClient(
                self.account.http,
                urls.directory_url,
                bucket=self.directory_bucket,
                on_wait=self._directory_waits,
            )
        return self._directory

    def _directory_waits(self, message: messages.Message) -> None:
        for listener in list(self.directory_wait_listeners):
            listener(message)

    async def search_directory(self, query: DirectoryQuery) -> DirectoryPage:
        return await (await self.directory()).search(query)

    async def next_directory_page(self, page: DirectoryPage) -> DirectoryPage | None:
        return await (await self.directory()).next_page(page)

    async def regional(self) -> RegionalClient:
        urls = await self._regional()
        assert self.account.http is not None
        return RegionalClient(self.account.http, urls.regional_api_url, self.account.policy)

    async def find_communes(self, text: str, limit: int = 8) -> list[Place]:
        """Communes by name or postal code, with a position from the directory (settings)."""
        urls = await self._regional()
        assert self.account.http is not None
        finder = PlaceFinder(self.account.http, urls.directory_url, bucket=self.directory_bucket)
        return await finder.communes(text, limit)

    async def own_practice(self) -> Place | None:
        """Where the directory says this user practises (the default practice location)."""
        urls = await self._regional()
        assert self.account.http is not None
        mailbox = (await self.own_address()).email
        finder = PlaceFinder(self.account.http, urls.directory_url, bucket=self.directory_bucket)
        return await finder.practice_of(mailbox)

    def favorites(self) -> list[contacts.Favorite]:
        with self.account.cache.read() as conn:
            return contacts.list_favorites(conn)

    async def set_favorite(self, address: str, display: dict[str, Any], on: bool) -> None:
        """Kept here at once (offline too), then sent to the server by the favorites' sync."""
        if on:
            await self.account.cache.write(
                partial(contacts.add_favorite, address=address, display=display)
            )
        else:
            await self.account.cache.write(partial(contacts.remove_favorite, address=address))
        self.favorite_sync.wake.set()

    async def sync_favorites(self) -> bool:
        """The favorites sent to the server and merged with those of the user's other computers
        now (the background sync does it on its own); True when the ones shown changed."""
        return await self.favorite_sync.sync()

    async def at_hand(self, recents: int = 10) -> contacts.AtHand:
        """Favorites, the best recents and the counts of messages written to each, read in a
        worker thread: counting the Sent mailbox takes 40-70 ms with 10,000 sent messages, a
        stall of the UI if it ran there (the recipients' completion and the Annuaire page ask
        for it)."""
        return await asyncio.to_thread(self._at_hand, recents)

    def _at_hand(self, recents: int) -> contacts.AtHand:
        with self.account.cache.read() as conn:
            return contacts.at_hand(conn, recents)
