"""The resources (style sheets, icons, translations, notices): one resolver finds them, and an
installation that lacks some says so, in the log and on the login window, instead of showing an
unstyled window without a word (what `pip install .` did before they were packaged)."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scripts import notices, resource_files
from ui import theme
from ui.login.window import LoginWindow

REINSTALL = "Réinstallez MonSisra bureau."


@pytest.fixture
def resources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A copy of the resources the resolver gives from now on (the test removes some)."""
    folder = tmp_path / "monsisra_resources"
    shutil.copytree(theme.resources_dir(), folder)
    monkeypatch.setattr(theme, "resources_dir", lambda: folder)
    theme.icon.cache_clear()
    theme.missing_resources.cache_clear()
    yield folder
    theme.icon.cache_clear()  # no icon of the copy (or none at all) for the next tests
    theme.missing_resources.cache_clear()


def test_the_resolver_gives_the_folder_holding_every_resource() -> None:
    assert resource_files.missing(theme.resources_dir()) == []
    assert theme.missing_resources() == []


def test_every_icon_the_code_names_is_a_resource() -> None:
    """The names written in `theme.icon("…")` calls: a file missing from resources/icons would
    leave the build's list (made from that folder) and show an empty icon without a word."""
    ui = Path(theme.__file__).parent
    named = {
        name
        for path in ui.rglob("*.py")
        for name in re.findall(r"\bicon\(\s*\"([\w-]+)\"", path.read_text(encoding="utf-8"))
    }
    assert len(named) > 20
    icons = {name.removeprefix("icons/").removesuffix(".svg") for name in resource_files.expected()}
    assert named - icons == set()


def test_every_icon_the_style_sheets_name_is_checked(resources: Path) -> None:
    (resources / "icons" / "check-white.svg").unlink()  # style.qss: ticked boxes
    assert theme.missing_resources() == ["icons/check-white.svg"]


def test_login_window_with_every_resource_says_nothing_about_files(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    window = LoginWindow(data_root)
    qtbot.addWidget(window)
    window.show()
    assert not window.resources_banner.isVisible()


def test_login_window_names_the_missing_files_and_asks_to_reinstall(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, resources: Path
) -> None:
    (resources / "style.qss").unlink()
    (resources / "translations" / "monsisra_en.qm").unlink()
    shutil.rmtree(resources / "notices")
    window = LoginWindow(data_root)
    qtbot.addWidget(window)
    window.show()
    assert window.resources_banner.isVisible()
    assert window.resources_banner.text.text() == (
        "Fichiers de l'application manquants : notices/THIRD-PARTY-NOTICES.txt, style.qss, "
        f"translations/monsisra_en.qm. {REINSTALL}"
    )


def test_starting_without_the_resources_logs_an_error(
    qapp: QApplication, resources: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.rmtree(resources / "icons")
    sheet, style = qapp.styleSheet(), qapp.style().name()
    try:
        with caplog.at_level(logging.ERROR, logger="monsisra.ui.theme"):
            theme.apply(qapp)
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setStyle(style)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "icons/monsisra.svg" in errors[0]
    assert str(resources) in errors[0]


def test_the_notices_carry_pypdfium2s_and_pdfiums_licences_from_its_licenses_folder() -> None:
    """pypdfium2 keeps its licences in its metadata's licenses/ folder (PEP 639) under names like
    Apache-2.0.txt and pdfium.txt, which the file-name rule alone (LICENSE, COPYING…) missed."""
    text = notices.notices()
    start = text.index("\npypdfium2 5.")
    section = text[start : text.index("\n" + notices.RULE, start + 1 + len(notices.RULE))]
    assert "--- licenses/LICENSES/Apache-2.0.txt ---" in section
    assert "--- licenses/LICENSES/BSD-3-Clause.txt ---" in section
    assert "--- licenses/BUILD_LICENSES/pdfium.txt ---" in section
    assert "Copyright 2014 The PDFium Authors" in section
