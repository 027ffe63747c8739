"""The cards and tabs of the regional pages, built once: a titled card holding a list and the
sentence shown instead when the list is empty (the sections of the teleconsultations and
téléexpertise pages), and the segmented tabs that show one part of a card at a time (Mes
patients: the file active or the regional directory; a patient's care team or access journal)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

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


class Segments(QButtonGroup):
    """Segmented tabs (object name "segment", styled by the pages' style sheets), one checked at a
    time, the first at the start: `row` lays them out (16 px margins, packed to the left), `tabs`
    are the buttons in the order of `labels`, `idClicked` gives the clicked one's position."""

    def __init__(self, labels: Sequence[str], parent: QObject) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(16, 0, 16, 0)
        self.row.setSpacing(0)
        self.tabs: list[QPushButton] = []
        for number, label in enumerate(labels):
            button = QPushButton(label)
            button.setObjectName("segment")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.addButton(button, number)
            self.row.addWidget(button)
            self.tabs.append(button)
        self.row.addStretch(1)
        self.tabs[0].setChecked(True)
