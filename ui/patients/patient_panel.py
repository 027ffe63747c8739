"""The selected patient's side of Mes patients: identity (name, birth, sex, INS, city), the usual
name and contact details (the directory gives them to followers only), "Suivre" / "Ne plus suivre",
three sections shown one at a time (the care team, the access journal, the documents), and the
actions: write to the care team, see the messages about the patient, open the patient's file on
the portal.

The panel shows; the page (view.py) decides what happens when a button is pressed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.dates import long_date
from app.message.patient import format_ins
from app.records import Address
from app.regional.patients import display_name
from app.regional.records import Patient
from ui import i18n, theme
from ui.cards import Segments
from ui.patients.access_log import AccessLogPanel
from ui.patients.care_team import CareTeamSection
from ui.patients.documents import DocumentsSection
from ui.patients.widgets import hint_label, say
from ui.patients.words import born_text, sex_text
from ui.plain import PlainLabel, plain_tooltip


class PatientPanel(QFrame):
    TEAM, JOURNAL, DOCUMENTS = 0, 1, 2

    def __init__(
        self,
        care_team: CareTeamSection,
        access_log: AccessLogPanel,
        documents: DocumentsSection,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("patientPanel")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 16, 0, 16)
        column.setSpacing(8)

        self.panel_empty = PlainLabel(
            self.tr("Choisissez un patient pour voir son identité et son équipe de soins.")
        )
        self.panel_empty.setObjectName("emptyState")
        self.panel_empty.setWordWrap(True)
        self.panel_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.panel_empty, 1)

        self.panel_body = QWidget()
        body = QVBoxLayout(self.panel_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(8)
        identity = QVBoxLayout()
        identity.setContentsMargins(16, 0, 16, 0)
        identity.setSpacing(4)
        self.name_label = self._selectable("patientName")
        self.identity_label = self._selectable("patientIdentity")
        self.details_label = self._selectable("patientDetails")
        for label in (self.name_label, self.identity_label, self.details_label):
            identity.addWidget(label)
        body.addLayout(identity)

        follow_row = QHBoxLayout()
        follow_row.setContentsMargins(16, 0, 16, 0)
        self.followed_mark = PlainLabel(self.tr("Dans ma file active"))
        self.followed_mark.setObjectName("followedMark")
        self.follow_button = QPushButton()
        follow_row.addWidget(self.followed_mark)
        follow_row.addStretch(1)
        follow_row.addWidget(self.follow_button)
        body.addLayout(follow_row)

        # Three sections, one at a time: the care team, the access journal, the documents.
        self.section_group = Segments(
            (self.tr("Équipe de soins"), self.tr("Journal des accès"), self.tr("Documents")), self
        )
        self.team_tab, self.journal_tab, self.documents_tab = self.section_group.tabs
        body.addLayout(self.section_group.row)
        self.sections = QStackedWidget()
        self.sections.addWidget(care_team)
        self.sections.addWidget(access_log)
        self.sections.addWidget(documents)
        self.section_group.idClicked.connect(self.sections.setCurrentIndex)
        body.addWidget(self.sections, 1)

        actions = QVBoxLayout()
        actions.setContentsMargins(16, 0, 16, 0)
        actions.setSpacing(8)
        self.write_button = QPushButton(
            theme.icon("action-compose-light"), self.tr("Écrire à l'équipe de soins")
        )
        self.write_button.setObjectName("primaryButton")
        self.messages_button = QPushButton(theme.icon("mail-inbox"), self.tr("Voir les messages"))
        self.file_button = QPushButton(theme.icon("external-link"), self.tr("Ouvrir le dossier"))
        self.file_button.setToolTip(self.tr("Le dossier du patient sur le portail régional"))
        second = QHBoxLayout()
        second.setSpacing(8)
        second.addWidget(self.messages_button)
        second.addWidget(self.file_button)
        actions.addWidget(self.write_button)
        actions.addLayout(second)
        self.feedback_label = hint_label()
        actions.addWidget(self.feedback_label)
        body.addLayout(actions)
        column.addWidget(self.panel_body, 1)

    @staticmethod
    def _selectable(name: str) -> PlainLabel:
        label = PlainLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_patient(self, patient: Patient | None, portal: bool) -> None:
        """The patient's identity and buttons (`portal`: the server has a portal to open)."""
        self.panel_empty.setVisible(patient is None)
        self.panel_body.setVisible(patient is not None)
        if patient is None:
            return
        self.name_label.setText(display_name(patient))
        lines = [born_text(patient, long_date(patient.birth_date))]
        sex = sex_text(patient)
        if sex is not None:
            lines[0] += " · " + sex
        if patient.ins:
            lines.append(self.tr("INS : {ins}").format(ins=format_ins(patient.ins)))
        else:
            lines.append(self.tr("INS non renseigné"))
        if patient.city:
            lines.append(patient.city)
        self.identity_label.setText("\n".join(lines))
        self.details_label.setText(self._details(patient))
        self.followed_mark.setVisible(patient.in_file_active)
        self.follow_button.setText(
            self.tr("Ne plus suivre") if patient.in_file_active else self.tr("Suivre")
        )
        self.follow_button.setObjectName("" if patient.in_file_active else "primaryButton")
        theme.restyle(self.follow_button)
        has_ins = bool(patient.ins)
        self.messages_button.setEnabled(has_ins)
        self.file_button.setEnabled(has_ins and patient.in_file_active and portal)
        self.file_button.setToolTip(
            self.tr("Le dossier du patient sur le portail régional")
            if patient.in_file_active
            else self.tr("Suivez ce patient pour ouvrir son dossier sur le portail régional.")
        )
        self.messages_button.setToolTip(
            self.tr("Les messages de votre messagerie au sujet de ce patient")
            if has_ins
            else self.tr("Ce patient n'a pas d'INS : ses messages ne peuvent pas être retrouvés.")
        )

    def _details(self, patient: Patient) -> str:
        """The usual name, then the contact details, which the directory gives followers only."""
        lines = []
        if patient.usual_family:
            lines.append(self.tr("Nom d'usage : {name}").format(name=patient.usual_family))
        if not patient.in_file_active:
            lines.append(
                self.tr("E-mail et mobile visibles une fois le patient dans votre file active.")
            )
        elif patient.email or patient.mobile:
            if patient.email:
                lines.append(self.tr("E-mail : {email}").format(email=patient.email))
            if patient.mobile:
                lines.append(self.tr("Mobile : {mobile}").format(mobile=patient.mobile))
        else:
            lines.append(self.tr("Ni e-mail ni mobile connus."))
        return "\n".join(lines)

    def show_team_addresses(self, addresses: list[Address]) -> None:
        """ "Écrire à l'équipe de soins" is for the team's known addresses (mine left out)."""
        self.write_button.setEnabled(bool(addresses))
        self.write_button.setToolTip(
            plain_tooltip(
                i18n.plural(
                    len(addresses),
                    self.tr("Un message à {n} professionnel de l'équipe de soins"),
                    self.tr("Un message à {n} professionnels de l'équipe de soins"),
                ).format(n=len(addresses))
                if addresses
                else self.tr("Aucune adresse MSSanté connue dans l'équipe de soins.")
            )
        )

    def flash(self, text: str, error: bool = False) -> None:
        say(self.feedback_label, text, error)
