"""A list of correspondents (results, favorites, recents): the cards' list (ui/card_delegate.py)
painted by the directory's delegate, no widget per row, but several rows selectable for a
message to many."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QWidget

from app.records import Correspondent
from ui.card_delegate import CardList
from ui.directory.model import CorrespondentDelegate, CorrespondentModel, CorrespondentRole


class CorrespondentList(CardList[Correspondent]):
    delegate: CorrespondentDelegate

    def __init__(self, model: CorrespondentModel, parent: QWidget | None = None) -> None:
        super().__init__(model, CorrespondentDelegate(), "directoryList", parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def correspondents(self) -> list[Correspondent]:
        """The selected correspondents, in the list's order."""
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        found = [self.model().index(r, 0).data(CorrespondentRole) for r in rows]
        return [c for c in found if isinstance(c, Correspondent)]


__all__ = ["CorrespondentList"]
