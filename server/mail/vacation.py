"""The vacation response of each account (RFC 8621 §8) and its auto-reply at delivery.

The auto-reply follows RFC 3834 as RFC 8621 §8 asks: only while the response is on and between
fromDate and toDate, at most once per sender for each setting of the response, never to
automatic mail (Auto-Submitted, mailing lists, bulk) nor to system senders (MAILER-DAEMON,
postmaster), marked `Auto-Submitted: auto-replied` and threaded with In-Reply-To/References.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from server.mail import mime

MIGRATIONS = [
    """
    CREATE TABLE vacation_responses (
        account_id TEXT PRIMARY KEY,
        is_enabled INTEGER NOT NULL DEFAULT 0,
        from_date TEXT,
        to_date TEXT,
        subject TEXT,
        text_body TEXT,
        html_body TEXT,
        generation INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE vacation_replies (
        account_id TEXT NOT NULL,
        generation INTEGER NOT NULL,
        sender TEXT NOT NULL,
        PRIMARY KEY (account_id, generation, sender)
    );
    """
]

SINGLETON = "singleton"
_UTC_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# Senders that are machines (RFC 3834 §2 and the usual list-manager conventions).
_SYSTEM_LOCAL = re.compile(r"^(mailer-daemon|postmaster|listserv|majordomo|owner-.*|.*-request)$")
_LIST_HEADERS = ("list-id", "list-post", "list-unsubscribe", "list-help", "list-owner")
DEFAULT_TEXT = "Je suis absent(e) et lirai votre message à mon retour."


def parse_utc_date(value: str) -> datetime | None:
    if not _UTC_DATE.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Vacation:
    is_enabled: bool = False
    from_date: str | None = None
    to_date: str | None = None
    subject: str | None = None
    text_body: str | None = None
    html_body: str | None = None
    generation: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": SINGLETON,
            "isEnabled": self.is_enabled,
            "fromDate": self.from_date,
            "toDate": self.to_date,
            "subject": self.subject,
            "textBody": self.text_body,
            "htmlBody": self.html_body,
        }

    def active_at(self, when: datetime) -> bool:
        if not self.is_enabled:
            return False
        start = parse_utc_date(self.from_date) if self.from_date else None
        end = parse_utc_date(self.to_date) if self.to_date else None
        return (start is None or when >= start) and (end is None or when < end)


def load(conn: sqlite3.Connection, account_id: str) -> Vacation:
    row = conn.execute(
        "SELECT * FROM vacation_responses WHERE account_id = ?", (account_id,)
    ).fetchone()
    if row is None:
        return Vacation()
    return Vacation(
        bool(row["is_enabled"]),
        row["from_date"],
        row["to_date"],
        row["subject"],
        row["text_body"],
        row["html_body"],
        int(row["generation"]),
    )


def save(conn: sqlite3.Connection, account_id: str, vacation: Vacation) -> None:
    """Every save starts a new period: each sender may get one reply again."""
    conn.execute(
        "INSERT INTO vacation_responses (account_id, is_enabled, from_date, to_date, subject, "
        "text_body, html_body, generation) VALUES (?, ?, ?, ?, ?, ?, ?, 1) "
        "ON CONFLICT(account_id) DO UPDATE SET is_enabled = excluded.is_enabled, "
        "from_date = excluded.from_date, to_date = excluded.to_date, "
        "subject = excluded.subject, text_body = excluded.text_body, "
        "html_body = excluded.html_body, generation = generation + 1",
        (
            account_id,
            int(vacation.is_enabled),
            vacation.from_date,
            vacation.to_date,
            vacation.subject,
            vacation.text_body,
            vacation.html_body,
        ),
    )
    conn.execute("DELETE FROM vacation_replies WHERE account_id = ?", (account_id,))


def _is_automatic(headers: email.message.Message) -> bool:
    auto = (headers.get("auto-submitted") or "no").strip().lower()
    if auto.split(";")[0].strip() != "no":
        return True
    if any(headers.get(h) is not None for h in _LIST_HEADERS):
        return True
    precedence = (headers.get("precedence") or "").strip().lower()
    return precedence in {"bulk", "list", "junk"}


def _reply_address(headers: email.message.Message) -> str | None:
    """Where the reply goes: the return path (RFC 3834 §4), else From; None for a machine."""
    raw = headers.get("return-path") or headers.get("from") or ""
    _, address = email.utils.parseaddr(str(raw))
    if "@" not in address:
        return None
    if _SYSTEM_LOCAL.match(address.rpartition("@")[0].lower()):
        return None
    return address


def auto_reply(
    conn: sqlite3.Connection,
    account_id: str,
    account_email: str,
    raw: bytes,
    mail_domain: str,
    now: datetime | None = None,
) -> tuple[bytes, str] | None:
    """The reply to send for a message just delivered to the account (and who gets it), or None.
    Called in the delivery's write transaction, which records the reply as sent."""
    vacation = load(conn, account_id)
    now = now or datetime.now(UTC)
    if not vacation.active_at(now):
        return None
    headers = email.message_from_bytes(raw, policy=email.policy.compat32)
    if _is_automatic(headers):
        return None
    sender = _reply_address(headers)
    if sender is None or sender.lower() == account_email.lower():
        return None
    inserted = conn.execute(
        "INSERT OR IGNORE INTO vacation_replies (account_id, generation, sender) VALUES (?, ?, ?)",
        (account_id, vacation.generation, sender.lower()),
    ).rowcount
    if not inserted:  # already answered in this period
        return None
    original_subject = mime.as_text(headers.get("subject")) or ""
    reply = EmailMessage()
    reply["From"] = account_email
    reply["To"] = sender
    reply["Subject"] = vacation.subject or f"Auto: {original_subject}".strip()
    reply["Date"] = email.utils.format_datetime(now)
    reply["Message-ID"] = email.utils.make_msgid(domain=mail_domain)
    reply["Auto-Submitted"] = "auto-replied"
    original_ids = mime.as_message_ids(headers.get("message-id")) or []
    if original_ids:
        references = mime.as_message_ids(headers.get("references")) or []
        reply["In-Reply-To"] = f"<{original_ids[0]}>"
        reply["References"] = " ".join(f"<{m}>" for m in [*references, original_ids[0]])
    text = vacation.text_body
    if text is None and vacation.html_body:
        text = mime.html_to_text(vacation.html_body)
    reply.set_content(text or DEFAULT_TEXT)
    if vacation.html_body:
        reply.add_alternative(vacation.html_body, subtype="html")
    return reply.as_bytes(), sender
