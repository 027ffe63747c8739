"""An équipe ressource's card: its name, who declared it and where to write, its activity, the
prerequisites for requesters, its members and its document templates. What a row of templates
offers depends on who reads it: a requester downloads a template or fills it in and sends it back
("Remplir et renvoyer"); the declarant adds templates (button or drag-and-drop, the server's limits
said beside) and deletes them, edits the team or withdraws it; a member may leave it.

Everything on it comes from the server or another user: plain text only. The card asks; the page
(view.py) acts, through the signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.regional.records import ResourceTeam, TeamLimits, Template
from app.units import file_size
from ui import theme
from ui.inserting import local_files
from ui.plain import PlainLabel, plain_tooltip

# Who reads the card: what its buttons offer.
REQUESTER, DECLARANT, MEMBER = "requester", "declarant", "member"


class TemplateRow(QFrame):
    """One template: its name and size, and the buttons of the reader's role."""

    def __init__(self, template: Template, role: str, card: TeamCard) -> None:
        super().__init__(card)
        self.setObjectName("templateRow")
        self.template = template
        name = PlainLabel(template.file_name)
        name.setObjectName("templateName")
        name.setWordWrap(True)
        size = PlainLabel(file_size(template.size))
        size.setObjectName("hint")
        # The name and size on a line, the buttons under them: a narrow window keeps both whole.
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(theme_icon_label("mail-document"))
        top.addWidget(name, 1)
        top.addWidget(size)
        box.addLayout(top)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addStretch(1)
        box.addLayout(row)
        self.buttons: dict[str, QPushButton] = {}
        if role == DECLARANT:
            self._button(row, "delete", self.tr("Supprimer"), card.deleteTemplate.emit)
        else:
            self._button(row, "download", self.tr("Télécharger"), card.downloadTemplate.emit)
            self._button(row, "send_back", self.tr("Remplir et renvoyer"), card.sendBack.emit)
            self.buttons["send_back"].setObjectName("primaryButton")
            self.buttons["send_back"].setToolTip(
                plain_tooltip(
                    self.tr(
                        "Enregistre le modèle, l'ouvre pour que vous le remplissiez et prépare "
                        "un message à l'équipe avec le fichier joint."
                    )
                )
            )

    def _button(
        self, row: QHBoxLayout, key: str, text: str, emit: Callable[[Template], None]
    ) -> None:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: emit(self.template))
        row.addWidget(button)
        self.buttons[key] = button


def theme_icon_label(name: str) -> PlainLabel:
    label = PlainLabel()
    label.setPixmap(theme.icon(name).pixmap(20, 20))
    return label


