"""Teleconsultations against the demo sandbox: upcoming and past, join through the system
browser (intercepted with QDesktopServices.setUrlHandler), the patient's link, refresh."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.dates import french_day, french_hours
from app.regional.teleconsultations import TeleconsultationService, split_by_time
from app.remote.regional import Participant, Teleconsultation, TeleconsultationPlan
from app.session import AccountSession
from tests.ui import page_helpers
from tests.ui.browser import UrlCatcher, page_as_browser
from tests.ui.conftest import run_sync
from ui import theme
from ui.teleconsultations.model import participants_text
from ui.teleconsultations.view import TeleconsultationsView, demo_screenshot

# The offscreen platform says this whenever a top-level window is shown; it is not our bug.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAIT = 20_000
PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def make_view(qtbot: QtBot, ui_session: AccountSession) -> Callable[[], TeleconsultationsView]:
    def make() -> TeleconsultationsView:
        view = TeleconsultationsView(ui_session)
        return page_helpers.shown(qtbot, view, "directory.qss", (1040, 720))

    return make


def items(view: TeleconsultationsView, upcoming: bool) -> list[Teleconsultation]:
    model = view.upcoming_model if upcoming else view.past_model
    found = [model.item(r) for r in range(model.rowCount())]
    return [t for t in found if t is not None]


def test_lists_upcoming_and_past(
    qtbot: QtBot, ui_session: AccountSession, make_view: Callable[[], TeleconsultationsView]
) -> None:
    view = make_view()
    upcoming, past = items(view, True), items(view, False)
    assert upcoming
    assert past
    now = dt.datetime.now(dt.UTC)
    assert all(t.end >= now for t in upcoming)
    assert all(t.end < now for t in past)
    assert [t.start for t in upcoming] == sorted(t.start for t in upcoming)
    assert [t.start for t in past] == sorted((t.start for t in past), reverse=True)
    assert {t.status for t in past} <= {"done", "cancelled"}
    # Everything the regional service has for her, nothing else.
    client = run_sync(qtbot, ui_session.regional())
    everything = run_sync(qtbot, client.teleconsultations())
    assert sorted(t.id for t in upcoming + past) == sorted(t.id for t in everything)
    planned = sum(1 for t in upcoming if t.status == "planned")
    assert view.status_label.text() == f"{planned} téléconsultations planifiées."
    assert view.upcoming_list.isVisible()
    assert not view.upcoming_empty.isVisible()


def test_join_opens_my_link_in_the_browser(
    qtbot: QtBot, browser: UrlCatcher, make_view: Callable[[], TeleconsultationsView]
) -> None:
    view = make_view()
    assert not view.join_button.isEnabled()  # nothing selected
    row = next(i for i, t in enumerate(items(view, True)) if t.status == "planned")
    view.upcoming_list.setCurrentIndex(view.upcoming_model.index(row))
    tc = view.selected()
    assert tc is not None
    assert tc.join_url is not None
    assert tc.join_url.startswith("http://127.0.0.1:")
    assert view.join_button.isEnabled()
    qtbot.mouseClick(view.join_button, Qt.MouseButton.LeftButton)
    assert browser.urls == [tc.join_url]
    assert "navigateur" in view.feedback_label.text()
    # The link opens the video room (issue 13 §2), its socket for this very link.
    room = page_as_browser(tc.join_url)
    assert room.status_code == 200
    assert '<script src="/portal/telemedecine/room.js">' in room.text
    token = tc.join_url.rsplit("/", 1)[1]
    assert f'data-socket="/portal/telemedecine/room/{token}/ws"' in room.text


def test_copy_the_patients_link(
    qtbot: QtBot, make_view: Callable[[], TeleconsultationsView]
) -> None:
    view = make_view()
    row = next(i for i, t in enumerate(items(view, True)) if t.status == "planned")
    view.upcoming_list.setCurrentIndex(view.upcoming_model.index(row))
    tc = view.selected()
    assert tc is not None
    assert tc.patient.join_url
    assert tc.patient.join_url != tc.join_url  # the patient's own link, not mine
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(view.copy_link_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == tc.patient.join_url
    assert view.feedback_label.text() == "Lien du patient copié."


def test_past_and_cancelled_cannot_be_joined(
    qtbot: QtBot, browser: UrlCatcher, make_view: Callable[[], TeleconsultationsView]
) -> None:
    view = make_view()
    view.past_list.setCurrentIndex(view.past_model.index(0))
    assert view.selected() == items(view, False)[0]
    assert not view.join_button.isEnabled()
    assert not view.copy_link_button.isEnabled()
    assert view.join() is False
    assert browser.urls == []
    # Selecting in one section clears the other.
    view.upcoming_list.setCurrentIndex(view.upcoming_model.index(0))
    assert not view.past_list.selectionModel().hasSelection()


def test_refresh_shows_a_newly_planned_one(
    qtbot: QtBot, ui_session: AccountSession, make_view: Callable[[], TeleconsultationsView]
) -> None:
    view = make_view()
    before = len(items(view, True))
    client = run_sync(qtbot, ui_session.regional())
    # Tomorrow at 7:00 (Paris): before the demo's own (the server refuses two at once).
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(7, 0))
    planned = run_sync(
        qtbot,
        client.plan_teleconsultation(
            TeleconsultationPlan(
                start=start,
                channels=("email",),
                duration_minutes=15,
                patient_name="Patient de test",
                patient_email="patient.test@patient.example",
                motive="Contrôle",
            )
        ),
    )
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(items(view, True)) == before + 1, timeout=WAIT)
    assert planned.id in {t.id for t in items(view, True)}
    assert view.refresh_button.isEnabled()


def test_shown_again_once_the_list_is_a_minute_old_it_is_read_again(
    qtbot: QtBot, ui_session: AccountSession, make_view: Callable[[], TeleconsultationsView]
) -> None:
    now = [1000.0]
    ui_session.teleconsultations = TeleconsultationService(
        ui_session.regional, lambda: ui_session.online, clock=lambda: now[0]
    )
    view = make_view()
    view.hide()
    now[0] += 30
    view.show()
    assert not view.loading  # half a minute old: kept
    view.hide()
    now[0] += 31
    view.show()
    assert view.loading  # older than a minute: read again
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    assert items(view, True)
    assert not ui_session.teleconsultations.stale()


def test_screenshot(qtbot: QtBot, ui_session: AccountSession, tmp_path: Path) -> None:
    view = run_sync(qtbot, demo_screenshot(ui_session))
    qtbot.addWidget(view)
    view.setStyleSheet((theme.resources_dir() / "directory.qss").read_text(encoding="utf-8"))
    view.show()
    assert view.selected() == items(view, True)[0]
    image = view.grab()
    assert image.save(str(tmp_path / "teleconsultations.png"))
    assert image.width() >= 1000


# Pure pieces --------------------------------------------------------------------------------------


def _tc(ident: str, start: dt.datetime, status: str = "planned") -> Teleconsultation:
    person = Participant("patient", "P", None, None, None, None, None, None)
    return Teleconsultation(
        id=ident,
        status=status,
        start=start,
        end=start + dt.timedelta(minutes=20),
        duration_minutes=20,
        motive="",
        teleconsultant=person,
        planner=person,
        patient=person,
        participants=[],
        channels=[],
        online_payment=None,
        join_url=None,
        cancel_reason=None,
        created_at=start,
        can_manage=True,
    )


def test_split_by_time_puts_a_running_one_in_upcoming() -> None:
    now = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    running = _tc("running", now - dt.timedelta(minutes=10))
    later = _tc("later", now + dt.timedelta(days=2))
    soon = _tc("soon", now + dt.timedelta(hours=2))
    old = _tc("old", now - dt.timedelta(days=3), "done")
    older = _tc("older", now - dt.timedelta(days=9), "cancelled")
    upcoming, past = split_by_time([old, later, running, older, soon], now)
    assert [t.id for t in upcoming] == ["running", "soon", "later"]
    assert [t.id for t in past] == ["old", "older"]


def test_french_dates() -> None:
    monday = dt.datetime(2026, 6, 1, 9, 5, tzinfo=PARIS)
    assert french_day(monday) == "lundi 1er juin 2026"
    assert french_day(dt.datetime(2026, 11, 27, 9, 40, tzinfo=PARIS)) == "vendredi 27 novembre 2026"
    tc = _tc("x", monday)
    assert french_hours(tc.start, tc.end) == "09 h 05 – 09 h 25"


def test_participants_name_me_as_vous() -> None:
    tc = _tc("x", dt.datetime(2026, 6, 1, 9, 0, tzinfo=PARIS))
    me = Participant(
        "teleconsultant", "Dr Hélène Garnier", "a-gp", None, None, "H@x.fr", None, None
    )
    aidant = Participant("participant", "Fille de la patiente", None, None, None, None, None, None)
    tc = dataclasses.replace(tc, teleconsultant=me, participants=[aidant])
    assert participants_text(tc, "h@x.fr") == "vous, Fille de la patiente"
    assert participants_text(tc, None) == "Dr Hélène Garnier, Fille de la patiente"
