"""Text from servers and other users, shown as plain text only.

Qt guesses: a QLabel, a QMessageBox or a tooltip whose text merely looks like markup is rendered
as rich text, so `<img src="/dev/zero">` in a subject makes Qt read that file and
`<img src="//host/share/x">` opens an SMB connection on Windows. Widgets that show outside text
are built here, with the format fixed to plain text, and bidirectional controls removed
(app/text.py) so that what is shown is what is stored. Where markup must be mixed with such
text (a link around a patient's name), the markup is ours and the text goes through `escape`
(`RichLabel.set_markup`). tests/ui/test_plain_source.py keeps ui/ to these rules: no bare QLabel,
no QMessageBox, no tooltip built from outside text except through this module.
"""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMessageBox, QWidget

from app.about import window_title
from app.text import strip_bidi, strip_invisible

__all__ = [
    "PlainLabel",
    "RichLabel",
    "VisibleOnly",
    "escape",
    "notification_text",
    "paint_text",
    "plain_caption",
    "plain_message_box",
    "plain_text",
    "plain_tooltip",
    "wrappable",
]

# A word-wrapped label asks for no more width than this, whatever the longest word of its text:
# one 400-character word from outside must not widen a whole window or pane past the screen.
WRAPPED_MIN_WIDTH = 200
# A QLabel wraps at spaces only (no QTextOption wrap mode reaches it): a longer word than the line
# would be cut at the label's edge. A word this long is shown with a zero-width space after each
# character, so that it wraps anywhere, as mail clients wrap such a subject; ordinary words and
# addresses (shorter) are shown as they are. Those break points are for the eye only: what the user
# copies from the label (Ctrl+C, its menu's "Copier", the X11 selection) and what a screen reader
# reads is the text without them (`_Label`).
LONG_WORD = 30
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD},}}")
_ZERO_WIDTH_SPACE = "\u200b"
# What a freedesktop notification server (and a StatusNotifierItem tooltip) reads as markup,
# replaced by look-alikes: Windows and macOS show the text as is, where entities would show raw.
_NOTIFICATION_MARKUP = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})


def plain_text(text: str | None) -> str:
    """Outside text ready for a plain-text widget: no bidirectional controls."""
    return strip_bidi(text or "")


def escape(text: str | None) -> str:
    """Outside text ready to sit inside markup we wrote ourselves."""
    return html.escape(plain_text(text), quote=True)


def wrappable(text: str) -> str:
    """`text` as a wrapped label shows it: every word of LONG_WORD characters or more may break
    after any of its characters (a zero-width space, which takes no room)."""
    return _LONG_WORD.sub(lambda word: _ZERO_WIDTH_SPACE.join(word.group(0)), text)


def plain_tooltip(text: str | None) -> str:
    """A tooltip string that Qt shows as the very characters of `text`. Tooltips have no format
    setting: Qt renders them as rich text when `Qt.mightBeRichText` says so, and only then is the
    text converted to escaped markup (the rest stays as is, for screen readers). Empty stays
    empty (no tooltip)."""
    text = plain_text(text)
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def plain_caption(text: str | None) -> str:
    """Outside text on a button, a tab or a menu entry (always plain): no bidirectional controls,
    and "&" doubled, so that "Dupont & Fils" is not read as a shortcut marker."""
    return plain_text(text).replace("&", "&&")


def notification_text(text: str | None) -> str:
    """Outside text for a desktop notification. On Linux Qt hands it to the freedesktop
    notification server, which reads the body as markup (`<img src=…>` included) and shows it in
    the tray icon's tooltip as markup too; the same text is shown as is on Windows and macOS. So
    the three markup characters become look-alikes (‹ › ＆) rather than entities."""
    return plain_text(text).translate(_NOTIFICATION_MARKUP)


