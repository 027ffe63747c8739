"""Drafts in "Brouillons": those of this computer (saved by the composer in the encrypted cache,
not on the server) listed above the server's, each reopened in a composer; deleting a draft, of
either kind, is asked first ("Annuler" the default: a slip of the key loses nothing).

The local list is read again after each DraftsChanged, so a draft closed with the window's ×
appears at once. Subjects and recipients came from the user or a server: plain text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dates import compact_date
from app.events import DraftsChanged
from app.message.draft import Draft, DraftUnreadable
from app.records import StoredDraft
from app.session import AccountSession
from ui import tasks, theme
from ui.bridge import EventBridge
from ui.navigator import navigator
from ui.plain import PlainLabel, plain_message_box, plain_text, plain_tooltip

ROWS_SHOWN = 4  # more scroll inside the list: the server's drafts stay in view below


def ask_delete_draft(parent: QWidget, subject: str, on_delete: Callable[[], object]) -> QMessageBox:
    """ "Supprimer ce brouillon ?", opened (window-modal); `on_delete` only on "Supprimer"."""
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Question,
        QCoreApplication.translate("DraftDeletion", "Supprimer le brouillon"),
        QCoreApplication.translate("DraftDeletion", "Supprimer ce brouillon ?"),
        subject or QCoreApplication.translate("DraftDeletion", "(sans objet)"),
    )
    box.setObjectName("deleteDraftBox")
    delete = box.addButton(
        QCoreApplication.translate("DraftDeletion", "Supprimer"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    cancel = box.addButton(
        QCoreApplication.translate("DraftDeletion", "Annuler"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: on_delete() if button is delete else None)
    box.open()
    return box


def _summary(saved: StoredDraft, unreadable: str) -> tuple[str, str]:
    """(subject, "to whom · when") of a stored draft."""
    when = compact_date(dt.datetime.fromtimestamp(saved.updated_at / 1000, dt.UTC))
    try:
        draft = Draft.from_stored(saved.payload)
    except DraftUnreadable:
        return unreadable, when
    people = ", ".join(a.name or a.email for a in (*draft.to, *draft.cc))
    return draft.subject, " · ".join(p for p in (people, when) if p)


class LocalDrafts(QFrame):
    """ "Sur cet ordinateur": this computer's drafts, most recently edited first."""

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("localDrafts")
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 8, 16, 8)
        column.setSpacing(6)
        self.heading = PlainLabel()
        self.heading.setObjectName("localDraftsTitle")
        self.heading.setWordWrap(True)
        column.addWidget(self.heading)
        self.list = QListWidget()
        self.list.setObjectName("localDraftsList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        column.addWidget(self.list)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton(theme.icon("action-compose"), self.tr("Reprendre"))
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton(theme.icon("action-delete"), self.tr("Supprimer…"))
        self.delete_button.clicked.connect(self.ask_delete)
        for button in (self.open_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        column.addLayout(buttons)
        self.drafts: list[StoredDraft] = []
        self.wanted = True  # the mailbox shown is "Brouillons"
        self.confirm_box: QMessageBox | None = None
        self.bridge = EventBridge(session.bus, self)
        self.bridge.draftsChanged.connect(self._on_drafts)
        self.refresh()

    def _on_drafts(self, _event: DraftsChanged) -> None:
        self.refresh()

    def refresh(self) -> None:
        """The drafts as the cache has them; the selected one stays selected."""
        selected = self.selected()
        self.drafts = self.session.drafts()
        self.heading.setText(
            self.tr("Sur cet ordinateur (pas encore sur le serveur) : {n}").format(
                n=len(self.drafts)
            )
        )
        self.list.clear()
        for saved in self.drafts:
            subject, details = _summary(saved, self.tr("(brouillon d'une version plus récente)"))
            text = (subject or self.tr("(sans objet)")) + "\n" + details
            item = QListWidgetItem(plain_text(text))
            item.setToolTip(plain_tooltip(text))
            self.list.addItem(item)
            if selected is not None and saved.id == selected.id:
                self.list.setCurrentItem(item)
        rows = min(len(self.drafts), ROWS_SHOWN)
        row_height = self.list.sizeHintForRow(0) + 2 * self.list.spacing() if self.drafts else 0
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth())
        self.setVisible(self.wanted and bool(self.drafts))
        self._update_buttons()

    def set_wanted(self, on: bool) -> None:
        """Shown with "Brouillons" only, and only when there is a draft to list."""
        self.wanted = on
        self.setVisible(on and bool(self.drafts))

    def selected(self) -> StoredDraft | None:
        row = self.list.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def _update_buttons(self) -> None:
        for button in (self.open_button, self.delete_button):
            button.setEnabled(self.selected() is not None)

    def open_selected(self) -> None:
        saved = self.selected()
        if saved is not None:
            navigator().open_draft(self.session, saved.id, self.window())

    def ask_delete(self) -> QMessageBox | None:
        saved = self.selected()
        if saved is None:
            return None
        subject, _details = _summary(saved, "")
        self.confirm_box = ask_delete_draft(
            self,
            subject,
            lambda: tasks.change(self.session.delete_draft(saved.id), self),
        )
        return self.confirm_box
