"""Favorites follow the user (issue 13 §5), through the real app: the demo GP stars a colleague
in the directory page of her office computer; on her laptop (another data folder, the same
account), the Favoris section shows the colleague after a sync (F5), with the whole card; removed
on the laptop, the colleague leaves the office's Favoris section too."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from server.testing import ServerThread
from tests.ui.conftest import GP_LOGIN, opened_session
from tests.ui.test_directory_view import LYON_PRESQUILE, search
from ui import theme
from ui.directory.model import CorrespondentDelegate
from ui.directory.view import DirectoryView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAIT = 20_000


@pytest.fixture
def laptop(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, tmp_path: Path
) -> Iterator[AccountSession]:
    """The same GP on a second computer: its own data folder, started (background sync)."""
    with opened_session(qtbot, demo_server.base_url, tmp_path / "laptop", GP_LOGIN) as session:
        session.start()
        yield session


def page(qtbot: QtBot, session: AccountSession) -> DirectoryView:
    view = DirectoryView(session, location=LYON_PRESQUILE)
    view.setStyleSheet((theme.resources_dir() / "directory.qss").read_text(encoding="utf-8"))
    qtbot.addWidget(view)
    view.resize(1040, 720)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_colleague_starred_at_the_office_is_a_favorite_on_the_laptop_after_a_sync(
    qtbot: QtBot, ui_session: AccountSession, laptop: AccountSession
) -> None:
    office_page, laptop_page = page(qtbot, ui_session), page(qtbot, laptop)
    assert laptop_page.home.favorites_empty.isVisible()
    office_page.postal_edit.setText("69003")
    chosen = search(qtbot, office_page)[0]
    star = CorrespondentDelegate.star_rect(
        office_page.results.visualRect(office_page.results_model.index(0))
    )
    qtbot.mouseClick(office_page.results.viewport(), Qt.MouseButton.LeftButton, pos=star.center())
    qtbot.waitUntil(lambda: office_page.home.favorites_model.rowCount() == 1, timeout=WAIT)

    # The office sends it by itself; the laptop looks when asked to sync (F5).
    def on_laptop() -> bool:
        laptop.sync_now()
        return laptop_page.home.favorites_model.rowCount() == 1

    qtbot.waitUntil(on_laptop, timeout=WAIT)
    assert laptop_page.home.favorites_list.isVisible()
    assert laptop_page.home.favorites_model.correspondent(0) == chosen  # the whole card

    # Removed on the laptop: it goes from the office's page as well.
    future = laptop_page.toggle_favorite(chosen)
    assert future is not None
    qtbot.waitUntil(future.done, timeout=WAIT)
    assert laptop_page.home.favorites_empty.isVisible()

    def gone_at_the_office() -> bool:
        ui_session.sync_now()
        return office_page.home.favorites_model.rowCount() == 0

    qtbot.waitUntil(gone_at_the_office, timeout=WAIT)
    assert not office_page.home.favorites_empty.isHidden()  # shown with the home lists
    assert not office_page.is_favorite(chosen)  # the search results' star too
