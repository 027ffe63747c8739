"""`monsisra`: the desktop app's entry point.

Start-up, in order: the QApplication (name, organisation, icon), Qt's messages into our logging
(a Qt warning is a bug), the logs, the settings, Qt's own French translations, the look, one
instance per user (a second launch brings the first forward and exits), then the login window on
a qasync loop. Once an account is open the main window replaces it; closing the main window
closes the session (its HTTP client and cache) before the loop ends. A lock (after inactivity, or
asked), a sign-out or forgetting the account closes the main window and the session but not the
app: the login window comes back.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, QTranslator, Signal, qVersion
from PySide6.QtWidgets import QApplication, QWidget

from app import about, environment, logs, paths
from app import settings as settings_mod
from ui import i18n, qtlog, tasks, theme
from ui.desktop.autolock import AutoLock, locked_banner_fr
from ui.desktop.locked import LockedLoginWindow
from ui.desktop.tray import Tray
from ui.login.window import DemoHint, LoginWindow, load_core
from ui.shell import navigator as shell_navigator
from ui.single_instance import SingleInstance, key_for
from ui.stall import StallWatch

if TYPE_CHECKING:
    from app.session import AccountSession
    from ui.desktop.notifications import Notifier
    from ui.shell.main_window import MainWindow

log = logging.getLogger("monsisra.ui.app")

# Qt builds D-Bus object paths from the application name (the launcher badge's
# /com/canonical/unity/launcherentry/<name>), where a space is invalid: the name people read is
# the display name.
APP_NAME = "MonSisraBureau"
ORGANIZATION = "GCS SARA"
ORGANIZATION_DOMAIN = "sante-ara.fr"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="monsisra", description=about.PRODUCT_NAME)
    # Printed by argparse before any QApplication exists: no display needed.
    p.add_argument("--version", action="version", version=about.version_line())
    p.add_argument("--server", help="adresse du serveur (préremplie dans la fenêtre de connexion)")
    p.add_argument("--data", type=Path, help="dossier des données (sinon celui de l'utilisateur)")
    p.add_argument(
        "--demo-hint",
        help='compte de démonstration à préremplir : {"login": …, "password": …}',
    )
    p.add_argument(
        "--screenshot-mode",
        action="store_true",
        help="enregistre la fenêtre de connexion en PNG (dans --screenshot-dir) et quitte",
    )
    p.add_argument("--screenshot-dir", type=Path, default=Path("screenshots"))
    p.add_argument(
        "--quit-after",
        type=float,
        help="quitte proprement après ce nombre de secondes (essais de fumée, démo automatisée)",
    )
    return p.parse_args(argv)


def install_translations(app: QApplication) -> list[QTranslator]:
    """The translators of the `language` setting (ui/i18n.py; French, the source, by default)."""
    return i18n.install(app, settings_mod.current().language)


def make_application(argv: list[str]) -> QApplication:
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName(about.PRODUCT_NAME)
    QApplication.setApplicationVersion(about.version())
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    # The installed .desktop file's name (without .desktop): how launchers match our windows.
    QApplication.setDesktopFileName(about.APP_ID)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setQuitOnLastWindowClosed(False)  # the controller decides when the app ends
    shell_navigator.install()
    return app


def give_children_the_user_environment() -> None:
    """When frozen, the programs we open (browser, PDF viewer, file manager, through Qt's
    xdg-open) get the user's environment, not the bundle's (app/environment.py says why this is
    safe for us). Called once the QApplication exists."""
    bundle = environment.bundle_dir()
    if bundle is None:
        return
    QCoreApplication.libraryPaths()  # Qt's plugin path read (and kept) before the change
    changed = environment.restore_user_environment(os.environ, bundle)
    log.info("environment of the programs opened: %s restored", ", ".join(changed) or "nothing")


def freeze_long_lived() -> None:
    """Once the code is loaded and before any account opens, what exists (modules, classes, Qt's
    wrappers: most of the heap) lives as long as the app: it is moved out of the cyclic
    collector's reach, so that a full collection scans only what came since. Each one otherwise
    froze the window for 35–55 ms, the longest stalls of an initial sync (bench/ui.py). Never
    after an account opened: a session frozen with the rest would outlive its lock, key included.
    """
    gc.freeze()


async def _settle(controller: Controller) -> None:
    """The login window painted: the core and the main window's code loaded (the core in a worker
    thread), then the heap frozen — unless the user was quicker and an account is already open."""
    await load_core()
    importlib.import_module("ui.shell.main_window")
    if controller.session is None:
        freeze_long_lived()


def _load_keyring() -> bool:
    from app.account.keychain import TokenStore

    return TokenStore.available()


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
        self.session = session
        self.locked = False
        session.start()
        window = main_window_for(session)
        window.closed.connect(self._on_window_closed)
        self.window = window
        self._wire_desktop(window, session)
        budget_mb = settings_mod.current().cache_budget_mb
        tasks.change(session.set_documents_budget(budget_mb * 1024 * 1024), self)
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
        self._leave(
            lambda session: session.close(),
            lambda session, _result, _error: self._show_locked(session, idle_minutes),
        )

    def sign_out(self) -> None:
        """ "Se déconnecter" (app menu): like a lock, but the session is revoked on the server
        and forgotten by the keyring, so that the next login sends the password; the login
        window comes back with "Se souvenir de moi" unticked."""
        log.info("signing out")
        self._leave(lambda session: session.sign_out(), self._show_signed_out)

    def forget_account(self) -> None:
        """ "Oublier ce compte sur cet ordinateur" (Paramètres, once confirmed): signed out, and
        the account's folder deleted."""
        log.info("forgetting the account on this computer")
        self._leave(lambda session: session.forget(), self._show_forgotten)

    def _leave(
        self,
        end: Callable[[AccountSession], Awaitable[Any]],
        then: Callable[[AccountSession, Any, str | None], None],
    ) -> None:
        """Closes the main window and its dialogs (every composer saves its draft), ends the
        session with `end`, then calls `then(session, result, error_fr)`."""
        session, window = self.session, self.window
        if session is None or window is None or self.locking or self._closing is not None:
            return
        self.locking = True
        self.autolock.stop()
        self.tray.set_locked(True)
        from ui.shell.main_window import close_windows

        composers: list[QWidget] = list(window.composers)
        self.window = None
        self.notifier = None
        window.close()  # its composers close with it, saving their drafts
        running = close_windows(composers)
        for other in QApplication.topLevelWidgets():  # dialogs left open (outbox, settings…)
            if other.isVisible() and other is not self.login and other not in composers:
                other.close()
        window.deleteLater()

        def done(result: Any, error_fr: str | None = None) -> None:
            self.session = None  # nothing of the account stays in memory
            self.locking = False
            if self._quit_asked:
                self._finish()
                return
            then(session, result, error_fr)

        tasks.change(
            self._close_windows_then(session, composers, running, end),
            self,
            done,
            lambda message_fr: done(None, message_fr),
        )

    async def _close_windows_then(
        self,
        session: AccountSession,
        composers: list[QWidget],
        running: list[asyncio.Future[Any]],
        end: Callable[[AccountSession], Awaitable[Any]],
    ) -> Any:
        """Drafts saved (a composer that was sending finishes first), the rest of the background
        work settled, then `end(session)`."""
        from ui.shell.main_window import close_windows

        for _ in range(3):  # a send that fails leaves its composer open: closed on the next turn
            if not running:
                break
            await asyncio.gather(*running, return_exceptions=True)
            running = close_windows(
                [c for c in composers if shiboken6.isValid(c) and c.isVisible()]
            )
        for composer in composers:
            if shiboken6.isValid(composer):
                composer.deleteLater()
        await tasks.settle()
        return await end(session)

    def _show_locked(self, session: AccountSession, idle_minutes: int | None) -> None:
        ref = session.account.ref
        self._show_login(
            LockedLoginWindow(
                self.data_root,
                ref.server_url,
                ref.login,
                locked_banner_fr(idle_minutes),
                self.demo_hint,
            )
        )
        self.locked = True
        log.info("locked: login window shown")

    def _show_signed_out(self, session: AccountSession, told: Any, error_fr: str | None) -> None:
        ref = session.account.ref
        settings_mod.update(server_url=ref.server_url, last_login=ref.login, remember_me=False)
        login = LoginWindow(self.data_root, self.demo_hint)
        if told is True:
            notice = self.tr(
                "Vous êtes déconnecté(e). Votre mot de passe sera demandé à la prochaine connexion."
            )
        else:
            notice = self.tr(
                "Vous êtes déconnecté(e) de cet ordinateur, mais le serveur, injoignable, n'a pas "
                "été prévenu : reconnectez-vous puis déconnectez-vous pour y fermer la session."
            )
        login.notice_banner.say(notice)
        self._show_login(login)
        log.info("signed out: login window shown")

    def _show_forgotten(self, session: AccountSession, told: Any, error_fr: str | None) -> None:
        ref = session.account.ref
        if error_fr is None and settings_mod.current().last_login == ref.login:
            settings_mod.update(last_login="", remember_me=False)
        login = LoginWindow(self.data_root, self.demo_hint)
        if error_fr is not None:
            login.error_banner.say(error_fr)
        else:
            notice = self.tr(
                "Le compte {login} a été oublié : ses messages, brouillons et documents ont été "
                "effacés de cet ordinateur."
            ).format(login=ref.login)
            if told is not True:
                notice += " " + self.tr(
                    "Le serveur, injoignable, n'a pas été prévenu : la session y expirera "
                    "d'elle-même."
                )
            login.notice_banner.say(notice)
        self._show_login(login)
        log.info("account forgotten: login window shown")

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
        if self.locking:
            self._quit_asked = True  # once the session is closed
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


