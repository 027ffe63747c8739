"""The directory page against the sandbox run with the national API's rules (issue 14 §4: 17
requests per second, no `near`): the type of each box shown next to the address (page and
recipient picker), "autour de moi" through the départements around, a 429's wait said."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import messages
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import ServerFactory
from tests.ui.conftest import GP_LOGIN, run_sync
from tests.ui.test_directory_view import LYON_PRESQUILE, rows, search
from ui import tasks, theme
from ui.composer.candidates import from_correspondent
from ui.directory.model import mailbox_text
from ui.directory.view import DirectoryView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAIT = 20_000


@pytest.fixture
def national(server_factory: ServerFactory, demo_template: Path, tmp_path: Path) -> ServerThread:
    data = tmp_path / "national"
    shutil.copytree(demo_template, data)
    return server_factory(data_dir=data, users=(), directory_rate_limit=17, directory_near=False)


@pytest.fixture
def view(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, national: ServerThread, tmp_path: Path
) -> Iterator[DirectoryView]:
    session = run_sync(
        qtbot, AccountSession.open(tmp_path / "data", national.base_url, GP_LOGIN, DEMO_PASSWORD)
    )
    page = DirectoryView(session, location=LYON_PRESQUILE)
    page.setStyleSheet((theme.resources_dir() / "directory.qss").read_text(encoding="utf-8"))
    qtbot.addWidget(page)
    page.resize(1040, 720)
    page.show()
    qtbot.waitExposed(page)
    yield page
    run_sync(qtbot, tasks.settle())
    run_sync(qtbot, session.close())


def _box(national: ServerThread, kind: str) -> str:
    conn = sqlite3.connect(f"file:{national.config.database_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT email FROM dir_mailbox WHERE kind = ? AND liste_rouge = 0 LIMIT 1", (kind,)
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])


def test_the_type_of_each_box_is_shown(
    qtbot: QtBot, view: DirectoryView, national: ServerThread
) -> None:
    view.postal_edit.setText("69003")
    people = search(qtbot, view)
    assert all(mailbox_text(c).endswith(" · boîte personnelle") for c in people if c.mailbox)
    candidate = from_correspondent(people[0])
    assert candidate is not None
    assert candidate.detail.endswith("boîte personnelle")
    cabinet = _box(national, "CAB")
    view.postal_edit.clear()
    view.name_edit.setText(cabinet)
    found = search(qtbot, view)
    assert mailbox_text(found[0]) == f"{cabinet} · boîte de cabinet"
    app_box = _box(national, "APP")
    view.name_edit.setText(app_box)
    found = search(qtbot, view)
    assert mailbox_text(found[0]) == f"{app_box} · boîte applicative"


def test_around_me_without_near_searches_the_departements_around(
    qtbot: QtBot, view: DirectoryView
) -> None:
    view.near_check.setChecked(True)
    view.radius_combo.setCurrentIndex(view.radius_combo.findData(10))
    found = search(qtbot, view)
    assert "dans les départements autour de votre lieu d'exercice" in view.status_label.text()
    assert "ne propose pas la recherche par distance" in view.status_label.text()
    assert all(c.postal_code[:2] in ("69", "01", "38", "42") for c in found)
    assert all(c.distance_km is not None for c in found)


def test_a_wait_of_the_directory_is_said_while_searching(qtbot: QtBot, view: DirectoryView) -> None:
    view.name_edit.setText("Martin")
    view.search()
    assert view.searching
    waiting = messages.DIRECTORY_WAITING.fill(wait=messages.SECONDS_MANY.fill(count=2))
    for listener in list(view.session.directory_wait_listeners):
        listener(waiting)
    assert view.status_label.text() == (
        "L'annuaire limite le nombre de recherches : nouvel essai dans 2 secondes…"
    )
    qtbot.waitUntil(lambda: not view.searching, timeout=WAIT)
    assert view.session.directory_wait_listeners == []
    assert rows(view)
