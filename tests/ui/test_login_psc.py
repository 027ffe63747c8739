"""The login window's Pro Santé Connect steps, real widgets against the real sandbox and part A's
stand-in (tests/app/psc_as_stub.py; once part A is merged the window finds it at the sandbox's
own address and `offered` goes): the buttons only when offered, the wait in the browser and its
cancel, the practice choice, the passphrase (a weak one refused), the e-CPS code with its
countdown. PSC_SHOTS=<folder> saves a picture of each step (the screenshots of the issue)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.account import psc
from app.account.login import open_account_with_tokens
from app.errors import CoreError
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.psc_as_stub import RPPS, StubAS, running_stub
from tests.ui.browser import UrlCatcher, browser, page_as_browser  # noqa: F401
from tests.ui.conftest import GP_LOGIN, run_sync
from tests.ui.desktop_helpers import OFFSCREEN_RAISE
from ui import tasks, theme
from ui.app import Controller
from ui.login.locked import LockedLoginWindow
from ui.login.window import LoginWindow

PASSPHRASE = "ma salle d'attente 2e étage"


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("PSC_SHOTS")
    if folder:
        QApplication.processEvents()
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def stub(demo_server: ServerThread) -> Iterator[StubAS]:
    with running_stub(demo_server.base_url, GP_LOGIN, DEMO_PASSWORD) as running:
        yield running


def themed() -> None:
    """The app's look for the pictures (not for the assertions: the tests run without it)."""
    app = QApplication.instance()
    if os.environ.get("PSC_SHOTS") and isinstance(app, QApplication):
        theme.apply(app)


def window_on(qtbot: QtBot, root: Path, server_url: str) -> LoginWindow:
    themed()
    settings_mod.override(server_url=server_url)
    window = LoginWindow(root)
    qtbot.addWidget(window)
    window.resize(960, 900)
    window.show()
    qtbot.waitUntil(lambda: window.server_reachable is not None, timeout=10_000)
    return window


def offered(qtbot: QtBot, window: LoginWindow, stub: StubAS) -> None:
    """Part A's metadata, from the stand-in (see the module's docstring)."""

    async def discover() -> psc.PscServer | None:
        async with httpx.AsyncClient() as http:
            return await psc.discover(http, stub.url)

    window._show_psc(run_sync(qtbot, discover()))


