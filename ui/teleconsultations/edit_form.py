"""« Modifier » a planned teleconsultation: the planning form (plan_form.py) filled in with it —
date and time in Paris time, duration, online payment, the patient's contacts and how they are
invited, the other participants, the motive. The teleconsultant and the patient stay as planned
(another patient or teleconsultant is another teleconsultation).

Only what changed is sent (`edit_of`), and « Enregistrer » stays disabled until something has;
the server tells the participants (the update, a cancellation to those taken off, an invitation
to those added). Its refusal — another teleconsultation of the teleconsultant at that time, one
meanwhile past or cancelled — is shown in the form, which keeps everything typed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import QWidget

from app.about import window_title
from app.messages import Message
from app.regional.records import Teleconsultation, TeleconsultationEdit, TeleconsultationPlan
from app.regional.teleconsultations import PARIS, PlanField, edit_of, edit_problems
from app.session import AccountSession
from app.text import strip_bidi
from ui import theme
from ui.plain import plain_tooltip
from ui.teleconsultations.plan_form import PlanDialog


class EditDialog(PlanDialog):
    """The planning form on `tc` → `edited(Teleconsultation)` once the server took the change."""

    edited = Signal(object)

    def __init__(
        self,
        session: AccountSession,
        tc: Teleconsultation,
        items: list[Teleconsultation],
        me: str,
        parent: QWidget | None = None,
    ) -> None:
        self.before = tc
        others = [t for t in items if t.id != tc.id]  # it does not clash with itself
        super().__init__(session, others, me, parent)

    def prepare(self) -> None:
        tc = self.before
        self.setWindowTitle(window_title(self.tr("Modifier la téléconsultation")))
        self.title_label.setText(self.tr("Modifier la téléconsultation"))
        self.plan_button.setText(self.tr("Enregistrer"))
        self.plan_button.setIcon(theme.icon("check-light"))
        self.error_label.setText(
            self.tr(
                "Le patient et les participants reçoivent l'invitation modifiée ; ceux que vous "
                "retirez sont prévenus."
            )
        )

        combo = self.teleconsultant_combo
        combo.clear()
        mine = (tc.teleconsultant.email or "").casefold() == self.me.casefold()
        combo.addItem(self.tr("Moi-même") if mine else strip_bidi(tc.teleconsultant.name), None)
        combo.setEnabled(False)

        start = tc.start.astimezone(PARIS)
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.time_edit.setTime(QTime(start.hour, start.minute))
        self.duration_spin.setValue(tc.duration_minutes)
        self.payment_check.setChecked(tc.online_payment is not None)
        if tc.online_payment is not None:
            self.amount_spin.setValue(tc.online_payment.amount)
        self.patient_box.fix(tc.patient)
        self.email_check.setChecked("email" in tc.channels)
        self.sms_check.setChecked("sms" in tc.channels)
        self.participants_box.show_existing(tc.participants)
        self.motive_edit.setText(strip_bidi(tc.motive))
        self.touched = True  # everything is filled in: say at once what is wrong

    def problems(self, plan: TeleconsultationPlan) -> dict[PlanField, Message]:
        return edit_problems(self.before, plan, dt.datetime.now(dt.UTC))

    def lead_address(self) -> str:
        return self.before.teleconsultant.email or ""

    def send(self) -> asyncio.Future[Any] | None:
        if edit_of(self.before, self.plan()) is None:
            return None  # nothing changed: nobody is told again
        return super().send()

    def submit(self, plan: TeleconsultationPlan) -> Coroutine[Any, Any, Teleconsultation]:
        edit = edit_of(self.before, plan) or TeleconsultationEdit()
        return self.session.teleconsultations.edit(self.before.id, edit)

    def sent(self, tc: Teleconsultation) -> None:
        self.edited.emit(tc)

    def busy_text(self) -> str:
        return self.tr("Enregistrement…")

    def _update(self) -> None:
        super()._update()
        if self.plan_button.isEnabled() and edit_of(self.before, self.plan()) is None:
            self.plan_button.setEnabled(False)
            self.plan_button.setToolTip(
                plain_tooltip(self.tr("Aucune modification à enregistrer."))
            )


__all__ = ["EditDialog"]
