"""« À propos de MonSisra bureau »: the version, Qt, PySide6, Python and SQLCipher (asked for
real, off the UI thread), the data folders with a button that opens them, the licence, and the
third-party notices as plain text — or, in a build without them, a French sentence saying so.
Reached from the login window (through the Controller) and from the main window's app menu."""

from __future__ import annotations

import asyncio
import importlib.metadata
from pathlib import Path

import pytest
from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from ui.app import Controller
from ui.desktop.about import NOTICES_TAB, AboutDialog

VERSION = importlib.metadata.version("monsisra-bureau")
# Outside text in a notices file (a licence may quote anything): shown as these characters.
NOTICES_TEXT = "httpx 0.28.1\nLicence: BSD-3-Clause\n<b>not bold</b> <img src=/dev/zero>\n"


def loaded(qtbot: QtBot, dialog: AboutDialog) -> None:
    qtbot.waitUntil(dialog.loaded.done, timeout=10_000)


@pytest.fixture
def notices(tmp_path: Path) -> Path:
    path = tmp_path / "THIRD-PARTY-NOTICES.txt"
    path.write_text(NOTICES_TEXT, encoding="utf-8")
    return path


def test_the_dialog_shows_every_version_and_sqlciphers_own(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, notices: Path
) -> None:
    dialog = AboutDialog(data_root, notices=notices)
    qtbot.addWidget(dialog)
    dialog.show()
    loaded(qtbot, dialog)
    assert dialog.windowTitle() == "À propos — MonSisra bureau"
    assert dialog.version_label.text() == f"Version {VERSION}"
    shown = {key: label.text() for key, label in dialog.versions.items()}
    assert shown["app"] == VERSION
    assert shown["qt"] == qVersion()
    assert shown["pyside"] == PYSIDE_VERSION
    assert shown["sqlcipher"][0].isdigit()  # "4.19.0 community"
    assert shown["sqlcipher_crypto"].startswith("OpenSSL ")
    assert "…" not in shown.values()
    dialog.copy_versions()
    copied = QGuiApplication.clipboard().text()
    assert f"MonSisra bureau : {VERSION}" in copied
    assert f"SQLCipher : {shown['sqlcipher']}" in copied
    assert "EUPL-1.2" in dialog.licence_summary.text()


def test_the_notices_are_shown_as_plain_text_read_only(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, notices: Path
) -> None:
    dialog = AboutDialog(data_root, notices=notices)
    qtbot.addWidget(dialog)
    dialog.show()
    loaded(qtbot, dialog)
    dialog.tabs.setCurrentIndex(NOTICES_TAB)
    assert dialog.notices_view.isVisible()
    assert dialog.notices_view.isReadOnly()
    assert dialog.notices_view.toPlainText() == NOTICES_TEXT
    assert not dialog.notices_missing.isVisible()


def test_missing_notices_are_said_in_french_instead_of_crashing(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, tmp_path: Path
) -> None:
    dialog = AboutDialog(data_root, notices=tmp_path / "absent.txt")
    qtbot.addWidget(dialog)
    dialog.show()
    loaded(qtbot, dialog)
    dialog.tabs.setCurrentIndex(NOTICES_TAB)
    assert dialog.notices_missing.isVisible()
    assert not dialog.notices_view.isVisible()
    assert dialog.notices_missing.text().startswith(
        "Les mentions des composants tiers ne sont pas livrées avec cette installation"
    )


class _FileOpener(QObject):
    """Stands for the system's file manager: Qt hands it the URLs opened (setUrlHandler)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def test_the_data_folders_are_shown_and_opened(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path, tmp_path: Path
) -> None:
    data = tmp_path / "local" / "MonSisra"  # a fresh install: not made yet
    dialog = AboutDialog(data, notices=tmp_path / "absent.txt")
    qtbot.addWidget(dialog)
    assert settings_mod.folder() == data_root  # the settings' folder: another one here
    assert len(dialog.folder_buttons) == 2
    opener = _FileOpener()
    QDesktopServices.setUrlHandler("file", opener, "open")
    try:
        dialog.folder_buttons[0].click()
        dialog.folder_buttons[1].click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in opener.opened] == [str(data), str(data_root)]
    assert data.is_dir()
    assert data.stat().st_mode & 0o777 == 0o700
    loaded(qtbot, dialog)


def test_the_login_window_opens_it_through_the_controller(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, data_root: Path
) -> None:
    controller = Controller(data_root, use_system_tray=False)
    login = controller.login
    qtbot.addWidget(login)
    login.show()
    assert login.about_button.text() == "À propos"
    login.about_button.click()
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.parent() is login
    assert dialog.data_root == data_root
    loaded(qtbot, dialog)
    dialog.close()
    controller.tray.close()
