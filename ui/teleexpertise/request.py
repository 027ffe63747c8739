"""A new téléexpertise request: the expert (from the directory, through the navigator, experts
only), the patient (the regional patient picker), the question and the documents. Once the expert
is chosen, the documents they ask for and their delay show; the requester joins documents typed,
by « Joindre un document » or by dropping files, with the composer's own list and inserter. The
quota left for the patient shows as soon as the patient is known; past 4 a year the server
refuses, and its sentence is shown with the form kept open, the question not lost."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.message.draft import ChosenPatient
from app.records import Correspondent, specialty_label
from app.regional.records import ExpertProfile, Quota, Teleexpertise
from app.session import AccountSession
from ui import tasks, theme
from ui.documents import DocumentList
from ui.inserting import Inserter
from ui.navigator import navigator
from ui.patient_picker import PatientDialog
from ui.plain import PlainLabel
from ui.teleexpertise.labels import prerequisites_text, quota_text


class TeleexpertiseRequestDialog(QDialog):
    """Expert, patient, question → `requested(Teleexpertise)`."""

    requested = Signal(object)
    _open: ClassVar[list[TeleexpertiseRequestDialog]] = []  # alive while shown (no parent needed)

    def __init__(
        self,
        session: AccountSession,
        expert: Correspondent | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teleexpertiseRequestDialog")
        self.setWindowTitle(window_title(self.tr("Demander une téléexpertise")))
        self.session = session
        self.expert: Correspondent | None = None
        self.patient: ChosenPatient | None = None
        self.quota: Quota | None = None
        self.quota_task: asyncio.Future[Any] | None = None
        self.prerequisites_task: asyncio.Future[Any] | None = None
        self.sending = tasks.Running(self)
        self.expert_dialog: QDialog | None = None
        self.patient_dialog: PatientDialog | None = None

        title = PlainLabel(self.tr("Demander une téléexpertise"))
        title.setObjectName("dialogTitle")
        intro = PlainLabel(
            self.tr(
                "Une demande d'avis rémunérée sur le cas d'un patient, prise en charge dans la "
                "limite de 4 par patient et par an."
            )
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.expert_label = PlainLabel()
        self.expert_label.setObjectName("choice")
        self.expert_label.setWordWrap(True)
        self.expert_button = QPushButton(theme.icon("search"), self.tr("Choisir un expert…"))
        self.patient_label = PlainLabel()
        self.patient_label.setObjectName("choice")
        self.patient_label.setWordWrap(True)
        self.patient_button = QPushButton(theme.icon("patient"), self.tr("Choisir le patient…"))
        self.quota_label = PlainLabel()
        self.quota_label.setObjectName("hint")
        self.quota_label.setWordWrap(True)
        self.prerequisites_label = PlainLabel()
        self.prerequisites_label.setObjectName("hint")
        self.prerequisites_label.setWordWrap(True)
        self.documents = DocumentList()
        self.attach_button = QPushButton(
            theme.icon("mail-attachment"), self.tr("Joindre un document")
        )
        self.attach_button.setAutoDefault(False)
        self.inserter = Inserter(
            session, self.documents, self._notify, has_patient=lambda: False, window=self
        )
        self.question_edit = QPlainTextEdit()
        self.question_edit.setPlaceholderText(
            self.tr("Votre question à l'expert : contexte, antécédents, ce que vous attendez…")
        )
        self.question_edit.setMinimumHeight(120)
        self.error_label = PlainLabel()
        self.error_label.setObjectName("hint")
        self.error_label.setWordWrap(True)
        self.send_button = QPushButton(theme.icon("send"), self.tr("Envoyer la demande"))
        self.send_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.send_button, self.cancel_button, self.expert_button):
            button.setAutoDefault(False)
        self.patient_button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        for heading, label, button in (
            (self.tr("Expert"), self.expert_label, self.expert_button),
            (self.tr("Patient"), self.patient_label, self.patient_button),
        ):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            layout.addWidget(head)
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.addLayout(row)
            if label is self.expert_label:
                layout.addWidget(self.prerequisites_label)
        layout.addWidget(self.quota_label)
        head = PlainLabel(self.tr("Question"))
        head.setObjectName("fieldTitle")
        layout.addWidget(head)
        layout.addWidget(self.question_edit, 1)
        documents_title = PlainLabel(self.tr("Documents"))
        documents_title.setObjectName("fieldTitle")
        layout.addWidget(documents_title)
        layout.addWidget(self.documents)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        self.resize(600, 720)
        self.inserter.watch_drops((self, self.question_edit.viewport()))
        self.inserter.load_limits()

        self.expert_button.clicked.connect(lambda _checked=False: self.choose_expert())
        self.patient_button.clicked.connect(lambda _checked=False: self.choose_patient())
        self.send_button.clicked.connect(self.send)
        self.cancel_button.clicked.connect(self.reject)
        self.attach_button.clicked.connect(lambda _checked=False: self.inserter.insert_documents())
        self.documents.insert_requested.connect(self.inserter.insert_documents)
        self.question_edit.textChanged.connect(self._update)
        self.finished.connect(self._forget)
        TeleexpertiseRequestDialog._open.append(self)
        self.set_expert(expert)
        self.set_patient(None)

    def _forget(self, _result: int) -> None:
        if self in TeleexpertiseRequestDialog._open:
            TeleexpertiseRequestDialog._open.remove(self)

    def _notify(self, text: str, error: bool) -> None:
        self.error_label.setText(text)
        theme.restyle(self.error_label, error=error)

    def set_expert(self, expert: Correspondent | None) -> asyncio.Future[Any] | None:
        """The expert, and what they ask of a request (documents, delay), read for each one."""
        if self.prerequisites_task is not None:
            self.prerequisites_task.cancel()
        self.expert = expert
        self.prerequisites_label.setText("")
        if expert is None:
            self.expert_label.setText(self.tr("Aucun expert choisi."))
        else:
            about = specialty_label(expert.specialty_label) or expert.profession_label or ""
            where = expert.city
            details = " · ".join(x for x in (about, where) if x)
            self.expert_label.setText(
                f"{expert.display_name} — {details}" if details else expert.display_name
            )
        self._update()
        if expert is None:
            return None

        def shown(profile: ExpertProfile) -> None:
            self.prerequisites_label.setText(prerequisites_text(profile))

        def failed(message: str) -> None:
            self.prerequisites_label.setText(message)

        profile = self.session.expertise.expert_profile(
            practitioner_id=None if expert.mailbox else expert.practitioner_id,
            address=expert.mailbox,
        )
        self.prerequisites_task = tasks.run(profile, self, shown, failed)
        return self.prerequisites_task

    def set_patient(self, patient: ChosenPatient | None) -> asyncio.Future[Any] | None:
        """The patient, and the quota left for them, read for each patient chosen: a read still
        running for the one chosen before is cancelled, even when there is nothing to read now."""
        if self.quota_task is not None:
            self.quota_task.cancel()
        self.patient = patient
        self.quota = None
        self.quota_label.clear()
        if patient is None:
            self.patient_label.setText(self.tr("Aucun patient choisi."))
            self._update()
            return None
        self.patient_label.setText(patient.identity.display())
        self._update()
        if patient.id is None:
            return None

        def shown(quota: Quota) -> None:
            self.quota = quota
            self.quota_label.setText(quota_text(quota))
            theme.restyle(self.quota_label, error=quota.remaining <= 0)

        def failed(message: str) -> None:
            self.quota_label.setText(message)
            theme.restyle(self.quota_label, error=True)

        quota = self.session.expertise.quota(patient.id)
        self.quota_task = tasks.run(quota, self, shown, failed)
        return self.quota_task

    def choose_expert(self) -> QDialog:
        self.expert_dialog = navigator().choose_correspondents(
            self.session,
            self,
            lambda people: self._chosen(people[0]) if people else None,
            title=self.tr("Choisir un expert"),
            experts_only=True,
        )
        return self.expert_dialog

    def _chosen(self, expert: Correspondent) -> None:
        self.set_expert(expert)

    def choose_patient(self) -> PatientDialog:
        dialog = PatientDialog(self.session, self)
        dialog.chosen.connect(self.set_patient)
        self.patient_dialog = dialog
        dialog.open()
        return dialog

    def _update(self) -> None:
        ready = (
            self.expert is not None
            and self.patient is not None
            and self.patient.id is not None
            and bool(self.question_edit.toPlainText().strip())
        )
        self.send_button.setEnabled(ready and not self.sending.busy)

    def send(self) -> asyncio.Future[Any] | None:
        expert, patient = self.expert, self.patient
        question = self.question_edit.toPlainText().strip()
        if expert is None or patient is None or patient.id is None or not question:
            return None
        request = self.session.expertise.request(
            patient.id,
            question,
            expert_address=expert.mailbox,
            expert_practitioner_id=expert.practitioner_id,
            documents=[d.outgoing() for d in self.documents.documents],
        )

        def done(te: Teleexpertise) -> None:
            self.requested.emit(te)
            self.accept()

        def failed(message: str) -> None:
            self.error_label.setText(message)
            theme.restyle(self.error_label, error=True)
            self._update()

        self.error_label.setText(self.tr("Envoi de la demande…"))
        theme.restyle(self.error_label, error=False)
        future = self.sending.change(request, done, failed)
        self._update()
        return future


__all__ = ["TeleexpertiseRequestDialog"]
