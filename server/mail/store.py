"""Mailboxes, emails and threads of every account, delivery between them.

A message is kept as its real RFC 5322 octets (a blob); what Email/get and Email/query need is
parsed once at import and cached (a JSON column, an FTS5 row), so reads never re-parse MIME.
Every change is recorded in the JMAP change log in the same transaction.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import itertools
import json
import mmap
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from server.accounts import Account
from server.mail import mdn, mime, stream, vacation
from server.mail.blobs import BlobInfo, BlobStore
from server.storage import Migration

if TYPE_CHECKING:
    from server.context import Sandbox

MIGRATIONS = [
    """
    CREATE TABLE mailboxes (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        parent_id TEXT,
        role TEXT,
        sort_order INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, role)
    );
    CREATE INDEX mailboxes_by_account ON mailboxes (account_id);
    CREATE TABLE emails (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        blob_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        sent_at INTEGER,
        message_id TEXT,
        subject TEXT NOT NULL DEFAULT '',
        from_text TEXT NOT NULL DEFAULT '',
        has_attachment INTEGER NOT NULL DEFAULT 0,
        keywords TEXT NOT NULL DEFAULT '{}',
        parsed TEXT NOT NULL
    );
    CREATE INDEX emails_by_received ON emails (account_id, received_at);
    CREATE INDEX emails_by_thread ON emails (account_id, thread_id, received_at);
    CREATE TABLE email_mailboxes (
        email_seq INTEGER NOT NULL REFERENCES emails (seq) ON DELETE CASCADE,
        mailbox_id TEXT NOT NULL,
        PRIMARY KEY (email_seq, mailbox_id)
    );
    CREATE INDEX email_mailboxes_by_mailbox ON email_mailboxes (mailbox_id, email_seq);
    CREATE TABLE thread_refs (
        account_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        PRIMARY KEY (account_id, message_id)
    );
    CREATE VIRTUAL TABLE email_fts USING fts5 (
        subject, sender, to_, cc, bcc, body, attachments,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        reply_to TEXT,
        bcc TEXT,
        text_signature TEXT NOT NULL DEFAULT '',
        html_signature TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX identities_by_account ON identities (account_id);
    CREATE TABLE submissions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        identity_id TEXT NOT NULL,
        email_id TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        envelope TEXT NOT NULL,
        send_at INTEGER NOT NULL,
        undo_status TEXT NOT NULL,
        delivery_status TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX submissions_by_account ON submissions (account_id);
    CREATE TABLE sent_outside (
        seq INTEGER PRIMARY KEY,
        sender_account_id TEXT,
        recipient TEXT NOT NULL,
        message_id TEXT,
        subject TEXT,
        sent_at INTEGER NOT NULL
    );
    CREATE INDEX sent_outside_by_sender ON sent_outside (sender_account_id);
    """,
    # Issue 13 §1: what an outside recipient reads (the patient's invitation), for the demo.
    "ALTER TABLE sent_outside ADD COLUMN text TEXT",
    # Issue 14 §2: the delivery status notifications each submission produced (dsnBlobIds).
    "ALTER TABLE submissions ADD COLUMN dsn_blob_ids TEXT NOT NULL DEFAULT '[]'",
    # Issue 16: isSubscribed is kept; props_modseq is the modseq of the last change of anything
    # but the counts, so Mailbox/changes can say when only the counts changed (updatedProperties).
    """
    ALTER TABLE mailboxes ADD COLUMN is_subscribed INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE mailboxes ADD COLUMN props_modseq INTEGER NOT NULL DEFAULT 0;
    """,
]


def _raw_header_values(blobs: BlobStore) -> Migration:
    """Issue 16: the header lists cached before asRaw kept the blanks after the colon (RFC 8621
    §4.1.2.1), set again from each message's octets (as import parsed them: a large one's
    skeleton). Its own area, as it needs the blobs: the "mail" steps stay plain SQL."""

    def step(conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT seq, blob_id, parsed FROM emails").fetchall()
        for seq, blob_id, parsed in rows:
            path = blobs.path(blob_id) if blobs.is_valid_id(blob_id) else None
            if path is None or not path.is_file() or path.stat().st_size == 0:
                continue
            data = json.loads(parsed)
            with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                raw = stream.skeleton(mm).raw if len(mm) >= stream.STREAM_MIN else mm[:]
            mime.refresh_headers(data["bodyStructure"], raw)
            data["headers"] = data["bodyStructure"]["headers"]
            conn.execute(
                "UPDATE emails SET parsed = ? WHERE seq = ?",
                (json.dumps(data, ensure_ascii=False, separators=(",", ":")), seq),
            )

    return step


# Role, French name, sort order: the folders every account starts with.
DEFAULT_MAILBOXES: list[tuple[str, str, int]] = [
    ("inbox", "Boîte de réception", 1),
    ("drafts", "Brouillons", 2),
    ("sent", "Envoyés", 3),
    ("archive", "Archives", 4),
    ("trash", "Corbeille", 5),
    ("junk", "Indésirables", 6),
]


@dataclass(frozen=True)
class ImportedEmail:
    email_id: str
    thread_id: str
    blob_id: str


@dataclass(frozen=True)
class DeliveryReport:
    """Where each recipient's copy went. `unknown`: addresses of the sandbox's own domain that
    no account or identity has (550 5.1.1); `too_big`: refused by the size limit (552 5.3.4)."""

    local: list[str]
    outside: list[str]
    unknown: list[str] = field(default_factory=list)
    too_big: list[str] = field(default_factory=list)


class UnknownMailbox(LookupError):
    pass


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(8)


def _epoch(value: datetime | None) -> int:
    if value is None:
        return int(datetime.now(UTC).timestamp())
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def _sent_epoch(sent_at: str | None) -> int | None:
    if not sent_at:
        return None
    try:
        return int(datetime.fromisoformat(sent_at.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _address_text(addresses: list[dict[str, Any]] | None) -> str:
    return " ".join(f"{a.get('name') or ''} {a.get('email') or ''}" for a in addresses or [])


class MailStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        sandbox.db.migrate("mail", MIGRATIONS)
        sandbox.db.migrate("vacation", vacation.MIGRATIONS)
        sandbox.db.migrate("mail_raw_headers", [_raw_header_values(sandbox.blobs)])
        sandbox.accounts.on_created.append(self._set_up_account)
        # The last large message parsed (import_stored): its JSON and its parts' blobs.
        self._parsed: dict[str, tuple[str, list[BlobInfo]]] = {}

    # --- accounts -------------------------------------------------------------------------

    def _set_up_account(self, conn: sqlite3.Connection, account: Account) -> None:
        """Default French folders and one identity, in the account-creating transaction."""
        changes = self._sandbox.changes
        for role, name, order in DEFAULT_MAILBOXES:
            mailbox_id = new_id("M")
            conn.execute(
                "INSERT INTO mailboxes (id, account_id, name, role, sort_order) "
                "VALUES (?, ?, ?, ?, ?)",
                (mailbox_id, account.id, name, role, order),
            )
            changes.record(conn, account.id, "Mailbox", mailbox_id, "created")
        identity_id = new_id("I")
        conn.execute(
            "INSERT INTO identities (id, account_id, name, email) VALUES (?, ?, ?, ?)",
            (identity_id, account.id, account.display_name, account.email),
        )
        changes.record(conn, account.id, "Identity", identity_id, "created")

    def set_identity(
        self, account_id: str, email_address: str, name: str = "", text_signature: str = ""
    ) -> str:
        """The account's identity of this address, added or updated (tests and demo data: the
        sandbox's users manage theirs on the portal, which it does not have)."""
        changes = self._sandbox.changes
        with self._sandbox.db.write() as conn:
            row = conn.execute(
                "SELECT id FROM identities WHERE account_id = ? AND lower(email) = lower(?)",
                (account_id, email_address),
            ).fetchone()
            if row is None:
                identity_id = new_id("I")
                conn.execute(
                    "INSERT INTO identities (id, account_id, name, email, text_signature) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (identity_id, account_id, name, email_address, text_signature),
                )
                changes.record(conn, account_id, "Identity", identity_id, "created")
                return identity_id
            identity_id = str(row[0])
            conn.execute(
                "UPDATE identities SET text_signature = ?, name = coalesce(nullif(?, ''), name) "
                "WHERE id = ?",
                (text_signature, name, identity_id),
            )
            changes.record(conn, account_id, "Identity", identity_id, "updated")
            return identity_id

    # --- mailboxes ------------------------------------------------------------------------

    def mailbox_id(self, account_id: str, role: str) -> str:
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT id FROM mailboxes WHERE account_id = ? AND role = ?", (account_id, role)
            ).fetchone()
        if row is None:
            raise UnknownMailbox(role)
        mailbox_id: str = row[0]
        return mailbox_id

    def mailbox_ids(self, conn: sqlite3.Connection, account_id: str) -> set[str]:
        rows = conn.execute("SELECT id FROM mailboxes WHERE account_id = ?", (account_id,))
        return {r[0] for r in rows}

    # --- import ---------------------------------------------------------------------------

    def import_message(
        self,
        account_id: str,
        raw: bytes,
        *,
        mailbox_role: str = "inbox",
        keywords: Iterable[str] = (),
        received_at: datetime | None = None,
    ) -> ImportedEmail:
        with self._sandbox.db.write() as conn:
            mailbox = conn.execute(
                "SELECT id FROM mailboxes WHERE account_id = ? AND role = ?",
                (account_id, mailbox_role),
            ).fetchone()
            if mailbox is None:
                raise UnknownMailbox(mailbox_role)
            return self.import_into(
                conn, account_id, raw, [mailbox[0]], dict.fromkeys(keywords, True), received_at
            )

    def import_into(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        raw: bytes,
        mailbox_ids: Sequence[str],
        keywords: dict[str, bool],
        received_at: datetime | None,
    ) -> ImportedEmail:
        """Import inside the caller's write transaction, into mailboxes already checked."""
        blobs = self._sandbox.blobs
        blob = blobs.put_bytes(conn, account_id, raw, "message/rfc822")
        parsed = mime.parse_message(raw)
        data = parsed.data
        types = {p["partId"]: p["type"] for p in mime.iter_parts(data["bodyStructure"])}
        for part in mime.iter_parts(data["bodyStructure"]):
            part_id = part["partId"]
            if part_id is not None:
                info = blobs.put_bytes(
                    conn, account_id, parsed.contents[part_id], types[part_id] or "text/plain"
                )
                part["blobId"] = info.id
        return self._insert(
            conn, account_id, blob.id, len(raw), data, mailbox_ids, keywords, received_at
        )

    def import_stored(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        message: stream.StoredMessage,
        mailbox_ids: Sequence[str],
        keywords: dict[str, bool],
        received_at: datetime | None,
        known: dict[int, BlobInfo] | None = None,
    ) -> ImportedEmail:
        """import_into for a message blob already on disk: a large one is parsed from a map of
        its file and its big attachments decoded straight into their blobs (never whole in
        memory); the same message delivered again reuses that parse. `known`: the blobs whose
        base64 starts at these offsets (Email/set built them in: no need to decode them)."""
        if message.size < stream.STREAM_MIN:
            raw = message.read_bytes()
            return self.import_into(conn, account_id, raw, mailbox_ids, keywords, received_at)
        blobs = self._sandbox.blobs
        blobs.own(conn, account_id, message.blob_id, message.size, "message/rfc822")
        cached = self._parsed.get(message.blob_id)
        if cached is None:
            cached = self._parse_stored(conn, account_id, message, known or {})
            self._parsed = {message.blob_id: cached}  # the last one: a submission's recipients
        parsed_json, part_blobs = cached
        for blob in part_blobs:
            blobs.own(conn, account_id, blob.id, blob.size, blob.type)
        data = json.loads(parsed_json)
        return self._insert(
            conn,
            account_id,
            message.blob_id,
            message.size,
            data,
            mailbox_ids,
            keywords,
            received_at,
        )

    def _parse_stored(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        message: stream.StoredMessage,
        known: dict[int, BlobInfo],
    ) -> tuple[str, list[BlobInfo]]:
        blobs = self._sandbox.blobs
        part_blobs: list[BlobInfo] = []
        with message.path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            skeleton = stream.skeleton(mm)
            parsed = mime.parse_message(skeleton.raw)
            data = parsed.data
            for part in mime.iter_parts(data["bodyStructure"]):
                part_id = part["partId"]
                if part_id is None:
                    continue
                type_ = part["type"] or "text/plain"
                content = parsed.contents[part_id]
                cut = skeleton.cut_of(content)
                if cut is None:
                    info = blobs.put_bytes(conn, account_id, content, type_)
                elif skeleton.cuts[cut][0] in known:
                    built = known[skeleton.cuts[cut][0]]
                    info = blobs.own(conn, account_id, built.id, built.size, type_)
                    part["size"] = info.size
                else:
                    chunks = stream.decoded_chunks(mm, *skeleton.cuts[cut])
                    info = blobs.put_chunks(conn, account_id, chunks, type_)
                    part["size"] = info.size
                part["blobId"] = info.id
                part_blobs.append(info)
        return json.dumps(data, ensure_ascii=False), part_blobs

    def _insert(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        blob_id: str,
        size: int,
        data: dict[str, Any],
        mailbox_ids: Sequence[str],
        keywords: dict[str, bool],
        received_at: datetime | None,
    ) -> ImportedEmail:
        """The parsed message's rows: email, thread, FTS, mailboxes, and their changes."""
        changes = self._sandbox.changes
        own_ids = data["messageId"] or []
        related = own_ids + (data["inReplyTo"] or []) + (data["references"] or [])
        thread_id = self._find_thread(conn, account_id, related)
        thread_exists = thread_id is not None and (
            conn.execute(
                "SELECT 1 FROM emails WHERE account_id = ? AND thread_id = ? LIMIT 1",
                (account_id, thread_id),
            ).fetchone()
            is not None
        )
        if thread_id is None:
            thread_id = new_id("T")
        for message_id in related:
            conn.execute(
                "INSERT OR IGNORE INTO thread_refs (account_id, message_id, thread_id) "
                "VALUES (?, ?, ?)",
                (account_id, message_id, thread_id),
            )
        email_id = new_id("E")
        body_text = data.pop("bodyText")
        attachment_names = data.pop("attachmentNames")
        cursor = conn.execute(
            "INSERT INTO emails (id, account_id, thread_id, blob_id, size, received_at, sent_at, "
            "message_id, subject, from_text, has_attachment, keywords, parsed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                email_id,
                account_id,
                thread_id,
                blob_id,
                size,
                _epoch(received_at),
                _sent_epoch(data["sentAt"]),
                own_ids[0] if own_ids else None,
                data["subject"] or "",
                _address_text(data["from"]),
                int(data["hasAttachment"]),
                json.dumps({k: True for k, v in keywords.items() if v}),
                json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            ),
        )
        seq = cursor.lastrowid
        conn.execute(
            "INSERT INTO email_fts (rowid, subject, sender, to_, cc, bcc, body, attachments) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                data["subject"] or "",
                _address_text(data["from"]) + " " + _address_text(data["sender"]),
                _address_text(data["to"]),
                _address_text(data["cc"]),
                _address_text(data["bcc"]),
                body_text,
                attachment_names,
            ),
        )
        for mailbox_id in dict.fromkeys(mailbox_ids):
            conn.execute(
                "INSERT INTO email_mailboxes (email_seq, mailbox_id) VALUES (?, ?)",
                (seq, mailbox_id),
            )
            changes.record(conn, account_id, "Mailbox", mailbox_id, "updated")
        changes.record(conn, account_id, "Email", email_id, "created")
        changes.record(
            conn, account_id, "Thread", thread_id, "updated" if thread_exists else "created"
        )
        return ImportedEmail(email_id=email_id, thread_id=thread_id, blob_id=blob_id)

    @staticmethod
    def _find_thread(
        conn: sqlite3.Connection, account_id: str, message_ids: list[str]
    ) -> str | None:
        for message_id in message_ids:
            row = conn.execute(
                "SELECT thread_id FROM thread_refs WHERE account_id = ? AND message_id = ?",
                (account_id, message_id),
            ).fetchone()
            if row is not None:
                found: str = row[0]
                return found
        return None

    # --- updates --------------------------------------------------------------------------

    def update_email(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        email_id: str,
        keywords: dict[str, bool] | None,
        mailbox_ids: set[str] | None,
    ) -> None:
        """New keywords and/or mailboxes of one email (already validated by the caller)."""
        changes = self._sandbox.changes
        row = conn.execute(
            "SELECT seq, keywords, thread_id FROM emails WHERE account_id = ? AND id = ?",
            (account_id, email_id),
        ).fetchone()
        if row is None:
            raise KeyError(email_id)
        seq = row["seq"]
        before = {
            r[0]
            for r in conn.execute(
                "SELECT mailbox_id FROM email_mailboxes WHERE email_seq = ?", (seq,)
            )
        }
        touched: set[str] = set()
        if keywords is not None:
            old = json.loads(row["keywords"])
            if set(old) != set(keywords):
                conn.execute(
                    "UPDATE emails SET keywords = ? WHERE seq = ?",
                    (json.dumps(dict.fromkeys(sorted(keywords), True)), seq),
                )
                if ("$seen" in old) != ("$seen" in keywords):
                    touched |= before  # unread counts changed
        if mailbox_ids is not None and mailbox_ids != before:
            for removed in before - mailbox_ids:
                conn.execute(
                    "DELETE FROM email_mailboxes WHERE email_seq = ? AND mailbox_id = ?",
                    (seq, removed),
                )
            for added in mailbox_ids - before:
                conn.execute(
                    "INSERT INTO email_mailboxes (email_seq, mailbox_id) VALUES (?, ?)",
                    (seq, added),
                )
            touched |= before ^ mailbox_ids
        for mailbox_id in sorted(touched):
            changes.record(conn, account_id, "Mailbox", mailbox_id, "updated")
        changes.record(conn, account_id, "Email", email_id, "updated")

    def destroy_email(self, conn: sqlite3.Connection, account_id: str, email_id: str) -> None:
        changes = self._sandbox.changes
        row = conn.execute(
            "SELECT seq, thread_id FROM emails WHERE account_id = ? AND id = ?",
            (account_id, email_id),
        ).fetchone()
        if row is None:
            raise KeyError(email_id)
        mailboxes = [
            r[0]
            for r in conn.execute(
                "SELECT mailbox_id FROM email_mailboxes WHERE email_seq = ?", (row["seq"],)
            )
        ]
        conn.execute("DELETE FROM email_mailboxes WHERE email_seq = ?", (row["seq"],))
        conn.execute("DELETE FROM email_fts WHERE rowid = ?", (row["seq"],))
        conn.execute("DELETE FROM emails WHERE seq = ?", (row["seq"],))
        for mailbox_id in mailboxes:
            changes.record(conn, account_id, "Mailbox", mailbox_id, "updated")
        changes.record(conn, account_id, "Email", email_id, "destroyed")
        left = conn.execute(
            "SELECT 1 FROM emails WHERE account_id = ? AND thread_id = ? LIMIT 1",
            (account_id, row["thread_id"]),
        ).fetchone()
        changes.record(
            conn, account_id, "Thread", row["thread_id"], "updated" if left else "destroyed"
        )

    # --- delivery -------------------------------------------------------------------------

    def deliver(
        self,
        raw: bytes,
        recipients: Sequence[str],
        *,
        sender_account_id: str | None = None,
        received_at: datetime | None = None,
    ) -> DeliveryReport:
        """Sandbox addresses get a copy in their Inbox; the rest goes out through the sandbox's
        outbound path (recorded, relayed when a relay is set: server/outbound.py). Joins the
        caller's write transaction when there is one."""
        headers = email.message_from_bytes(raw, policy=email.policy.compat32)

        def import_one(conn: sqlite3.Connection, account: Account) -> None:
            self.import_message(account.id, raw, received_at=received_at)
            self._note_receipt(conn, account.id, raw)

        return self._deliver(
            headers,
            len(raw),
            raw,
            import_one,
            lambda: raw,
            recipients,
            sender_account_id,
            received_at,
        )

    def deliver_stored(
        self,
        message: stream.StoredMessage,
        recipients: Sequence[str],
        *,
        sender_account_id: str | None = None,
    ) -> DeliveryReport:
        """deliver for a message blob on disk: every local recipient's copy is that same blob
        (content-addressed), parsed once; the bytes are read whole only to go outside."""
        if message.size < stream.STREAM_MIN:
            return self.deliver(
                message.read_bytes(), recipients, sender_account_id=sender_account_id
            )

        def import_one(conn: sqlite3.Connection, account: Account) -> None:
            inbox = conn.execute(
                "SELECT id FROM mailboxes WHERE account_id = ? AND role = 'inbox'", (account.id,)
            ).fetchone()
            if inbox is None:
                raise UnknownMailbox("inbox")
            # No read receipt is this large: _note_receipt has nothing to look at.
            self.import_stored(conn, account.id, message, [inbox[0]], {}, None)

        return self._deliver(
            message.headers,
            message.size,
            message.head,
            import_one,
            message.read_bytes,
            recipients,
            sender_account_id,
            None,
        )

    def stored(self, blob_id: str) -> stream.StoredMessage:
        """A message blob whose ownership the caller has checked, its header section read."""
        return stream.StoredMessage.open(blob_id, self._sandbox.blobs.path(blob_id))

    def without_bcc(self, message: stream.StoredMessage) -> stream.StoredMessage:
        """The copy that is delivered: Bcc recipients are in the envelope, never in it. A large
        message gets a new header section and the same body, streamed."""
        if "bcc" not in message.headers:
            return message
        blobs = self._sandbox.blobs
        if message.size < stream.STREAM_MIN:
            parsed = email.message_from_bytes(message.read_bytes(), policy=email.policy.compat32)
            del parsed["bcc"]
            chunks: Iterable[bytes] = [parsed.as_bytes()]
        else:
            chunks = itertools.chain(
                [stream.without_header(message.head, "bcc")], message.body_chunks()
            )
        blob_id, _ = blobs.store_chunks(chunks)
        return self.stored(blob_id)

    def _deliver(
        self,
        headers: email.message.Message,
        size: int,
        head: bytes,
        import_one: Callable[[sqlite3.Connection, Account], None],
        read_all: Callable[[], bytes],
        recipients: Sequence[str],
        sender_account_id: str | None,
        received_at: datetime | None,
    ) -> DeliveryReport:
        message_ids = mime.as_message_ids(headers.get("message-id"))
        subject = mime.as_text(headers.get("subject"))
        config = self._sandbox.config
        local: list[str] = []
        outside: list[str] = []
        unknown: list[str] = []
        too_big: list[str] = []
        seen: set[str] = set()
        with self._sandbox.db.write() as conn:
            for recipient in recipients:
                address = recipient.strip()
                if not address or address.lower() in seen:
                    continue
                seen.add(address.lower())
                account = self._sandbox.accounts.by_email(address)
                if account is None and self._unknown_here(conn, address):
                    unknown.append(address)
                    continue
                if size > config.max_delivered_size:
                    too_big.append(address)
                    continue
                if account is not None:
                    import_one(conn, account)
                    local.append(address)
                    self._vacation_reply(conn, account, head)
                    continue
                outside.append(address)
            if outside or size < stream.STREAM_MIN:
                raw = read_all()
                self._sandbox.outbound.send(
                    conn,
                    sender_account_id,
                    outside,
                    raw,
                    message_ids[0] if message_ids else None,
                    subject,
                    mime.plain_text(raw),
                    _epoch(received_at),
                )
        return DeliveryReport(local=local, outside=outside, unknown=unknown, too_big=too_big)

    def _vacation_reply(self, conn: sqlite3.Connection, account: Account, raw: bytes) -> None:
        """The account's vacation response, if one is due (server/mail/vacation.py). It carries
        Auto-Submitted, so it never starts a reply loop between two absent accounts. `raw`: the
        message, or its header section (all that is read)."""
        due = vacation.auto_reply(
            conn, account.id, account.email, raw, self._sandbox.config.mail_domain
        )
        if due is not None:
            reply, sender = due
            self.deliver(reply, [sender], sender_account_id=account.id)

    def _unknown_here(self, conn: sqlite3.Connection, address: str) -> bool:
        """An address of the sandbox's own mail domain that nobody has: a real MTA refuses it
        (550 5.1.1) instead of sending it anywhere. A second address (identity) of an account is
        known."""
        domain = address.rpartition("@")[2].lower()
        if domain != self._sandbox.config.mail_domain.lower():
            return False
        identity = conn.execute(
            "SELECT 1 FROM identities WHERE lower(email) = lower(?) LIMIT 1", (address,)
        ).fetchone()
        return identity is None

    def _note_receipt(self, conn: sqlite3.Connection, account_id: str, raw: bytes) -> None:
        """A read receipt (`displayed`) reaching a sender marks her submission of that message
        `displayed: yes` for the reader (RFC 8621 §7 deliveryStatus), whoever built the MDN."""
        if b"disposition-notification" not in raw[:4096].lower():
            return
        receipt = mdn.parse(raw)
        if (
            receipt is None
            or receipt.disposition["type"] != "displayed"
            or not receipt.original_message_id
        ):
            return
        rows = conn.execute(
            "SELECT s.id, s.delivery_status FROM submissions s JOIN emails e "
            "ON e.account_id = s.account_id AND e.id = s.email_id "
            "WHERE s.account_id = ? AND e.message_id = ?",
            (account_id, receipt.original_message_id),
        ).fetchall()
        reader = receipt.final_recipient.lower()
        for row in rows:
            status = json.loads(row["delivery_status"])
            changed = False
            for address, entry in status.items():
                if address.lower() == reader and entry.get("displayed") != "yes":
                    entry["displayed"] = "yes"
                    changed = True
            if changed:
                conn.execute(
                    "UPDATE submissions SET delivery_status = ? WHERE id = ?",
                    (json.dumps(status), row["id"]),
                )
                self._sandbox.changes.record(
                    conn, account_id, "EmailSubmission", row["id"], "updated"
                )

    def sent_outside(self, sender_account_id: str) -> list[dict[str, Any]]:
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                "SELECT recipient, message_id, subject, text, sent_at FROM sent_outside "
                "WHERE sender_account_id = ? ORDER BY seq",
                (sender_account_id,),
            ).fetchall()
        return [
            {
                "recipient": r["recipient"],
                "messageId": r["message_id"],
                "subject": r["subject"],
                "text": r["text"],
                "sentAt": mime.utc_date(datetime.fromtimestamp(r["sent_at"], UTC)),
            }
            for r in rows
        ]
