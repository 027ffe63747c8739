"""One card of the settings dialog: an icon and a title over its fields, and the small pieces
every card writes the same way (a field's label, a field's row, a hint under it, a status line).

Labels wrap instead of widening their card: a card is never wider than the dialog's column (the
scroll area shows no horizontal scroll bar, so a wider card was cut off on the right). A check
box cannot wrap its text, so a long one is a check box with a wrapping label beside it.

The dialog (ui/desktop/settings_dialog.py) lays the cards out and saves on OK what each card's
`changes()` gives; a card owns its widgets, its checks and its background reads (`tasks.run` with
the card as owner), which `stop()` cancels when the dialog closes."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui import tasks, theme
from ui.plain import PlainLabel


class SettingsCard(QFrame):
    def __init__(self, icon: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsSection")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 16)
        self.body.setSpacing(8)
        header = QHBoxLayout()
        header.setSpacing(8)
        mark = PlainLabel()
        mark.setPixmap(theme.icon(icon).pixmap(QSize(20, 20)))
        caption = PlainLabel(title)
        caption.setObjectName("sectionTitle")
        caption.setWordWrap(True)  # a long title wraps instead of widening its column
        header.addWidget(mark)
        header.addWidget(caption, 1)
        self.body.addLayout(header)

    def changes(self) -> dict[str, object]:
        """The settings this card edits, as the form says them (saved by the dialog on OK)."""
        raise NotImplementedError

    def stop(self) -> None:
        """The dialog closes: reads still running for this card are cancelled."""
        for future in tasks.pending(self):
            future.cancel()


def field_label(text: str, buddy: QWidget) -> QLabel:
    label = PlainLabel(text)
    label.setObjectName("fieldLabel")
    label.setWordWrap(True)
    label.setBuddy(buddy)
    return label


def field_row(text: str, field: QWidget) -> QHBoxLayout:
    """A label and its field on one line, the field on the right: the label takes the room left
    and wraps when there is not enough."""
    row = QHBoxLayout()
    row.setSpacing(12)
    row.addWidget(field_label(text, field), 1)
    row.addWidget(field)
    return row


class _CheckText(PlainLabel):
    """The text of a check box, wrapping; a click on it toggles the box, as on a check box's own
    text."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self._check = check
        self.setWordWrap(True)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self._check.toggle()
            self._check.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


def check_row(text: str, check: QCheckBox) -> QHBoxLayout:
    """`check` with `text` beside it, wrapping (its accessible name is the text)."""
    check.setAccessibleName(text)
    row = QHBoxLayout()
    row.setSpacing(8)
    row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(_CheckText(text, check), 1)
    return row


def hint(text: str, error: bool = False) -> QLabel:
    label = PlainLabel(text)  # some say what came from outside (a file, a certificate)
    label.setObjectName("settingsHint")
    label.setWordWrap(True)
    label.setProperty("error", error)
    return label


def say(label: QLabel, text: str, error: bool = False) -> None:
    """Shows `text` in a status line, styled as an error or not."""
    label.setText(text)
    label.setProperty("error", error)
    label.style().polish(label)
    label.show()
