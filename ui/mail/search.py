"""The instant local search field: searches the encrypted cache as you type (works offline)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from ui import theme

DEBOUNCE_MS = 200


class SearchField(QLineEdit):
    """Emits `searchRequested(text)` 200 ms after the last keystroke; "" means "back to the list".
    Échap clears at once."""

    searchRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mailSearch")
        self.setPlaceholderText(self.tr("Rechercher dans mes messages (Ctrl+F)"))
        self.setClearButtonEnabled(True)
        self.addAction(theme.icon("action-search"), QLineEdit.ActionPosition.LeadingPosition)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)
        self.textEdited.connect(lambda _text: self._timer.start())
        # The clear button changes the text without textEdited.
        self.textChanged.connect(self._maybe_cleared)

    def _fire(self) -> None:
        self.searchRequested.emit(self.text().strip())

    def _maybe_cleared(self, text: str) -> None:
        if not text:
            self._timer.stop()
            self.searchRequested.emit("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
