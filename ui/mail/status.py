"""The status bar: online or not, last synchronisation, initial-sync progress, and the outbox
(its counter opens the outbox view, ui/mail/outbox.py). A message queued while offline is said on
a line of the bar, not in a box to close after each send; the line goes when the connection is
back or nothing waits any more. A message sent online counts down its undo delay there, with
"Annuler" (ui/mail/undo_send.py).

A server whose secure connection is refused (its certificate, a TLS version, the settings'
authorities file) is not shown as "Hors connexion": the bar says "Connexion sécurisée refusée",
with the core's sentence as tooltip and behind "Détails" (too long for a status line)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QWidget,
)

from app.events import ConnectionChanged, DiskChanged, MailChanged, OutboxChanged, SyncProgress
from app.session import AccountSession
from ui import tasks, theme
from ui.bridge import EventBridge
from ui.mail.outbox import OutboxView
from ui.mail.undo_send import HeldSends
from ui.plain import PlainLabel, plain_message_box, plain_tooltip


class StatusBar(QStatusBar):
    def __init__(self, session: AccountSession, bridge: EventBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.bridge = bridge
        self.setObjectName("mailStatus")
        self.setSizeGripEnabled(False)

        self.dot = PlainLabel()
        self.dot.setObjectName("connectionDot")
        self.dot.setFixedSize(10, 10)
        self.connection = PlainLabel()
        self.connection.setObjectName("connectionLabel")
        self.refusal_button = QPushButton(self.tr("Détails"))
        self.refusal_button.setObjectName("refusalButton")
        self.refusal_button.setProperty("link", True)
        self.refusal_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.refusal_button.clicked.connect(self.show_refusal)
        self.refusal_button.hide()
        self._refusal: str | None = None
        # When the last sync ended, aware UTC: shown in the zone of the moment of each render (a
        # time-zone or DST change while the app runs moves the shown time, never the instant).
        self.synced_at: dt.datetime | None = None
        self.last_sync = PlainLabel()
        self.last_sync.setObjectName("lastSync")
        # Issue 17 §2: the data folder is full (or read-only): said until a pass can write again.
        self.disk_notice = PlainLabel()
        self.disk_notice.setObjectName("diskNotice")
        self.disk_notice.hide()
        self.queued_notice = PlainLabel()
        self.queued_notice.setObjectName("queuedNotice")
        self.queued_notice.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.outbox = QPushButton()
        self.outbox.setObjectName("outboxButton")
        self.outbox.setFlat(True)
        self.outbox.setIcon(theme.icon("mail-outbox"))
        self.outbox.setCursor(Qt.CursorShape.PointingHandCursor)
        self.outbox.clicked.connect(self.show_outbox)
        self.outbox.hide()

        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 0, 8, 0)
        row.setSpacing(8)
        row.addWidget(self.dot)
        row.addWidget(self.connection)
        row.addWidget(self.refusal_button)
        row.addSpacing(8)
        row.addWidget(self.last_sync)
        row.addSpacing(8)
        row.addWidget(self.disk_notice)
        row.addWidget(self.queued_notice)
        self.held = HeldSends(session, bridge, box)
        row.addWidget(self.held)
        self.addWidget(box)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.outbox)

        self.online = session.online
        self.pending = 0
        self.failed = 0
        self._show_connection(session.online, None)
        self._count_outbox()
        bridge.connectionChanged.connect(self.on_connection)
        bridge.diskChanged.connect(self.on_disk)
        bridge.syncProgress.connect(self.on_progress)
        bridge.outboxChanged.connect(self.on_outbox)
        bridge.mailChanged.connect(self.on_mail)

    # Connection and synchronisation ----------------------------------------------------------

    def _show_connection(self, online: bool, reason_fr: str | None, refused: bool = False) -> None:
        self.online = online
        if online:
            text = self.tr("En ligne")
        elif refused:
            text = self.tr("Connexion sécurisée refusée")
        else:
            text = self.tr("Hors connexion")
        self.connection.setText(text)
        self.connection.setToolTip(plain_tooltip(reason_fr))  # may name a server's address
        self._refusal = reason_fr if refused and not online else None
        self.refusal_button.setVisible(self._refusal is not None)
        theme.restyle(self.dot, online=online)
        if not online:
            self.progress.hide()
        else:
            self.queued_notice.hide()

    def on_connection(self, event: ConnectionChanged) -> None:
        self._show_connection(event.online, tasks.sentence(event.reason) or None, event.tls_refused)
        if event.online:
            self._synced_now()
        else:
            self.show_last_sync()

    def on_disk(self, event: DiskChanged) -> None:
        text = tasks.sentence(event.reason)
        self.disk_notice.setText(text)
        self.disk_notice.setToolTip(plain_tooltip(text or None))
        self.disk_notice.setVisible(bool(text))
        # Until a pass can write again, "Synchronisé à" would claim what did not happen.
        self.last_sync.setVisible(not text)
        if text:
            self.progress.hide()  # the pass stopped: its progress would stay still

    def show_refusal(self) -> QMessageBox | None:
        """ "Détails": the whole sentence of the refused secure connection."""
        if self._refusal is None:
            return None
        box = plain_message_box(
            self.window(),
            QMessageBox.Icon.Warning,
            self.tr("Connexion sécurisée refusée"),
            self._refusal,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _synced_now(self) -> None:
        self.synced_at = dt.datetime.now(dt.UTC)
        self.show_last_sync()

    def show_last_sync(self) -> None:
        """ "Synchronisé à" in the current local zone (re-read at each call: TZ may change)."""
        if self.synced_at is None:
            return
        time = self.synced_at.astimezone().strftime("%H:%M")
        self.last_sync.setText(self.tr("Synchronisé à {time}").format(time=time))

    def on_progress(self, event: SyncProgress) -> None:
        if event.phase != "initial" or not event.total:
            return
        if event.done >= event.total:
            self.progress.hide()
            self._synced_now()
            return
        self.progress.setRange(0, event.total)
        self.progress.setValue(event.done)
        self.progress.setFormat(self.tr("Synchronisation : %p\u00a0%"))
        self.progress.setToolTip(
            plain_tooltip(
                self.tr("{done} messages sur {total}").format(done=event.done, total=event.total)
            )
        )
        self.progress.show()

    def on_mail(self, _event: MailChanged) -> None:
        if self.online:
            self._synced_now()

    # Outbox ----------------------------------------------------------------------------------

    def _count_outbox(self) -> None:
        counts = self.session.outbox_counts()
        self._show_outbox(counts.pending, counts.failed)

    def on_outbox(self, event: OutboxChanged) -> None:
        self.show_last_sync()
        if event.pending > self.pending and not self.online:
            self.queued_notice.setText(self.tr("Le message sera envoyé au retour de la connexion."))
            self.queued_notice.show()
        if not event.pending:
            self.queued_notice.hide()
        self._show_outbox(event.pending, event.failed)

    def _show_outbox(self, pending: int, failed: int) -> None:
        self.pending, self.failed = pending, failed
        parts = []
        if pending:
            parts.append(self.tr("{n} en attente").format(n=pending))
        if failed:
            parts.append(self.tr("{n} en échec").format(n=failed))
        self.outbox.setText(self.tr("Boîte d'envoi : ") + " · ".join(parts))
        theme.restyle(self.outbox, failed=bool(failed))
        self.outbox.setVisible(bool(parts))

    def show_outbox(self) -> OutboxView:
        view = OutboxView(self.session, self.bridge, self)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view
