"""The conversation list's model: a lazy list of conversations (thread ids), rows read when
first drawn.

One row per conversation, as every mail client shows it: a mailbox lists a thread when any of its
messages is in it, by its newest message there (`app/store/conversations.py` groups in SQL, with
an index). The model holds thread ids only, fetched by pages of 200 as the view scrolls
(canFetchMore/fetchMore); rows are read from the cache when first drawn, a screenful at a time,
and kept in a bounded cache (the Anki browser's idea). Changes announced by the core (MailChanged)
update the rows in place: removed rows go, new ones are inserted where they belong, a conversation
with a new message moves up (no second row), the selection and the scroll position stay.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.events import MailChanged
from app.records import NO_FILTERS, Address, ConversationSummary, Filters, RecipientStatus, Sort
from app.session import AccountSession
from ui.mail.receipts import status_line
from ui.plain import plain_text, plain_tooltip

PAGE = 200  # ids per fetchMore
WINDOW = 60  # summaries read at once around a drawn row
CACHE_ROWS = 3_000  # summaries kept (a few screens; 100,000 rows must not stay in memory)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2


def people(addresses: list[Address]) -> str:
    return ", ".join(a.name or a.email for a in addresses)


class ConversationModel(QAbstractListModel):
    """Rows = conversations of a mailbox (sorted, filtered) or of the hits of a search."""

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
        self._rows: OrderedDict[str, ConversationSummary] = OrderedDict()
        # Issue 14 §2: per thread shown in Envoyés, where its newest message stands per recipient.
        self._delivery: dict[str, list[RecipientStatus]] = {}
        self.summary_reads = 0  # how many times rows were read (tests check laziness)

    # Query ---------------------------------------------------------------------------------------

    def set_query(
        self,
        mailbox_id: str,
        sort: Sort = Sort.DATE_DESC,
        filters: Filters = NO_FILTERS,
        show_recipients: bool = False,
    ) -> None:
        self.beginResetModel()
        self.mailbox_id, self.order, self.filters = mailbox_id, sort, filters
        self.show_recipients = show_recipients
        self.search_text = None
        self._rows.clear()
        self._total = self.session.count_conversations(mailbox_id, filters)
        self._ids = self.session.conversations(mailbox_id, sort, filters, 0, PAGE)
        self.endResetModel()

    def set_search(self, text: str) -> None:
        """The conversations of the local full-text index's hits, newest first (every mailbox;
        each row stands for its whole conversation)."""
        self.beginResetModel()
        self.search_text = text
        self.show_recipients = False
        self._rows.clear()
        self._ids = self.session.search_conversations(text, limit=500)
        self._total = len(self._ids)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    @property
    def scope(self) -> str | None:
        """Which messages of a conversation a row stands for: those of the mailbox, or all of
        them (None: a search spans every mailbox)."""
        return self.mailbox_id if self.search_text is None else None

    # Qt model -----------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self.search_text is None and len(self._ids) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        assert self.mailbox_id is not None  # canFetchMore: a mailbox is listed
        more = self.session.conversations(
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
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (SUMMARY_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return plain_text(summary.subject)
        if role == Qt.ItemDataRole.ToolTipRole:
            delivery = self.delivery(summary.thread_id)
            if delivery:  # the per-recipient detail of the compact status
                lines = [status_line(s, summary.to) for s in delivery]
                return plain_tooltip("\n".join([summary.subject, *lines]))
            return plain_tooltip(summary.subject) or None
        return summary

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Rows ---------------------------------------------------------------------------------------

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, thread_id: str) -> int:
        try:
            return self._ids.index(thread_id)
        except ValueError:
            return -1

    def ids(self) -> list[str]:
        return list(self._ids)

    def summary(self, row: int) -> ConversationSummary | None:
        thread_id = self._ids[row]
        found = self._rows.get(thread_id)
        if found is not None:
            self._rows.move_to_end(thread_id)
            return found
        # One read for the rows around this one: the view draws a screenful at a time.
        start = max(0, row - WINDOW // 4)
        wanted = [i for i in self._ids[start : start + WINDOW] if i not in self._rows]
        self.summary_reads += 1
        loaded = self.session.conversation_summaries(self.scope, wanted)
        for item in loaded:
            self._rows[item.thread_id] = item
        if self.show_recipients:
            statuses = self.session.delivery_of([item.id for item in loaded])
            for item in loaded:
                self._delivery[item.thread_id] = statuses.get(item.id, [])
        while len(self._rows) > CACHE_ROWS:
            self._delivery.pop(self._rows.popitem(last=False)[0], None)
        return self._rows.get(thread_id)

    def delivery(self, thread_id: str) -> list[RecipientStatus]:
        """Where the row's message I sent stands per recipient (empty outside Envoyés)."""
        return self._delivery.get(thread_id, [])

    def email_ids(self, thread_ids: list[str]) -> list[str]:
        """The messages these rows stand for: what an action on them applies to."""
        return self.session.conversation_email_ids(self.scope, thread_ids) if thread_ids else []

    def cached_rows(self) -> int:
        return len(self._rows)

    # Live updates -------------------------------------------------------------------------------

    def apply_change(self, change: MailChanged) -> None:
        """Brings the rows up to date with the cache without a reset. Any row may have changed
        (a removed message does not say its conversation): the rows read are forgotten, and
        those on screen read again when drawn, one query."""
        self._rows.clear()
        self._delivery.clear()
        if self.search_text is not None:
            # The hits stay those of the search; a conversation left with no message goes.
            new_ids = [t.thread_id for t in self.session.conversation_summaries(None, self._ids)]
            self._total = len(new_ids)
        elif self.mailbox_id is not None:
            self._total = self.session.count_conversations(self.mailbox_id, self.filters)
            limit = max(len(self._ids), PAGE)
            new_ids = self.session.conversations(
                self.mailbox_id, self.order, self.filters, 0, limit
            )
        else:
            return
        self._move_to(new_ids)
        if self._ids:
            self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1))

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
        for wanted, thread_id in enumerate(new_ids):  # insertions where they belong
            if thread_id not in known:
                position = min(wanted, len(self._ids))
                self.beginInsertRows(QModelIndex(), position, position)
                self._ids.insert(position, thread_id)
                self.endInsertRows()
        if self._ids != new_ids:  # the kept rows changed order (a reply moved its conversation up)
            self.layoutAboutToBeChanged.emit()
            old = self.persistentIndexList()
            place = {thread_id: r for r, thread_id in enumerate(new_ids)}
            moved = [self._ids[i.row()] for i in old]
            self._ids = list(new_ids)
            self.changePersistentIndexList(old, [self.index(place[e]) for e in moved])
            self.layoutChanged.emit()
