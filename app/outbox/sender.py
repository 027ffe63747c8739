"""The outbox: sending = persist, upload the documents, create the Email, submit it.

Exactly once even if the process is killed at any step: the Message-ID is generated when the
message is queued, and before creating or submitting again the server is asked (Email/query on
the Message-ID header, then the found email's $draft keyword) whether that step already happened.
A draft that vanished before its submission (another client deleted it, the server lost it) was
not sent — the submission moves the email to Sent, it never destroys it — so the email is created
again from the outbox's own copy; never is a message marked sent without a submission the server
accepted (a second loss in one pass leaves it failed, with its reason, for "Réessayer").
Everything a message needs — its text and its documents — is copied into the encrypted unsent file
(beside the cache, never rebuilt) when it is queued, so the files may move, the computer may
restart and the cache may be rebuilt: nothing is lost. Large documents never sit whole in memory:
they are copied in chunks, the IHE_XDM.ZIP is streamed from those copies into chunk rows of its own,
and the upload reads them back through one thread and one connection (app.outbox.reader). What the
server would refuse for its size is refused before queueing (app.outbox.limits).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

from app import logs, messages
from app.crashpoints import crashpoint
from app.errors import CoreError
from app.events import EventBus, OutboxChanged
from app.message.compose import (
    OutgoingAttachment,
    OutgoingMessage,
    check_patient_mailboxes,
    domain_of,
    email_create,
    new_message_id,
    write_message_xdm,
)
from app.message.dsn import status_code
from app.message.patient import PatientIdentity
from app.messages import Message
from app.outbox.conventions import dsn_offered, fetch_sender_facts, nil_of
from app.outbox.limits import (
    SendLimits,
    check_patient_mailbox_size,
    check_sizes,
    fetch_limits,
    session_document,
    too_large_message,
)
from app.outbox.reader import UnsentReader
from app.remote.http import ServerUnreachable
from app.remote.jmap import JmapClient, JmapError
from app.store import delivery, traces
from app.store import outbox as rows
from app.store.db import Cache, CacheCorrupt, Connection, DiskError
from app.store.outbox import OutboxState
from app.store.records import Address, RecipientStatus, from_ms

log = logs.get("outbox")


# How many times one send pass creates the email when its draft vanishes before the submission.
DRAFT_ATTEMPTS = 2
# The longest undo delay (the setting's range): the cap of a stored delay that does not say its own.
MAX_HOLD_S = 60.0


class OutboxError(CoreError):
    message = messages.SEND_FAILED


class _Draft(Enum):
    """Where the server's copy of a message being sent stands."""

    DRAFT = "draft"  # created, not submitted yet
    SENT = "sent"  # submitted (no longer a draft)
    GONE = "gone"  # destroyed before its submission: nothing went


