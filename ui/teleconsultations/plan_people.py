"""Who a planned teleconsultation invites besides the teleconsultant: the patient (from the regional
patient directory, through the project's patient picker, or typed in free text) with the e-mail
and mobile the invitation goes to, and the other participants (professionals from the directory,
through the navigator's picker, or people outside it such as a family member, by name with an
e-mail or a mobile).

The patient's contact details come prefilled from the directory when it gives them (only to those
who follow the patient) and stay editable; each field says next to it, in French, what is wrong
with it. Names and addresses from the directory are shown as plain text. When a planned
teleconsultation is edited, its patient is fixed (`PatientBox.fix`: only the contacts change) and
its participants are listed first (`ParticipantsBox.show_existing`)."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.message.draft import ChosenPatient
from app.records import Correspondent
from app.regional.records import Participant, ParticipantInput, Patient
from app.regional.teleconsultations import participant_input, participant_problem
from app.session import AccountSession
from app.text import strip_bidi
from ui import i18n, tasks, theme
from ui.navigator import navigator
from ui.patient_picker import PatientDialog
from ui.plain import PlainLabel, VisibleOnly, plain_text


def field_error() -> PlainLabel:
    """The French sentence under a field, hidden while there is nothing to say."""
    label = PlainLabel()
    label.setObjectName("hint")
    label.setWordWrap(True)
    theme.restyle(label, error=True)
    label.hide()
    return label


def say(label: PlainLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class PatientBox(QWidget):
    """The patient and their contact details; `changed` on any change."""

    changed = Signal()

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chosen: ChosenPatient | None = None
        self.fixed: Participant | None = None  # the patient of a teleconsultation being edited
        self.patient_dialog: PatientDialog | None = None
        self.contacts_task: asyncio.Future[Any] | None = None
        self.chosen_label = PlainLabel()
        self.chosen_label.setObjectName("choice")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("patientName")
        self.name_edit.setPlaceholderText(self.tr("ou son nom (hors annuaire)"))
        self.name_edit.setMaxLength(200)
        self.choose_button = QPushButton(theme.icon("patient"), self.tr("Choisir dans l'annuaire…"))
        self.forget_button = QPushButton(self.tr("Retirer"))
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("patientEmail")
        self.email_edit.setPlaceholderText(self.tr("E-mail du patient"))
        self.mobile_edit = QLineEdit()
        self.mobile_edit.setObjectName("patientMobile")
        self.mobile_edit.setPlaceholderText(self.tr("Mobile du patient (06…, 07…)"))
        for edit in (self.name_edit, self.email_edit, self.mobile_edit):
            edit.setValidator(VisibleOnly(edit))
        self.patient_error = field_error()
        self.email_error = field_error()
        self.mobile_error = field_error()
        for button in (self.choose_button, self.forget_button):
            button.setAutoDefault(False)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.chosen_label, 0, 0)
        grid.addWidget(self.name_edit, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forget_button)
        buttons.addWidget(self.choose_button)
        grid.addLayout(buttons, 0, 1)
        grid.addWidget(self.patient_error, 1, 0, 1, 2)
        grid.addWidget(self.email_edit, 2, 0)
        grid.addWidget(self.mobile_edit, 2, 1)
        grid.addWidget(self.email_error, 3, 0)
        grid.addWidget(self.mobile_error, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.choose_button.clicked.connect(lambda _checked=False: self.choose())
        self.forget_button.clicked.connect(lambda _checked=False: self.set_patient(None))
        for edit in (self.name_edit, self.email_edit, self.mobile_edit):
            edit.textChanged.connect(self.changed)
        self.set_patient(None)

    def choose(self) -> PatientDialog:
        dialog = PatientDialog(self.session, self)
        dialog.chosen.connect(self._chosen)
        self.patient_dialog = dialog
        dialog.open()
        return dialog

    def _chosen(self, chosen: ChosenPatient) -> None:
        """The picker's patient; the contacts the directory gives me fill the empty fields."""
        self.set_patient(chosen)
        if chosen.id is None:
            return

        def prefill(patient: Patient) -> None:
            if self.chosen is None or self.chosen.id != patient.id:
                return  # another patient since
            for edit, value in (
                (self.email_edit, patient.email),
                (self.mobile_edit, patient.mobile),
            ):
                if value and not edit.text().strip():
                    edit.setText(strip_bidi(value))

        self.contacts_task = tasks.run(
            self.session.teleconsultations.patient(chosen.id),
            self,
            prefill,
            lambda message: say(self.patient_error, message),
            key="contacts",
        )

    def set_patient(self, chosen: ChosenPatient | None) -> None:
        self.chosen = chosen
        self.chosen_label.setText(chosen.identity.display() if chosen else "")
        self.chosen_label.setVisible(chosen is not None)
        self.forget_button.setVisible(chosen is not None)
        self.name_edit.setVisible(chosen is None)
        self.changed.emit()

    def fix(self, patient: Participant) -> None:
        """The patient of a planned teleconsultation: shown, not changed; the contacts stay
        editable."""
        self.fixed = patient
        self.chosen_label.setText(strip_bidi(patient.name))
        self.chosen_label.show()
        for widget in (self.name_edit, self.choose_button, self.forget_button):
            widget.hide()
        self.email_edit.setText(strip_bidi(patient.email or ""))
        self.mobile_edit.setText(strip_bidi(patient.mobile or ""))

    def patient_id(self) -> str | None:
        if self.fixed is not None:
            return self.fixed.patient_id
        return self.chosen.id if self.chosen else None

    def name(self) -> str | None:
        if self.fixed is not None:
            return self.fixed.name
        return None if self.chosen else self.name_edit.text().strip() or None


