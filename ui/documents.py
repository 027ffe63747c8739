"""Documents of a message or of a téléexpertise request: the type dialog ("de quel type de
document s'agit-il ?"), the list with name, type, size and a cross to remove, and French sizes
(Ko, Mo).

Every document carries a type from the JDV_J07 list (DESIGN §2.5): its label travels in the
attachment's Content-Description and in the IHE_XDM.ZIP. "Autre" is last, and is what a document
inserted as a plain "pièce jointe" gets when a patient's package needs a type.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.message import doctypes
from app.message.compose import OutgoingAttachment
from app.units import file_size
from ui import theme
from ui.plain import PlainLabel, plain_tooltip


@dataclass(frozen=True)
class Document:
    """A file to send and its type (a doctypes code)."""

    path: Path
    type_code: str
    size: int
    name: str = ""
    mime_type: str = ""

    @classmethod
    def of(cls, path: Path, type_code: str) -> Document:
        mime, _ = mimetypes.guess_type(path.name)
        return cls(
            path, type_code, path.stat().st_size, path.name, mime or "application/octet-stream"
        )

    @property
    def type_label(self) -> str:
        return doctypes.label_of(self.type_code)

    def outgoing(self) -> OutgoingAttachment:
        return OutgoingAttachment(self.path, self.name, self.mime_type, self.type_code)


class DocumentTypeDialog(QDialog):
    """Asks the type of one document; the list is DOCUMENT_TYPES in order ("Autre" last)."""

    def __init__(self, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentTypeDialog")
        self.setWindowTitle(window_title(self.tr("Type de document")))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        question = PlainLabel(self.tr("De quel type de document s'agit-il ?"))
        question.setObjectName("dialogTitle")
        layout.addWidget(question)
        name = PlainLabel(file_name)
        name.setObjectName("fileName")
        layout.addWidget(name)
        self.list = QListWidget()
        self.list.setObjectName("typeList")
        for doc_type in doctypes.DOCUMENT_TYPES:
            item = QListWidgetItem(doc_type.label)
            item.setData(Qt.ItemDataRole.UserRole, doc_type.code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Insérer"))
        ok.setObjectName("primaryButton")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuler"))
        for button in (ok, cancel):
            button.setIcon(QIcon())  # the style's stock icons clash with ours
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, 460)

    def select(self, code: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.list.setCurrentRow(row)

    def chosen_code(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


def ask_type(path: Path, parent: QWidget | None) -> str | None:
    """The real dialog, modal; None when the user cancels (the file is then not inserted)."""
    dialog = DocumentTypeDialog(path.name, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.chosen_code()
        return None
    finally:
        dialog.deleteLater()


class _TypeCombo(QComboBox):
    def __init__(self, code: str) -> None:
        super().__init__()
        self.setObjectName("documentType")
        for doc_type in doctypes.DOCUMENT_TYPES:
            self.addItem(doc_type.label, doc_type.code)
        self.setCurrentIndex(max(0, self.findData(code)))

    def wheelEvent(self, event: Any) -> None:
        event.ignore()  # scrolling the window must not change a document's type


class DocumentRow(QFrame):
    """One document: icon, name, type (changeable), size, remove."""

    removed = Signal()
    type_changed = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.setSpacing(8)
        icon = PlainLabel()
        icon.setPixmap(theme.icon("mail-document").pixmap(20, 20))
        layout.addWidget(icon)
        self.name = PlainLabel(document.name)
        self.name.setObjectName("documentName")
        self.name.setToolTip(plain_tooltip(str(document.path)))
        layout.addWidget(self.name, 1)
        self.type_combo = _TypeCombo(document.type_code)
        self.type_combo.setToolTip(self.tr("Type de document"))
        self.type_combo.currentIndexChanged.connect(
            lambda _i: self.type_changed.emit(str(self.type_combo.currentData()))
        )
        layout.addWidget(self.type_combo)
        self.size_label = PlainLabel(file_size(document.size))
        self.size_label.setObjectName("documentSize")
        self.size_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.size_label.setMinimumWidth(64)
        layout.addWidget(self.size_label)
        remove = QToolButton()
        remove.setObjectName("documentRemove")
        remove.setIcon(theme.icon("remove"))
        remove.setAutoRaise(True)
        remove.setToolTip(self.tr("Retirer le document"))
        remove.clicked.connect(self.removed)
        layout.addWidget(remove)


class DocumentList(QFrame):
    """The message's documents and their total; a hint to drop files when there is none."""

    changed = Signal()
    insert_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentList")
        self.documents: list[Document] = []
        self._rows: list[DocumentRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(4)
        layout.addLayout(self.rows_layout)
        self.hint = PlainLabel(
            self.tr("Déposez ici les documents à joindre, ou cliquez pour insérer un document.")
        )
        self.hint.setObjectName("dropHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.hint)
        self.total = PlainLabel()
        self.total.setObjectName("documentTotal")
        layout.addWidget(self.total)
        self._refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.documents and event.button() == Qt.MouseButton.LeftButton:
            self.insert_requested.emit()
        super().mousePressEvent(event)

    def total_size(self) -> int:
        return sum(d.size for d in self.documents)

    def add(self, document: Document) -> None:
        self.documents.append(document)
        row = DocumentRow(document)
        row.removed.connect(lambda r=row: self.remove(self._rows.index(r)))
        row.type_changed.connect(lambda code, r=row: self._retype(self._rows.index(r), code))
        self._rows.append(row)
        self.rows_layout.addWidget(row)
        self._refresh()

    def remove(self, index: int) -> None:
        del self.documents[index]
        row = self._rows.pop(index)
        self.rows_layout.removeWidget(row)
        row.deleteLater()
        self._refresh()

    def sizes_from_disk(self) -> None:
        """The documents' sizes read again: a file attached then filled in another program (an
        équipe ressource's template) is sent as it is when sending, and shown so."""
        grown = False
        for i, old in enumerate(self.documents):
            try:
                size = old.path.stat().st_size
            except OSError:
                continue  # gone: said when sending ("Document introuvable")
            if size != old.size:
                self.documents[i] = Document(old.path, old.type_code, size, old.name, old.mime_type)
                self._rows[i].size_label.setText(file_size(size))
                grown = True
        if grown:
            self._refresh()

    def _retype(self, index: int, code: str) -> None:
        old = self.documents[index]
        self.documents[index] = Document(old.path, code, old.size, old.name, old.mime_type)
        self.changed.emit()

    def _refresh(self) -> None:
        count = len(self.documents)
        self.hint.setVisible(count == 0)
        self.total.setVisible(count > 0)
        noun = self.tr("document") if count == 1 else self.tr("documents")
        self.total.setText(f"{count} {noun} · {file_size(self.total_size())}")
        self.changed.emit()
