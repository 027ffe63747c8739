"""Téléconsultations: the ones to come and the past ones, each with its date, patient,
participants and status; "Rejoindre" opens the video link in the system browser and the patient's
link can be copied to be sent again. « Planifier une téléconsultation » opens the planning form
(plan_form.py), given the list shown here for its conflict warning; « Modifier » opens it filled
in with the selected one (edit_form.py); « Annuler la téléconsultation » asks (cancel_dialog.py).
Both are offered only on one still to come where the server says I may manage it (`can_manage`:
the teleconsultant, or who planned it while the delegation holds), also from the row's context
menu. The list is read again after each change, and shows the payment asked of the patient
(« payé » / « en attente »).

The page reads through `session.teleconsultations`, which owns the offline rule and says when the
list is old enough to read again when the page shows; the rows are painted by `delegate.py`, and
what is said about one teleconsultation is in `model.py`."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.regional.records import Teleconsultation, TeleconsultationStatus
from app.regional.teleconsultations import split_by_time
from app.session import AccountSession
from ui import browser, tasks, theme
from ui.cards import list_card
from ui.plain import PlainLabel, plain_tooltip
from ui.teleconsultations.cancel_dialog import CancelDialog
from ui.teleconsultations.delegate import TeleconsultationList
from ui.teleconsultations.edit_form import EditDialog
from ui.teleconsultations.model import teleconsultation_model
from ui.teleconsultations.plan_form import PlanDialog

Loaded = tuple[list[Teleconsultation], str]  # the list, my address


class TeleconsultationsView(QWidget):
    """Upcoming and past teleconsultations of the signed-in professional."""

    def __init__(
        self,
        session: AccountSession,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teleconsultationsView")
        self.session = session
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.loading = False  # a load is running (its result not shown yet)
        self.load_task: asyncio.Future[Any] | None = None
        self._selected: Teleconsultation | None = None
        self.items: list[Teleconsultation] = []  # as last read
        self.me = ""  # my address
        self.plan_dialog: PlanDialog | None = None
        self.edit_dialog: EditDialog | None = None
        self.cancel_dialog: CancelDialog | None = None

        title = PlainLabel(self.tr("Téléconsultations"))
        title.setObjectName("pageTitle")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        self.plan_button = QPushButton(
            theme.icon("nav-teleconsultation"), self.tr("Planifier une téléconsultation")
        )
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(browser.HelpLink(session, "teleconsultations"))
        header.addWidget(self.plan_button)
        header.addWidget(self.refresh_button)

        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        self.upcoming_model = teleconsultation_model(self)
        self.past_model = teleconsultation_model(self)
        self.upcoming_list = TeleconsultationList(self.upcoming_model, self)
        self.past_list = TeleconsultationList(self.past_model, self)
        self.upcoming_empty = PlainLabel(self.tr("Aucune téléconsultation à venir."))
        self.past_empty = PlainLabel(self.tr("Aucune téléconsultation passée."))

        sections = QHBoxLayout()
        sections.setSpacing(16)
        for heading, lst, empty in (
            (self.tr("À venir"), self.upcoming_list, self.upcoming_empty),
            (self.tr("Passées"), self.past_list, self.past_empty),
        ):
            sections.addWidget(list_card(heading, lst, empty), 1)

        self.join_button = QPushButton(theme.icon("video-light"), self.tr("Rejoindre"))
        self.join_button.setObjectName("primaryButton")
        self.copy_link_button = QPushButton(
            theme.icon("link"), self.tr("Copier le lien du patient")
        )
        self.edit_button = QPushButton(theme.icon("pen"), self.tr("Modifier"))
        self.cancel_button = QPushButton(
            theme.icon("remove"), self.tr("Annuler la téléconsultation")
        )
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.feedback_label, 1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.copy_link_button)
        actions.addWidget(self.join_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(self.status_label)
        layout.addLayout(sections, 1)
        layout.addLayout(actions)

        self.refresh_button.clicked.connect(self.refresh)
        self.plan_button.clicked.connect(lambda _checked=False: self.open_plan())
        self.edit_button.clicked.connect(lambda _checked=False: self.open_edit())
        self.cancel_button.clicked.connect(lambda _checked=False: self.ask_cancel())
        # The same actions on a row's context menu (a right click selects the row first).
        self.row_actions: list[tuple[QAction, QPushButton]] = []
        for button, run in (
            (self.join_button, self.join),
            (self.edit_button, self.open_edit),
            (self.cancel_button, self.ask_cancel),
            (self.copy_link_button, self.copy_patient_link),
        ):
            action = QAction(button.icon(), button.text(), self)
            action.triggered.connect(lambda _checked=False, run=run: run())
            self.row_actions.append((action, button))
        self.join_button.clicked.connect(self.join)
        self.copy_link_button.clicked.connect(self.copy_patient_link)
        for lst in (self.upcoming_list, self.past_list):
            lst.selectionModel().selectionChanged.connect(
                lambda *_a, lst=lst: self._selection_moved(lst)
            )
            lst.doubleClicked.connect(lambda _index: self.join())
            lst.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            lst.addActions([action for action, _button in self.row_actions])
        self._update_actions()
        self.refresh()

    # Loading ------------------------------------------------------------------------------------

    async def _fetch(self) -> Loaded:
        items = await self.session.teleconsultations.list()
        return items, (await self.session.own_address()).email

    def refresh(self) -> asyncio.Future[Any]:
        """Reads the list again (a read still running is replaced by this one)."""
        self._set_status(self.tr("Chargement des téléconsultations…"))
        self.refresh_button.setEnabled(False)
        self.loading = True

        def done(result: Loaded) -> None:
            self.loading = False
            self.refresh_button.setEnabled(True)
            items, me = result
            self.me = me
            for lst in (self.upcoming_list, self.past_list):
                lst.delegate.me = me
            self.show_items(items)

        def failed(message: str) -> None:
            self.loading = False
            self.refresh_button.setEnabled(True)
            self._set_status(message, error=True)

        self.load_task = tasks.run(self._fetch(), self, done, failed, key="list")
        return self.load_task

    def show_items(self, items: list[Teleconsultation]) -> None:
        self.items = items
        upcoming, past = split_by_time(items, self._now())
        keep = self._selected.id if self._selected else None
        self.upcoming_model.set_rows(upcoming)
        self.past_model.set_rows(past)
        for lst, model, empty, rows in (
            (self.upcoming_list, self.upcoming_model, self.upcoming_empty, upcoming),
            (self.past_list, self.past_model, self.past_empty, past),
        ):
            lst.setVisible(bool(rows))
            empty.setVisible(not rows)
            for row, tc in enumerate(rows):
                if tc.id == keep:
                    lst.setCurrentIndex(model.index(row))
        planned = sum(1 for t in upcoming if t.status is TeleconsultationStatus.PLANNED)
        if planned == 0:
            self._set_status(self.tr("Aucune téléconsultation planifiée."))
        elif planned == 1:
            self._set_status(self.tr("1 téléconsultation planifiée."))
        else:
            self._set_status(self.tr("{n} téléconsultations planifiées.").format(n=planned))
        self._update_actions()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again with a list older than the service's minute: read it again."""
        super().showEvent(event)
        if not self.loading and self.session.teleconsultations.stale():
            self.refresh()

    # Selection and actions ----------------------------------------------------------------------

    def _selection_moved(self, lst: TeleconsultationList) -> None:
        if lst.selectionModel().hasSelection():
            other = self.past_list if lst is self.upcoming_list else self.upcoming_list
            other.clearSelection()
            self._selected = lst.selected()
        elif not (
            self.upcoming_list.selectionModel().hasSelection()
            or self.past_list.selectionModel().hasSelection()
        ):
            self._selected = None
        self._update_actions()

    def selected(self) -> Teleconsultation | None:
        return self._selected

    def _update_actions(self) -> None:
        tc = self._selected
        planned = tc is not None and tc.status is TeleconsultationStatus.PLANNED
        can_join = planned and tc is not None and bool(tc.join_url)
        self.join_button.setEnabled(can_join)
        self.copy_link_button.setEnabled(planned and tc is not None and bool(tc.patient.join_url))
        can_manage = planned and tc is not None and tc.can_manage
        for button, why in (
            (
                self.edit_button,
                self.tr(
                    "Seuls le téléconsultant et la personne qui l'a planifiée peuvent la modifier."
                ),
            ),
            (
                self.cancel_button,
                self.tr(
                    "Seuls le téléconsultant et la personne qui l'a planifiée peuvent l'annuler."
                ),
            ),
        ):
            button.setEnabled(can_manage)
            button.setToolTip(
                plain_tooltip(
                    ""
                    if can_manage or tc is None
                    else why
                    if planned
                    else self.tr("Cette téléconsultation est terminée ou annulée.")
                )
            )
        if tc is not None and not can_join:
            self.join_button.setToolTip(
                self.tr("Cette téléconsultation est terminée ou annulée.")
                if not planned
                else self.tr("Aucun lien de connexion pour vous dans cette téléconsultation.")
            )
        else:
            self.join_button.setToolTip(self.tr("Ouvre la visio dans votre navigateur."))
        for action, button in self.row_actions:
            action.setEnabled(button.isEnabled())

    def join(self) -> bool:
        """Opens my link of the selected teleconsultation in the system browser."""
        tc = self._selected
        if tc is None or tc.status is not TeleconsultationStatus.PLANNED or not tc.join_url:
            return False
        if not browser.open_link(tc.join_url, self):
            return False
        self._flash(self.tr("La téléconsultation s'ouvre dans votre navigateur."))
        return True

    def copy_patient_link(self) -> None:
        tc = self._selected
        if tc is None or not tc.patient.join_url:
            return
        QGuiApplication.clipboard().setText(tc.patient.join_url)
        self._flash(self.tr("Lien du patient copié."))

    def open_plan(self) -> PlanDialog:
        """The planning form, window-modal; once planned, the list is read again and shows it."""
        dialog = PlanDialog(self.session, self.items, self.me, self)
        dialog.planned.connect(self._planned)
        self.plan_dialog = dialog
        dialog.open()
        return dialog

    def _planned(self, tc: Teleconsultation) -> None:
        self._selected = tc
        self._flash(self.tr("Téléconsultation planifiée : les invitations sont envoyées."))
        self.refresh()

    def open_edit(self) -> EditDialog | None:
        """The planning form filled in with the selected one; once saved, the list is read
        again and shows the change."""
        tc = self._selected
        if tc is None or tc.status is not TeleconsultationStatus.PLANNED or not tc.can_manage:
            return None
        dialog = EditDialog(self.session, tc, self.items, self.me, self)
        dialog.edited.connect(self._edited)
        self.edit_dialog = dialog
        dialog.open()
        return dialog

    def _edited(self, tc: Teleconsultation) -> None:
        self._selected = tc
        self._flash(self.tr("Téléconsultation modifiée : les participants sont prévenus."))
        self.refresh()

    def ask_cancel(self) -> CancelDialog | None:
        tc = self._selected
        if tc is None or tc.status is not TeleconsultationStatus.PLANNED or not tc.can_manage:
            return None
        dialog = CancelDialog(tc, self)
        dialog.confirmed.connect(lambda reason: self.cancel(tc, reason))
        self.cancel_dialog = dialog
        dialog.open()
        return dialog

    def cancel(self, tc: Teleconsultation, reason: str) -> asyncio.Future[Any]:
        def done(_cancelled: Teleconsultation) -> None:
            self._flash(self.tr("Téléconsultation annulée : les participants sont prévenus."))
            self.refresh()

        self._flash(self.tr("Annulation…"))
        return tasks.change(
            self.session.teleconsultations.cancel(tc.id, reason),
            self,
            done,
            lambda message: self._flash(message, error=True),
        )

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)

    def _flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)


async def demo_screenshot(session: AccountSession) -> TeleconsultationsView:
    """The teleconsultations page, loaded, the next one selected (for the screenshot driver)."""
    view = TeleconsultationsView(session)
    view.resize(1040, 720)
    for _ in range(200):  # at most 10 s
        if not view.loading:
            break
        await asyncio.sleep(0.05)
    if view.upcoming_model.rowCount():
        view.upcoming_list.setCurrentIndex(view.upcoming_model.index(0))
    return view