def test_buttons_only_when_offered_then_browser_wait_cancel_practice_and_passphrase(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    stub: StubAS,
    data_root: Path,
    browser: UrlCatcher,  # noqa: F811
) -> None:
    window = window_on(qtbot, data_root, demo_server.base_url)
    qtbot.waitUntil(lambda: not tasks.pending(window), timeout=10_000)
    panel = window.psc_panel
    assert not panel.isVisible()  # this sandbox offers no PSC (yet)
    offered(qtbot, window, stub)
    assert panel.isVisible()
    assert panel.browser_button.isVisible()
    assert panel.push_button.isVisible()
    shot(window, "1-both-buttons")

    qtbot.mouseClick(panel.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(browser.urls) == 1, timeout=10_000)
    assert panel.stack.currentWidget() is panel.waiting_page
    shot(window, "2-waiting")
    redirect = parse_qs(urlsplit(browser.urls[0]).query)["redirect_uri"][0]
    qtbot.mouseClick(panel.waiting_page.findChild(QWidget, "pscCancel"), Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.start_page
    qtbot.waitUntil(lambda: window._psc_task is not None and window._psc_task.done())
    with pytest.raises(httpx.ConnectError):
        httpx.get(redirect)  # the listener closed with the cancel

    qtbot.mouseClick(panel.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(browser.urls) == 2, timeout=10_000)
    pages: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: pages.append(page_as_browser(browser.urls[1])))
    thread.start()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.practice_page, timeout=20_000)
    thread.join(10)
    assert "Vous pouvez revenir à MonSisra bureau" in pages[0].text
    choices = panel.practice_group.buttons()
    assert [c.text() for c in choices] == [
        "Cabinet médical du Parc — Lyon 3e",
        "Centre hospitalier — Villeurbanne",
    ]
    shot(window, "3-practice-picker")
    choices[1].setChecked(True)
    qtbot.mouseClick(panel.practice_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.passphrase_page
    assert panel.confirm_edit.isVisible()  # first PSC login here: chosen twice

    panel.passphrase_edit.setText("courte")
    panel.confirm_edit.setText("courte")
    qtbot.mouseClick(panel.passphrase_button, Qt.MouseButton.LeftButton)
    assert "12 caractères" in panel.passphrase_error.text()
    assert panel.passphrase_error.isVisible()
    shot(window, "4-passphrase-weak")

    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    panel.passphrase_edit.setText(PASSPHRASE)
    panel.confirm_edit.setText(PASSPHRASE)
    qtbot.mouseClick(panel.passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    session = opened[0]
    try:
        assert session.account.online
        assert session.account.ref.login == GP_LOGIN
        assert psc.is_psc(session.account.ref.dir)
        two = tuple(psc.Practice(p, p, "") for p in ("p1", "p2"))
        assert psc.chosen_practice(session.account.ref.dir, two) == two[1]  # remembered
        assert window.core is not None
        assert window.core.psc_account(demo_server.base_url, GP_LOGIN)
    finally:
        run_sync(qtbot, session.close())


def test_ecps_code_countdown_refusal_and_small_window(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    stub: StubAS,
    data_root: Path,
) -> None:
    stub.ciba_script = ["authorization_pending"]
    window = window_on(qtbot, data_root, demo_server.base_url)
    qtbot.waitUntil(lambda: not tasks.pending(window), timeout=10_000)
    offered(qtbot, window, stub)
    panel = window.psc_panel
    qtbot.mouseClick(panel.push_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.rpps_page
    panel.rpps_edit.setText("12345")
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    assert "11 chiffres" in panel.rpps_error.text()

    panel.rpps_edit.setText(RPPS)
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.code_page, timeout=10_000)
    assert panel.code_label.text() == "K7PX"
    assert panel.countdown_label.text().startswith("Temps restant : ")
    assert 100 < panel.seconds_left <= 120
    shot(window, "5-ecps-code")
    window.resize(520, 560)
    shot(window, "7-small-window")
    window.resize(960, 900)

    for script in stub.cibas.values():
        script[:] = ["access_denied"]  # the phone says no
    qtbot.waitUntil(window.error_banner.isVisible, timeout=15_000)
    assert panel.isVisible()
    assert panel.stack.currentWidget() is panel.start_page
    assert "refusée" in window.error_banner.text.text()
    shot(window, "6-refused")


@OFFSCREEN_RAISE
def test_when_the_server_ends_the_psc_session_the_login_window_comes_back_with_psc(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    stub: StubAS,
    data_root: Path,
    browser: UrlCatcher,  # noqa: F811
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root)
    controller.start()
    login = controller.login
    assert isinstance(login, LoginWindow)
    qtbot.waitUntil(lambda: login.server_reachable is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not tasks.pending(login), timeout=10_000)
    offered(qtbot, login, stub)
    panel = login.psc_panel
    qtbot.mouseClick(panel.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(browser.urls) == 1, timeout=10_000)
    threading.Thread(target=page_as_browser, args=(browser.urls[0],), daemon=True).start()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.practice_page, timeout=20_000)
    qtbot.mouseClick(panel.practice_button, Qt.MouseButton.LeftButton)
    panel.passphrase_edit.setText(PASSPHRASE)
    panel.confirm_edit.setText(PASSPHRASE)
    qtbot.mouseClick(panel.passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    session = controller.session
    assert session is not None
    assert session.pro_sante_connect
    auth = session.account.auth
    assert auth is not None
    assert auth.tokens is not None
    assert auth.tokens.refresh_token is not None

    # The server ends the session (as it does when PSC refuses to refresh): our refresh token
    # and the access tokens issued from it are refused from now on.
    ended = httpx.post(
        demo_server.base_url + "/auth/revoke", data={"token": auth.tokens.refresh_token}
    )
    assert ended.status_code == 200
    jmap = session.jmap
    assert jmap is not None

    async def next_request() -> None:
        with contextlib.suppress(CoreError):
            await jmap.get_all("Identity", None, ["email"])

    run_sync(qtbot, next_request())
    qtbot.waitUntil(lambda: controller.session is None, timeout=30_000)
    again = controller.login
    assert isinstance(again, LockedLoginWindow)
    assert "Pro Santé Connect a pris fin" in again.lock_banner.text.text()
    qtbot.waitUntil(  # once the window knows the account here: a passphrase, not a password
        lambda: again.password_caption.text() == "Phrase de déverrouillage", timeout=10_000
    )
    offered(qtbot, again, stub)
    assert again.psc_panel.isVisible()
    shot(again, "8-session-ended")

    qtbot.addWidget(again)
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


def test_offline_a_psc_account_opens_with_its_passphrase_and_the_window_says_so(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    stub: StubAS,
    data_root: Path,
) -> None:
    async def first_psc_login() -> None:
        async with httpx.AsyncClient() as http:
            meta = await psc.discover(http, stub.url)
            assert meta is not None
            request = await psc.ciba_start(http, meta, RPPS)
            grant = await psc.ciba_wait(http, meta, request, sleep=lambda _s: asyncio.sleep(0))
        account = await open_account_with_tokens(data_root, demo_server.base_url, grant, PASSPHRASE)
        await account.close()

    run_sync(qtbot, first_psc_login())
    demo_server.stop()
    themed()
    settings_mod.override(server_url=demo_server.base_url, last_login=GP_LOGIN)
    window = LoginWindow(data_root)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.psc_note.isVisible, timeout=15_000)
    assert window.password_caption.text() == "Phrase de déverrouillage"
    assert "hors connexion, déverrouillez avec votre phrase" in window.psc_note.text()
    assert not window.psc_panel.isVisible()  # no server: no PSC
    shot(window, "9-offline-psc")

    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    window.password_edit.setText("pas la bonne phrase")
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    assert opened == []
    window.password_edit.setText(PASSPHRASE)
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert not opened[0].account.online
    run_sync(qtbot, opened[0].close())
