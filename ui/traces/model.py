"""The traces' table, lazy (the Anki browser's idea, as ui/mail/conversation_model.py): the model
holds the matching ids, newest first, and reads the rows of a page when one of them is drawn,
keeping a bounded number of rows. Every text shown came from a message or a server: plain text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.records import Trace, TraceAction, TraceFilter
from app.session import AccountSession
from ui.plain import plain_tooltip

PAGE = 200  # rows read together
KEPT = 2000  # rows kept at most

_Index = QModelIndex | QPersistentModelIndex

ACTION_WORDS: dict[TraceAction, str] = {
    TraceAction.SENT: "Envoyé",
    TraceAction.RECEIVED: "Reçu",
    TraceAction.READ: "Lu",
    TraceAction.UNREAD: "Marqué non lu",
    TraceAction.MOVED: "Déplacé",
    TraceAction.DELETED: "Supprimé",
    TraceAction.RECEIPT_SENT: "Accusé de lecture envoyé",
}
# For lupdate: the words above, in the "TracesModel" context.
_FOR_LUPDATE = (
    QCoreApplication.translate("TracesModel", "Envoyé"),
    QCoreApplication.translate("TracesModel", "Reçu"),
    QCoreApplication.translate("TracesModel", "Lu"),
    QCoreApplication.translate("TracesModel", "Marqué non lu"),
    QCoreApplication.translate("TracesModel", "Déplacé"),
    QCoreApplication.translate("TracesModel", "Supprimé"),
    QCoreApplication.translate("TracesModel", "Accusé de lecture envoyé"),
)


def action_text(action: TraceAction) -> str:
    return QCoreApplication.translate("TracesModel", ACTION_WORDS[action])


def when_text(trace: Trace) -> str:
    """'24/11/2026 14:05', local time."""
    return f"{trace.at.astimezone():%d/%m/%Y %H:%M}"


class TracesModel(QAbstractTableModel):
    # The subject and the other side first: what the user looks for; who acted and where last.
    DATE, ACTION, SUBJECT, CORRESPONDENTS, WHO, MAILBOXES = range(6)

    def __init__(self, session: AccountSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filters = TraceFilter()
        self._ids: list[int] = []
        self._rows: dict[int, Trace] = {}

    def headers(self) -> list[str]:
        return [
            self.tr("Date"),
            self.tr("Action"),
            self.tr("Objet"),
            self.tr("Correspondants"),
            self.tr("Par"),
            self.tr("Dossiers"),
        ]

    def load(self, filters: TraceFilter) -> None:
        self.beginResetModel()
        self.filters = filters
        self._ids = self.session.trace_ids(filters)
        self._rows = {}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def trace(self, row: int) -> Trace | None:
        if not 0 <= row < len(self._ids):
            return None
        trace_id = self._ids[row]
        if trace_id not in self._rows:
            if len(self._rows) >= KEPT:
                self._rows = {}
            start = (row // PAGE) * PAGE
            self._rows.update(self.session.trace_rows(self._ids[start : start + PAGE]))
        return self._rows.get(trace_id)

    def cached_rows(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        trace = self.trace(index.row())
        if trace is None:
            return None
        column = index.column()
        if column == self.DATE:
            return when_text(trace)
        if column == self.ACTION:
            return action_text(trace.action)
        text = {
            self.WHO: trace.actor,
            self.CORRESPONDENTS: trace.correspondents,
            self.SUBJECT: trace.subject,
            self.MAILBOXES: trace.mailboxes,
        }.get(column, "")
        if role == Qt.ItemDataRole.ToolTipRole:
            # A tooltip starting with "<" would be read as rich text: plain, always.
            return plain_tooltip(text) if text else None
        return text