class ParticipantsBox(QWidget):
    """The other participants: from the directory or in free text; `changed` on any change."""

    changed = Signal()

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.people: list[ParticipantInput] = []
        self.directory_dialog: QDialog | None = None
        self.list = QListWidget()
        self.list.setObjectName("participantList")
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 3 + 16)
        self.directory_button = QPushButton(theme.icon("search"), self.tr("Depuis l'annuaire…"))
        self.remove_button = QPushButton(self.tr("Retirer"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("participantName")
        self.name_edit.setPlaceholderText(self.tr("Nom d'un proche"))
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("participantEmail")
        self.email_edit.setPlaceholderText(self.tr("E-mail"))
        self.mobile_edit = QLineEdit()
        self.mobile_edit.setObjectName("participantMobile")
        self.mobile_edit.setPlaceholderText(self.tr("ou mobile"))
        for edit in (self.name_edit, self.email_edit, self.mobile_edit):
            edit.setValidator(VisibleOnly(edit))
            edit.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton(self.tr("Ajouter"))
        self.error = field_error()
        for button in (self.directory_button, self.remove_button, self.add_button):
            button.setAutoDefault(False)

        typed = QHBoxLayout()
        typed.setSpacing(8)
        typed.addWidget(self.name_edit, 3)
        typed.addWidget(self.email_edit, 3)
        typed.addWidget(self.mobile_edit, 2)
        typed.addWidget(self.add_button)
        side = QVBoxLayout()
        side.addWidget(self.directory_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(typed)
        layout.addWidget(self.error)

        self.directory_button.clicked.connect(lambda _checked=False: self.choose())
        self.remove_button.clicked.connect(lambda _checked=False: self.remove_selected())
        self.add_button.clicked.connect(lambda _checked=False: self.add_typed())
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.currentRow() >= 0)

    def choose(self) -> QDialog:
        self.directory_dialog = navigator().choose_correspondents(
            self.session, self, self.add_correspondents, title=self.tr("Ajouter un participant")
        )
        return self.directory_dialog

    def add_correspondents(self, people: list[Correspondent]) -> None:
        for person in people:
            name = strip_bidi(person.display_name)
            self._add(
                ParticipantInput(
                    practitioner_id=person.practitioner_id, name=name, email=person.mailbox
                ),
                f"{name} — {strip_bidi(person.mailbox)}" if person.mailbox else name,
            )

    def show_existing(self, people: list[Participant]) -> None:
        """The participants already invited (editing): sent back as they are, they keep their
        join link."""
        for person in people:
            contact = " · ".join(strip_bidi(c) for c in (person.email, person.mobile) if c)
            name = strip_bidi(person.name)
            self._add(participant_input(person), f"{name} — {contact}" if contact else name)

    def add_typed(self) -> bool:
        """The free-text participant, once named with a way to invite them."""
        name = self.name_edit.text().strip()
        email = self.email_edit.text().strip()
        mobile = self.mobile_edit.text().strip()
        problem = participant_problem(name, email, mobile)
        if problem is not None:
            say(self.error, i18n.core_text(problem))
            return False
        say(self.error, "")
        contact = " · ".join(c for c in (email, mobile) if c)
        self._add(
            ParticipantInput(name=name, email=email or None, mobile=mobile or None),
            f"{name} — {contact}",
        )
        for edit in (self.name_edit, self.email_edit, self.mobile_edit):
            edit.clear()
        return True

    def _add(self, person: ParticipantInput, text: str) -> None:
        self.people.append(person)
        self.list.addItem(QListWidgetItem(plain_text(text)))
        self.changed.emit()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.people):
            del self.people[row]
            self.list.takeItem(row)
            self.changed.emit()
        self._update()


__all__ = ["ParticipantsBox", "PatientBox", "field_error", "say"]
