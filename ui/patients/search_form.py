"""The criteria of a search in the regional patient directory, as the directory wants them: the
birth or usual name with the birth date (a first name may narrow), or the INS alone.

The directory is need-to-know (issue 9 §8): a name alone, a date alone or a piece of INS finds
nobody, so the form says what is missing before asking the server, in words a secretary
understands. Mes patients and the pickers of the composer and the téléexpertise form share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from app.dates import parse_birth_date
from app.message.patient import normalize_ins
from ui.plain import PlainLabel


@dataclass(frozen=True)
class Criteria:
    """What to send: an INS alone, or a family name with a birth date (and maybe a first
    name)."""

    family: str | None = None
    given: str | None = None
    birth_date: dt.date | None = None
    ins: str | None = None


class IncompleteSearch(Exception):
    """The criteria would not single a patient out; `message` says what to add, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PatientSearchForm(QWidget):
    """Name, first name, birth date; or INS. `submitted` when Entrée is pressed in a field;
    `criteria()` reads them or raises IncompleteSearch. `trailing` (the host's search button)
    sits at the end of the INS row."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None, trailing: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearchForm")
        self.family_edit = QLineEdit()
        self.family_edit.setObjectName("familyField")
        self.given_edit = QLineEdit()
        self.given_edit.setObjectName("givenField")
        self.given_edit.setPlaceholderText(self.tr("Facultatif"))
        self.birth_edit = QLineEdit()
        self.birth_edit.setObjectName("birthField")
        self.birth_edit.setPlaceholderText(self.tr("JJ/MM/AAAA"))
        self.ins_edit = QLineEdit()
        self.ins_edit.setObjectName("insField")
        self.ins_edit.setPlaceholderText(self.tr("15 caractères : NIR et clé"))

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        fields = (
            (self.tr("Nom de naissance ou d'usage"), self.family_edit, 3),
            (self.tr("Prénom"), self.given_edit, 2),
            (self.tr("Date de naissance"), self.birth_edit, 2),
        )
        for column, (text, edit, stretch) in enumerate(fields):
            grid.addWidget(self._label(text, edit), 0, column)
            grid.addWidget(edit, 1, column)
            grid.setColumnStretch(column, stretch)
        ins_label = self._label(self.tr("ou son INS seul"), self.ins_edit)
        ins_label.setContentsMargins(0, 6, 0, 0)
        grid.addWidget(ins_label, 2, 0)
        grid.addWidget(self.ins_edit, 3, 0, 1, 2)
        if trailing is not None:
            grid.addWidget(trailing, 3, 2)
        for edit in self.edits():
            edit.returnPressed.connect(self.submitted)

    @staticmethod
    def _label(text: str, buddy: QLineEdit) -> QLabel:
        label = PlainLabel(text)
        label.setObjectName("fieldLabel")
        label.setBuddy(buddy)
        return label

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.family_edit, self.given_edit, self.birth_edit, self.ins_edit)

    def criteria(self) -> Criteria:
        """The criteria to send; IncompleteSearch with what to add when they are not enough."""
        ins_text = self.ins_edit.text().strip()
        if ins_text:
            ins = normalize_ins(ins_text)
            if ins is None:
                raise IncompleteSearch(
                    self.tr(
                        "Cet INS n'est pas valide : il compte 15 caractères, les 13 du NIR puis "
                        "sa clé de 2 chiffres. Vérifiez-le, ou cherchez par nom et date de "
                        "naissance."
                    )
                )
            return Criteria(ins=ins)
        family = self.family_edit.text().strip()
        given = self.given_edit.text().strip()
        birth_text = self.birth_edit.text().strip()
        birth = parse_birth_date(birth_text) if birth_text else None
        if birth_text and birth is None:
            raise IncompleteSearch(self.tr("Date de naissance illisible : écrivez-la JJ/MM/AAAA."))
        if family and birth is None:
            raise IncompleteSearch(
                self.tr(
                    "Ajoutez la date de naissance : l'annuaire patient cherche sur le nom et la "
                    "date de naissance ensemble, ou sur l'INS seul."
                )
            )
        if birth is not None and not family:
            raise IncompleteSearch(
                self.tr(
                    "Ajoutez le nom de naissance ou d'usage du patient, en entier : la date de "
                    "naissance seule ne suffit pas."
                )
            )
        if not family:
            raise IncompleteSearch(
                self.tr(
                    "Indiquez le nom de naissance ou d'usage et la date de naissance du patient, "
                    "ou son INS."
                )
            )
        return Criteria(family=family, given=given or None, birth_date=birth)
