"""The Téléexpertise page against the demo sandbox: the GP (helene.garnier) asked the dermatologist
(nadia.lefevre, the demo's declared expert) twice — one answered, one waiting. Lists and filter
match the regional API; a new request reaches the server with the quota shown; the expert answers
in her own session and the GP closes with a compte rendu; the fifth request for a patient in a
year is refused in the server's words; the directory opens the form prefilled; the GP declares
herself as expert in the app (found among the directory's experts), edits and withdraws; offline
is said."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.dates import long_datetime, short_date
from app.message.draft import ChosenPatient
from app.remote.directory import Correspondent, DirectoryQuery
from app.remote.regional import RegionalClient, RegionalUnreachable, Teleexpertise
from app.session import AccountSession
from server.testing import ServerThread
from tests.ui import page_helpers
from tests.ui.conftest import opened_session, run_sync
from ui.teleexpertise.labels import OFFLINE_FR, quota_text
from ui.teleexpertise.request import TeleexpertiseRequestDialog
from ui.teleexpertise.view import TeleexpertiseView, demo_screenshot

WAIT = 20_000
EXPERT_LOGIN = "nadia.lefevre"
LIMIT_FR = "Limite atteinte : 4 téléexpertises par patient et par an"


def style() -> str:
    return page_helpers.style("teleexpertise.qss")


@pytest.fixture
def make_view(qtbot: QtBot) -> Callable[[AccountSession], TeleexpertiseView]:
    def make(session: AccountSession) -> TeleexpertiseView:
        view = TeleexpertiseView(session)
        return page_helpers.shown(qtbot, view, "teleexpertise.qss", (1120, 720))

    return make


@pytest.fixture
def expert_session(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread, tmp_path: Path
) -> Iterator[AccountSession]:
    """The dermatologist's own session on the same sandbox (not started: no background sync)."""
    with opened_session(qtbot, demo_server.base_url, tmp_path / "expert", EXPERT_LOGIN) as session:
        yield session


def client_of(qtbot: QtBot, session: AccountSession) -> RegionalClient:
    return run_sync(qtbot, session.regional())


def items(view: TeleexpertiseView, received: bool = False) -> list[Teleexpertise]:
    return (view.received_model if received else view.sent_model).rows()


def a_patient(qtbot: QtBot, client: RegionalClient, index: int) -> ChosenPatient:
    """A patient of the GP's file active that no demo téléexpertise is about."""
    patients = run_sync(qtbot, client.file_active())
    busy = {t.patient.id for t in run_sync(qtbot, client.teleexpertises())}
    free = [p for p in patients if p.id not in busy]
    return ChosenPatient.of(free[index])


def the_expert(qtbot: QtBot, session: AccountSession) -> Correspondent:
    page = run_sync(
        qtbot, session.search_directory(DirectoryQuery(name="Lefèvre", experts_only=True))
    )
    [expert] = [c for c in page.correspondents if c.expert and c.mailbox]
    return expert