class Outbox:
    def __init__(self, cache: Cache, jmap: JmapClient | None, bus: EventBus | None = None) -> None:
        """`jmap` is None offline: messages can still be queued."""
        self.cache = cache
        self._jmap = jmap
        self.bus = bus or EventBus()
        # One sender at a time, in order; taking a message back holds it too (withdraw.py).
        self.lock = asyncio.Lock()
        self._limits: tuple[str, SendLimits] | None = None  # (Session state, its limits)
        self._dsn: tuple[str, bool] | None = None  # (Session state, DSN offered)
        # Outbox id → monotonic end of its undo delay, for this run (see hold_left).
        self._deadlines: dict[str, float] = {}

    # Queueing ----------------------------------------------------------------------------------

    async def queue(self, msg: OutgoingMessage, hold_s: float = 0) -> str:
        """Persists `msg` with copies of its documents; returns the outbox id. Works offline.
        MessageTooLarge when the server is known to refuse it for its size (offline, the limits
        are unknown: the server's answer at sending time says it then). With `hold_s`, the undo
        delay: no send pass takes the message before that many seconds, measured on the monotonic
        clock (a wall clock set forward or back meanwhile changes nothing); the wall-clock end and
        the delay are kept with it too, for a restart (hold_left)."""
        if not msg.message_id:
            msg = dataclasses.replace(msg, message_id=new_message_id(domain_of(msg.from_.email)))
        await self.check_patient_mailbox(msg)
        await self.check_size(msg)
        msg = await self._with_author(msg)
        outbox_id = uuid.uuid4().hex
        hold = (_now_ms() + int(hold_s * 1000), hold_s) if hold_s > 0 else None
        if hold is not None:
            self._deadlines[outbox_id] = time.monotonic() + hold_s
        await asyncio.to_thread(self._store_contents, outbox_id, msg, hold)
        crashpoint("outbox.queued")
        await self.publish_counts()
        log.info("message queued (%d documents)", len(msg.attachments))
        return outbox_id

    async def check_size(self, msg: OutgoingMessage) -> None:
        """MessageTooLarge when a document, the IHE_XDM.ZIP or all the attachments are over the
        server's limits; nothing when offline (the limits are not known)."""
        if not msg.attachments or self._jmap is None:
            return
        sizes = await asyncio.to_thread(lambda: [a.path.stat().st_size for a in msg.attachments])
        try:
            limits = await self._send_limits()
        except ServerUnreachable:
            log.info("server unreachable: message size not checked before queueing")
            return
        check_sizes(
            [(a.name, size) for a, size in zip(msg.attachments, sizes, strict=True)],
            msg.needs_xdm,
            limits,
        )

    async def check_patient_mailbox(self, msg: OutgoingMessage) -> None:
        """ComposeError or MessageTooLarge when a patient's mailbox cannot take `msg` (its rules
        need no server: checked offline too)."""
        if not check_patient_mailboxes(msg).mailboxes or not msg.attachments:
            return
        sizes = await asyncio.to_thread(lambda: [a.path.stat().st_size for a in msg.attachments])
        check_patient_mailbox_size(sizes, msg.needs_xdm)

    async def _with_author(self, msg: OutgoingMessage) -> OutgoingMessage:
        """`msg` with the sender's RPPS, for the author of its CDA documents (written when it is
        queued); offline it goes without (the CDA says the author's identifier is unknown)."""
        if msg.author_rpps is not None or not msg.needs_xdm or self._jmap is None:
            return msg
        try:
            rpps = (await fetch_sender_facts(self.jmap)).rpps
        except ServerUnreachable:
            log.info("server unreachable: CDA author written without RPPS")
            return msg
        return dataclasses.replace(msg, author_rpps=rpps)

    async def _send_limits(self) -> SendLimits:
        session = await self.jmap.session()
        if self._limits is None or self._limits[0] != session.state:
            self._limits = (session.state, await fetch_limits(self.jmap))
        return self._limits[1]

    def _store_contents(
        self, outbox_id: str, msg: OutgoingMessage, hold: tuple[int, float] | None
    ) -> None:
        """In a thread: one transaction copies every file into the unsent file with the row, then
        streams the IHE_XDM.ZIP from those copies into chunk rows of its own. `hold`: the undo
        delay's wall-clock end (epoch ms) and its length (s)."""
        documents = [(a, _content_key(a.path)) for a in msg.attachments]
        payload = _payload(msg, documents, msg.needs_xdm)
        if hold is not None:
            payload["hold_until"], payload["hold_s"] = hold

        def write(c: Connection) -> None:
            rows.add(c, outbox_id, msg.message_id, payload)
            sizes: list[int] = []
            for attachment, key in documents:
                sizes.append(rows.put_document(c, key, _read_file(attachment.path)))
                rows.link_content(c, outbox_id, key)
            if payload["xdm"] is not None:
                xdm_key = payload["xdm"]["key"]
                contents = [
                    (size, partial(rows.read_document, c, key))
                    for size, (_, key) in zip(sizes, documents, strict=True)
                ]
                with rows.DocumentWriter(c, xdm_key) as sink:
                    write_message_xdm(msg, sink, contents)
                rows.link_content(c, outbox_id, xdm_key)

        self.cache.write_blocking(write)

    @property
    def jmap(self) -> JmapClient:
        if self._jmap is None:
            raise ServerUnreachable("offline")
        return self._jmap

    # Sending -----------------------------------------------------------------------------------

    async def send_pending(self) -> int:
        """Sends every queued message not in its undo delay, oldest first; returns how many went
        out. Stops at the first network error (the rest stays queued); a refused message is marked
        failed with its reason and the next ones go on."""
        sent = 0
        async with self.lock:
            waiting = await self.cache.write(
                lambda c: rows.list_rows(c, OutboxState.QUEUED, OutboxState.SENDING)
            )
            for row in waiting:
                if self.hold_left(row) is not None:
                    continue
                try:
                    await self._send(row.id)
                    sent += 1
                except (CacheCorrupt, DiskError):
                    raise  # a local storage problem, not the server refusing this message
                except ServerUnreachable:
                    await self.cache.write(
                        partial(rows.update, outbox_id=row.id, state=OutboxState.QUEUED)
                    )
                    log.info("server unreachable: outbox kept for later")
                    await self.publish_counts()
                    raise
                except (JmapError, CoreError) as e:
                    reason = getattr(e, "message_fr", OutboxError.message_fr)
                    await self.cache.write(
                        partial(
                            rows.update,
                            outbox_id=row.id,
                            state=OutboxState.FAILED,
                            error=reason,
                            attempts=row.attempts + 1,
                        )
                    )
                    log.warning("message refused by the server (%s)", type(e).__name__)
                await self.publish_counts()
        return sent

    def next_release(self) -> float | None:
        """Seconds until the first message in its undo delay may leave (None: none is held)."""
        with self.cache.read() as c:
            queued = rows.list_rows(c, OutboxState.QUEUED)
        for gone in self._deadlines.keys() - {r.id for r in queued}:
            del self._deadlines[gone]  # sent, taken back or cancelled
        holds = [left for r in queued if (left := self.hold_left(r)) is not None]
        return min(holds) if holds else None

    def hold_left(self, row: rows.OutboxRow) -> float | None:
        """Seconds left of `row`'s undo delay, None when it may leave (or is not waiting).
        Measured on the monotonic clock from when it was queued, so that a wall clock set forward
        never sends it early (the user would lose "Annuler") nor one set back holds it for hours.
        A message queued before a restart has only its stored wall-clock end: what is left of it
        counts from the first time this run sees it — never more than its own delay (the clock
        set back while the app was closed; an older row without its delay: the setting's
        maximum), and a past end sends it at once."""
        if row.state is not OutboxState.QUEUED or row.held_until is None:
            return None
        now = time.monotonic()
        deadline = self._deadlines.get(row.id)
        if deadline is None:
            longest = row.hold_s if row.hold_s is not None else MAX_HOLD_S
            left = min((row.held_until - _now_ms()) / 1000, longest)
            deadline = self._deadlines[row.id] = now + max(left, 0.0)
        return deadline - now if deadline > now else None

    async def retry(self, outbox_id: str) -> None:
        """Puts a failed message back in the queue (the user asked)."""
        await self.cache.write(
            partial(rows.update, outbox_id=outbox_id, state=OutboxState.QUEUED, error=None)
        )
        await self.publish_counts()

    async def _send(self, outbox_id: str) -> None:
        row = await self.cache.write(partial(rows.get, outbox_id=outbox_id))
        if row is None or row.state == OutboxState.SENT:
            return
        await self.cache.write(partial(rows.update, outbox_id=outbox_id, state=OutboxState.SENDING))
        payload = row.payload
        # 1. Documents: uploaded once each (the blob id is kept as soon as it is known).
        items = [*payload["attachments"], *([payload["xdm"]] if payload.get("xdm") else [])]
        waiting = [item for item in items if not item.get("blob_id")]
        if waiting:
            async with UnsentReader(self.cache) as reader:
                for item in waiting:
                    size = await self.cache.write(partial(rows.document_size, key=item["key"]))
                    if size is None:
                        raise OutboxError("content missing", messages.SEND_DOCUMENT_LOST)
                    uploaded = await self.jmap.upload(
                        reader.source(item["key"], size), item["mime_type"]
                    )
                    item["blob_id"] = uploaded.blob_id
                    await self.cache.write(
                        partial(rows.update, outbox_id=outbox_id, payload=payload)
                    )
                    crashpoint("outbox.uploaded")
        mailboxes = await self._mailboxes()
        email_id = row.email_id
        # 2 and 3, made again once if the draft vanished before its submission (another client
        # deleted it, the server lost it): the message is created again from the outbox's copy.
        for _ in range(DRAFT_ATTEMPTS):
            email_id = await self._created(row, payload, items, mailboxes, email_id)
            went, submission = await self._submitted(email_id, payload, mailboxes, outbox_id)
            if went:
                await self.cache.write(partial(_mark_sent, outbox_id=outbox_id))
                crashpoint("outbox.sent")
                log.info("message sent")
                await self._note_delivery(row.message_id, payload, submission)
                return
            email_id = None
            await self.cache.write(partial(rows.update, outbox_id=outbox_id, email_id=None))
            crashpoint("outbox.draft_lost")
            log.warning("the server's draft of a message vanished before its submission")
        raise OutboxError("draft lost before submission", messages.SEND_DRAFT_LOST)

    async def _created(
        self,
        row: rows.OutboxRow,
        payload: dict[str, Any],
        items: list[dict[str, Any]],
        mailboxes: dict[str, str],
        email_id: str | None,
    ) -> str:
        """2. The Email: created once (found by its Message-ID if a previous try created it),
        its id recorded."""
        email_id = email_id or await self._find_email(row.message_id)
        if email_id is None:
            crashpoint("outbox.before_create")
            msg = _message(payload, row.message_id)
            blob_ids = {str(Path(a["key"])): a["blob_id"] for a in payload["attachments"]}
            create = email_create(
                msg,
                blob_ids,
                payload["xdm"]["blob_id"] if payload.get("xdm") else None,
                mailboxes["drafts"],
                nil_of(await self.jmap.session()),
            )
            answer = await self.jmap.call_one("Email/set", {"create": {"m": create}})
            created = answer.get("created")
            if not isinstance(created, dict) or "m" not in created:
                reason = _reason(answer.get("notCreated"))
                if reason == "tooLarge":
                    raise OutboxError("Email/set refused: tooLarge", await self._too_large(items))
                raise OutboxError(
                    "Email/set refused: " + reason,
                    messages.SEND_EMAIL_REFUSED.fill(reason=reason),
                )
            email_id = str(created["m"]["id"])
            crashpoint("outbox.created")
        await self.cache.write(partial(rows.update, outbox_id=row.id, email_id=email_id))
        crashpoint("outbox.email_recorded")
        return email_id

    async def _submitted(
        self, email_id: str, payload: dict[str, Any], mailboxes: dict[str, str], outbox_id: str
    ) -> tuple[bool, dict[str, Any] | None]:
        """3. The submission, only if the email is still a draft. True once the message went
        (now, or at an earlier try: the email is no longer a draft); False when the draft is
        gone — nothing went, since our submission moves the email to Sent and never destroys it.
        With True, the created EmailSubmission when this try made it (else None).
        """
        state = await self._draft_state(email_id)
        if state is _Draft.SENT:
            return True, None
        if state is _Draft.GONE:
            return False, None
        identity_id = await self._identity(payload["from"]["email"])
        submission: dict[str, Any] = {"emailId": email_id, "identityId": identity_id}
        if await self._dsn_offered():
            submission["envelope"] = dsn_envelope(payload, outbox_id)
        crashpoint("outbox.before_submit")
        answer = await self.jmap.call_one(
            "EmailSubmission/set",
            {
                "create": {"s": submission},
                "onSuccessUpdateEmail": {
                    "#s": {
                        f"mailboxIds/{mailboxes['drafts']}": None,
                        f"mailboxIds/{mailboxes['sent']}": True,
                        "keywords/$draft": None,
                    }
                },
            },
        )
        created = answer.get("created")
        if not isinstance(created, dict) or "s" not in created:
            if await self._draft_state(email_id) is _Draft.GONE:
                return False, None  # refused because the draft vanished in between
            reason = _reason(answer.get("notCreated"))
            raise OutboxError("submission refused: " + reason, _submission_refused(reason))
        crashpoint("outbox.submitted")
        made = created["s"]
        return True, made if isinstance(made, dict) else None

    async def _dsn_offered(self) -> bool:
        """Whether the server's submission capability lists the DSN extension (RFC 8621
        §1.3.2 submissionExtensions, RFC 3461): then our envelope asks for delivery reports."""
        session = await self.jmap.session()
        if self._dsn is None or self._dsn[0] != session.state:
            offered = dsn_offered(await session_document(self.jmap), session.account_id)
            self._dsn = (session.state, offered)
        return self._dsn[1]

    async def _note_delivery(
        self, message_id: str, payload: dict[str, Any], submission: dict[str, Any] | None
    ) -> None:
        """Issue 14 §2: « envoyé » for each recipient of a message that went, or what the
        submission's deliveryStatus already says. After the send is recorded: a failure here
        is logged, never a send failure, and never makes the message go again."""
        try:
            status = await self._delivery_status(submission)
            statuses = statuses_of_submission(_recipients(payload), status, datetime.now(UTC))
            bare = message_id.strip().strip("<>")
            await self.cache.write(
                partial(delivery.record_statuses, message_id=bare, statuses=statuses)
            )
            crashpoint("outbox.status_written")
        except (CoreError, JmapError) as e:
            log.info("delivery status of a sent message not recorded (%s)", type(e).__name__)

    async def _delivery_status(self, submission: dict[str, Any] | None) -> object:
        """The deliveryStatus of the submission: from its creation's answer, else asked for."""
        if submission is None:
            return None
        if "deliveryStatus" in submission:
            return submission["deliveryStatus"]
        submission_id = submission.get("id")
        if not isinstance(submission_id, str):
            return None
        got = await self.jmap.get_all("EmailSubmission", [submission_id], ["deliveryStatus"])
        return got[0].get("deliveryStatus") if got else None

    async def _too_large(self, items: list[dict[str, Any]]) -> Message:
        """The reason of a `tooLarge`, with the sizes when they can be had."""
        keys = [item["key"] for item in items]

        def total(c: Connection) -> int:
            return sum(rows.document_size(c, key) or 0 for key in keys)

        size = await self.cache.write(total)
        limit = None
        try:
            limit = (await self._send_limits()).max_size_attachments
        except CoreError:
            log.info("limits unavailable for the tooLarge message")
        return too_large_message(size, limit)

    async def _find_email(self, message_id: str) -> str | None:
        answer = await self.jmap.call_one(
            "Email/query", {"filter": {"header": ["Message-ID", message_id]}, "limit": 2}
        )
        ids = answer.get("ids")
        if isinstance(ids, list) and ids and isinstance(ids[0], str):
            return ids[0]
        return None

    async def _draft_state(self, email_id: str) -> _Draft:
        got = await self.jmap.get_all("Email", [email_id], ["id", "keywords"])
        if not got:
            return _Draft.GONE
        keywords = got[0].get("keywords")
        draft = isinstance(keywords, dict) and keywords.get("$draft") is True
        return _Draft.DRAFT if draft else _Draft.SENT

    async def _mailboxes(self) -> dict[str, str]:
        got = await self.jmap.get_all("Mailbox", None, ["id", "role"])
        roles = {str(m.get("role")).lower(): m["id"] for m in got if m.get("role")}
        if "drafts" not in roles or "sent" not in roles:
            raise OutboxError(
                "no drafts or sent mailbox",
                messages.SEND_NO_FOLDERS,
            )
        return roles

    async def _identity(self, email: str) -> str:
        got = await self.jmap.get_all("Identity", None, ["id", "email"])
        for identity in got:
            if str(identity.get("email", "")).lower() == email.lower():
                return str(identity["id"])
        if got:
            return str(got[0]["id"])
        raise OutboxError("no identity", messages.SEND_NO_IDENTITY)

    async def publish_counts(self) -> None:
        """The counts as the unsent file has them, after each change: never a guess."""
        self.bus.publish(await self.cache.write(counts))


