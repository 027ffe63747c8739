"""The login window against the real sandbox: success opens the main window, a wrong password
says so in French and keeps the fields, a stopped server opens a known account offline with the
"Mode hors connexion" banner, a first login needs the server, the server's login throttle is said
with the time to wait, "Créer un compte Sara" opens the server's registration page."""

from __future__ import annotations

import asyncio
import importlib.abc
import json
import socket
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.account.login import NoLocalAccount
from app.remote.auth import LoginRejected
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.ui.browser import UrlCatcher
from tests.ui.conftest import GP_LOGIN, run_sync
from ui.app import Controller
from ui.login.window import FALLBACK_REGISTRATION_URL, DemoHint, LoginWindow
from ui.shell.controller import ACCOUNT_MODULES, load_account_modules
from ui.shell.main_window import MainWindow


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def login_window(qtbot: QtBot, root: Path, server_url: str, password: str) -> LoginWindow:
    settings_mod.override(server_url=server_url)
    window = LoginWindow(root)
    qtbot.addWidget(window)
    window.login_edit.setText(GP_LOGIN)
    window.password_edit.setText(password)
    window.show()
    qtbot.waitUntil(lambda: window.server_reachable is not None, timeout=10_000)
    return window


def open_by_enter(qtbot: QtBot, window: LoginWindow) -> list[AccountSession]:
    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
    return opened


def test_login_success_opens_the_main_window_and_closing_it_closes_the_session(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root, DemoHint(GP_LOGIN, DEMO_PASSWORD))
    qtbot.addWidget(controller.login)
    controller.start()
    assert controller.login.password_edit.text() == DEMO_PASSWORD  # the demo pre-fills
    assert GP_LOGIN in controller.login.demo_label.text()
    qtbot.mouseClick(controller.login.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.login.busy or controller.window is not None)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    window = controller.window
    assert window is not None
    assert window.isVisible()
    assert not controller.login.isVisible()
    assert controller.session is not None
    assert controller.session.account.online
    # What worked is remembered for the next start (never the password).
    saved = json.loads((data_root / settings_mod.FILE_NAME).read_text(encoding="utf-8"))
    assert saved["last_login"] == GP_LOGIN
    assert saved["server_url"] == demo_server.base_url
    assert DEMO_PASSWORD not in json.dumps(saved)

    window.close()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)
    with pytest.raises(Exception, match="close"), controller.session.account.cache.read() as c:
        c.execute("SELECT 1")