def test_lists_match_the_regional_api(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    view = make_view(ui_session)
    everything = run_sync(qtbot, client_of(qtbot, ui_session).teleexpertises())
    assert len(everything) == 2
    assert sorted(t.id for t in items(view)) == sorted(t.id for t in everything)
    assert {t.status for t in items(view)} == {"requested", "answered"}
    assert all(t.requester.mssante_address == view.me for t in items(view))
    assert items(view, received=True) == []
    assert view.received_empty.isVisibleTo(view)
    assert view.status_label.text() == "1 réponse à clôturer."
    # She is not an expert: the page says so and offers the portal's declaration.
    assert "pas déclaré comme télé-expert" in view.profile_label.text()
    assert view.declare_button.isVisibleTo(view)


def test_status_filter_asks_the_server_for_that_status(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    view = make_view(ui_session)
    client = client_of(qtbot, ui_session)
    for status in ("answered", "requested", "closed"):
        view.filter_combo.setCurrentIndex(view.filter_combo.findData(status))
        qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
        expected = run_sync(qtbot, client.teleexpertises(status))  # type: ignore[arg-type]
        assert [t.id for t in items(view)] == [t.id for t in expected]
        assert all(t.status == status for t in items(view))
    assert items(view) == []  # none closed in the demo
    assert view.sent_empty.isVisibleTo(view)
    view.filter_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not view.loading and len(items(view)) == 2, timeout=WAIT)


def test_detail_of_the_answered_request_and_its_conversation(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    view = make_view(ui_session)
    row = next(i for i, t in enumerate(items(view)) if t.status == "answered")
    view.sent_list.setCurrentIndex(view.sent_model.index(row))
    te = view.selected()
    assert te is not None
    assert te.status == "answered"
    assert view.sections["question"][1].text() == te.question
    assert view.sections["answer"][1].text() == te.answer
    assert not view.sections["report"][1].isVisibleTo(view)
    assert te.answered_at is not None
    assert long_datetime(te.answered_at) in view.detail_meta.text()
    assert "Dr Nadia Lefèvre" in view.detail_meta.text()
    # The requester may close; she cannot answer her own request.
    assert view.close_button.isVisibleTo(view)
    assert not view.answer_button.isVisibleTo(view)
    assert not view.close_button.isEnabled()  # no compte rendu written yet
    # Its conversation: the thread the request opened, in her cache.
    assert te.thread_id
    with qtbot.waitSignal(view.openThread, timeout=WAIT) as shown:
        qtbot.mouseClick(view.thread_button, Qt.MouseButton.LeftButton)
    assert shown.args == [te.thread_id]
    qtbot.waitUntil(lambda: bool(ui_session.thread(te.thread_id or "")), timeout=WAIT)
    assert "téléexpertise" in ui_session.thread(te.thread_id)[0].subject.casefold()


def test_new_request_reaches_the_server_with_the_quota_shown(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    view = make_view(ui_session)
    client = client_of(qtbot, ui_session)
    target = a_patient(qtbot, client, 0)
    form = view.new_request()
    qtbot.addWidget(form)
    assert not form.send_button.isEnabled()

    # The expert from the directory, "Experts seulement" already ticked.
    directory = form.choose_expert()
    assert directory.view.experts_check.isChecked()
    directory.view.name_edit.setText("Lefèvre")
    directory.view.search()
    qtbot.waitUntil(lambda: directory.view.results_model.rowCount() > 0, timeout=WAIT)
    directory.view.results.setCurrentIndex(directory.view.results_model.index(0))
    directory.choose()
    assert form.expert is not None
    assert form.expert.expert
    assert "Lefèvre" in form.expert_label.text()

    # The patient from the regional patient directory (the composer's picker).
    picker = form.choose_patient()
    picker.form.family_edit.setText(target.identity.family)
    picker.form.birth_edit.setText(f"{target.identity.birth_date:%d/%m/%Y}")
    picker.search()
    qtbot.waitUntil(lambda: picker.list.count() > 0, timeout=WAIT)
    picker.choose()
    assert form.patient is not None
    assert form.patient.id == target.id
    qtbot.waitUntil(lambda: form.quota is not None, timeout=WAIT)
    assert form.quota_label.text() == "4 téléexpertises restantes cette année pour ce patient."

    question = "Éruption vésiculeuse du tronc depuis dix jours : zona atypique ?"
    form.question_edit.setPlainText(question)
    assert form.send_button.isEnabled()
    with qtbot.waitSignal(form.requested, timeout=WAIT) as sent:
        qtbot.mouseClick(form.send_button, Qt.MouseButton.LeftButton)
    te = sent.args[0]
    assert isinstance(te, Teleexpertise)

    on_server = run_sync(qtbot, client.get_teleexpertise(te.id))
    assert on_server.status == "requested"
    assert on_server.question == question
    assert on_server.patient.id == target.id
    assert on_server.expert.mssante_address == form.expert.mailbox
    quota = run_sync(qtbot, client.teleexpertise_quota(target.id or ""))
    assert quota.remaining == 3
    # The page shows it, selected.
    qtbot.waitUntil(lambda: not view.loading and te.id in [t.id for t in items(view)], timeout=WAIT)
    selected = view.selected()
    assert selected is not None
    assert selected.id == te.id
    assert "Demande envoyée" in view.feedback_label.text()
    form.set_patient(target)
    qtbot.waitUntil(lambda: form.quota is not None, timeout=WAIT)
    assert form.quota_label.text() == "3 téléexpertises restantes cette année pour ce patient."


def test_the_expert_answers_and_the_requester_closes_with_a_report(
    qtbot: QtBot,
    ui_session: AccountSession,
    expert_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    # The dermatologist's page: the GP's waiting request is among those she received.
    expert_view = make_view(expert_session)
    assert "Vous êtes déclaré comme télé-expert" in expert_view.profile_label.text()
    assert expert_view.declare_button.text() == "Modifier mes préférences d'expert"
    assert expert_view.status_label.text() == "1 demande attend votre avis."
    received = items(expert_view, received=True)
    row = next(i for i, t in enumerate(received) if t.status == "requested")
    te = received[row]
    expert_view.received_list.setCurrentIndex(expert_view.received_model.index(row))
    assert expert_view.answer_button.isVisibleTo(expert_view)
    assert not expert_view.close_button.isVisibleTo(expert_view)

    answer = "Aspect évocateur de psoriasis : dermocorticoïde fort et contrôle à un mois."
    expert_view.action_edit.setPlainText(answer)
    asked: list[str] = []
    expert_view.confirm = lambda _parent, _title, text: asked.append(text) or False
    qtbot.mouseClick(expert_view.answer_button, Qt.MouseButton.LeftButton)
    assert asked
    assert "Dr Hélène Garnier" in asked[0]
    gp_client = client_of(qtbot, ui_session)
    assert run_sync(qtbot, gp_client.get_teleexpertise(te.id)).status == "requested"  # declined

    expert_view.confirm = lambda _parent, _title, _text: True
    qtbot.mouseClick(expert_view.answer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Votre avis a été envoyé" in expert_view.feedback_label.text(), timeout=WAIT
    )
    answered = run_sync(qtbot, gp_client.get_teleexpertise(te.id))
    assert answered.status == "answered"
    assert answered.answer == answer
    qtbot.waitUntil(lambda: not expert_view.loading, timeout=WAIT)
    assert not expert_view.answer_button.isVisibleTo(expert_view)  # answered: nothing to do

    # The GP's page: she closes it with the compte rendu.
    view = make_view(ui_session)
    assert view.select(te.id)
    assert view.sections["answer"][1].text() == answer
    report = "Psoriasis du coude confirmé. Traitement local, contrôle à un mois."
    view.action_edit.setPlainText(report)
    view.confirm = lambda _parent, _title, _text: True
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Téléexpertise clôturée" in view.feedback_label.text(), timeout=WAIT)
    closed = run_sync(qtbot, gp_client.get_teleexpertise(te.id))
    assert closed.status == "closed"
    assert closed.report == report
    assert closed.report_type_code == "85208-7"
    assert closed.report_blob_id
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    assert view.selected() is not None
    assert view.sections["report"][1].text() == report
    assert not view.close_button.isVisibleTo(view)


def test_an_error_of_the_server_is_shown_in_french(
    qtbot: QtBot,
    ui_session: AccountSession,
    expert_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    """Her page shows the answered request; the expert closes it meanwhile (either party may):
    closing it again is refused with the server's sentence, shown as it is."""
    view = make_view(ui_session)
    te = next(t for t in items(view) if t.status == "answered")
    expert_client = client_of(qtbot, expert_session)
    run_sync(qtbot, expert_client.close_teleexpertise(te.id, "Clôturée par l'expert."))
    assert view.select(te.id)
    view.action_edit.setPlainText("Un second compte rendu.")
    view.confirm = lambda _parent, _title, _text: True
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert not view.close_button.isEnabled()
    assert view.close_with_report() is None  # a second click while it runs: nothing
    qtbot.waitUntil(lambda: bool(view.feedback_label.property("error")), timeout=WAIT)
    assert view.feedback_label.text() == "Cette téléexpertise est déjà clôturée."
    assert view.action_edit.toPlainText() == "Un second compte rendu."  # not lost
    assert view.close_button.isEnabled()  # not stuck "busy" after the refusal


def test_the_fifth_request_for_a_patient_is_refused_in_french(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    view = make_view(ui_session)
    client = client_of(qtbot, ui_session)
    target = a_patient(qtbot, client, 1)
    expert = the_expert(qtbot, ui_session)
    for n in range(4):
        run_sync(
            qtbot,
            client.request_teleexpertise(
                target.id or "", f"Question {n + 1}", expert_address=expert.mailbox
            ),
        )
    form = view.new_request(expert)
    qtbot.addWidget(form)
    form.set_patient(target)
    qtbot.waitUntil(lambda: form.quota is not None, timeout=WAIT)
    assert form.quota_label.text() == (
        "Aucune téléexpertise restante cette année pour ce patient (4 sur 4)."
    )
    assert form.quota_label.property("error")
    form.question_edit.setPlainText("Une cinquième question.")
    qtbot.mouseClick(form.send_button, Qt.MouseButton.LeftButton)
    assert not form.send_button.isEnabled()
    assert form.send() is None  # a second click while it runs sends nothing more
    qtbot.waitUntil(lambda: LIMIT_FR in form.error_label.text(), timeout=WAIT)
    assert form.error_label.property("error")
    assert form.isVisible()  # kept open: the question is not lost
    assert form.question_edit.toPlainText() == "Une cinquième question."
    assert form.send_button.isEnabled()  # for another patient, or next year: not stuck "busy"
    mine = run_sync(qtbot, client.teleexpertises())
    assert sum(1 for t in mine if t.patient.id == target.id) == 4


def test_the_directory_opens_the_form_with_the_expert(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    from ui.directory.view import DirectoryView

    directory = DirectoryView(ui_session)
    qtbot.addWidget(directory)
    directory.show()
    directory.experts_check.setChecked(True)
    directory.search()
    qtbot.waitUntil(lambda: not directory.searching, timeout=WAIT)
    directory.results.setCurrentIndex(directory.results_model.index(0))
    chosen = directory.selected()[0]
    before = set(map(id, TeleexpertiseRequestDialog._open))
    qtbot.mouseClick(directory.teleexpertise_button, Qt.MouseButton.LeftButton)
    opened = [f for f in TeleexpertiseRequestDialog._open if id(f) not in before]
    assert len(opened) == 1
    form = opened[0]
    qtbot.addWidget(form)
    assert form.isVisible()
    assert form.expert == chosen
    assert chosen.display_name in form.expert_label.text()
    assert form.patient is None
    form.reject()
    assert form not in TeleexpertiseRequestDialog._open


def found_among_experts(qtbot: QtBot, session: AccountSession, me: str) -> bool:
    page = run_sync(
        qtbot, session.search_directory(DirectoryQuery(name="Garnier", experts_only=True))
    )
    return any((c.mailbox or "").casefold() == me.casefold() for c in page.correspondents)


def test_declaring_editing_and_withdrawing_as_expert_in_the_app(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
) -> None:
    view = make_view(ui_session)
    qtbot.waitUntil(lambda: view.declare_button.isVisibleTo(view), timeout=WAIT)
    assert not found_among_experts(qtbot, ui_session, view.me)
    qtbot.mouseClick(view.declare_button, Qt.MouseButton.LeftButton)
    form = view.profile_dialog
    assert form is not None
    assert not form.withdraw_button.isVisibleTo(form)
    assert not form.save_button.isEnabled()  # the activity is needed
    form.activity_edit.setPlainText("Avis sur les plaies chroniques")
    qtbot.keyClicks(form.specialty_list.filter_edit, "cardio")
    (cardio,) = (
        item
        for item in form.specialty_list.items()
        if not item.isHidden() and item.text().startswith("Cardio")
    )
    cardio.setCheckState(Qt.CheckState.Checked)
    form.specialty_list.filter_edit.clear()
    form.documents_edit.setPlainText("Dernier bilan biologique\n\nPhotographies de la plaie")
    form.delay_spin.setValue(3)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT)
    saved = run_sync(qtbot, ui_session.expertise.profile())
    assert saved.declared
    assert saved.listed_in_directory
    assert saved.specialties == ["SM04"]
    assert saved.prerequisite_documents == ["Dernier bilan biologique", "Photographies de la plaie"]
    assert saved.response_delay_days == 3
    assert "Vous êtes déclaré comme télé-expert" in view.profile_label.text()
    # A colleague searching the directory's experts finds me.
    assert found_among_experts(qtbot, ui_session, view.me)

    # Edit: the form opens filled; an error from the server is shown in French, form kept.
    qtbot.mouseClick(view.declare_button, Qt.MouseButton.LeftButton)
    form = view.profile_dialog
    assert form is not None
    assert form.withdraw_button.isVisibleTo(form)
    assert form.activity_edit.toPlainText() == "Avis sur les plaies chroniques"
    assert form.specialties() == ["SM04"]
    assert form.delay_spin.value() == 3
    form.documents_edit.setPlainText("x" * 301)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    # While it runs, a second click starts nothing.
    assert not form.save_button.isEnabled()
    assert not form.withdraw_button.isEnabled()
    assert form.save() is None
    assert form.withdraw() is None
    qtbot.waitUntil(lambda: bool(form.error_label.property("error")), timeout=WAIT)
    assert "300 caractères" in form.error_label.text()
    assert form.isVisible()
    # Over, though with an error: both buttons work again.
    assert form.save_button.isEnabled()
    assert form.withdraw_button.isEnabled()

    # Withdraw: asked first (no → nothing), then yes → no longer among the experts.
    form.confirm_withdraw = lambda _parent: False
    qtbot.mouseClick(form.withdraw_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert not form.saving.busy  # nothing started
    form.confirm_withdraw = lambda _parent: True
    qtbot.mouseClick(form.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT)
    assert not run_sync(qtbot, ui_session.expertise.profile()).declared
    assert "pas déclaré comme télé-expert" in view.profile_label.text()
    assert not found_among_experts(qtbot, ui_session, view.me)


def test_offline_says_so_calmly(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    demo_server.stop()
    view = TeleexpertiseView(ui_session)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    assert view.status_label.text() in (OFFLINE_FR, RegionalUnreachable.message_fr)
    assert not view.status_label.property("error")
    assert not view.new_button.isEnabled()
    assert items(view) == []


def test_screenshot(qtbot: QtBot, ui_session: AccountSession, tmp_path: Path) -> None:
    view = run_sync(qtbot, demo_screenshot(ui_session))
    qtbot.addWidget(view)
    view.setStyleSheet(style())
    view.show()
    qtbot.waitExposed(view)
    selected = view.selected()
    assert selected is not None
    assert selected.status == "answered"
    path = tmp_path / "teleexpertise.png"
    assert view.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_french_words() -> None:
    import datetime as dt

    from app.remote.regional import Quota

    assert quota_text(Quota("p", 2026, 4, 1, 3)) == (
        "3 téléexpertises restantes cette année pour ce patient."
    )
    assert quota_text(Quota("p", 2026, 4, 3, 1)) == (
        "1 téléexpertise restante cette année pour ce patient."
    )
    assert short_date(dt.date(2026, 11, 24), 2026) == "24 nov."
    assert short_date(dt.date(2025, 2, 1), 2026) == "1 févr. 2025"
    assert long_datetime(dt.datetime(2026, 3, 1, 9, 5)) == "le 1er mars 2026 à 09 h 05"


def test_the_main_window_shows_the_page_and_the_requests_conversation(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    from tests.ui.mail_helpers import synced
    from ui.shell.main_window import MainWindow

    qtbot.waitUntil(lambda: synced(ui_session), timeout=30_000)
    window = MainWindow(ui_session, restore_drafts=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("teleexpertise")
    page = window.pages.currentWidget()
    assert isinstance(page, TeleexpertiseView)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    te = next(t for t in items(page) if t.status == "answered")
    assert page.select(te.id)
    qtbot.mouseClick(page.thread_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.mail_page
    assert window.reader.thread_id == te.thread_id
    window.close()