def counts(c: Connection) -> OutboxChanged:
    """How many messages wait (queued or being sent) and how many the server refused."""
    states = [r.state for r in rows.list_rows(c)]
    return OutboxChanged(
        pending=sum(s in (OutboxState.QUEUED, OutboxState.SENDING) for s in states),
        failed=states.count(OutboxState.FAILED),
    )


def _recipients(payload: dict[str, Any]) -> list[str]:
    """Every To, Cc and Bcc address once (whatever its case), in order, as written first."""
    found = [str(a["email"]) for k in ("to", "cc", "bcc") for a in payload.get(k, [])]
    seen: dict[str, str] = {}
    for email in found:
        seen.setdefault(email.lower(), email)
    return list(seen.values())


def dsn_envelope(payload: dict[str, Any], outbox_id: str) -> dict[str, Any]:
    """The SMTP envelope that asks for delivery reports (RFC 3461): headers only back, our
    outbox id as the envelope id, a report on success and on failure for each recipient."""
    return {
        "mailFrom": {
            "email": payload["from"]["email"],
            "parameters": {"RET": "HDRS", "ENVID": outbox_id},
        },
        "rcptTo": [
            {"email": email, "parameters": {"NOTIFY": "SUCCESS,FAILURE"}}
            for email in _recipients(payload)
        ],
    }