def quit_on_signals(controller: Controller) -> QTimer:
    """Ctrl+C in a terminal or SIGTERM (`make demo` stopping) closes the app like its window
    does: the session closes cleanly. Python runs signal handlers only when it gets control, so
    a timer hands it control a few times a second."""

    def request_quit(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: closing", signum)
        QTimer.singleShot(0, controller.quit)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_quit)
    wake = QTimer(controller)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    return wake


async def _run(controller: Controller, quit_after: float | None) -> None:
    finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_finished() -> None:
        if not finished.done():
            finished.set_result(None)

    controller.finished.connect(on_finished)
    wake = quit_on_signals(controller)
    controller.start()
    tasks.run(_settle(controller), controller)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), controller.quit)
    await finished
    wake.stop()


async def _screenshot_login(window: LoginWindow, out_dir: Path) -> Path:
    from ui import screenshots

    return await screenshots.capture(window, out_dir / "login.png")


def windows_console_and_taskbar() -> None:
    """Windows only. The windowed `monsisra.exe` has no standard output: typed in a console,
    `monsisra --version` writes to that console (with output redirected to a pipe or a file,
    Windows gives the process those handles and nothing is needed). And the process carries the
    AppUserModelID of its start-menu shortcut (installer/windows), so the taskbar groups its
    windows with the shortcut and notifications name the app."""
    if sys.platform != "win32":
        return
    import ctypes

    if sys.stdout is None and ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = sys.stderr = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115
    ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(about.APP_ID)


