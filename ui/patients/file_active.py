""" "Ma file active": the patients I follow, filtered locally as one types (name, birth date,
INS: app/regional/patients.py `matches`), or a sentence saying why the list is empty. The page
reads the list through `session.patients` and hands it over (`show_patients`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.regional.patients import matches
from app.regional.records import Patient
from ui import theme
from ui.card_delegate import CardList
from ui.patients.delegates import PatientDelegate
from ui.patients.words import patient_text
from ui.plain import PlainLabel
from ui.record_list import RecordList


class FileActiveList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.followed: list[Patient] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filterField")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            self.tr("Filtrer ma file active : nom, date de naissance, INS")
        )
        self.filter_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        row = QHBoxLayout()
        row.setContentsMargins(16, 0, 16, 0)
        row.addWidget(self.filter_edit)
        column.addLayout(row)
        self.file_model: RecordList[Patient] = RecordList(patient_text, parent=self)
        self.file_list = CardList(self.file_model, PatientDelegate(self), "fileActiveList")
        self.file_empty = PlainLabel()
        self.file_empty.setObjectName("emptyState")
        self.file_empty.setWordWrap(True)
        self.file_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.file_empty.hide()
        column.addWidget(self.file_list, 1)
        column.addWidget(self.file_empty, 1)

    def show_patients(self, patients: list[Patient], keep: str | None) -> None:
        """The file active as read now; `keep`: the patient that stays selected if listed."""
        self.followed = list(patients)
        self.apply_filter(keep)

    def apply_filter(self, keep: str | None) -> None:
        text = self.filter_edit.text()
        rows = [p for p in self.followed if matches(p, text)] if text.strip() else self.followed
        self.file_model.set_rows(rows)
        if rows:
            self.file_empty.hide()
            self.file_list.show()
        else:
            self.show_empty(
                self.tr("Aucun patient de votre file active ne correspond à « {text} ».").format(
                    text=text.strip()
                )
                if text.strip()
                else self.tr("Aucun patient dans votre file active.")
            )
        if keep is not None:
            row = self.file_model.row_of(keep)
            if row >= 0:
                self.file_list.selectionModel().blockSignals(True)
                self.file_list.setCurrentIndex(self.file_model.index(row))
                self.file_list.selectionModel().blockSignals(False)

    def show_empty(self, text: str) -> None:
        """No list: `text` says why (empty, nothing matches, not loaded, offline)."""
        self.file_empty.setText(text)
        self.file_empty.show()
        self.file_list.hide()

    def select(self, patient_id: str) -> bool:
        """Selects this followed patient (clearing the filter if it hides them)."""
        if not any(p.id == patient_id for p in self.followed):
            return False
        if self.file_model.row_of(patient_id) < 0:
            self.filter_edit.clear()
        self.file_list.setCurrentIndex(self.file_model.index(self.file_model.row_of(patient_id)))
        return True
