"""The login window, the settings and the status bar against a sandbox serving real TLS (the test
PKI): a good certificate from the settings' authorities logs in; each refused certificate is said
in the window in its own words — never "hors connexion" —, the login fails with it, and only the
user's explicit "Ouvrir hors ligne malgré tout" opens a known account from the cache, whose
status bar then says "Connexion sécurisée refusée"."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.remote.http import CertificateNotTrusted
from app.session import AccountSession
from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory
from tests.sockets import no_socket_left_open, open_to, silent_tls_server
from tests.tls_pki import Pki, make_pki
from tests.ui.conftest import run_sync
from ui import tasks
from ui.app import Controller
from ui.desktop.settings_dialog import SettingsDialog
from ui.login.window import LoginWindow
from ui.shell.main_window import MainWindow


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def login_window(
    qtbot: QtBot, root: Path, server: ServerThread, ca_bundle: Path | None
) -> LoginWindow:
    """alice's login window, probed, with `ca_bundle` as the settings' extra authorities."""
    settings_mod.override(server_url=server.base_url, ca_bundle=str(ca_bundle or ""))
    window = LoginWindow(root)
    qtbot.addWidget(window)
    window.login_edit.setText(ALICE.login)
    window.password_edit.setText(ALICE.password)
    window.show()
    qtbot.waitUntil(lambda: window.server_reachable is not None, timeout=10_000)
    return window


def submit(qtbot: QtBot, window: LoginWindow) -> list[AccountSession]:
    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    qtbot.mouseClick(window.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened) or (window.error_banner.isVisible() and not window.busy))
    qtbot.waitUntil(lambda: bool(opened) or not window.busy, timeout=30_000)
    return opened


def test_a_good_certificate_from_the_settings_authorities_logs_in(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pki: Pki,
    server_factory: ServerFactory,
    data_root: Path,
) -> None:
    server = server_factory(tls=pki.good)
    window = login_window(qtbot, data_root, server, pki.ca_cert)
    assert window.server_reachable is True
    assert not window.error_banner.isVisible()
    opened = submit(qtbot, window)
    assert len(opened) == 1
    try:
        assert opened[0].account.online
    finally:
        run_sync(qtbot, opened[0].close())


@pytest.mark.parametrize(
    ("which", "with_ca", "words"),
    [
        ("good", False, CertificateNotTrusted.message_fr),
        ("self_signed", True, CertificateNotTrusted.message_fr),
        ("wrong_host", True, "celui de « autre-serveur.example », pas de « 127.0.0.1 »"),
        ("expired", True, "Le certificat de sécurité du serveur a expiré le "),
    ],
)
def test_a_refused_certificate_is_said_in_its_own_words_and_the_login_fails(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pki: Pki,
    server_factory: ServerFactory,
    data_root: Path,
    which: str,
    with_ca: bool,
    words: str,
) -> None:
    server = server_factory(tls=getattr(pki, which))
    window = login_window(qtbot, data_root, server, pki.ca_cert if with_ca else None)
    # The probe already says it: not "hors connexion".
    assert window.tls_refused
    assert not window.offline_banner.isVisible()
    assert window.error_banner.isVisible()
    said = window.error_banner.text.text()
    assert words in said
    assert "injoignable" not in said
    assert window.submit_button.text() == "Se connecter"
    assert not window.offline_button.isVisible()  # nothing known here to open offline

    with no_socket_left_open(server.port):
        assert submit(qtbot, window) == []
        assert window.error_banner.text.text() == said
        assert not window.offline_button.isVisible()
        # The probe that follows the failed login, cancelled wherever it is (in its handshake,
        # or reading the certificate to describe it): every connection it made is closed.
        window.close()
        qtbot.waitUntil(lambda: not tasks.pending(window) and not open_to(server.port))


def test_closing_the_window_during_the_servers_handshake_leaves_no_connection_open(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    # The probe cancelled in its TLS handshake (as when the window closes, or a newer probe
    # replaces it, while the server is slow to present its certificate).
    handshake_begun = asyncio.Event()
    silent = run_sync(qtbot, silent_tls_server(handshake_begun))
    port = silent.sockets[0].getsockname()[1]
    try:
        with no_socket_left_open(port):
            settings_mod.override(server_url=f"https://127.0.0.1:{port}")
            window = LoginWindow(data_root)
            qtbot.addWidget(window)
            window.show()
            qtbot.waitUntil(handshake_begun.is_set, timeout=10_000)
            window.close()
            qtbot.waitUntil(lambda: not tasks.pending(window))
    finally:
        silent.close()


def test_a_known_account_opens_offline_only_when_the_user_asks_and_the_bar_says_why(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pki: Pki,
    server_factory: ServerFactory,
    data_root: Path,
) -> None:
    server = server_factory(tls=pki.good)
    first = run_sync(
        qtbot,
        AccountSession.open(
            data_root, server.base_url, ALICE.login, ALICE.password, ca_bundle=pki.ca_cert
        ),
    )
    run_sync(qtbot, first.close())

    window = login_window(qtbot, data_root, server, None)  # the authorities' file is gone
    assert window.tls_refused
    assert window.offline_button.isVisible()
    assert window.offline_button.text() == "Ouvrir hors ligne malgré tout"
    assert submit(qtbot, window) == []  # "Se connecter" is refused, as the probe said
    assert window.error_banner.text.text() == CertificateNotTrusted.message_fr

    opened: list[AccountSession] = []
    window.opened.connect(opened.append)
    qtbot.mouseClick(window.offline_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    session = opened[0]
    try:
        assert not session.account.online
        main = MainWindow(session, restore_drafts=False)
        qtbot.addWidget(main)
        main.show()
        assert main.status.connection.text() == "Hors connexion"
        session.start()  # it tries the server again: refused for the certificate, and says so
        qtbot.waitUntil(
            lambda: main.status.connection.text() == "Connexion sécurisée refusée",
            timeout=30_000,
        )
        assert "n'est pas reconnu" in main.status.connection.toolTip()
        assert main.status.refusal_button.isVisible()
        box = main.status.show_refusal()
        assert box is not None
        assert box.text() == CertificateNotTrusted.message_fr
        box.close()
        assert not session.online
        main.close()
    finally:
        run_sync(qtbot, session.close())


def test_a_missing_authorities_file_is_said_at_login(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pki: Pki,
    server_factory: ServerFactory,
    data_root: Path,
) -> None:
    server = server_factory(tls=pki.good)
    window = login_window(qtbot, data_root, server, data_root / "parti.pem")
    assert window.error_banner.isVisible()
    assert "« parti.pem » est introuvable" in window.error_banner.text.text()
    assert submit(qtbot, window) == []
    assert "« parti.pem » est introuvable" in window.error_banner.text.text()


# --- the settings' authorities -------------------------------------------------------------


def test_the_settings_take_a_ca_file_list_its_authorities_refuse_a_bad_one_and_remove_it(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, pki: Pki, data_root: Path, tmp_path: Path
) -> None:
    dialog = SettingsDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.certificates.ca_file_label.text() == "Aucun fichier choisi"
    assert not dialog.certificates.clear_ca_button.isVisible()

    assert dialog.certificates.choose_ca_bundle(pki.ca_cert)
    assert dialog.certificates.ca_file_label.text() == "ca.pem"
    assert dialog.certificates.ca_subjects.text() == "Autorités ajoutées : MonSisra test CA"
    assert dialog.certificates.clear_ca_button.isVisible()

    bad = tmp_path / "serveur.pem"  # a server's certificate, not an authority's
    bad.write_bytes(pki.good.cert.read_bytes())
    assert not dialog.certificates.choose_ca_bundle(bad)
    assert dialog.certificates.ca_error.isVisible()
    assert (
        "« serveur.pem » ne contient aucun certificat d'autorité"
        in dialog.certificates.ca_error.text()
    )
    assert dialog.certificates.ca_file_label.text() == "ca.pem"  # the previous choice is kept

    with qtbot.waitSignal(dialog.changed, timeout=5_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert settings_mod.load(data_root).ca_bundle == str(pki.ca_cert.absolute())

    again = SettingsDialog(None)
    qtbot.addWidget(again)
    again.show()
    assert again.certificates.ca_subjects.text() == "Autorités ajoutées : MonSisra test CA"
    qtbot.mouseClick(again.certificates.clear_ca_button, Qt.MouseButton.LeftButton)
    assert again.certificates.ca_file_label.text() == "Aucun fichier choisi"
    with qtbot.waitSignal(again.changed, timeout=5_000):
        qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert settings_mod.load(data_root).ca_bundle == ""


def test_the_settings_say_when_the_chosen_file_is_gone(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, pki: Pki, data_root: Path, tmp_path: Path
) -> None:
    settings_mod.override(ca_bundle=str(tmp_path / "igc-sante.pem"))
    dialog = SettingsDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.certificates.ca_error.isVisible()
    assert "« igc-sante.pem » est introuvable" in dialog.certificates.ca_error.text()
    assert dialog.certificates.clear_ca_button.isVisible()


def test_the_connection_test_uses_the_authorities_chosen_in_the_dialog(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pki: Pki,
    server_factory: ServerFactory,
    data_root: Path,
) -> None:
    server = server_factory(tls=pki.good)
    dialog = SettingsDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.account.server_edit.setText(server.base_url)
    qtbot.mouseClick(dialog.account.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.account.test_button.isEnabled, timeout=15_000)
    assert dialog.account.test_result.text() == CertificateNotTrusted.message_fr
    assert dialog.account.test_result.property("error") is True

    dialog.certificates.choose_ca_bundle(pki.ca_cert)
    qtbot.mouseClick(dialog.account.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.account.test_button.isEnabled, timeout=15_000)
    assert dialog.account.test_result.text() == "Le serveur répond ; son certificat a été vérifié."
    assert dialog.account.test_result.property("error") is False


def test_the_login_windows_settings_add_the_authorities_and_the_server_is_probed_again(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pki: Pki,
    server_factory: ServerFactory,
    data_root: Path,
) -> None:
    server = server_factory(tls=pki.good)
    settings_mod.override(server_url=f"https://127.0.0.1:{closed_port()}")  # the saved one
    controller = Controller(data_root)
    qtbot.addWidget(controller.login)
    controller.start()
    window = controller.login
    qtbot.waitUntil(lambda: window.server_reachable is False, timeout=15_000)
    window.server_edit.setText(server.base_url)  # typed in the window
    window.probe_server()
    qtbot.waitUntil(lambda: window.tls_refused, timeout=15_000)
    window.login_edit.setText(ALICE.login)
    qtbot.mouseClick(window.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    assert dialog.account.server_url() == server.base_url  # the typed server, not the saved one
    assert dialog.certificates.choose_ca_bundle(pki.ca_cert)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.tls_refused and window.server_reachable is True)
    assert not window.error_banner.isVisible()
    assert settings_mod.load(data_root).server_url == server.base_url
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=10_000)
