"""The two widget habits every part of Mes patients shares: a list of painted cards (uniform rows,
no frame, pixel scrolling) and a hint line that says a state or an error (hidden when empty; may
quote the server, so it is a PlainLabel)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QListView, QStyledItemDelegate

from ui import theme
from ui.plain import PlainLabel


def card_list(model: QAbstractListModel, delegate: QStyledItemDelegate, name: str) -> QListView:
    view = QListView()
    view.setObjectName(name)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.setUniformItemSizes(True)
    view.setMouseTracking(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFrameShape(QFrame.Shape.NoFrame)
    return view


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
