"""The painted card of a list row that shows one record (patients, care team, access log,
téléexpertises, teleconsultations, the directory's correspondents): one base, so that every such
list sizes, highlights and draws its lines, pills and avatars the same way, and a delegate only
says what goes where.

A subclass names the record type and its role, the row height and where the divider starts, and
implements `paint_card` (and `paint_marks` for what the model knows beyond the record, such as a
favorite); the base fetches the record (nothing painted for anything else), saves and restores
the painter, and paints the row's background (`palette.paint_row`). `CardList` is
the list view that shows such cards."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.palette import paint_row, row_fonts
from ui.plain import paint_text
from ui.record_list import RecordList

R = TypeVar("R")

_Index = QModelIndex | QPersistentModelIndex


class CardFonts:
    """The fonts of a painted card: 12 px detail lines, a 14 px demi-bold title, and the base."""

    def __init__(self, base: QFont) -> None:
        self.base = base
        self.small, self.bold = row_fonts(base)
        self.small_metrics = QFontMetrics(self.small)


class CardDelegate(QStyledItemDelegate, Generic[R]):
    record_type: ClassVar[type[Any]]
    role: ClassVar[int]
    row_height: ClassVar[int]
    min_width: ClassVar[int] = 320
    divider_left: ClassVar[int] = 16
    antialiased: ClassVar[bool] = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(self.min_width, self.row_height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        record = index.data(self.role)
        if not isinstance(record, self.record_type):
            return
        painter.save()
        try:
            if self.antialiased:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            paint_row(painter, option, self.divider_left)
            self.paint_card(painter, option.rect, record, CardFonts(option.font))
            self.paint_marks(painter, option.rect, record, index)
        finally:
            painter.restore()

    def paint_card(self, painter: QPainter, rect: QRect, record: R, fonts: CardFonts) -> None:
        raise NotImplementedError

    def paint_marks(self, painter: QPainter, rect: QRect, record: R, index: _Index) -> None:
        """What the row shows from the model beyond its record (the directory's favorite star):
        nothing by default."""


class CardList(QListView, Generic[R]):
    """A list of painted cards: one row selected at a time, scrolled by pixel, no frame;
    `selected()` is the selected row's record."""

    def __init__(
        self,
        model: RecordList[R],
        delegate: CardDelegate[R],
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.delegate = delegate
        delegate.setParent(self)
        self.setItemDelegate(delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def selected(self) -> R | None:
        indexes = self.selectionModel().selectedRows()
        record = indexes[0].data(self.delegate.role) if indexes else None
        return record if isinstance(record, self.delegate.record_type) else None


def paint_line(
    painter: QPainter, rect: QRect, text: str, font: QFont, color: QColor | Qt.GlobalColor
) -> None:
    """One line of plain text in `rect`, elided at the right."""
    painter.setFont(font)
    painter.setPen(color)
    paint_text(painter, rect, text)


def paint_pill(
    painter: QPainter,
    right: int,
    top: int,
    text: str,
    colors: tuple[QColor, QColor],
    fonts: CardFonts,
) -> QRect:
    """A status pill (background, text colour) ending at `right`; returns where it was painted,
    so that the line beside it stops before it."""
    background, foreground = colors
    width = fonts.small_metrics.horizontalAdvance(text) + 20
    pill = QRect(right - width, top, width, 22)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(pill, 11, 11)
    painter.setFont(fonts.small)
    painter.setPen(foreground)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    return pill


__all__ = ["CardDelegate", "CardFonts", "CardList", "paint_line", "paint_pill"]
