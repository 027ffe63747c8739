""" "Créer un compte Sara" from the login window, to the end (issue 13 §5): the button opens the
server's registration page, whose form (filled as a browser would) creates the account of a
professional of the directory; logging in before the activation link is used is refused with its
own French sentence, kept in the window with what was typed; after the link, the same login opens
the account, whose address is the one the directory now gives."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.remote.auth import AccountInactive
from app.session import AccountSession
from server.testing import ServerThread
from tests.registration_helpers import someone_without_an_account
from tests.ui.browser import UrlCatcher
from tests.ui.conftest import run_sync
from tests.ui.test_login_window import login_window, open_by_enter

PASSWORD = "un-mot-de-passe-sur"


def test_a_sara_account_created_from_the_login_window_opens_once_activated(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    browser: UrlCatcher,
) -> None:
    window = login_window(qtbot, data_root, demo_server.base_url, "")
    qtbot.mouseClick(window.register_button, Qt.MouseButton.LeftButton)
    [registration] = browser.urls
    form = httpx.get(registration)
    assert 'name="rpps"' in form.text
    person = someone_without_an_account(demo_server.base_url)
    created = httpx.post(
        registration,
        data={
            **person,
            "email": "perso@example.org",
            "login": "nouveau.compte",
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    address = re.search(r"Adresse MSSanté : <strong>([^<]+)</strong>", created.text)
    assert address is not None

    window.login_edit.setText("nouveau.compte")
    window.password_edit.setText(PASSWORD)
    opened = open_by_enter(qtbot, window)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    assert window.error_banner.text.text() == AccountInactive.message_fr
    assert "pas encore activé" in window.error_banner.text.text()
    assert window.login_edit.text() == "nouveau.compte"
    assert window.password_edit.text() == PASSWORD
    assert opened == []

    account = demo_server.sandbox.accounts.by_login("nouveau.compte")
    assert account is not None
    [mail] = demo_server.sandbox.mail.sent_outside(account.id)  # what perso@example.org received
    link = re.search(r"http://\S+/activation/\S+", mail["text"])
    assert link is not None
    assert httpx.post(link.group(0)).status_code == 200

    window.error_banner.hide()
    opened = open_by_enter(qtbot, window)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    session: AccountSession = opened[0]
    try:
        assert (run_sync(qtbot, session.own_address())).email == address.group(1)
    finally:
        run_sync(qtbot, session.close())
