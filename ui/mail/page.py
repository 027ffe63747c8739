"""The mail page: the conversation list beside the reader, and what the user does to the selected
messages (mark unread, follow, archive, delete) or to a conversation's patient.

The shell (`ui/shell/main_window.py`) places the page, its search field and its actions; the page
knows the mail only: it opens no other feature (replies and forwards are the shell's, through the
navigator). Changes reach it already merged (`merge`), on the UI thread.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QSplitter, QWidget

from app.events import MailChanged
from app.records import EmailRecord, PatientRef
from app.regional.records import Patient
from app.session import AccountSession
from ui import browser, tasks
from ui.mail.conversations import ConversationList
from ui.mail.drafts import LocalDrafts, ask_delete_draft
from ui.mail.reader import ReaderView

READER_MIN_WIDTH = 420


def merge(changes: list[MailChanged]) -> MailChanged:
    """One change for several (an initial sync announces many): the union of each set."""
    return MailChanged(
        email_ids=frozenset().union(*(c.email_ids for c in changes)),
        thread_ids=frozenset().union(*(c.thread_ids for c in changes)),
        mailbox_ids=frozenset().union(*(c.mailbox_ids for c in changes)),
        removed_email_ids=frozenset().union(*(c.removed_email_ids for c in changes)),
    )


class MailPage(QSplitter):
    """Emits `notice(message)` for the status bar (an action failed, a document saved…) and
    `resumeRequested(record)` for a server draft to finish in a composer (the shell opens it)."""

    notice = Signal(str)
    resumeRequested = Signal(object)  # EmailRecord

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        self.setObjectName("mailSplitter")
        self.setChildrenCollapsible(False)
        self.conversations = ConversationList(session)
        self._reader: ReaderView | None = None  # made when first needed (`reader`)
        placeholder = QWidget()  # the reader's place, kept until it is made
        placeholder.setObjectName("readerPlaceholder")
        placeholder.setMinimumWidth(READER_MIN_WIDTH)
        self.addWidget(self.conversations)
        self.addWidget(placeholder)
        self.conversations.setMinimumWidth(340)
        self.setSizes([420, 612])
        self.setStretchFactor(1, 1)
        self._local_drafts: LocalDrafts | None = None  # made when "Brouillons" is first shown
        self.conversations.mailboxShown.connect(self._mailbox_shown)
        self.conversations.activated.connect(self._activated)

    @property
    def reader(self) -> ReaderView:
        """The reader, made when first needed: the main window asks for it on the loop turn after
        its first paint (that paint is the list's), a conversation opened sooner makes it then."""
        if self._reader is None:
            reader = ReaderView(self.session)
            reader.setMinimumWidth(READER_MIN_WIDTH)
            reader.notice.connect(self.notice)
            reader.patientRequested.connect(self.open_patient_file)
            reader.resumeRequested.connect(self.resumeRequested)
            sizes = self.sizes()  # the list keeps its width: no jump when the reader comes
            placeholder = self.replaceWidget(1, reader)
            self.setSizes(sizes)
            if placeholder is not None:
                placeholder.deleteLater()
            self._reader = reader
        return self._reader

    @property
    def local_drafts(self) -> LocalDrafts:
        """ "Sur cet ordinateur", above the list of "Brouillons": made when first shown there (it
        reads this computer's drafts), not with the window."""
        if self._local_drafts is None:
            drafts = LocalDrafts(self.session)
            drafts.set_wanted(False)
            self.conversations.add_above_list(drafts)
            self._local_drafts = drafts
        return self._local_drafts

    def _mailbox_shown(self, role: str) -> None:
        if role == "drafts":
            self.local_drafts.set_wanted(True)
        elif self._local_drafts is not None:
            self._local_drafts.set_wanted(False)

    @property
    def reader_made(self) -> bool:
        return self._reader is not None

    def _activated(self, email_id: str) -> None:
        """Double-click or Enter on a row: in "Brouillons", the draft opens to be finished."""
        if self.conversations.role != "drafts":
            return
        record = self.selected_record()
        if record is not None and record.id == email_id:
            self.resumeRequested.emit(record)

    def apply_change(self, change: MailChanged) -> None:
        self.conversations.apply_change(change)
        if self._reader is not None:
            self._reader.apply_change(change)

    # Reading -----------------------------------------------------------------------------------

    def reveal(self, email_id: str) -> bool:
        """Selects this message's conversation in the list shown (no filter left, pages fetched
        until it is there); False when it is not in it."""
        thread_id = self.session.thread_of(email_id)
        if thread_id is None:
            return False
        for toggle in (self.conversations.unread_filter, self.conversations.attachment_filter):
            toggle.setChecked(False)
        self.conversations.set_patient_filter(None)
        model = self.conversations.model
        while model.row_of(thread_id) < 0 and model.canFetchMore(model.index(0).parent()):
            model.fetchMore(model.index(0).parent())
        return self.conversations.select_thread(thread_id)

    def filter_patient(self, ins: str, patient: Patient | None = None) -> None:
        """Only the messages about the patient with this INS (named when `patient` is that one)."""
        same = patient is not None and patient.ins == ins
        self.conversations.set_patient_filter(
            PatientRef(
                ins,
                patient.ins_oid if same and patient else None,
                patient.given if same and patient else None,
                patient.family if same and patient else None,
                patient.birth_date if same and patient else None,
            )
        )

    def open_patient_file(self, patient: PatientRef) -> None:
        browser.open_patient_file(self.session, patient.ins or "", self, self.notice.emit)

    # Acting on the selection -------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """The messages of the selected conversations (see ConversationList.selected_ids)."""
        return self.conversations.selected_ids()

    def selected_record(self) -> EmailRecord | None:
        summary = self.conversations.selected_summary()
        if summary is None:
            return None
        found = self._reader.record(summary.id) if self._reader is not None else None
        if found is not None:
            return found
        return next((r for r in self.session.thread(summary.thread_id) if r.id == summary.id), None)

    def _act(self, coro: Coroutine[Any, Any, Any]) -> None:
        tasks.change(coro, self, None, self.notice.emit)

    def mark_unread(self) -> None:
        ids = self.selected_ids()
        if ids:
            if self._reader is not None:
                self._reader.hold_unread()
            self._act(self.session.set_seen(ids, False))

    def toggle_flag(self) -> None:
        """Flags each selected conversation by its newest message (Gmail's star), or, when all
        of them are flagged already, unflags every message of them."""
        rows = self.conversations.selected_summaries()
        if not rows:
            return
        if all(r.flagged for r in rows):
            self._act(self.session.set_flagged(self.selected_ids(), False))
        else:
            self._act(self.session.set_flagged([r.id for r in rows if not r.flagged], True))

    def archive(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._act(self.session.archive(ids))

    def delete(self) -> QMessageBox | None:
        """To the trash (for good from the trash); a draft is asked first."""
        ids = self.selected_ids()
        if not ids:
            return None
        if self.conversations.role != "drafts":
            self._act(self.session.delete(ids))
            return None
        subjects = [s.subject for s in self.session.summaries(ids)]
        return ask_delete_draft(
            self,
            subjects[0] if len(subjects) == 1 else "",
            lambda: self._act(self.session.delete(ids)),
        )
