"""The Controller: the app's life from the login window to the end. Login window → main window
→ session closed → `finished`; around them the desktop (the tray and its unread count,
notifications, the auto-lock), and leaving an account without leaving the app (a lock,
"Se déconnecter", "Oublier ce compte…": the steps in ui/shell/leaving.py).

It owns which session is open: one at a time, closed (after the background work settled) before
the app ends or another login opens one. The main window's module, which loads every feature, and
what opening an account loads later (notifications, the drafts reopened) are imported in a worker
thread once the login window painted (ui/app.py), never on the UI thread at a login or an unlock:
an account that opens before they are loaded waits for them (the login window stays, busy), so that
the UI never stops answering for an import (defect 9: 0.3-1 s of imports at the first unlock).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from app import settings as settings_mod
from ui import tasks
from ui.desktop.autolock import AutoLock
from ui.desktop.tray import Tray
from ui.loading import LoadOnce
from ui.login.window import DemoHint, LoginWindow
from ui.shell import leaving

if TYPE_CHECKING:
    from app.session import AccountSession
    from ui.desktop.notifications import Notifier
    from ui.shell.main_window import MainWindow

log = logging.getLogger("monsisra.ui.app")


def _load_keyring() -> bool:
    from app.account.keychain import TokenStore

    return TokenStore.available()


# The main window, and the modules it imports when it opens (the notifier, the drafts reopened).
ACCOUNT_MODULES = ("ui.shell.main_window", "ui.desktop.notifications", "ui.composer.reopening")


def _import_account_modules() -> None:
    for name in ACCOUNT_MODULES:
        importlib.import_module(name)


# In a worker thread, once: an account opened while the app's own loading runs waits for it to
# end (a module is in sys.modules from the start of its import: ui/loading.py).
load_account_modules = LoadOnce(_import_account_modules)


def main_window_for(session: AccountSession) -> MainWindow:
    from ui.shell.main_window import MainWindow

    return MainWindow(session)


class Controller(QObject):
    """Login window → main window → session closed → `finished`; the desktop life around them:
    the tray (unread count, notifications), the auto-lock, and the lock itself.

    Locking (after `autolock_minutes` without input, or asked): every composer saves its draft and
    closes, the main window closes without ending the app, the session closes (its key goes with
    it), and the login window comes back with the identifiant filled and a banner saying why.
    Unlocking is an ordinary login: a new session and main window, which reopens the drafts.
    "Se déconnecter" and "Oublier ce compte sur cet ordinateur" leave the same way, but end the
    session on the server too (and, for the latter, delete the account's data here).
    """

    finished = Signal()

    def __init__(
        self,
        data_root: Path,
        demo_hint: DemoHint | None = None,
        parent: QObject | None = None,
        *,
        autolock_ms: int | None = None,
        notify_ms: int | None = None,
        use_system_tray: bool | None = None,
    ) -> None:
        """`autolock_ms` and `notify_ms` (the notifications' grouping delay) are for tests."""
        super().__init__(parent)
        self.data_root = data_root
        self.demo_hint = demo_hint
        self.keyring_available: bool | None = None  # known once checked (in a worker, at start)
        self.login = LoginWindow(data_root, demo_hint)
        self._watch_login(self.login)
        self.session: AccountSession | None = None
        self.window: MainWindow | None = None
        self.notifier: Notifier | None = None  # while an account is open
        self.notify_ms = notify_ms
        self.done = False
        self.locking = False  # a lock is under way (drafts saved, session closing)
        self.locked = False  # the login window is back after a lock
        self._quit_asked = False
        self._closing: asyncio.Future[Any] | None = None
        self.tray = Tray(self, use_system_tray)
        self.tray.openRequested.connect(self.bring_forward)
        self.tray.composeRequested.connect(self.compose)
        self.tray.lockRequested.connect(self.lock_now)
        self.tray.quitRequested.connect(self.quit)
        self.tray.messageClicked.connect(self._notification_clicked)
        self.autolock = AutoLock(settings_mod.current().autolock_minutes, self, ms=autolock_ms)
        self.autolock.timedOut.connect(self.lock_idle)

    def _watch_login(self, login: LoginWindow) -> None:
        login.opened.connect(self._on_opened)
        login.closed.connect(self._on_login_closed)
        login.settingsRequested.connect(self.open_login_settings)
        login.aboutRequested.connect(self.open_about)
        if self.keyring_available is not None:
            login.set_keyring_available(self.keyring_available)

    def open_about(self) -> QWidget:
        """ "À propos de MonSisra bureau", over the window in front."""
        from ui.desktop.about import AboutDialog

        dialog = AboutDialog(self.data_root, self.front_window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_login_settings(self) -> QWidget:
        """The settings before login (server, extra certificate authorities), over the window."""
        from ui.desktop.settings_dialog import SettingsDialog

        typed = self.login.server_url()
        if typed:  # the dialog starts from the server typed in the window, not the saved one
            settings_mod.override(server_url=typed)
        dialog = SettingsDialog(None, self.login)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.login.apply_settings)
        dialog.changed.connect(self._settings_changed)
        dialog.show()
        return dialog

    def start(self) -> None:
        self.login.show()
        # keyring's backend modules keep a traceback of their import (jaraco's ExceptionTrap),
        # whose frames would pin the first login's call stack, and the session it opens (key
        # included), for the life of the process: a lock must let the session go. Imported
        # now, in a worker thread, they pin nothing of ours. The answer goes to the login window
        # ("Se souvenir de moi" needs a keyring).
        tasks.run(asyncio.to_thread(_load_keyring), self, self._keyring_checked)

    def _keyring_checked(self, available: bool) -> None:
        self.keyring_available = available
        if not available:
            log.warning("no usable keyring: sessions cannot be remembered")
        self.login.set_keyring_available(available)

    def front_window(self) -> QWidget:
        return self.window if self.window is not None else self.login

    def bring_forward(self) -> None:
        """A second launch asked: show this one on top."""
        window = self.front_window()
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def _on_opened(self, session: AccountSession) -> None:
        """The account is open: its main window once its modules are loaded (a loop turn when
        they are, as they are once the login window settled)."""
        self.session = session
        tasks.change(self._open_window(session), self)

    async def _open_window(self, session: AccountSession) -> None:
        await load_account_modules()
        window = main_window_for(session)
        await asyncio.sleep(0)  # the UI answers between the window's making and its first show
        if self._quit_asked:  # meanwhile (SIGTERM, the tray's "Quitter")
            window.deleteLater()
            self.session = None
            await session.close()
            self._finish()
            return
        self.locked = False
        session.traces_keep_days = settings_mod.current().traces_keep_days  # issue 14 §5
        session.start()
        window.closed.connect(self._on_window_closed)
        self.window = window
        self._wire_desktop(window, session)
        current = settings_mod.current()
        budget = current.cache_budget_mb * 1024 * 1024
        tasks.change(session.set_documents_budget(budget, current.offline_days), self)
        window.show()
        self.login.close()
        self.autolock.minutes = settings_mod.current().autolock_minutes
        self.autolock.start()

    def _wire_desktop(self, window: MainWindow, session: AccountSession) -> None:
        """The main window's count to the tray, its lock and settings to us, and notifications."""
        from ui.desktop.notifications import COALESCE_MS, Notifier

        window.lockRequested.connect(self.lock_now)
        window.signOutRequested.connect(self.sign_out)
        window.forgetRequested.connect(self.forget_account)
        window.settingsChanged.connect(self._settings_changed)
        window.unreadChanged.connect(self.tray.set_unread)
        self.tray.set_locked(False)
        self.tray.set_unread(window.unread)
        notifier = Notifier(session, window.bridge, window, self.notify_ms or COALESCE_MS)
        notifier.notify.connect(self.tray.show_message)
        notifier.openRequested.connect(self.open_email)
        window.closed.connect(notifier.stop)
        self.notifier = notifier
        window.bridge.reauthNeeded.connect(lambda _event: self._session_ended(session))

    def _session_ended(self, session: AccountSession) -> None:
        """The server ended a Pro Santé Connect session (PSC refused to refresh): back to the
        login window with its PSC button, the way a lock goes (drafts saved, unsent messages
        kept in the cache for the next login). A password account is not concerned here."""
        if self.session is not session or not session.pro_sante_connect:
            return
        log.info("Pro Santé Connect session ended by the server")
        self._leave(
            lambda ending: ending.close(),
            lambda ending, _told, _error: leaving.psc_ended_login(
                self.data_root, ending, self.demo_hint
            ),
            "PSC session ended",
        )

    def _on_login_closed(self) -> None:
        if self.session is None and not self.locking:  # closed without logging in
            self._finish()

    def _on_window_closed(self) -> None:
        if self.locking:
            return  # the lock goes on: the app stays
        self.autolock.stop()
        self.close_session()

    # The desktop: tray, notifications, settings -----------------------------------------------

    def compose(self) -> None:
        if self.window is not None:
            self.bring_forward()
            self.window.compose()

    def _notification_clicked(self) -> None:
        if self.notifier is not None:
            self.notifier.activate()

    def open_email(self, email_id: str) -> None:
        self.bring_forward()
        if self.window is not None:
            self.window.open_email(email_id)

    def _settings_changed(self, new: settings_mod.Settings) -> None:
        self.autolock.set_minutes(new.autolock_minutes)

    # Locking -----------------------------------------------------------------------------------

    def lock_now(self) -> None:
        """ "Verrouiller" (menu, tray, Ctrl+Shift+L)."""
        self.lock(None)

    def lock_idle(self) -> None:
        self.lock(self.autolock.minutes)

    def lock(self, idle_minutes: int | None) -> None:
        """Locks the open account (`idle_minutes`: after that long without input; None: asked)."""
        log.info("locking (%s)", "inactivity" if idle_minutes is not None else "asked")

        def locked(session: AccountSession, _told: bool | None, _error: str | None) -> LoginWindow:
            self.locked = True
            return leaving.locked_login(self.data_root, session, idle_minutes, self.demo_hint)

        self._leave(lambda session: session.close(), locked, "locked")

    def sign_out(self) -> None:
        """ "Se déconnecter" (app menu): like a lock, but the session is revoked on the server
        and forgotten by the keyring, so that the next login sends the password; the login
        window comes back with "Se souvenir de moi" unticked."""
        log.info("signing out")
        self._leave(
            lambda session: session.sign_out(),
            lambda session, told, _error: leaving.signed_out_login(
                self.data_root, session, told, self.demo_hint
            ),
            "signed out",
        )

    def forget_account(self) -> None:
        """ "Oublier ce compte sur cet ordinateur" (Paramètres, once confirmed): signed out, and
        the account's folder deleted."""
        log.info("forgetting the account on this computer")
        self._leave(
            lambda session: session.forget(),
            lambda session, told, error_fr: leaving.forgotten_login(
                self.data_root, session, told, error_fr, self.demo_hint
            ),
            "account forgotten",
        )

    def _leave(
        self,
        end: leaving.End,
        then: Callable[[AccountSession, bool | None, str | None], LoginWindow],
        what: str,
    ) -> None:
        """Leaves the open account (ui/shell/leaving.py): the main window and its dialogs closed
        (every composer saves its draft), the session ended with `end`, then the login window
        made by `then(session, told, error_fr)` shown in place of the old one."""
        session, window = self.session, self.window
        if session is None or window is None or self.locking or self._closing is not None:
            return
        self.locking = True
        self.autolock.stop()
        self.tray.set_locked(True)
        composers: list[QWidget] = list(window.composers)
        self.window = None
        self.notifier = None
        window.waits_for_drafts = False  # the session ends: end_session waits for the saves
        running = leaving.close_main_window(window, composers, self.login)

        def done(told: bool | None, error_fr: str | None = None) -> None:
            self.session = None  # nothing of the account stays in memory
            self.locking = False
            if self._quit_asked:
                self._finish()
                return
            self._show_login(then(session, told, error_fr))
            log.info("%s: login window shown", what)

        tasks.change(
            leaving.end_session(session, composers, running, end),
            self,
            done,
            lambda message_fr: done(None, message_fr),
        )

    def _show_login(self, login: LoginWindow) -> None:
        """The login window back in place of the old one (after a lock or a sign-out)."""
        self._watch_login(login)
        old, self.login = self.login, login
        old.deleteLater()
        login.show()
        login.raise_()
        login.activateWindow()

    # Closing -----------------------------------------------------------------------------------

    def close_session(self) -> None:
        """Closes the session (sync stopped, HTTP client and cache closed), then finishes."""
        if self._closing is not None:
            return
        session = self.session
        if session is None:
            self._finish()
            return
        self._closing = tasks.change(
            self._settle_then_close(session), self, lambda _: self._finish(), self._close_failed
        )

    async def _settle_then_close(self, session: AccountSession) -> None:
        """No background work may use the session (its HTTP client, its cache) once closed."""
        await tasks.settle()
        await session.close()

    def _close_failed(self, message_fr: str) -> None:
        log.error("session did not close cleanly")
        self._finish()

    def quit(self) -> None:
        """Closes whatever is open; `finished` follows."""
        if self.locking or (self.session is not None and self.window is None):
            self._quit_asked = True  # once the session is closed, or once it opened
        elif self.window is not None:
            self.window.close()
        else:
            self.login.close()

    def _finish(self) -> None:
        if not self.done:
            self.done = True
            self.autolock.stop()
            self.tray.close()
            self.finished.emit()
