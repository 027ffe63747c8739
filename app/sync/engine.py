"""The sync engine: makes the encrypted cache converge to the server's state, and sends local
flag changes (seen, flagged, moved, deleted) to it.

- Initial sync (and clean resync after cannotCalculateChanges) = "reconciliation": the server's
  Email state is noted first, then the ids of every email newest first, then the emails the
  cache lacks, page after page (the inbox is usable after the first page). It needs no progress
  bookkeeping to resume after a crash: a restart asks for the ids again and fetches only what is
  missing. The noted state then becomes the base of deltas, so nothing changed meanwhile is lost.
- Delta sync follows Email/changes and Mailbox/changes, looping on hasMoreChanges.
- Local actions are applied to the cache at once, kept in pending_actions, and replayed in order
  when the server answers; until then, server updates of those emails' flags wait.
- A first sync stores its pages in as few transactions as the writer's pace allows: the pages
  that arrived while the writer stored the previous ones go together (up to WRITE_GROUP). Each
  COMMIT writes again every page of the cache's indexes it touched (random ids, senders,
  subjects), so one transaction per page of 250 wrote 12 times the cache's size (351 MB for a
  30 MB cache of 10,000 emails); by four pages, 152 MB, and the COMMITs' time fell from
  1.3-2.4 s to 0.9 s (synchronous is already NORMAL: no fsync per COMMIT in WAL mode).
- What follows a pass (`sync_all`): the patients read from the messages' XDM packages
  (app/sync/patients.py) start on the first page written and take up every new one, so that the
  first sync of a large mailbox ends with its patients; the documents kept for offline use
  (app/sync/prefetch.py) come after the patients, newest first: the packages are what the
  mailbox's list needs, and documents downloaded beside them only slowed both (the connection,
  the writer and the interpreter are shared).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from app import logs, messages
from app.attachments import Attachments, NotAvailableOffline
from app.crashpoints import crashpoint
from app.errors import CoreError
from app.events import ConnectionChanged, DiskChanged, EventBus, MailChanged, SyncProgress
from app.messages import Message
from app.remote.auth import ReauthRequired
from app.remote.http import ServerUnreachable, TlsFailure
from app.remote.jmap import (
    CannotCalculateChanges,
    JmapClient,
    JmapError,
    MethodError,
)
from app.remote.origins import OriginRefused
from app.store import delivery, mail, pending, receipts, traces
from app.store.db import Cache, Connection, DiskError
from app.store.records import EmailRecord, MailboxRecord
from app.sync.delivery import read_reports
from app.sync.mapping import (
    EMAIL_GET_ARGS,
    MAILBOX_PROPERTIES,
    MUTABLE_PROPERTIES,
    email_record,
    id_set,
    mailbox_record,
)
from app.sync.patients import read_patients
from app.sync.prefetch import DEFAULT_DAYS, prefetch, window_start
from app.sync.receipts import read_receipts
from app.sync.reconnect import RETRY_FIRST_S, RETRY_MAX_S, Reconnection, wait_any

log = logs.get("sync")

INITIAL_STATE_KEY = "Email.initial"  # the Email state noted when a (re)sync began
IDS_PAGE = 2000
WRITE_GROUP = 4  # pages of a first sync stored in one transaction at most
FETCHING = 3  # pages of a first sync travelling at once while the writer stores others
MAX_ACTION_ATTEMPTS = 5


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    mailboxes: int = 0
    full: bool = False
    seconds: float = 0.0
    patients: int = 0  # emails whose patient was read from their package (sync_all)
    documents: int = 0  # documents stored for offline use (sync_all)
    # sync_all: seconds from its start to the end of the pass, of the patients, of the documents
    pass_ended: float = 0.0
    patients_ended: float = 0.0
    documents_ended: float = 0.0


@dataclass(frozen=True)
class LocalAction:
    """What the user did to some emails, as the server must be told."""

    kind: str  # "keywords" | "move" | "destroy"
    email_ids: tuple[str, ...]
    keywords: dict[str, bool] = field(default_factory=dict)  # for "keywords": $seen → True…
    mailbox_ids: tuple[str, ...] = ()  # for "move": the new set of mailboxes
    actor: str = ""  # issue 14 §5: who did it (this account's address), for the trace


PUSH_PING_S = 30
# The cache's email ids are compared with the server's at least this often (s), besides the first
# pass, a failed one and a push drop: a server restored from a backup between two passes that
# both succeeded, without push, is noticed within the hour (see `_check_ids`).
IDS_CHECK_S = 3600.0


class SyncEngine:
    def __init__(
        self,
        cache: Cache,
        jmap: JmapClient,
        bus: EventBus | None = None,
        *,
        page_size: int = 250,
        poll_interval: float = 60.0,
        reconnection: Reconnection | None = None,
        documents: Attachments | None = None,
        offline_days: int = DEFAULT_DAYS,
    ) -> None:
        self.cache = cache
        self.jmap = jmap
        self.bus = bus or EventBus()
        self.page_size = page_size
        self.poll_interval = poll_interval
        # The server pings the push stream this often (s); a stream silent for about two pings
        # more is taken for dead and reopened (app.remote.push's read deadline).
        self.push_ping = PUSH_PING_S
        self._wake = asyncio.Event()
        self.reconnection = reconnection or Reconnection()
        self._lock = asyncio.Lock()  # one sync at a time
        self._unreadable_packages: set[str] = set()
        self.online: bool | None = None
        # The last pass could not write (a full disk): said until one can.
        self.disk_error: DiskError | None = None
        self._offline_reason: Message | None = None
        self.documents = documents  # None: nothing is kept ahead (the CLI, some tests)
        self.offline_days = offline_days
        self._followers: list[asyncio.Event] = []  # set when a page of emails is written
        # When the ids were last compared with the server's (monotonic s; None: at the next
        # pass): see `_check_ids`.
        self._ids_checked_at: float | None = None
        self.ids_check_every = IDS_CHECK_S

    # One pass ----------------------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """Pending local actions first, then mailboxes, then emails. Network errors propagate
        (ServerUnreachable); the cache stays consistent at every page."""
        async with self._lock:
            try:
                return await self._pass()
            except BaseException:
                self._ids_checked_at = None  # the server may come back as another (a backup)
                raise

    async def _pass(self) -> SyncReport:
        started = time.monotonic()
        report = SyncReport()
        await self._flush_actions()
        report.mailboxes = await self._sync_mailboxes()
        # The server answers: said now (the outbox goes at once), not after the whole pass.
        self.reconnection.answered()
        self._set_online(True)
        state = await self.cache.write(lambda c: mail.get_state(c, "Email"))
        resuming = await self.cache.write(lambda c: mail.get_state(c, INITIAL_STATE_KEY))
        if state is None or resuming is not None:
            await self._reconcile(report)
        else:
            try:
                await self._email_changes(state, report)
            except CannotCalculateChanges:
                log.info("email state too old: clean resync")
                await self.cache.write(lambda c: mail.clear_type(c, "Email"))
                await self._reconcile(report)
            else:
                if self._ids_due():
                    await self._check_ids(report)
        if self._ids_checked_at is None:  # a reconcile has just compared everything
            self._ids_checked_at = time.monotonic()
        report.seconds = time.monotonic() - started
        self._set_online(True)
        return report

    async def read_patients(self) -> int:
        """The patients of new messages, from their IHE_XDM.ZIP; returns how many were found.
        With documents kept offline, the packages go through their cache: the recent ones are
        the prefetch's too, and each is downloaded once."""
        since = window_start(self.offline_days) if self.documents is not None else None
        return await read_patients(
            self.cache,
            self.jmap,
            self.bus,
            self._unreadable_packages,
            documents=self.documents,
            keep_since_ms=since,
        )

    async def keep_documents(self) -> int:
        """The recent documents the cache lacks, within the budget; returns how many came.
        Offline, it stops quietly: the next pass resumes."""
        if self.documents is None:
            return 0
        try:
            return await prefetch(self.documents, self.offline_days)
        except (NotAvailableOffline, TlsFailure) as e:
            log.info("documents not kept ahead for now (%s)", type(e).__name__)
            return 0

    async def sync_all(self) -> SyncReport:
        """A pass (sync_once) with the patients it brings read beside it (from the first page
        written), then the documents it brings kept offline. Returns when all three are done;
        an error of either of the first two propagates and stops the other."""
        started = time.monotonic()
        finished = asyncio.Event()
        patients = asyncio.ensure_future(self._follow(self.read_patients, finished))
        try:
            report = await self.sync_once()
            report.pass_ended = time.monotonic() - started
            finished.set()
            report.patients = await patients
            report.patients_ended = time.monotonic() - started
        finally:
            patients.cancel()
            await asyncio.gather(patients, return_exceptions=True)
        report.documents = await self.keep_documents()
        report.documents_ended = time.monotonic() - started
        return report

    async def _follow(self, work: Callable[[], Awaitable[int]], finished: asyncio.Event) -> int:
        """`work` run on what the cache has, again each time pages were written meanwhile, and
        a last time once the pass is `finished`; the sum of what it returned."""
        news = asyncio.Event()
        self._followers.append(news)
        total = 0
        try:
            while True:
                news.clear()
                last = finished.is_set()  # then this run sees every page
                total += await work()
                if last:
                    return total
                await wait_any(finished, news, self.poll_interval)
        finally:
            self._followers.remove(news)

    def _written(self) -> None:
        for news in self._followers:
            news.set()

    # Mailboxes ---------------------------------------------------------------------------------

    async def _sync_mailboxes(self) -> int:
        state = await self.cache.write(lambda c: mail.get_state(c, "Mailbox"))
        if state is not None:
            try:
                return await self._mailbox_changes(state)
            except CannotCalculateChanges:
                log.info("mailbox state too old: fetching all mailboxes")
        got = await self.jmap.get_all("Mailbox", None, MAILBOX_PROPERTIES)
        records = [mailbox_record(m) for m in got]
        new_state = got.state

        def replace(c: Connection) -> None:
            known = {m.id for m in mail.list_mailboxes(c)}
            mail.delete_mailboxes(c, known - {r.id for r in records})
            mail.upsert_mailboxes(c, records)
            if new_state:
                mail.set_state(c, "Mailbox", new_state)

        await self.cache.write(replace)
        self.bus.publish(MailChanged(mailbox_ids=frozenset(r.id for r in records)))
        return len(records)

    async def _mailbox_changes(self, state: str) -> int:
        changed = 0
        while True:
            answer = await self.jmap.call_one(
                "Mailbox/changes", {"sinceState": state, "maxChanges": 500}
            )
            ids = _ids(answer.get("created")) + _ids(answer.get("updated"))
            destroyed = _ids(answer.get("destroyed"))
            got = await self.jmap.get_all("Mailbox", ids, MAILBOX_PROPERTIES) if ids else []
            records = [mailbox_record(m) for m in got]
            new_state = _state(answer, "newState")
            await self.cache.write(
                partial(
                    _apply_mailbox_changes, records=records, destroyed=destroyed, state=new_state
                )
            )
            changed += len(records) + len(destroyed)
            if records or destroyed:
                self.bus.publish(MailChanged(mailbox_ids=frozenset(ids + destroyed)))
            state = new_state
            if answer.get("hasMoreChanges") is not True:
                return changed

    # Emails: reconciliation (initial sync and resync) ---------------------------------------------

    async def _reconcile(self, report: SyncReport) -> None:
        report.full = True
        base = await self.cache.write(lambda c: mail.get_state(c, INITIAL_STATE_KEY))
        if base is None:
            answer = await self.jmap.call_one("Email/get", {"ids": [], "properties": ["id"]})
            base = _state(answer, "state")
            noted = base
            await self.cache.write(lambda c: mail.set_state(c, INITIAL_STATE_KEY, noted))
        crashpoint("sync.initial.state_noted")
        server_ids = await self._all_email_ids()
        crashpoint("sync.initial.ids_listed")
        local = await self.cache.write(mail.email_ids)
        listed = set(server_ids)
        gone = local - listed
        if gone:
            report.removed += await self.cache.write(lambda c: mail.delete_emails(c, gone))
            self.bus.publish(MailChanged(removed_email_ids=frozenset(gone)))
        missing = [i for i in server_ids if i not in local]
        total = len(server_ids)
        done = total - len(missing)
        self.bus.publish(SyncProgress("initial", done, total))
        # The newest page first and alone, so that the inbox shows quickly; then the rest with
        # several pages in flight, stored by groups (the writer keeps the order of writes).
        first, rest = missing[: self.page_size], missing[self.page_size :]
        if first:
            done += await self._store_pages([(len(first), await self._fetch_page(first))], report)
            self.bus.publish(SyncProgress("initial", done, total))
        pages = [rest[i : i + self.page_size] for i in range(0, len(rest), self.page_size)]
        fetched: asyncio.Queue[tuple[int, list[dict[str, Any]]]] = asyncio.Queue()
        gate = asyncio.Semaphore(FETCHING)
        # Pages in memory (travelling, or waiting for the writer) stay bounded when the writer
        # is slower than the network: a page's place is given back once it is stored.
        held = asyncio.Semaphore(FETCHING + WRITE_GROUP)

        async def fetch(ids: list[str]) -> None:
            await held.acquire()
            async with gate:
                fetched.put_nowait((len(ids), await self._fetch_page(ids)))

        async def store() -> None:
            nonlocal done
            left = len(pages)
            while left:
                # What arrived while the last group was written goes in the next transaction.
                group = [await fetched.get()]
                while len(group) < WRITE_GROUP and not fetched.empty():
                    group.append(fetched.get_nowait())
                left -= len(group)
                done += await self._store_pages(group, report)
                for _ in group:
                    held.release()
                self.bus.publish(SyncProgress("initial", done, total))

        tasks = [asyncio.ensure_future(fetch(p)) for p in pages]
        tasks.append(asyncio.ensure_future(store()))
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        known = [i for i in server_ids if i in local]
        if known:  # a resync: flags of what we had may have changed meanwhile
            await self._refresh_flags(known, report)
        final = base

        def finish(c: Connection) -> None:
            mail.set_state(c, "Email", final)
            mail.clear_type(c, INITIAL_STATE_KEY)

        await self.cache.write(finish)
        crashpoint("sync.initial.finished")
        # Whatever changed since the noted state (including during this pass) comes now.
        await self._email_changes(base, report)

    def _distrust_ids(self) -> None:
        """The push stream dropped: the server may have restarted from a backup between two
        passes that both succeeded; the next pass compares the ids."""
        self._ids_checked_at = None

    def _ids_due(self) -> bool:
        checked = self._ids_checked_at
        return checked is None or time.monotonic() - checked >= self.ids_check_every

    async def _check_ids(self, report: SyncReport) -> None:
        """At the first pass, after a failed one, after a push drop, and hourly: the cache's
        emails compared with the server's (ids only). A server restored from a backup has gone
        back to older states; once it has made as many changes as were lost, /changes from the
        cache's state is accepted and bridges nothing of what the backup lacks (issue 17 §1).
        A difference resyncs without clearing: what is gone goes, what is missing comes, the
        flags of the rest are read."""
        server_ids = set(await self._all_email_ids())
        local = await self.cache.write(mail.email_ids)
        self._ids_checked_at = time.monotonic()
        if server_ids != local:
            log.warning(
                "the cache's emails differ from the server's (%d missing, %d gone): resync",
                len(server_ids - local),
                len(local - server_ids),
            )
            await self._reconcile(report)

    async def _all_email_ids(self) -> list[str]:
        """Every email id of the account, newest first (ids only: cheap even for 100,000)."""
        ids: list[str] = []
        position = 0
        while True:
            answer = await self.jmap.call_one(
                "Email/query",
                {
                    "sort": [{"property": "receivedAt", "isAscending": False}],
                    "position": position,
                    "limit": IDS_PAGE,
                },
            )
            page = _ids(answer.get("ids"))
            ids.extend(page)
            position += len(page)
            if len(page) < IDS_PAGE:
                return list(dict.fromkeys(ids))

    async def _fetch_page(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return list(await self.jmap.get_all("Email", ids, **EMAIL_GET_ARGS))

    async def _store_pages(
        self, pages: Sequence[tuple[int, list[dict[str, Any]]]], report: SyncReport
    ) -> int:
        """Pages of emails the cache lacked, each (ids asked for, emails got), in one
        transaction; returns how many ids they answered."""
        skip = await self._emails_with_pending_actions()
        got = [email for _asked, page in pages for email in page]

        def store(c: Connection) -> list[EmailRecord]:
            # Mapped on the writer thread, not the event loop's: a page is some 30 ms of Python
            # that would freeze the window, and the interpreter switches threads every 5 ms.
            # An email deleted here but not yet on the server must not come back.
            records = [r for r in map(email_record, got) if r.id not in skip]
            # Ids the cache lacked (listed under the sync lock): the bulk insert.
            kept = [r for r in records if not r.is_report]
            mail.insert_new_emails(c, records=kept)
            receipts.note_requests(c, kept)
            traces.add(c, traces.received(kept, traces.inbox_id(c)))
            return records

        records = await self._receipts_apart(await self.cache.write(store))
        crashpoint("sync.page_written")
        self._written()
        report.added += len(records)
        self.bus.publish(
            MailChanged(
                email_ids=frozenset(r.id for r in records),
                thread_ids=frozenset(r.thread_id for r in records),
                mailbox_ids=frozenset(m for r in records for m in r.mailbox_ids),
            )
        )
        return sum(asked for asked, _page in pages)

    async def _refresh_flags(self, ids: Sequence[str], report: SyncReport) -> None:
        got = await self.jmap.get_all("Email", ids, MUTABLE_PROPERTIES)
        skip = await self._emails_with_pending_actions()
        rows = _flag_rows(got, skip)
        await self.cache.write(
            partial(_apply_email_changes, records=[], flag_rows=rows, destroyed=[], state=None)
        )
        report.updated += len(rows)
        if rows:
            self.bus.publish(MailChanged(email_ids=frozenset(r[0] for r in rows)))

    # Emails: deltas ----------------------------------------------------------------------------

    async def _email_changes(self, state: str, report: SyncReport) -> None:
        while True:
            answer = await self.jmap.call_one(
                "Email/changes", {"sinceState": state, "maxChanges": self.page_size * 4}
            )
            created = _ids(answer.get("created"))
            updated = _ids(answer.get("updated"))
            destroyed = _ids(answer.get("destroyed"))
            new_state = _state(answer, "newState")
            local = await self.cache.write(mail.email_ids)
            # An "updated" id the cache never saw (paging of /changes can report a creation so)
            # is fetched whole, like a created one.
            fetch = [i for i in created + updated if i not in local]
            flags = [i for i in updated if i in local]
            full = await self.jmap.get_all("Email", fetch, **EMAIL_GET_ARGS) if fetch else []
            light = await self.jmap.get_all("Email", flags, MUTABLE_PROPERTIES) if flags else []
            skip = await self._emails_with_pending_actions()
            records = await self._receipts_apart(
                [r for r in map(email_record, full) if r.id not in skip]
            )
            flag_rows = _flag_rows(light, skip)
            await self.cache.write(
                partial(
                    _apply_email_changes,
                    records=records,
                    flag_rows=flag_rows,
                    destroyed=destroyed,
                    state=new_state,
                )
            )
            crashpoint("sync.delta_written")
            self._written()
            report.added += len(records)
            report.updated += len(flag_rows)
            report.removed += len(destroyed)
            if records or flag_rows or destroyed:
                self.bus.publish(
                    MailChanged(
                        email_ids=frozenset([r.id for r in records] + [f[0] for f in flag_rows]),
                        thread_ids=frozenset(r.thread_id for r in records),
                        removed_email_ids=frozenset(destroyed),
                    )
                )
            state = new_state
            if answer.get("hasMoreChanges") is not True:
                return

    async def _receipts_apart(self, records: list[EmailRecord]) -> list[EmailRecord]:
        """Issue 14 §2: read receipts update the messages they answer and are not messages; the
        others are returned."""
        mdns = [r for r in records if r.is_receipt]
        dsns = [r for r in records if r.is_dsn]
        if not mdns and not dsns:
            return records
        got = await read_receipts(self.jmap, mdns) if mdns else []
        reports = await read_reports(self.jmap, dsns) if dsns else []

        def store(c: Connection) -> tuple[set[str], set[str]]:
            answered = receipts.record_receipts(c, got)
            answered += [m for m, s in reports if delivery.record_statuses(c, m, s)]
            return receipts.thread_of(c, answered)

        email_ids, thread_ids = await self.cache.write(store)
        if email_ids:
            self.bus.publish(
                MailChanged(email_ids=frozenset(email_ids), thread_ids=frozenset(thread_ids))
            )
        return [r for r in records if not r.is_report]

    # Local actions -----------------------------------------------------------------------------

    async def apply(self, action: LocalAction) -> None:
        """Applies `action` to the cache now and queues it for the server; tries to send it
        at once (quietly kept for later when offline)."""
        await record_action(self.cache, self.bus, action)
        try:
            await self._flush_actions()
        except CoreError as e:  # offline, or the server wants the password again
            log.info("local action kept for later (%s)", type(e).__name__)

    async def _flush_actions(self) -> None:
        actions = await self.cache.write(pending.list_actions)
        for action in actions:
            update: dict[str, Any] = {}
            destroy: list[str] = []
            for email_id in action.email_ids:
                if action.kind == "keywords":
                    update[email_id] = {
                        f"keywords/{k}": (True if on else None)
                        for k, on in action.payload.get("keywords", {}).items()
                    }
                elif action.kind == "move":
                    update[email_id] = {
                        "mailboxIds": dict.fromkeys(action.payload.get("mailboxIds", []), True)
                    }
                elif action.kind == "destroy":
                    destroy.append(email_id)
            args: dict[str, Any] = {}
            if update:
                args["update"] = update
            if destroy:
                args["destroy"] = destroy
            try:
                answer = await self.jmap.call_one("Email/set", args) if args else {}
            except ServerUnreachable:
                raise
            except (MethodError, JmapError) as e:
                reason = type(e).__name__
                if action.attempts + 1 >= MAX_ACTION_ATTEMPTS:
                    await self.cache.write(partial(pending.remove, action_id=action.id))
                    log.warning("local action refused (%s): dropped", reason)
                else:
                    await self.cache.write(
                        partial(pending.bump_attempts, action_id=action.id, error=reason)
                    )
                    log.warning("local action refused (%s): will retry", reason)
                continue
            refused = _refused(answer)
            if refused:
                # The server keeps its version; the next delta brings it back here.
                log.info("server refused a local change for %d emails", len(refused))
            await self.cache.write(partial(pending.remove, action_id=action.id))
            crashpoint("sync.action_sent")

    async def _emails_with_pending_actions(self) -> set[str]:
        actions = await self.cache.write(pending.list_actions)
        return {email_id for a in actions for email_id in a.email_ids}

    # Running -----------------------------------------------------------------------------------

    def wake(self) -> None:
        """Asks for a sync soon (push told us something changed, or the user asked)."""
        self._wake.set()
        self.reconnection.try_now()

    async def run(self, stop: asyncio.Event) -> None:
        """Syncs, then waits for push or the poll timer, until `stop`; offline, retries with a
        growing delay (and says so once through ConnectionChanged)."""
        listener = asyncio.create_task(self._listen_push(stop))
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    await self.sync_all()
                    wait = self.poll_interval
                    self._set_disk(None)
                except DiskError as e:
                    # Full (or read-only) data folder: what was written stays, the rest comes at
                    # the next pass (poll, push, F5) once there is room again.
                    log.warning("sync stopped: cannot write (%s)", e)
                    self._set_disk(e)
                    wait = self.poll_interval
                except ReauthRequired:
                    # The UI asks for the password (ReauthNeeded); sync resumes when woken.
                    wait = self.poll_interval
                except ServerUnreachable as e:
                    self._set_online(False, e)
                    await self.reconnection.wait(stop)  # short at first; ends when it answers
                    continue
                except OriginRefused as e:
                    # The Session, fetched again, names an origin this account may not use:
                    # nothing went there; said in the status bar, checked again at each poll.
                    log.warning("session refused: %s", e)
                    self._set_online(False, e)
                    wait = self.poll_interval
                await wait_any(stop, self._wake, wait)
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)

    async def _listen_push(self, stop: asyncio.Event) -> None:
        """Wakes the loop on every StateChange; ends quietly when the server has no push."""
        while not stop.is_set():
            try:
                # Reconnected on the same schedule as the sync (its answer ends the sync's wait).
                changes = self.jmap.push(
                    types="Email,Mailbox",
                    ping=self.push_ping,
                    backoff_initial=RETRY_FIRST_S,
                    backoff_max=RETRY_MAX_S,
                    on_drop=self._distrust_ids,
                )
                async for _change in changes:
                    self.wake()
                return  # no push on this server: the poll timer does the work
            except (JmapError, CoreError) as e:
                log.info("push unavailable for now (%s)", type(e).__name__)
                await wait_any(stop, asyncio.Event(), RETRY_MAX_S)

    def _set_disk(self, error: DiskError | None) -> None:
        """Says once that writing failed, and once that it works again."""
        if (self.disk_error is None) == (error is None):
            self.disk_error = error
            return
        self.disk_error = error
        self.bus.publish(DiskChanged(None if error is None else error.message))

    def _set_online(self, online: bool, error: CoreError | None = None) -> None:
        """Says it once per change: back online, offline, or refused for another reason (a
        certificate or a Session refused is said as such, never as "serveur injoignable")."""
        refused = isinstance(error, TlsFailure)
        reason: Message | None = None
        if not online:
            said = refused or isinstance(error, OriginRefused)
            kept = messages.OFFLINE_CACHE_READABLE
            reason = error.message if said and error is not None else kept
        if self.online is online and reason == self._offline_reason:
            return
        self.online, self._offline_reason = online, reason
        self.bus.publish(ConnectionChanged(online, reason, tls_refused=refused))


