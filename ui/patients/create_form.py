""" "Créer le dossier du patient": the form offered when the regional directory has no file for
the patient searched (prefilled with what was searched). It checks what the directory requires
(names, a readable birth date) before anything is sent, and gives a NewPatient; the page asks why
I follow the patient, then the service creates the file."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dates import numeric_date, parse_birth_date
from app.regional.patients import NewPatient, SearchCriteria
from app.regional.records import Sex
from ui.patients.widgets import hint_label, say
from ui.patients.words import SEX_CHOICES
from ui.plain import PlainLabel


def parse_day(text: str) -> dt.date | None:
    """'12/03/1985', '12-03-1985', '12.03.1985' or '1985-03-12'; '' gives None.

    Raises ValueError for anything else."""
    if not text.strip():
        return None
    day = parse_birth_date(text)
    if day is None:
        raise ValueError(text)
    return day


class IncompleteForm(Exception):
    """What the directory needs is missing; `message` says what, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CreatePatientForm(QFrame):
    """Birth name, usual name, first name, birth date, sex, INS; `create_submit` and
    `create_cancel` are the host's to connect."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createCard")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(8)
        heading = PlainLabel(self.tr("Créer le dossier du patient"))
        heading.setObjectName("panelHeading")
        outer.addWidget(heading)
        grid = QFormLayout()
        grid.setSpacing(8)
        grid.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.new_family = QLineEdit()
        self.new_usual = QLineEdit()
        self.new_usual.setPlaceholderText(self.tr("Facultatif"))
        self.new_given = QLineEdit()
        self.new_birth = QLineEdit()
        self.new_birth.setPlaceholderText(self.tr("JJ/MM/AAAA"))
        self.new_sex = QComboBox()
        for value, label in SEX_CHOICES:
            self.new_sex.addItem(QCoreApplication.translate("Patients", label), value)
        self.new_ins = QLineEdit()
        self.new_ins.setPlaceholderText(self.tr("Facultatif : 15 caractères"))
        grid.addRow(self.tr("Nom de naissance"), self.new_family)
        grid.addRow(self.tr("Nom d'usage"), self.new_usual)
        grid.addRow(self.tr("Prénom"), self.new_given)
        grid.addRow(self.tr("Date de naissance"), self.new_birth)
        grid.addRow(self.tr("Sexe"), self.new_sex)
        grid.addRow(self.tr("INS"), self.new_ins)
        outer.addLayout(grid)
        self.create_hint = hint_label()
        outer.addWidget(self.create_hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_cancel = QPushButton(self.tr("Annuler"))
        self.create_submit = QPushButton(self.tr("Créer et suivre"))
        self.create_submit.setObjectName("primaryButton")
        buttons.addWidget(self.create_cancel)
        buttons.addWidget(self.create_submit)
        outer.addLayout(buttons)
        self.hide()

    def new_patient(self) -> NewPatient:
        """The patient to create; IncompleteForm says what is missing."""
        family = self.new_family.text().strip()
        usual = self.new_usual.text().strip()
        given = self.new_given.text().strip()
        ins = self.new_ins.text().replace(" ", "").strip()
        if not family or not given:
            raise IncompleteForm(self.tr("Le nom et le prénom sont obligatoires."))
        try:
            born = parse_day(self.new_birth.text())
        except ValueError:
            born = None
        if born is None:
            raise IncompleteForm(self.tr("Indiquez la date de naissance sous la forme JJ/MM/AAAA."))
        sex: Sex = self.new_sex.currentData() or "unknown"
        return NewPatient(given, family, born, sex, usual or None, ins or None)

    def prefill(self, criteria: SearchCriteria) -> None:
        """What was searched goes into the form."""
        self.new_family.setText(criteria.family or "")
        self.new_given.setText(criteria.given or "")
        if criteria.birth_date is not None:
            self.new_birth.setText(numeric_date(criteria.birth_date))
        if criteria.ins:
            self.new_ins.setText(criteria.ins)

    def open(self) -> None:
        say(self.create_hint, "")
        self.show()
        self.new_family.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        for edit in (self.new_family, self.new_usual, self.new_given, self.new_birth):
            edit.clear()
        self.new_ins.clear()

    def say(self, text: str, error: bool = False) -> None:
        say(self.create_hint, text, error)