class TeamCard(QScrollArea):
    """The card of one team (or, with none, the sentence that asks to choose one)."""

    downloadTemplate = Signal(object)  # Template
    sendBack = Signal(object)  # Template: "Remplir et renvoyer"
    deleteTemplate = Signal(object)  # Template
    addTemplates = Signal(list)  # list[Path]: "Ajouter un modèle…" or files dropped
    editRequested = Signal()
    withdrawRequested = Signal()
    leaveRequested = Signal()
    writeRequested = Signal()

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamCard")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # As wide as the page gives: the labels wrap (long words too), nothing scrolls sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.team: ResourceTeam | None = None
        self.role = REQUESTER
        self.limits: TeamLimits | None = None
        self.rows: list[TemplateRow] = []
        body = QFrame()
        body.setObjectName("detailCard")
        self.setWidget(body)
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(20, 16, 20, 16)
        self.layout_.setSpacing(6)

        self.empty_label = PlainLabel(empty_text)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.title = PlainLabel()
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.meta = PlainLabel()
        self.meta.setObjectName("hint")
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.empty_label)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.meta)
        self.sections: dict[str, tuple[PlainLabel, PlainLabel]] = {}
        for key, heading in (
            ("activity", self.tr("Activité")),
            ("prerequisites", self.tr("Prérequis pour les demandeurs")),
            ("members", self.tr("Membres")),
        ):
            head, text = PlainLabel(heading), PlainLabel()
            head.setObjectName("fieldTitle")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.layout_.addWidget(head)
            self.layout_.addWidget(text)
            self.sections[key] = (head, text)

        self.templates_head = PlainLabel(self.tr("Modèles de documents"))
        self.templates_head.setObjectName("fieldTitle")
        self.templates_box = QVBoxLayout()
        self.templates_box.setSpacing(4)
        self.no_templates = PlainLabel()
        self.no_templates.setObjectName("hint")
        self.no_templates.setWordWrap(True)
        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("dropZone")
        self.limits_label = PlainLabel()
        self.limits_label.setObjectName("hint")
        self.limits_label.setWordWrap(True)
        self.add_button = QPushButton(theme.icon("mail-attachment"), self.tr("Ajouter un modèle…"))
        self.add_button.setAutoDefault(False)
        zone = QHBoxLayout(self.drop_zone)
        zone.setContentsMargins(8, 8, 8, 8)
        zone.addWidget(self.limits_label, 1)
        zone.addWidget(self.add_button)
        self.layout_.addWidget(self.templates_head)
        self.layout_.addLayout(self.templates_box)
        self.layout_.addWidget(self.no_templates)
        self.layout_.addWidget(self.drop_zone)

        self.feedback = PlainLabel()
        self.feedback.setObjectName("hint")
        self.feedback.setWordWrap(True)
        self.layout_.addWidget(self.feedback)
        self.layout_.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.withdraw_button = QPushButton(self.tr("Retirer l'équipe"))
        self.leave_button = QPushButton(self.tr("Quitter l'équipe"))
        self.edit_button = QPushButton(self.tr("Modifier"))
        self.write_button = QPushButton(theme.icon("pen-light"), self.tr("Écrire à l'équipe"))
        self.write_button.setObjectName("primaryButton")
        actions.addWidget(self.withdraw_button)
        actions.addWidget(self.leave_button)
        actions.addStretch(1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.write_button)
        self.layout_.addLayout(actions)
        for button, signal in (
            (self.withdraw_button, self.withdrawRequested),
            (self.leave_button, self.leaveRequested),
            (self.edit_button, self.editRequested),
            (self.write_button, self.writeRequested),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(signal)
        self.add_button.clicked.connect(lambda _checked=False: self.addTemplates.emit([]))
        self.setAcceptDrops(True)
        self.show_team(None)

    # Showing ------------------------------------------------------------------------------------

    def show_team(self, team: ResourceTeam | None, role: str = REQUESTER) -> None:
        if (team.id if team else None) != (self.team.id if self.team else None):
            self.feedback.clear()  # about another team
        self.team, self.role = team, role
        self.empty_label.setVisible(team is None)
        for widget in (self.title, self.meta, self.templates_head):
            widget.setVisible(team is not None)
        declarant = team is not None and role == DECLARANT
        self.drop_zone.setVisible(declarant)
        self.edit_button.setVisible(declarant)
        self.withdraw_button.setVisible(declarant)
        self.leave_button.setVisible(team is not None and role == MEMBER)
        self.write_button.setVisible(team is not None and role != DECLARANT)
        self._show_rows()
        if team is None:
            for head, text in self.sections.values():
                head.hide()
                text.hide()
            self.no_templates.hide()
            return
        self.title.setText(team.name)
        self.meta.setText(
            self.tr("Déclarée par {name} · Contact : {address}").format(
                name=team.declared_by or self.tr("inconnu"), address=team.contact_address
            )
        )
        members = "\n".join(f"{m.name} — {m.mssante_address}" for m in team.members)
        for key, value in (
            ("activity", team.activity_description),
            ("prerequisites", team.prerequisites or self.tr("Aucun prérequis indiqué.")),
            ("members", members or self.tr("Aucun membre indiqué.")),
        ):
            head, text = self.sections[key]
            head.show()
            text.show()
            text.setText(value)
        self._show_limits()

    def _show_rows(self) -> None:
        for row in self.rows:
            self.templates_box.removeWidget(row)
            row.deleteLater()
        self.rows = []
        team = self.team
        if team is None:
            return
        for template in team.templates:
            row = TemplateRow(template, self.role, self)
            self.templates_box.addWidget(row)
            self.rows.append(row)
        self.no_templates.setVisible(not team.templates)
        self.no_templates.setText(
            self.tr("Aucun modèle pour l'instant : ajoutez ceux que vos demandeurs rempliront.")
            if self.role == DECLARANT
            else self.tr("Cette équipe ne propose pas de modèle de document.")
        )

    def set_limits(self, limits: TeamLimits | None) -> None:
        self.limits = limits
        self._show_limits()

    def _show_limits(self) -> None:
        """What the server accepts, said before the user picks a file."""
        limits = self.limits
        if limits is None:
            self.limits_label.setText(
                self.tr("Glissez ici vos modèles de documents (PDF, traitement de texte…).")
            )
            return
        count = len(self.team.templates) if self.team else 0
        self.limits_label.setText(
            self.tr(
                "Glissez ici vos modèles de documents, ou ajoutez-les : {size} au plus par "
                "modèle, {max} modèles au plus ({count} pour l'instant)."
            ).format(
                size=file_size(limits.max_template_bytes), max=limits.max_templates, count=count
            )
        )
        self.add_button.setEnabled(count < limits.max_templates)

    def say(self, text: str, error: bool = False) -> None:
        self.feedback.setText(text)
        theme.restyle(self.feedback, error=error)

    # Files dropped on the card: templates, for its declarant ----------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.role == DECLARANT and self.team is not None and local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event)
        if self.role == DECLARANT and self.team is not None and files:
            event.acceptProposedAction()
            self.addTemplates.emit(list(files))
        else:
            event.ignore()


__all__ = ["DECLARANT", "MEMBER", "REQUESTER", "TeamCard", "TemplateRow"]
