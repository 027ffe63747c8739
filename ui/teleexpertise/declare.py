"""« Se déclarer comme télé-expert » (FAQ), in the app: the activity, the specialties offered (the
directory's list, so that requesters find me by the specialty they search), the documents a
requester must join (one per line), the delay announced and « Apparaître dans l'annuaire des
experts ». The form opens filled with my declaration; « Ne plus être télé-expert » asks first.
The server's refusals are shown in its French words, the form kept open."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.regional.records import ExpertProfile
from app.session import AccountSession
from ui import tasks, theme
from ui.plain import PlainLabel, plain_question
from ui.specialties import SpecialtyChecklist

Confirm = Callable[[QWidget], bool]


def ask_withdraw(parent: QWidget) -> bool:
    return plain_question(
        parent,
        parent.tr("Ne plus être télé-expert"),
        parent.tr(
            "Vous n'apparaîtrez plus dans l'annuaire des experts et vos confrères ne pourront "
            "plus vous solliciter. Les téléexpertises en cours restent dans vos conversations."
        ),
    )


class ExpertProfileDialog(QDialog):
    """My declaration → `saved(ExpertProfile)` (declared, edited or withdrawn)."""

    saved = Signal(object)

    def __init__(
        self, session: AccountSession, profile: ExpertProfile | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("expertProfileDialog")
        self.setWindowTitle(window_title(self.tr("Se déclarer comme télé-expert")))
        self.session = session
        self.saving = tasks.Running(self)  # the save or withdraw under way
        self.confirm_withdraw: Confirm = ask_withdraw  # tests answer without a dialog

        title = PlainLabel(self.tr("Se déclarer comme télé-expert"))
        title.setObjectName("dialogTitle")
        self.activity_edit = QPlainTextEdit()
        self.activity_edit.setPlaceholderText(
            self.tr("Votre activité d'expertise : ce sur quoi vos confrères vous sollicitent")
        )
        self.activity_edit.setMaximumHeight(90)
        self.specialty_list = SpecialtyChecklist()  # « Rechercher une spécialité » above
        self.documents_edit = QPlainTextEdit()
        self.documents_edit.setPlaceholderText(
            self.tr("Un document par ligne, par exemple : dernier bilan biologique")
        )
        self.documents_edit.setMaximumHeight(80)
        self.delay_spin = QSpinBox()
        self.delay_spin.setRange(0, 60)
        self.delay_spin.setSpecialValueText(self.tr("Non précisé"))
        self.delay_spin.setSuffix(self.tr(" jours"))
        self.listed_check = QCheckBox(self.tr("Apparaître dans l'annuaire des experts"))
        self.listed_check.setChecked(True)
        self.error_label = PlainLabel()
        self.error_label.setObjectName("hint")
        self.error_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Enregistrer"))
        self.save_button.setObjectName("primaryButton")
        self.withdraw_button = QPushButton(self.tr("Ne plus être télé-expert"))
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.save_button, self.withdraw_button, self.cancel_button):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        for heading, widget in (
            (self.tr("Description de l'activité"), self.activity_edit),
            (self.tr("Spécialités proposées"), self.specialty_list),
            (self.tr("Documents prérequis à la demande"), self.documents_edit),
            (self.tr("Délai de réponse"), self.delay_spin),
        ):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            layout.addWidget(head)
            layout.addWidget(widget)
        layout.addWidget(self.listed_check)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.resize(560, 680)

        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.withdraw_button.clicked.connect(lambda _checked=False: self.withdraw())
        self.cancel_button.clicked.connect(self.reject)
        self.activity_edit.textChanged.connect(self._update)
        self.fill(profile)

    def fill(self, profile: ExpertProfile | None) -> None:
        declared = profile is not None and profile.declared
        self.withdraw_button.setVisible(declared)
        if profile is None or not declared:
            self._update()
            return
        self.activity_edit.setPlainText(profile.activity_description)
        self.specialty_list.set_checked(profile.specialties)
        self.documents_edit.setPlainText("\n".join(profile.prerequisite_documents))
        self.delay_spin.setValue(profile.response_delay_days or 0)
        self.listed_check.setChecked(profile.listed_in_directory)
        self._update()

    def specialties(self) -> list[str]:
        return self.specialty_list.checked()

    def _update(self) -> None:
        ready = bool(self.activity_edit.toPlainText().strip()) and not self.saving.busy
        self.save_button.setEnabled(ready)
        self.withdraw_button.setEnabled(not self.saving.busy)

    def save(self) -> asyncio.Future[Any] | None:
        activity = self.activity_edit.toPlainText().strip()
        if not activity or self.saving.busy:
            return None
        documents = [d.strip() for d in self.documents_edit.toPlainText().splitlines()]
        change = self.session.expertise.set_profile(
            activity,
            [d for d in documents if d],
            listed_in_directory=self.listed_check.isChecked(),
            specialties=self.specialties(),
            response_delay_days=self.delay_spin.value() or None,
        )
        return self._run(change, self.tr("Enregistrement…"))

    def withdraw(self) -> asyncio.Future[Any] | None:
        if self.saving.busy or not self.confirm_withdraw(self):
            return None
        return self._run(self.session.expertise.withdraw(), self.tr("Retrait…"))

    def _run(self, change: Any, doing: str) -> asyncio.Future[Any] | None:
        def done(profile: ExpertProfile) -> None:
            self.saved.emit(profile)
            self.accept()

        def failed(message: str) -> None:
            self.error_label.setText(message)
            theme.restyle(self.error_label, error=True)
            self._update()

        self.error_label.setText(doing)
        theme.restyle(self.error_label, error=False)
        future = self.saving.change(change, done, failed)
        self._update()
        return future


__all__ = ["ExpertProfileDialog", "ask_withdraw"]
