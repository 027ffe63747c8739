"""The login window's Pro Santé Connect steps, real widgets against the real chain: the sandbox
with its « PSC simulé », found by the window at the sandbox's own address. The buttons only when
offered, the wait in the browser and its cancel, the practice choice and the address it sends
from, the passphrase (a weak one refused), the e-CPS code with its countdown, the session ended
by PSC. The system browser and the phone are httpx (tests/app/psc_real.py). PSC_SHOTS=<folder>
saves a picture of each step (the screenshots of the issue)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
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
from server.auth import authorize
from server.testing import ServerThread
from tests.app.psc_real import advance, card_browser, phone, psc_server, rpps_of
from tests.ui.browser import UrlCatcher, browser  # noqa: F401
from tests.ui.conftest import GP_LOGIN, run_sync
from tests.ui.desktop_helpers import OFFSCREEN_RAISE
from ui import tasks, theme
from ui.app import Controller
from ui.login.locked import LockedLoginWindow
from ui.login.window import LoginWindow
from ui.plain import PlainLabel

__all__ = ["psc_server"]  # the fixture

PASSPHRASE = "ma salle d'attente 2e étage"


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("PSC_SHOTS")
    if folder:
        QApplication.processEvents()
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


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


def card_in_browser(server: ServerThread, url: str, pages: list[str]) -> threading.Thread:
    """The system browser, in its own thread: the card page answered for the demo GP; `pages`
    gets what the app's loopback shows at the end."""
    rpps = rpps_of(server, GP_LOGIN)
    thread = threading.Thread(target=lambda: pages.append(card_browser(url, rpps)), daemon=True)
    thread.start()
    return thread


def test_no_psc_buttons_when_the_server_offers_none(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, data_root: Path
) -> None:
    window = window_on(qtbot, data_root, demo_server.base_url)
    qtbot.waitUntil(lambda: not tasks.pending(window), timeout=10_000)
    assert window.server_reachable
    assert not window.psc_panel.isVisible()
    assert window.password_edit.isVisible()


def test_buttons_only_when_offered_then_browser_wait_cancel_practice_and_passphrase(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    psc_server: ServerThread,
    data_root: Path,
    browser: UrlCatcher,  # noqa: F811
) -> None:
    window = window_on(qtbot, data_root, psc_server.base_url)
    qtbot.waitUntil(lambda: not tasks.pending(window), timeout=10_000)
    panel = window.psc_panel
    qtbot.waitUntil(panel.isVisible, timeout=10_000)  # found at the sandbox's own address
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
    pages: list[str] = []
    thread = card_in_browser(psc_server, browser.urls[1], pages)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.practice_page, timeout=20_000)
    thread.join(10)
    assert "Vous pouvez revenir à MonSisra bureau" in pages[0]
    choices = panel.practice_group.buttons()
    labels = panel.findChildren(PlainLabel, "practiceLabel")
    centre = "Maison de santé pluriprofessionnelle des Pentes — Lyon 1er"
    assert [c.accessibleName() for c in choices] == [t.text() for t in labels]
    assert len(labels) == 2
    assert labels[0].text()  # the directory's practice, then the health centre
    assert labels[1].text() == centre
    assert labels[1].height() > labels[0].height()  # the long name wraps, nothing cut
    assert choices[0].isChecked()
    shot(window, "3-practice-picker")
    qtbot.mouseClick(labels[1], Qt.MouseButton.LeftButton)  # its text picks it
    assert choices[1].isChecked()
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
        two = tuple(psc.Practice(p, p, "") for p in ("R10000000001", "other"))
        assert psc.chosen_practice(session.account.ref.dir, two) == two[0]  # remembered
        account = psc_server.sandbox.accounts.by_login(GP_LOGIN)
        assert account is not None
        assert psc.practice_email(session.account.ref.dir) == account.email
        sending = run_sync(qtbot, session.identities())
        assert sending[0].address.email == account.email  # the practice's address sends
        assert window.core is not None
        assert window.core.psc_account(psc_server.base_url, GP_LOGIN)
    finally:
        run_sync(qtbot, session.close())


