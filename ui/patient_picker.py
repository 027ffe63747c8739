"""The patient picker: the search in the regional patient directory that Mes patients, the
composer ("the patient a message is about") and the téléexpertise form share, at the top of ui/
because none of these features owns it.

The directory is need-to-know (issue 9 §8): a search takes the birth or usual name with the birth
date (a first name may narrow), or the INS alone; a name alone, a date alone or a piece of INS finds
nobody, so the form says what is missing before asking the server, in words a secretary
understands. The dialog's choice, a ChosenPatient (app/message/draft.py), is kept in drafts and
gives the identity the IHE_XDM.ZIP carries."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.dates import parse_birth_date
from app.message.draft import ChosenPatient
from app.message.patient import format_ins, normalize_ins
from app.regional.patients import SearchCriteria
from app.regional.records import Patient, PatientMatches
from app.session import AccountSession
from ui import i18n, tasks, theme
from ui.plain import PlainLabel, plain_text


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

    def criteria(self) -> SearchCriteria:
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
            return SearchCriteria(ins=ins)
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
        return SearchCriteria(family=family, given=given or None, birth_date=birth)


class PatientDialog(QDialog):
    """Search the regional patient directory; `chosen(ChosenPatient)` then closes."""

    chosen = Signal(object)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("patientDialog")
        self.setWindowTitle(window_title(self.tr("Choisir le patient")))
        self.results: list[Patient] = []
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
        self._say(self.tr("Recherche…"))
        # key: a newer search replaces one still running.
        tasks.run(
            self.session.patients.search(criteria), self, self._show, self._failed, key="search"
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
            found = i18n.plural(
                count, self.tr("{n} patient trouvé."), self.tr("{n} patients trouvés.")
            ).format(n=count)
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


__all__ = ["ChosenPatient", "IncompleteSearch", "PatientDialog", "PatientSearchForm"]