def main(argv: list[str] | None = None) -> int:
    windows_console_and_taskbar()
    args = parse_args(argv)
    adoption = paths.folders_for_run(args.data)
    data_root = adoption.folders.data
    fixed = paths.secure_data_root(data_root)  # folders 0700, files 0600 (older installs too)
    app = make_application(sys.argv[:1])
    qtlog.install()
    logs.setup(data_root / "logs")
    log.info("%s, Qt %s, PySide6 %s", about.start_line("monsisra"), qVersion(), PYSIDE_VERSION)
    give_children_the_user_environment()
    if adoption.moved:
        log.info("moved from the older data folder: %s", ", ".join(adoption.moved))
    if adoption.left:
        log.warning(
            "not moved from the older data folder, used there: %s", ", ".join(adoption.left)
        )
    if fixed:
        log.info("data folder: %d permissions made private", fixed)
    settings_mod.use(adoption.folders.settings)
    if args.server:
        settings_mod.override(server_url=args.server)
    translators = install_translations(app)
    theme.apply(app)
    demo_hint = DemoHint.parse(args.demo_hint) if args.demo_hint else None

    if args.screenshot_mode:
        window = LoginWindow(data_root, demo_hint)
        path = qasync_run(_screenshot_login(window, args.screenshot_dir))
        print(path)
        return 0

    instance = SingleInstance(key_for(data_root))
    if not instance.claim():
        print("MonSisra bureau est déjà ouvert : sa fenêtre a été mise au premier plan.")
        return 0
    controller = Controller(data_root, demo_hint)
    instance.activated.connect(controller.bring_forward)
    # Freezes of a second or more go to the Journal for support; a slow tick wakes little.
    StallWatch(interval_ms=250, log_over_ms=1_000, parent=controller).start()
    try:
        qasync_run(_run(controller, args.quit_after))
    finally:
        instance.release()
        del translators
    log.info("app closed")
    return 0


def qasync_run(coro: Any) -> Any:
    import qasync  # type: ignore[import-untyped]

    return qasync.run(coro)


if __name__ == "__main__":
    sys.exit(main())
