"""The widget habit every part of Mes patients shares: a hint line that says a state or an error
(hidden when empty; may quote the server, so it is a PlainLabel). Their lists of painted cards are
`ui.card_delegate.CardList`, as on every regional page."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui import theme
from ui.plain import PlainLabel


def hint_label(name: str = "hint") -> PlainLabel:
    """A wrapped hint line, hidden until it says something."""
    label = PlainLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def say(label: QLabel, text: str, error: bool = False) -> None:
    """Shows `text` (hides the label when empty), styled as an error or not."""
    label.setText(text)
    label.setVisible(bool(text))
    theme.restyle(label, error=error)
