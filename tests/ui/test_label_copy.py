"""What leaves a label is its text, never the break points it shows (issue 12): a long address
selected in the reader and copied (Ctrl+C, the context menu's "Copier") reaches the clipboard as
the address, and screen readers read the address, not a character at a time."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAccessible, QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.ui.test_composer_recipients import POPUP_OFFSCREEN
from ui.plain import PlainLabel, RichLabel

ADDRESS = "thierry.da-silva@ch-villefontaine.mssante.fr"  # 44 characters: shown with breaks
SHOWN = 2 * len(ADDRESS) - 1  # a break point between each two characters


def selected_address(qtbot: QtBot) -> PlainLabel:
    """The reader's way: a wrapped label selectable by mouse, narrower than the address, all of
    it selected; the clipboard empty."""
    label = PlainLabel(ADDRESS)
    qtbot.addWidget(label)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setFixedWidth(120)
    label.show()
    qtbot.waitExposed(label)
    label.setSelection(0, SHOWN)
    assert "\u200b" in label.selectedText()  # what Qt would copy
    QGuiApplication.clipboard().clear()
    return label


def test_ctrl_c_copies_the_address_without_break_points(qtbot: QtBot) -> None:
    label = selected_address(qtbot)
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == ADDRESS


@POPUP_OFFSCREEN  # the context menu is a popup
def test_the_context_menus_copy_copies_the_address(qtbot: QtBot) -> None:
    label = selected_address(qtbot)
    chosen: list[str] = []

    def copy_from_menu() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        copy = next(a for a in menu.actions() if "copy" in a.objectName().casefold())
        chosen.append(copy.objectName())
        copy.trigger()
        menu.close()

    QTimer.singleShot(0, copy_from_menu)
    point = QPoint(5, 5)
    QApplication.sendEvent(
        label, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, label.mapToGlobal(point))
    )
    qtbot.waitUntil(lambda: bool(chosen))  # Qt's label shows its menu without waiting for it
    assert QGuiApplication.clipboard().text() == ADDRESS


def test_screen_readers_read_the_address(qtbot: QtBot) -> None:
    label = selected_address(qtbot)
    interface = QAccessible.queryAccessibleInterface(label)
    assert interface is not None
    assert interface.text(QAccessible.Text.Name) == ADDRESS
    label.setText("court")  # no break points: Qt's own name again
    assert label.accessibleName() == ""
    assert interface.text(QAccessible.Text.Name) == "court"


def test_a_name_given_by_the_caller_is_kept(qtbot: QtBot) -> None:
    label = PlainLabel()
    qtbot.addWidget(label)
    label.setWordWrap(True)
    label.setAccessibleName("Adresse de l'expéditeur")
    label.setText(ADDRESS)
    assert label.accessibleName() == "Adresse de l'expéditeur"


def test_a_rich_labels_readers_read_its_values_without_break_points(qtbot: QtBot) -> None:
    label = RichLabel()
    qtbot.addWidget(label)
    label.setWordWrap(True)
    label.set_markup("<b>{who}</b> a écrit", who=ADDRESS)
    interface = QAccessible.queryAccessibleInterface(label)
    assert interface is not None
    assert interface.text(QAccessible.Text.Name) == f"{ADDRESS} a écrit"
