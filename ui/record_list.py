"""A short list of records kept whole (a page of the regional API: a practice's patients,
teleconsultations, téléexpertises; a care team), painted by a delegate. Long lists (the mail,
the directory) page lazily instead: ui/mail/conversations.py, ui/directory/model.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.plain import plain_text, plain_tooltip

T = TypeVar("T")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the record itself, for delegates and views

_Index = QModelIndex | QPersistentModelIndex


class RecordList(QAbstractListModel, Generic[T]):
    """`text` is what screen readers and keyboard search read; `tooltip` what hovering shows
    (both may hold outside text: they are served as plain text)."""

    def __init__(
        self,
        text: Callable[[T], str],
        tooltip: Callable[[T], str | None] = lambda _record: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._tooltip = tooltip
        self._rows: list[T] = []

    def set_rows(self, rows: list[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def item(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int:
        """The row of the record with this `id`; -1 when it is not listed."""
        return next(
            (i for i, r in enumerate(self._rows) if getattr(r, "id", None) == record_id), -1
        )

    def replace(self, record: T) -> None:
        """The listed record with the same `id` takes this one's place (repainted)."""
        row = self.row_of(getattr(record, "id", ""))
        if row >= 0:
            self._rows[row] = record
            self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.item(index.row()) if index.isValid() else None
        if record is None:
            return None
        if role == RECORD_ROLE:
            return record
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return plain_text(self._text(record))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(record)) or None
        return None
