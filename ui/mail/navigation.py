"""The left navigation: "Ma messagerie" with its mailboxes and unread counts, then the other
services (Annuaire, Téléconsultations, Mes patients, Téléexpertise, Équipes ressources, Mon
portail).

One QListView over a QStandardItemModel; a delegate paints the rows (section titles, icons, unread
badges), no widget per row.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.session import MailboxView
from ui import theme
from ui.card_delegate import paint_pill
from ui.palette import ACCENT, SELECTED, TEXT, WHITE
from ui.plain import paint_text, plain_text, plain_tooltip

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "header", "mailbox", "page"
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # mailbox id or page key
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 3

PAGES = ("directory", "teleconsultations", "patients", "teleexpertise", "teams", "portal")
ROLE_ICONS = {
    "inbox": "mail-inbox",
    "drafts": "mail-drafts",
    "sent": "mail-sent",
    "archive": "mail-archive",
    "junk": "mail-junk",
    "trash": "mail-trash",
}
MUTED = QColor("#7b8794")  # lighter than the rows' MUTED: the folder counts stay quiet
HOVER = QColor("#eef2f5")
UNREAD = (ACCENT, WHITE)  # the unread count's pill: background, text


class NavigationDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.data(KIND_ROLE) == "header":
            return QSize(option.rect.width(), 40)
        return QSize(option.rect.width(), 36)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect)
        kind = index.data(KIND_ROLE)
        font = QFont(option.font)
        if kind == "header":
            font.setPixelSize(12)
            font.setBold(True)
            font.setCapitalization(QFont.Capitalization.AllUppercase)
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
            painter.setFont(font)
            painter.setPen(MUTED)
            painter.drawText(
                rect.adjusted(16, 12, -8, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(index.data(Qt.ItemDataRole.DisplayRole)),
            )
            painter.restore()
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hover:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SELECTED if selected else HOVER)
            painter.drawRoundedRect(rect.adjusted(8, 2, -8, -2), 6, 6)
        indent = 16
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            icon.paint(painter, QRect(rect.left() + indent, rect.center().y() - 9, 18, 18))
        unread = int(index.data(UNREAD_ROLE) or 0)
        text_right = rect.right() - 16  # where the unread count ends, or would
        if unread > 0:
            badge_font = QFont(option.font)
            badge_font.setPixelSize(12)
            badge_font.setBold(True)
            label = str(unread) if unread < 10_000 else "9999+"
            badge = paint_pill(
                painter,
                text_right,
                rect.center().y() - 10,
                label,
                UNREAD,
                badge_font,
                height=20,
                padding=12,
                min_width=22,
            )
            text_right = badge.left()
        font.setPixelSize(14)
        font.setBold(unread > 0 or selected)
        painter.setFont(font)
        painter.setPen(ACCENT if selected else TEXT)
        paint_text(
            painter,
            rect.adjusted(indent + 28, 0, text_right - 8 - rect.right(), 0),
            str(index.data(Qt.ItemDataRole.DisplayRole)),
        )
        painter.restore()


class NavigationPane(QWidget):
    """Emits `mailboxSelected(id)`, `pageSelected(key)` (a stacked page) or `portalRequested()`
    (the portal opens in the browser: the selection stays where it was)."""

    mailboxSelected = Signal(str)
    pageSelected = Signal(str)
    portalRequested = Signal()
    composeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 16, 8, 8)
        layout.setSpacing(8)
        self.compose = QPushButton(theme.icon("action-compose-light"), self.tr("Nouveau message"))
        self.compose.setObjectName("composeButton")
        self.compose.setCursor(Qt.CursorShape.PointingHandCursor)
        self.compose.clicked.connect(self.composeRequested)
        layout.addWidget(self.compose)

        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setObjectName("navigationList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(NavigationDelegate(self.view))
        self.view.setMouseTracking(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        layout.addWidget(self.view)

        self._mail_header = self._header(self.tr("Ma messagerie"))
        self._services_header = self._header(self.tr("Services"))
        self.model.appendRow(self._mail_header)
        self.model.appendRow(self._services_header)
        for key, label, icon in (
            ("directory", self.tr("Annuaire"), "nav-directory"),
            ("teleconsultations", self.tr("Téléconsultations"), "nav-teleconsultation"),
            ("patients", self.tr("Mes patients"), "nav-patients"),
            ("teleexpertise", self.tr("Téléexpertise"), "nav-teleexpertise"),
            ("teams", self.tr("Équipes ressources"), "nav-teams"),  # issue 13 §4
            ("portal", self.tr("Mon portail"), "nav-portal"),
        ):
            item = QStandardItem(theme.icon(icon), label)
            item.setData("page", KIND_ROLE)
            item.setData(key, KEY_ROLE)
            if key == "portal":
                # Opens the browser: not a page of this window, so never selected.
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Ouvre MesPatients dans le navigateur"))
            self.model.appendRow(item)
        self._mailbox_items: dict[str, QStandardItem] = {}
        self._current: QModelIndex | None = None
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)

    @staticmethod
    def _header(text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData("header", KIND_ROLE)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        return item

    def set_mailboxes(self, mailboxes: list[MailboxView]) -> None:
        """Adds, renames, recounts or removes mailbox rows in place (the selection stays)."""
        wanted = {m.id for m in mailboxes}
        for mailbox_id in list(self._mailbox_items):
            if mailbox_id not in wanted:
                gone = self._mailbox_items.pop(mailbox_id)
                self.model.removeRow(gone.row())
        for position, box in enumerate(mailboxes, start=1):
            item = self._mailbox_items.get(box.id)
            if item is None:
                item = QStandardItem()
                item.setData("mailbox", KIND_ROLE)
                item.setData(box.id, KEY_ROLE)
                self.model.insertRow(position, item)
                self._mailbox_items[box.id] = item
            elif item.row() != position:
                self.model.takeRow(item.row())
                self.model.insertRow(position, item)
            item.setText(plain_text(box.name))
            item.setIcon(theme.icon(ROLE_ICONS.get(box.role or "", "mail-folder")))
            if item.data(UNREAD_ROLE) != box.unread:
                item.setData(box.unread, UNREAD_ROLE)
            item.setToolTip(
                plain_tooltip(
                    self.tr("{total} messages, {unread} non lus").format(
                        total=box.total, unread=box.unread
                    )
                )
            )

    def unread_of(self, mailbox_id: str) -> int:
        item = self._mailbox_items.get(mailbox_id)
        return int(item.data(UNREAD_ROLE) or 0) if item is not None else 0

    def select_mailbox(self, mailbox_id: str) -> None:
        item = self._mailbox_items.get(mailbox_id)
        if item is not None:
            self.view.setCurrentIndex(item.index())

    def select_page(self, key: str) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(KIND_ROLE) == "page" and item.data(KEY_ROLE) == key:
                self.view.setCurrentIndex(item.index())

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "page" and index.data(KEY_ROLE) == "portal":
            self.portalRequested.emit()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind, key = current.data(KIND_ROLE), current.data(KEY_ROLE)
        if kind == "mailbox":
            self.mailboxSelected.emit(str(key))
        elif kind == "page" and key != "portal":
            self.pageSelected.emit(str(key))
