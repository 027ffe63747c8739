"""The "Rechercher dans l'annuaire patient régional" tab of Mes patients: the shared search form
(ui/patient_picker.py says what is missing before the server is asked), the results with their
"Suivre" buttons, and the offer to create the patient's file when nobody matches
(create_form.py). The search goes through `session.patients`; following and creating ask for a
reason first, which the page does (view.py)."""

from __future__ import annotations

import asyncio
import dataclasses

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.regional.patients import display_name
from app.regional.records import Patient, PatientMatches
from app.session import AccountSession
from ui import tasks, theme
from ui.card_delegate import CardList
from ui.patient_picker import IncompleteSearch, PatientSearchForm
from ui.patients.create_form import CreatePatientForm
from ui.patients.delegates import PatientDelegate
from ui.patients.widgets import hint_label, say
from ui.patients.words import patient_text
from ui.plain import PlainLabel
from ui.record_list import RecordList


class DirectorySearch(QWidget):
    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.search_task: asyncio.Future[PatientMatches | None] | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)

        self.search_button = QPushButton(theme.icon("search-light"), self.tr("Rechercher"))
        self.search_button.setObjectName("primaryButton")
        self.search_form = PatientSearchForm(trailing=self.search_button)
        self.search_form.setContentsMargins(16, 0, 16, 0)
        column.addWidget(self.search_form)
        self.search_form.submitted.connect(self.search)
        self.search_button.clicked.connect(self.search)

        self.search_hint = hint_label()
        self.search_hint.setContentsMargins(16, 0, 16, 0)
        column.addWidget(self.search_hint)

        self.results_model: RecordList[Patient] = RecordList(patient_text, parent=self)
        self.results_delegate = PatientDelegate(self, with_follow=True)
        self.results_list = CardList(self.results_model, self.results_delegate, "patientResults")
        self.results_list.hide()
        column.addWidget(self.results_list, 1)

        self.create_offer = QFrame()
        self.create_offer.setObjectName("createOffer")
        offer = QHBoxLayout(self.create_offer)
        offer.setContentsMargins(16, 0, 16, 0)
        offer.setSpacing(8)
        offer_text = PlainLabel(self.tr("Ce patient ne possède pas de dossier ?"))
        offer_text.setObjectName("hint")
        self.create_button = QPushButton(theme.icon("patient"), self.tr("Créer le dossier"))
        self.create_button.clicked.connect(self.show_create_form)
        offer.addWidget(offer_text, 1)
        offer.addWidget(self.create_button)
        self.create_offer.hide()
        column.addWidget(self.create_offer)

        self.create_form = CreatePatientForm()
        self.create_form.create_cancel.clicked.connect(self._cancel_create)
        column.addWidget(self.create_form)
        column.addStretch(0)

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.search_button, self.create_button):
            widget.setEnabled(enabled)

    def search(self) -> asyncio.Future[PatientMatches | None] | None:
        """Searches the regional directory by name and birth date, or by INS."""
        if not self.session.patients.online:
            say(
                self.search_hint,
                self.tr("L'annuaire patient régional n'est pas disponible hors connexion."),
                error=True,
            )
            return None
        try:
            criteria = self.search_form.criteria()
        except IncompleteSearch as problem:
            say(self.search_hint, problem.message, error=True)
            return None
        say(self.search_hint, self.tr("Recherche dans l'annuaire patient régional…"))
        self.search_button.setEnabled(False)
        self.create_offer.hide()

        def found(matches: PatientMatches) -> None:
            patients = matches.patients
            self.search_button.setEnabled(True)
            self.results_model.set_rows(patients)
            self.results_list.setVisible(bool(patients))
            self.create_offer.setVisible(True)
            if not patients:
                say(
                    self.search_hint,
                    self.tr("Aucun patient de l'annuaire régional ne correspond à ces critères."),
                )
                self.create_form.prefill(criteria)
                self.show_create_form()
            elif matches.truncated:
                say(
                    self.search_hint,
                    self.tr(
                        "Les {n} premiers patients trouvés : d'autres correspondent, précisez "
                        "le prénom ou cherchez par INS."
                    ).format(n=len(patients)),
                )
            elif len(patients) == 1:
                say(self.search_hint, self.tr("1 patient trouvé."))
            else:
                say(self.search_hint, self.tr("{n} patients trouvés.").format(n=len(patients)))

        def failed(message: str) -> None:
            self.search_button.setEnabled(True)
            say(self.search_hint, message, error=True)

        self.search_task = tasks.run(
            self.session.patients.search(criteria), self, found, failed, key="search"
        )
        return self.search_task

    def show_create_form(self) -> None:
        self.create_offer.hide()
        self.create_form.open()

    def _cancel_create(self) -> None:
        self.create_form.hide()
        self.create_offer.show()

    def created(self, patient: Patient) -> None:
        """The patient's file was created: the form closes, the patient is the one result."""
        self.create_form.create_submit.setEnabled(True)
        self.create_form.hide()
        self.create_form.clear()
        self.results_model.set_rows([patient])
        self.results_list.show()
        self.create_offer.hide()
        say(
            self.search_hint,
            self.tr("Dossier de {name} créé et ajouté à votre file active.").format(
                name=display_name(patient)
            ),
        )

    def mark_followed(self, followed_ids: set[str]) -> None:
        """The results say "Suivi" for exactly the patients followed now."""
        for patient in self.results_model.rows():
            if patient.in_file_active != (patient.id in followed_ids):
                self.results_model.replace(
                    dataclasses.replace(patient, in_file_active=patient.id in followed_ids)
                )