class ImportWatch(importlib.abc.MetaPathFinder):
    """Notes which thread imports each module it is told about (and finds nothing itself)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = set(names)
        self.threads: dict[str, threading.Thread] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname in self.names:
            self.threads[fullname] = threading.current_thread()


def test_an_account_opened_before_its_modules_are_loaded_loads_them_in_a_worker_thread(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A user quicker than the app's loading (ui/app.py `_settle`): what opening the account
    runs is imported in a worker thread, never on the UI thread (a stall of 0.3-1 s at unlock),
    and the main window opens once it is there."""
    import ui.composer

    late = "ui.composer.reopening"  # imported when the main window reopens the drafts
    assert late in ACCOUNT_MODULES
    monkeypatch.delitem(sys.modules, late, raising=False)
    monkeypatch.delattr(ui.composer, "reopening", raising=False)
    monkeypatch.setattr(load_account_modules, "ready", False)  # as before the app loaded them
    watch = ImportWatch(ACCOUNT_MODULES)
    monkeypatch.setattr(sys, "meta_path", [watch, *sys.meta_path])
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root, DemoHint(GP_LOGIN, DEMO_PASSWORD))
    qtbot.addWidget(controller.login)
    controller.start()
    qtbot.mouseClick(controller.login.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    window = controller.window
    assert window is not None
    qtbot.waitUntil(lambda: late in sys.modules, timeout=10_000)
    assert late in watch.threads
    assert threading.main_thread() not in watch.threads.values()
    window.close()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


def test_wrong_password_is_said_in_french_and_the_fields_are_kept(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    window = login_window(qtbot, data_root, demo_server.base_url, "pas-le-bon")
    opened = open_by_enter(qtbot, window)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    assert window.error_banner.text.text() == LoginRejected.message_fr
    assert window.login_edit.text() == GP_LOGIN
    assert window.password_edit.text() == "pas-le-bon"
    assert window.password_edit.isEnabled()
    assert window.submit_button.isEnabled()
    assert not window.progress.isVisible()
    assert opened == []


def test_after_five_wrong_passwords_the_window_says_when_to_retry_then_lets_the_user_in(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    """The sandbox's login throttle (429 + Retry-After) in the user's words: the right password
    waits the delay, then gets in."""
    window = login_window(qtbot, data_root, demo_server.base_url, "pas le bon")
    for _ in range(5):
        window.error_banner.hide()
        open_by_enter(qtbot, window)
        qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
        assert window.error_banner.text.text() == LoginRejected.message_fr
    window.password_edit.setText(DEMO_PASSWORD)
    window.error_banner.hide()
    open_by_enter(qtbot, window)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    assert window.error_banner.text.text() == (
        "Trop de tentatives de connexion infructueuses. Réessayez dans 1 seconde."
    )
    assert window.throttled
    assert not window.submit_button.isEnabled()
    qtbot.waitUntil(window.submit_button.isEnabled, timeout=5_000)
    opened = open_by_enter(qtbot, window)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    run_sync(qtbot, opened[0].close())


def test_server_down_with_a_cache_here_opens_offline_with_the_banner(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    first = run_sync(
        qtbot, AccountSession.open(data_root, demo_server.base_url, GP_LOGIN, DEMO_PASSWORD)
    )
    run_sync(qtbot, first.close())
    demo_server.stop()

    window = login_window(qtbot, data_root, demo_server.base_url, DEMO_PASSWORD)
    assert window.server_reachable is False
    assert window.offline_banner.isVisible()
    assert "Mode hors connexion" in window.offline_banner.text.text()
    assert window.submit_button.text() == "Ouvrir hors ligne"

    opened = open_by_enter(qtbot, window)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    session = opened[0]
    try:
        assert not session.account.online
        assert "Mode hors connexion" in window.offline_banner.text.text()
        main = MainWindow(session, restore_drafts=False)
        qtbot.addWidget(main)
        main.show()
        assert main.status.connection.text() == "Hors connexion"
        main.close()
    finally:
        run_sync(qtbot, session.close())


def test_first_login_with_the_server_down_says_it_must_be_online(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    window = login_window(qtbot, data_root, f"http://127.0.0.1:{closed_port()}", "secret")
    assert window.submit_button.text() == "Se connecter"  # nothing to open offline here
    opened = open_by_enter(qtbot, window)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    assert window.error_banner.text.text() == NoLocalAccount.message_fr
    assert "première connexion" in window.error_banner.text.text()
    assert opened == []


def test_empty_fields_are_asked_for_without_calling_the_server(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    window = login_window(qtbot, data_root, f"http://127.0.0.1:{closed_port()}", "")
    window.submit()
    assert window.error_banner.isVisible()
    assert window.error_banner.text.text() == "Saisissez le mot de passe."
    assert not window.busy


def test_create_a_sara_account_opens_the_servers_registration_page(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    browser: UrlCatcher,
) -> None:
    window = login_window(qtbot, data_root, demo_server.base_url, "")
    assert window.server_reachable is True
    qtbot.mouseClick(window.register_button, Qt.MouseButton.LeftButton)
    assert browser.urls == [demo_server.base_url + "/portal/inscription"]


def test_create_a_sara_account_falls_back_to_the_faq_address_when_the_server_is_down(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, browser: UrlCatcher
) -> None:
    window = login_window(qtbot, data_root, f"http://127.0.0.1:{closed_port()}", "")
    qtbot.mouseClick(window.register_button, Qt.MouseButton.LeftButton)
    assert browser.urls == [FALLBACK_REGISTRATION_URL]


def test_demo_hint_reads_the_sandbox_start_line() -> None:
    line = json.dumps({"url": "http://x", "accounts": [{"login": "a", "password": "b"}]})
    assert DemoHint.parse(line) == DemoHint("a", "b")
    assert DemoHint.parse('{"login": "c", "password": "d"}') == DemoHint("c", "d")
    with pytest.raises(ValueError, match="login"):
        DemoHint.parse('{"accounts": []}')
