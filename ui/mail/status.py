"""The status bar: online or not, last synchronisation, initial-sync progress, and the outbox
(messages waiting or refused, with "Réessayer").

A server whose secure connection is refused (its certificate, a TLS version, the settings'
authorities file) is not shown as "Hors connexion": the bar says "Connexion sécurisée refusée",
with the core's sentence as tooltip and behind "Détails" (too long for a status line)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.events import ConnectionChanged, MailChanged, OutboxChanged, SyncProgress
from app.records import OutboxRow, OutboxState
from app.session import AccountSession
from ui import tasks, theme
from ui.bridge import EventBridge
from ui.plain import PlainLabel, plain_message_box, plain_text, plain_tooltip


def _state_fr(row: OutboxRow) -> str:
    return {
        "queued": "En attente",
        "sending": "Envoi en cours",
        "sent": "Envoyé",
        "failed": "Échec : " + (row.error or "le serveur a refusé le message."),
    }.get(row.state, row.state)


def _recipients(row: OutboxRow) -> str:
    people = [*row.payload.get("to", []), *row.payload.get("cc", [])]
    return ", ".join(
        str(p.get("name") or p.get("email") or "") for p in people if isinstance(p, dict)
    )


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
        self.last_sync = PlainLabel()
        self.last_sync.setObjectName("lastSync")
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
        self.addWidget(box)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.outbox)

        self.online = session.online
        self.pending = 0
        self.failed = 0
        self._show_connection(session.online, None)
        self._count_outbox()
        bridge.connectionChanged.connect(self.on_connection)
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

    def on_connection(self, event: ConnectionChanged) -> None:
        self._show_connection(event.online, tasks.sentence(event.reason) or None, event.tls_refused)
        if event.online:
            self._synced_now()

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
        now = dt.datetime.now().strftime("%H:%M")
        self.last_sync.setText(self.tr("Synchronisé à {time}").format(time=now))

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
        rows = self.session.outbox_list()
        self._show_outbox(
            sum(r.state in ("queued", "sending") for r in rows),
            sum(r.state is OutboxState.FAILED for r in rows),
        )

    def on_outbox(self, event: OutboxChanged) -> None:
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

    def show_outbox(self) -> OutboxDialog:
        dialog = OutboxDialog(self.session, self.bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog


class OutboxDialog(QDialog):
    """The messages not sent yet, and those the server refused (with their reason)."""

    def __init__(self, session: AccountSession, bridge: EventBridge, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("outboxDialog")
        self.setWindowTitle(self.tr("Boîte d'envoi"))
        self.resize(640, 320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        intro = PlainLabel(
            self.tr(
                "Les messages en attente partent dès que le serveur répond. Un message refusé "
                "peut être renvoyé avec « Réessayer »."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Objet"), self.tr("À"), self.tr("État")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        self.error = PlainLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        self.retry_button = buttons.addButton(
            self.tr("Réessayer"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.retry_button.setIcon(theme.icon("action-retry"))
        self.retry_button.clicked.connect(self.retry_selected)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.rows: list[OutboxRow] = []
        self.refresh()
        bridge.outboxChanged.connect(self._on_outbox)

    def _on_outbox(self, _event: OutboxChanged) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.rows = [r for r in self.session.outbox_list() if r.state is not OutboxState.SENT]
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            subject = str(row.payload.get("subject") or self.tr("(sans objet)"))
            for column, text in enumerate((subject, _recipients(row), _state_fr(row))):
                item = QTableWidgetItem(plain_text(text))
                item.setToolTip(plain_tooltip(text))
                self.table.setItem(i, column, item)
        self._update_buttons()

    def _selected(self) -> OutboxRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        row = self._selected()
        self.retry_button.setEnabled(row is not None and row.state is OutboxState.FAILED)

    def retry_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        self.error.hide()
        tasks.change(self.session.retry(row.id), self, lambda _r: self.refresh(), self._failed)

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.refresh()
