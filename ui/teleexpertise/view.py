"""Téléexpertise: a paid opinion asked of an expert about a patient (FAQ). "Mes demandes" (I am the
requester) and "Demandes reçues" (I am the expert), filtered by status; the selected one in detail
with what its state and my role allow: the expert answers a requested one, the requester closes an
answered one with the compte rendu (the server makes it a PDF typed LOINC 85208-7, sends it in
the conversation and files it in the patient's record); its documents and its compte rendu open
from the detail, for both parties. "Nouvelle demande" opens the request form (`request.py`).

The page reads and acts through `session.expertise` (the offline and staleness rules are there);
the lists, the detail card and the words of the states are in their own modules beside this one."""

from __future__ import annotations

import asyncio
import mimetypes
import shutil
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.records import Correspondent
from app.regional.expertise import asked_by
from app.regional.records import (
    ExpertProfile,
    Teleexpertise,
    TeleexpertiseDocument,
    TeleexpertiseStatus,
)
from app.session import AccountSession
from ui import browser, tasks, theme
from ui.cards import list_card
from ui.file_dialogs import ask_save_path
from ui.plain import PlainLabel, plain_question
from ui.teleexpertise.declare import ExpertProfileDialog
from ui.teleexpertise.delegate import TeleexpertiseList, teleexpertise_model
from ui.teleexpertise.detail import TeleexpertiseDetail
from ui.teleexpertise.labels import FILTERS, OFFLINE_FR, profile_text, to_do_text, translated
from ui.teleexpertise.request import TeleexpertiseRequestDialog

Loaded = tuple[list[Teleexpertise], str, ExpertProfile]  # the list, my address, my profile