def statuses_of_submission(
    recipients: list[str], delivery_status: object, now: datetime
) -> list[RecipientStatus]:
    """« envoyé » for each recipient, « remis » where the server says `delivered: yes`,
    « non distribué » where it says `no` (the code of its SMTP reply as the reason)."""
    given = {
        str(k).lower(): v
        for k, v in (delivery_status.items() if isinstance(delivery_status, dict) else ())
        if isinstance(v, dict)
    }
    out = []
    for recipient in dict.fromkeys([*(r.lower() for r in recipients), *given]):
        status = given.get(recipient, {})
        delivered = status.get("delivered")
        if delivered == "yes":
            out.append(RecipientStatus(recipient, "delivered", now))
        elif delivered == "no":
            reply = status.get("smtpReply")
            code = status_code(reply if isinstance(reply, str) else None) or "5.0.0"
            out.append(RecipientStatus(recipient, "failed", now, code))
        else:
            out.append(RecipientStatus(recipient, "sent", now))
    return out


def _now_ms() -> int:
    return int(time.time() * 1000)


def _mark_sent(c: Connection, outbox_id: str) -> None:
    """Sent: the row stays (the list shows it) but its copies of the documents may go. The trace
    (issue 14 §5) is written in the same transaction of the unsent file, keyed by the Message-ID:
    a retry after a crash before this commit finds the submission done and comes here again, and
    one after it stops at the row's state — one trace per message sent, whatever happened."""
    row = rows.get(c, outbox_id)
    now = _now_ms()
    rows.update(c, outbox_id, state=OutboxState.SENT, error=None, sent_at=now)
    rows.release_content(c, outbox_id)
    if row is not None:
        traces.add(c, [_sent_trace(row, from_ms(now))])


