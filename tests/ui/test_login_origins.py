"""The login window and where credentials go (issue 9): http:// to another computer is refused under
the server field before any request; at the first login of an account whose server names another
origin, the window asks (the origins shown as plain text), approving logs in, cancelling says so and
keeps nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.account import approvals
from app.remote.origins import ForeignOrigin, origin_of
from app.session import AccountSession
from server.testing import AppThread, ServerThread
from tests.origin_peers import Front, rewrite, start
from tests.server.conftest import ALICE
from tests.ui.conftest import run_sync
from ui.login.approval import OriginApprovalDialog
from ui.login.window import LoginWindow


def window_for(qtbot: QtBot, root: Path, server_url: str, opener: Any = None) -> LoginWindow:
    settings_mod.override(server_url=server_url)
    window = LoginWindow(root, opener=opener)
    qtbot.addWidget(window)
    window.login_edit.setText(ALICE.login)
    window.password_edit.setText(ALICE.password)
    window.show()
    return window


@pytest.fixture
def elsewhere_front(server: ServerThread) -> Iterator[tuple[str, str]]:
    """A login at http://127.0.0.1:P whose Session names http://localhost:P: (login, other)."""
    front = Front(server.base_url)
    thread = start(front)
    other = thread.base_url.replace("127.0.0.1", "localhost")
    front.edit_session = rewrite(thread.base_url, other)
    yield thread.base_url, other
    thread.stop()


def test_cleartext_http_to_another_computer_is_refused_under_the_field_before_any_request(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    called: list[object] = []

    async def opener(*args: object, **kwargs: object) -> AccountSession:
        called.append(args)
        raise AssertionError("no login may start")

    window = window_for(qtbot, data_root, "http://serveur.invalid", opener)
    assert window.server_error.isVisible()  # said at once: the probe did not run either
    assert window.server_reachable is None
    qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
    assert "https://" in window.server_error.text()
    assert "en clair" in window.server_error.text()
    assert not window.busy
    assert not window.error_banner.isVisible()
    assert called == []
    window.server_edit.setText("https://serveur.invalid")
    assert not window.server_error.isVisible()


def test_the_approval_dialog_shows_what_the_server_sent_as_plain_text(qtbot: QtBot) -> None:
    hostile = [
        "https://<b>banque</b>.example",
        '<img src="/dev/zero">',
        "https://xn--80ak6aa92e.com",
    ]
    dialog = OriginApprovalDialog(hostile)
    qtbot.addWidget(dialog)
    assert [label.text() for label in dialog.origin_labels] == hostile
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in dialog.origin_labels)
    assert dialog.cancel_button.isDefault()  # Enter does not send anything anywhere
    assert not dialog.approve_button.isDefault()


def _answer(qtbot: QtBot, window: LoginWindow, button: str) -> OriginApprovalDialog:
    qtbot.waitUntil(lambda: window.approval_dialog is not None, timeout=30_000)
    dialog = window.approval_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert not window.progress.isVisible()
    clicked = dialog.findChild(QPushButton, button)
    assert clicked is not None
    qtbot.mouseClick(clicked, Qt.MouseButton.LeftButton)
    return dialog


def test_a_first_login_asks_and_approving_logs_in(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    data_root: Path,
    elsewhere_front: tuple[str, str],
) -> None:
    login, other = elsewhere_front
    window = window_for(qtbot, data_root, login)
    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    window.submit()
    dialog = _answer(qtbot, window, "approveButton")
    assert [label.text() for label in dialog.origin_labels] == [other]
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    session = opened[0]
    try:
        assert session.account.online
        assert session.account.policy.approved == {origin_of(other)}
        assert approvals.recorded(session.account.ref.dir)
    finally:
        run_sync(qtbot, session.close())


def test_cancelling_the_approval_says_so_and_keeps_nothing(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    data_root: Path,
    elsewhere_front: tuple[str, str],
) -> None:
    login, _ = elsewhere_front
    window = window_for(qtbot, data_root, login)
    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    window.submit()
    _answer(qtbot, window, "cancelButton")
    qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    assert window.error_banner.text.text().startswith("Connexion annulée")
    assert not window.busy
    assert opened == []
    assert not (data_root / "accounts").exists()


def test_the_servers_other_origins_are_never_shown_as_markup(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, server: ServerThread
) -> None:
    """An internationalised look-alike name comes out in its ASCII form (xn--…)."""
    front = Front(server.base_url)
    thread: AppThread = start(front)
    try:
        front.edit_session = rewrite(thread.base_url + "/jmap/api", "https://аpple.com/jmap/api")
        window = window_for(qtbot, data_root, thread.base_url)
        window.submit()
        dialog = _answer(qtbot, window, "cancelButton")
        assert [label.text() for label in dialog.origin_labels] == ["https://xn--pple-43d.com"]
        qtbot.waitUntil(window.error_banner.isVisible, timeout=30_000)
    finally:
        thread.stop()


def test_a_long_refusal_is_shown_whole_in_the_login_window(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    window = window_for(qtbot, data_root, "https://mss.sante-ara.fr")
    window.resize(window.minimumSize())  # as small as it gets: the sentence cannot fit as is
    named = origin_of("https://messagerie.hopital-exemple-sante.fr:8443")
    window.error_banner.say(ForeignOrigin([named]).message_fr)
    label = window.error_banner.text

    def whole() -> bool:
        return label.height() >= label.heightForWidth(label.width())

    qtbot.waitUntil(whole)
    assert window.height() >= window.layout().heightForWidth(window.width())


def test_a_bare_host_is_completed_with_https_in_the_field_and_nothing_is_said_wrong(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    window = window_for(qtbot, data_root, "serveur.invalid:8443")
    assert window.server_edit.text() == "https://serveur.invalid:8443"
    assert window.server_url() == "https://serveur.invalid:8443"
    assert not window.server_error.isVisible()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("https://serveur .fr", "contient une espace"),
        ("ftp://serveur.fr", "(pas ftp://)"),
        ("https://serveur.fr/?page=1", "ni « ? »"),
    ],
)
def test_an_address_that_cannot_be_completed_says_what_is_wrong_under_the_field(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, typed: str, said: str
) -> None:
    window = window_for(qtbot, data_root, typed)
    assert window.server_error.isVisible()
    assert said in window.server_error.text()
    assert window.server_reachable is None  # no probe: nothing was sent
