"""Following a patient, or no longer: the regional directory records who follows a patient, when
and why (issue 9 §8), so "Suivre" and "Créer et suivre" ask for a reason first (the server's
reasons, follow_reason.py) and "Ne plus suivre" asks before it acts. The writes go through
`session.patients` as changes (finished even if the page goes); the page hears the outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.regional.patients import NewPatient, display_name, unfollowed
from app.regional.records import FollowReason, Patient
from app.session import AccountSession
from ui import tasks
from ui.patients.follow_reason import FollowReasonDialog
from ui.plain import plain_message_box


class Following(QObject):
    """`changed(Patient, str)`: the server confirmed; the patient as now, and what to tell the
    user. `failed(str)`: it did not, and why."""

    changed = Signal(object, str)
    failed = Signal(str)

    def __init__(self, session: AccountSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.window = parent  # the dialogs' parent
        self.task: asyncio.Future[Any] | None = None  # the last reasons asked, or write
        self.reason_dialog: FollowReasonDialog | None = None
        self.confirm_box: QMessageBox | None = None

    def ask_reason(
        self,
        name: str,
        action: str,
        then: Callable[[str], object],
        failed: Callable[[str], None],
    ) -> asyncio.Future[Any]:
        """Opens the "Motif du suivi" dialog (the server's reasons, asked once a session);
        `then(code)` once a reason is chosen. The future is the asking of the reasons."""

        def show(reasons: list[FollowReason]) -> None:
            dialog = FollowReasonDialog(reasons, name, action, self.window)
            dialog.chosen.connect(then)
            self.reason_dialog = dialog
            dialog.destroyed.connect(lambda *_: setattr(self, "reason_dialog", None))
            dialog.open()

        self.task = tasks.run(self.session.patients.follow_reasons(), self, show, failed)
        return self.task

    def ask_follow(self, patient: Patient) -> asyncio.Future[Any]:
        """ "Suivre": the reason first, then the patient joins my file active."""
        return self.ask_reason(
            display_name(patient),
            self.tr("Suivre"),
            lambda reason: self.follow(patient, reason),
            self.failed.emit,
        )

    def follow(self, patient: Patient, reason: str) -> asyncio.Future[Any]:
        """Adds the patient to my file active for `reason` (the server confirms)."""

        def added(now: Patient) -> None:
            name = display_name(now)
            self.changed.emit(now, self.tr("{name} est dans votre file active.").format(name=name))

        coro = self.session.patients.follow(patient.id, reason)
        self.task = tasks.change(coro, self, added, self.failed.emit)
        return self.task

    def ask_unfollow(self, patient: Patient) -> QMessageBox:
        """Asks before taking a patient out of the file active (the box is not modal-blocking:
        the answer arrives through its buttons)."""
        box = plain_message_box(
            self.window,
            QMessageBox.Icon.Question,
            self.tr("Ne plus suivre"),
            self.tr("Retirer {name} de votre file active ?").format(name=display_name(patient)),
            self.tr(
                "Le dossier du patient reste dans l'annuaire régional ; vous pourrez le suivre "
                "à nouveau."
            ),
        )
        box.setObjectName("unfollowBox")
        confirm = box.addButton(self.tr("Ne plus suivre"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.unfollow(patient) if button is confirm else None
        )
        self.confirm_box = box
        box.destroyed.connect(lambda *_: setattr(self, "confirm_box", None))
        box.open()
        return box

    def unfollow(self, patient: Patient) -> asyncio.Future[Any]:
        def removed(_none: None) -> None:
            name = display_name(patient)
            self.changed.emit(
                unfollowed(patient),
                self.tr("{name} n'est plus dans votre file active.").format(name=name),
            )

        coro = self.session.patients.unfollow(patient.id)
        self.task = tasks.change(coro, self, removed, self.failed.emit)
        return self.task

    def create(
        self,
        new: NewPatient,
        reason: str,
        created: Callable[[Patient], None],
        failed: Callable[[str], None],
    ) -> asyncio.Future[Any]:
        """Creates the patient's file (its creator follows the patient for `reason`)."""
        self.task = tasks.change(self.session.patients.create(new, reason), self, created, failed)
        return self.task
