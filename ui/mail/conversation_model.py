"""The conversation list's model: a lazy list of email ids, rows read when first drawn.

The model holds ids only, fetched by pages of 200 as the view scrolls (canFetchMore/fetchMore);
rows are read from the cache when first drawn, a screenful at a time, and kept in a bounded cache
(the Anki browser's idea). Changes announced by the core (MailChanged) update the rows in place:
removed rows go, new ones are inserted where they belong, the others keep their place, the
selection and the scroll position.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.events import MailChanged
from app.records import NO_FILTERS, Address, EmailSummary, Filters, Sort
from app.session import AccountSession
from ui.plain import plain_text, plain_tooltip

PAGE = 200  # ids per fetchMore
WINDOW = 60  # summaries read at once around a drawn row
CACHE_ROWS = 3_000  # summaries kept (a few screens; 100,000 rows must not stay in memory)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2


def people(addresses: list[Address]) -> str:
    return ", ".join(a.name or a.email for a in addresses)


class ConversationModel(QAbstractListModel):
    """Rows = emails of a mailbox (sorted, filtered) or the hits of a search."""

    def __init__(self, session: AccountSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.mailbox_id: str | None = None
        self.order = Sort.DATE_DESC
        self.filters: Filters = NO_FILTERS
        self.search_text: str | None = None
        self.show_recipients = False  # sent and drafts list who it went to
        self._ids: list[str] = []
        self._total = 0
        self._rows: OrderedDict[str, EmailSummary] = OrderedDict()
        self.summary_reads = 0  # how many times rows were read (tests check laziness)

    # Query ---------------------------------------------------------------------------------------

    def set_query(
        self,
        mailbox_id: str | None,
        sort: Sort = Sort.DATE_DESC,
        filters: Filters = NO_FILTERS,
        show_recipients: bool = False,
    ) -> None:
        self.beginResetModel()
        self.mailbox_id, self.order, self.filters = mailbox_id, sort, filters
        self.show_recipients = show_recipients
        self.search_text = None
        self._rows.clear()
        self._total = self.session.count(mailbox_id, filters)
        self._ids = self.session.list_ids(mailbox_id, sort, filters, 0, PAGE)
        self.endResetModel()

    def set_search(self, text: str) -> None:
        """The hits of the local full-text index, newest first (every mailbox)."""
        self.beginResetModel()
        self.search_text = text
        self.show_recipients = False
        self._rows.clear()
        self._ids = self.session.search(text, limit=500)
        self._total = len(self._ids)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    # Qt model -----------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self.search_text is None and len(self._ids) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        more = self.session.list_ids(
            self.mailbox_id, self.order, self.filters, len(self._ids), PAGE
        )
        known = set(self._ids)
        more = [i for i in more if i not in known]
        if not more:
            self._total = len(self._ids)  # the list shrank meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(more) - 1)
        self._ids.extend(more)
        self.endInsertRows()

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        email_id = self._ids[index.row()]
        if role == ID_ROLE:
            return email_id
        if role not in (SUMMARY_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return plain_text(summary.subject)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(summary.subject) or None
        return summary

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Rows ---------------------------------------------------------------------------------------

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, email_id: str) -> int:
        try:
            return self._ids.index(email_id)
        except ValueError:
            return -1

    def ids(self) -> list[str]:
        return list(self._ids)

    def summary(self, row: int) -> EmailSummary | None:
        email_id = self._ids[row]
        found = self._rows.get(email_id)
        if found is not None:
            self._rows.move_to_end(email_id)
            return found
        # One read for the rows around this one: the view draws a screenful at a time.
        start = max(0, row - WINDOW // 4)
        wanted = [i for i in self._ids[start : start + WINDOW] if i not in self._rows]
        self.summary_reads += 1
        for item in self.session.summaries(wanted):
            self._rows[item.id] = item
        while len(self._rows) > CACHE_ROWS:
            self._rows.popitem(last=False)
        return self._rows.get(email_id)

    def cached_rows(self) -> int:
        return len(self._rows)

    # Live updates -------------------------------------------------------------------------------

    def apply_change(self, change: MailChanged) -> None:
        """Brings the rows up to date with the cache without a reset."""
        for email_id in change.email_ids | change.removed_email_ids:
            self._rows.pop(email_id, None)
        if self.search_text is not None:
            gone = change.removed_email_ids
            new_ids = [i for i in self._ids if i not in gone]
        else:
            self._total = self.session.count(self.mailbox_id, self.filters)
            limit = max(len(self._ids), PAGE)
            new_ids = self.session.list_ids(self.mailbox_id, self.order, self.filters, 0, limit)
        self._move_to(new_ids)
        changed = change.email_ids
        if changed:
            rows = [r for r, i in enumerate(self._ids) if i in changed]
            if rows:
                self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    def _move_to(self, new_ids: list[str]) -> None:
        if new_ids == self._ids:
            return
        keep = set(new_ids)
        row = len(self._ids) - 1
        while row >= 0:  # removals, by contiguous blocks from the end
            if self._ids[row] in keep:
                row -= 1
                continue
            last = row
            while row - 1 >= 0 and self._ids[row - 1] not in keep:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row, last)
            del self._ids[row : last + 1]
            self.endRemoveRows()
            row -= 1
        known = set(self._ids)
        for wanted, email_id in enumerate(new_ids):  # insertions where they belong
            if email_id not in known:
                position = min(wanted, len(self._ids))
                self.beginInsertRows(QModelIndex(), position, position)
                self._ids.insert(position, email_id)
                self.endInsertRows()
        if self._ids != new_ids:  # the kept rows changed order (a sort by subject…)
            self.layoutAboutToBeChanged.emit()
            old = self.persistentIndexList()
            place = {email_id: r for r, email_id in enumerate(new_ids)}
            moved = [self._ids[i.row()] for i in old]
            self._ids = list(new_ids)
            self.changePersistentIndexList(old, [self.index(place[e]) for e in moved])
            self.layoutChanged.emit()
