"""Auto-lock: input in any window keeps the account open; a delay without input (or
"Verrouiller") saves the open drafts, closes the main window and the session (the app goes on;
the copies of opened documents go) and brings the login window back with the identifiant and a
banner; logging in again reopens the drafts."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.dates import hours_minutes
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.sockets import no_socket_left_open
from tests.ui import desktop_helpers
from tests.ui.conftest import GP_LOGIN, run_sync
from tests.ui.desktop_helpers import open_main_window, reopened_composer
from tests.ui.mail_helpers import a_pdf
from ui.app import Controller
from ui.composer.composer import Composer
from ui.desktop.autolock import AutoLock
from ui.login.locked import LockedLoginWindow, locked_banner_fr
from ui.shell.main_window import MainWindow

OFFSCREEN_RAISE = desktop_helpers.OFFSCREEN_RAISE

IDLE_BANNER = "Session verrouillée après 2 h d'inactivité : saisissez votre mot de passe."


class Clock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_delay_counts_from_the_last_key_click_or_wheel_in_any_window(qtbot: QtBot) -> None:
    clock = Clock()
    autolock = AutoLock(120, ms=60_000, clock=clock)  # the real timer never fires in this test
    fired: list[bool] = []
    autolock.timedOut.connect(lambda: fired.append(True))
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    autolock.start()
    try:
        for seconds, user_input in (
            (50, lambda: qtbot.keyClick(field, Qt.Key.Key_A)),
            (55, lambda: qtbot.mouseClick(field, Qt.MouseButton.LeftButton)),
            (59, lambda: qtbot.mouseDClick(field, Qt.MouseButton.LeftButton)),
        ):
            clock.now += seconds
            autolock.check()
            assert fired == []
            assert autolock.running
            user_input()
            assert autolock.idle_ms() == 0
        # A wheel turn counts too.
        clock.now += 59
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QWheelEvent
        from PySide6.QtWidgets import QApplication

        wheel = QWheelEvent(
            QPointF(5, 5),
            QPointF(field.mapToGlobal(QPoint(5, 5))),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(field, wheel)
        assert autolock.idle_ms() == 0
        clock.now += 59.9
        autolock.check()
        assert fired == []
        clock.now += 0.2  # a minute without input: locked, once
        autolock.check()
        assert fired == [True]
        assert not autolock.running
        autolock.check()
        assert fired == [True]
    finally:
        autolock.stop()


def test_a_new_delay_applies_at_once_and_the_banner_says_it() -> None:
    clock = Clock()
    autolock = AutoLock(120, clock=clock)
    fired: list[bool] = []
    autolock.timedOut.connect(lambda: fired.append(True))
    assert autolock.delay_ms == 120 * 60_000
    autolock.start()
    try:
        clock.now += 10 * 60  # ten minutes without input: fine for 2 h…
        autolock.check()
        assert fired == []
        autolock.set_minutes(5)  # …not for 5 minutes
        assert autolock.delay_ms == 5 * 60_000
        assert fired == [True]
    finally:
        autolock.stop()
    assert [hours_minutes(m) for m in (120, 90, 45, 60 * 24)] == ["2 h", "1 h 30", "45 min", "24 h"]
    assert locked_banner_fr(120) == IDLE_BANNER
    assert locked_banner_fr(None) == "Session verrouillée."


def write_then_leave(
    qtbot: QtBot, controller: Controller
) -> tuple[str, weakref.ref[AccountSession]]:
    """A message being written when the user leaves; the lock that follows (the draft's id and
    the closed session, weakly: nothing else must hold it)."""
    window = controller.window
    session = controller.session
    assert isinstance(window, MainWindow)
    assert session is not None
    assert controller.autolock.running
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.composers) == 1)
    composer = window.composers[0]
    assert isinstance(composer, Composer)
    qtbot.keyClicks(composer.subject_edit, "Suivi de Mme Martin")
    qtbot.keyClicks(composer.body, "Tension a revoir dans huit jours.")

    # No input for the (test's tiny) delay: locked.
    controller.autolock.set_minutes(120, ms=300)
    qtbot.waitUntil(lambda: controller.locked, timeout=30_000)
    # The main window and the composer are gone, the session closed: its cache refuses reads.
    qtbot.waitUntil(lambda: not shiboken6.isValid(window) and not shiboken6.isValid(composer))
    with pytest.raises(Exception, match="close"), session.account.cache.read() as conn:
        conn.execute("SELECT 1")
    return composer.draft_id, weakref.ref(session)


@OFFSCREEN_RAISE
def test_inactivity_locks_with_the_draft_saved_and_unlocking_reopens_it(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root, autolock_ms=60_000)
    controller.start()
    open_main_window(qtbot, controller, DEMO_PASSWORD)
    draft_id, session = write_then_leave(qtbot, controller)

    login = controller.login
    assert isinstance(login, LockedLoginWindow)
    assert login.isVisible()
    assert login.lock_banner.isVisible()
    assert login.lock_banner.text.text() == IDLE_BANNER
    assert login.login_edit.text() == GP_LOGIN
    assert login.server_edit.text() == demo_server.base_url
    assert login.password_edit.text() == ""
    assert login.submit_button.text() == "Déverrouiller"
    assert not controller.done  # the app goes on
    assert controller.window is None
    assert controller.session is None
    assert not controller.autolock.running
    # Nothing holds the account any more (its key went with it).
    gc.collect()
    assert session() is None

    # Unlocking is logging in: the draft comes back in its composer.
    restored = reopened_composer(qtbot, controller, DEMO_PASSWORD, login)
    assert not controller.locked
    assert restored.draft_id == draft_id
    assert restored.subject_edit.text() == "Suivi de Mme Martin"
    assert restored.body.toPlainText() == "Tension a revoir dans huit jours."
    assert controller.autolock.running

    restored.discard()
    qtbot.addWidget(controller.login)  # deleted on the UI thread after the test
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


@OFFSCREEN_RAISE
def test_ctrl_shift_l_in_a_composer_locks_with_its_draft_saved(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root)
    controller.start()
    window = open_main_window(qtbot, controller, DEMO_PASSWORD)
    composer = window.compose()
    assert isinstance(composer, Composer)
    qtbot.keyClicks(composer.subject_edit, "Avis cardiologique")
    qtbot.keyClicks(composer.body, "Merci de la voir rapidement.")
    composer.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is composer)

    qtbot.keyClick(
        QApplication.focusWidget(),
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: controller.locked, timeout=30_000)
    login = controller.login
    assert isinstance(login, LockedLoginWindow)
    assert login.lock_banner.text.text() == "Session verrouillée."

    # Unlocked: the draft was saved before the lock.
    restored = reopened_composer(qtbot, controller, DEMO_PASSWORD, login)
    assert restored.subject_edit.text() == "Avis cardiologique"
    assert restored.body.toPlainText() == "Merci de la voir rapidement."
    restored.discard()
    qtbot.addWidget(controller.login)  # deleted on the UI thread after the test
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


@OFFSCREEN_RAISE
def test_ctrl_shift_l_locks_at_once_and_closing_the_locked_window_quits(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root)
    controller.start()
    window = open_main_window(qtbot, controller, DEMO_PASSWORD)
    session = controller.session
    assert session is not None
    copy = run_sync(qtbot, session.open_document(*a_pdf(session)))  # as the viewer got it
    assert copy.exists()
    # New settings (from "Paramètres…") reach the auto-lock.
    dialog = window.open_settings()
    dialog.changed.emit(settings_mod.current().with_(autolock_minutes=5))
    dialog.close()
    assert controller.autolock.delay_ms == 5 * 60_000
    assert controller.tray.act_lock.isEnabled()

    qtbot.keyClick(
        window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: controller.locked, timeout=30_000)
    assert not copy.parent.exists()  # the decrypted copy went with the session
    login = controller.login
    assert isinstance(login, LockedLoginWindow)
    assert login.lock_banner.text.text() == "Session verrouillée."
    assert not controller.tray.act_lock.isEnabled()
    assert not controller.tray.act_compose.isEnabled()
    assert controller.tray.unread == 0  # no count shown while locked
    qtbot.addWidget(login)  # deleted on the UI thread after the test
    login.close()
    qtbot.waitUntil(lambda: controller.done, timeout=10_000)


@OFFSCREEN_RAISE
def test_locking_with_the_server_gone_leaves_no_connection_open(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root)
    controller.start()
    # The lock cancels the push stream while it reconnects to the stopped server, its pool then
    # closing the dead connections of the first sync: closing the session closes them all.
    with no_socket_left_open(demo_server.port):
        window = open_main_window(qtbot, controller, DEMO_PASSWORD)
        demo_server.stop()
        window.act_lock.trigger()
        qtbot.waitUntil(lambda: controller.locked, timeout=30_000)
    login = controller.login
    assert isinstance(login, LockedLoginWindow)
    qtbot.addWidget(login)  # deleted on the UI thread after the test
    login.close()
    qtbot.waitUntil(lambda: controller.done, timeout=10_000)
