"""Opening a document or a link when no program on this computer takes it (issue 12, defect 8):
QDesktopServices.openUrl returns False — the one thing mocked, the system's launcher — and the
window says so, with what to do instead ("Enregistrer sous…" for a document, "Copier le lien" for
a link), instead of a click that does nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from tests.ui import mail_helpers
from tests.ui.mail_helpers import row_where
from ui.browser import document_kind
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture


@pytest.fixture
def nothing_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system launcher finds no program: openUrl says False, as Qt does then."""
    asked: list[str] = []

    def open_url(url: QUrl) -> bool:
        asked.append(url.toString())
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return asked


def shown_box(qtbot: QtBot, parent: QWidget) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.isVisible() for b in parent.findChildren(QMessageBox)))
    return next(b for b in parent.findChildren(QMessageBox) if b.isVisible())


def button(box: QMessageBox, text: str) -> QPushButton:
    found = next(b for b in box.findChildren(QPushButton) if b.text() == text)
    assert isinstance(found, QPushButton)
    return found


def test_a_document_without_a_viewer_says_so_and_offers_to_save_it(
    qtbot: QtBot,
    window: MainWindow,
    ui_session: AccountSession,
    nothing_opens: list[str],
    tmp_path: Path,
) -> None:
    row = row_where(window, lambda s: s.patient is not None and s.has_attachment)
    window.conversations.select_row(row)
    qtbot.waitUntil(lambda: any(card.chips for card in window.reader.cards))
    chip = next(chip for card in window.reader.cards for chip in card.chips)
    assert chip.name.lower().endswith(".pdf")
    chip.open()
    box = shown_box(qtbot, chip)
    assert len(nothing_opens) == 1
    assert nothing_opens[0].startswith("file:")
    assert box.text() == (
        "Aucune application n'est installée pour ouvrir les fichiers PDF sur cet ordinateur."
    )
    assert "Enregistrez-le" in box.informativeText()
    target = tmp_path / "lettre.pdf"
    chip.ask_save_path = lambda _parent, _name: str(target)  # type: ignore[method-assign]
    button(box, "Enregistrer sous…").click()
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert not box.isVisible()


def test_a_link_without_a_browser_says_so_and_offers_to_copy_it(
    qtbot: QtBot, window: MainWindow, nothing_opens: list[str]
) -> None:
    row = row_where(window, lambda s: s.subject.startswith("Lettre d'information de l'URPS"))
    window.conversations.select_row(row)
    qtbot.waitUntil(lambda: len(window.reader.cards) >= 1)
    body = window.reader.cards[0].body
    body.anchorClicked.emit(QUrl("https://www.example.invalid/urps"))
    box = shown_box(qtbot, body)
    assert nothing_opens == ["https://www.example.invalid/urps"]
    assert box.text() == "Aucun navigateur n'a pu ouvrir ce lien."
    assert "https://www.example.invalid/urps" in box.informativeText()
    button(box, "Copier le lien").click()
    assert QGuiApplication.clipboard().text() == "https://www.example.invalid/urps"


@pytest.mark.parametrize(
    ("name", "kind"), [("CR.pdf", "PDF"), ("photo.jpeg", "JPEG"), ("LISEZMOI", "")]
)
def test_a_documents_kind_is_its_extension_in_capitals(name: str, kind: str) -> None:
    assert document_kind(name) == kind