def test_ecps_code_countdown_refusal_and_small_window(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    psc_server: ServerThread,
    data_root: Path,
) -> None:
    window = window_on(qtbot, data_root, psc_server.base_url)
    qtbot.waitUntil(lambda: not tasks.pending(window), timeout=10_000)
    panel = window.psc_panel
    qtbot.waitUntil(panel.isVisible, timeout=10_000)
    qtbot.mouseClick(panel.push_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.rpps_page
    panel.rpps_edit.setText("12345")
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    assert "11 chiffres" in panel.rpps_error.text()

    panel.rpps_edit.setText(rpps_of(psc_server, GP_LOGIN))
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.code_page, timeout=10_000)
    assert len(panel.code_label.text()) == 4
    assert panel.code_label.text() in phone(psc_server)  # the phone shows the same code
    assert panel.countdown_label.text().startswith("Temps restant : ")
    assert 100 < panel.seconds_left <= 120
    shot(window, "5-ecps-code")
    window.resize(520, 560)
    shot(window, "7-small-window")
    window.resize(960, 900)

    phone(psc_server, "refuser")  # the phone says no; the app's next poll hears it
    qtbot.waitUntil(window.error_banner.isVisible, timeout=15_000)
    assert panel.isVisible()
    assert panel.stack.currentWidget() is panel.start_page
    assert "refusée" in window.error_banner.text.text()
    shot(window, "6-refused")


@OFFSCREEN_RAISE
def test_when_the_server_ends_the_psc_session_the_login_window_comes_back_with_psc(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    psc_server: ServerThread,
    data_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    browser: UrlCatcher,  # noqa: F811
) -> None:
    settings_mod.override(server_url=psc_server.base_url)
    controller = Controller(data_root)
    controller.start()
    login = controller.login
    assert isinstance(login, LoginWindow)
    qtbot.waitUntil(lambda: login.server_reachable is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not tasks.pending(login), timeout=10_000)
    panel = login.psc_panel
    qtbot.waitUntil(panel.isVisible, timeout=10_000)
    qtbot.mouseClick(panel.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(browser.urls) == 1, timeout=10_000)
    card_in_browser(psc_server, browser.urls[0], [])
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

    # PSC refuses to refresh (the simulé's hook), so the server ends the session at its next
    # PSC refresh, here asked with a copy of the app's refresh token: from then on our tokens
    # of that session are refused.
    monkeypatch.setattr(authorize, "PSC_REFRESH_AFTER", -1.0)
    rpps = rpps_of(psc_server, GP_LOGIN)
    httpx.post(psc_server.base_url + "/sandbox/psc-simule/revoke/" + rpps).raise_for_status()
    ended = httpx.post(
        psc_server.base_url + "/auth/token",
        data={
            "grant_type": "refresh_token",
            "client_id": psc.CLIENT_ID,
            "refresh_token": auth.tokens.refresh_token,
        },
    )
    assert ended.status_code == 400
    assert "Pro Santé Connect a pris fin" in ended.json()["error_description"]
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
    qtbot.waitUntil(again.psc_panel.isVisible, timeout=10_000)
    shot(again, "8-session-ended")

    qtbot.addWidget(again)
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


def test_offline_a_psc_account_opens_with_its_passphrase_and_the_window_says_so(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    psc_server: ServerThread,
    data_root: Path,
) -> None:
    async def first_psc_login() -> None:
        async with httpx.AsyncClient() as http:
            meta = await psc.discover(http, psc_server.base_url)
            assert meta is not None
            request = await psc.ciba_start(http, meta, rpps_of(psc_server, GP_LOGIN))
            await asyncio.to_thread(phone, psc_server, "valider")

            async def sleep(seconds: float) -> None:
                advance(psc_server, seconds)

            grant = await psc.ciba_wait(http, meta, request, sleep=sleep)
        account = await open_account_with_tokens(data_root, psc_server.base_url, grant, PASSPHRASE)
        await account.close()

    run_sync(qtbot, first_psc_login())
    psc_server.stop()
    themed()
    settings_mod.override(server_url=psc_server.base_url, last_login=GP_LOGIN)
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
