"""The main window: navigation on the left, the current page (mail, teleconsultations…) on the
right, the actions in a toolbar, the connection and the outbox in the status bar.

It talks to the core through the AccountSession only: reads on the UI thread (small indexed
queries), actions as background coroutines (ui.tasks.run), changes from the EventBus through the
EventBridge (so slots run on the UI thread).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.events import MailChanged
from app.message.draft import ChosenPatient, Draft
from app.remote.regional import Patient
from app.session import AccountSession
from app.store.records import Address, EmailRecord, PatientRef
from ui import tasks, theme
from ui.desktop import shortcuts
from ui.desktop.tray import window_title
from ui.bridge import EventBridge
from ui.mail.conversations import ConversationList
from ui.mail.navigation import NavigationPane
from ui.mail.reader import ReaderView, patient_file_url
from ui.mail.search import SearchField
from ui.mail.status import StatusBar
from ui.plain import PlainLabel, plain_message_box, plain_text, plain_tooltip

if TYPE_CHECKING:
    from ui.desktop.about import AboutDialog
    from ui.desktop.journal import JournalDialog
    from ui.desktop.settings_dialog import SettingsDialog

log = logging.getLogger("monsisra.ui.main")

COALESCE_MS = 50  # MailChanged events merged before the views update (initial sync: many)
NOTICE_MS = 8_000


def soon_page(title: str, sentence: str) -> QWidget:
    """A page for a service that comes later, saying what it will hold."""
    page = QWidget()
    page.setObjectName("soonPage")
    column = QVBoxLayout(page)
    column.setContentsMargins(48, 48, 48, 48)
    column.addStretch(1)
    heading = PlainLabel(title)
    heading.setObjectName("soonTitle")
    heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
    badge = PlainLabel(QCoreApplication.translate("MainWindow", "Bientôt disponible"))
    badge.setObjectName("soonBadge")
    badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
    text = PlainLabel(sentence)
    text.setObjectName("soonText")
    text.setWordWrap(True)
    text.setAlignment(Qt.AlignmentFlag.AlignCenter)
    text.setFixedWidth(520)
    column.addWidget(heading)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(badge)
    row.addStretch(1)
    column.addLayout(row)
    line = QHBoxLayout()
    line.addStretch(1)
    line.addWidget(text)
    line.addStretch(1)
    column.addLayout(line)
    column.addStretch(2)
    return page


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

    def __init__(
        self, session: AccountSession, parent: QWidget | None = None, restore_drafts: bool = True
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("MonSisra bureau"))
        self.resize(1280, 800)
        self.bridge = EventBridge(session.bus, self)
        self.composers: list[QWidget] = []
        self._pending: list[MailChanged] = []
        self.unread = -1  # the inbox's unread count, once known
        self.forget_box: QMessageBox | None = None  # "Oublier ce compte…" asked, not answered

        self.navigation = NavigationPane()
        self.navigation.setFixedWidth(264)
        self.conversations = ConversationList(session)
        self.reader = ReaderView(session)
        self.mail_page = QSplitter(Qt.Orientation.Horizontal)
        self.mail_page.setObjectName("mailSplitter")
        self.mail_page.setChildrenCollapsible(False)
        self.mail_page.addWidget(self.conversations)
        self.mail_page.addWidget(self.reader)
        self.conversations.setMinimumWidth(340)
        self.reader.setMinimumWidth(420)
        self.mail_page.setSizes([420, 612])
        self.mail_page.setStretchFactor(1, 1)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.pages.addWidget(self.mail_page)
        self._page_widgets: dict[str, QWidget] = {}
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
        self._make_actions()
        self.status = StatusBar(session, self.bridge, self)
        self.setStatusBar(self.status)

        self.navigation.mailboxSelected.connect(self.show_mailbox)
        self.navigation.pageSelected.connect(self.show_page)
        self.navigation.portalRequested.connect(self.open_portal)
        self.navigation.composeRequested.connect(self.compose)
        self.conversations.openRequested.connect(self._open)
        self.conversations.selectionEmptied.connect(self._update_actions)
        self.conversations.contextMenuRequested.connect(self._context_menu)
        self.reader.notice.connect(self.notify)
        self.reader.patientRequested.connect(self.open_patient_file)
        self.search.searchRequested.connect(self.run_search)
        self.bridge.mailChanged.connect(self._queue_change)
        self.bridge.cacheRebuilt.connect(lambda e: self.notify(e.reason_fr))
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(COALESCE_MS)
        self._flush.timeout.connect(self._apply_changes)

        self._show_mailboxes()
        inbox = session.mailbox_by_role("inbox")
        if inbox is not None:
            self.navigation.select_mailbox(inbox.id)
        self._update_actions()
        if restore_drafts:
            QTimer.singleShot(0, self._restore_drafts)

    # Actions -----------------------------------------------------------------------------------

    def _action(self, icon: str, text: str, name: str | None, slot: Any, tip: str = "") -> QAction:
        """An action of the window; `name` gives its keys from the shortcuts table."""
        action = QAction(theme.icon(icon), text, self)
        tip = tip or text
        if name is not None:
            action.setShortcuts(shortcuts.sequences(name))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
            self.actions_by_name[name] = action
        action.setToolTip(plain_tooltip(tip))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        self.act_new = self._action(
            "action-compose", self.tr("Nouveau message"), "new", self.compose
        )
        self.act_reply = self._action("action-reply", self.tr("Répondre"), "reply", self.reply)
        self.act_reply_all = self._action(
            "action-reply-all", self.tr("Répondre à tous"), "reply_all", self.reply_all
        )
        self.act_forward = self._action(
            "action-forward", self.tr("Transférer"), "forward", self.forward
        )
        self.act_unread = self._action(
            "action-unread", self.tr("Marquer comme non lu"), "mark_unread", self.mark_unread
        )
        self.act_flag = self._action("action-flag", self.tr("Suivre"), "flag", self.toggle_flag)
        self.act_archive = self._action(
            "action-archive", self.tr("Archiver"), "archive", self.archive
        )
        self.act_delete = self._action("action-delete", self.tr("Supprimer"), "delete", self.delete)
        self.act_search = self._action(
            "action-search", self.tr("Rechercher"), "search", self.focus_search
        )
        self.act_sync = self._action(
            "action-retry", self.tr("Synchroniser"), "sync", self.session.sync_now
        )
        self.act_settings = self._action(
            "settings", self.tr("Paramètres…"), "settings", self.open_settings
        )
        self.act_journal = self._action(
            "journal",
            self.tr("Journal"),
            None,
            self.open_journal,
            self.tr("Les derniers événements de l'application, pour l'assistance"),
        )
        self.act_shortcuts = self._action(
            "keyboard", self.tr("Raccourcis clavier"), "shortcuts", self.show_shortcuts
        )
        self.act_about = self._action(
            "info", self.tr("À propos de MonSisra bureau"), None, self.open_about
        )
        self.act_lock = self._action(
            "lock", self.tr("Verrouiller"), "lock", self.lockRequested.emit
        )
        self.act_sign_out = self._action(
            "sign-out",
            self.tr("Se déconnecter"),
            None,
            self.signOutRequested.emit,
            self.tr(
                "Ferme la session ici et sur le serveur : votre mot de passe sera demandé à la "
                "prochaine connexion"
            ),
        )
        self.act_quit = self._action("quit", self.tr("Quitter"), "quit", self.close)

        bar = QToolBar(self.tr("Actions"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        for action in (self.act_reply, self.act_reply_all, self.act_forward):
            bar.addAction(action)
        bar.addSeparator()
        for action in (self.act_unread, self.act_flag, self.act_archive, self.act_delete):
            bar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.search.setMinimumWidth(320)
        bar.addWidget(self.search)
        for action in (
            self.act_reply_all,
            self.act_forward,
            self.act_unread,
            self.act_flag,
            self.act_archive,
        ):
            button = bar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.app_menu = QMenu(self)
        self.app_menu.setObjectName("appMenu")
        for action in (self.act_settings, self.act_journal, self.act_shortcuts, self.act_about):
            self.app_menu.addAction(action)
        self.app_menu.addSeparator()
        self.app_menu.addAction(self.act_lock)
        self.app_menu.addAction(self.act_sign_out)
        self.app_menu.addAction(self.act_quit)
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("appMenuButton")
        self.menu_button.setIcon(theme.icon("menu"))
        self.menu_button.setToolTip(
            self.tr("Menu : paramètres, journal, à propos, verrouiller, se déconnecter, quitter")
        )
        self.menu_button.setAccessibleName(self.tr("Menu"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self.app_menu)
        bar.addWidget(self.menu_button)
        self.addToolBar(bar)
        self.toolbar = bar

    def _update_actions(self, *_args: Any) -> None:
        has = (
            bool(self.conversations.selected_ids()) and self.pages.currentWidget() is self.mail_page
        )
        for action in (
            self.act_reply,
            self.act_reply_all,
            self.act_forward,
            self.act_unread,
            self.act_flag,
            self.act_archive,
            self.act_delete,
        ):
            action.setEnabled(has)
        summary = self.conversations.selected_summary()
        flagged = summary is not None and summary.flagged
        self.act_flag.setText(self.tr("Ne plus suivre") if flagged else self.tr("Suivre"))

    def _context_menu(self, where: Any) -> None:
        menu = QMenu(self)
        for action in (self.act_reply, self.act_reply_all, self.act_forward):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.act_unread, self.act_flag, self.act_archive, self.act_delete):
            menu.addAction(action)
        menu.addSeparator()
        self.conversations.context_menu(menu)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)

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
        self.reader.clear()
        self._update_actions()

    def show_page(self, key: str) -> None:
        self.navigation.select_page(key)
        page = self._page_widgets.get(key)
        if page is None:
            page = self._make_page(key)
            self._page_widgets[key] = page
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self._update_actions()

    def _make_page(self, key: str) -> QWidget:
        if key == "teleconsultations":
            try:
                from ui.teleconsultations.view import TeleconsultationsView
            except ModuleNotFoundError as e:
                if not (e.name or "").startswith("ui.teleconsultations"):
                    raise
                return soon_page(
                    self.tr("Téléconsultations"),
                    self.tr(
                        "Vos téléconsultations à venir et passées, avec «\u00a0Rejoindre\u00a0»."
                    ),
                )
            return TeleconsultationsView(self.session)
        if key == "patients":
            from ui.patients.view import PatientsView

            patients = PatientsView(self.session)
            patients.composeRequested.connect(
                lambda addresses: self.write_about_patient(addresses, patients.selected())
            )
            patients.messagesRequested.connect(
                lambda ins: self.show_patient_messages(ins, patients.selected())
            )
            return patients
        from ui.teleexpertise.view import TeleexpertiseView  # "teleexpertise", the last page

        page = TeleexpertiseView(self.session)
        page.openThread.connect(self._show_thread)
        return page

    def _show_thread(self, thread_id: str) -> None:
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
        inbox = self.session.mailbox_by_role("inbox")
        if inbox is None:
            return
        self.search.clear()
        self.conversations.search("")
        self.show_mailbox(inbox.id)
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

    def open_portal(self) -> None:
        """MesPatients in the browser, signed in with a one-time code when the server gives one."""
        urls = self.session.regional_urls
        if not self.session.online:
            self.notify(self.tr("Mon portail n'est pas disponible hors connexion."))
            return

        async def portal_url() -> str:
            return (await (await self.session.regional()).portal_code()).url

        def fallback(message: str) -> None:
            if urls is not None:
                QDesktopServices.openUrl(QUrl(urls.portal_url))
            else:
                self.notify(message)

        def open_url(url: str) -> None:
            QDesktopServices.openUrl(QUrl(url))

        tasks.run(portal_url(), self, open_url, fallback)

    def open_patient_file(self, patient: PatientRef) -> None:
        urls = self.session.regional_urls
        if urls is None or not patient.ins:
            self.notify(self.tr("Le dossier du patient n'est pas disponible hors connexion."))
            return
        QDesktopServices.openUrl(patient_file_url(urls.patient_file_url_template, patient.ins))

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
            self.setWindowTitle(window_title(unread, self.tr("MonSisra bureau")))
            self.unreadChanged.emit(unread)

    # The app menu ------------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        from ui.desktop.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.settingsChanged)
        dialog.forgetRequested.connect(self.ask_forget)
        dialog.show()
        return dialog

    def ask_forget(self) -> QMessageBox:
        """Asks before "Oublier ce compte sur cet ordinateur", saying what would be lost here:
        the messages still in the outbox above all (the box answers through its buttons)."""
        ref = self.session.account.ref
        unsent = self.session.unsent_count()
        drafts = len(self.session.drafts())
        lines = []
        if unsent:
            lines.append(
                self.tr(
                    "Attention : {n} message(s) de la boîte d'envoi n'ont pas encore été "
                    "envoyés. Ils seront perdus."
                ).format(n=unsent)
            )
        if drafts:
            lines.append(self.tr("{n} brouillon(s) seront perdus.").format(n=drafts))
        lines.append(
            self.tr(
                "Les messages, documents et brouillons enregistrés sur cet ordinateur seront "
                "effacés et la connexion mémorisée supprimée. Vos messages restent sur le "
                "serveur : vous pourrez vous reconnecter avec votre mot de passe."
            )
        )
        box = plain_message_box(
            self,
            QMessageBox.Icon.Warning if unsent else QMessageBox.Icon.Question,
            self.tr("Oublier ce compte"),
            self.tr("Oublier le compte {login} sur cet ordinateur ?").format(login=ref.login),
            "\n\n".join(lines),
        )
        box.setObjectName("forgetBox")
        confirm = box.addButton(self.tr("Oublier ce compte"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)  # losing data is never the default
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.forgetRequested.emit() if button is confirm else None
        )
        self.forget_box = box
        box.destroyed.connect(lambda *_: setattr(self, "forget_box", None))
        box.open()
        return box

    def open_journal(self) -> JournalDialog:
        from ui.desktop.journal import JournalDialog

        dialog = JournalDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_about(self) -> AboutDialog:
        from ui.desktop.about import AboutDialog

        root = self.session.account.ref.dir.parent.parent  # <root>/accounts/<account>
        dialog = AboutDialog(root, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> shortcuts.ShortcutsDialog:
        dialog = shortcuts.ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # Reading -----------------------------------------------------------------------------------

    def _open(self, email_id: str, thread_id: str) -> None:
        self.reader.show_thread(thread_id, email_id)
        self._update_actions()

    def open_email(self, email_id: str) -> bool:
        """Shows this message (a notification was clicked): its mailbox, selected, in the reader;
        the inbox is where new messages are. False when it is no longer there."""
        inbox = self.session.mailbox_by_role("inbox")
        if inbox is None:
            return False
        self.search.clear()
        self.conversations.search("")
        self.show_mailbox(inbox.id)
        for toggle in (self.conversations.unread_filter, self.conversations.attachment_filter):
            toggle.setChecked(False)
        self.conversations.set_patient_filter(None)
        model = self.conversations.model
        while model.row_of(email_id) < 0 and model.canFetchMore(model.index(0).parent()):
            model.fetchMore(model.index(0).parent())
        return self.conversations.select_id(email_id)

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
        merged = MailChanged(
            email_ids=frozenset().union(*(c.email_ids for c in changes)),
            thread_ids=frozenset().union(*(c.thread_ids for c in changes)),
            mailbox_ids=frozenset().union(*(c.mailbox_ids for c in changes)),
            removed_email_ids=frozenset().union(*(c.removed_email_ids for c in changes)),
        )
        self._show_mailboxes()
        self.conversations.apply_change(merged)
        self.reader.apply_change(merged)
        self._update_actions()

    # Acting on the selection -------------------------------------------------------------------

    def _selected(self) -> list[str]:
        return self.conversations.selected_ids()

    def _act(self, coro: Any) -> None:
        tasks.change(coro, self, None, self.notify)

    def mark_unread(self) -> None:
        ids = self._selected()
        if ids:
            self.reader.hold_unread()
            self._act(self.session.set_seen(ids, False))

    def toggle_flag(self) -> None:
        ids = self._selected()
        if not ids:
            return
        summaries = self.session.summaries(ids)
        self._act(self.session.set_flagged(ids, not all(s.flagged for s in summaries)))

    def archive(self) -> None:
        ids = self._selected()
        if ids:
            self._act(self.session.archive(ids))

    def delete(self) -> None:
        ids = self._selected()
        if ids:
            self._act(self.session.delete(ids))

    # Writing -----------------------------------------------------------------------------------

    def _selected_record(self) -> EmailRecord | None:
        summary = self.conversations.selected_summary()
        if summary is None:
            return None
        found = self.reader.record(summary.id)
        if found is not None:
            return found
        return next((r for r in self.session.thread(summary.thread_id) if r.id == summary.id), None)

    def compose(self, **kwargs: Any) -> QWidget | None:
        """Opens the composer (its own window); None when the composer is not available."""
        try:
            from ui.composer.composer import Composer
        except ModuleNotFoundError as e:
            if not (e.name or "").startswith("ui.composer"):
                raise
            self.notify(self.tr("La rédaction de messages n'est pas encore disponible."))
            return None
        composer = Composer(self.session, **kwargs)
        self._keep(composer)
        composer.show()
        composer.raise_()
        return composer

    def _keep(self, window: QWidget) -> None:
        self.composers.append(window)
        window.destroyed.connect(lambda *_: self._forget(window))

    def _forget(self, window: QWidget) -> None:
        if window in self.composers:
            self.composers.remove(window)

    def reply(self) -> None:
        record = self._selected_record()
        if record is not None:
            self.compose(reply_to=record)

    def reply_all(self) -> None:
        record = self._selected_record()
        if record is not None:
            self.compose(reply_to=record, reply_all=True)

    def forward(self) -> None:
        record = self._selected_record()
        if record is not None:
            self.compose(forward=record)

    def _restore_drafts(self) -> None:
        try:
            from ui.composer.composer import Composer
        except ModuleNotFoundError:
            return
        restore = getattr(Composer, "restore_all", None)
        if restore is None:
            return
        for window in restore(self.session, None) or []:
            self._keep(window)

    # Closing -----------------------------------------------------------------------------------

    def close_composers(self) -> list[asyncio.Future[Any]]:
        """Closes every composer; see close_windows."""
        return close_windows(list(self.composers))

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in list(self.composers):
            window.close()
        self.bridge.close()
        # Timers that read or write the session must not reach it while it closes.
        self.reader.hold_unread()
        self._flush.stop()
        super().closeEvent(event)
        self.closed.emit()


def close_windows(composers: list[QWidget]) -> list[asyncio.Future[Any]]:
    """Closes these composers if open (each saves its draft in the encrypted cache) and returns
    the work still running for them (draft saves, a send in progress): the session must stay open
    until it is done. A composer that is sending refuses to close and closes by itself once its
    message is in the outbox."""
    running: list[asyncio.Future[Any]] = []
    for window in composers:
        if window.isVisible():
            window.close()
        running += tasks.pending(window)
    return running


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
            and summary.thread_size > 1
        ):
            window.conversations.select_row(row)
            break
    return window
