"""Outside text in labels, tooltips and message boxes is shown as the very characters sent."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from ui.plain import (
    WRAPPED_MIN_WIDTH,
    PlainLabel,
    RichLabel,
    escape,
    notification_text,
    paint_text,
    plain_caption,
    plain_message_box,
    plain_tooltip,
)

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


def test_tooltip_without_markup_stays_as_written(qtbot: QtBot) -> None:
    """Only what Qt would read as rich text is converted: screen readers get plain sentences."""
    assert plain_tooltip("Dupont & Fils — 3 < 4") == "Dupont & Fils — 3 < 4"
    assert plain_tooltip("Dr \u202eHélène") == "Dr Hélène"


def test_rich_label_escapes_every_value_and_keeps_our_markup(qtbot: QtBot) -> None:
    label = RichLabel()
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.RichText
    label.set_markup("Patient : <b>{name}</b>{rest}", name=HOSTILE, rest=" & <i>né</i>")
    document = QTextDocument()
    document.setHtml(label.text())
    assert document.toPlainText() == f"Patient : {SHOWN} & <i>né</i>"
    assert "<img" not in label.text()
    label.setText(HOSTILE)
    document.setHtml(label.text())
    assert document.toPlainText() == SHOWN


def test_caption_shows_an_ampersand_instead_of_a_shortcut() -> None:
    assert plain_caption("Dupont & Fils\u202e") == "Dupont && Fils"


def test_notification_text_has_nothing_a_notification_server_reads_as_markup() -> None:
    text = notification_text(HOSTILE + " & co")
    assert not set(text) & {"<", ">", "&", "\u202e"}
    assert text == '\u2039img src="/dev/zero"\u203a\u2039b\u203aDr\u2039/b\u203a exe.jpg \uff06 co'


def test_painted_text_is_one_line_without_bidi_controls_and_fits(qtbot: QtBot) -> None:
    image = QImage(200, 40, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        shown = paint_text(painter, QRect(0, 0, 120, 20), "ligne\n" + HOSTILE * 5)
        assert "\u202e" not in shown
        assert "\n" not in shown
        assert shown.endswith("…")
        assert painter.fontMetrics().horizontalAdvance(shown) <= 120
    finally:
        painter.end()


def test_message_box_with_standard_buttons(qtbot: QtBot) -> None:
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = plain_message_box(
        None, QMessageBox.Icon.Question, "\u202eTitre", HOSTILE, buttons=yes | no
    )
    qtbot.addWidget(box)
    assert box.standardButtons() == yes | no
    assert box.windowTitle() == "Titre — MonSisra bureau"


def test_a_long_word_from_outside_does_not_widen_its_window(qtbot: QtBot) -> None:
    """Qt wraps at word boundaries only: a 400-character word would set the label's minimum
    width, and so its pane's and window's. A wrapped label asks for WRAPPED_MIN_WIDTH at most."""
    label = PlainLabel("Objet " + "x" * 400)
    qtbot.addWidget(label)
    label.setWordWrap(True)
    assert label.minimumSizeHint().width() <= WRAPPED_MIN_WIDTH
    label.setWordWrap(False)  # a one-line label keeps its whole text's width
    assert label.minimumSizeHint().width() > WRAPPED_MIN_WIDTH
    rich = RichLabel()
    qtbot.addWidget(rich)
    rich.setWordWrap(True)
    rich.set_markup("<b>{name}</b>", name="y" * 400)
    assert rich.minimumSizeHint().width() <= WRAPPED_MIN_WIDTH


def test_a_cleared_label_stays_empty_for_its_readers_and_when_it_wraps_again(
    qtbot: QtBot,
) -> None:
    label = PlainLabel("Quota : 3 téléexpertises restantes")
    qtbot.addWidget(label)
    label.clear()
    assert label.text() == ""
    label.setWordWrap(True)  # shows its text again: none
    assert QLabel.text(label) == ""
    assert label.accessibleName() == ""
