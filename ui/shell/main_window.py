"""The main window, the app's frame: navigation on the left, the current page (mail, directory,
patients, téléexpertise, teleconsultations) on the right, the actions in a toolbar and the app
menu, the connection and the outbox in the status bar.

It is the shell, not a feature: it may import every feature and wires them together (a page asks
for a conversation, "Mes patients" writes about a patient; the regional pages are made when first
shown, `ui/shell/pages.py`); composers open through the navigator
(`ui/navigator.py`) and are kept here, so that a lock or a sign-out can close them (each saves
its draft). It talks to the core through the AccountSession only: reads on the UI thread (small
indexed queries), actions as background coroutines (ui.tasks), changes from the EventBus through
the EventBridge (so slots run on the UI thread).

Made in steps (no long loop turn at an unlock, defect 9): first what the first paint shows and
every action with its keys; the reader, the app menu and the drafts reopened each on a turn after
that paint, or when first needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.about import window_title
from app.events import ConnectionChanged, MailChanged
from app.message.draft import ChosenPatient, Draft
from app.records import Address, EmailRecord
from app.regional.records import Patient
from app.session import AccountSession
from ui import tasks
from ui.bridge import EventBridge
from ui.desktop.settings_dialog import SettingsDialog
from ui.desktop.tray import window_title as unread_title
from ui.first_paint import AfterFirstPaint
from ui.mail.navigation import NavigationPane
from ui.mail.page import MailPage, merge
from ui.mail.reader import ReaderView
from ui.mail.search import SearchField
from ui.mail.status import StatusBar
from ui.navigator import navigator
from ui.plain import plain_text
from ui.shell import actions, app_menu, pages

COALESCE_MS = 50  # MailChanged events merged before the views update (initial sync: many)
NOTICE_MS = 8_000


class MainWindow(QMainWindow):
    """Emits `closed` when the user closes it (the app then closes the session), `lockRequested`
    for "Verrouiller", `signOutRequested` for "Se déconnecter", `forgetRequested` once "Oublier
    ce compte sur cet ordinateur" (Paramètres) is confirmed, `settingsChanged(Settings)` after
    "Paramètres…" and `unreadChanged(n)` with the inbox's unread count (also shown in the title:
    "(3) MonSisra bureau")."""

    closed = Signal()
    lockRequested = Signal()
    signOutRequested = Signal()
    forgetRequested = Signal()
    settingsChanged = Signal(object)
    unreadChanged = Signal(int)
    madeInFull = Signal()  # the steps after the first paint are done (the reader, the menu…)

    # Made by actions.install: what the toolbar, the app menu and the keys trigger.
    actions_by_name: dict[str, QAction]  # by their name in the shortcuts table
    act_new: QAction
    act_reply: QAction
    act_reply_all: QAction
    act_forward: QAction
    act_forward_attached: QAction
    act_print: QAction
    act_unread: QAction
    act_flag: QAction
    act_archive: QAction
    act_delete: QAction
    act_search: QAction
    act_sync: QAction
    act_settings: QAction
    act_journal: QAction
    act_traces: QAction
    act_shortcuts: QAction
    act_about: QAction
    act_lock: QAction
    act_sign_out: QAction
    act_quit: QAction
    toolbar: QToolBar
    menu_button: QToolButton  # its menu, `app_menu`, made on a later turn

    def __init__(
        self, session: AccountSession, parent: QWidget | None = None, restore_drafts: bool = True
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mainWindow")
        self.setWindowTitle(window_title())
        self.resize(1280, 800)
        self.bridge = EventBridge(session.bus, self)
        self.composers: list[QWidget] = []
        # Issue 17 §2: closing (quitting) waits for the composers' drafts to be saved, and stays
        # open when one fails (a full disk). A lock does not wait: the session ends anyway.
        self.waits_for_drafts = True
        self._pending: list[MailChanged] = []
        self.unread = -1  # the inbox's unread count, once known
        self.forget_box: QMessageBox | None = None  # "Oublier ce compte…" asked, not answered

        self.navigation = NavigationPane()
        self.navigation.setFixedWidth(264)
        self.mail_page = MailPage(session)
        self.conversations = self.mail_page.conversations
        self._app_menu: QMenu | None = None
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.pages.addWidget(self.mail_page)
        self.regional = pages.RegionalPages(self)
        self.mailbox_id: str | None = None
        self._keep_search = False

        central = QWidget()
        central.setObjectName("central")
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.search = SearchField()
        actions.install(self)
        self.status = StatusBar(session, self.bridge, self)
        self.setStatusBar(self.status)

        self.navigation.mailboxSelected.connect(self.show_mailbox)
        self.navigation.pageSelected.connect(self.show_page)
        self.navigation.portalRequested.connect(self.open_portal)
        self.navigation.composeRequested.connect(self.compose)
        self.conversations.openRequested.connect(self._open)
        self.conversations.selectionEmptied.connect(self._update_actions)
        self.conversations.contextMenuRequested.connect(
            lambda where: actions.context_menu(self, where)
        )
        self.mail_page.notice.connect(self.notify)
        self.mail_page.resumeRequested.connect(self.resume_draft)
        self.search.searchRequested.connect(self.run_search)
        self.bridge.mailChanged.connect(self._queue_change)
        self.bridge.connectionChanged.connect(self._connection_changed)
        self.bridge.cacheRebuilt.connect(lambda e: self.notify(tasks.sentence(e.reason)))
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(COALESCE_MS)
        self._flush.timeout.connect(self._apply_changes)

        self._show_mailboxes()
        inbox = session.mailbox_by_role("inbox")
        if inbox is not None:
            self.navigation.select_mailbox(inbox.id)
        self._update_actions()
        # What the first paint does not need, a loop turn each after it (or when first needed).
        self._later: list[Callable[[], object]] = [lambda: self.reader, lambda: self.app_menu]
        if restore_drafts:
            self._later.append(self._restore_drafts)
        AfterFirstPaint(self.conversations.view.viewport(), self._next_step)

    # Made in steps ----------------------------------------------------------------------------
    @property
    def reader(self) -> ReaderView:
        return self.mail_page.reader

    @property
    def app_menu(self) -> QMenu:
        """The app menu ("Paramètres…", "Journal", … "Quitter"), on the menu button."""
        if self._app_menu is None:
            self._app_menu = app_menu.make(self)
        return self._app_menu

    def _next_step(self) -> None:
        """One step of what the first paint did not need; the next on the following turn."""
        if self._later:
            self._later.pop(0)()
        if self._later:
            QTimer.singleShot(0, self, self._next_step)  # not once the window is gone
        else:
            self.madeInFull.emit()

    # Actions: built by ui/shell/actions.py ----------------------------------------------------

    def _update_actions(self, *_args: Any) -> None:
        selected = (
            bool(self.conversations.selected_threads())
            and self.pages.currentWidget() is self.mail_page
        )
        summary = self.conversations.selected_summary()
        actions.enable_for_selection(self, selected, summary is not None and summary.flagged)

    # Pages -------------------------------------------------------------------------------------

    def show_mailbox(self, mailbox_id: str) -> None:
        box = next((m for m in self.session.mailboxes() if m.id == mailbox_id), None)
        if box is None:
            return
        self.mailbox_id = box.id
        self.navigation.select_mailbox(box.id)
        self.pages.setCurrentWidget(self.mail_page)
        if self.search.text() and not self._keep_search:
            self.search.clear()  # the user left the search for a mailbox
        self.conversations.set_mailbox(box.id, box.name, box.role)
        if self.mail_page.reader_made:
            self.reader.clear()
        self._update_actions()

    def show_page(self, key: str) -> None:
        self.navigation.select_page(key)
        self.pages.setCurrentWidget(self.regional.page(key))
        self._update_actions()

    def _connection_changed(self, event: ConnectionChanged) -> None:
        if event.online:
            self.regional.refresh()

    def show_thread(self, thread_id: str) -> None:
        """A conversation asked for by another page (a téléexpertise's request): the mail page."""
        self.navigation_to_mail()
        self.reader.show_thread(thread_id)
        self._update_actions()

    def write_about_patient(self, addresses: list[Address], patient: Patient | None) -> None:
        """A message to a patient's care team ("Mes patients"), about that patient."""
        chosen = ChosenPatient.of(patient) if patient is not None else None
        self.compose(draft=Draft(to=tuple(addresses), patient=chosen))

    def show_patient_messages(self, ins: str, patient: Patient | None = None) -> None:
        """The inbox, filtered to the messages about the patient with this INS."""
        if self._show_inbox():
            self.mail_page.filter_patient(ins, patient)

    def _show_inbox(self) -> bool:
        """The inbox, no search: False when there is none yet."""
        inbox = self.session.mailbox_by_role("inbox")
        if inbox is None:
            return False
        self.search.clear()
        self.conversations.search("")
        self.show_mailbox(inbox.id)
        return True

    def open_portal(self) -> None:
        if not self.session.online:
            self.notify(self.tr("Mon portail n'est pas disponible hors connexion."))
            return
        pages.open_portal(self)

    def notify(self, message: str) -> None:
        self.status.showMessage(plain_text(message), NOTICE_MS)

    def _show_mailboxes(self) -> None:
        """The navigation's mailboxes and counts, and the inbox's unread count in the title."""
        boxes = self.session.mailboxes()
        self.navigation.set_mailboxes(boxes)
        if self.mailbox_id is None and self.pages.currentWidget() is self.mail_page:
            # A first login: the inbox arrives with the first sync, and opens by itself.
            inbox = next((b for b in boxes if b.role == "inbox"), None)
            if inbox is not None and not self.search.text():
                self.navigation.select_mailbox(inbox.id)
        unread = next((b.unread for b in boxes if b.role == "inbox"), 0)
        if unread != self.unread:
            self.unread = unread
            self.setWindowTitle(unread_title(unread, window_title()))
            self.unreadChanged.emit(unread)

    def open_settings(self) -> SettingsDialog:
        return app_menu.open_settings(self)

    # Reading -----------------------------------------------------------------------------------

    def _open(self, email_id: str, thread_id: str) -> None:
        self.reader.show_thread(thread_id, email_id)
        self._update_actions()

    def open_email(self, email_id: str) -> bool:
        """Shows this message (a notification was clicked): its mailbox, selected, in the reader;
        the inbox is where new messages are. False when it is no longer there."""
        return self._show_inbox() and self.mail_page.reveal(email_id)

    def focus_search(self) -> None:
        self.navigation_to_mail()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def navigation_to_mail(self) -> None:
        """Back to the mail page (the mailbox last shown, else the inbox)."""
        if self.pages.currentWidget() is self.mail_page:
            return
        self.pages.setCurrentWidget(self.mail_page)
        mailbox_id = self.mailbox_id
        if mailbox_id is None:
            inbox = self.session.mailbox_by_role("inbox")
            mailbox_id = inbox.id if inbox is not None else None
        if mailbox_id is not None:
            self._keep_search = True  # coming back for a search: keep what was typed
            try:
                self.navigation.select_mailbox(mailbox_id)
            finally:
                self._keep_search = False

    def run_search(self, text: str) -> None:
        if text:
            self.navigation_to_mail()
        self.conversations.search(text)
        if self.mail_page.reader_made:
            self.reader.clear()
        self._update_actions()

    # Live updates ------------------------------------------------------------------------------

    def _queue_change(self, change: MailChanged) -> None:
        self._pending.append(change)
        if not self._flush.isActive():
            self._flush.start()

    def _apply_changes(self) -> None:
        changes, self._pending = self._pending, []
        if not changes:
            return
        self._show_mailboxes()
        self.mail_page.apply_change(merge(changes))
        self._update_actions()

    # Writing -----------------------------------------------------------------------------------

    def compose(self, draft: Draft | None = None) -> QWidget:
        """Opens a composer (its own window), kept until it closes."""
        return self._keep(navigator().compose(self.session, draft or Draft()))

    def _keep(self, window: QWidget) -> QWidget:
        """Kept while open; a composer that closes (sent, discarded, closed) is deleted, and
        forgotten when destroyed: kept hidden, each one would hold its widgets until the session
        ends (issue 17 §5, the soak's memory)."""
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.composers.append(window)
        window.destroyed.connect(lambda *_: self._forget(window))
        window.raise_()
        return window

    def _forget(self, window: QWidget) -> None:
        if window in self.composers:
            self.composers.remove(window)

    def reply(self, reply_all: bool = False) -> None:
        record = self.mail_page.selected_record()
        if record is not None:
            self._keep(navigator().compose_reply(self.session, record, reply_all))

    def forward(self, attach: bool = False) -> None:
        record = self.mail_page.selected_record()
        if record is not None:
            self._keep(navigator().compose_forward(self.session, record, attach))

    def resume_draft(self, record: EmailRecord) -> None:
        """A draft of "Brouillons" (the server's) finished in a composer."""
        window = navigator().resume_draft(self.session, record)
        if window is not None and window not in self.composers:
            self._keep(window)

    def _restore_drafts(self) -> None:
        for window in navigator().restore_drafts(self.session):
            self._keep(window)

    # Closing -----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        running: list[asyncio.Future[Any]] = []
        for window in list(self.composers):
            if window.isVisible():
                window.close()
            running += tasks.pending(window)
        if self.waits_for_drafts and any(w.isVisible() for w in self.composers):
            event.ignore()  # closed once they are; left open if a draft could not be saved
            tasks.run(self._close_when_saved(running), self, key="close-when-saved")
            return
        self.bridge.close()
        # Timers that read or write the session must not reach it while it closes.
        if self.mail_page.reader_made:
            self.reader.hold_unread()
        self._flush.stop()
        super().closeEvent(event)
        self.closed.emit()

    async def _close_when_saved(self, running: list[asyncio.Future[Any]]) -> None:
        """The close again once the composers' saves (or a send) ended, if they all closed; a
        composer whose draft could not be saved stays open saying why, and so does this."""
        await asyncio.gather(*running, return_exceptions=True)
        if not any(w.isVisible() for w in self.composers):
            self.close()


def demo_screenshot(session: AccountSession) -> QWidget:
    """The main window at 1280×800, the inbox listed and a conversation about a patient, with
    documents, open in the reader."""
    window = MainWindow(session, restore_drafts=False)
    window.resize(1280, 800)
    model = window.conversations.model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if (
            summary is not None
            and summary.patient is not None
            and summary.has_attachment
            and summary.count > 1
        ):
            window.conversations.select_row(row)
            break
    return window
