"""Text from servers and other users, shown as plain text only.

Qt guesses: a QLabel, a QMessageBox or a tooltip whose text merely looks like markup is rendered
as rich text, so `<img src="/dev/zero">` in a subject makes Qt read that file and
`<img src="//host/share/x">` opens an SMB connection on Windows. Widgets that show outside text
are built here, with the format fixed to plain text, and bidirectional controls removed
(app/text.py) so that what is shown is what is stored. Where markup must be mixed with such
text (a link around a patient's name), the text goes through `escape` first.
"""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app.text import strip_bidi

__all__ = ["PlainLabel", "escape", "plain_message_box", "plain_text", "plain_tooltip"]


def plain_text(text: str | None) -> str:
    """Outside text ready for a plain-text widget: no bidirectional controls."""
    return strip_bidi(text or "")


def escape(text: str | None) -> str:
    """Outside text ready to sit inside markup we wrote ourselves."""
    return html.escape(plain_text(text), quote=True)


def plain_tooltip(text: str | None) -> str:
    """A tooltip string that Qt shows as the very characters of `text` (tooltips have no format
    setting: they guess rich text, so the text is converted to escaped markup). Empty stays
    empty (no tooltip)."""
    text = plain_text(text)
    if not text:
        return ""
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


class PlainLabel(QLabel):
    """A QLabel that never renders rich text, whatever `setText` is given."""

    def __init__(self, text: str | None = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text or "")

    def setText(self, text: str | None) -> None:
        super().setText(plain_text(text))


def plain_message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
) -> QMessageBox:
    """A QMessageBox whose text and informative text are plain (both may quote a server)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(plain_text(text))
    if informative:
        box.setInformativeText(plain_text(informative))
        # The informative label has no format setting of its own; its QLabel is told directly.
        label = box.findChild(QLabel, "qt_msgbox_informativelabel")
        if label is not None:
            label.setTextFormat(Qt.TextFormat.PlainText)
    return box
