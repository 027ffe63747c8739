"""The colours of rows painted by hand (delegates draw them, not the style sheet): one place, so
that the conversation list, the directory and the teleconsultations look like one app."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from ui import theme

TEXT = QColor(theme.TEXT)
MUTED = QColor(theme.MUTED)
FAINT = QColor("#9aa5b1")
ACCENT = QColor(theme.ACCENT)
WHITE = QColor("#ffffff")
SELECTED = QColor("#e1eff3")
HOVER = QColor("#f3f6f8")
DIVIDER = QColor("#e6eaee")

# The pills that say a state (background, text): one pair per meaning, the same on every page.
PILL_WAITING = (QColor("#fdf0d5"), QColor("#8a5a00"))  # a téléexpertise asked, not answered
PILL_GOOD = (QColor("#dcefe9"), QColor("#0b5e52"))  # answered, planned, in my file active
PILL_OVER = (QColor("#e9ecef"), QColor("#3e4c59"))  # closed, done
PILL_CANCELLED = (QColor("#fbe3e1"), QColor("#a12a1f"))


def paint_row(painter: QPainter, option: QStyleOptionViewItem, divider_left: int) -> None:
    """A list row's background: a tint and an accent bar when selected, a lighter tint under the
    mouse, a divider from `divider_left` (past the avatar) to the right."""
    rect = option.rect
    if option.state & QStyle.StateFlag.State_Selected:
        painter.fillRect(rect, SELECTED)
        painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), ACCENT)
    elif option.state & QStyle.StateFlag.State_MouseOver:
        painter.fillRect(rect, HOVER)
    painter.setPen(DIVIDER)
    painter.drawLine(rect.left() + divider_left, rect.bottom(), rect.right() - 16, rect.bottom())


def row_fonts(base: QFont) -> tuple[QFont, QFont]:
    """(small, bold): a painted row's 12 px detail lines and its 14 px demi-bold title."""
    small = QFont(base)
    small.setPixelSize(12)
    bold = QFont(base)
    bold.setPixelSize(14)
    bold.setWeight(QFont.Weight.DemiBold)
    return small, bold
