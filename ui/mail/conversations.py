"""The conversation list: a lazy model of email ids and a delegate that paints each row.

The model holds ids only, fetched by pages of 200 as the view scrolls (canFetchMore/fetchMore);
rows are read from the cache when first drawn, a screenful at a time, and kept in a bounded cache
(the Anki browser's idea). Changes announced by the core (MailChanged) update the rows in place:
removed rows go, new ones are inserted where they belong, the others keep their place, the
selection and the scroll position.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.events import MailChanged
from app.session import AccountSession
from app.store.mail import NO_FILTERS, Filters, Sort
from app.store.records import Address, EmailSummary, PatientRef
from ui import theme
from ui.palette import ACCENT, FAINT, MUTED, TEXT, paint_row
from ui.plain import PlainLabel, paint_text, plain_caption, plain_text, plain_tooltip

PAGE = 200  # ids per fetchMore
WINDOW = 60  # summaries read at once around a drawn row
CACHE_ROWS = 3_000  # summaries kept (a few screens; 100,000 rows must not stay in memory)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2

SORTS = (
    (Sort.DATE_DESC, QT_TRANSLATE_NOOP("ConversationList", "Récents d'abord")),
    (Sort.DATE_ASC, QT_TRANSLATE_NOOP("ConversationList", "Anciens d'abord")),
    (Sort.SENDER, QT_TRANSLATE_NOOP("ConversationList", "Expéditeur")),
    (Sort.SUBJECT, QT_TRANSLATE_NOOP("ConversationList", "Objet")),
)


def short_date(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """Today: the time (14:05); this year: dd/mm; before: dd/mm/yy."""
    local = moment.astimezone()
    now = (now or dt.datetime.now().astimezone()).astimezone(local.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%d/%m")
    return local.strftime("%d/%m/%y")


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


# Painting -------------------------------------------------------------------------------------

CHIP_BG = QColor("#e8f3f6")
CHIP_TEXT = QColor("#0b5269")
FLAG = QColor("#d9822b")
ROW_HEIGHT = 80


class ConversationDelegate(QStyledItemDelegate):
    """participants + date / subject + patient chip / preview; unread dot, flag, paperclip."""

    def __init__(self, model: ConversationModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self._clip = theme.icon("mail-attachment")
        self._flag = theme.icon("mail-flag-on")

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(320, ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        summary: EmailSummary | None = index.data(SUMMARY_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect)
        paint_row(painter, option, divider_left=16)
        if summary is None:
            painter.restore()
            return
        left, right = rect.left() + 24, rect.right() - 16
        top = rect.top() + 10
        if summary.unread:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT)
            painter.drawEllipse(QPoint(rect.left() + 12, top + 9), 4, 4)

        base = QFont(option.font)
        base.setPixelSize(14)
        small = QFont(option.font)
        small.setPixelSize(12)

        # Line 1: who, then the date and the marks on the right.
        painter.setFont(small)
        date = short_date(summary.received_at)
        date_width = QFontMetrics(small).horizontalAdvance(date)
        painter.setPen(ACCENT if summary.unread else MUTED)
        painter.drawText(
            QRect(right - date_width, top, date_width, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            date,
        )
        marks_right = right - date_width - 6
        for on, icon in ((summary.flagged, self._flag), (summary.has_attachment, self._clip)):
            if on:
                icon.paint(painter, QRect(marks_right - 16, top + 2, 16, 16))
                marks_right -= 20
        who_font = QFont(base)
        who_font.setBold(summary.unread)
        painter.setFont(who_font)
        painter.setPen(TEXT)
        who = (
            QCoreApplication.translate("ConversationDelegate", "À : ") + people(summary.to)
            if self.model.show_recipients
            else people(summary.from_)
            or QCoreApplication.translate("ConversationDelegate", "(expéditeur inconnu)")
        )
        if summary.thread_size > 1:
            who = f"{who}  ({summary.thread_size})"
        paint_text(painter, QRect(left, top, max(0, marks_right - left - 8), 20), who)

        # Line 2: subject, and the patient as a discreet chip on the right.
        top += 22
        subject_right = right
        if summary.patient is not None:
            subject_right = self._chip(painter, small, summary.patient, right, top) - 8
        subject_font = QFont(base)
        subject_font.setWeight(QFont.Weight.DemiBold if summary.unread else QFont.Weight.Normal)
        painter.setFont(subject_font)
        painter.setPen(TEXT)
        subject = summary.subject or QCoreApplication.translate(
            "ConversationDelegate", "(sans objet)"
        )
        paint_text(painter, QRect(left, top, max(0, subject_right - left), 20), subject)

        # Line 3: the preview.
        top += 22
        painter.setFont(small)
        painter.setPen(FAINT if not summary.unread else MUTED)
        paint_text(painter, QRect(left, top, right - left, 18), " ".join(summary.preview.split()))
        painter.restore()

    @staticmethod
    def _chip(painter: QPainter, font: QFont, patient: PatientRef, right: int, top: int) -> int:
        """Draws the patient chip ending at `right`; returns its left edge."""
        name = patient.display_name() or QCoreApplication.translate(
            "ConversationDelegate", "Patient"
        )
        metrics = QFontMetrics(font)
        name = metrics.elidedText(plain_text(name), Qt.TextElideMode.ElideRight, 160)
        width = metrics.horizontalAdvance(name) + 16
        chip = QRect(right - width, top + 1, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(CHIP_BG)
        painter.drawRoundedRect(chip, 9, 9)
        painter.setFont(font)
        painter.setPen(CHIP_TEXT)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
        return chip.left()


# The list with its sort and filters ----------------------------------------------------------


class ConversationList(QWidget):
    """Title, sort, filters and the list. Emits `openRequested(email_id, thread_id)` when the
    current row changes and `contextMenuRequested(QPoint)` (global) for the actions menu."""

    openRequested = Signal(str, str)
    selectionEmptied = Signal()
    contextMenuRequested = Signal(QPoint)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("conversationPane")
        self.mailbox_name = ""
        self._mailbox_id: str | None = None
        self._role: str | None = None
        self.patient: PatientRef | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QWidget()
        header.setObjectName("conversationHeader")
        column = QVBoxLayout(header)
        column.setContentsMargins(16, 12, 16, 8)
        column.setSpacing(8)
        self.title = PlainLabel()
        self.title.setObjectName("conversationTitle")
        column.addWidget(self.title)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        self.unread_filter = self._toggle(self.tr("Non lus"))
        self.attachment_filter = self._toggle(self.tr("Avec pièces jointes"))
        self.patient_filter = QPushButton()
        self.patient_filter.setObjectName("patientFilter")
        self.patient_filter.setToolTip(self.tr("Retirer le filtre patient"))
        self.patient_filter.clicked.connect(lambda: self.set_patient_filter(None))
        self.patient_filter.hide()
        tools.addWidget(self.unread_filter)
        tools.addWidget(self.attachment_filter)
        tools.addWidget(self.patient_filter)
        tools.addStretch(1)
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("sortBox")
        self.sort_box.setToolTip(self.tr("Trier par"))
        self.sort_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for sort, label in SORTS:
            self.sort_box.addItem(QCoreApplication.translate("ConversationList", str(label)), sort)
        self.sort_box.currentIndexChanged.connect(lambda _i: self.reload())
        tools.addWidget(self.sort_box)
        column.addLayout(tools)
        layout.addWidget(header)

        self.model = ConversationModel(session, self)
        self.view = QListView()
        self.view.setObjectName("conversationList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(ConversationDelegate(self.model, self.view))
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self.contextMenuRequested.emit(self.view.viewport().mapToGlobal(pos))
        )
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.empty = PlainLabel(self.tr("Aucun message."))
        self.empty.setObjectName("emptyList")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        self.model.modelReset.connect(self._update_title)
        self.model.rowsInserted.connect(self._update_title)
        self.model.rowsRemoved.connect(self._update_title)

    def _toggle(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setObjectName("filterToggle")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.toggled.connect(lambda _on: self.reload())
        return button

    # What is listed ----------------------------------------------------------------------------

    def set_mailbox(self, mailbox_id: str, name: str, role: str | None) -> None:
        self.mailbox_name = name
        self._role = role
        self._mailbox_id = mailbox_id
        self.reload()

    def filters(self) -> Filters:
        return Filters(
            unread=self.unread_filter.isChecked(),
            with_attachments=self.attachment_filter.isChecked(),
            patient_ins=self.patient.ins if self.patient is not None else None,
        )

    def set_patient_filter(self, patient: PatientRef | None) -> None:
        self.patient = patient if patient is None or patient.ins else None
        if self.patient is None:
            self.patient_filter.hide()
        else:
            self.patient_filter.setText(
                plain_caption(
                    self.tr("Patient : {name}  ✕").format(name=self.patient.display_name())
                )
            )
            self.patient_filter.show()
        self.reload()

    def reload(self) -> None:
        mailbox_id = self._mailbox_id
        if mailbox_id is None or self.model.search_text is not None:
            return
        sort = self.sort_box.currentData() or Sort.DATE_DESC
        self.model.set_query(
            mailbox_id, sort, self.filters(), show_recipients=self._role in ("sent", "drafts")
        )
        self.view.scrollToTop()

    def search(self, text: str) -> None:
        """A search shows its hits (every mailbox); "" goes back to the mailbox."""
        for widget in (self.unread_filter, self.attachment_filter, self.sort_box):
            widget.setEnabled(not text)
        if text:
            self.model.set_search(text)
        else:
            self.model.search_text = None
            self.reload()
        self._update_title()

    def apply_change(self, change: MailChanged) -> None:
        self.model.apply_change(change)

    def _update_title(self, *_args: Any) -> None:
        if self.model.search_text is not None:
            n = self.model.total
            self.title.setText(
                self.tr("{n} résultat(s) pour « {text} »").format(n=n, text=self.model.search_text)
            )
        else:
            self.title.setText(self.mailbox_name)
        empty = self.model.rowCount() == 0
        self.empty.setText(
            self.tr("Aucun message ne correspond à la recherche.")
            if self.model.search_text is not None
            else self.tr("Aucun message.")
        )
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)

    # Selection ---------------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        ids = [i for r in rows if (i := self.model.id_at(r)) is not None]
        if not ids:
            current = self.model.id_at(self.view.currentIndex().row())
            ids = [current] if current is not None else []
        return ids

    def selected_summary(self) -> EmailSummary | None:
        index = self.view.currentIndex()
        return index.data(SUMMARY_ROLE) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row))

    def select_id(self, email_id: str) -> bool:
        row = self.model.row_of(email_id)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        summary = current.data(SUMMARY_ROLE) if current.isValid() else None
        if summary is None:
            self.selectionEmptied.emit()
            return
        self.openRequested.emit(summary.id, summary.thread_id)

    def context_menu(self, menu: QMenu) -> None:
        """Adds the list's own entries (patient filter) to the actions menu."""
        summary = self.selected_summary()
        if summary is not None and summary.patient is not None and summary.patient.ins:
            patient = summary.patient
            action = menu.addAction(
                plain_caption(
                    self.tr("Messages de ce patient ({name})").format(name=patient.display_name())
                )
            )
            action.triggered.connect(lambda: self.set_patient_filter(patient))
