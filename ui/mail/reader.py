"""The reading pane: a conversation's messages in order, the patient it is about, its documents.

Each message is a card (`MessageCard`): its header, its body (`message_body.py`: sanitised, fetches
nothing, shown in part when too long) and its documents (`documents.py`). The conversation is
marked read after a moment on screen, unless the user just marked it unread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.dates import numeric_datetime
from app.events import MailChanged
from app.message.mss import shown_subject
from app.message.patient import born_on, format_ins, is_xdm_file, sex_of_ins
from app.records import AttachmentRecord, EmailRecord, PatientRef
from app.session import AccountSession
from ui import tasks, theme
from ui.mail.conversation_model import people
from ui.mail.documents import AttachmentChip
from ui.mail.message_body import MessageBody, TruncatedNotice
from ui.mail.preview import DocumentPreview, previewable
from ui.mail.receipts import ReadStatus, ReceiptQuestion
from ui.plain import PlainLabel, RichLabel

MARK_READ_MS = 1_000


def patient_line(patient: PatientRef) -> tuple[str, str]:
    """(name, the rest): "DUPONT Marie", ", née le 03/02/1939 — INS 2 39 02…" (the sex its INS
    records: a package gives none)."""
    rest = ""
    if patient.birth_date is not None:
        rest += ", " + born_on(sex_of_ins(patient.ins), patient.birth_date)
    if patient.ins:
        rest += " — INS " + format_ins(patient.ins)
    return patient.display_name() or "Patient sans nom", rest


class PatientBanner(QFrame):
    """ "Patient : DUPONT Marie, née le … — INS …"; the name opens the patient's file."""

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
        when = PlainLabel(numeric_datetime(record.sent_at or record.received_at))
        when.setObjectName("messageDate")
        top.addWidget(when, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.resume_button: QPushButton | None = None
        if "$draft" in record.keywords:
            self.resume_button = QPushButton(
                theme.icon("action-compose"), self.tr("Reprendre le brouillon")
            )
            self.resume_button.setObjectName("resumeDraft")
            line = QHBoxLayout()
            line.addWidget(self.resume_button)
            line.addStretch(1)
            column.addLayout(line)
        to_line = self.tr("À : ") + (people(record.to) or "—")
        if record.cc:
            to_line += "   " + self.tr("Cc : ") + people(record.cc)
        recipients = PlainLabel(to_line)
        recipients.setObjectName("messageRecipients")
        recipients.setWordWrap(True)
        column.addWidget(recipients)
        self.read_status = ReadStatus(record) if record.read_by or record.delivery else None
        if self.read_status is not None:
            column.addWidget(self.read_status)
        self.receipt_question: ReceiptQuestion | None = None
        if session.receipt_asked(record):
            self.receipt_question = ReceiptQuestion(session, record)
            column.addWidget(self.receipt_question)
        self.body = MessageBody()
        self.body.show_email(record)
        self.truncation = TruncatedNotice(record) if self.body.truncated else None
        if self.truncation is not None:
            column.addWidget(self.truncation)  # above: seen before the body is read
        column.addWidget(self.body)
        self.chips: list[AttachmentChip] = []
        self.previews: list[DocumentPreview] = []
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
                if previewable(chip):
                    self.previews.append(DocumentPreview(chip))
                    grid.addWidget(self.previews[-1])
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
    resumeRequested = Signal(object)  # EmailRecord: a server draft, to finish in a composer

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
        subject = PlainLabel(shown_subject(records[-1].subject) or self.tr("(sans objet)"))
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
            if card.receipt_question is not None:
                card.receipt_question.notice.connect(self.notice)
            if card.resume_button is not None:
                card.resume_button.clicked.connect(
                    lambda _c=False, r=record: self.resumeRequested.emit(r)
                )
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
        if [(r.id, r.read_by, r.delivery) for r in records] == [
            (r.id, r.read_by, r.delivery) for r in self.records
        ]:
            self.records = records  # flags only: nothing on screen to redraw
            return
        self.show_thread(self.thread_id, self.email_id, mark_read=False)

    def record(self, email_id: str) -> EmailRecord | None:
        return next((r for r in self.records if r.id == email_id), None)


async def demo_preview_screenshot(session: AccountSession) -> QWidget:
    """`make screenshots`: the reader on the newest conversation of the inbox with both a PDF
    and an image among its documents, their thumbnails loaded (or saying why not)."""
    reader = ReaderView(session)
    reader.resize(900, 1150)  # both documents, whole
    inbox = session.mailbox_by_role("inbox")
    threads = session.conversations(inbox.id, limit=500) if inbox is not None else []

    def both(thread_id: str) -> bool:
        types = {a.type.lower() for r in session.thread(thread_id) for a in r.attachments}
        return "application/pdf" in types and bool(types & {"image/png", "image/jpeg"})

    chosen = next((t for t in threads if both(t)), threads[0] if threads else None)
    if chosen is not None:
        reader.show_thread(chosen, mark_read=False)
    previews = [p for card in reader.cards for p in card.previews]
    for _ in range(100):  # 10 s at most: fetched from the server, then drawn
        if not any(p.loading for p in previews):
            break
        await asyncio.sleep(0.1)
    return reader