def paint_text(
    painter: QPainter,
    rect: QRect,
    text: str | None,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
) -> str:
    """Outside text painted on one line of `rect` (a delegate's row): no bidirectional controls,
    line breaks as spaces, elided to the width. Returns what was painted. (QPainter.drawText
    never reads markup.)"""
    line = " ".join(plain_text(text).splitlines())
    shown = painter.fontMetrics().elidedText(line, elide, max(0, rect.width()))
    painter.drawText(rect, align, shown)
    return shown


class _Label(QLabel):
    """What both labels share: word-wrapped, they ask for at most WRAPPED_MIN_WIDTH; the break
    points they show (`wrappable`) never leave them.

    Qt's label copies its selection from what it shows, in a text control of its own that no
    public API reaches: a selected 44-character address would be copied with 43 invisible
    characters, and an address pasted so does not work. Not inserting them in selectable labels
    would cut a long word at the label's edge (a QLabel wraps at spaces only), and eliding it
    would copy the "…". So the label puts right, just after Qt, what Qt has just copied from it:
    after a key (Ctrl+C), its context menu ("Copier") and a mouse release (the X11 selection),
    clipboard text that is its selection is replaced by that selection without break points.
    Screen readers are given the text as well (`accessibleName`), not a character at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reader_name: str | None = None  # the accessible name we gave, if any

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self.wordWrap():
            hint.setWidth(min(hint.width(), WRAPPED_MIN_WIDTH))
        return hint

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        super().keyPressEvent(event)
        self._copied_without_breaks()

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:
        super().contextMenuEvent(event)
        # Qt's label pops its menu up and returns: its actions are chosen later. Connected after
        # Qt's own (an action's "Copier"), the check runs after the copy.
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            for action in menu.actions():
                action.triggered.connect(self._copied_without_breaks)

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self._copied_without_breaks()

    def _copied_without_breaks(self, *_chosen: object) -> None:
        # selectedText() ends paragraphs with U+2029 where the clipboard has "\n".
        selected = self.selectedText().replace("\u2029", "\n")
        if _ZERO_WIDTH_SPACE not in selected:
            return
        clipboard = QtGui.QGuiApplication.clipboard()
        for mode in (QtGui.QClipboard.Mode.Clipboard, QtGui.QClipboard.Mode.Selection):
            if clipboard.text(mode) == selected:
                clipboard.setText(selected.replace(_ZERO_WIDTH_SPACE, ""), mode)

    def _name_for_readers(self, shown: str, text: str) -> None:
        """The accessible name is `text` while break points are shown, Qt's own (what is shown)
        otherwise; a name given by the caller is kept."""
        ours = self.accessibleName() in ("", self._reader_name)
        self._reader_name = None if shown == text else text
        if ours:
            self.setAccessibleName(self._reader_name or "")


class PlainLabel(_Label):
    """A QLabel that never renders rich text, whatever `setText` is given. Word-wrapped, it wraps
    a word longer than its line anywhere (`wrappable`, in what is shown: `text` is the text)."""

    def __init__(self, text: str | None = "", parent: QWidget | None = None) -> None:
        self._text = ""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text or "")

    def text(self) -> str:
        return self._text

    def setText(self, text: str | None) -> None:
        self._text = plain_text(text)
        self._show()

    def clear(self) -> None:
        """Empty, `text` included: QLabel's own would leave the text kept here to come back."""
        self.setText("")

    def setWordWrap(self, on: bool) -> None:
        super().setWordWrap(on)
        self._show()

    def _show(self) -> None:
        shown = wrappable(self._text) if self.wordWrap() else self._text
        QLabel.setText(self, shown)
        self._name_for_readers(shown, self._text)


