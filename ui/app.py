"""`monsisra`: the desktop app's entry point.

Start-up, in order: the QApplication (name, organisation, icon), Qt's messages into our logging
(a Qt warning is a bug), the logs, the settings, Qt's own French translations, the look, one
instance per user (a second launch brings the first forward and exits), then the login window on
a qasync loop. Once an account is open the main window replaces it; closing the main window
closes the session (its HTTP client and cache) before the loop ends. A lock (after inactivity, or
asked), a sign-out or forgetting the account closes the main window and the session but not the
app: the login window comes back.

This module is the start-up and the entry point (`monsisra`, `python -m ui.app`); the app's life
once started is the Controller's (ui/shell/controller.py), leaving an account the steps of
ui/shell/leaving.py.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QCoreApplication, QTimer, QTranslator, qVersion
from PySide6.QtWidgets import QApplication

from app import about, environment, logs, paths
from app import settings as settings_mod
from ui import i18n, qtlog, tasks, theme
from ui.login.core import load_core
from ui.login.window import DemoHint, LoginWindow
from ui.shell import navigator as shell_navigator
from ui.shell.controller import Controller, load_account_modules
from ui.single_instance import SingleInstance, key_for
from ui.stall import StallWatch

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
    """The login window painted: the core and the main window's code loaded in worker threads,
    then the heap frozen — unless the user was quicker and an account is already open."""
    await load_core()
    await load_account_modules()
    if controller.session is None:
        freeze_long_lived()


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