def _sent_trace(row: rows.OutboxRow, at: datetime) -> traces.Trace:
    payload = row.payload
    recipients = [
        Address(a.get("name"), a["email"])
        for a in [*payload["to"], *payload["cc"], *payload["bcc"]]
    ]
    return traces.Trace(
        at=at,
        action=traces.Action.SENT,
        actor=str(payload["from"]["email"]),
        message_id=row.message_id.strip("<>"),  # as the received copies' (JMAP's form)
        subject=str(payload.get("subject") or ""),
        correspondents=traces.addresses(recipients),
        once=f"sent:{row.message_id}",
    )


def _content_key(path: Path) -> str:
    """A cache key for a document to send, unique to this copy."""
    return "out:" + uuid.uuid4().hex + ":" + hashlib.sha256(str(path).encode()).hexdigest()[:8]


def _read_file(path: Path, chunk: int = 256 * 1024) -> Iterator[bytes]:
    with path.open("rb") as f:
        while piece := f.read(chunk):
            yield piece


def _payload(
    msg: OutgoingMessage, documents: list[tuple[OutgoingAttachment, str]], with_xdm: bool
) -> dict[str, Any]:
    def addr(a: Address) -> dict[str, Any]:
        return {"name": a.name, "email": a.email}

    patient = msg.patient
    return {
        "from": addr(msg.from_),
        "to": [addr(a) for a in msg.to],
        "cc": [addr(a) for a in msg.cc],
        "bcc": [addr(a) for a in msg.bcc],
        "subject": msg.subject,
        "text": msg.text,
        "html": msg.html,
        "in_reply_to": msg.in_reply_to,
        "references": msg.references,
        "patient": _patient_json(patient) if patient else None,
        "attachments": [
            {"key": key, "name": a.name, "mime_type": a.mime_type, "type_code": a.type_code}
            for a, key in documents
        ],
        "xdm": {"key": "out:" + uuid.uuid4().hex + ":xdm", "mime_type": "application/zip"}
        if with_xdm
        else None,
        "author_rpps": msg.author_rpps,
        "patient_cannot_reply": msg.patient_cannot_reply,
        "read_receipt": msg.read_receipt,  # issue 14 §2
    }


