"""A document of a message in the reader (`AttachmentChip`): name, type and size; whether it opens
without a connection (the sync keeps recent documents ahead: app/sync/prefetch.py); open, save as,
or drag it out.

Documents open through a private temporary copy (wiped at logout), can be saved elsewhere or
dragged out. A document is shown under the name it is saved and opened with
(app.attachments.safe_file_name); one the system would run rather than show
(app.attachments.runs_code) can only be saved: no "Ouvrir", no double-click, no drag, and a
warning that says why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDrag,
    QEnterEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.attachments import runs_code, safe_file_name
from app.message.embedded import Headline, is_message, read_headline
from app.records import AttachmentRecord
from app.session import AccountSession
from app.units import file_size
from ui import browser, tasks, theme
from ui.mail.saving import ask_save_path
from ui.plain import ElidedLabel, PlainLabel, plain_tooltip


class AttachmentChip(QFrame):
    """A document: name, type and size; open, save as, or drag it out (to the desktop…). A
    program: save as only, with a warning."""

    notice = Signal(str)
    fetchFailed = Signal()  # the private copy could not be had (the reason went to `notice`)
    # Replaced in tests: (parent, suggested name) → chosen path, "" when cancelled.
    ask_save_path: Callable[[QWidget, str], str] = staticmethod(ask_save_path)

    def __init__(
        self, session: AccountSession, attachment: AttachmentRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.attachment = attachment
        self.is_message = is_message(attachment.type)  # a message attached whole
        fallback = "message.eml" if self.is_message else self.tr("document")
        self.name = safe_file_name(attachment.name, fallback)
        self.runs_code = runs_code(self.name, attachment.type)
        self.copy: Path | None = None  # the private copy, once fetched
        self._waiting: list[Callable[[Path], None]] = []
        self._press: QPoint | None = None
        self.setObjectName("attachmentChip")
        self.setProperty("runsCode", self.runs_code)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 6, 6)
        row.setSpacing(8)
        icon = PlainLabel()
        icon.setPixmap(theme.icon("warning" if self.runs_code else "mail-document").pixmap(24, 24))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(0)
        # Shortened only when the reader is too narrow for it, before its extension.
        self.title = ElidedLabel(self.name, file_name=True)
        self.title.setObjectName("attachmentName")
        details = [attachment.doc_type or self.tr("Document"), file_size(attachment.size)]
        self.details = ElidedLabel(" · ".join(details))
        self.details.setObjectName("attachmentDetails")
        text.addWidget(self.title)
        text.addWidget(self.details)
        self.offline_mark = PlainLabel()
        self.offline_mark.setObjectName("attachmentOffline")
        self.show_availability()
        self.warning: PlainLabel | None = None
        self.open_button: QToolButton | None = None
        if self.runs_code:
            self.warning = PlainLabel(
                self.tr(
                    "Ce type de fichier peut exécuter un programme : il ne peut pas être ouvert "
                    "depuis MonSisra bureau. Enregistrez-le et faites-le vérifier avant de "
                    "l'ouvrir."
                )
            )
            self.warning.setObjectName("attachmentWarning")
            self.warning.setWordWrap(True)
            self.warning.setMaximumWidth(340)  # narrower in a narrow pane: more lines
            text.addWidget(self.warning)
        row.addLayout(text)
        row.addWidget(self.offline_mark, 0, Qt.AlignmentFlag.AlignTop)
        if self.runs_code:
            self.setToolTip(self.tr("Enregistrez ce fichier pour le faire vérifier."))
            self.save_button = self._button("action-save", self.tr("Enregistrer…"), self.save_as)
            self.save_button.setText(self.tr("Enregistrer…"))
            self.save_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        else:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            self.setToolTip(
                self.tr(
                    "Double-cliquez pour ouvrir ; glissez vers le bureau pour copier le document."
                )
            )
            self.open_button = self._button("action-open", self.tr("Ouvrir"), self.open)
            row.addWidget(self.open_button)
            self.save_button = self._button(
                "action-save", self.tr("Enregistrer sous…"), self.save_as
            )
        row.addWidget(self.save_button)
        if self.is_message:
            self.details.setText(self.tr("Message transféré") + " · " + file_size(attachment.size))
            self.prepare(self._describe_message, quiet=True)

    def _button(self, icon: str, tip: str, slot: Callable[[], Any]) -> QToolButton:
        button = QToolButton()
        button.setIcon(theme.icon(icon))
        button.setToolTip(plain_tooltip(tip))
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def show_availability(self) -> None:
        """A mark and its tooltip: in the encrypted cache (opens offline) or still to download."""
        kept = self.attachment.blob_id in self.session.documents_offline([self.attachment.blob_id])
        self.available_offline = kept
        self.offline_mark.setPixmap(theme.icon("check" if kept else "offline").pixmap(16, 16))
        if kept:
            self.offline_mark.setToolTip(self.tr("Disponible hors connexion"))
        else:
            self.offline_mark.setToolTip(self.tr("À télécharger (connexion nécessaire)"))
        self.offline_mark.setAccessibleName(self.offline_mark.toolTip())

    # The private copy ------------------------------------------------------------------------

    def prepare(self, then: Callable[[Path], None] | None = None, quiet: bool = False) -> None:
        """Fetches the private copy once (from the cache, or the server the first time); a
        `quiet` fetch, which the user did not ask for, says nothing when it fails. A program
        gets none: there is nothing to open or drag."""
        if self.runs_code:
            return
        if self.copy is not None and self.copy.exists():
            if then is not None:
                then(self.copy)
            return
        if then is not None:
            self._waiting.append(then)
        if getattr(self, "_fetching", False):
            return
        self._fetching = True
        a = self.attachment
        tasks.run(
            self.session.open_document(a.blob_id, self.name, a.type, a.size),
            self,
            self._ready,
            self._failed if not quiet else lambda _message: self._failed(None),
        )

    def _ready(self, path: Path) -> None:
        self._fetching = False
        self.copy = path
        self.show_availability()  # opened once, it is kept
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback(path)

    def _failed(self, message: str | None) -> None:
        self._fetching = False
        self._waiting.clear()
        if message is not None:
            self.notice.emit(message)
        self.fetchFailed.emit()

    def _describe_message(self, path: Path) -> None:
        """An attached message says what it is: its subject, and who wrote it."""
        tasks.run(read_headline(path), self, self._show_headline)

    def _show_headline(self, headline: Headline) -> None:
        subject = headline.subject or self.tr("(sans objet)")
        title = self.tr("Message : {subject}").format(subject=subject)
        self.title.setText(
            self.title.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, 300)
        )
        self.title.setToolTip(plain_tooltip(title))
        if headline.sender:
            details = self.tr("De : {sender}").format(sender=headline.sender)
            details += " · " + file_size(self.attachment.size)
            self.details.setText(
                self.details.fontMetrics().elidedText(details, Qt.TextElideMode.ElideRight, 300)
            )
            self.details.setToolTip(plain_tooltip(details))

    def open(self) -> None:
        """With the system's viewer, from the private copy (a program: the warning instead)."""
        if self.warning is not None:
            self.notice.emit(self.warning.text())
            return

        def show(path: Path) -> None:
            browser.open_document(path, self, self.save_as)

        self.prepare(show)

    def save_as(self) -> None:
        chosen = self.ask_save_path(self, self.name)
        if not chosen:
            return
        a = self.attachment
        tasks.change(
            self.session.save_document(a.blob_id, self.name, a.type, Path(chosen), a.size),
            self,
            lambda path: self.notice.emit(
                self.tr("Document enregistré : {name}").format(name=path.name)
            ),
            self.notice.emit,
        )

    # Drag out --------------------------------------------------------------------------------

    def mime_data(self) -> QMimeData | None:
        """What a drag carries: the private copy as a file URL (None until it is fetched)."""
        if self.copy is None or not self.copy.exists():
            return None
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(self.copy))])
        return data

    def enterEvent(self, event: QEnterEvent) -> None:
        self.prepare()  # the user may be about to drag it: have the copy ready
        super().enterEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.prepare()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        moved = (event.position().toPoint() - self._press).manhattanLength()
        if moved < QApplication.startDragDistance():
            return
        data = self.mime_data()
        if data is None:
            return  # still fetching: the drag starts on the next move
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.setPixmap(theme.icon("mail-document").pixmap(32, 32))
        drag.exec(Qt.DropAction.CopyAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.open()
