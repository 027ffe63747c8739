"""« Déclarer une équipe ressource » (FAQ: the declaration form): the team's name, the description
of its activity, the prerequisites asked of requesters, its contact MSSanté address (mine to start
with) and its members, picked from the directory. The same form edits a team I declared. The
server's refusals are shown in its French words and the form stays open with what was typed."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.regional.records import ResourceTeam
from app.session import AccountSession
from ui import tasks, theme
from ui.plain import PlainLabel, VisibleOnly
from ui.teams.members import MembersBox

TEXT_MAX = 4000  # the server's limit for the activity and the prerequisites


class TeamForm(QDialog):
    """Declares a team (`team` None) or edits it → `saved(ResourceTeam)`."""

    saved = Signal(object)

    def __init__(
        self, session: AccountSession, team: ResourceTeam | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teamForm")
        self.session = session
        self.team = team
        self.task: asyncio.Future[Any] | None = None
        heading = (
            self.tr("Modifier l'équipe ressource")
            if team
            else self.tr("Déclarer une équipe ressource")
        )
        self.setWindowTitle(window_title(heading))
        title = PlainLabel(heading)
        title.setObjectName("dialogTitle")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.name_edit.setValidator(VisibleOnly(self.name_edit))
        self.name_edit.setPlaceholderText(
            self.tr("Par exemple : Équipe ressource douleur chronique — CHU de Lyon")
        )
        self.activity_edit = QPlainTextEdit()
        self.activity_edit.setPlaceholderText(
            self.tr("Ce que fait l'équipe, pour quels patients, comment la solliciter")
        )
        self.activity_edit.setMaximumHeight(90)
        self.prerequisites_edit = QPlainTextEdit()
        self.prerequisites_edit.setPlaceholderText(
            self.tr("Ce que le demandeur doit fournir, par exemple : dernier courrier, bilans")
        )
        self.prerequisites_edit.setMaximumHeight(80)
        self.contact_edit = QLineEdit()
        self.contact_edit.setMaxLength(254)
        self.contact_edit.setValidator(VisibleOnly(self.contact_edit))
        self.contact_edit.setPlaceholderText(self.tr("Adresse MSSanté où les demandes arrivent"))
        self.members = MembersBox(session, self)
        self.error_label = PlainLabel()
        self.error_label.setObjectName("hint")
        self.error_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Enregistrer"))
        self.save_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(title)
        for heading_text, widget in (
            (self.tr("Nom de l'équipe"), self.name_edit),
            (self.tr("Description de l'activité"), self.activity_edit),
            (self.tr("Prérequis pour les demandeurs"), self.prerequisites_edit),
            (self.tr("Adresse MSSanté de contact"), self.contact_edit),
            (self.tr("Membres de l'équipe"), self.members),
        ):
            head = PlainLabel(heading_text)
            head.setObjectName("fieldTitle")
            layout.addWidget(head)
            layout.addWidget(widget)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.resize(600, 680)

        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.cancel_button.clicked.connect(self.reject)
        for edit in (self.name_edit, self.contact_edit):
            edit.textChanged.connect(self._update)
        self.activity_edit.textChanged.connect(self._update)
        self.fill(team)

    def fill(self, team: ResourceTeam | None) -> None:
        if team is None:
            # My own address to start with: the usual contact of a team I declare.
            tasks.run(self.session.own_address(), self, self._my_address, key="me")
            self._update()
            return
        self.name_edit.setText(team.name)
        self.activity_edit.setPlainText(team.activity_description)
        self.prerequisites_edit.setPlainText(team.prerequisites)
        self.contact_edit.setText(team.contact_address)
        self.members.set_members(list(team.members))
        self._update()

    def _my_address(self, me: Any) -> None:
        if not self.contact_edit.text().strip():
            self.contact_edit.setText(me.email)

    def _busy(self) -> bool:
        return self.task is not None and not self.task.done()

    def _update(self) -> None:
        ready = all(
            (
                self.name_edit.text().strip(),
                self.activity_edit.toPlainText().strip(),
                self.contact_edit.text().strip(),
            )
        )
        self.save_button.setEnabled(ready and not self._busy())

    def save(self) -> asyncio.Future[Any] | None:
        if self._busy() or not self.save_button.isEnabled():
            return None
        activity = self.activity_edit.toPlainText().strip()
        prerequisites = self.prerequisites_edit.toPlainText().strip()
        too_long = len(activity) > TEXT_MAX or len(prerequisites) > TEXT_MAX
        if too_long:
            self._say(
                self.tr(
                    "La description et les prérequis font chacun au plus {n} caractères : "
                    "raccourcissez-les."
                ).format(n=TEXT_MAX),
                error=True,
            )
            return None
        teams, name = self.session.teams, self.name_edit.text().strip()
        contact = self.contact_edit.text().strip()
        members = self.members.addresses()
        change = (
            teams.update(self.team.id, name, activity, contact, prerequisites, members)
            if self.team is not None
            else teams.declare(name, activity, contact, prerequisites, members)
        )

        def done(team: ResourceTeam) -> None:
            self.saved.emit(team)
            self.accept()

        def failed(message: str) -> None:
            self.task = None  # over (this runs before the future says so)
            self._say(message, error=True)
            self._update()

        self._say(self.tr("Enregistrement…"))
        self.task = tasks.change(change, self, done, failed)
        self._update()
        return self.task

    def _say(self, text: str, error: bool = False) -> None:
        self.error_label.setText(text)
        theme.restyle(self.error_label, error=error)


__all__ = ["TeamForm"]