async def record_action(cache: Cache, bus: EventBus, action: LocalAction) -> None:
    """What the user did, kept for the server and applied to the cache (offline too)."""

    # The intent first, in the unsent file: killed right after, the action is still sent and the
    # next sync brings its effect back here. (Each file commits on its own.) Its trace (issue 14
    # §5) goes in the same file and transaction: one exists exactly when the action does.
    def intent(c: Connection) -> None:
        pending.add(
            c,
            kind=action.kind,
            email_ids=action.email_ids,
            payload={"keywords": action.keywords, "mailboxIds": list(action.mailbox_ids)},
        )
        traces.add(c, _traces_of(c, action))

    await cache.write(intent)
    crashpoint("sync.action_queued")
    await cache.write(partial(_apply_locally, action=action))
    changed = frozenset(action.email_ids)
    if action.kind == "destroy":
        bus.publish(MailChanged(removed_email_ids=changed))
    else:
        bus.publish(MailChanged(email_ids=changed))


def _traces_of(c: Connection, action: LocalAction) -> list[traces.Trace]:
    """What the action changes, before it is applied: a read email marked read again, a move to
    where the email already is, leave no trace. A move to the trash is a deletion."""
    now = datetime.now(UTC)
    names, roles = traces.mailbox_names(c)
    found: list[traces.Trace] = []
    for email_id in action.email_ids:
        email = mail.get_email(c, email_id)
        if email is None:
            continue
        was = " / ".join(sorted(names.get(m, m) for m in email.mailbox_ids))
        if action.kind == "keywords" and "$seen" in action.keywords:
            seen = action.keywords["$seen"]
            if seen != ("$seen" in email.keywords):
                kind = traces.Action.READ if seen else traces.Action.UNREAD
                found.append(traces.about(email, kind, action.actor, now))
        elif action.kind == "move" and set(action.mailbox_ids) != set(email.mailbox_ids):
            to = " / ".join(sorted(names.get(m, m) for m in action.mailbox_ids))
            trash = any(roles.get(m) == "trash" for m in action.mailbox_ids)
            kind = traces.Action.DELETED if trash else traces.Action.MOVED
            found.append(traces.about(email, kind, action.actor, now, mailboxes=f"{was} → {to}"))
        elif action.kind == "destroy":
            found.append(
                traces.about(email, traces.Action.DELETED, action.actor, now, mailboxes=was)
            )
    return found


