"""The detail card of the téléexpertise page: who asked whom about which patient and when, the
question, the expert's answer and the compte rendu, then what my role and the state allow (the
expert answers a requested one, the requester closes an answered one with the compte rendu).
The card only shows; the page decides and acts (it connects the buttons)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.dates import long_datetime
from app.message.patient import born_on, sex_of_ins
from app.regional.records import Teleexpertise
from ui import theme
from ui.plain import PlainLabel
from ui.teleexpertise.labels import status_label


class TeleexpertiseDetail(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailCard")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("detailContent")
        box = QVBoxLayout(inner)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(8)
        self.title = PlainLabel()
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.meta = PlainLabel()
        self.meta.setObjectName("hint")
        self.meta.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.meta)
        self.sections: dict[str, tuple[QLabel, QLabel]] = {}
        for key, heading in (
            ("question", self.tr("Question")),
            ("documents", self.tr("Documents joints (dans la conversation)")),
            ("answer", self.tr("Réponse de l'expert")),
            ("report", self.tr("Compte rendu")),
        ):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            text = PlainLabel()
            text.setObjectName("fieldText")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(head)
            box.addWidget(text)
            self.sections[key] = (head, text)

        self.action_title = PlainLabel()
        self.action_title.setObjectName("fieldTitle")
        self.action_edit = QPlainTextEdit()
        self.action_edit.setObjectName("actionEdit")
        self.action_edit.setMinimumHeight(96)
        self.action_edit.setMaximumHeight(150)  # the buttons stay in sight
        self.answer_button = QPushButton(theme.icon("send"), self.tr("Répondre"))
        self.answer_button.setObjectName("primaryButton")
        self.close_button = QPushButton(theme.icon("check-light"), self.tr("Clôturer"))
        self.close_button.setObjectName("primaryButton")
        self.thread_button = QPushButton(
            theme.icon("conversation"), self.tr("Voir la conversation")
        )
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        self.feedback_label.setWordWrap(True)
        box.addWidget(self.action_title)
        box.addWidget(self.action_edit)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.thread_button)
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        box.addWidget(self.feedback_label)
        box.addStretch(1)
        self.placeholder = PlainLabel(self.tr("Choisissez une téléexpertise pour voir son détail."))
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.placeholder)
        scroll.setWidget(inner)
        outer.addWidget(scroll)

    def show_record(self, te: Teleexpertise | None, mine: bool) -> None:
        """`te` in detail (`mine`: I asked for it), or the placeholder when None."""
        for widget in (self.title, self.meta, self.thread_button):
            widget.setVisible(te is not None)
        self.placeholder.setVisible(te is None)
        if te is None:
            for head, text in self.sections.values():
                head.setVisible(False)
                text.setVisible(False)
            return
        born = born_on(sex_of_ins(te.patient.ins), te.patient.birth_date)
        self.title.setText(f"{te.patient.name}, {born}")
        lines = [
            (
                self.tr("Demandée à {name}").format(name=te.expert.name)
                if mine
                else self.tr("Demandée par {name}").format(name=te.requester.name)
            )
            + f" {long_datetime(te.created_at)} · {status_label(te.status)}"
        ]
        if te.answered_at:
            lines.append(self.tr("Réponse reçue {when}").format(when=long_datetime(te.answered_at)))
        if te.closed_at:
            lines.append(self.tr("Clôturée {when}").format(when=long_datetime(te.closed_at)))
        self.meta.setText("\n".join(lines))
        documents = "\n".join(
            f"{d.name} — {d.type_label}" if d.type_label else d.name for d in te.documents
        )
        for key, value in (
            ("question", te.question),
            ("documents", documents),
            ("answer", te.answer),
            ("report", te.report),
        ):
            head, text = self.sections[key]
            head.setVisible(bool(value))
            text.setVisible(bool(value))
            text.setText(value or "")
        self.thread_button.setEnabled(bool(te.thread_id))

    def show_actions(self, answering: bool, closing: bool, busy: bool) -> None:
        """The editor and the button of what may be done now (nothing, answer, or close); the
        button is enabled once something is written and nothing is being sent."""
        self.action_title.setVisible(answering or closing)
        self.action_edit.setVisible(answering or closing)
        self.answer_button.setVisible(answering)
        self.close_button.setVisible(closing)
        if answering:
            self.action_title.setText(self.tr("Votre avis"))
            self.action_edit.setPlaceholderText(self.tr("Votre réponse à la question posée…"))
        elif closing:
            self.action_title.setText(self.tr("Compte rendu de téléexpertise"))
            self.action_edit.setPlaceholderText(
                self.tr("Le compte rendu, déposé dans le dossier du patient à la clôture…")
            )
        filled = bool(self.action_edit.toPlainText().strip())
        self.answer_button.setEnabled(answering and filled and not busy)
        self.close_button.setEnabled(closing and filled and not busy)

    def flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)


__all__ = ["TeleexpertiseDetail"]
