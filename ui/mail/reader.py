"""The reading pane: a conversation's messages in order, the patient it is about, its documents.

HTML bodies are sanitised (app.message.html) and shown in a QTextBrowser that fetches nothing:
`loadResource` answers only `cid:` images (parts of the same message, from the encrypted cache) and
refuses every other URL; links open in the browser only when the user clicks them. A body longer
than the viewer can lay out at once is shown in part, and says so: its whole text can be copied or
saved (the viewer would hold the window for seconds). Documents open through a private temporary
copy (wiped at logout), can be saved elsewhere or dragged out. A document is shown under the name
it is saved and opened with (app.attachments.safe_file_name); one the system would run rather
than show (app.attachments.runs_code) can only be saved: no "Ouvrir", no double-click, no drag,
and a warning that says why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QDrag,
    QEnterEvent,
    QImage,
    QMouseEvent,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.attachments import runs_code, safe_file_name
from app.dates import numeric_date
from app.events import MailChanged
from app.message.html import full_text, viewable
from app.message.patient import format_ins, is_xdm_file
from app.regional.links import patient_file_url  # noqa: F401 (main_window imports it here)
from app.session import AccountSession
from app.store.records import AttachmentRecord, EmailRecord, PatientRef
from ui import tasks, theme
from ui.mail.conversations import people
from ui.plain import PlainLabel, RichLabel, plain_tooltip

log = logging.getLogger("monsisra.ui.reader")

MARK_READ_MS = 1_000


def human_size(size: int) -> str:
    """French units: octets, Ko, Mo."""
    if size < 1024:
        return f"{size} octets"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def long_date(moment: dt.datetime) -> str:
    local = moment.astimezone()
    return local.strftime("%d/%m/%Y à %H:%M")


def patient_line(patient: PatientRef) -> tuple[str, str]:
    """(name, the rest): "DUPONT Marie", ", né(e) le 03/02/1939 — INS 1…"."""
    rest = ""
    if patient.birth_date is not None:
        rest += ", né(e) le " + numeric_date(patient.birth_date)
    if patient.ins:
        rest += " — INS " + format_ins(patient.ins)
    return patient.display_name() or "Patient sans nom", rest


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


class MessageBody(QTextBrowser):
    """A message body that never reaches the network and grows to its content's height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBody")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(0)
        self.refused: list[str] = []  # every non-cid URL the document asked for
        self.images: dict[str, QImage] = {}  # cid → image of a part of this message
        self.truncated = False  # only the start of the body is shown
        self.anchorClicked.connect(self.open_link)

    def show_email(self, record: EmailRecord) -> None:
        body = viewable(record.html_body, record.text_body or record.preview or "")
        self.truncated = body.truncated
        self.setHtml(body.html)
        self.fit()

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        url = QUrl(url)
        if url.scheme().lower() == "cid" and url.path() in self.images:
            return self.images[url.path()]
        if url.scheme().lower() != "cid":
            self.refused.append(url.toString())
            log.info("resource refused (scheme %s)", url.scheme() or "none")
        # Something, never nothing: given nothing, Qt would try the URL as a local file name.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return _blank_image()
        return QByteArray()

    def add_image(self, cid: str, image: QImage) -> None:
        self.images[cid] = image
        self.document().addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl("cid:" + cid), image
        )
        self.setHtml(self.toHtml())
        self.fit()

    def open_link(self, url: QUrl) -> None:
        """Only what the user clicked, only web and mail links, in the system's browser."""
        if url.scheme().lower() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def fit(self) -> None:
        document = self.document()
        document.setTextWidth(max(1, self.viewport().width()))
        height = math.ceil(document.size().height()) + 2 * self.frameWidth() + 4
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()


