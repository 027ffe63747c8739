"""The outbox view: each message not sent yet (subject, recipients, state, the server's reason),
and what can be done with it — "Annuler" (asked first), "Modifier" (back to a composer, out of the
outbox), "Réessayer maintenant".

A window of its own beside the mail (the status bar's counter opens it), never modal: mail can be
read while a message waits. It lists what the unsent file holds after each OutboxChanged, so it
is never out of step with the counter. Every text of a row came from the user or a server: plain.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.events import OutboxChanged
from app.records import OutboxRow, OutboxState, Reopened
from app.session import AccountSession
from ui import tasks, theme
from ui.bridge import EventBridge
from ui.navigator import navigator
from ui.plain import PlainLabel, plain_message_box, plain_text, plain_tooltip

WITHDRAWABLE = (OutboxState.QUEUED, OutboxState.FAILED)
SUBJECT, RECIPIENTS, STATE, REASON = range(4)


def _recipients(row: OutboxRow) -> str:
    people = [*row.payload.get("to", []), *row.payload.get("cc", [])]
    return ", ".join(
        str(p.get("name") or p.get("email") or "") for p in people if isinstance(p, dict)
    )


class OutboxView(QDialog):
    """The messages not sent yet, and those the server refused (with their reason)."""

    def __init__(self, session: AccountSession, bridge: EventBridge, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("outboxDialog")
        self.setWindowTitle(window_title(self.tr("Boîte d'envoi")))
        self.resize(820, 440)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        intro = PlainLabel(
            self.tr(
                "Les messages en attente partent dès que le serveur répond. Un message refusé "
                "peut être corrigé avec « Modifier » ou renvoyé avec « Réessayer maintenant »."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("outboxTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Objet"), self.tr("Destinataires"), self.tr("État"), self.tr("Motif")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(SUBJECT, 220)
        header.resizeSection(RECIPIENTS, 170)
        # Each row as tall as its wrapped texts at the columns' current widths: Qt sizes the rows
        # again whenever the view or a column is resized (sized once, in refresh, they kept the
        # height of the narrow columns the table had before it was first laid out).
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.hide()
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        # The keyboard's current row is the selected one: reaching the list by Tab puts Qt's
        # current row on the first message, unselected, and the arrows then skip it (or, alone,
        # cannot select it) — the actions would stay greyed for a keyboard user.
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.table.selectRow(current.row())
        )
        layout.addWidget(self.table)
        self.table.setFocus()  # the keyboard on the list when the view opens
        self.error = PlainLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        self.cancel_button = self._action(buttons, self.tr("Annuler l'envoi"), "action-delete")
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.edit_button = self._action(buttons, self.tr("Modifier"), "action-compose")
        self.edit_button.clicked.connect(self.edit_selected)
        self.retry_button = self._action(buttons, self.tr("Réessayer maintenant"), "action-retry")
        self.retry_button.clicked.connect(self.retry_selected)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.rows: list[OutboxRow] = []
        self.confirm_box: QMessageBox | None = None
        self.refresh()
        bridge.outboxChanged.connect(self._on_outbox)

    @staticmethod
    def _action(buttons: QDialogButtonBox, text: str, icon: str) -> QPushButton:
        button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setIcon(theme.icon(icon))
        button.setAutoDefault(False)
        return button

    def _on_outbox(self, _event: OutboxChanged) -> None:
        self.refresh()

    def state_text(self, row: OutboxRow) -> str:
        return {
            OutboxState.QUEUED: self.tr("En attente"),
            OutboxState.SENDING: self.tr("Envoi en cours"),
            OutboxState.SENT: self.tr("Envoyé"),
            OutboxState.FAILED: self.tr("Refusé"),
        }[row.state]

    def refresh(self) -> None:
        """The rows as the unsent file has them; the selected message stays selected."""
        selected = self.selected()
        self.rows = self.session.outbox_list(
            OutboxState.QUEUED, OutboxState.SENDING, OutboxState.FAILED
        )
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            subject = str(row.payload.get("subject") or self.tr("(sans objet)"))
            reason = row.error or "" if row.state is OutboxState.FAILED else ""
            texts = (subject, _recipients(row), self.state_text(row), reason)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(plain_text(text))
                item.setToolTip(plain_tooltip(text))
                self.table.setItem(i, column, item)
            if selected is not None and row.id == selected.id:
                self.table.selectRow(i)
        self._update_buttons()

    def selected(self) -> OutboxRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def select(self, outbox_id: str) -> None:
        self.table.selectRow(next(i for i, r in enumerate(self.rows) if r.id == outbox_id))

    def _update_buttons(self) -> None:
        row = self.selected()
        can = row is not None and row.state in WITHDRAWABLE
        for button in (self.cancel_button, self.edit_button, self.retry_button):
            button.setEnabled(can)

    # Actions ---------------------------------------------------------------------------------

    def ask_cancel(self) -> QMessageBox | None:
        """ "Annuler l'envoi", asked first (the answer arrives through the box's buttons)."""
        row = self.selected()
        if row is None:
            return None
        subject = str(row.payload.get("subject") or self.tr("(sans objet)"))
        box = plain_message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Annuler l'envoi"),
            self.tr("Retirer « {subject} » de la boîte d'envoi ?").format(subject=subject),
            self.tr("Le message ne sera pas envoyé, et ses documents joints seront retirés."),
        )
        box.setObjectName("cancelSendBox")
        confirm = box.addButton(self.tr("Annuler l'envoi"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Garder le message"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.cancel(row) if button is confirm else None)
        self.confirm_box = box
        box.destroyed.connect(lambda *_: setattr(self, "confirm_box", None))
        box.open()
        return box

    def cancel(self, row: OutboxRow) -> None:
        self._start(self.session.cancel_unsent(row.id), lambda _none: self.refresh())

    def edit_selected(self) -> None:
        """ "Modifier": the message becomes a saved draft (in the step that takes it out of the
        outbox), then a composer opens on that draft."""
        row = self.selected()
        if row is not None:
            self._start(self.session.reopen_unsent(row.id), self._compose)

    def _compose(self, reopened: Reopened) -> None:
        navigator().compose(self.session, reopened.draft, draft_id=reopened.draft_id)
        self.refresh()

    def retry_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._start(self.session.retry(row.id), lambda _none: self.refresh())

    def _start(self, coro: Any, on_done: Any) -> None:
        self.error.hide()
        tasks.change(coro, self, on_done, self._failed)

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.refresh()