def _message(payload: dict[str, Any], message_id: str) -> OutgoingMessage:
    """The message back from its payload; attachments are named by their cache key."""

    def addr(d: dict[str, Any]) -> Address:
        return Address(d.get("name"), d["email"])

    patient = payload.get("patient")
    return OutgoingMessage(
        from_=addr(payload["from"]),
        to=[addr(a) for a in payload["to"]],
        cc=[addr(a) for a in payload["cc"]],
        bcc=[addr(a) for a in payload["bcc"]],
        subject=payload["subject"],
        text=payload["text"],
        html=payload.get("html"),
        patient=_patient(patient) if patient else None,
        attachments=[
            OutgoingAttachment(Path(a["key"]), a["name"], a["mime_type"], a.get("type_code"))
            for a in payload["attachments"]
        ],
        in_reply_to=payload.get("in_reply_to", []),
        references=payload.get("references", []),
        message_id=message_id,
        author_rpps=payload.get("author_rpps"),
        patient_cannot_reply=bool(payload.get("patient_cannot_reply")),
        read_receipt=payload.get("read_receipt") is True,
    )


def _patient_json(patient: PatientIdentity) -> dict[str, Any]:
    data = dataclasses.asdict(patient)
    if patient.birth_date is not None:
        data["birth_date"] = patient.birth_date.isoformat()
    return data


