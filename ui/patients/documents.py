"""The "Documents" of the selected patient in Mes patients: those filed in the patient's record on
the regional service (the compte rendu of a téléexpertise…) and those received by message about
the patient, which the cache keeps (app/regional/documents.py says how both are read). Newest
first; each says its type, date, size, who filed or sent it, and whether it opens offline. A
double click, Entrée or "Ouvrir" opens it in the system's viewer through a private copy, as the
reader opens a message's document. Offline, the cached ones still list, and the hint says why the
record's are missing. Everything shown comes from the server or a sender: plain text."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QRect, Qt
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.dates import numeric_date
from app.regional.documents import DocumentAbout, PatientDocuments
from app.regional.errors import RegionalForbidden
from app.regional.records import Patient
from app.regional.service import RegionalOffline
from app.session import AccountSession
from app.units import file_size
from ui import browser, tasks, theme
from ui.card_delegate import CardFonts, CardList, paint_lines
from ui.file_dialogs import ask_save_path
from ui.palette import ACCENT, MUTED, TEXT
from ui.patients.delegates import TextCard
from ui.patients.widgets import say
from ui.plain import PlainLabel
from ui.record_list import RecordList


def details_text(document: DocumentAbout) -> str:
    """'CR de télémédecine · 12/11/2026 · 24 Ko'"""
    return " · ".join((document.type_label, numeric_date(document.at), file_size(document.size)))


def origin_text(document: DocumentAbout) -> str:
    """Where it comes from: the record (who filed it) or a message (who sent it)."""
    if document.in_record:
        return QCoreApplication.translate(
            "PatientDocuments", "Déposé dans le dossier par {author}"
        ).format(author=document.author)
    text = QCoreApplication.translate("PatientDocuments", "Par message de {author}").format(
        author=document.author or QCoreApplication.translate("PatientDocuments", "inconnu")
    )
    if document.offline:
        text += " · " + QCoreApplication.translate("PatientDocuments", "disponible hors connexion")
    return text


def document_text(document: DocumentAbout) -> str:
    """What a screen reader says of a row."""
    return f"{document.title}, {details_text(document)}, {origin_text(document)}"


def document_tooltip(document: DocumentAbout) -> str:
    if document.subject:
        return QCoreApplication.translate("PatientDocuments", "Message : {subject}").format(
            subject=document.subject
        )
    return document.file_name


class DocumentDelegate(TextCard[DocumentAbout]):
    """Title, type · date · size, where it comes from (the record's in the accent colour)."""

    record_type = DocumentAbout

    def paint_card(
        self, painter: QPainter, rect: QRect, record: DocumentAbout, fonts: CardFonts
    ) -> None:
        width = max(40, rect.width() - 32)
        left = rect.left() + 16
        paint_lines(
            painter,
            left,
            (
                (fonts.bold, TEXT, record.title, rect.top() + 6, width),
                (fonts.small, MUTED, details_text(record), rect.top() + 26, width),
                (fonts.small, ACCENT if record.in_record else MUTED, origin_text(record),
                 rect.top() + 42, width),
            ),
        )  # fmt: skip


class _DocumentList(CardList[DocumentAbout]):
    """Entrée opens the selected document, as a double click does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class DocumentsSection(QWidget):
    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: asyncio.Future[Any] | None = None
        self.open_task: asyncio.Future[Any] | None = None
        self.patient: Patient | None = None
        self.copy: Path | None = None  # the private copy opened last (saved from there)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        self.status = PlainLabel()  # may quote the server
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.status.setContentsMargins(16, 0, 16, 0)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.status)
        self.model: RecordList[DocumentAbout] = RecordList(document_text, document_tooltip, self)
        self.list = _DocumentList(self.model, DocumentDelegate(self), "patientDocumentsList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        box.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.setContentsMargins(16, 0, 16, 0)
        self.open_button = QPushButton(theme.icon("mail-document"), self.tr("Ouvrir"))
        self.open_button.setToolTip(self.tr("Ouvrir le document choisi"))
        self.open_button.setEnabled(False)
        row.addStretch(1)
        row.addWidget(self.open_button)
        box.addLayout(row)
        self.feedback = PlainLabel()
        self.feedback.setObjectName("hint")
        self.feedback.setWordWrap(True)
        self.feedback.setContentsMargins(16, 0, 16, 0)
        self.feedback.hide()
        box.addWidget(self.feedback)
        self.list.doubleClicked.connect(self._open_index)
        self.open_button.clicked.connect(lambda _checked=False: self.open_selected())
        self.list.selectionModel().selectionChanged.connect(
            lambda *_a: self.open_button.setEnabled(self.list.selected() is not None)
        )

    def clear(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self.patient = None
        self.model.set_rows([])
        say(self.status, "")
        say(self.feedback, "")

    def load(self, patient: Patient) -> asyncio.Future[Any]:
        """The patient's documents, read again (a read still running is replaced)."""
        self.patient = patient
        self.model.set_rows([])
        self.list.hide()
        self.open_button.setEnabled(False)
        say(self.feedback, "")
        say(self.status, self.tr("Chargement des documents…"))

        def failed(message: str) -> None:
            say(self.status, message, error=True)

        self.task = tasks.run(
            self.session.patient_documents.documents(patient), self, self.show_documents, failed,
            key="documents",
        )  # fmt: skip
        return self.task

    def show_documents(self, found: PatientDocuments) -> None:
        self.model.set_rows(found.documents)
        self.list.setVisible(bool(found.documents))
        say(self.status, self._status(found), error=self._is_error(found))

    def _status(self, found: PatientDocuments) -> str:
        problem = found.record_unavailable
        if isinstance(problem, RegionalOffline):
            return self.tr(
                "Hors connexion : seuls les documents reçus par message sont listés. Ceux du "
                "dossier sur le serveur régional reviendront avec la connexion."
            )
        if isinstance(problem, RegionalForbidden):
            return self.tr(
                "Suivez ce patient pour voir les documents déposés dans son dossier ; seuls les "
                "documents reçus par message sont listés."
            )
        if problem is not None:
            return tasks.message_of(problem)
        if not found.documents:
            return self.tr(
                "Aucun document pour ce patient : ni déposé dans son dossier, ni reçu par message."
            )
        return ""

    @staticmethod
    def _is_error(found: PatientDocuments) -> bool:
        problem = found.record_unavailable
        return problem is not None and not isinstance(problem, RegionalOffline | RegionalForbidden)

    def _open_index(self, index: QModelIndex) -> None:
        document = self.model.item(index.row())
        if document is not None:
            self.open(document)

    def open_selected(self) -> asyncio.Future[Any] | None:
        document = self.list.selected()
        return self.open(document) if document is not None else None

    def open(self, document: DocumentAbout) -> asyncio.Future[Any]:
        """A private copy of `document` in the system's viewer."""
        say(self.feedback, self.tr("Ouverture de « {name} »…").format(name=document.title))

        def opened(path: Path) -> None:
            self.copy = path
            say(self.feedback, "")
            browser.open_document(path, self, lambda: self.save_copy(document))

        def failed(message: str) -> None:
            say(self.feedback, message, error=True)

        self.open_task = tasks.run(
            self.session.patient_documents.open(document), self, opened, failed, key="open"
        )
        return self.open_task

    def save_copy(self, document: DocumentAbout) -> None:
        """ "Enregistrer sous…" when no viewer opens it: the private copy, where the user says."""
        copy = self.copy
        chosen = ask_save_path(self, document.file_name)
        if copy is None or not chosen:
            return
        tasks.change(
            asyncio.to_thread(shutil.copyfile, copy, chosen),
            self,
            lambda _path: say(
                self.feedback,
                self.tr("Document enregistré : {name}").format(name=Path(chosen).name),
            ),
            lambda message: say(self.feedback, message, error=True),
        )