def save_folder() -> Path:
    """Where "Enregistrer sous…" starts: the user's Documents, else Téléchargements, else the
    home folder. Never a folder a document's name would choose."""
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DownloadLocation,
    ):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def _ask_save_path(parent: QWidget, suggested: str, title: str = "") -> str:
    """The file dialog, on `save_folder()` and the safe form of `suggested`; the folder and name
    the user then picks are theirs."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        title or QApplication.translate("AttachmentChip", "Enregistrer le document"),
        str(save_folder() / safe_file_name(suggested)),
    )
    return path


def _ask_text_path(parent: QWidget, suggested: str) -> str:
    title = QApplication.translate("TruncatedNotice", "Enregistrer le texte du message")
    return _ask_save_path(parent, suggested, title)


def _save_text(path: Path, html_body: str | None, text_body: str | None) -> Path:
    """The whole text of a body, written beside then renamed (no half file), readable by its
    owner only, as documents are."""
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(full_text(html_body, text_body))
    os.replace(partial, path)
    return path


class TruncatedNotice(QFrame):
    """Under a body shown in part: says so, and hands over its whole text (copied or saved)."""

    notice = Signal(str)
    # Replaced in tests: (parent, suggested name) → chosen path, "" when cancelled.
    ask_save_path: Callable[[QWidget, str], str] = staticmethod(_ask_text_path)

    def __init__(self, record: EmailRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.setObjectName("truncatedNotice")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(8)
        self.label = PlainLabel(
            self.tr(
                "Message tronqué à l'affichage : il est trop long pour être affiché en entier. "
                "Son texte complet peut être copié ou enregistré."
            )
        )
        self.label.setObjectName("truncatedText")
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.copy_button = QPushButton(self.tr("Copier le texte complet"))
        self.copy_button.clicked.connect(lambda _checked=False: self.copy())
        self.save_button = QPushButton(self.tr("Enregistrer le texte complet…"))
        self.save_button.clicked.connect(lambda _checked=False: self.save_as())
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)

    def copy(self) -> None:
        r = self.record
        tasks.run(
            asyncio.to_thread(full_text, r.html_body, r.text_body),
            self,
            self._copied,
            self.notice.emit,
        )

    def _copied(self, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.notice.emit(self.tr("Texte complet du message copié."))

    def save_as(self) -> None:
        chosen = self.ask_save_path(self, self.tr("Texte du message.txt"))
        if not chosen:
            return
        r = self.record
        tasks.change(
            asyncio.to_thread(_save_text, Path(chosen), r.html_body, r.text_body),
            self,
            lambda path: self.notice.emit(
                self.tr("Texte du message enregistré : {name}").format(name=path.name)
            ),
            self.notice.emit,
        )


class AttachmentChip(QFrame):
    """A document: name, type and size; open, save as, or drag it out (to the desktop…). A
    program: save as only, with a warning."""

    notice = Signal(str)
    # Replaced in tests: (parent, suggested name) → chosen path, "" when cancelled.
    ask_save_path: Callable[[QWidget, str], str] = staticmethod(_ask_save_path)

    def __init__(
        self, session: AccountSession, attachment: AttachmentRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.attachment = attachment
        self.name = safe_file_name(attachment.name, self.tr("document"))
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
        self.title = PlainLabel(self.name)
        self.title.setObjectName("attachmentName")
        self.title.setText(
            self.title.fontMetrics().elidedText(self.name, Qt.TextElideMode.ElideMiddle, 300)
        )
        self.title.setToolTip(plain_tooltip(self.name))
        details = [attachment.doc_type or self.tr("Document"), human_size(attachment.size)]
        self.details = PlainLabel(" · ".join(details))
        self.details.setObjectName("attachmentDetails")
        self.details.setText(
            self.details.fontMetrics().elidedText(
                self.details.text(), Qt.TextElideMode.ElideMiddle, 300
            )
        )
        text.addWidget(self.title)
        text.addWidget(self.details)
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
            self.warning.setFixedWidth(340)
            text.addWidget(self.warning)
        row.addLayout(text)
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

    def _button(self, icon: str, tip: str, slot: Callable[[], Any]) -> QToolButton:
        button = QToolButton()
        button.setIcon(theme.icon(icon))
        button.setToolTip(plain_tooltip(tip))
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # The private copy ------------------------------------------------------------------------

    def prepare(self, then: Callable[[Path], None] | None = None) -> None:
        """Fetches the private copy once (from the cache, or the server the first time). A
        program gets none: there is nothing to open or drag."""
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
            self._failed,
        )

    def _ready(self, path: Path) -> None:
        self._fetching = False
        self.copy = path
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback(path)

    def _failed(self, message: str) -> None:
        self._fetching = False
        self._waiting.clear()
        self.notice.emit(message)

    def open(self) -> None:
        """With the system's viewer, from the private copy (a program: the warning instead)."""
        if self.warning is not None:
            self.notice.emit(self.warning.text())
            return

        def show(path: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

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


class PatientBanner(QFrame):
    """ "Patient : DUPONT Marie, né(e) le … — INS …"; the name opens the patient's file."""

    patientRequested = Signal(object)  # PatientRef

    def __init__(self, patient: PatientRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.patient = patient
        self.setObjectName("patientBanner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(8)
        icon = PlainLabel()
        icon.setPixmap(theme.icon("nav-patients").pixmap(20, 20))
        row.addWidget(icon)
        name, rest = patient_line(patient)
        self.label = RichLabel()
        self.label.setObjectName("patientText")
        self.label.setWordWrap(True)
        self.label.set_markup(
            self.tr("Patient : ") + '<a href="patient:"><b>{name}</b></a>{rest}'
            if patient.ins
            else self.tr("Patient : ") + "<b>{name}</b>{rest}",
            name=name,
            rest=rest,
        )
        self.label.setToolTip(self.tr("Ouvrir le dossier du patient dans le navigateur"))
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.label.linkActivated.connect(lambda _link: self.patientRequested.emit(self.patient))
        row.addWidget(self.label, 1)


class MessageCard(QFrame):
    """One message of the conversation: who, when, to whom, the body, the documents."""

    def __init__(
        self, session: AccountSession, record: EmailRecord, focused: bool, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.record = record
        self.setObjectName("messageCard")
        self.setProperty("focused", focused)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        column.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(8)
        sender = record.from_[0] if record.from_ else None
        names = QVBoxLayout()
        names.setSpacing(0)
        who = PlainLabel(
            (sender.name or sender.email) if sender is not None else self.tr("(expéditeur inconnu)")
        )
        who.setObjectName("messageSender")
        who.setWordWrap(True)  # a sender may call themselves anything, at any length
        names.addWidget(who)
        if sender is not None and sender.name:
            address = PlainLabel(sender.email)
            address.setObjectName("messageAddress")
            address.setWordWrap(True)
            address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            names.addWidget(address)
        top.addLayout(names, 1)
        when = PlainLabel(long_date(record.sent_at or record.received_at))
        when.setObjectName("messageDate")
        top.addWidget(when, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        to_line = self.tr("À : ") + (people(record.to) or "—")
        if record.cc:
            to_line += "   " + self.tr("Cc : ") + people(record.cc)
        recipients = PlainLabel(to_line)
        recipients.setObjectName("messageRecipients")
        recipients.setWordWrap(True)
        column.addWidget(recipients)
        self.body = MessageBody()
        self.body.show_email(record)
        self.truncation = TruncatedNotice(record) if self.body.truncated else None
        if self.truncation is not None:
            column.addWidget(self.truncation)  # above: seen before the body is read
        column.addWidget(self.body)
        self.chips: list[AttachmentChip] = []
        documents = [
            a
            for a in record.attachments
            # The patient package is not a document: its content is the banner.
            if not is_xdm_file(a.name or "") and not self._inline(a)
        ]
        if documents:
            grid = QVBoxLayout()
            grid.setSpacing(4)
            for attachment in documents:
                chip = AttachmentChip(session, attachment)
                self.chips.append(chip)
                line = QHBoxLayout()
                line.addWidget(chip)
                line.addStretch(1)
                grid.addLayout(line)
            column.addLayout(grid)
        self._load_images(session)

    def _inline(self, attachment: AttachmentRecord) -> bool:
        html = self.record.html_body or ""
        return bool(attachment.cid) and f"cid:{attachment.cid}" in html

    def _load_images(self, session: AccountSession) -> None:
        """cid: images of this message, from the cache (fetched once), never from the web."""
        for a in self.record.attachments:
            if not self._inline(a) or not a.type.startswith("image/"):
                continue
            cid = a.cid or ""

            def show(path: Path, cid: str = cid) -> None:
                image = QImage(str(path))
                if not image.isNull():
                    self.body.add_image(cid, image)

            tasks.run(
                session.open_document(a.blob_id, a.name or "image", a.type, a.size), self, show
            )


class ReaderView(QWidget):
    """Shows one conversation; marks it read after a second on screen."""

    notice = Signal(str)
    patientRequested = Signal(object)  # PatientRef

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("reader")
        self.thread_id: str | None = None
        self.email_id: str | None = None
        self.records: list[EmailRecord] = []
        self.cards: list[MessageCard] = []
        self.banner: PatientBanner | None = None
        self._stack = QStackedLayout(self)
        self.placeholder = PlainLabel(self.tr("Sélectionnez un message pour le lire."))
        self.placeholder.setObjectName("readerPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("readerScroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.scroller)
        self._mark_timer = QTimer(self)
        self._mark_timer.setSingleShot(True)
        self._mark_timer.setInterval(MARK_READ_MS)
        self._mark_timer.timeout.connect(self._mark_read)

    def clear(self) -> None:
        self._mark_timer.stop()
        self.thread_id = self.email_id = None
        self.records = []
        self.cards = []
        self.banner = None
        old = self.scroller.takeWidget()
        if old is not None:
            old.deleteLater()
        self._stack.setCurrentWidget(self.placeholder)

    def show_thread(
        self, thread_id: str, email_id: str | None = None, mark_read: bool = True
    ) -> None:
        records = self.session.thread(thread_id)
        if not records:
            self.clear()
            return
        same = thread_id == self.thread_id
        position = self.scroller.verticalScrollBar().value() if same else 0
        self.thread_id, self.email_id, self.records = thread_id, email_id, records
        content = QWidget()
        content.setObjectName("readerContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(24, 16, 24, 24)
        column.setSpacing(12)
        subject = PlainLabel(records[-1].subject or self.tr("(sans objet)"))
        subject.setObjectName("readerSubject")
        subject.setWordWrap(True)
        subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(subject)
        patient = next((r.patient for r in reversed(records) if r.patient is not None), None)
        self.banner = None
        if patient is not None:
            self.banner = PatientBanner(patient)
            self.banner.patientRequested.connect(self.patientRequested)
            column.addWidget(self.banner)
        self.cards = []
        for record in records:
            card = MessageCard(self.session, record, record.id == email_id, content)
            for chip in card.chips:
                chip.notice.connect(self.notice)
            if card.truncation is not None:
                card.truncation.notice.connect(self.notice)
            self.cards.append(card)
            column.addWidget(card)
        column.addStretch(1)
        old = self.scroller.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroller.setWidget(content)
        self._stack.setCurrentWidget(self.scroller)
        if same:
            QTimer.singleShot(0, lambda: self.scroller.verticalScrollBar().setValue(position))
        else:
            focus = next((c for c in self.cards if c.record.id == email_id), None)
            if focus is not None and focus is not self.cards[0]:
                QTimer.singleShot(0, lambda: self._reveal(focus))
        if mark_read:
            self._mark_timer.start()

    def _reveal(self, card: MessageCard) -> None:
        """Scrolls to the chosen message when it starts below the first screenful."""
        if card in self.cards and card.y() + 96 > self.scroller.viewport().height():
            self.scroller.verticalScrollBar().setValue(max(0, card.y() - 16))

    def hold_unread(self) -> None:
        """The user marked something unread: do not mark it read behind their back."""
        self._mark_timer.stop()

    def _mark_read(self) -> None:
        unread = [r.id for r in self.records if "$seen" not in r.keywords]
        if unread:
            tasks.change(self.session.set_seen(unread, True), self, None, self.notice.emit)

    def apply_change(self, change: MailChanged) -> None:
        """Re-reads the conversation when one of its messages changed (new reply, flags…)."""
        if self.thread_id is None:
            return
        shown = {r.id for r in self.records}
        if change.removed_email_ids & shown and not (shown - change.removed_email_ids):
            self.clear()
            return
        touched = shown & (change.email_ids | change.removed_email_ids)
        if self.thread_id not in change.thread_ids and not touched:
            return
        records = self.session.thread(self.thread_id)
        if [r.id for r in records] == [r.id for r in self.records]:
            self.records = records  # flags only: nothing on screen to redraw
            return
        self.show_thread(self.thread_id, self.email_id, mark_read=False)

    def record(self, email_id: str) -> EmailRecord | None:
        return next((r for r in self.records if r.id == email_id), None)
