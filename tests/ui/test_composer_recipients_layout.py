"""The « À » field in a small window: long recipient chips wrap, the field grows with them up to
MAX_VISIBLE_LINES and then scrolls, and the line one types in stays visible (it was clipped
under the chips)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from app.store.records import Address
from tests.ui.composer_helpers import styled
from ui.composer.composer import Composer
from ui.composer.recipients import MAX_VISIBLE_LINES, RecipientField

LONG = [
    Address(
        f"Dr Marie-Christine de La Rochefoucauld-Montbazon {i}",
        f"m.rochefoucauld{i}@chu-grenoble-alpes.mssante.fr",
    )
    for i in range(8)
]


def _seen_in(widget: QWidget, field: RecipientField) -> QRect:
    """The part of `widget` that the field's scroll area shows."""
    viewport = field.scroll_area.viewport()
    where = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return where.intersected(viewport.rect())


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_the_typing_line_stays_visible_under_many_long_chips(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    composer = Composer(ui_session)
    qtbot.addWidget(styled(composer))  # the real style: its sizes are the app's
    composer.resize(640, 480)
    composer.show()
    field = composer.to_field
    edit = field.line_edit
    chip_height = 0
    for count, address in enumerate(LONG, start=1):
        field.add(address)
        _settle()
        # Each chip is wider than half the field: one a line, the typing line under them.
        chip_height = field._chips[0].height()
        assert _seen_in(edit, field).size() == edit.size(), count
        assert composer.rect().contains(QRect(edit.mapTo(composer, QPoint(0, 0)), edit.size()))
        if count < MAX_VISIBLE_LINES:  # all of it shown, no scroll bar
            assert all(_seen_in(c, field).size() == c.size() for c in field._chips)
            assert not field.scroll_area.verticalScrollBar().isVisible()
    # Eight lines of chips: the field stopped growing and scrolls; the body kept its room.
    assert field.scroll_area.height() < 5 * chip_height
    assert field.scroll_area.verticalScrollBar().isVisible()
    assert composer.body.height() > 80
    # Fewer recipients: the field shrinks back and shows them all.
    field.set_recipients(LONG[:2])
    _settle()
    assert not field.scroll_area.verticalScrollBar().isVisible()
    assert all(_seen_in(c, field).size() == c.size() for c in field._chips)
    assert _seen_in(edit, field).size() == edit.size()


def test_focus_brings_the_typing_line_back_into_view(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    composer = Composer(ui_session)
    qtbot.addWidget(styled(composer))  # the real style: its sizes are the app's
    composer.resize(640, 480)
    composer.show()
    field = composer.to_field
    field.set_recipients(LONG)
    _settle()
    composer.activateWindow()  # after the chips: the offscreen platform forgets it when they come
    qtbot.waitUntil(lambda: QApplication.activeWindow() is composer)
    composer.subject_edit.setFocus()
    bar = field.scroll_area.verticalScrollBar()
    bar.setValue(0)  # the user scrolled up to read the first chips
    _settle()
    assert _seen_in(field.line_edit, field).isEmpty()
    field.line_edit.setFocus()
    qtbot.waitUntil(field.line_edit.hasFocus)
    _settle()
    assert _seen_in(field.line_edit, field).size() == field.line_edit.size()
