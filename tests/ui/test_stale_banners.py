"""Banners that say a problem go once the problem is gone (issue 12, defect 8): the login
window's offline banner when the server answers again (asked again by itself every few seconds),
and the "hors connexion" of a page of the main window when the connection is back (the page
reads again). The sandbox is really stopped, then started again on the same port and data."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.session import AccountSession
from server.testing import ServerThread, quick_config
from tests.server.conftest import ALICE
from tests.ui import mail_helpers
from ui.login.window import LoginWindow
from ui.patients.view import PatientsView
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture
WAIT = 30_000


@pytest.fixture
def restarted() -> Iterator[list[ServerThread]]:
    """Sandboxes the test starts again; stopped at the end."""
    servers: list[ServerThread] = []
    yield servers
    for server in servers:
        server.stop()


def again(server: ServerThread, data: Path, restarted: list[ServerThread]) -> ServerThread:
    """`server` started again: the same data, the same port."""
    port = int(server.base_url.rsplit(":", 1)[1])
    restarted.append(ServerThread(quick_config(data), port=port).start())
    return restarted[-1]


def test_the_login_offline_banner_goes_by_itself_when_the_server_answers_again(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    data_root: Path,
    server: ServerThread,
    restarted: list[ServerThread],
    tmp_path: Path,
) -> None:
    server.stop()
    settings_mod.override(server_url=server.base_url)
    login = LoginWindow(data_root)
    qtbot.addWidget(login)
    login.reprobe.setInterval(200)
    login.login_edit.setText(ALICE.login)
    login.show()
    qtbot.waitUntil(lambda: login.server_reachable is False, timeout=WAIT)
    assert login.offline_banner.isVisible()
    assert "le serveur ne répond pas" in login.offline_banner.text.text()
    assert login.reprobe.isActive()  # asks again, without the user
    again(server, tmp_path / "sandbox-0", restarted)
    qtbot.waitUntil(lambda: login.server_reachable is True, timeout=WAIT)
    assert not login.offline_banner.isVisible()
    assert not login.reprobe.isActive()


def test_a_page_that_said_hors_connexion_reads_again_when_the_connection_is_back(
    qtbot: QtBot,
    window: MainWindow,
    ui_session: AccountSession,
    demo_server: ServerThread,
    restarted: list[ServerThread],
    tmp_path: Path,
) -> None:
    demo_server.stop()
    qtbot.waitUntil(lambda: not ui_session.online, timeout=WAIT)
    window.show_page("patients")
    page = window.pages.currentWidget()
    assert isinstance(page, PatientsView)
    assert "hors connexion" in page.status_label.text()
    again(demo_server, tmp_path / "demo-data", restarted)
    qtbot.waitUntil(lambda: ui_session.online, timeout=WAIT)
    qtbot.waitUntil(lambda: "hors connexion" not in page.status_label.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    assert page.file_active.file_list.model().rowCount() > 0
