"""The dialog that chooses the patient a message is about in the regional patient directory (name
and birth date, or INS: the directory's rules, ui/patients/search_form.py). The choice, a
ChosenPatient (app/message/draft.py), is kept in drafts and gives the identity the IHE_XDM.ZIP
carries."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.message.draft import ChosenPatient
from app.message.patient import format_ins
from app.remote.regional import Patient, PatientMatches
from app.session import AccountSession
from ui import tasks, theme
from ui.patients.search_form import Criteria, IncompleteSearch, PatientSearchForm
from ui.plain import PlainLabel, plain_text


class PatientDialog(QDialog):
    """Search the regional patient directory; `chosen(ChosenPatient)` then closes."""

    chosen = Signal(object)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("patientDialog")
        self.setWindowTitle(self.tr("Choisir le patient"))
        self.results: list[Patient] = []
        self.search_task: asyncio.Future[PatientMatches | None] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        title = PlainLabel(self.tr("Rechercher dans l'annuaire patient régional"))
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        self.search_button = QPushButton(theme.icon("search"), self.tr("Rechercher"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.form = PatientSearchForm(trailing=self.search_button)
        self.form.submitted.connect(self.search)
        layout.addWidget(self.form)
        self.status = PlainLabel()  # may quote the server
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.list = QListWidget()
        self.list.setObjectName("patientResults")
        self.list.itemDoubleClicked.connect(lambda _i: self.choose())
        self.list.currentRowChanged.connect(lambda _r: self._update())
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.choose_button = QPushButton(theme.icon("check"), self.tr("Choisir"))
        self.choose_button.setObjectName("primaryButton")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose)
        buttons.addWidget(cancel)
        buttons.addWidget(self.choose_button)
        layout.addLayout(buttons)
        self.resize(560, 540)
        self._update()

    def _update(self) -> None:
        self.choose_button.setEnabled(self.list.currentRow() >= 0)

    def search(self) -> None:
        try:
            criteria = self.form.criteria()
        except IncompleteSearch as problem:
            self._say(problem.message, error=True)
            return
        if self.search_task is not None and not self.search_task.done():
            self.search_task.cancel()
        self._say(self.tr("Recherche…"))
        self.search_task = tasks.run(
            self._search(criteria), self, self._show, self._failed, key="search"
        )

    async def _search(self, criteria: Criteria) -> PatientMatches:
        regional = await self.session.regional()
        return await regional.search_patients(
            criteria.family, criteria.birth_date, given=criteria.given, ins=criteria.ins
        )

    def _show(self, matches: PatientMatches) -> None:
        patients = matches.patients
        self.results = patients
        self.list.clear()
        for patient in patients:
            identity = ChosenPatient.of(patient).identity
            text = identity.display() + (f" — INS {format_ins(patient.ins)}" if patient.ins else "")
            item = QListWidgetItem(plain_text(text))
            item.setData(Qt.ItemDataRole.UserRole, patient.id)
            self.list.addItem(item)
        if patients:
            self.list.setCurrentRow(0)
            count = len(patients)
            found = self.tr("%n patient(s) trouvé(s).").replace("%n", str(count))
            if matches.truncated:
                found += " " + self.tr("D'autres correspondent : précisez le prénom.")
            self._say(found)
        else:
            self._say(self.tr("Aucun patient ne correspond à ces critères."))
        self._update()

    def _failed(self, message: str) -> None:
        self._say(message, error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        theme.restyle(self.status, error=error)

    def choose(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.results):
            self.chosen.emit(ChosenPatient.of(self.results[row]))
            self.accept()
