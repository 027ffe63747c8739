"""The composer: a top-level window to write a message — recipients, patient, documents (each with
its type), subject and text — saved as a draft in the encrypted cache while it is written, and sent
through the outbox (queued at once, sent now when online, later otherwise).

This module drives the window whose widgets are in `view.py`: the draft ↔ fields mapping (a saved
draft and an answer fill the fields alike), the draft saved as it changes, the window's life
around a send. `inserting.py` puts documents in, `sending.py` hands the message to the outbox,
`replies.py` says what an answer starts from; the directory opens through the navigator."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from app.errors import CoreError
from app.events import OutboxChanged
from app.message.draft import ChosenPatient, Draft, DraftDocument
from app.message.mss import is_patient_mailbox
from app.records import Address, Correspondent, EmailRecord, OutboxState
from app.session import AccountSession
from ui import i18n, tasks
from ui.bridge import EventBridge
from ui.composer.demo import demo_draft
from ui.composer.recipients import CARE_TEAM, Candidate
from ui.composer.replies import Answer, answer_draft, own_text, passed_on, signature, signed
from ui.composer.sending import Handed, hand_over, outgoing
from ui.composer.view import ComposerView
from ui.documents import Document
from ui.inserting import Inserter
from ui.navigator import navigator
from ui.patient_picker import PatientDialog

log = logging.getLogger("monsisra.ui.composer")

DRAFT_DELAY_MS = 3000


class Composer(ComposerView):
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
        attach: bool = False,
        resume: EmailRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, parent)
        self.session = session
        self.draft_id: str = draft_id or uuid.uuid4().hex
        self.patient: ChosenPatient | None = None
        self.in_reply_to: list[str] = []
        self.references: list[str] = []
        self.replaces: str | None = None  # the server draft this one continues
        self.sending = False
        self.done = False  # sent, or discarded: the draft is no longer saved
        self.keeps_draft = True  # False for the screenshot's demo window
        # Issue 17 §2: a close waits for the draft's save, so that a save failing (a full disk)
        # leaves the window open with the text rather than losing what was typed since the last.
        self.unsaved = False  # changes of the user's not yet in the cache
        self._edits = 0  # counts those changes: a save covers the ones made before it began
        self._closing = False  # a close waits for its save
        self._save_failed = False  # the notice says a save failed
        self.send_task: asyncio.Future[Handed | None] | None = None
        self._loading = True
        self.inserter = Inserter(
            session, self.documents, self.notify, lambda: self.patient is not None, self
        )
        fields = (self.subject_edit, self.to_field.line_edit, self.cc_field.line_edit)
        self.inserter.watch_drops((self, self.body.viewport(), *fields))
        for clicked, slot in (
            (self.send_button.clicked, self.send),
            (self.insert_button.clicked, self.inserter.insert_documents),
            (self.documents.insert_requested, self.inserter.insert_documents),
            (self.patient_button.clicked, self.choose_patient),
            (self.patient_empty.clicked, self.choose_patient),
            (self.directory_button.clicked, self.open_directory),
            (self.discard_button.clicked, self.discard),
        ):
            clicked.connect(slot)
        for shortcut in self.add_send_shortcuts():
            shortcut.activated.connect(self.send)
        self.add_close_shortcut().activated.connect(self.close)

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
        self.subject_edit.textChanged.connect(self.retitle)
        for field in (self.to_field, self.cc_field):
            field.changed.connect(self._recipients_changed)
        self._recipients_changed()
        # The bus calls back on the publisher's thread: the bridge brings the event to this one.
        self.bridge = EventBridge(session.bus, self)
        self.bridge.outboxChanged.connect(self._outbox_changed)
        self.inserter.load_limits()
        answered = reply_to or forward
        if answered is not None:
            how = Answer.of(reply_to is not None, reply_all, attach)
            tasks.run(self._prefill(answered, how), self, on_error=self.notify)
        elif resume is not None:
            self.replaces = resume.id  # at once: taking it up again finds this window
            tasks.run(self._prefill_resumed(resume), self, on_error=self.notify)
        elif draft_id is None:  # a new message (a saved draft has its signature, or not)
            tasks.run(self._sign(), self, on_error=self.notify)
        self._loading = False
        self.retitle()
        self.focus_on_open(answering=answered is not None)

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
            replaces=self.replaces,
        )

    def _restore(self, draft: Draft) -> None:
        """The fields from `draft` (a saved draft, or what a reply starts from)."""
        self.to_field.set_recipients(list(draft.to))
        self.cc_field.set_recipients(list(draft.cc))
        self.subject_edit.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self.in_reply_to = list(draft.in_reply_to)
        self.references = list(draft.references)
        self.replaces = draft.replaces
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
                i18n.plural(
                    len(missing),
                    self.tr("Document introuvable, retiré du brouillon : "),
                    self.tr("Documents introuvables, retirés du brouillon : "),
                )
                + ", ".join(missing)
            )

    def _changed(self) -> None:
        if self._loading or self.sending or self.done:
            return
        self._edits += 1
        self.unsaved = True
        self.draft_label.setText(self.tr("Modifié"))
        self._save_timer.start()

    def save_draft(self) -> asyncio.Future[Any] | None:
        """Saves now (every 3 s after a change, and on close); an emptied draft is deleted."""
        self._save_timer.stop()
        if self.done or self.sending or not self.keeps_draft:
            return None
        draft = self.draft()
        edits = self._edits
        if replace(draft, body=own_text(draft.body)).is_empty():  # a signature is no draft
            return tasks.change(
                self.session.delete_draft(self.draft_id),
                self,
                on_done=lambda _none: self._draft_saved(edits, deleted=True),
                on_error=self._draft_failed,
            )
        return tasks.change(
            self.session.save_draft(self.draft_id, draft),
            self,
            on_done=lambda _id: self._draft_saved(edits),
            on_error=self._draft_failed,
        )

    def _draft_saved(self, edits: int, deleted: bool = False) -> None:
        if edits == self._edits:
            self.unsaved = False
        if self._save_failed:  # the disk has room again: the error is no longer true
            self._save_failed = False
            self.notice.hide()
        if not self.done and not deleted:
            self.draft_label.setText(self.tr("Brouillon enregistré"))
        if self._closing:  # the close that waited for this save: now, or after the next save
            if self.unsaved:
                self.save_draft()
            else:
                self.close()

    def _draft_failed(self, message: str) -> None:
        """The draft could not be saved (a full disk): the window says so and stays open, the
        text in it, until a save succeeds."""
        self._closing = False
        self._save_failed = True
        if not self.done:
            self.draft_label.setText(self.tr("Brouillon non enregistré"))
        self.notify(message, error=True)

    def showEvent(self, event: QShowEvent) -> None:
        self.place()
        if self not in Composer._open:
            Composer._open.append(self)
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Back in the window (from the program a document was filled in): its sizes, anew."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.documents.sizes_from_disk()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.sending:
            self.notify(
                self.tr("Envoi en cours : la fenêtre se fermera une fois le message parti.")
            )
            event.ignore()
            return
        if not self.done and self.keeps_draft and self.unsaved:
            event.ignore()  # closed once saved (`_draft_saved`), or kept open if it fails
            if not self._closing:
                self._closing = True
                self.save_draft()
            return
        if not self.done and not self._closing:  # unchanged: saved as it is (a reply's start)
            self.save_draft()
        self._closing = False
        self.bridge.close()
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
        navigator().choose_correspondents(self.session, self, self._directory_chosen)

    def _recipients_changed(self) -> None:
        recipients = [*self.to_field.recipients(), *self.cc_field.recipients()]
        self.show_patient_mailbox(any(is_patient_mailbox(a.email) for a in recipients))

    def _directory_chosen(self, people: list[Correspondent]) -> None:
        for person in people:
            if person.mailbox:
                self.to_field.add(Address(person.display_name, person.mailbox))

    def choose_patient(self) -> None:
        dialog = PatientDialog(self.session, self)
        dialog.chosen.connect(self.set_patient)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def set_patient(self, patient: ChosenPatient | None) -> None:
        self.patient = patient
        for field in (self.to_field, self.cc_field):
            field.care_team = []
        chip = self.show_patient(patient)
        if chip is not None:
            chip.removed.connect(lambda: self.set_patient(None))
        if patient is not None and patient.id is not None:
            tasks.run(self._load_care_team(patient.id), self, key="care-team")
        self._changed()

    async def _load_care_team(self, patient_id: str) -> None:
        """The patient's care team, proposed first when a recipient is typed."""
        try:
            team = await self.session.patients.care_team(patient_id)
        except CoreError:
            log.info("care team unavailable for completion")
            return
        if self.patient is None or self.patient.id != patient_id:
            return  # the patient was removed meanwhile (another one replaces this read by key)
        members = [
            Candidate(m.name, m.mssante_address, m.specialty or m.profession or "", CARE_TEAM)
            for m in team.members
            if m.mssante_address
        ]
        for field in (self.to_field, self.cc_field):
            field.care_team = members

    # Replies and forwards ----------------------------------------------------------------------

    async def _sign(self) -> None:
        """The signature below a new message's text; the user's cursor stays where it is."""
        body = self.body.toPlainText()
        added = signed(body, await signature(self.session))[len(body) :]
        user = self.body.textCursor()
        anchor, position = user.anchor(), user.position()
        end = QTextCursor(self.body.document())
        end.movePosition(QTextCursor.MoveOperation.End)
        self._loading = True  # not a change of the user's
        end.insertText(added)
        self._loading = False
        user.setPosition(anchor)
        user.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        self.body.setTextCursor(user)

    async def _prefill(self, record: EmailRecord, how: Answer) -> None:
        """The answer's fields, then the documents it passes on, each once fetched."""
        self._fill(await answer_draft(self.session, record, how))
        async for typed in passed_on(self.session, record, how):
            self.inserter.add_checked([typed])

    async def _prefill_resumed(self, record: EmailRecord) -> None:
        """A server draft taken up: its fields, its documents; saved on this computer from now
        on, and the server's destroyed once this one is sent."""
        self._fill(Draft.resuming(record))
        self.put_cursor(len(self.body.toPlainText()))  # where the writing stopped
        async for typed in passed_on(self.session, record, Answer.FORWARD):
            self.inserter.add_checked([typed])

    def _fill(self, draft: Draft) -> None:
        """The fields from what an answer starts from: not a change of the user's. What the user
        typed before the original message arrived stays above it, the cursor after it."""
        typed = self.body.toPlainText()
        self._loading = True
        try:
            self._restore(replace(draft, body=typed + draft.body))
        finally:
            self._loading = False
        self.put_cursor(len(typed))

    # Sending -----------------------------------------------------------------------------------

    def send(self) -> None:
        """Sends what the window shows, once it can go: recipients that are addresses, documents
        still there, and a subject and a text — or the user's word that it goes without."""
        if self.sending or self.done or self.question is not None or not self.can_go():
            return
        no_subject = not self.subject_edit.text().strip()
        no_text = not own_text(self.body.toPlainText())
        if no_subject or no_text:
            self.ask_send_anyway(no_subject, no_text, self._hand_over)
            return
        self._hand_over()

    def _hand_over(self) -> None:
        if self.sending or self.done:
            return
        self._set_sending(True)
        draft = self.draft()
        attachments = [d.outgoing() for d in self.documents.documents]
        no_reply = self.no_reply_check.isChecked()
        receipt = self.read_receipt_box.isChecked()
        self.send_task = tasks.change(
            hand_over(
                self.session,
                lambda me: outgoing(
                    draft, attachments, me, patient_cannot_reply=no_reply, read_receipt=receipt
                ),
                self.draft_id,
                self._queued,
            ),
            self,
            on_done=self._after_send,
            on_error=self._failed,
        )

    def _queued(self) -> None:
        self.done = True  # from now on the outbox owns the message, not the draft
        if self.replaces is not None:  # the server draft it continued is sent: it goes
            tasks.change(self.session.discard_server_draft(self.replaces), self)

    def _set_sending(self, on: bool) -> None:
        self.sending = on
        self._closing = False  # a close asked meanwhile waits for the send instead
        self._save_timer.stop()
        self.show_sending(on)

    def _outbox_changed(self, event: OutboxChanged) -> None:
        if self.sending:
            self.progress_label.setText(
                self.tr("Envoi en cours…") if event.pending else self.tr("Envoi terminé")
            )

    def _after_send(self, handed: Handed) -> None:
        self._set_sending(False)
        self.done = True
        self.sent.emit(handed.outbox_id)
        if handed.state == OutboxState.FAILED:
            self.notify_after_close(
                self.tr("Le message n'a pas pu être envoyé")
                + (f" : {handed.error}" if handed.error else ".")
                + self.tr(" Il reste dans la boîte d'envoi.")
            )
        # Queued (offline, or the server did not answer): no box — the status bar says it and
        # counts it, and the outbox view shows it.
        self.close()

    def _failed(self, message: str) -> None:
        self._set_sending(False)
        if self.done:  # queued, then a local error: the outbox has it, the window can go
            self.notify_after_close(message)
            self.close()
            return
        self.notify(message, error=True)


def demo_screenshot(session: AccountSession) -> QWidget:
    """A reply-like message to two colleagues about a patient, with two typed documents."""
    folder = Path(tempfile.mkdtemp(prefix="monsisra-demo-"))
    composer = Composer(session, draft=demo_draft(folder))
    # Its documents live as long as the window: `make screenshots` leaves nothing behind.
    composer.destroyed.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
    composer.keeps_draft = False
    composer.resize(900, 720)
    return composer


__all__ = ["Composer", "demo_screenshot"]
