"""The "Équipe de soins" of the selected patient ("acteurs du dossier", FAQ): the professionals
attached to the patient's file, mine marked "(vous)". Read through `session.patients` each time a
patient is chosen (a newer choice replaces a read still running); its addresses are those
"Écrire à l'équipe de soins" writes to."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from app.regional.records import CareTeam, CareTeamMember, Patient
from app.session import AccountSession
from ui import tasks
from ui.card_delegate import CardList
from ui.patients.delegates import CareTeamDelegate
from ui.patients.widgets import say
from ui.patients.words import member_text, member_tooltip
from ui.plain import PlainLabel
from ui.record_list import RecordList


class CareTeamSection(QWidget):
    """`changed()`: the team shown changed (cleared or read); `read(Patient)`: the team of this
    patient was read (the read is in the patient's access journal from then on)."""

    changed = Signal()
    read = Signal(object)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.team: CareTeam | None = None
        self.team_task: asyncio.Future[CareTeam | None] | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        self.team_status = PlainLabel()  # may quote the server
        self.team_status.setObjectName("hint")
        self.team_status.setWordWrap(True)
        self.team_status.setContentsMargins(16, 0, 16, 0)
        box.addWidget(self.team_status)
        self.team_model: RecordList[CareTeamMember] = RecordList(member_text, member_tooltip, self)
        self.team_delegate = CareTeamDelegate(self)
        self.team_list = CardList(self.team_model, self.team_delegate, "careTeamList")
        self.team_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        box.addWidget(self.team_list, 1)

    def set_me(self, me: str | None) -> None:
        self.team_delegate.me = me

    def clear(self) -> None:
        """Nobody chosen: no team, and a read still running is dropped."""
        if self.team_task is not None:
            self.team_task.cancel()
        self.team = None
        self.team_model.set_rows([])
        self.changed.emit()

    def load(self, patient: Patient) -> asyncio.Future[CareTeam | None]:
        self.team = None
        self.team_model.set_rows([])
        self.team_list.hide()
        say(self.team_status, self.tr("Chargement de l'équipe de soins…"))
        self.changed.emit()

        def loaded(team: CareTeam) -> None:
            self.team = team
            self.team_model.set_rows(team.members)
            self.team_list.setVisible(bool(team.members))
            say(
                self.team_status,
                ""
                if team.members
                else self.tr("Aucun professionnel n'est encore rattaché à ce dossier."),
            )
            self.changed.emit()
            self.read.emit(patient)

        def failed(message: str) -> None:
            say(self.team_status, message, error=True)

        self.team_task = tasks.run(
            self.session.patients.care_team(patient.id), self, loaded, failed, key="team"
        )
        return self.team_task
