"""Outside text in labels, tooltips and message boxes is shown as the very characters sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from ui.plain import PlainLabel, escape, plain_message_box, plain_tooltip

HOSTILE = '<img src="/dev/zero"><b>Dr</b> \u202eexe.jpg'
SHOWN = '<img src="/dev/zero"><b>Dr</b> exe.jpg'


def test_plain_label_keeps_markup_as_characters(qtbot: QtBot) -> None:
    label = PlainLabel(HOSTILE)
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == SHOWN
    label.setText("<i>autre</i>")
    assert label.text() == "<i>autre</i>"


def test_tooltip_renders_to_the_characters_sent(qtbot: QtBot) -> None:
    tip = plain_tooltip(HOSTILE)
    document = QTextDocument()
    document.setHtml(tip)
    assert document.toPlainText() == SHOWN
    assert plain_tooltip("") == ""


def test_escaped_text_inside_our_markup_shows_as_characters() -> None:
    document = QTextDocument()
    document.setHtml(f"<b>{escape(HOSTILE)}</b>")
    assert document.toPlainText() == SHOWN


def test_message_box_labels_are_plain(qtbot: QtBot) -> None:
    box = plain_message_box(None, QMessageBox.Icon.Warning, "Titre", HOSTILE, HOSTILE)
    qtbot.addWidget(box)
    texts = {
        label.objectName(): label
        for label in box.findChildren(QLabel)
        if label.objectName() in ("qt_msgbox_label", "qt_msgbox_informativelabel")
    }
    assert len(texts) == 2
    for label in texts.values():
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.text() == SHOWN