class TeleexpertiseView(QWidget):
    """My téléexpertises, as requester and as expert, with their detail and actions."""

    openThread = Signal(str)  # the request's conversation, to show in the mail page

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teleexpertiseView")
        self.session = session
        # Replaceable (tests): asks "are you sure?" before an act that cannot be undone.
        self.confirm: Callable[[QWidget, str, str], bool] = plain_question
        self.me: str | None = None  # my MSSanté address: tells my role in each record
        self.profile: ExpertProfile | None = None
        self.loading = False
        self.load_task: asyncio.Future[Any] | None = None
        self.acting = tasks.Running(self)  # an answer or a close under way
        self.request_dialog: TeleexpertiseRequestDialog | None = None
        self._selected: Teleexpertise | None = None

        title = PlainLabel(self.tr("Téléexpertise"))
        title.setObjectName("pageTitle")
        self.filter_combo = QComboBox()
        for label, status in FILTERS:
            self.filter_combo.addItem(translated(label), status.value if status else None)
        self.new_button = QPushButton(theme.icon("expert-light"), self.tr("Nouvelle demande"))
        self.new_button.setObjectName("primaryButton")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(browser.HelpLink(session, "teleexpertise"))
        header.addWidget(self.filter_combo)
        header.addWidget(self.refresh_button)
        header.addWidget(self.new_button)

        self.profile_label = PlainLabel()
        self.profile_label.setObjectName("hint")
        self.profile_label.setWordWrap(True)
        self.declare_button = QPushButton(self.tr("Se déclarer comme télé-expert"))
        self.declare_button.setVisible(False)
        self.profile_dialog: ExpertProfileDialog | None = None
        profile_row = QHBoxLayout()
        profile_row.setSpacing(8)
        profile_row.addWidget(self.profile_label, 1)
        profile_row.addWidget(self.declare_button)

        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        self.sent_model = teleexpertise_model(self)
        self.received_model = teleexpertise_model(self)
        self.sent_list = TeleexpertiseList(self.sent_model, False, self)
        self.received_list = TeleexpertiseList(self.received_model, True, self)
        self.sent_empty = PlainLabel(self.tr("Aucune demande envoyée."))
        self.received_empty = PlainLabel(self.tr("Aucune demande reçue."))
        column = QVBoxLayout()
        column.setSpacing(16)
        for heading, lst, empty in (
            (self.tr("Mes demandes"), self.sent_list, self.sent_empty),
            (self.tr("Demandes reçues"), self.received_list, self.received_empty),
        ):
            column.addWidget(list_card(heading, lst, empty), 1)

        self.detail = TeleexpertiseDetail()
        # The detail's parts the page drives (and tests and the main window with it).
        self.sections, self.detail_meta = self.detail.sections, self.detail.meta
        self.action_edit, self.feedback_label = self.detail.action_edit, self.detail.feedback_label
        self.answer_button, self.close_button = self.detail.answer_button, self.detail.close_button
        self.thread_button = self.detail.thread_button
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(column, 5)
        body.addWidget(self.detail, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addLayout(profile_row)
        layout.addWidget(self.status_label)
        layout.addLayout(body, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button.clicked.connect(lambda _checked=False: self.new_request())
        self.declare_button.clicked.connect(self.declare_as_expert)
        self.action_edit.textChanged.connect(self._update_actions)
        self.answer_button.clicked.connect(self.answer)
        self.close_button.clicked.connect(self.close_with_report)
        self.thread_button.clicked.connect(self.open_thread)
        self.detail.openDocument.connect(self.open_document)
        for lst in (self.sent_list, self.received_list):
            lst.selectionModel().selectionChanged.connect(
                lambda *_a, lst=lst: self._selection_moved(lst)
            )
        self.show_detail(None)
        self.refresh()

    # Loading ------------------------------------------------------------------------------------

    def status_filter(self) -> TeleexpertiseStatus | None:
        value = self.filter_combo.currentData()
        return TeleexpertiseStatus(value) if value else None

    async def _fetch(self, status: TeleexpertiseStatus | None) -> Loaded:
        items = await self.session.expertise.list(status)
        me = (await self.session.own_address()).email
        return items, me, await self.session.expertise.profile()

    def refresh(self) -> asyncio.Future[Any] | None:
        """Reads the list again (a read still running is replaced); offline, says so at once."""
        if not self.session.expertise.online:
            if self.load_task is not None:
                self.load_task.cancel()
            self.loading = False
            self._set_status(translated(OFFLINE_FR), error=False)
            self.profile_label.clear()
            self.declare_button.setVisible(False)
            self.new_button.setEnabled(False)
            self.load_task = None
            return None
        self._set_status(self.tr("Chargement des téléexpertises…"))
        self.loading = True

        def done(result: Loaded) -> None:
            self.loading = False
            self.new_button.setEnabled(True)
            items, self.me, profile = result
            self.show_profile(profile)
            self.show_items(items)

        def failed(message: str) -> None:
            self.loading = False
            self.new_button.setEnabled(False)
            self._set_status(message, error=False)

        fetch = self._fetch(self.status_filter())
        self.load_task = tasks.run(fetch, self, done, failed, key="list")
        return self.load_task

    def is_mine(self, te: Teleexpertise) -> bool:
        """I asked for it (else I am the expert asked)."""
        return asked_by(te, self.me)

    def show_items(self, items: list[Teleexpertise]) -> None:
        keep = self._selected.id if self._selected else None
        sent = [t for t in items if self.is_mine(t)]
        received = [t for t in items if not self.is_mine(t)]
        self.sent_model.set_rows(sent)
        self.received_model.set_rows(received)
        found: Teleexpertise | None = None
        for lst, model, empty, rows in (
            (self.sent_list, self.sent_model, self.sent_empty, sent),
            (self.received_list, self.received_model, self.received_empty, received),
        ):
            lst.setVisible(bool(rows))
            empty.setVisible(not rows)
            row = model.row_of(keep) if keep else -1
            if row >= 0:
                lst.setCurrentIndex(model.index(row))
                found = model.item(row)
        self._selected = found
        self.show_detail(found)
        self._set_status(to_do_text(received, sent))

    def show_profile(self, profile: ExpertProfile | None) -> None:
        self.profile = profile
        self.profile_label.setText(profile_text(profile))
        self.declare_button.setVisible(profile is not None)
        self.declare_button.setText(
            self.tr("Modifier mes préférences d'expert")
            if profile is not None and profile.declared
            else self.tr("Se déclarer comme télé-expert")
        )

    # Selection and detail -----------------------------------------------------------------------

    def _selection_moved(self, lst: TeleexpertiseList) -> None:
        if lst.selectionModel().hasSelection():
            other = self.received_list if lst is self.sent_list else self.sent_list
            other.clearSelection()
            chosen = lst.selected()
            if chosen is None or self._selected is None or chosen.id != self._selected.id:
                self.action_edit.clear()
                self.feedback_label.clear()
            self._selected = chosen
            self.show_detail(self._selected)
        elif not (
            self.sent_list.selectionModel().hasSelection()
            or self.received_list.selectionModel().hasSelection()
        ):
            self._selected = None
            self.show_detail(None)

    def selected(self) -> Teleexpertise | None:
        return self._selected

    def select(self, teleexpertise_id: str) -> bool:
        pairs = ((self.sent_list, self.sent_model), (self.received_list, self.received_model))
        for lst, model in pairs:
            row = model.row_of(teleexpertise_id)
            if row >= 0:
                lst.setCurrentIndex(model.index(row))
                return True
        return False

    def show_detail(self, te: Teleexpertise | None) -> None:
        self.detail.show_record(te, te is not None and self.is_mine(te))
        self._update_actions()

    def can_answer(self) -> bool:
        te = self._selected
        return (
            te is not None and not self.is_mine(te) and te.status is TeleexpertiseStatus.REQUESTED
        )

    def can_close(self) -> bool:
        te = self._selected
        return te is not None and self.is_mine(te) and te.status is TeleexpertiseStatus.ANSWERED

    def _update_actions(self) -> None:
        self.detail.show_actions(self.can_answer(), self.can_close(), self.acting.busy)

    # Actions ------------------------------------------------------------------------------------

    def answer(self) -> asyncio.Future[Any] | None:
        te, text = self._selected, self.action_edit.toPlainText().strip()
        if te is None or not self.can_answer() or not text:
            return None
        if not self.confirm(
            self,
            self.tr("Répondre à la téléexpertise"),
            self.tr("Envoyer votre avis à {name} ? Il ne pourra plus être modifié.").format(
                name=te.requester.name
            ),
        ):
            return None
        success = self.tr("Votre avis a été envoyé à {name}.").format(name=te.requester.name)
        return self._act(self.session.expertise.answer(te.id, text), success)

    def close_with_report(self) -> asyncio.Future[Any] | None:
        te, text = self._selected, self.action_edit.toPlainText().strip()
        if te is None or not self.can_close() or not text:
            return None
        if not self.confirm(
            self,
            self.tr("Clôturer la téléexpertise"),
            self.tr(
                "Clôturer cette téléexpertise ? Le compte rendu sera déposé dans le dossier du "
                "patient et envoyé à {name}."
            ).format(name=te.expert.name),
        ):
            return None
        success = self.tr(
            "Téléexpertise clôturée : le compte rendu a été déposé dans le dossier du patient."
        )
        return self._act(self.session.expertise.close(te.id, text), success)

    def _act(
        self, change: Coroutine[Any, Any, Teleexpertise], success: str
    ) -> asyncio.Future[Any] | None:
        def done(updated: Teleexpertise) -> None:
            self.action_edit.clear()
            for model in (self.sent_model, self.received_model):
                model.replace(updated)
            self._selected = updated
            self.select(updated.id)
            self.show_detail(updated)
            self.detail.flash(success)
            self.refresh()

        def failed(message: str) -> None:
            self.detail.flash(message, error=True)
            self._update_actions()

        self.detail.flash(self.tr("Envoi…"))
        future = self.acting.change(change, done, failed)
        self._update_actions()
        return future

    def open_document(self, document: TeleexpertiseDocument) -> asyncio.Future[Any]:
        """A joined document or the compte rendu, in the system's viewer: both parties have it
        in their mailbox (its blob), so it opens as the reader opens a message's document."""
        mime, _ = mimetypes.guess_type(document.name)
        self.detail.flash(self.tr("Ouverture de « {name} »…").format(name=document.name))

        def opened(path: Path) -> None:
            self.detail.flash("")
            browser.open_document(path, self, lambda: self._save(document, path))

        return tasks.run(
            self.session.open_document(
                document.blob_id, document.name, mime or "application/octet-stream"
            ),
            self,
            opened,
            lambda message: self.detail.flash(message, error=True),
            key="document",
        )

    def _save(self, document: TeleexpertiseDocument, copy: Path) -> None:
        """ "Enregistrer sous…" when no viewer opens it: the private copy, where the user says."""
        chosen = ask_save_path(self, document.name)
        if chosen:
            tasks.change(
                asyncio.to_thread(shutil.copyfile, copy, chosen),
                self,
                lambda _path: self.detail.flash(self.tr("Document enregistré.")),
                lambda message: self.detail.flash(message, error=True),
            )

    def open_thread(self) -> None:
        te = self._selected
        if te is not None and te.thread_id:
            self.openThread.emit(te.thread_id)

    def new_request(self, expert: Correspondent | None = None) -> TeleexpertiseRequestDialog:
        dialog = TeleexpertiseRequestDialog(self.session, expert, self)
        dialog.requested.connect(self._requested)
        self.request_dialog = dialog
        dialog.show()
        return dialog

    def _requested(self, te: Teleexpertise) -> None:
        self._selected = te
        self.detail.flash(self.tr("Demande envoyée à {name}.").format(name=te.expert.name))
        self.refresh()

    def declare_as_expert(self) -> ExpertProfileDialog:
        """The declaration form, filled with my profile (declare, edit, withdraw)."""
        dialog = ExpertProfileDialog(self.session, self.profile, self)
        dialog.saved.connect(self.show_profile)
        self.profile_dialog = dialog
        dialog.open()
        return dialog

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)


async def demo_screenshot(session: AccountSession) -> TeleexpertiseView:
    """The page loaded, the answered request selected (for the screenshot driver)."""
    view = TeleexpertiseView(session)
    view.resize(1120, 720)
    for _ in range(200):  # at most 10 s
        if not view.loading:
            break
        await asyncio.sleep(0.05)
    rows = view.sent_model.rows()
    answered = next(
        (i for i, t in enumerate(rows) if t.status is TeleexpertiseStatus.ANSWERED),
        0 if rows else -1,
    )
    if answered >= 0:
        view.sent_list.setCurrentIndex(view.sent_model.index(answered))
    return view
