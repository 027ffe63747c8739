"""`monsisra`: the desktop app's entry point.

Start-up, in order: the QApplication (name, organisation, icon), Qt's messages into our logging
(a Qt warning is a bug), the logs, the settings, Qt's own French translations, the look, one
instance per user (a second launch brings the first forward and exits), then the login window on
a qasync loop. Once an account is open the main window replaces it; closing the main window
closes the session (its HTTP client and cache) before the loop ends.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app import logs, paths
from app.session import AccountSession
from ui import qtlog, tasks, theme
from ui import settings as settings_mod
from ui.login.window import Banner, DemoHint, LoginWindow
from ui.single_instance import SingleInstance, key_for

log = logging.getLogger("monsisra.ui.app")

APP_NAME = "MonSisra bureau"
ORGANIZATION = "GCS SARA"
ORGANIZATION_DOMAIN = "sante-ara.fr"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="monsisra", description="MonSisra bureau")
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
    """Qt's own French strings (standard buttons, context menus of text fields). Our strings are
    written in French in tr(): French is the source language for now."""
    installed = []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_fr", "qt_fr"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
            break
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    return installed


def make_application(argv: list[str]) -> QApplication:
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName(APP_NAME)
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QApplication.setDesktopFileName("monsisra")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setQuitOnLastWindowClosed(False)  # the controller decides when the app ends
    return app


class ConnectedWindow(QWidget):
    """Shown after login while the main window is not part of this build."""

    closed = Signal()

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectedWindow")
        self.setWindowTitle(self.tr("MonSisra bureau"))
        # An explicit minimum: otherwise the layout sets one when shown, which the offscreen
        # platform (tests, screenshots) reports as a warning.
        self.setMinimumSize(480, 240)
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(16)
        self.offline_banner = Banner("offline", "offline", self)
        title = QLabel(self.tr("Connexion réussie"))
        title.setObjectName("connectedTitle")
        layout.addWidget(self.offline_banner)
        layout.addWidget(title)
        if not session.account.online:
            self.offline_banner.say(
                self.tr("Mode hors connexion : vos messages enregistrés restent consultables.")
            )
        if session.account.notice_fr:
            notice = QLabel(session.account.notice_fr)
            notice.setWordWrap(True)
            layout.addWidget(notice)
        layout.addStretch(1)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()


def main_window_for(session: AccountSession) -> QWidget:
    """The main window (ui/mail), or the placeholder when this build has none."""
    try:
        from ui.mail.main_window import MainWindow
    except ImportError:
        log.info("no main window in this build: placeholder shown")
        return ConnectedWindow(session)
    return MainWindow(session)


class Controller(QObject):
    """Login window → main window → session closed → `finished`."""

    finished = Signal()

    def __init__(
        self,
        data_root: Path,
        demo_hint: DemoHint | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_root = data_root
        self.login = LoginWindow(data_root, demo_hint)
        self.login.opened.connect(self._on_opened)
        self.login.closed.connect(self._on_login_closed)
        self.session: AccountSession | None = None
        self.window: QWidget | None = None
        self.done = False
        self._closing: asyncio.Future[Any] | None = None

    def start(self) -> None:
        self.login.show()

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
        session.start()
        window = main_window_for(session)
        closed = getattr(window, "closed", None)
        if closed is not None:
            closed.connect(self.close_session)
        self.window = window
        window.show()
        self.login.close()

    def _on_login_closed(self) -> None:
        if self.session is None:  # closed without logging in
            self._finish()

    def close_session(self) -> None:
        """Closes the session (sync stopped, HTTP client and cache closed), then finishes."""
        if self._closing is not None:
            return
        session = self.session
        if session is None:
            self._finish()
            return
        self._closing = tasks.run(session.close(), lambda _: self._finish(), self._close_failed)

    def _close_failed(self, message_fr: str) -> None:
        log.error("session did not close cleanly")
        self._finish()

    def quit(self) -> None:
        """Closes whatever is open; `finished` follows."""
        if self.window is not None:
            self.window.close()
        else:
            self.login.close()

    def _finish(self) -> None:
        if not self.done:
            self.done = True
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
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), controller.quit)
    await finished
    wake.stop()


async def _screenshot_login(window: LoginWindow, out_dir: Path) -> Path:
    from ui import screenshots

    return await screenshots.capture(window, out_dir / "login.png")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_root: Path = args.data if args.data is not None else paths.data_root()
    data_root.mkdir(parents=True, exist_ok=True)
    app = make_application(sys.argv[:1])
    qtlog.install()
    logs.setup(data_root / "logs")
    settings_mod.use(data_root)
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
    try:
        qasync_run(_run(controller, args.quit_after))
    finally:
        instance.release()
        del translators
    log.info("app closed")
    return 0


def qasync_run(coro: Any) -> Any:
    import qasync

    return qasync.run(coro)


if __name__ == "__main__":
    sys.exit(main())
