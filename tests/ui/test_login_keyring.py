"""« Se souvenir de moi » needs a keyring that keeps a token safely: the login window says,
before any login, when there is none (the box unticked and disabled, a line under it saying why
and what to do), and leaves the box alone when there is one. The Controller checks at start, in
a worker thread, and tells every login window it shows."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from tests.app.memory_keyring import MemoryKeyring, memory_keyring, no_keyring  # noqa: F401
from tests.ui.desktop_helpers import OFFSCREEN_RAISE
from ui.app import Controller
from ui.login.window import LoginWindow


def started(qtbot: QtBot, data_root: Path) -> Controller:
    settings_mod.update(remember_me=True)  # ticked the last time
    controller = Controller(data_root, use_system_tray=False)
    qtbot.addWidget(controller.login)
    controller.start()
    qtbot.waitUntil(lambda: controller.keyring_available is not None, timeout=10_000)
    return controller


@OFFSCREEN_RAISE  # the login window shown again comes to the front
def test_without_a_keyring_the_login_window_says_so_before_login(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    data_root: Path,
    no_keyring: None,  # noqa: F811
) -> None:
    controller = started(qtbot, data_root)
    login = controller.login
    assert controller.keyring_available is False
    assert not login.remember_box.isChecked()
    assert not login.remember_box.isEnabled()
    assert login.keyring_note.isVisible()
    assert login.keyring_note.text().startswith("Aucun trousseau sécurisé n'est disponible")
    assert "installez ou déverrouillez le trousseau" in login.keyring_note.text().lower()
    # A login attempt that ends (busy, then not) does not enable the box again.
    login._set_busy(True)
    login._set_busy(False)
    assert not login.remember_box.isEnabled()
    # The login window shown after a sign-out or a lock is told too.
    again = LoginWindow(data_root)
    qtbot.addWidget(again)
    controller._show_login(again)
    assert again.keyring_note.isVisible()
    assert not again.remember_box.isEnabled()
    controller.tray.close()


def test_with_a_keyring_the_box_is_offered_as_saved(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    data_root: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    controller = started(qtbot, data_root)
    login = controller.login
    assert controller.keyring_available is True
    assert login.remember_box.isEnabled()
    assert login.remember_box.isChecked()
    assert not login.keyring_note.isVisible()
    controller.tray.close()
