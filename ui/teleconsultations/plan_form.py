"""« Planifier une téléconsultation » in the app, on one screen as the FAQ describes it: the
teleconsultant (myself, or « au nom de » a professional who delegated their planning to me), the
date and time in Paris time and the duration, an online payment request, the patient and how they
are invited (e-mail and/or SMS), the other participants, the motive.

The checks of the core (`plan_problems`) say next to each field what is missing while the form is
filled in, and « Planifier » stays disabled until nothing is. My other teleconsultations at that
time, taken from the list the page already has, show as a warning; the server decides last
(delegation, contacts, another teleconsultation of the teleconsultant at that time): its refusal
is shown in French and the form stays open with everything typed.

« Modifier » opens the same form on a planned teleconsultation (edit_form.py): it overrides the
hooks `prepare`, `problems`, `lead_address`, `submit` and `sent`."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.dates import clock, french_day
from app.messages import Message
from app.regional.records import (
    Channel,
    Delegate,
    Payment,
    Teleconsultation,
    TeleconsultationPlan,
)
from app.regional.teleconsultations import PARIS, PlanField, conflicts, plan_problems
from app.session import AccountSession
from app.text import strip_bidi
from ui import i18n, tasks, theme
from ui.plain import PlainLabel, plain_tooltip
from ui.teleconsultations.plan_people import ParticipantsBox, PatientBox, field_error, say


class PlanDialog(QDialog):
    """The planning form → `planned(Teleconsultation)` once the server took it."""

    planned = Signal(object)

    def __init__(
        self,
        session: AccountSession,
        items: list[Teleconsultation],
        me: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planTeleconsultationDialog")
        self.setWindowTitle(window_title(self.tr("Planifier une téléconsultation")))
        self.session = session
        self.items = items  # the page's list, for the conflicts
        self.me = me  # my address
        self.touched = False  # missing fields are said once the user has started
        self.sending = tasks.Running(self)
        self.delegators_task: asyncio.Future[Any] | None = None

        self.title_label = title = PlainLabel(self.tr("Planifier une téléconsultation"))
        title.setObjectName("dialogTitle")
        self.teleconsultant_combo = QComboBox()
        self.teleconsultant_combo.setObjectName("teleconsultantCombo")
        self.teleconsultant_combo.addItem(self.tr("Moi-même"), None)

        start = (dt.datetime.now(PARIS) + dt.timedelta(hours=1)).replace(minute=0)
        self.date_edit = QDateEdit(QDate(start.year, start.month, start.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.time_edit = QTimeEdit(QTime(start.hour, 0))
        self.time_edit.setDisplayFormat("HH:mm")
        self.duration_spin = QSpinBox()
        self.duration_spin.setRange(5, 480)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setValue(20)
        self.duration_spin.setSuffix(self.tr(" min"))
        self.start_error = field_error()
        self.conflict_label = PlainLabel()
        self.conflict_label.setObjectName("conflictWarning")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.hide()

        self.payment_check = QCheckBox(self.tr("Demander un paiement en ligne"))
        self.amount_spin = QDoubleSpinBox()
        self.amount_spin.setRange(1.0, 1000.0)
        self.amount_spin.setDecimals(2)
        self.amount_spin.setValue(25.0)
        self.amount_spin.setSuffix(" €")

        self.patient_box = PatientBox(session)
        self.email_check = QCheckBox(self.tr("Par e-mail"))
        self.email_check.setChecked(True)
        self.sms_check = QCheckBox(self.tr("Par SMS"))
        self.channels_error = field_error()
        self.participants_box = ParticipantsBox(session)
        self.motive_edit = QLineEdit()
        self.motive_edit.setObjectName("motiveField")
        self.motive_edit.setMaxLength(500)
        self.motive_edit.setPlaceholderText(self.tr("Motif de la téléconsultation"))

        self.error_label = PlainLabel()  # may quote the server
        self.error_label.setObjectName("hint")
        self.error_label.setWordWrap(True)
        self.plan_button = QPushButton(theme.icon("check-light"), self.tr("Planifier"))
        self.plan_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.plan_button, self.cancel_button):
            button.setAutoDefault(False)

        when = QHBoxLayout()
        when.setSpacing(8)
        for text, widget in (
            (self.tr("Le"), self.date_edit),
            (self.tr("à"), self.time_edit),
            (self.tr("heure de Paris, durée"), self.duration_spin),
        ):
            when.addWidget(PlainLabel(text))
            when.addWidget(widget)
        when.addStretch(1)
        payment = QHBoxLayout()
        payment.addWidget(self.payment_check)
        payment.addWidget(self.amount_spin)
        payment.addStretch(1)
        channels = QHBoxLayout()
        channels.addWidget(PlainLabel(self.tr("Inviter le patient :")))
        channels.addWidget(self.email_check)
        channels.addWidget(self.sms_check)
        channels.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        rows: list[tuple[str, list[QWidget | QHBoxLayout]]] = [
            (self.tr("Téléconsultant"), [self.teleconsultant_combo]),
            (self.tr("Date"), [when, self.start_error, self.conflict_label]),
            (self.tr("Paiement"), [payment]),
            (self.tr("Patient"), [self.patient_box]),
            (self.tr("Invitation"), [channels, self.channels_error]),
            (self.tr("Autres participants"), [self.participants_box]),
            (self.tr("Motif"), [self.motive_edit]),
        ]
        for row, (heading, parts) in enumerate(rows):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            grid.addWidget(head, row, 0, Qt.AlignmentFlag.AlignTop)
            column = QVBoxLayout()
            column.setSpacing(4)
            for part in parts:
                if isinstance(part, QHBoxLayout):
                    column.addLayout(part)
                else:
                    column.addWidget(part)
            grid.addLayout(column, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.plan_button)
        layout.addLayout(buttons)
        self.resize(760, 660)

        self.plan_button.clicked.connect(lambda _checked=False: self.send())
        self.cancel_button.clicked.connect(self.reject)
        self.teleconsultant_combo.currentIndexChanged.connect(lambda _i: self._update())
        self.date_edit.dateChanged.connect(lambda _d: self._update())
        self.time_edit.timeChanged.connect(lambda _t: self._update())
        self.duration_spin.valueChanged.connect(lambda _v: self._update())
        self.payment_check.toggled.connect(lambda _on: self._update())
        for check in (self.email_check, self.sms_check):
            check.toggled.connect(lambda _on: self._touched())
        self.patient_box.changed.connect(self._touched)
        self.participants_box.changed.connect(self._update)
        self.prepare()
        self._update()

    # Hooks (edit_form.py changes them) ------------------------------------------------------------

    def prepare(self) -> None:
        """Before the first check: the professionals I may plan for."""
        self.load_delegators()

    def problems(self, plan: TeleconsultationPlan) -> dict[PlanField, Message]:
        return plan_problems(plan, dt.datetime.now(dt.UTC))

    def lead_address(self) -> str:
        """The teleconsultant's address, for the conflicts."""
        lead = self.teleconsultant()
        return lead.mssante_address if lead else self.me

    def submit(self, plan: TeleconsultationPlan) -> Coroutine[Any, Any, Teleconsultation]:
        return self.session.teleconsultations.plan(plan)

    def sent(self, tc: Teleconsultation) -> None:
        self.planned.emit(tc)

    def busy_text(self) -> str:
        return self.tr("Planification…")

    # The teleconsultant ---------------------------------------------------------------------------

    def load_delegators(self) -> asyncio.Future[Any]:
        """After "Moi-même", each professional who lets me plan in their name."""

        def shown(delegators: list[Delegate]) -> None:
            for delegate in delegators:
                text = self.tr("Au nom de {name}").format(name=strip_bidi(delegate.name))
                self.teleconsultant_combo.addItem(text, delegate)

        def failed(message: str) -> None:
            self.error_label.setText(message)
            theme.restyle(self.error_label, error=True)

        self.delegators_task = tasks.run(
            self.session.delegations.planning_for(), self, shown, failed, key="delegators"
        )
        return self.delegators_task

    def teleconsultant(self) -> Delegate | None:
        """None for myself."""
        chosen = self.teleconsultant_combo.currentData()
        return chosen if isinstance(chosen, Delegate) else None

    # The plan -------------------------------------------------------------------------------------

    def start(self) -> dt.datetime:
        """The chosen start, naive Paris time (as the server reads it)."""
        day, time = self.date_edit.date(), self.time_edit.time()
        return dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())

    def plan(self) -> TeleconsultationPlan:
        lead = self.teleconsultant()
        wanted: tuple[tuple[Channel, QCheckBox], ...] = (
            ("email", self.email_check),
            ("sms", self.sms_check),
        )
        channels = tuple(channel for channel, check in wanted if check.isChecked())
        box = self.patient_box
        return TeleconsultationPlan(
            start=self.start(),
            channels=channels,
            duration_minutes=self.duration_spin.value(),
            teleconsultant_account_id=lead.account_id if lead else None,
            online_payment=Payment(round(self.amount_spin.value(), 2))
            if self.payment_check.isChecked()
            else None,
            patient_id=box.patient_id(),
            patient_name=box.name(),
            patient_email=box.email_edit.text().strip() or None,
            patient_mobile=box.mobile_edit.text().strip() or None,
            participants=tuple(self.participants_box.people),
            motive=self.motive_edit.text().strip(),
        )

    def _touched(self) -> None:
        self.touched = True
        self._update()

    def _update(self) -> None:
        self.amount_spin.setEnabled(self.payment_check.isChecked())
        plan = self.plan()
        problems = self.problems(plan)
        shown = problems if self.touched else {PlanField.START: problems.get(PlanField.START)}
        box = self.patient_box
        for field, label in (
            (PlanField.START, self.start_error),
            (PlanField.PATIENT, box.patient_error),
            (PlanField.PATIENT_EMAIL, box.email_error),
            (PlanField.PATIENT_MOBILE, box.mobile_error),
            (PlanField.CHANNELS, self.channels_error),
        ):
            problem = shown.get(field)
            say(label, i18n.core_text(problem) if problem else "")
        self._show_conflicts(plan)
        self.plan_button.setEnabled(not problems and not self.sending.busy)
        first = next(iter(problems.values()), None)  # why it is disabled
        self.plan_button.setToolTip(plain_tooltip(i18n.core_text(first) if first else ""))

    def _show_conflicts(self, plan: TeleconsultationPlan) -> None:
        start = plan.start.replace(tzinfo=PARIS)
        end = start + dt.timedelta(minutes=plan.duration_minutes or 0)
        found = conflicts(self.items, start, end, self.lead_address())
        if not found:
            say(self.conflict_label, "")
            return
        lines = [
            self.tr("Déjà planifiée à ce moment : {day}, {start} – {end}, {patient}").format(
                day=french_day(tc.start.astimezone(PARIS)),
                start=clock(tc.start.astimezone(PARIS)),
                end=clock(tc.end.astimezone(PARIS)),
                patient=strip_bidi(tc.patient.name),
            )
            for tc in found
        ]
        say(self.conflict_label, "\n".join(lines))

    def send(self) -> asyncio.Future[Any] | None:
        plan = self.plan()
        if self.problems(plan):
            return None
        job = self.submit(plan)

        def done(tc: Teleconsultation) -> None:
            self.sent(tc)
            self.accept()

        def failed(message: str) -> None:
            self.error_label.setText(message)
            theme.restyle(self.error_label, error=True)
            self._update()

        self.error_label.setText(self.busy_text())
        theme.restyle(self.error_label, error=False)
        future = self.sending.change(job, done, failed)
        self._update()
        return future


__all__ = ["PlanDialog"]
