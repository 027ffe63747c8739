"""Mes patients: "la file active référence les dossiers patients que vous suivez" (FAQ). The
page lists them (file_active.py, filtered locally as one types), searches the regional patient
directory to follow more and creates a patient's file when the directory has none
(directory_search.py, create_form.py), and shows the selected patient's identity, care team,
access journal and documents with the ways to act on them (patient_panel.py, care_team.py,
access_log.py, documents.py).

This module assembles the parts and owns what crosses them: which patient is selected, following
and unfollowing (with a reason, follow_reason.py), creating, and the requests to the main window
(write to the team, the patient's messages). Everything comes from the regional API through
`session.patients` (app/regional/patients.py, which also says when the file active is old):
nothing about patients is written to disk or to the logs by this page."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.records import Address
from app.regional.patients import team_addresses, unfollowed
from app.regional.records import Patient
from app.session import AccountSession
from ui import browser, tasks, theme
from ui.cards import Segments
from ui.patients.access_log import AccessLogPanel
from ui.patients.care_team import CareTeamSection
from ui.patients.create_form import IncompleteForm
from ui.patients.directory_search import DirectorySearch
from ui.patients.documents import DocumentsSection
from ui.patients.file_active import FileActiveList
from ui.patients.following import Following
from ui.patients.patient_panel import PatientPanel
from ui.plain import PlainLabel
from ui.record_list import RECORD_ROLE


class PatientsView(QWidget):
    """Ma file active, the regional patient directory, and the selected patient's file.

    `composeRequested(list[Address])`: write to the selected patient's care team;
    `messagesRequested(str)`: show the messages about the patient with this INS."""

    composeRequested = Signal(object)
    messagesRequested = Signal(str)

    FILE_ACTIVE, DIRECTORY = 0, 1

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientsView")
        self.session = session
        self.me: str | None = None
        self.loading = False
        self.load_task: asyncio.Future[Any] | None = None
        self._selected: Patient | None = None

        title = PlainLabel(self.tr("Mes patients"))
        title.setObjectName("pageTitle")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(browser.HelpLink(session, "patients"))
        header.addWidget(self.refresh_button)

        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        self.file_active = FileActiveList()
        self.directory = DirectorySearch(session)
        self.care_team = CareTeamSection(session)
        self.access_log = AccessLogPanel(session)
        self.documents = DocumentsSection(session)
        self.panel = PatientPanel(self.care_team, self.access_log, self.documents)
        self.following = Following(session, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(self.status_label)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self._build_lists(), 5)
        columns.addWidget(self.panel, 4)
        layout.addLayout(columns, 1)
        self._connect()
        self._show_patient(None)
        self.refresh()

    def _build_lists(self) -> QFrame:
        card = QFrame()
        card.setObjectName("listCard")
        box = QVBoxLayout(card)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(8)
        self.tab_group = Segments(
            (self.tr("Ma file active"), self.tr("Rechercher dans l'annuaire patient régional")),
            self,
        )
        self.file_tab, self.directory_tab = self.tab_group.tabs
        box.addLayout(self.tab_group.row)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.file_active)
        self.stack.addWidget(self.directory)
        box.addWidget(self.stack, 1)
        return card

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.tab_group.idClicked.connect(self.show_tab)
        self.file_active.filter_edit.textChanged.connect(lambda _t: self._apply_filter())
        for view in (self.file_active.file_list, self.directory.results_list):
            view.selectionModel().currentChanged.connect(
                lambda current, _previous: self._picked(current)
            )
        self.directory.results_delegate.followClicked.connect(self.following.ask_follow)
        self.following.changed.connect(self._follow_changed)
        self.following.failed.connect(lambda message: self._flash(message, error=True))
        self.directory.create_form.create_submit.clicked.connect(self.create_patient)
        self.care_team.changed.connect(self._update_write)
        self.care_team.read.connect(self._team_read)
        panel = self.panel
        panel.follow_button.clicked.connect(self._toggle_follow)
        panel.write_button.clicked.connect(self.write_to_team)
        panel.messages_button.clicked.connect(self.show_messages)
        panel.file_button.clicked.connect(self.open_file)
        panel.section_group.idClicked.connect(lambda _n: self._documents_shown())

    # The file active ---------------------------------------------------------------------------

    async def _fetch(self) -> list[Patient]:
        patients = await self.session.patients.file_active()
        self.me = await self.session.patients.me()
        self.care_team.set_me(self.me)
        return patients

    def refresh(self) -> asyncio.Future[Any]:
        """Loads the file active again (the selected patient stays selected if still there)."""
        if self.load_task is not None and not self.load_task.done():
            return self.load_task
        if not self.session.patients.online:
            self._offline()
            done: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
            done.set_result(None)
            return done
        self._set_status(self.tr("Chargement de votre file active…"))
        self.refresh_button.setEnabled(False)
        self.loading = True

        def loaded(patients: list[Patient]) -> None:
            self.loading = False
            self.refresh_button.setEnabled(True)
            self._set_enabled(True)
            self.show_file_active(patients)

        def failed(message: str) -> None:
            self.loading = False
            self.refresh_button.setEnabled(True)
            self._set_status(message, error=True)
            self.file_active.show_empty(self.tr("La file active n'a pas pu être chargée."))

        self.load_task = tasks.run(self._fetch(), self, loaded, failed, key="file-active")
        return self.load_task

    def _offline(self) -> None:
        self._set_status(
            self.tr(
                "Mes patients n'est pas disponible hors connexion : la file active et l'annuaire "
                "patient sont sur le serveur régional. Réessayez une fois la connexion revenue."
            ),
            error=True,
        )
        self._set_enabled(False)
        self.file_active.show_empty(self.tr("Hors connexion."))

    def _set_enabled(self, enabled: bool) -> None:
        self.file_active.filter_edit.setEnabled(enabled)
        self.directory.set_enabled(enabled)

    def show_file_active(self, patients: list[Patient]) -> None:
        n = len(patients)
        self.file_tab.setText(self.tr("Ma file active ({n})").format(n=n))
        if n == 0:
            self._set_status(
                self.tr(
                    "Votre file active est vide : cherchez vos patients dans l'annuaire patient "
                    "régional et ajoutez-les."
                )
            )
        elif n == 1:
            self._set_status(self.tr("Vous suivez 1 patient."))
        else:
            self._set_status(self.tr("Vous suivez {n} patients.").format(n=n))
        self.directory.mark_followed({p.id for p in patients})
        selected = self._selected
        self.file_active.show_patients(patients, selected.id if selected else None)
        if selected is not None:
            now = next((p for p in patients if p.id == selected.id), None)
            if now is not None or selected.in_file_active:
                self._show_patient(now or unfollowed(selected))

    def _apply_filter(self) -> None:
        self.file_active.apply_filter(self._selected.id if self._selected else None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.session.patients.stale():  # old, or its last read failed
            self.refresh()

    def show_tab(self, number: int) -> None:
        self.stack.setCurrentIndex(number)
        (self.file_tab if number == self.FILE_ACTIVE else self.directory_tab).setChecked(True)
        if number == self.DIRECTORY:
            self.directory.search_form.family_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # Following and creating -------------------------------------------------------------------

    def create_patient(self) -> asyncio.Future[Any] | None:
        """Asks why I follow the patient, then creates the patient's file in the regional
        directory (its creator follows the patient)."""
        form = self.directory.create_form
        try:
            new = form.new_patient()
        except IncompleteForm as problem:
            form.say(problem.message, error=True)
            return None

        def create(reason: str) -> None:
            form.say(self.tr("Création du dossier…"))
            form.create_submit.setEnabled(False)
            self.following.create(new, reason, created, failed)

        def created(patient: Patient) -> None:
            self.directory.created(patient)
            self._show_patient(patient)
            self.refresh()

        def failed(message: str) -> None:
            form.create_submit.setEnabled(True)
            form.say(message, error=True)

        name = " ".join((new.family.upper(), new.given))
        return self.following.ask_reason(name, self.tr("Créer et suivre"), create, failed)

    def _follow_changed(self, now: Patient, message: str) -> None:
        """Followed or unfollowed: the row, the panel and the file active say so."""
        self.directory.results_model.replace(now)
        if self._selected is not None and self._selected.id == now.id:
            self._show_patient(now)
        self._flash(message)
        self.refresh()

    def _toggle_follow(self) -> None:
        patient = self._selected
        if patient is None:
            return
        if patient.in_file_active:
            self.following.ask_unfollow(patient)
        else:
            self.following.ask_follow(patient)

    # The selected patient ----------------------------------------------------------------------

    def selected(self) -> Patient | None:
        return self._selected

    def _picked(self, index: QModelIndex) -> None:
        patient = index.data(RECORD_ROLE) if index.isValid() else None
        if isinstance(patient, Patient):
            file_list, results_list = self.file_active.file_list, self.directory.results_list
            other = results_list if index.model() is self.file_active.file_model else file_list
            other.selectionModel().blockSignals(True)
            other.clearSelection()
            other.setCurrentIndex(QModelIndex())
            other.selectionModel().blockSignals(False)
            self._show_patient(patient)

    def select_patient(self, patient_id: str) -> bool:
        """Selects this patient in the file active (clearing the filter if it hides them)."""
        if not any(p.id == patient_id for p in self.file_active.followed):
            return False
        self.show_tab(self.FILE_ACTIVE)
        return self.file_active.select(patient_id)

    def _show_patient(self, patient: Patient | None) -> None:
        if patient is not None and patient.in_file_active:
            # A search gives identities only: the file active's copy has the contact details.
            patient = next((p for p in self.file_active.followed if p.id == patient.id), patient)
        changed = (
            patient is None
            or self._selected is None
            or self._selected.id != patient.id
            or self._selected.in_file_active != patient.in_file_active  # the team may be visible
        )
        self._selected = patient
        self.panel.show_patient(patient, self.session.regional_urls is not None)
        if patient is None:
            self.care_team.clear()
            self.access_log.hide_for(None)
            self.documents.clear()
            return
        if changed:
            self._flash("")
            self.access_log.hide_for(None if patient.in_file_active else patient)
            self.care_team.load(patient)
            self.documents.clear()
            self._documents_shown()
        self._update_write()

    def _documents_shown(self) -> None:
        """The documents are read when their section shows (each read is in the patient's
        journal: choosing a patient to see the care team does not list them)."""
        patient = self._selected
        showing = self.panel.sections.currentIndex() == self.panel.DOCUMENTS
        if showing and patient is not None and self.documents.patient is None:
            self.documents.load(patient)

    def show_documents(self) -> asyncio.Future[Any] | None:
        """The selected patient's documents section, read."""
        self.panel.documents_tab.click()
        return self.documents.task

    def _team_read(self, patient: Patient) -> None:
        if patient.in_file_active:  # after the team: its reading is in the journal
            self.access_log.load(patient)

    def _update_write(self) -> None:
        self.panel.show_team_addresses(self._team_addresses())

    def _team_addresses(self) -> list[Address]:
        team = self.care_team.team
        return team_addresses(team, self.me) if team is not None else []

    # Actions on the selected patient -----------------------------------------------------------

    def write_to_team(self) -> list[Address]:
        """Asks for a message to the care team (the main window opens the composer)."""
        addresses = self._team_addresses()
        if addresses:
            self.composeRequested.emit(addresses)
        return addresses

    def show_messages(self) -> None:
        patient = self._selected
        if patient is not None and patient.ins:
            self.messagesRequested.emit(patient.ins)

    def open_file(self) -> asyncio.Future[Any] | None:
        """The patient's file on the regional portal, in the system browser, signed in."""
        patient = self._selected
        if patient is None or not patient.ins:
            return None
        return browser.open_patient_file(self.session, patient.ins, self, self._flash)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        theme.restyle(self.status_label, error=error)

    def _flash(self, text: str, error: bool = False) -> None:
        self.panel.flash(text, error)


async def demo_screenshot(session: AccountSession) -> PatientsView:
    """The page loaded, the first followed patient selected with their care team and access
    journal (for the screenshot driver)."""
    view = PatientsView(session)
    view.resize(1040, 720)
    for _ in range(200):  # at most 10 s
        if not view.loading:
            break
        await asyncio.sleep(0.05)
    if view.file_active.file_model.rowCount():
        view.file_active.file_list.setCurrentIndex(view.file_active.file_model.index(0))
        tasks_of = (view.care_team.team_task, view.access_log.task)
        for _ in range(200):
            if all(t is not None and t.done() for t in tasks_of):
                break
            await asyncio.sleep(0.05)
            tasks_of = (view.care_team.team_task, view.access_log.task)
    return view


async def demo_journal_screenshot(session: AccountSession) -> PatientsView:
    """The same, on the patient's access journal."""
    view = await demo_screenshot(session)
    view.panel.journal_tab.click()
    return view
