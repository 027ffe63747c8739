"""A long unbroken word never makes the reader wider than its pane (issue 12, defect 6): the
hostile message of tests/hostile.py (a 400-character word in its subject, long names in its
recipients, a program among its documents) read in the main window at 1280 and 1024 pixels wide,
and the reader alone at a narrow pane. Every card stays within the pane: no horizontal scrolling,
its date and its documents' actions in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.hostile import Hostile, deliver, seed
from tests.ui.conftest import GP_LOGIN
from tests.ui.mail_helpers import row_where
from ui import theme
from ui.composer.chips import Chip
from ui.composer.composer import Composer
from ui.directory.view import DirectoryView
from ui.mail.reader import ReaderView
from ui.plain import plain_text
from ui.shell.main_window import MainWindow

WAIT = 30_000


@pytest.fixture
def hostile_thread(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread, tmp_path: Path
) -> str:
    """The hostile message, delivered to the demo GP and synced: its conversation's id."""
    hostile = Hostile(Path("canari"))  # a path shown, never opened
    world = seed(demo_server, (GP_LOGIN, DEMO_PASSWORD), hostile)
    deliver(demo_server, GP_LOGIN, world, hostile, tmp_path)
    found: list[str] = []

    def arrived() -> bool:
        inbox = ui_session.mailbox_by_role("inbox")
        assert inbox is not None
        for thread_id in ui_session.conversations(inbox.id, limit=5):  # the newest
            records = ui_session.thread(thread_id)
            if any("x" * 400 in (r.subject or "") and r.patient for r in records):
                found.append(thread_id)
                return True
        return False

    qtbot.waitUntil(arrived, timeout=WAIT)
    return found[0]


def across(widget: QWidget, pane: QWidget) -> bool:
    """`widget` is within the width that `pane` (a viewport) shows: no scrolling sideways."""
    left = widget.mapTo(pane, widget.rect().topLeft()).x()
    return left >= 0 and left + widget.width() <= pane.width()


def assert_within_the_pane(reader: ReaderView) -> None:
    viewport = reader.scroller.viewport()
    content = reader.scroller.widget()
    assert content.width() <= viewport.width(), (content.width(), viewport.width())
    assert content.minimumSizeHint().width() <= viewport.width()
    for card in reader.cards:
        assert across(card, viewport), (card.geometry(), viewport.size())
        date = card.findChild(QWidget, "messageDate")
        assert date is not None
        assert date.isVisible()
        assert card.rect().contains(QRect(date.mapTo(card, date.rect().topLeft()), date.size()))
        assert date.width() >= date.sizeHint().width()  # the whole date, not "03:0"
        for chip in card.chips:
            assert across(chip, viewport)
            assert chip.save_button.isVisible()
            assert across(chip.save_button, viewport)


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_hostile_message_is_read_within_the_pane_at_any_window_width(
    qtbot: QtBot, ui_session: AccountSession, hostile_thread: str, width: int
) -> None:
    window = MainWindow(ui_session, restore_drafts=False)
    window.setStyleSheet(theme.style_sheet())
    qtbot.addWidget(window)
    window.resize(width, 800)  # 1024: the window's minimum width, about
    window.show()
    qtbot.waitExposed(window)
    before = window.width()
    window.conversations.select_row(row_where(window, lambda s: "x" * 400 in (s.subject or "")))
    qtbot.waitUntil(lambda: window.reader.banner is not None, timeout=WAIT)
    QApplication.processEvents()
    assert window.width() == before  # the window did not grow to fit a word
    assert_within_the_pane(window.reader)


def test_a_narrow_reading_pane_wraps_the_subject_and_keeps_each_card_whole(
    qtbot: QtBot, ui_session: AccountSession, hostile_thread: str
) -> None:
    reader = ReaderView(ui_session)
    reader.setStyleSheet(theme.style_sheet())
    qtbot.addWidget(reader)
    reader.resize(420, 700)
    reader.show()
    qtbot.waitExposed(reader)
    reader.show_thread(hostile_thread, mark_read=False)
    QApplication.processEvents()
    assert reader.width() == 420
    assert_within_the_pane(reader)
    subject = reader.scroller.widget().findChild(QWidget, "readerSubject")
    assert subject is not None
    qtbot.waitUntil(  # every line of it, once laid out
        lambda: subject.height() >= subject.heightForWidth(subject.width()), timeout=2_000
    )
    assert subject.text() == hostile_subject(reader)  # the text itself, breaks only shown


def hostile_subject(reader: ReaderView) -> str:
    return plain_text(reader.records[-1].subject)  # without its bidirectional controls


def test_at_1024_pixels_the_other_views_of_the_hostile_message_stay_within_their_views(
    qtbot: QtBot, ui_session: AccountSession, hostile_thread: str
) -> None:
    """Its row in the list, a reply to all (its subject and recipients' chips) and the directory's
    card of its sender: nothing wider than its view."""
    window = MainWindow(ui_session, restore_drafts=False)
    window.setStyleSheet(theme.style_sheet())
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    before = window.width()  # 1024, or the window's minimum if more (1028 offscreen)
    window.conversations.select_row(row_where(window, lambda s: "x" * 400 in (s.subject or "")))
    qtbot.waitUntil(lambda: bool(window.reader.records), timeout=WAIT)
    rows = window.conversations.view
    assert rows.horizontalScrollBar().maximum() == 0
    assert across(rows, window)

    reply = Composer(ui_session, reply_to=window.reader.records[-1], reply_all=True)
    reply.setStyleSheet(theme.style_sheet())
    qtbot.addWidget(reply)
    reply.resize(1024, 720)
    reply.show()
    qtbot.waitExposed(reply)
    QApplication.processEvents()
    assert reply.width() <= 1024
    assert reply.minimumSizeHint().width() <= 1024
    assert "x" * 400 in reply.subject_edit.text()
    assert across(reply.subject_edit, reply)
    chips = reply.to_field.findChildren(Chip)
    assert chips
    for chip in chips:
        assert across(chip, reply.to_field), (chip.geometry(), reply.to_field.width())

    window.show_page("directory")
    directory = window.findChild(DirectoryView)
    assert directory is not None
    directory.name_edit.setText("Zorglub")
    directory.search()
    qtbot.waitUntil(lambda: directory.results_model.rowCount() > 0, timeout=WAIT)
    directory.results.setCurrentIndex(directory.results_model.index(0))  # "Écrire à <name>"
    QApplication.processEvents()
    assert window.width() == before  # its search card widened it to 1513 px
    assert directory.results.horizontalScrollBar().maximum() == 0
    assert across(directory.results, window)
    assert across(directory.write_button, window)
    reply.keeps_draft = False
    reply.discard()
