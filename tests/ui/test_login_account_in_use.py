"""Issue 17 §4: the login window when the account is already open elsewhere (another window of
the app past the single-instance guard, or `monsisra-cli`): it says so in French, keeps what was
typed, and opens the account once the other one has closed it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.account.lock import AccountInUse
from app.account.login import open_account
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.ui.conftest import GP_LOGIN, run_sync
from ui.login.window import LoginWindow


def test_an_account_open_elsewhere_is_said_in_french_and_can_be_retried(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    elsewhere = run_sync(
        qtbot, open_account(data_root, demo_server.base_url, GP_LOGIN, DEMO_PASSWORD)
    )
    settings_mod.override(server_url=demo_server.base_url)
    window = LoginWindow(data_root)
    qtbot.addWidget(window)
    window.login_edit.setText(GP_LOGIN)
    window.password_edit.setText(DEMO_PASSWORD)
    window.show()
    qtbot.waitUntil(lambda: window.server_reachable is not None, timeout=10_000)
    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    try:
        qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
        assert window.error_banner.text.text() == AccountInUse.message_fr
        assert "déjà ouvert" in window.error_banner.text.text()
        assert opened == []
        # Nothing lost: the fields as typed, the form ready for another try.
        assert window.login_edit.text() == GP_LOGIN
        assert window.password_edit.text() == DEMO_PASSWORD
        assert window.password_edit.isEnabled()
        assert window.submit_button.isEnabled()
        assert not window.busy
    finally:
        run_sync(qtbot, elsewhere.close())
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
    session = opened[0]
    assert session.account.lock is not None
    assert session.account.lock.held
    run_sync(qtbot, session.close())
    assert not session.account.lock.held
