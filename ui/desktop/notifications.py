"""Notifications of NEW incoming messages, without patient data unless the user allows it.

What counts as new: a message that reaches the cache after the initial synchronisation is over,
sits in the inbox, is unseen, was not sent by the user, and was received after the newest inbox
message known when the synchronisation ended (the "watermark": a message moved back into the inbox,
or the thousands of messages of an initial sync or of a cache rebuild, are older than it). Each
message is announced once; a burst (a delta of several messages) makes one notification.

Privacy: a subject often names the patient, so by default a notification says who wrote (a
professional's display name) and nothing else: "Nouveau message de Dr Karim Benali", or
"3 nouveaux messages". Only with the setting `notify_patient_names` does it show the subject and
the patient. Nothing of it is logged beyond a count.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app import settings as settings_mod
from app.events import CacheRebuilt, MailChanged, SyncProgress
from app.records import Address, EmailSummary, Sort
from app.session import AccountSession
from ui import tasks
from ui.bridge import EventBridge
from ui.desktop.tray import Notification

log = logging.getLogger("monsisra.ui.notifications")

COALESCE_MS = 2_000  # a burst of arrivals makes one notification
LISTED = 3  # senders (or messages) named in a notification about several


def sender_name(summary: EmailSummary) -> str:
    sender = summary.from_[0] if summary.from_ else None
    if sender is None:
        return QCoreApplication.translate("Notifier", "expéditeur inconnu")
    return sender.name or sender.email


def notification_for(summaries: list[EmailSummary], with_patient_data: bool) -> Notification:
    """The text of one notification about `summaries` (newest first)."""
    ids = tuple(s.id for s in summaries)
    if len(summaries) == 1:
        only = summaries[0]
        title = QCoreApplication.translate("Notifier", "Nouveau message de {sender}").format(
            sender=sender_name(only)
        )
        if not with_patient_data:
            return Notification(
                title, QCoreApplication.translate("Notifier", "Cliquez pour l'ouvrir."), ids
            )
        lines = [only.subject or QCoreApplication.translate("Notifier", "(sans objet)")]
        if only.patient is not None and only.patient.display_name():
            lines.append(
                QCoreApplication.translate("Notifier", "Patient : {name}").format(
                    name=only.patient.display_name()
                )
            )
        return Notification(title, "\n".join(lines), ids)
    title = QCoreApplication.translate("Notifier", "{n} nouveaux messages").format(n=len(summaries))
    if with_patient_data:
        lines = []
        for s in summaries[:LISTED]:
            subject = s.subject or QCoreApplication.translate("Notifier", "(sans objet)")
            line = f"{sender_name(s)} — {subject}"
            if s.patient is not None and s.patient.display_name():
                line += f" ({s.patient.display_name()})"
            lines.append(line)
        if len(summaries) > LISTED:
            lines.append("…")
        return Notification(title, "\n".join(lines), ids)
    senders = list(dict.fromkeys(sender_name(s) for s in summaries))
    text = QCoreApplication.translate("Notifier", "De {senders}").format(
        senders=", ".join(senders[:LISTED])
    )
    if len(senders) > LISTED:
        text += QCoreApplication.translate("Notifier", " et d'autres")
    return Notification(title, text + ".", ids)


class Notifier(QObject):
    """Emits `notify(Notification)` for new messages and `openRequested(email_id)` when the user
    clicks the last one (`activate`)."""

    notify = Signal(object)
    openRequested = Signal(str)

    def __init__(
        self,
        session: AccountSession,
        bridge: EventBridge,
        parent: QObject | None = None,
        coalesce_ms: int = COALESCE_MS,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.syncing = False
        self.watermark = self._newest_in_inbox()
        self.last: Notification | None = None
        self._pending: set[str] = set()
        self._notified: set[str] = set()
        self._me: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self.flush)
        bridge.mailChanged.connect(self._on_mail)
        bridge.syncProgress.connect(self._on_progress)
        bridge.cacheRebuilt.connect(self._on_rebuilt)
        tasks.run(session.own_address(), self, self._note_me)

    def _note_me(self, me: Address) -> None:
        self._me.add(me.email.casefold())

    def _newest_in_inbox(self) -> datetime | None:
        inbox = self.session.mailbox_by_role("inbox")
        if inbox is None:
            return None
        ids = self.session.list_ids(inbox.id, Sort.DATE_DESC, limit=1)
        found = self.session.summaries(ids)
        return found[0].received_at if found else None

    # What the core says ------------------------------------------------------------------------

    def _on_progress(self, event: SyncProgress) -> None:
        if event.phase != "initial":
            return
        syncing = event.total is None or event.done < event.total
        if self.syncing and not syncing:
            # Everything that came with the synchronisation is old news from now on.
            self.watermark = self._newest_in_inbox()
            self._pending.clear()
        self.syncing = syncing

    def _on_rebuilt(self, _event: CacheRebuilt) -> None:
        self.syncing = True  # until the resynchronisation says it is done
        self._pending.clear()

    def _on_mail(self, change: MailChanged) -> None:
        if self.syncing or not change.email_ids:
            return
        self._pending |= change.email_ids - self._notified
        if self._pending and not self._timer.isActive():
            self._timer.start()

    # Deciding ----------------------------------------------------------------------------------

    def flush(self) -> Notification | None:
        """Announces what is new among the changed messages of the burst (if anything)."""
        ids, self._pending = self._pending, set()
        if self.syncing or not ids:
            return None
        inbox = self.session.mailbox_by_role("inbox")
        if inbox is None:
            return None
        fresh = [
            s
            for s in self.session.summaries(sorted(ids))
            if s.id not in self._notified
            and s.unread
            and (self.watermark is None or s.received_at > self.watermark)
            and not self._from_me(s)
            and self._in_mailbox(s, inbox.id)
        ]
        if not fresh:
            return None
        fresh.sort(key=lambda s: s.received_at, reverse=True)
        self._notified.update(s.id for s in fresh)
        note = notification_for(fresh, settings_mod.current().notify_patient_names)
        self.last = note
        log.info("notification: %d new message(s)", len(fresh))
        self.notify.emit(note)
        return note

    def _from_me(self, summary: EmailSummary) -> bool:
        return any(a.email.casefold() in self._me for a in summary.from_)

    def _in_mailbox(self, summary: EmailSummary, mailbox_id: str) -> bool:
        record = next(
            (r for r in self.session.thread(summary.thread_id) if r.id == summary.id), None
        )
        return record is not None and mailbox_id in record.mailbox_ids

    def activate(self) -> None:
        """The user clicked the notification: open the (newest) message it was about."""
        if self.last is not None and self.last.email_ids:
            self.openRequested.emit(self.last.email_ids[0])

    def stop(self) -> None:
        """The window closed (quit, lock): a burst still grouping must not read the session,
        which is closing."""
        self._timer.stop()
        self._pending.clear()
        self.syncing = True  # nothing more is announced
