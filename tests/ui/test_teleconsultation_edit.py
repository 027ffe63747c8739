"""« Modifier » a teleconsultation, its payment state and the server's refusal of overlapping
ones, through the real page against the demo sandbox: planned in the form, then edited (another
time, a participant taken off and another added) with the list showing the change and each one
told what concerns them; « Modifier » offered only on one to come that I manage (also from the
row's context menu); « Paiement : en attente » then « payé » once the patient paid on the join
page's payment form; another teleconsultation at that time refused in the form, which keeps
what was typed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.regional.records import PaymentStatus, Teleconsultation, TeleconsultationStatus
from app.regional.teleconsultations import PARIS
from app.session import AccountSession
from server.testing import ServerThread
from tests.ui.conftest import opened_session, run_sync
from tests.ui.test_teleconsultation_plan import (
    in_days,
    make_view_fixture,  # noqa: F401 (the `make_view` fixture)
    open_form,
    plan_and_wait,
    select,
    set_start,
)
from ui.teleconsultations.edit_form import EditDialog
from ui.teleconsultations.plan_form import PlanDialog
from ui.teleconsultations.view import TeleconsultationsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAIT = 20_000
NURSE_LOGIN = "thomas.roux"


@pytest.fixture
def nurse(
    qtbot: QtBot, demo_server: ServerThread, tmp_path: Path, qloop: object
) -> Iterator[AccountSession]:
    """The demo's nurse: a participant in some of the GP's teleconsultations."""
    with opened_session(qtbot, demo_server.base_url, tmp_path / "nurse", NURSE_LOGIN) as session:
        yield session


def open_edit(qtbot: QtBot, view: TeleconsultationsView) -> EditDialog:
    assert view.edit_button.isEnabled(), view.edit_button.toolTip()
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.edit_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    return dialog


def refused(qtbot: QtBot, dialog: PlanDialog) -> str:
    """Clicks the form's button and waits for the server's refusal, said in the form."""
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_label.property("error")), timeout=WAIT)
    assert dialog.isVisible()
    return dialog.error_label.text()


def fill_patient(dialog: PlanDialog, name: str) -> None:
    dialog.patient_box.name_edit.setText(name)
    dialog.patient_box.email_edit.setText("patient.test@patient.example")


def tooltip(view: TeleconsultationsView, tc_id: str) -> str:
    model = view.upcoming_model
    row = next(i for i in range(model.rowCount()) if (t := model.item(i)) and t.id == tc_id)
    return str(model.data(model.index(row), Qt.ItemDataRole.ToolTipRole))


def test_plan_then_modify_the_time_and_a_participant_and_the_list_shows_it(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    dialog = open_form(qtbot, view)
    set_start(dialog, in_days(34, 10))
    dialog.duration_spin.setValue(30)
    fill_patient(dialog, "Louise Bernard")
    people = dialog.participants_box
    people.name_edit.setText("Claire (sa fille)")
    people.email_edit.setText("claire@famille.example")
    assert people.add_typed()
    dialog.motive_edit.setText("Suivi tensionnel")
    planned = plan_and_wait(qtbot, view, dialog)
    select(view, planned.id)

    edit = open_edit(qtbot, view)
    assert edit.windowTitle().startswith("Modifier la téléconsultation")
    assert edit.title_label.text() == "Modifier la téléconsultation"
    assert edit.plan_button.text() == "Enregistrer"
    # Filled in with the teleconsultation; the teleconsultant and the patient stay as planned.
    assert edit.teleconsultant_combo.currentText() == "Moi-même"
    assert not edit.teleconsultant_combo.isEnabled()
    assert edit.start() == in_days(34, 10)
    assert edit.duration_spin.value() == 30
    assert edit.patient_box.chosen_label.text() == "Louise Bernard"
    assert not edit.patient_box.name_edit.isVisible()
    assert not edit.patient_box.choose_button.isVisible()
    assert edit.patient_box.email_edit.text() == "patient.test@patient.example"
    assert edit.email_check.isChecked()
    assert not edit.sms_check.isChecked()
    assert not edit.payment_check.isChecked()
    assert edit.motive_edit.text() == "Suivi tensionnel"
    assert [edit.participants_box.list.item(i).text() for i in range(1)] == [
        "Claire (sa fille) — claire@famille.example"
    ]
    assert not edit.plan_button.isEnabled()  # nothing changed yet
    assert edit.plan_button.toolTip() == "Aucune modification à enregistrer."
    assert edit.send() is None

    # Two hours later, Claire taken off, her brother added by mobile.
    set_start(edit, in_days(34, 12))
    assert edit.plan_button.isEnabled()
    edit.participants_box.list.setCurrentRow(0)
    edit.participants_box.remove_selected()
    edit.participants_box.name_edit.setText("Paul (son fils)")
    edit.participants_box.mobile_edit.setText("06 98 76 54 32")
    assert edit.participants_box.add_typed()
    edited: list[Teleconsultation] = []
    edit.edited.connect(edited.append)
    qtbot.mouseClick(edit.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(edited), timeout=WAIT)
    assert not edit.isVisible()
    assert "modifiée" in view.feedback_label.text()

    def shown() -> Teleconsultation:
        return next(t for t in view.items if t.id == planned.id)

    qtbot.waitUntil(lambda: shown().start != planned.start, timeout=WAIT)
    now_shown = shown()
    assert now_shown.start.astimezone(PARIS).replace(tzinfo=None) == in_days(34, 12)
    assert now_shown.duration_minutes == 30
    assert [p.name for p in now_shown.participants] == ["Paul (son fils)"]
    assert now_shown.participants[0].mobile == "+33698765432"
    assert now_shown.motive == "Suivi tensionnel"  # what was not changed stays
    assert view.selected() is not None
    assert "12 h 00 – 12 h 30" in tooltip(view, planned.id)

    # Each was told what concerns them: Claire that she no longer takes part, Paul invited,
    # the patient the new time.
    told = run_sync(qtbot, run_sync(qtbot, ui_session.regional()).sandbox_invitations())
    mine = [(i.kind, i.recipient_name) for i in told if i.teleconsultation_id == planned.id]
    assert ("cancellation", "Claire (sa fille)") in mine
    assert ("invitation", "Paul (son fils)") in mine
    assert ("update", "Louise Bernard") in mine
    assert ("update", "Claire (sa fille)") not in mine


def test_modify_is_offered_only_on_one_to_come_that_i_manage(
    qtbot: QtBot,
    nurse: AccountSession,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    # The GP's own: from the row's context menu too.
    view = make_view(ui_session)
    mine = next(
        t for t in view.items if t.status is TeleconsultationStatus.PLANNED and t.can_manage
    )
    select(view, mine.id)
    actions = {a.text(): a for a in view.upcoming_list.actions()}
    assert set(actions) >= {"Modifier", "Annuler la téléconsultation", "Rejoindre"}
    assert actions["Modifier"].isEnabled()
    actions["Modifier"].trigger()
    dialog = view.edit_dialog
    assert dialog is not None
    assert dialog.before.id == mine.id
    dialog.reject()
    # A past one cannot be edited.
    view.past_list.setCurrentIndex(view.past_model.index(0))
    assert not view.edit_button.isEnabled()
    assert not actions["Modifier"].isEnabled()
    assert view.edit_button.toolTip() == "Cette téléconsultation est terminée ou annulée."
    assert view.open_edit() is None

    # The nurse takes part in some of the GP's: she may join, not change them.
    nurse_view = make_view(nurse)
    theirs = next(t for t in nurse_view.items if t.status is TeleconsultationStatus.PLANNED)
    select(nurse_view, theirs.id)
    assert not theirs.can_manage
    assert nurse_view.join_button.isEnabled()
    assert not nurse_view.edit_button.isEnabled()
    assert not nurse_view.cancel_button.isEnabled()
    assert "peuvent la modifier" in nurse_view.edit_button.toolTip()
    assert nurse_view.open_edit() is None


def test_the_payment_shows_pending_then_paid_once_the_patient_paid_on_the_join_page(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    dialog = open_form(qtbot, view)
    set_start(dialog, in_days(35, 9))
    fill_patient(dialog, "Marc Lefort")
    dialog.payment_check.setChecked(True)
    dialog.amount_spin.setValue(25.0)
    planned = plan_and_wait(qtbot, view, dialog)
    assert planned.payment_status is PaymentStatus.PENDING
    assert "Paiement : en attente (25,00\u00a0€)" in tooltip(view, planned.id)

    # The patient opens the link, pays on the simulated provider's page, reaches the room.
    link = planned.patient.join_url
    assert link is not None
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(link)
        assert "Paiement simulé" in unescape(page.text)
        found = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert found is not None
        origin = link.split("/portal/", 1)[0]
        paid = browser.post(origin + unescape(found.group(1)))
        assert "Salle d'attente" in unescape(paid.text)

    view.refresh()
    qtbot.waitUntil(
        lambda: any(
            t.id == planned.id and t.payment_status is PaymentStatus.PAID for t in view.items
        ),
        timeout=WAIT,
    )
    assert "Paiement : payé (25,00\u00a0€)" in tooltip(view, planned.id)
    assert "en attente" not in tooltip(view, planned.id)


def test_another_teleconsultation_at_that_time_is_refused_in_the_form_which_keeps_everything(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleconsultationsView],
) -> None:
    view = make_view(ui_session)
    dialog = open_form(qtbot, view)
    set_start(dialog, in_days(36, 10))
    fill_patient(dialog, "Anne Morel")
    first = plan_and_wait(qtbot, view, dialog)

    # Planning over it: refused, said in the form, nothing lost.
    dialog = open_form(qtbot, view)
    set_start(dialog, in_days(36, 10) + dt.timedelta(minutes=10))
    fill_patient(dialog, "Bruno Caron")
    dialog.motive_edit.setText("Contrôle")
    message = refused(qtbot, dialog)
    assert message.startswith("Vous avez déjà une téléconsultation le ")
    assert "de 10 h 00 à 10 h 20 (heure de Paris)" in message
    assert dialog.patient_box.name_edit.text() == "Bruno Caron"
    assert dialog.motive_edit.text() == "Contrôle"
    assert dialog.plan_button.isEnabled()  # another time may be tried
    set_start(dialog, in_days(36, 10) + dt.timedelta(minutes=20))  # right after: fine
    second = plan_and_wait(qtbot, view, dialog)

    # Moving the second onto the first: refused in the edit form too.
    select(view, second.id)
    edit = open_edit(qtbot, view)
    set_start(edit, in_days(36, 10) + dt.timedelta(minutes=5))
    assert "de 10 h 00 à 10 h 20" in refused(qtbot, edit)
    assert edit.start() == in_days(36, 10) + dt.timedelta(minutes=5)
    edit.reject()
    assert {t.id: t.start for t in view.items}[first.id] == first.start
