"""Mes patients against the demo sandbox: the demo GP's file active, the local filter, the
regional patient directory (search by name and birth date or INS, "Suivre" with its reason,
"Créer le dossier"), "Ne plus suivre" with its confirmation, the care team and its actions (write
to it, the patient's messages in the main window, the patient's file in the browser), the
contact details and the access journal of a followed patient, and the page offline."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.message.patient import format_ins
from app.regional.patients import display_name, matches, team_addresses
from app.remote.regional import CareTeam, CareTeamMember, Patient, RegionalClient
from app.session import AccountSession
from app.store.records import Address
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import User, get_token
from tests.ui import page_helpers
from tests.ui.browser import UrlCatcher, page_as_browser
from tests.ui.conftest import run_sync
from tests.ui.mail_helpers import window  # noqa: F401
from ui.patients.create_form import parse_day
from ui.patients.view import PatientsView, demo_journal_screenshot
from ui.shell.main_window import MainWindow

WAIT = 20_000
CARDIO = User("karim.benali", DEMO_PASSWORD, "Dr Karim Benali", "")


@pytest.fixture
def client(qtbot: QtBot, ui_session: AccountSession) -> RegionalClient:
    return run_sync(qtbot, ui_session.regional())


def style() -> str:
    return page_helpers.style("patients.qss")


@pytest.fixture
def make_view(qtbot: QtBot, ui_session: AccountSession) -> Callable[[], PatientsView]:
    def make() -> PatientsView:
        return page_helpers.shown(qtbot, PatientsView(ui_session), "patients.qss", (1100, 760))

    return make


def listed(view: PatientsView, results: bool = False) -> list[Patient]:
    model = view.directory.results_model if results else view.file_active.file_model
    return [p for r in range(model.rowCount()) if (p := model.item(r)) is not None]


def select(qtbot: QtBot, view: PatientsView, patient_id: str) -> Patient:
    assert view.select_patient(patient_id)
    selected = view.selected()
    assert selected is not None
    assert selected.id == patient_id
    qtbot.waitUntil(
        lambda: view.care_team.team_task is not None and view.care_team.team_task.done(),
        timeout=WAIT,
    )
    return selected


def not_followed(demo_server: ServerThread) -> dict[str, Any]:
    """A patient of the regional directory that the GP does not follow: a colleague's, with
    contact details (the directory cannot be browsed to find one)."""
    nir = "2610369999001"  # commune 999: no demo patient's
    body = {
        "given": "Odile",
        "family": f"Étranger{uuid.uuid4().hex[:6]}",
        "usualFamily": "Marchand",
        "birthDate": "1961-03-07",
        "sex": "female",
        "ins": f"{nir}{97 - int(nir) % 97:02d}",
        "email": "odile@patient.example",
        "mobile": "0611223344",
        "followReason": "avis",
    }
    r = httpx.post(
        demo_server.base_url + "/regional/v1/patients",
        json=body,
        headers={"Authorization": f"Bearer {get_token(demo_server.base_url, CARDIO)}"},
    )
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def pick_reason(qtbot: QtBot, view: PatientsView, code: str = "prise_en_charge") -> None:
    """Answers the "Motif du suivi" dialog, then waits for what it asked for."""
    qtbot.waitUntil(lambda: view.following.reason_dialog is not None, timeout=WAIT)
    dialog = view.following.reason_dialog
    assert dialog is not None
    assert not dialog.confirm_button.isEnabled()  # no reason is chosen beforehand
    dialog.choose(code)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert view.following.task is not None
    qtbot.waitUntil(view.following.task.done, timeout=WAIT)


# The file active ---------------------------------------------------------------------------------


def test_file_active_lists_the_followed_patients(
    qtbot: QtBot, client: RegionalClient, make_view: Callable[[], PatientsView]
) -> None:
    view = make_view()
    expected = run_sync(qtbot, client.file_active())
    assert len(expected) >= 10
    assert [p.id for p in listed(view)] == [p.id for p in expected]
    assert view.file_tab.text() == f"Ma file active ({len(expected)})"
    assert view.status_label.text() == f"Vous suivez {len(expected)} patients."
    first = expected[0]
    text = view.file_active.file_model.index(0).data()
    assert text.startswith(f"{first.family.upper()} {first.given}, ")
    assert first.birth_date.strftime("%d/%m/%Y") in text
    if first.ins:
        assert format_ins(first.ins) in text
    assert view.file_active.file_list.isVisible()
    assert not view.panel.panel_body.isVisible()  # nothing selected yet


def test_local_filter(
    qtbot: QtBot, client: RegionalClient, make_view: Callable[[], PatientsView]
) -> None:
    view = make_view()
    everyone = listed(view)
    target = next(p for p in everyone if p.ins)
    # By family name (any case, no accents needed): a subset, all of which match.
    view.file_active.filter_edit.setText(target.family.lower())
    shown = listed(view)
    assert target.id in {p.id for p in shown}
    assert len(shown) < len(everyone)
    assert all(target.family.lower() in f"{p.family} {p.given}".lower() for p in shown)
    # By INS, spaced as it is printed: that patient only.
    assert target.ins is not None
    view.file_active.filter_edit.setText(format_ins(target.ins))
    assert [p.id for p in listed(view)] == [target.id]
    # By birth date.
    view.file_active.filter_edit.setText(target.birth_date.strftime("%d/%m/%Y"))
    assert target.id in {p.id for p in listed(view)}
    # Nobody: a sentence instead of the list.
    view.file_active.filter_edit.setText("zzqxw")
    assert listed(view) == []
    assert view.file_active.file_empty.isVisible()
    assert "zzqxw" in view.file_active.file_empty.text()
    view.file_active.filter_edit.clear()
    assert len(listed(view)) == len(everyone)
    # Local: nothing was asked of the server (the list is still the server's whole answer).
    assert [p.id for p in listed(view)] == [p.id for p in run_sync(qtbot, client.file_active())]


# The regional patient directory -----------------------------------------------------------------


def click_follow(qtbot: QtBot, view: PatientsView, row: int) -> None:
    """Clicks the "Suivre" button painted on a result row."""
    index = view.directory.results_model.index(row)
    rect = view.directory.results_list.visualRect(index)
    patient = view.directory.results_model.item(row)
    assert patient is not None
    button = view.directory.results_delegate.follow_rect(
        rect, patient, view.directory.results_list.font()
    )
    qtbot.mouseClick(
        view.directory.results_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(button.center()),
    )


def test_search_by_name_and_birth_date_then_follow_with_a_reason(
    qtbot: QtBot,
    client: RegionalClient,
    demo_server: ServerThread,
    make_view: Callable[[], PatientsView],
) -> None:
    stranger = not_followed(demo_server)
    view = make_view()
    before = len(listed(view))
    qtbot.mouseClick(view.directory_tab, Qt.MouseButton.LeftButton)
    assert view.stack.currentIndex() == view.DIRECTORY
    form = view.directory.search_form
    form.family_edit.setText(stranger["family"].upper())  # keyClicks is ASCII only
    form.birth_edit.setText("07/03/1961")
    qtbot.mouseClick(view.directory.search_button, Qt.MouseButton.LeftButton)
    assert view.directory.search_task is not None
    qtbot.waitUntil(view.directory.search_task.done, timeout=WAIT)
    results = listed(view, results=True)
    assert [p.id for p in results] == [stranger["id"]]
    assert not results[0].in_file_active
    assert (results[0].email, results[0].mobile) == (None, None)  # identities only
    assert view.directory.search_hint.text() == "1 patient trouvé."

    click_follow(qtbot, view, 0)
    pick_reason(qtbot, view, "avis")
    qtbot.waitUntil(lambda: stranger["id"] in {p.id for p in listed(view)}, timeout=WAIT)
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    assert len(listed(view)) == before + 1
    now = view.directory.results_model.item(0)
    assert now is not None
    assert now.in_file_active
    assert stranger["id"] in {p.id for p in run_sync(qtbot, client.file_active())}  # the server's
    assert "est dans votre file active" in view.panel.feedback_label.text()
    journal = run_sync(qtbot, client.access_log(stranger["id"]))
    followed = next(e for e in journal.entries if e.action == "follow")
    assert (followed.actor.name, followed.reason) == ("Dr Hélène Garnier", "avis")


def test_search_by_usual_name_or_ins(
    qtbot: QtBot, demo_server: ServerThread, make_view: Callable[[], PatientsView]
) -> None:
    stranger = not_followed(demo_server)
    view = make_view()
    view.show_tab(view.DIRECTORY)
    form = view.directory.search_form
    for family, birth, ins in (("marchand", "1961-03-07", ""), ("", "", stranger["ins"])):
        form.family_edit.setText(family)
        form.birth_edit.setText(birth)
        form.ins_edit.setText(ins)
        future = view.directory.search()
        assert future is not None
        qtbot.waitUntil(future.done, timeout=WAIT)
        assert [p.id for p in listed(view, results=True)] == [stranger["id"]]


def test_search_says_what_is_missing(qtbot: QtBot, make_view: Callable[[], PatientsView]) -> None:
    view = make_view()
    view.show_tab(view.DIRECTORY)
    form = view.directory.search_form
    cases = (
        ("", "", "", "", "Indiquez le nom de naissance ou d'usage et la date de naissance"),
        ("Martin", "", "", "", "Ajoutez la date de naissance"),
        ("", "Marie", "", "", "Indiquez le nom de naissance ou d'usage"),
        ("", "", "12/03/1985", "", "Ajoutez le nom de naissance ou d'usage"),
        ("Martin", "", "31 février", "", "Date de naissance illisible"),
        ("", "", "", "2 85 03 69", "Cet INS n'est pas valide"),
    )
    for family, given, birth, ins, expected in cases:
        form.family_edit.setText(family)
        form.given_edit.setText(given)
        form.birth_edit.setText(birth)
        form.ins_edit.setText(ins)
        assert view.directory.search() is None, expected  # the server is not asked
        assert view.directory.search_hint.text().startswith(expected)
        assert view.directory.search_hint.property("error")


def test_too_many_searches_say_when_to_try_again(
    qtbot: QtBot, make_view: Callable[[], PatientsView]
) -> None:
    view = make_view()
    view.show_tab(view.DIRECTORY)
    view.directory.search_form.family_edit.setText("Personne")
    view.directory.search_form.birth_edit.setText("01/01/2001")
    for _ in range(40):  # the demo sandbox answers 20 searches a minute per account
        future = view.directory.search()
        assert future is not None
        qtbot.waitUntil(future.done, timeout=WAIT)
        if view.directory.search_hint.property("error"):
            break
    assert "Trop de recherches" in view.directory.search_hint.text()
    assert "réessayez dans" in view.directory.search_hint.text()
    assert view.directory.search_button.isEnabled()


def test_unfollow_asks_first(
    qtbot: QtBot, client: RegionalClient, make_view: Callable[[], PatientsView]
) -> None:
    view = make_view()
    target = listed(view)[3]
    select(qtbot, view, target.id)
    assert view.panel.follow_button.text() == "Ne plus suivre"
    assert view.panel.followed_mark.isVisible()

    # Cancelled: nothing changes.
    qtbot.mouseClick(view.panel.follow_button, Qt.MouseButton.LeftButton)
    box = view.following.confirm_box
    assert isinstance(box, QMessageBox)
    assert display_name(target) in box.text()
    cancel = next(b for b in box.buttons() if b.text() == "Annuler")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.following.confirm_box is None, timeout=WAIT)
    assert view.following.task is None
    assert target.id in {p.id for p in run_sync(qtbot, client.file_active())}

    # Confirmed: the server takes the patient out, the list follows.
    qtbot.mouseClick(view.panel.follow_button, Qt.MouseButton.LeftButton)
    box = view.following.confirm_box
    assert isinstance(box, QMessageBox)
    confirm = next(b for b in box.buttons() if b.text() == "Ne plus suivre")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.id not in {p.id for p in listed(view)}, timeout=WAIT)
    assert target.id not in {p.id for p in run_sync(qtbot, client.file_active())}
    selected = view.selected()
    assert selected is not None
    assert selected.id == target.id
    assert not selected.in_file_active
    assert (selected.email, selected.mobile, selected.city) == (None, None, "")
    assert target.city
    assert target.city not in view.panel.identity_label.text()
    assert "visibles une fois le patient dans votre file active" in view.panel.details_label.text()
    assert view.panel.follow_button.text() == "Suivre"
    assert "n'est plus dans votre file active" in view.panel.feedback_label.text()


def test_nobody_found_then_create_the_file(
    qtbot: QtBot, client: RegionalClient, make_view: Callable[[], PatientsView]
) -> None:
    family = f"Testeur{uuid.uuid4().hex[:6]}"
    view = make_view()
    before = len(listed(view))
    view.show_tab(view.DIRECTORY)
    view.directory.search_form.family_edit.setText(family)
    view.directory.search_form.given_edit.setText("Anatole")
    view.directory.search_form.birth_edit.setText("07/04/1961")
    future = view.directory.search()
    assert future is not None
    qtbot.waitUntil(future.done, timeout=WAIT)
    assert listed(view, results=True) == []
    assert "Aucun patient" in view.directory.search_hint.text()
    # "Créer le dossier": the form, filled with what was searched.
    assert view.directory.create_form.isVisible()
    assert view.directory.create_form.new_family.text() == family
    assert view.directory.create_form.new_given.text() == "Anatole"
    assert view.directory.create_form.new_birth.text() == "07/04/1961"
    view.directory.create_form.new_sex.setCurrentIndex(
        view.directory.create_form.new_sex.findData("male")
    )
    view.directory.create_form.new_usual.setText("Dubois")
    qtbot.mouseClick(view.directory.create_form.create_submit, Qt.MouseButton.LeftButton)
    pick_reason(qtbot, view, "urgence")
    qtbot.waitUntil(lambda: len(listed(view)) == before + 1, timeout=WAIT)

    created = next(p for p in listed(view) if p.family == family)
    assert created.given == "Anatole"
    assert created.usual_family == "Dubois"
    assert created.birth_date == dt.date(1961, 4, 7)
    assert created.sex == "male"
    assert not view.directory.create_form.isVisible()
    assert "créé et ajouté à votre file active" in view.directory.search_hint.text()
    on_server = run_sync(qtbot, client.search_patients("dubois", dt.date(1961, 4, 7)))
    assert [(p.id, p.in_file_active) for p in on_server.patients] == [(created.id, True)]
    journal = run_sync(qtbot, client.access_log(created.id))
    assert [(e.action, e.reason) for e in journal.entries][-2:] == [
        ("follow", "urgence"),
        ("create", "urgence"),
    ]


def test_create_form_says_what_is_missing(
    qtbot: QtBot, make_view: Callable[[], PatientsView]
) -> None:
    view = make_view()
    view.show_tab(view.DIRECTORY)
    view.directory.show_create_form()
    view.directory.create_form.new_family.setText("Durand")
    assert view.create_patient() is None
    assert view.directory.create_form.create_hint.text() == "Le nom et le prénom sont obligatoires."
    view.directory.create_form.new_given.setText("Léa")
    view.directory.create_form.new_birth.setText("1990")
    assert view.create_patient() is None
    assert "JJ/MM/AAAA" in view.directory.create_form.create_hint.text()
    assert view.following.reason_dialog is None
    # The server's own refusal, in its French words: a bad INS.
    view.directory.create_form.new_birth.setText("02/02/1990")
    view.directory.create_form.new_ins.setText("123")
    view.create_patient()
    pick_reason(qtbot, view)
    assert view.directory.create_form.create_hint.property("error")
    assert view.directory.create_form.create_hint.text().startswith("INS invalide")


# The selected patient ---------------------------------------------------------------------------


def test_care_team_shows_and_write_to_it(
    qtbot: QtBot,
    ui_session: AccountSession,
    client: RegionalClient,
    make_view: Callable[[], PatientsView],
) -> None:
    view = make_view()
    target = listed(view)[0]
    select(qtbot, view, target.id)
    team = run_sync(qtbot, client.care_team(target.id))
    assert team.members
    assert view.care_team.team_model.rows() == team.members
    assert view.care_team.team_list.isVisible()
    assert view.panel.name_label.text() == display_name(target)
    assert target.birth_date.year
    assert str(target.birth_date.year) in view.panel.identity_label.text()
    if target.ins:
        assert format_ins(target.ins) in view.panel.identity_label.text()
    first = view.care_team.team_model.index(0).data()
    assert first.startswith(team.members[0].name)

    me = run_sync(qtbot, ui_session.own_address()).email
    expected = team_addresses(team, me)
    assert expected
    assert me.casefold() not in {a.email.casefold() for a in expected}
    emitted: list[list[Address]] = []
    view.composeRequested.connect(emitted.append)
    assert view.panel.write_button.isEnabled()
    qtbot.mouseClick(view.panel.write_button, Qt.MouseButton.LeftButton)
    assert emitted == [expected]
    assert {a.email for a in expected} <= {m.mssante_address for m in team.members}


def test_a_followed_patient_shows_contact_details_and_the_access_journal(
    qtbot: QtBot, client: RegionalClient, make_view: Callable[[], PatientsView]
) -> None:
    view = make_view()
    target = next(p for p in listed(view) if p.email or p.mobile)
    select(qtbot, view, target.id)
    details = view.panel.details_label.text()
    for value in (target.email, target.mobile):
        if value:
            assert value in details
    journal = view.access_log
    assert journal.task is not None
    qtbot.waitUntil(journal.task.done, timeout=WAIT)
    assert not journal.isVisible()  # the care team is shown first
    qtbot.mouseClick(view.panel.journal_tab, Qt.MouseButton.LeftButton)
    assert journal.list.isVisible()
    entries = journal.entries()
    assert entries == run_sync(qtbot, client.access_log(target.id)).entries[: len(entries)]
    # The newest: my reading of the care team, just now; the GP's follow, with its reason.
    assert entries[0].action == "care_team"
    assert journal.model.index(0).data().endswith(": A consulté les acteurs du dossier")
    follow = next(
        e for e in entries if e.action == "follow" and e.actor.name == entries[0].actor.name
    )
    assert follow.reason_label
    row = entries.index(follow)
    assert (
        journal.model.index(row)
        .data()
        .endswith(f"A ajouté le patient à sa file active : {follow.reason_label}")
    )


def test_a_patient_not_followed_shows_why_the_rest_is_hidden(
    qtbot: QtBot,
    client: RegionalClient,
    demo_server: ServerThread,
    make_view: Callable[[], PatientsView],
) -> None:
    stranger = not_followed(demo_server)
    view = make_view()
    view.show_tab(view.DIRECTORY)
    view.directory.search_form.ins_edit.setText(stranger["ins"])
    future = view.directory.search()
    assert future is not None
    qtbot.waitUntil(future.done, timeout=WAIT)
    assert [p.id for p in listed(view, results=True)] == [stranger["id"]]
    view.directory.results_list.setCurrentIndex(view.directory.results_model.index(0))
    qtbot.waitUntil(
        lambda: view.care_team.team_task is not None and view.care_team.team_task.done(),
        timeout=WAIT,
    )
    # The server's French sentence, not a traceback; writing needs a team.
    assert "file active" in view.care_team.team_status.text()
    assert view.care_team.team_status.property("error")
    assert not view.panel.write_button.isEnabled()
    assert not view.panel.file_button.isEnabled()
    assert view.panel.follow_button.text() == "Suivre"
    # No contact details, no journal: the page says why.
    assert "odile@patient.example" not in view.panel.details_label.text()
    assert "Nom d'usage : Marchand" in view.panel.details_label.text()
    assert "visibles une fois le patient dans votre file active" in view.panel.details_label.text()
    qtbot.mouseClick(view.panel.journal_tab, Qt.MouseButton.LeftButton)
    assert not view.access_log.list.isVisible()
    assert view.access_log.status.isVisible()
    assert "qui suivent ce patient" in view.access_log.status.text()
    # Following from the panel (with a reason) shows them at once.
    qtbot.mouseClick(view.panel.follow_button, Qt.MouseButton.LeftButton)
    pick_reason(qtbot, view, "remplacement")
    qtbot.waitUntil(lambda: view.care_team.team is not None, timeout=WAIT)
    assert not view.care_team.team_status.property("error")
    assert "E-mail : odile@patient.example" in view.panel.details_label.text()
    assert "Mobile : +33611223344" in view.panel.details_label.text()
    assert view.panel.file_button.isEnabled()
    qtbot.waitUntil(lambda: bool(view.access_log.entries()), timeout=WAIT)
    texts = [view.access_log.model.index(r).data() for r in range(view.access_log.model.rowCount())]
    assert any(
        t.endswith("A ajouté le patient à sa file active : Remplacement d'un confrère")
        for t in texts
    )
    assert any(
        t.endswith("A créé le dossier et suit le patient : Demande d'avis / téléexpertise")
        for t in texts
    )


def test_open_the_patients_file_in_the_browser(
    qtbot: QtBot,
    browser: UrlCatcher,
    ui_session: AccountSession,
    make_view: Callable[[], PatientsView],
) -> None:
    view = make_view()
    target = next(p for p in listed(view) if p.ins)
    select(qtbot, view, target.id)
    assert view.panel.file_button.isEnabled()
    qtbot.mouseClick(view.panel.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(browser.urls) == 1, timeout=WAIT)
    assert target.ins is not None
    opened = QUrl(browser.urls[0])
    assert opened.path().endswith(f"/mespatients/patients/{target.ins}")
    assert "code=" in opened.query()
    assert "navigateur" in view.panel.feedback_label.text()
    # The code signs the browser in on that patient's file, not on a login wall.
    page = page_as_browser(browser.urls[0])
    assert page.status_code == 200
    assert f"Dossier de {target.given} {target.family}" in page.text


def _inbox_patients(win: MainWindow) -> dict[str, int]:
    """INS → how many inbox rows are about that patient (the whole inbox fetched)."""
    model = win.conversations.model
    while model.canFetchMore(model.index(0).parent()):
        model.fetchMore(model.index(0).parent())
    counts: dict[str, int] = {}
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and summary.patient is not None and summary.patient.ins:
            counts[summary.patient.ins] = counts.get(summary.patient.ins, 0) + 1
    return counts


# The composer raises its window, which the offscreen platform cannot do (and says so).
@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")
def test_main_window_messages_and_writing_about_a_patient(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
) -> None:
    inbox_rows = window.conversations.model.rowCount()
    by_ins = _inbox_patients(window)
    window.show_page("patients")
    page = window.pages.currentWidget()
    assert isinstance(page, PatientsView)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    target = next(p for p in listed(page) if p.ins in by_ins)
    assert target.ins is not None
    select(qtbot, page, target.id)

    # "Voir les messages": the inbox, only the messages about this patient.
    qtbot.mouseClick(page.panel.messages_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.mail_page
    model = window.conversations.model
    qtbot.waitUntil(lambda: model.rowCount() == by_ins[target.ins], timeout=WAIT)
    summaries = [model.summary(r) for r in range(model.rowCount())]
    assert all(s is not None and s.patient and s.patient.ins == target.ins for s in summaries)
    assert model.rowCount() < inbox_rows
    assert window.conversations.patient_filter.isVisible()
    assert display_name(target) in window.conversations.patient_filter.text()

    # "Écrire à l'équipe de soins": a composer to the team, about the patient.
    window.show_page("patients")
    assert page.care_team.team is not None
    qtbot.mouseClick(page.panel.write_button, Qt.MouseButton.LeftButton)
    assert len(window.composers) == 1
    composer = window.composers[0]
    to = composer.to_field.recipients()  # type: ignore[attr-defined]
    assert [a.email for a in to] == [a.email for a in team_addresses(page.care_team.team, page.me)]
    chosen = composer.patient  # type: ignore[attr-defined]
    assert chosen is not None
    assert chosen.identity.ins == target.ins
    composer.keeps_draft = False  # type: ignore[attr-defined]
    composer.close()


def test_the_page_reads_its_file_active_again_once_the_service_says_it_is_old(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[], PatientsView],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = make_view()
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    first = view.load_task
    view.hide()
    view.show()
    assert view.load_task is first  # read a moment ago: not again
    monkeypatch.setattr(ui_session.patients, "stale_after_s", -1.0)
    view.hide()
    view.show()
    assert view.load_task is not first
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    assert listed(view)


def test_offline_says_so(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    demo_server.stop()
    ui_session.sync_now()
    qtbot.waitUntil(lambda: not ui_session.online, timeout=WAIT)
    view = PatientsView(ui_session)
    view.setStyleSheet(style())
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert "hors connexion" in view.status_label.text()
    assert view.status_label.property("error")
    assert not view.directory.search_button.isEnabled()
    assert view.file_active.file_empty.isVisible()
    view.show_tab(view.DIRECTORY)
    view.directory.search_form.family_edit.setText("Martin")
    assert view.directory.search() is None
    assert "hors connexion" in view.directory.search_hint.text()


def test_screenshot(qtbot: QtBot, ui_session: AccountSession, tmp_path: Path) -> None:
    view = run_sync(qtbot, demo_journal_screenshot(ui_session))
    qtbot.addWidget(view)
    view.setStyleSheet(style())
    view.show()
    selected = view.selected()
    assert selected is not None
    assert selected == listed(view)[0]
    assert view.care_team.team_model.rowCount() > 0
    assert view.access_log.model.rowCount() > 0
    assert view.access_log.list.isVisible()
    image = view.grab()
    assert image.save(str(tmp_path / "patients.png"))
    assert image.width() >= 1000


# Pure pieces ------------------------------------------------------------------------------------


def _patient(family: str, given: str, ins: str | None = None) -> Patient:
    return Patient(
        id="p1",
        ins=ins,
        ins_oid=None,
        ins_ihe=None,
        given=given,
        family=family,
        usual_family=None,
        birth_date=dt.date(1985, 3, 12),
        sex="female",
        email=None,
        mobile=None,
        city="Lyon",
        in_file_active=True,
    )


def test_names_ins_and_filter_words() -> None:
    p = _patient("Lefèvre", "Hélène", "285036912304567")
    assert display_name(p) == "LEFÈVRE Hélène"
    assert matches(p, "lefevre helene")
    assert matches(p, "HÉLÈNE 12/03/1985")
    assert matches(p, "2850369")
    assert not matches(p, "martin")


def test_filter_finds_names_typed_without_their_ligature_or_curly_apostrophe() -> None:
    p = _patient("D’Œillet", "Lætitia", None)
    assert matches(p, "d'oeillet laetitia")
    assert matches(p, "D’ŒILLET")


def test_parse_day() -> None:
    assert parse_day("") is None
    assert parse_day("12/03/1985") == dt.date(1985, 3, 12)
    assert parse_day("1985-03-12") == dt.date(1985, 3, 12)
    with pytest.raises(ValueError, match="31/02/1985"):
        parse_day("31/02/1985")


def test_team_addresses_leave_me_out_and_keep_each_once() -> None:
    def member(name: str, address: str | None) -> CareTeamMember:
        return CareTeamMember(None, name, None, None, None, None, address)

    team = CareTeam(
        "p1",
        [
            member("Dr A", "a@x.fr"),
            member("Moi", "me@x.fr"),
            member("Dr A bis", "A@x.fr"),
            member("Sans adresse", None),
        ],
    )
    assert team_addresses(team, "ME@x.fr") == [Address("Dr A", "a@x.fr")]
