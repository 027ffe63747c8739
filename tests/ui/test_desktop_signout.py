""" "Se déconnecter" (app menu) and "Oublier ce compte sur cet ordinateur" (Paramètres), through
the Controller, real widgets and the demo sandbox: the session is revoked on the server and
forgotten by the keyring, the drafts are kept (sign-out) or the account's folder deleted
(forget, after a confirmation that warns about unsent messages)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.account.keychain import SERVICE
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401
from tests.sockets import no_socket_left_open
from tests.ui import desktop_helpers
from tests.ui.conftest import GP_LOGIN
from tests.ui.desktop_helpers import open_main_window, reopened_composer
from ui.app import Controller
from ui.composer.composer import Composer
from ui.login.locked import LockedLoginWindow
from ui.login.window import LoginWindow
from ui.shell.main_window import MainWindow

OFFSCREEN_RAISE = desktop_helpers.OFFSCREEN_RAISE
FAILED_ROW = (
    "INSERT INTO outbox (id, message_id, state, payload, created_at, updated_at) "
    "VALUES ('o1', '<unsent@x>', 'failed', '{}', 1, 1)"
)


def remembered_controller(qtbot: QtBot, server: ServerThread, root: Path) -> Controller:
    settings_mod.override(server_url=server.base_url, remember_me=True)
    controller = Controller(root)
    controller.start()
    return controller


def refresh_refused(server: ServerThread, refresh_token: str) -> bool:
    r = httpx.post(
        server.base_url + "/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
    )
    return r.status_code == 401


def current_refresh(controller: Controller) -> str:
    session = controller.session
    assert session is not None
    assert session.account.auth is not None
    tokens = session.account.auth.tokens
    assert tokens is not None
    assert tokens.refresh_token is not None
    return tokens.refresh_token


def back_at_login(qtbot: QtBot, controller: Controller) -> LoginWindow:
    qtbot.waitUntil(
        lambda: controller.session is None and controller.login.isVisible(), timeout=30_000
    )
    login = controller.login
    qtbot.addWidget(login)  # deleted on the UI thread after the test
    return login


@OFFSCREEN_RAISE
def test_sign_out_revokes_the_session_keeps_the_draft_and_unticks_remember_me(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    controller = remembered_controller(qtbot, demo_server, data_root)
    window = open_main_window(qtbot, controller, DEMO_PASSWORD)
    menu = window.app_menu.actions()
    assert menu[menu.index(window.act_lock) + 1] is window.act_sign_out
    assert window.act_sign_out.text() == "Se déconnecter"
    refresh = current_refresh(controller)
    assert list(memory_keyring.tokens().values()) == [refresh]
    window.compose()
    qtbot.waitUntil(lambda: len(window.composers) == 1)
    composer = window.composers[0]
    assert isinstance(composer, Composer)
    qtbot.keyClicks(composer.subject_edit, "Suivi de Mme Martin")

    window.act_sign_out.trigger()
    login = back_at_login(qtbot, controller)
    assert type(login) is LoginWindow  # not the locked window: the next login is a new one
    assert refresh_refused(demo_server, refresh)
    assert memory_keyring.tokens() == {}
    assert login.login_edit.text() == GP_LOGIN
    assert login.password_edit.text() == ""
    assert not login.remember_box.isChecked()
    assert settings_mod.current().remember_me is False
    assert login.notice_banner.isVisible()
    assert login.notice_banner.text.text() == (
        "Session fermée. Votre mot de passe sera demandé à la prochaine connexion."
    )

    # The draft was saved: it comes back.
    restored = reopened_composer(qtbot, controller, DEMO_PASSWORD, login)
    assert restored.subject_edit.text() == "Suivi de Mme Martin"
    assert memory_keyring.tokens() == {}, "not remembered any more"
    restored.discard()
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


@OFFSCREEN_RAISE
def test_sign_out_offline_says_the_server_could_not_be_told(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    controller = remembered_controller(qtbot, demo_server, data_root)
    # No connection left open: signing out cancels the push stream while it reconnects to the
    # stopped server, and its pool is then closing the dead connections of the first sync.
    with no_socket_left_open(demo_server.port):
        window = open_main_window(qtbot, controller, DEMO_PASSWORD)
        demo_server.stop()
        window.act_sign_out.trigger()
        login = back_at_login(qtbot, controller)
    assert memory_keyring.tokens() == {}
    assert login.notice_banner.text.text() == (
        "Session fermée sur cet ordinateur, mais le serveur, injoignable, n'a pas été "
        "prévenu : reconnectez-vous puis déconnectez-vous pour y fermer la session."
    )
    login.close()
    qtbot.waitUntil(lambda: controller.done, timeout=10_000)


def forget_box(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    dialog = window.open_settings()
    assert dialog.account.forget_button.text() == "Oublier ce compte sur cet ordinateur…"
    qtbot.mouseClick(dialog.account.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.forget_box is not None and window.forget_box.isVisible())
    assert not dialog.isVisible()
    box = window.forget_box
    assert box is not None
    return box


def informative(box: QMessageBox) -> QLabel:
    label = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert isinstance(label, QLabel)
    return label


@OFFSCREEN_RAISE
def test_forget_warns_about_unsent_messages_then_deletes_the_account_here(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    controller = remembered_controller(qtbot, demo_server, data_root)
    window = open_main_window(qtbot, controller, DEMO_PASSWORD)
    session = controller.session
    assert session is not None
    account_dir = session.account.ref.dir
    refresh = current_refresh(controller)
    session.account.cache.write_blocking(lambda c: c.execute(FAILED_ROW))

    box = forget_box(qtbot, window)
    assert box.text() == f"Oublier le compte {GP_LOGIN} sur cet ordinateur ?"
    assert box.textFormat() == Qt.TextFormat.PlainText
    details = informative(box)
    assert details.textFormat() == Qt.TextFormat.PlainText
    assert details.text().startswith(
        "Attention : 1 message de la boîte d'envoi n'a pas encore été envoyé. Il sera perdu."
    )
    assert box.icon() == QMessageBox.Icon.Warning
    cancel = box.defaultButton()
    assert cancel is not None
    assert cancel.text() == "Annuler"  # losing data is never the default
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.forget_box is None)
    assert controller.session is session
    assert account_dir.exists()

    box = forget_box(qtbot, window)
    confirm = next(b for b in box.buttons() if b.text() == "Oublier ce compte")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    login = back_at_login(qtbot, controller)
    assert not account_dir.exists()
    assert (SERVICE, account_dir.name) not in memory_keyring.secrets
    assert (SERVICE, f"{account_dir.name}.vault") not in memory_keyring.secrets
    assert refresh_refused(demo_server, refresh)
    assert not isinstance(login, LockedLoginWindow)
    assert login.login_edit.text() == ""
    assert not login.remember_box.isChecked()
    assert login.notice_banner.text.text() == (
        f"Le compte {GP_LOGIN} a été oublié : ses messages, brouillons et documents ont été "
        "effacés de cet ordinateur."
    )
    login.close()
    qtbot.waitUntil(lambda: controller.done, timeout=10_000)
