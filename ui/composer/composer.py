"""The composer: a top-level window to write a message — recipients, patient, documents (inserted
or dropped from the file manager, each with its type), subject and text — saved as a draft in the
encrypted cache while it is written, and sent through the outbox (queued at once, sent now when
online, later otherwise)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import CoreError
from app.events import OutboxChanged
from app.message import doctypes
from app.message.compose import (
    OutgoingMessage,
    domain_of,
    forward,
    new_message_id,
    reply_to,
)
from app.message.draft import ChosenPatient, Draft, DraftDocument, DraftUnreadable
from app.message.patient import PatientIdentity, format_ins, is_xdm_file
from app.outbox.limits import SendLimits, check_sizes, fetch_limits
from app.session import AccountSession
from app.store.records import Address, EmailRecord, addresses_to_json
from ui import tasks, theme
from ui.composer.chips import Chip
from ui.composer.documents import Document, DocumentList, ask_type
from ui.composer.recipients import CARE_TEAM, Candidate, RecipientField
from ui.patient_picker import PatientDialog
from ui.plain import PlainLabel, plain_message_box, plain_text

log = logging.getLogger("monsisra.ui.composer")

DRAFT_DELAY_MS = 3000
QUEUED_NOTICE = "Le message sera envoyé au retour de la connexion."

TypeChooser = Callable[[Path], str | None]
FileChooser = Callable[[], list[Path]]


def _email_view(record: EmailRecord) -> dict[str, Any]:
    """The JMAP Email properties reply_to / forward read, from a cached record."""
    return {
        "subject": record.subject,
        "from": addresses_to_json(record.from_),
        "to": addresses_to_json(record.to),
        "cc": addresses_to_json(record.cc),
        "replyTo": addresses_to_json(record.reply_to),
        "messageId": record.message_id,
        "inReplyTo": record.in_reply_to,
        "references": record.references,
    }


def _quote(record: EmailRecord, forwarding: bool) -> str:
    """The original text below the answer: quoted with ">" for a reply, whole for a forward."""
    sender = record.from_[0] if record.from_ else None
    who = (sender.name or sender.email) if sender else ""
    when = (record.sent_at or record.received_at).astimezone()
    text = (record.text_body or record.preview or "").rstrip()
    if forwarding:
        head = [
            "-------- Message transféré --------",
            f"De : {who}",
            f"Date : {when.strftime('%d/%m/%Y %H:%M')}",
            f"Objet : {record.subject}",
            "",
        ]
        return "\n\n" + "\n".join(head) + text + "\n"
    quoted = "\n".join("> " + line if line else ">" for line in text.splitlines())
    return f"\n\nLe {when.strftime('%d/%m/%Y à %H:%M')}, {who} a écrit :\n{quoted}\n"


def _local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class _FileDropFilter(QObject):
    """Files dropped on the text fields become documents instead of text (their paths)."""

    def __init__(self, composer: Composer) -> None:
        super().__init__(composer)
        self.composer = composer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent) and _local_files(event):
            event.acceptProposedAction()
            return True
        if isinstance(event, QDropEvent) and event.type() == QEvent.Type.Drop:
            files = _local_files(event)
            if files:
                event.acceptProposedAction()
                self.composer.insert_files(files)
                return True
        return super().eventFilter(watched, event)


class Composer(QWidget):
    """A message being written. `sent(outbox_id)` once it is in the outbox (sent or queued)."""

    sent = Signal(str)
    _open: ClassVar[list[Composer]] = []  # top-level windows live until closed

    def __init__(
        self,
        session: AccountSession,
        draft: Draft | None = None,
        draft_id: str | None = None,
        reply_to: EmailRecord | None = None,
        reply_all: bool = False,
        forward: EmailRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.setObjectName("composer")
        self.setWindowTitle(self.tr("Nouveau message"))
        self.setAcceptDrops(True)
        self.resize(860, 720)
        self.draft_id: str = draft_id or uuid.uuid4().hex
        self.patient: ChosenPatient | None = None
        self.in_reply_to: list[str] = []
        self.references: list[str] = []
        self.limits: SendLimits | None = None
        self.notice_text = ""
        self.notice_box: QMessageBox | None = None
        self.sending = False
        self.done = False
        self.keeps_draft = True  # False for the screenshot's demo window
        self.send_task: asyncio.Future[tuple[str, str, str | None]] | None = None
        self._loading = True
        # Injectable for tests (and other front ends): the type of a file, the files to insert.
        self.choose_type: TypeChooser = lambda path: ask_type(path, self)
        self.choose_files: FileChooser = self._file_dialog

        self._build()
        self._restore(draft or Draft())
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(DRAFT_DELAY_MS)
        self._save_timer.timeout.connect(self.save_draft)
        for signal in (
            self.to_field.changed,
            self.cc_field.changed,
            self.subject_edit.textChanged,
            self.body.textChanged,
            self.documents.changed,
        ):
            signal.connect(self._changed)
        self.subject_edit.textChanged.connect(self._retitle)
        self._unsubscribe = session.bus.subscribe(OutboxChanged, self._outbox_changed)
        tasks.run(self._load_limits(), self)
        if reply_to is not None:
            tasks.run(self._prefill_reply(reply_to, reply_all), self, on_error=self.notify)
        elif forward is not None:
            tasks.run(self._prefill_forward(forward), self, on_error=self.notify)
        self._loading = False
        self._retitle()

    # Building the window -----------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        bar = QFrame()
        bar.setObjectName("composerBar")
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(16, 8, 16, 8)
        bar_layout.setSpacing(8)
        self.send_button = QPushButton(theme.icon("send"), self.tr("Envoyer"))
        self.send_button.setObjectName("primaryButton")
        self.send_button.setToolTip(self.tr("Envoyer (Ctrl+Entrée)"))
        self.send_button.clicked.connect(self.send)
        self.insert_button = QPushButton(
            theme.icon("mail-attachment"), self.tr("Insérer un document")
        )
        self.insert_button.clicked.connect(self.insert_documents)
        self.patient_button = QPushButton(theme.icon("nav-patients"), self.tr("Patient…"))
        self.patient_button.setToolTip(self.tr("Choisir le patient concerné"))
        self.patient_button.clicked.connect(self.choose_patient)
        self.directory_button = QPushButton(
            theme.icon("search"), self.tr("Rechercher un destinataire")
        )
        self.directory_button.clicked.connect(self.open_directory)
        self.discard_button = QPushButton(theme.icon("action-delete"), self.tr("Supprimer"))
        self.discard_button.setObjectName("quietButton")
        self.discard_button.setToolTip(self.tr("Supprimer ce brouillon et fermer"))
        self.discard_button.clicked.connect(self.discard)
        for button in (
            self.send_button,
            self.insert_button,
            self.patient_button,
            self.directory_button,
        ):
            button.setAutoDefault(False)
            bar_layout.addWidget(button)
        bar_layout.addStretch(1)
        self.draft_label = PlainLabel()
        self.draft_label.setObjectName("draftState")
        bar_layout.addWidget(self.draft_label)
        bar_layout.addWidget(self.discard_button)
        root.addWidget(bar)

        page = QFrame()
        page.setObjectName("composerPage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(24, 16, 24, 16)
        page_layout.setSpacing(8)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.to_field = RecipientField(self.session)
        self.cc_field = RecipientField(self.session)
        self.patient_box = QFrame()
        self.patient_box.setObjectName("patientBox")
        patient_layout = QHBoxLayout(self.patient_box)
        patient_layout.setContentsMargins(0, 0, 0, 0)
        self.patient_chip: Chip | None = None
        self.patient_empty = QPushButton(self.tr("Aucun patient — choisir…"))
        self.patient_empty.setObjectName("linkButton")
        self.patient_empty.setAutoDefault(False)
        self.patient_empty.clicked.connect(self.choose_patient)
        patient_layout.addWidget(self.patient_empty)
        patient_layout.addStretch(1)
        self.subject_edit = QLineEdit()
        self.subject_edit.setObjectName("subjectEdit")
        self.subject_edit.setPlaceholderText(self.tr("Objet du message"))
        for row, (label, widget) in enumerate(
            (
                (self.tr("À"), self.to_field),
                (self.tr("Cc"), self.cc_field),
                (self.tr("Patient"), self.patient_box),
                (self.tr("Objet"), self.subject_edit),
            )
        ):
            caption = PlainLabel(label)
            caption.setObjectName("fieldLabel")
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, 1)
        grid.setColumnStretch(1, 1)
        page_layout.addLayout(grid)

        self.notice = PlainLabel()
        self.notice.setObjectName("composerNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        page_layout.addWidget(self.notice)

        self.body = QPlainTextEdit()
        self.body.setObjectName("messageBody")
        self.body.setPlaceholderText(self.tr("Votre message…"))
        page_layout.addWidget(self.body, 1)

        self.documents = DocumentList()
        self.documents.insert_requested.connect(self.insert_documents)
        page_layout.addWidget(self.documents)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("sendProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress_label = PlainLabel()
        self.progress_label.setObjectName("hint")
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        self.progress.hide()
        self.progress_label.hide()
        page_layout.addLayout(progress_row)
        root.addWidget(page, 1)

        drop_filter = _FileDropFilter(self)
        for widget in (
            self.body.viewport(),
            self.subject_edit,
            self.to_field.line_edit,
            self.cc_field.line_edit,
        ):
            widget.installEventFilter(drop_filter)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send)

    def _retitle(self) -> None:
        subject = self.subject_edit.text().strip()
        self.setWindowTitle(plain_text(subject) or self.tr("Nouveau message"))

    # Drafts ------------------------------------------------------------------------------------

    def draft(self) -> Draft:
        """What the window shows, as the draft kept in the cache."""
        return Draft(
            to=tuple(self.to_field.recipients()),
            cc=tuple(self.cc_field.recipients()),
            subject=self.subject_edit.text(),
            body=self.body.toPlainText(),
            patient=self.patient,
            documents=tuple(DraftDocument(d.path, d.type_code) for d in self.documents.documents),
            in_reply_to=tuple(self.in_reply_to),
            references=tuple(self.references),
        )

    def _restore(self, draft: Draft) -> None:
        self.to_field.set_recipients(list(draft.to))
        self.cc_field.set_recipients(list(draft.cc))
        self.subject_edit.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self.in_reply_to = list(draft.in_reply_to)
        self.references = list(draft.references)
        if draft.patient is not None:
            self.set_patient(draft.patient)
        missing: list[str] = []
        for document in draft.documents:
            if not document.path.is_file():
                missing.append(document.path.name)
                continue
            self.documents.add(Document.of(document.path, document.type_code))
        if missing:
            self.notify(
                self.tr("Document(s) introuvable(s), retiré(s) du brouillon : ")
                + ", ".join(missing)
            )

    def _changed(self) -> None:
        if self._loading or self.sending or self.done:
            return
        self.draft_label.setText(self.tr("Modifié"))
        self._save_timer.start()

    def save_draft(self) -> asyncio.Future[Any] | None:
        """Saves now (every 3 s after a change, and on close); an emptied draft is deleted."""
        self._save_timer.stop()
        if self.done or self.sending or not self.keeps_draft:
            return None
        future: asyncio.Future[Any]
        draft = self.draft()
        if draft.is_empty():
            future = tasks.change(self.session.delete_draft(self.draft_id), self)
        else:
            future = tasks.change(
                self.session.save_draft(self.draft_id, draft),
                self,
                on_done=lambda _id: self._draft_saved(),
                on_error=self.notify,
            )
        return future

    def _draft_saved(self) -> None:
        if not self.done:
            self.draft_label.setText(self.tr("Brouillon enregistré"))

    @classmethod
    def restore_all(cls, session: AccountSession, parent: QWidget | None = None) -> list[Composer]:
        """Reopens every saved draft (after login, after a crash) not already open. A draft this
        build cannot read stays in the cache, unopened, and the user is told why."""
        already = {c.draft_id for c in cls._open if c.session is session}
        opened: list[Composer] = []
        unreadable: DraftUnreadable | None = None
        for saved in reversed(session.drafts()):
            if saved.id in already:
                continue
            try:
                draft = Draft.from_stored(saved.payload)
            except DraftUnreadable as e:
                log.warning("draft left unopened: %s", e)
                unreadable = e
                continue
            composer = cls(session, draft=draft, draft_id=saved.id, parent=parent)
            composer.show()
            opened.append(composer)
        if unreadable is not None:
            box = plain_message_box(
                parent,
                QMessageBox.Icon.Information,
                QCoreApplication.translate("Composer", "Message"),
                unreadable.message_fr,
                buttons=QMessageBox.StandardButton.Ok,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.show()
        return opened

    def showEvent(self, event: Any) -> None:
        if self not in Composer._open:
            Composer._open.append(self)
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.sending:
            self.notify(
                self.tr("Envoi en cours : la fenêtre se fermera une fois le message parti.")
            )
            event.ignore()
            return
        if not self.done:
            self.save_draft()
        self._unsubscribe()
        if self in Composer._open:
            Composer._open.remove(self)
        super().closeEvent(event)

    def discard(self) -> None:
        """Deletes the draft and closes, without sending."""
        self.done = True
        self._save_timer.stop()
        tasks.change(self.session.delete_draft(self.draft_id), self)
        self.close()

    # Recipients and patient --------------------------------------------------------------------

    def open_directory(self) -> None:
        try:
            from ui.directory.view import DirectoryDialog
        except ImportError:
            self.notify(self.tr("La recherche dans l'annuaire n'est pas disponible."))
            return
        dialog = DirectoryDialog(self.session, self)
        dialog.chosen.connect(self._directory_chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _directory_chosen(self, people: list[Any]) -> None:
        for person in people:
            if person.mailbox:
                self.to_field.add(Address(person.display_name, person.mailbox))

    def choose_patient(self) -> None:
        dialog = PatientDialog(self.session, self)
        dialog.chosen.connect(self.set_patient)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def set_patient(self, patient: ChosenPatient | None) -> None:
        if self.patient_chip is not None:
            self.patient_chip.deleteLater()
            self.patient_chip = None
        self.patient = patient
        for field in (self.to_field, self.cc_field):
            field.care_team = []
        self.patient_empty.setVisible(patient is None)
        if patient is not None:
            identity = patient.identity
            name = " ".join(p for p in (identity.family.upper(), identity.given) if p)
            detail = identity.display().removeprefix(name).lstrip(", ")
            if identity.ins:
                ins = f"INS {format_ins(identity.ins)}"
                detail = f"{detail} · {ins}" if detail else ins
            self.patient_chip = Chip(name, detail, kind="patient")
            self.patient_chip.removed.connect(lambda: self.set_patient(None))
            layout = self.patient_box.layout()
            assert isinstance(layout, QHBoxLayout)
            layout.insertWidget(0, self.patient_chip)
            if patient.id is not None:
                tasks.run(self._load_care_team(patient.id), self, key="care-team")
        self._changed()

    async def _load_care_team(self, patient_id: str) -> None:
        try:
            team = await (await self.session.regional()).care_team(patient_id)
        except CoreError:
            log.info("care team unavailable for completion")
            return
        if not tasks.alive(self) or self.patient is None or self.patient.id != patient_id:
            return
        members = [
            Candidate(m.name, m.mssante_address, m.specialty or m.profession or "", CARE_TEAM)
            for m in team.members
            if m.mssante_address
        ]
        for field in (self.to_field, self.cc_field):
            field.care_team = members

    # Replies and forwards ----------------------------------------------------------------------

    async def _prefill_reply(self, record: EmailRecord, reply_all: bool) -> None:
        me = await self.session.own_address()
        if not tasks.alive(self):
            return
        msg = reply_to(_email_view(record), me, reply_all)
        self._loading = True
        try:
            self.to_field.set_recipients(msg.to)
            self.cc_field.set_recipients(msg.cc)
            self.subject_edit.setText(msg.subject)
            self.in_reply_to, self.references = msg.in_reply_to, msg.references
            self.body.setPlainText(_quote(record, forwarding=False))
            if record.patient is not None and record.patient.family:
                self.set_patient(ChosenPatient.of_ref(record.patient))
        finally:
            self._loading = False

    async def _prefill_forward(self, record: EmailRecord) -> None:
        me = await self.session.own_address()
        if not tasks.alive(self):
            return
        msg = forward(_email_view(record), me)
        self._loading = True
        try:
            self.subject_edit.setText(msg.subject)
            self.body.setPlainText(_quote(record, forwarding=True))
            if record.patient is not None and record.patient.family:
                self.set_patient(ChosenPatient.of_ref(record.patient))
        finally:
            self._loading = False
        # The documents pass on: fetched (or taken from the cache) into private copies.
        for attachment in record.attachments:
            name = attachment.name or "document"
            if is_xdm_file(name):
                continue
            path = await self.session.copy_document(
                attachment.blob_id, name, attachment.type, attachment.size
            )
            if not tasks.alive(self):
                return
            found = doctypes.by_label(attachment.doc_type)
            self._add_checked([(path, found.code if found else doctypes.OTHER_CODE)])

    # Documents ---------------------------------------------------------------------------------

    async def _load_limits(self) -> None:
        """The server's size limits, and who I am (kept by the session for offline sending)."""
        if self.session.jmap is None:
            return
        try:
            await self.session.own_address()
            limits = await fetch_limits(self.session.jmap)
        except CoreError:
            log.info("server limits unknown for now: checked again when sending")
            return
        if tasks.alive(self):
            self.limits = limits

    def _file_dialog(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Insérer un document"))
        return [Path(n) for n in names]

    def insert_documents(self) -> None:
        """ "Insérer un document": the file dialog, then the type of each file."""
        self.insert_files(self.choose_files())

    def insert_files(self, paths: Iterable[Path]) -> None:
        """Asks the type of each file (one dialog per file), then adds those within the limits."""
        typed: list[tuple[Path, str]] = []
        for path in paths:
            if not path.is_file():
                self.notify(self.tr("« %1 » n'est pas un fichier.").replace("%1", path.name))
                continue
            if self._refused([*self._current(), (path.name, path.stat().st_size)]):
                continue
            code = self.choose_type(path)
            if code is None:
                continue
            typed.append((path, code))
        self._add_checked(typed)

    def _current(self) -> list[tuple[str, int]]:
        return [(d.name, d.size) for d in self.documents.documents]

    def _refused(self, documents: list[tuple[str, int]]) -> bool:
        """Shows why and returns True when the server would refuse these documents."""
        if self.limits is None:
            return False
        try:
            check_sizes(documents, self.patient is not None, self.limits)
        except CoreError as e:
            self.notify(e.message_fr, error=True)
            return True
        return False

    def _add_checked(self, typed: list[tuple[Path, str]]) -> None:
        for path, code in typed:
            document = Document.of(path, code)
            if self._refused([*self._current(), (document.name, document.size)]):
                continue
            self.documents.add(document)

    # Drag and drop from the file manager -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        # After the drop returns: the file manager must not wait on the type dialogs.
        QTimer.singleShot(0, lambda: self.insert_files(files))

    # Sending -----------------------------------------------------------------------------------

    def message(self, me: Address) -> OutgoingMessage:
        return OutgoingMessage(
            from_=me,
            to=self.to_field.recipients(),
            cc=self.cc_field.recipients(),
            subject=self.subject_edit.text().strip(),
            text=self.body.toPlainText(),
            patient=self.patient.identity if self.patient else None,
            attachments=[d.outgoing() for d in self.documents.documents],
            in_reply_to=self.in_reply_to,
            references=self.references,
            message_id=new_message_id(domain_of(me.email)),
        )

    def send(self) -> None:
        if self.sending or self.done:
            return
        for field in (self.to_field, self.cc_field):
            field.commit_typed()
            if field.pending_text():
                self.notify(
                    self.tr(
                        "« %1 » n'est pas une adresse : choisissez un destinataire proposé."
                    ).replace("%1", field.pending_text()),
                    error=True,
                )
                return
        if not self.to_field.recipients():
            self.notify(self.tr("Ajoutez au moins un destinataire."), error=True)
            return
        missing = [d.name for d in self.documents.documents if not d.path.is_file()]
        if missing:
            self.notify(self.tr("Document introuvable : ") + ", ".join(missing), error=True)
            return
        self._set_sending(True)
        self.send_task = tasks.change(
            self._send(), self, on_done=self._after_send, on_error=self._failed
        )

    async def _send(self) -> tuple[str, str, str | None]:
        me = await self.session.own_address()
        outbox_id = await self.session.send(self.message(me))
        self.done = True  # queued: from now on the outbox owns the message, not the draft
        await self.session.delete_draft(self.draft_id)
        row = next((r for r in self.session.outbox_list() if r.id == outbox_id), None)
        return outbox_id, row.state if row else "queued", row.error if row else None

    def _set_sending(self, on: bool) -> None:
        self.sending = on
        self._save_timer.stop()
        for widget in (
            self.send_button,
            self.insert_button,
            self.patient_button,
            self.directory_button,
            self.discard_button,
            self.to_field,
            self.cc_field,
            self.subject_edit,
            self.body,
            self.documents,
            self.patient_box,
        ):
            widget.setEnabled(not on)
        self.progress.setVisible(on)
        self.progress_label.setVisible(on)
        self.progress_label.setText(self.tr("Envoi en cours…"))

    def _outbox_changed(self, event: OutboxChanged) -> None:
        if self.sending:
            self.progress_label.setText(
                self.tr("Envoi en cours…") if event.pending else self.tr("Envoi terminé")
            )

    def _after_send(self, result: tuple[str, str, str | None]) -> None:
        outbox_id, state, error = result
        self._set_sending(False)
        self.done = True
        self.sent.emit(outbox_id)
        if state == "failed":
            self.notify_after_close(
                self.tr("Le message n'a pas pu être envoyé")
                + (f" : {error}" if error else ".")
                + self.tr(" Il reste dans la boîte d'envoi.")
            )
        elif state != "sent":
            self.notify_after_close(self.tr(QUEUED_NOTICE))
        self.close()

    def _failed(self, message: str) -> None:
        self._set_sending(False)
        if self.done:  # queued, then a local error: the outbox has it, the window can go
            self.notify_after_close(message)
            self.close()
            return
        self.notify(message, error=True)

    # Notices -----------------------------------------------------------------------------------

    def notify(self, text: str, error: bool = False) -> None:
        """A line above the text (not a dialog: the user keeps writing)."""
        self.notice_text = text
        self.notice.setText(text)
        theme.restyle(self.notice, error=error)
        self.notice.show()

    def notify_after_close(self, text: str) -> None:
        """A notice that outlives the window (it closes once the message is in the outbox)."""
        self.notice_text = text
        box = plain_message_box(
            self.parentWidget(),
            QMessageBox.Icon.Information,
            self.tr("Message"),
            text,
            buttons=QMessageBox.StandardButton.Ok,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.notice_box = box


def demo_screenshot(session: AccountSession) -> QWidget:
    """A reply-like message to two colleagues about a patient, with two typed documents."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="monsisra-demo-"))
    letter = folder / "Courrier_adressage_cardiologie.pdf"
    letter.write_bytes(b"%PDF-1.4\n" + b"0" * 180_000)
    ecg = folder / "ECG_repos_2026-03-02.pdf"
    ecg.write_bytes(b"%PDF-1.4\n" + b"0" * 1_450_000)
    composer = Composer(
        session,
        draft=Draft(
            to=(
                Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"),
                Address("Mme Julie Perrin", "julie.perrin@sisra-demo.mssante.fr"),
            ),
            subject="Adressage pour avis cardiologique",
            body=(
                "Cher confrère,\n\nJe vous adresse Mme André pour un avis cardiologique : "
                "palpitations à l'effort depuis trois semaines, ECG de repos ci-joint.\n\n"
                "Bien confraternellement,\nDr Hélène Garnier"
            ),
            patient=ChosenPatient(
                None,
                PatientIdentity(
                    ins="297016926678357",
                    oid="1.2.250.1.213.1.4.10",
                    given="Hélène",
                    family="André",
                    birth_date=dt.date(1997, 1, 18),
                    sex="female",
                ),
            ),
            documents=(
                DraftDocument(letter, "96349-6"),
                DraftDocument(ecg, "11488-4"),
            ),
        ),
    )
    composer.keeps_draft = False
    composer.resize(900, 720)
    return composer


__all__ = ["QUEUED_NOTICE", "Composer", "demo_screenshot"]