def _apply_locally(c: Connection, action: LocalAction) -> None:
    for email_id in action.email_ids:
        email = mail.get_email(c, email_id)
        if email is None:
            continue
        if action.kind == "keywords":
            keywords = set(email.keywords)
            for keyword, on in action.keywords.items():
                (keywords.add if on else keywords.discard)(keyword)
            mail.set_keywords(c, email_id, keywords)
        elif action.kind == "move":
            mail.set_mailboxes(c, email_id, action.mailbox_ids)
        elif action.kind == "destroy":
            mail.delete_emails(c, [email_id])


def _flag_rows(
    emails: Sequence[dict[str, Any]], skip: set[str]
) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    """(id, keywords, mailboxIds) of emails without local changes waiting for the server."""
    return [
        (e["id"], id_set(e.get("keywords")), id_set(e.get("mailboxIds")))
        for e in emails
        if e["id"] not in skip
    ]


def _apply_mailbox_changes(
    c: Connection, *, records: list[MailboxRecord], destroyed: list[str], state: str
) -> None:
    mail.delete_mailboxes(c, destroyed)
    mail.upsert_mailboxes(c, records)
    mail.set_state(c, "Mailbox", state)


def _apply_email_changes(
    c: Connection,
    *,
    records: list[EmailRecord],
    flag_rows: list[tuple[str, frozenset[str], frozenset[str]]],
    destroyed: list[str],
    state: str | None,
) -> None:
    """One transaction: what a page of changes did, and the state it brings the cache to.
    `records` are emails the cache lacked (listed under the sync lock): the bulk insert."""
    mail.delete_emails(c, destroyed)
    mail.insert_new_emails(c, records)
    receipts.note_requests(c, records)
    traces.add(c, traces.received(records, traces.inbox_id(c)))
    for email_id, keywords, mailbox_ids in flag_rows:
        mail.set_keywords(c, email_id, keywords)
        mail.set_mailboxes(c, email_id, mailbox_ids)
    if state is not None:
        mail.set_state(c, "Email", state)


def _ids(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidIds()
    return list(value)


def _state(answer: dict[str, Any], key: str) -> str:
    value = answer.get(key)
    if not isinstance(value, str):
        raise InvalidIds(f"{key} is not a string")
    return value


def _refused(answer: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("notUpdated", "notDestroyed"):
        value = answer.get(key)
        if isinstance(value, dict):
            out.extend(k for k in value if isinstance(k, str))
    return out


class InvalidIds(JmapError):
    """A list of ids or a state the server sent is malformed."""
