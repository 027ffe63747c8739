"""The painted card of a list row that shows one record (patients, care team, access log,
téléexpertises, teleconsultations, the directory's correspondents): one base, so that every such
list sizes, highlights and draws its lines, pills and avatars the same way, and a delegate only
says what goes where.

A subclass names the record type and its role, the row height and where the divider starts, and
implements `paint_card` (and `paint_marks` for what the model knows beyond the record, such as a
favorite); the base fetches the record (nothing painted for anything else, unless the model is
lazy and its rows not loaded yet keep their background: `blank_rows`), saves and restores the
painter, and paints the row's background (`palette.paint_row`, or the subclass's
`paint_background`). `CardList` is the list view that shows such cards.

The painted bits every card shares live here too, each drawn one way: `paint_line` (a line of
plain text), `paint_lines` (a card's stacked lines) and `paint_pill` (a rounded pill with its
text centred: a status, a badge, a patient chip, an unread count)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
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
    blank_rows: ClassVar[bool] = False  # a lazy model's rows not loaded yet: background only

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(self.min_width, self.row_height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        record = index.data(self.role)
        is_record = isinstance(record, self.record_type)
        if not (is_record or self.blank_rows):
            return
        painter.save()
        try:
            if self.antialiased:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.paint_background(painter, option)
            if is_record:
                self.paint_card(painter, option.rect, record, CardFonts(option.font))
                self.paint_marks(painter, option.rect, record, index)
        finally:
            painter.restore()

    def paint_background(self, painter: QPainter, option: QStyleOptionViewItem) -> None:
        """The row's tint, accent bar and divider (`palette.paint_row`)."""
        paint_row(painter, option, self.divider_left)

    def paint_card(self, painter: QPainter, rect: QRect, record: R, fonts: CardFonts) -> None:
        raise NotImplementedError

    def paint_marks(self, painter: QPainter, rect: QRect, record: R, index: _Index) -> None:
        """What the row shows from the model beyond its record (the directory's favorite star):
        nothing by default."""


class CardList(QListView, Generic[R]):
    """A list of painted cards over a model of records (a `RecordList`, or a lazy one such as
    the directory's results): one row selected at a time, scrolled by pixel, no frame;
    `selected()` is the selected row's record."""

    def __init__(
        self,
        model: QAbstractItemModel,
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


def paint_lines(
    painter: QPainter, left: int, lines: Iterable[tuple[QFont, QColor, str, int, int]]
) -> None:
    """A card's stacked lines, each (font, colour, text, top, width), 18 px high from `left`."""
    for font, color, text, top, width in lines:
        paint_line(painter, QRect(left, top, width, 18), text, font, color)


def pill_width(text: str, font: QFont, padding: int = 20, min_width: int = 0) -> int:
    """How wide `paint_pill` paints `text`: its advance plus `padding`, at least `min_width`."""
    return max(min_width, QFontMetrics(font).horizontalAdvance(text) + padding)


def paint_pill(
    painter: QPainter,
    x: int,
    top: int,
    text: str,
    colors: tuple[QColor, QColor],
    font: QFont,
    *,
    height: int = 22,
    padding: int = 20,
    min_width: int = 0,
    anchor: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignRight,
) -> QRect:
    """A pill (background, text colour), `height` high with round ends, `text` centred in it:
    ending at `x` (a status at the end of a line, an unread count) or, with `anchor`
    AlignLeft, starting at `x` (a badge after a name). Returns where it was painted, so that
    what is beside it stops before it."""
    background, foreground = colors
    width = pill_width(text, font, padding, min_width)
    left = x if anchor == Qt.AlignmentFlag.AlignLeft else x - width
    pill = QRect(left, top, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setFont(font)
    painter.setPen(foreground)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    return pill


__all__ = [
    "CardDelegate",
    "CardFonts",
    "CardList",
    "paint_line",
    "paint_lines",
    "paint_pill",
    "pill_width",
]
