"""A list of correspondents (results, favorites, recents): uniform rows painted by the
directory's delegate, no widget per row, several rows selectable for a message to many."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QWidget

from app.records import Correspondent
from ui.directory.model import CorrespondentDelegate, CorrespondentModel, CorrespondentRole


class CorrespondentList(QListView):
    def __init__(self, model: CorrespondentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directoryList")
        self.setModel(model)
        self.delegate = CorrespondentDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def correspondents(self) -> list[Correspondent]:
        """The selected correspondents, in the list's order."""
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        found = [self.model().index(r, 0).data(CorrespondentRole) for r in rows]
        return [c for c in found if isinstance(c, Correspondent)]


__all__ = ["CorrespondentList"]
