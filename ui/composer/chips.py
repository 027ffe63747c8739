"""Chips (a recipient, the patient: a name, a detail, a cross to remove it) and the flow layout
that wraps them like words, so that many recipients fit a field that stays one line when short."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ui import theme
from ui.plain import ElidedLabel, PlainLabel, plain_text, plain_tooltip


class FlowLayout(QLayout):
    """Lays its items left to right and wraps to a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def insertWidget(self, index: int, widget: QWidget) -> None:
        """Qt's QLayout has no insert: add (adopting the widget), then move it to `index`."""
        self.addWidget(widget)
        self._items.insert(index, self._items.pop())
        self.invalidate()

    def spacing(self) -> int:
        return self._spacing

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins: QMargins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + self._spacing
                line_height = 0
            if apply:
                width = min(hint.width(), max(area.width(), 0))
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class Chip(QFrame):
    """A name with its detail (an address, a birth date) and a cross; `removed` when crossed."""

    removed = Signal()

    def __init__(
        self, text: str, detail: str = "", kind: str = "recipient", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chip")
        self.setProperty("kind", kind)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 4, 2)
        layout.setSpacing(6)
        # Elided when the field is narrower than the chip (a long name, an address, a warning):
        # the whole of it is in the tooltip, and the window is never widened by a chip.
        self.label = ElidedLabel(text)
        self.label.setObjectName("chipName")
        layout.addWidget(self.label)
        self.detail = ElidedLabel(detail)
        self.detail.setObjectName("chipDetail")
        self.detail.setVisible(bool(detail))
        layout.addWidget(self.detail)
        self.warning = PlainLabel("")  # what is wrong with it (ui/composer/trust.py)
        self.warning.setObjectName("chipWarning")
        self.warning.hide()
        layout.addWidget(self.warning)
        self.remove_button = QToolButton()
        self.remove_button.setObjectName("chipRemove")
        self.remove_button.setIcon(theme.icon("remove"))
        self.remove_button.setAutoRaise(True)
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_button.setToolTip(self.tr("Retirer"))
        self.remove_button.setAccessibleName(self.tr("Retirer %1").replace("%1", plain_text(text)))
        self.remove_button.clicked.connect(self.removed)
        layout.addWidget(self.remove_button)
        self.base_tooltip = f"{text} — {detail}" if detail else text
        self.setToolTip(plain_tooltip(self.base_tooltip))

    def set_warning(self, warning: str, explanation: str) -> None:
        """Shows `warning` in the chip (red) and `explanation` in its tooltip; empty: none."""
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        theme.restyle(self, warning=bool(warning))
        shown = f"{self.base_tooltip}\n{explanation}" if explanation else self.base_tooltip
        self.setToolTip(plain_tooltip(shown))
        self.updateGeometry()

    def tab_before(self, following: QWidget) -> None:
        """The chip's cross just before `following` in the Tab order, as on screen (a widget
        added to a window goes wherever Qt puts it in the chain, e.g. after the text)."""
        previous = following.previousInFocusChain()
        while (
            previous is not None
            and previous is not following
            and not previous.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            previous = previous.previousInFocusChain()  # Qt orders only widgets Tab reaches
        if previous is not None and previous not in (self.remove_button, following):
            QWidget.setTabOrder(previous, self.remove_button)
