"""« Planifier une téléconsultation » and « Annuler la téléconsultation » through the real page
against the demo sandbox: planning for myself with each option (online payment, the patient from
the directory with the contacts it gives, a free-text patient, SMS only, a participant from the
directory and a free-text one), the form's French sentences next to its fields and « Planifier »
disabled until valid, the conflict warning, planning « au nom de » the GP as her secretary and the
server's refusal once the delegation is withdrawn (the form kept open and filled), cancelling
with a reason the participants are told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from pytestqt.qtbot import QtBot

from app.records import DirectoryQuery
from app.regional.records import Teleconsultation, TeleconsultationStatus
from app.regional.teleconsultations import PARIS
from app.session import AccountSession
from server.regional.delegations import delegated
from server.testing import ServerThread
from tests.ui import page_helpers
from tests.ui.conftest import opened_session, run_sync
from ui.directory.dialog import DirectoryDialog
from ui.teleconsultations.plan_form import PlanDialog
from ui.teleconsultations.view import TeleconsultationsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAIT = 20_000
SECRETARY_LOGIN = "sandrine.morel"
NURSE_LOGIN = "thomas.roux"


@pytest.fixture(name="make_view")
def make_view_fixture(qtbot: QtBot) -> Callable[[AccountSession], TeleconsultationsView]:
    def make(session: AccountSession) -> TeleconsultationsView:
        view = TeleconsultationsView(session)
        return page_helpers.shown(qtbot, view, "directory.qss", (1040, 720))

    return make


@pytest.fixture
def secretary(
    qtbot: QtBot, demo_server: ServerThread, tmp_path: Path, qloop: object
) -> Iterator[AccountSession]:
    with opened_session(qtbot, demo_server.base_url, tmp_path / "secretary", SECRETARY_LOGIN) as s:
        yield s


def open_form(qtbot: QtBot, view: TeleconsultationsView) -> PlanDialog:
    qtbot.mouseClick(view.plan_button, Qt.MouseButton.LeftButton)
    dialog = view.plan_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    task = dialog.delegators_task
    assert task is not None
    qtbot.waitUntil(task.done, timeout=WAIT)
    return dialog


def set_start(dialog: PlanDialog, start: dt.datetime) -> None:
    dialog.date_edit.setDate(QDate(start.year, start.month, start.day))
    dialog.time_edit.setTime(QTime(start.hour, start.minute))


def in_days(days: int, hour: int) -> dt.datetime:
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0))


def select(view: TeleconsultationsView, tc_id: str) -> Teleconsultation:
    model = view.upcoming_model
    row = next(i for i in range(model.rowCount()) if (t := model.item(i)) and t.id == tc_id)
    view.upcoming_list.setCurrentIndex(model.index(row))
    tc = view.selected()
    assert tc is not None
    return tc


def plan_and_wait(
    qtbot: QtBot, view: TeleconsultationsView, dialog: PlanDialog
) -> Teleconsultation:
    planned: list[Teleconsultation] = []
    dialog.planned.connect(planned.append)
    assert dialog.plan_button.isEnabled(), dialog.error_label.text()
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(planned), timeout=WAIT)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: planned[0].id in {t.id for t in view.items}, timeout=WAIT)
    return planned[0]


def test_plan_for_myself_with_payment_a_directory_patient_and_two_participants(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    dialog = open_form(qtbot, view)
    assert dialog.teleconsultant_combo.currentText() == "Moi-même"
    assert not dialog.plan_button.isEnabled()  # no patient yet
    set_start(dialog, in_days(30, 11))
    dialog.payment_check.setChecked(True)
    dialog.amount_spin.setValue(30.0)

    # The patient from the regional directory, with the contacts it gives to her follower.
    followed = run_sync(qtbot, ui_session.patients.file_active())
    patient = next(p for p in followed if p.email and p.mobile)
    picker = dialog.patient_box.choose()
    picker.form.family_edit.setText(patient.family)
    picker.form.birth_edit.setText(f"{patient.birth_date:%d/%m/%Y}")
    picker.search()
    qtbot.waitUntil(lambda: picker.list.count() > 0, timeout=WAIT)
    row = next(i for i, p in enumerate(picker.results) if p.id == patient.id)
    picker.list.setCurrentRow(row)
    qtbot.mouseClick(picker.choose_button, Qt.MouseButton.LeftButton)
    box = dialog.patient_box
    assert box.patient_id() == patient.id
    assert box.contacts_task is not None
    qtbot.waitUntil(box.contacts_task.done, timeout=WAIT)
    assert box.email_edit.text() == patient.email
    assert box.mobile_edit.text() == patient.mobile
    dialog.sms_check.setChecked(True)

    # A professional from the directory, and the patient's daughter in free text.
    page = run_sync(qtbot, ui_session.search_directory(DirectoryQuery(name="Roux")))
    nurse = next(c for c in page.correspondents if c.mailbox and "thomas.roux" in c.mailbox)
    picker_dialog = dialog.participants_box.choose()
    assert isinstance(picker_dialog, DirectoryDialog)
    picker_dialog.choose([nurse])
    people = dialog.participants_box
    people.name_edit.setText("Claire (sa fille)")
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    assert people.error.text() == (
        "Indiquez l'adresse e-mail ou le mobile du participant, pour son invitation."
    )
    people.mobile_edit.setText("06 98 76 54 32")
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    assert people.list.count() == 2
    assert not people.error.isVisible()
    dialog.motive_edit.setText("Suivi tensionnel")

    planned = plan_and_wait(qtbot, view, dialog)
    assert planned.patient.patient_id == patient.id
    assert planned.channels == ["email", "sms"]
    assert planned.online_payment is not None
    assert planned.online_payment.amount == 30.0
    assert [p.name for p in planned.participants][1] == "Claire (sa fille)"
    assert planned.participants[0].email == nurse.mailbox
    assert planned.participants[1].mobile == "+33698765432"
    assert planned.start.astimezone(PARIS).replace(tzinfo=None) == in_days(30, 11)
    assert planned.motive == "Suivi tensionnel"
    assert "planifiée" in view.feedback_label.text()


def test_free_text_patient_by_sms_only_and_the_fields_say_what_is_wrong(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    dialog = open_form(qtbot, view)
    set_start(dialog, in_days(31, 9))
    box = dialog.patient_box
    dialog.email_check.setChecked(False)
    dialog.sms_check.setChecked(False)
    assert dialog.channels_error.text() == (
        "Choisissez au moins un moyen d'invitation : e-mail ou SMS."
    )
    assert box.patient_error.text() == (
        "Choisissez le patient dans l'annuaire ou saisissez son nom."
    )
    dialog.sms_check.setChecked(True)
    assert box.mobile_error.text() == (
        "Invitation par SMS : renseignez le numéro de mobile du patient."
    )
    box.name_edit.setText("Marcel Durand")
    box.mobile_edit.setText("04 12 34 56 78")
    assert box.mobile_error.text().startswith("Numéro de mobile invalide")
    box.email_edit.setText("marcel.durand@")
    assert box.email_error.text().startswith("Adresse e-mail invalide")
    assert not dialog.plan_button.isEnabled()
    box.email_edit.clear()
    box.mobile_edit.setText("07 11 22 33 44")
    for label in (box.patient_error, box.email_error, box.mobile_error, dialog.channels_error):
        assert not label.isVisible()
    assert dialog.plan_button.isEnabled()

    planned = plan_and_wait(qtbot, view, dialog)
    assert (planned.patient.name, planned.patient.patient_id) == ("Marcel Durand", None)
    assert planned.channels == ["sms"]
    assert planned.patient.mobile == "+33711223344"
    assert planned.online_payment is None
    told = run_sync(qtbot, run_sync(qtbot, ui_session.regional()).sandbox_invitations())
    assert [(i.channel, i.recipient) for i in told if i.teleconsultation_id == planned.id] == [
        ("sms", "+33711223344")
    ]


def test_my_other_teleconsultation_at_that_time_is_a_warning_that_does_not_block(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    mine = next(t for t in view.items if t.status is TeleconsultationStatus.PLANNED)
    dialog = open_form(qtbot, view)
    # Not the time the form proposes (the next hour): the demo data, made once per test run,
    # has a teleconsultation then whenever the run crosses an hour.
    set_start(dialog, in_days(30, 8))
    assert not dialog.conflict_label.isVisible()
    start = mine.start.astimezone(PARIS) + dt.timedelta(minutes=10)
    set_start(dialog, start.replace(tzinfo=None))
    assert dialog.conflict_label.isVisible()
    assert dialog.conflict_label.text().startswith("Déjà planifiée à ce moment : ")
    assert mine.patient.name in dialog.conflict_label.text()
    dialog.patient_box.name_edit.setText("Patient de test")
    dialog.patient_box.email_edit.setText("patient.test@patient.example")
    assert dialog.plan_button.isEnabled()  # a warning only
    set_start(dialog, start.replace(tzinfo=None) + dt.timedelta(minutes=30))
    assert not dialog.conflict_label.isVisible()


def test_the_secretary_plans_in_the_gps_name_then_is_refused_once_withdrawn(
    qtbot: QtBot,
    demo_server: ServerThread,
    ui_session: AccountSession,
    secretary: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    gp_account = demo_server.sandbox.accounts.by_login(ui_session.account.ref.login)
    assert gp_account is not None
    view = make_view(secretary)
    dialog = open_form(qtbot, view)
    combo = dialog.teleconsultant_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Moi-même",
        f"Au nom de {gp_account.display_name}",
    ]
    combo.setCurrentIndex(1)
    set_start(dialog, in_days(32, 15))
    dialog.patient_box.name_edit.setText("Jeanne Petit")
    dialog.patient_box.email_edit.setText("jeanne.petit@patient.example")
    planned = plan_and_wait(qtbot, view, dialog)
    assert planned.teleconsultant.account_id == gp_account.id
    assert planned.planner.name != gp_account.display_name
    assert planned.can_manage

    # The GP withdraws the delegation while the secretary's form is open: the server refuses,
    # the form says so in French and keeps everything.
    dialog = open_form(qtbot, view)
    dialog.teleconsultant_combo.setCurrentIndex(1)
    set_start(dialog, in_days(33, 15))
    dialog.patient_box.name_edit.setText("Jeanne Petit")
    dialog.patient_box.email_edit.setText("jeanne.petit@patient.example")
    (delegate,) = run_sync(qtbot, ui_session.delegations.list())
    run_sync(qtbot, ui_session.delegations.remove(delegate.account_id))
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_label.property("error")), timeout=WAIT)
    assert "ne vous a pas délégué" in dialog.error_label.text()
    assert dialog.isVisible()
    assert dialog.patient_box.name_edit.text() == "Jeanne Petit"
    assert dialog.plan_button.isEnabled()  # she may try again once delegated
    with demo_server.sandbox.db.read() as conn:
        assert not delegated(conn, gp_account.id, delegate.account_id)

    # And she may no longer cancel what she planned for the GP.
    dialog.reject()
    view.refresh()
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    select(view, planned.id)
    assert not view.cancel_button.isEnabled()
    assert view.ask_cancel() is None


def test_cancel_asks_with_an_optional_reason_and_the_participants_are_told(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    assert not view.cancel_button.isEnabled()  # nothing selected
    rows = [view.upcoming_model.item(r) for r in range(view.upcoming_model.rowCount())]
    row = next(
        i
        for i, t in enumerate(rows)
        if t is not None and t.status is TeleconsultationStatus.PLANNED and t.can_manage
    )
    view.upcoming_list.setCurrentIndex(view.upcoming_model.index(row))
    tc = view.selected()
    assert tc is not None
    assert view.cancel_button.isEnabled()
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    question = view.cancel_dialog
    assert question is not None
    assert question.question_label.text().startswith("Annuler la téléconsultation du ")
    assert tc.patient.name in question.question_label.text()
    qtbot.mouseClick(question.keep_button, Qt.MouseButton.LeftButton)  # changed her mind
    assert not question.isVisible()
    assert view.selected() == tc

    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    question = view.cancel_dialog
    assert question is not None
    question.reason_edit.setText("Patient hospitalisé")
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "annulée" in view.feedback_label.text(), timeout=WAIT)
    qtbot.waitUntil(
        lambda: any(
            t.id == tc.id and t.status is TeleconsultationStatus.CANCELLED for t in view.items
        ),
        timeout=WAIT,
    )
    cancelled = next(t for t in view.items if t.id == tc.id)
    assert cancelled.cancel_reason == "Patient hospitalisé"
    assert not view.cancel_button.isEnabled()
    told = run_sync(qtbot, run_sync(qtbot, ui_session.regional()).sandbox_invitations())
    cancellations = [i for i in told if i.teleconsultation_id == tc.id and i.kind == "cancellation"]
    assert cancellations
    assert all("Patient hospitalisé" in i.text for i in cancellations)
