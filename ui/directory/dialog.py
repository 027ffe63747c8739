"""The directory as a recipient picker: the search view in a dialog whose "Choisir" hands the
selected correspondents to whoever opened it (the composer, the téléexpertise form, through the
navigator)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from app.about import window_title
from app.records import Correspondent
from app.session import AccountSession
from ui import theme
from ui.directory.view import DirectoryView


class DirectoryDialog(QDialog):
    """The directory as the composer's recipient picker: "Choisir" → chosen(list[Correspondent])."""

    chosen = Signal(list)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directoryDialog")
        self.setWindowTitle(window_title(self.tr("Rechercher un destinataire")))
        self.resize(980, 680)
        self.view = DirectoryView(session, self, picking=True)
        self.choose_button = QPushButton(theme.icon("check-light"), self.tr("Choisir"))
        self.choose_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.choose_button, self.cancel_button):
            button.setAutoDefault(False)
        self.view.action_bar.addWidget(self.cancel_button)
        self.view.action_bar.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.choose_button.clicked.connect(self._choose_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.view.selection_changed.connect(self._update)
        self.view.activated.connect(lambda c: self.choose([c]))
        self._update()

    def _update(self) -> None:
        self.choose_button.setEnabled(any(c.mailbox for c in self.view.selected()))

    def _choose_clicked(self) -> None:
        self.choose()

    def choose(self, people: list[Correspondent] | None = None) -> None:
        picked = [c for c in (people if people is not None else self.view.selected()) if c.mailbox]
        if not picked:
            return
        self.chosen.emit(picked)
        self.accept()