class ElidedLabel(PlainLabel):
    """One line of plain text that never widens its window: it asks for its whole width, takes
    what the layout gives, and is shortened with "…" only when that is too narrow — at the end,
    or before the extension of a file name ("compte-rendu-….pdf") — the whole text then in its
    tooltip (a file name's always)."""

    def __init__(
        self, text: str | None = "", file_name: bool = False, parent: QWidget | None = None
    ) -> None:
        self._full = ""
        self._file_name = file_name
        super().__init__(text, parent)

    def text(self) -> str:
        """The whole text, as given (what is painted may be shortened: `shown_text`)."""
        return self._full

    def shown_text(self) -> str:
        return QLabel.text(self)

    def setText(self, text: str | None) -> None:
        self._full = plain_text(text)
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width + 2 * self.margin(), hint.height())

    def minimumSizeHint(self) -> QSize:
        """Nothing for a line of text (a state that appears asks no room of the window); "…"
        and the extension for a file name (its type stays readable)."""
        height = super().minimumSizeHint().height()
        if not self._file_name:
            return QSize(0, height)
        width = self.fontMetrics().horizontalAdvance("…" + self._extension())
        return QSize(min(width, self.sizeHint().width()), height)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _extension(self) -> str:
        stem, dot, extension = self._full.rpartition(".")
        return dot + extension if stem and dot and 0 < len(extension) <= 5 else ""

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        width = self.contentsRect().width() - 2 * self.margin()
        shown = self._full
        if metrics.horizontalAdvance(shown) > width:
            kept = self._extension() if self._file_name else ""
            room = max(0, width - metrics.horizontalAdvance(kept))
            stem = self._full[: len(self._full) - len(kept)]
            # Nothing at all when not even "…" fits: the ellipsis then, and the extension.
            shown = (metrics.elidedText(stem, Qt.TextElideMode.ElideRight, room) or "…") + kept
        QLabel.setText(self, shown)
        whole = shown != self._full or self._file_name  # a file's real name: always at hand
        self.setToolTip(plain_tooltip(self._full) if whole else "")


class RichLabel(_Label):
    """A label that mixes our markup (bold, a link) with outside text: `set_markup` takes a
    template of ours and escapes every value put into it (wrappable anywhere when the label is
    word-wrapped: set that first); `setText` shows its text as characters (escaped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)

    def set_markup(self, template: str, **values: Any) -> None:
        """`template` (our constant text, with `{name}` fields) filled with escaped `values`."""
        shown = wrappable if self.wordWrap() else str
        markup = template.format(**{k: escape(shown(str(v))) for k, v in values.items()})
        super().setText(markup)
        if _ZERO_WIDTH_SPACE not in markup:  # nothing to take out: Qt's own name
            self._name_for_readers("", "")
            return
        document = QtGui.QTextDocument()
        document.setHtml(markup)
        read = document.toPlainText()
        self._name_for_readers(read, read.replace(_ZERO_WIDTH_SPACE, ""))

    def setText(self, text: str | None) -> None:
        super().setText(escape(text))
        self._name_for_readers("", "")


class VisibleOnly(QtGui.QValidator):
    """A line edit's text without invisible characters (`strip_invisible`), however they come:
    typed, pasted from another program or a label's break points, dropped. Text the user cannot
    see is text they cannot check, and no address holds any."""

    def validate(self, text: str, pos: int) -> tuple[QtGui.QValidator.State, str, int]:
        return (
            QtGui.QValidator.State.Acceptable,
            strip_invisible(text),
            len(strip_invisible(text[:pos])),
        )


def plain_message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox:
    """A QMessageBox whose text and informative text are plain (both may quote a server).
    Without `buttons`, the caller adds its own (`addButton`), or Qt shows OK."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(window_title(plain_text(title)))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(plain_text(text))
    if buttons != QMessageBox.StandardButton.NoButton:
        box.setStandardButtons(buttons)
    if informative:
        box.setInformativeText(plain_text(informative))
        # The informative label has no format setting of its own; its QLabel is told directly.
        label = box.findChild(QLabel, "qt_msgbox_informativelabel")
        if label is not None:
            label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def plain_question(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes or No, No by default, the question plain (it may name someone from the server)."""
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Question,
        title,
        text,
        buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    try:
        return box.exec() == QMessageBox.StandardButton.Yes
    finally:
        box.deleteLater()
