"""« Annuler la téléconsultation »: asks before cancelling, with an optional reason that the
participants receive with the cancellation (the server tells them)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.about import window_title
from app.dates import french_day, french_hours
from app.regional.records import Teleconsultation
from app.regional.teleconsultations import PARIS
from app.text import strip_bidi
from ui import theme
from ui.plain import PlainLabel, VisibleOnly


class CancelDialog(QDialog):
    """ "Annuler la téléconsultation" → `confirmed(reason)` ("" when none was given)."""

    confirmed = Signal(str)

    def __init__(self, tc: Teleconsultation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelTeleconsultationDialog")
        self.setWindowTitle(window_title(self.tr("Annuler la téléconsultation")))
        start, end = tc.start.astimezone(PARIS), tc.end.astimezone(PARIS)
        self.question_label = question = PlainLabel(
            self.tr("Annuler la téléconsultation du {day}, {hours}, avec {patient} ?").format(
                day=french_day(start),
                hours=french_hours(start, end),
                patient=strip_bidi(tc.patient.name),
            )
        )
        question.setObjectName("dialogTitle")
        question.setWordWrap(True)
        told = PlainLabel(
            self.tr("Le patient et les autres participants sont prévenus, avec le motif.")
        )
        told.setObjectName("hint")
        told.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("cancelReason")
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setValidator(VisibleOnly(self.reason_edit))
        self.reason_edit.setPlaceholderText(self.tr("Motif de l'annulation (facultatif)"))
        self.keep_button = QPushButton(self.tr("Ne pas annuler"))
        self.confirm_button = QPushButton(
            theme.icon("remove"), self.tr("Annuler la téléconsultation")
        )
        for button in (self.keep_button, self.confirm_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(question)
        layout.addWidget(told)
        layout.addWidget(self.reason_edit)
        layout.addLayout(buttons)
        self.resize(520, 200)
        self.keep_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self._confirm)

    def _confirm(self) -> None:
        self.confirmed.emit(self.reason_edit.text().strip())
        self.accept()


__all__ = ["CancelDialog"]
