"""The save dialog, answered as a user would: the test sees what it proposed (folder and name),
then picks a path or cancels. The real QFileDialog runs (modal); a timer finds it once shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit


class SaveDialogAnswer:
    """Answers the next save dialog: `choose` (a path) or cancel (None)."""

    def __init__(self, choose: Path | None) -> None:
        self.choose = choose
        self.proposed: str | None = None  # the full path the dialog offered first
        self.title: str | None = None
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._answer)
        self._timer.start()

    def _answer(self) -> None:
        # The visible file dialog, whatever else is open (another test's window may be the
        # active modal widget).
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QFileDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None:
            return
        self._timer.stop()
        self.title = dialog.windowTitle()
        [self.proposed] = dialog.selectedFiles()
        if self.choose is None:
            dialog.reject()
            return
        # Typed into the name field, as a user would, then "Enregistrer": the dialog reads the
        # field at once (selectFile waits for the dialog to load the folder, which in a long run
        # was seen never to happen: the test hung).
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None, "not Qt's own file dialog"
        name.setText(str(self.choose))
        dialog.accept()
