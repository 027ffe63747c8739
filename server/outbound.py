"""What leaves the sandbox, through one path each: mail to outside addresses and SMS.

Both are recorded, so that a demo or a test sees what a patient or a family member would have
received (GET /sandbox/sent-outside, GET /sandbox/sms, each showing the caller only what they
sent). Mail is also relayed through an SMTP server when `ServerConfig.smtp_relay` is set, after
the transaction that sent it commits: a refused request sends nothing, and no socket is held
while the database is locked. Its envelope sender is the service's own address
(`ServerConfig.envelope_sender`): bounces go to the service, not to a professional's mailbox.
SMS are never sent anywhere: the sandbox has no SMS gateway."""

from __future__ import annotations

import logging
import smtplib
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from server.mail.mime import utc_date
from server.storage import Database

log = logging.getLogger(__name__)
RELAY_TIMEOUT = 10.0

MIGRATIONS = [
    """
    CREATE TABLE sent_sms (
        seq INTEGER PRIMARY KEY,
        sender_account_id TEXT,
        recipient TEXT NOT NULL,
        text TEXT NOT NULL,
        sent_at INTEGER NOT NULL
    );
    CREATE INDEX sent_sms_by_sender ON sent_sms (sender_account_id);
    """
]


class OutboundMail:
    def __init__(self, db: Database, relay: str | None, sender: str) -> None:
        self._db = db
        self._relay = relay
        self._sender = sender

    def send(
        self,
        conn: sqlite3.Connection,
        sender_account_id: str | None,
        recipients: Sequence[str],
        raw: bytes,
        message_id: str | None,
        subject: str | None,
        text: str | None,
        at: int,
    ) -> None:
        """Records the message for each recipient, inside the caller's write transaction, and
        relays it once that commits (when a relay is configured)."""
        for recipient in recipients:
            conn.execute(
                "INSERT INTO sent_outside (sender_account_id, recipient, message_id, subject, "
                "text, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
                (sender_account_id, recipient, message_id, subject, text, at),
            )
        if self._relay and recipients:
            relay, sender = self._relay, self._sender
            self._db.after_commit(lambda: _relay(relay, sender, list(recipients), raw))


def _relay(relay: str, sender: str, recipients: list[str], raw: bytes) -> None:
    host, _, port = relay.rpartition(":")
    try:
        with smtplib.SMTP(host, int(port), timeout=RELAY_TIMEOUT) as smtp:
            smtp.sendmail(sender, recipients, raw)
    except (OSError, smtplib.SMTPException, ValueError) as e:
        # The message stays recorded; no address nor content in the log (patient data).
        log.warning("SMTP relay %s refused or unreachable: %s", relay, type(e).__name__)


class SmsNotifier:
    def __init__(self, db: Database) -> None:
        self._db = db
        db.migrate("outbound", MIGRATIONS)

    def send(
        self,
        conn: sqlite3.Connection,
        sender_account_id: str | None,
        mobile: str,
        text: str,
        at: int,
    ) -> None:
        """Records the SMS inside the caller's write transaction; nothing is sent."""
        conn.execute(
            "INSERT INTO sent_sms (sender_account_id, recipient, text, sent_at) "
            "VALUES (?, ?, ?, ?)",
            (sender_account_id, mobile, text, at),
        )

    def sent(self, sender_account_id: str) -> list[dict[str, Any]]:
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT recipient, text, sent_at FROM sent_sms WHERE sender_account_id = ? "
                "ORDER BY seq",
                (sender_account_id,),
            ).fetchall()
        return [
            {
                "recipient": r["recipient"],
                "text": r["text"],
                "sentAt": utc_date(datetime.fromtimestamp(r["sent_at"], UTC)),
            }
            for r in rows
        ]