def _patient(data: dict[str, Any]) -> PatientIdentity:
    birth = data.get("birth_date")
    values = dict(data)
    if isinstance(birth, str):
        values["birth_date"] = date.fromisoformat(birth)
    return PatientIdentity(**values)


_RECIPIENT_REFUSALS = frozenset({"invalidRecipients", "noRecipients", "tooManyRecipients"})
_SENDER_REFUSALS = frozenset({"forbiddenFrom", "forbiddenMailFrom"})


def _submission_refused(reason: str) -> Message:
    """What the user can do about a refused submission (RFC 8621 §7.5 SetError types)."""
    if reason in _RECIPIENT_REFUSALS:
        return messages.SEND_RECIPIENTS_REFUSED
    if reason in _SENDER_REFUSALS:
        return messages.SEND_SENDER_REFUSED
    return messages.SEND_SUBMISSION_REFUSED.fill(reason=reason)


def _reason(not_created: object) -> str:
    """The SetError's type, as a short token (it is shown to the user inside a sentence)."""
    if isinstance(not_created, dict):
        for error in not_created.values():
            if isinstance(error, dict):
                kind = str(error.get("type", "unknown"))
                return kind if kind.isascii() and kind.isalnum() and len(kind) <= 40 else "unknown"
    return "unknown"
