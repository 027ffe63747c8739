"""A titled card holding a list and the sentence shown instead when the list is empty: the
sections of the teleconsultations and téléexpertise pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.plain import PlainLabel


def list_card(heading: str, view: QWidget, empty: QLabel) -> QFrame:
    """The card (object name "listCard", styled by the pages' style sheets); `empty` starts hidden:
    the page shows it in place of `view` when there is nothing to list."""
    card = QFrame()
    card.setObjectName("listCard")
    box = QVBoxLayout(card)
    box.setContentsMargins(0, 8, 0, 0)
    box.setSpacing(0)
    title = PlainLabel(heading)
    title.setObjectName("sectionTitle")
    empty.setObjectName("emptyState")
    empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    empty.setVisible(False)
    box.addWidget(title)
    box.addWidget(view, 1)
    box.addWidget(empty, 1)
    return card
