"""A test run leaves nothing behind: what the code writes in the temporary folder goes with the
run (tests/conftest.py), and the composer's demo documents (`make screenshots`) go with their
window."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from ui.composer.composer import demo_screenshot


def test_the_runs_temporary_folder_is_inside_pytests_own(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    here = Path(tempfile.gettempdir())
    assert here.is_relative_to(tmp_path_factory.getbasetemp())
    assert tempfile.mkdtemp(prefix="monsisra-").startswith(str(here))


def test_composer_demo_documents_are_removed_with_its_window(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    temp = Path(tempfile.gettempdir())
    before = set(temp.glob("monsisra-demo-*"))
    composer = demo_screenshot(ui_session)
    [folder] = set(temp.glob("monsisra-demo-*")) - before
    assert sorted(p.name for p in folder.iterdir()) == [
        "Courrier_adressage_cardiologie.pdf",
        "ECG_repos_2026-03-02.pdf",
    ]
    composer.close()
    composer.deleteLater()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5_000)
