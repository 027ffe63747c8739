"""The directory search against the demo sandbox (3,000 professionals): one search per criterion,
paging while scrolling, favorites, the actions on a correspondent, the recipient picker."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app import settings, text
from app.remote.directory import Correspondent
from app.session import AccountSession
from tests.ui.conftest import run_sync
from ui import tasks, theme
from ui.directory.dialog import DirectoryDialog
from ui.directory.location import LYON, PracticeLocation, practice_location
from ui.directory.model import CorrespondentDelegate, from_display, initials, minimal, to_display
from ui.directory.view import DirectoryView, demo_screenshot
from ui.specialties import SPECIALTIES, options, short_label

# The offscreen platform says this whenever a top-level window is shown; it is not our bug.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WAIT = 20_000
LYON_PRESQUILE = PracticeLocation(45.7578, 4.8320, "Lyon 2e")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def rows(view: DirectoryView) -> list[Correspondent]:
    model = view.results_model
    found = [model.correspondent(r) for r in range(model.rowCount())]
    return [c for c in found if c is not None]


@pytest.fixture
def make_view(qtbot: QtBot, ui_session: AccountSession) -> Iterator[Callable[..., DirectoryView]]:
    style = (theme.resources_dir() / "directory.qss").read_text(encoding="utf-8")

    def make(**kwargs: object) -> DirectoryView:
        kwargs.setdefault("location", LYON_PRESQUILE)
        view = DirectoryView(ui_session, **kwargs)  # type: ignore[arg-type]
        view.setStyleSheet(style)
        qtbot.addWidget(view)
        view.resize(1040, 720)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


def search(qtbot: QtBot, view: DirectoryView) -> list[Correspondent]:
    """Runs the search and waits for its first page."""
    view.search()
    assert view.searching
    qtbot.waitUntil(lambda: not view.searching, timeout=WAIT)
    assert not view.status_label.property("error"), view.status_label.text()
    found = rows(view)
    assert found, "the search found nobody"
    return found


def test_nothing_typed_shows_favorites_and_recents(make_view: Callable[..., DirectoryView]) -> None:
    view = make_view()
    assert view.query() is None
    assert view.pages.currentIndex() == 0
    assert "favoris" in view.status_label.text().lower()
    assert view.home.favorites_empty.isVisible()  # a fresh cache has no favorite yet


def test_search_by_name(qtbot: QtBot, make_view: Callable[..., DirectoryView]) -> None:
    view = make_view()
    view.name_edit.setText("Mar")
    found = search(qtbot, view)
    assert view.pages.currentIndex() == 1
    for c in found:
        words = fold(f"{c.given} {c.family}").replace("-", " ").split()
        assert any(w.startswith("mar") for w in words), c.display_name
    assert "résultat" in view.status_label.text()


def test_search_by_specialty_from_the_combo(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    view = make_view()
    combo = view.specialty_combo
    # Typed as people type it: the label without the register's "(SM)".
    combo.setEditText("Cardiologie et Maladies vasculaires")
    assert view.specialty_code() == "SM04"
    found = search(qtbot, view)
    assert all(c.specialty_code == "SM04" for c in found)
    assert all(c.specialty_label and "Cardiologie" in c.specialty_label for c in found)


def test_search_by_service_or_competence(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    view = make_view()
    view.text_edit.setText("diabète")
    found = search(qtbot, view)
    for c in found:
        haystack = fold(
            " ".join(
                [
                    c.services,
                    c.specialty_label or "",
                    c.profession_label or "",
                    c.organization_name or "",
                ]
            )
        )
        assert "diabet" in haystack, c.display_name


def test_search_by_postal_code(qtbot: QtBot, make_view: Callable[..., DirectoryView]) -> None:
    view = make_view()
    view.postal_edit.setText("69003")
    found = search(qtbot, view)
    assert all(c.postal_code == "69003" for c in found)


def test_search_by_departement(qtbot: QtBot, make_view: Callable[..., DirectoryView]) -> None:
    view = make_view()
    view.departement_edit.setText("38")
    found = search(qtbot, view)
    assert all(c.postal_code.startswith("38") for c in found)


def test_search_around_me_uses_the_practice_location(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    view = make_view()
    assert not view.radius_combo.isEnabled()
    view.near_check.setChecked(True)
    assert view.radius_combo.isEnabled()
    assert view.location_label.isVisible()
    assert "Lyon 2e" in view.location_label.text()
    view.radius_combo.setCurrentIndex(view.radius_combo.findData(2))
    query = view.query()
    assert query is not None
    assert query.near is not None
    assert (query.near.lat, query.near.lon, query.near.km) == (45.7578, 4.8320, 2.0)
    found = search(qtbot, view)
    distances = [c.distance_km for c in found]
    assert all(d is not None and d <= 2.0 for d in distances)
    assert distances == sorted(distances)  # type: ignore[type-var]


def test_around_me_says_when_it_uses_the_default_place(
    make_view: Callable[..., DirectoryView],
) -> None:
    view = make_view(location=LYON)
    view.near_check.setChecked(True)
    text = view.location_label.text()
    assert "Lyon" in text
    assert "par défaut" in text
    assert "Paramètres" in text


def test_search_by_category(qtbot: QtBot, make_view: Callable[..., DirectoryView]) -> None:
    view = make_view()
    view.category_combo.setCurrentIndex(view.category_combo.findData("pharmacien"))
    found = search(qtbot, view)
    assert all(c.profession_code == "21" for c in found)
    view.category_combo.setCurrentIndex(view.category_combo.findData("etablissement"))
    found = search(qtbot, view)
    assert all(c.kind == "organization" for c in found)


def test_experts_only_and_the_teleexpertise_request(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    from ui.teleexpertise.request import TeleexpertiseRequestDialog

    view = make_view()
    view.experts_check.setChecked(True)
    found = search(qtbot, view)
    assert all(c.expert for c in found)
    assert not view.teleexpertise_button.isVisible()  # nothing selected yet
    view.results.setCurrentIndex(view.results_model.index(0))
    assert view.teleexpertise_button.isVisible()
    assert view.teleexpertise_button.isEnabled()
    before = set(map(id, TeleexpertiseRequestDialog._open))
    qtbot.mouseClick(view.teleexpertise_button, Qt.MouseButton.LeftButton)
    # The téléexpertise form (a request, not a mail), with this expert chosen.
    opened = [f for f in TeleexpertiseRequestDialog._open if id(f) not in before]
    assert len(opened) == 1
    form = opened[0]
    assert form.expert is not None
    assert form.expert.mailbox == found[0].mailbox
    form.reject()


def test_write_opens_the_composer_for_the_selection(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    from ui.composer.composer import Composer

    view = make_view()
    view.postal_edit.setText("69003")
    found = search(qtbot, view)
    assert not view.write_button.isEnabled()
    view.results.setCurrentIndex(view.results_model.index(1))
    assert view.write_button.isEnabled()
    before = set(map(id, Composer._open))
    qtbot.mouseClick(view.write_button, Qt.MouseButton.LeftButton)
    opened = [c for c in Composer._open if id(c) not in before]
    assert len(opened) == 1
    composer = opened[0]
    assert [(a.name, a.email) for a in composer.to_field.recipients()] == [
        (found[1].display_name, found[1].mailbox)
    ]
    assert composer.subject_edit.text() == ""
    composer.discard()
    qtbot.waitUntil(lambda: not tasks.pending(composer), timeout=WAIT)


def test_results_page_in_as_the_list_scrolls(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    view = make_view()
    view.category_combo.setCurrentIndex(view.category_combo.findData("medecin"))
    first = search(qtbot, view)
    assert len(first) == 50
    assert view.results_model.total is not None
    assert view.results_model.total > 100
    view.results.scrollToBottom()
    qtbot.waitUntil(lambda: view.results_model.rowCount() >= 100, timeout=WAIT)
    assert not view.results_model.loading
    view.results.scrollToBottom()
    qtbot.waitUntil(lambda: view.results_model.rowCount() >= 150, timeout=WAIT)
    everyone = rows(view)
    assert everyone[:50] == first
    assert len({c.id for c in everyone}) == len(everyone)  # pages do not overlap
    assert all(c.profession_code == "10" for c in everyone)


def test_typing_searches_by_itself(qtbot: QtBot, make_view: Callable[..., DirectoryView]) -> None:
    view = make_view()
    qtbot.keyClicks(view.name_edit, "Garn")
    qtbot.waitUntil(lambda: view.results_model.rowCount() > 0, timeout=WAIT)
    assert all("garn" in fold(c.display_name) for c in rows(view))
    view.clear()
    assert view.pages.currentIndex() == 0
    assert view.results_model.rowCount() == 0


def test_favorite_star_shows_in_favorites_and_survives_a_new_view(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    view = make_view()
    view.postal_edit.setText("69003")
    found = search(qtbot, view)
    chosen = found[0]
    assert chosen.mailbox
    star = CorrespondentDelegate.star_rect(view.results.visualRect(view.results_model.index(0)))
    qtbot.mouseClick(view.results.viewport(), Qt.MouseButton.LeftButton, pos=star.center())
    qtbot.waitUntil(lambda: view.home.favorites_model.rowCount() == 1, timeout=WAIT)
    assert view.is_favorite(chosen)
    assert view.results_model.index(0).data(Qt.ItemDataRole.UserRole + 2) is True
    assert "favoris" in view.feedback_label.text()

    again = make_view()
    assert again.pages.currentIndex() == 0
    assert again.home.favorites_list.isVisible()
    assert not again.home.favorites_empty.isVisible()
    assert again.home.favorites_model.correspondent(0) == chosen  # the whole card is kept
    # Remove it from the Favoris section itself.
    future = again.toggle_favorite(chosen)
    assert future is not None
    qtbot.waitUntil(future.done, timeout=WAIT)
    assert again.home.favorites_model.rowCount() == 0
    assert again.home.favorites_empty.isVisible()


def test_a_correspondent_written_to_from_here_is_a_recent_one(
    qtbot: QtBot, ui_session: AccountSession, make_view: Callable[..., DirectoryView]
) -> None:
    """Sent from here, not yet in the synced Sent mailbox: listed among the people of the Sent
    mailbox (tests/ui/test_directory_page.py), with the name given when it was sent."""
    from functools import partial

    from app.store import contacts

    run_sync(
        qtbot,
        ui_session.account.cache.write(
            partial(contacts.note_used, address="zoe.nouvelle@x.mssante.fr", name="Dr Zoé Nouvelle")
        ),
    )
    view = make_view()
    model = view.home.recents_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT)  # read in a worker thread
    row = next(
        r
        for r in range(model.rowCount())
        if (c := model.correspondent(r)) and c.mailbox == "zoe.nouvelle@x.mssante.fr"
    )
    recent = model.correspondent(row)
    assert recent is not None
    assert recent.display_name == "Dr Zoé Nouvelle"
    view.home.recents_list.setCurrentIndex(model.index(row))
    assert [c.mailbox for c in view.selected()] == ["zoe.nouvelle@x.mssante.fr"]


def test_copy_the_address_puts_it_in_the_clipboard(
    qtbot: QtBot, make_view: Callable[..., DirectoryView]
) -> None:
    view = make_view()
    view.departement_edit.setText("69")
    found = search(qtbot, view)
    QGuiApplication.clipboard().clear()
    view.results.setCurrentIndex(view.results_model.index(2))
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert found[2].mailbox
    assert QGuiApplication.clipboard().text() == found[2].mailbox
    assert view.feedback_label.text() == "Adresse copiée."


def test_the_dialog_hands_back_the_chosen_people(qtbot: QtBot, ui_session: AccountSession) -> None:
    dialog = DirectoryDialog(ui_session)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.view
    assert not view.write_button.isVisible()  # picking: the composer is already open
    assert not dialog.choose_button.isEnabled()
    view.postal_edit.setText("69003")
    found = search(qtbot, view)
    selection = view.results.selectionModel()
    view.results.setCurrentIndex(view.results_model.index(0))
    selection.select(
        view.results_model.index(3), selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    )
    assert dialog.choose_button.isEnabled()
    with qtbot.waitSignal(dialog.chosen, timeout=WAIT) as signal:
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert signal.args == [[found[0], found[3]]]
    assert dialog.result() == DirectoryDialog.DialogCode.Accepted


def test_screenshot(qtbot: QtBot, ui_session: AccountSession, tmp_path: Path) -> None:
    view = run_sync(qtbot, demo_screenshot(ui_session))
    qtbot.addWidget(view)
    view.setStyleSheet((theme.resources_dir() / "directory.qss").read_text(encoding="utf-8"))
    view.show()
    assert view.results_model.rowCount() > 0
    assert view.selected() == [view.results_model.correspondent(0)]
    image = view.grab()
    assert image.save(str(tmp_path / "directory.png"))
    assert image.width() >= 1000
    assert not image.isNull()


# Pure pieces --------------------------------------------------------------------------------------


def test_specialty_list_is_the_whole_nomenclature_with_readable_labels() -> None:
    assert len(SPECIALTIES) == 84
    shown = dict(options())
    assert shown["SM04"] == "Cardiologie et Maladies vasculaires"
    assert shown["SM56"] == "Chirurgie orale (SM)"
    assert shown["SCD02"] == "Chirurgie orale (SCD)"
    assert short_label("Gériatrie (SM)") == "Gériatrie"
    labels = [label for _, label in options()]
    assert labels == sorted(labels, key=text.fold)


def test_practice_location_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.current().practice_location is None
    assert practice_location() == LYON
    grenoble = settings.Settings(
        practice_location=settings.PracticeLocation(45.19, 5.72, "Grenoble")
    )
    monkeypatch.setattr(settings, "current", lambda: grenoble)
    assert practice_location() == PracticeLocation(45.19, 5.72, "Grenoble")
    assert practice_location({"lat": 44.0, "lon": 4.0}).label == "votre lieu d'exercice"
    assert practice_location((44.0, 4.0)).lat == 44.0
    assert practice_location({"lat": 123, "lon": 4.0}) == LYON  # not a place: the default


def test_favorite_display_round_trip() -> None:
    c = Correspondent(
        kind="practitioner",
        id="rol-1",
        display_name="Dr Léa Adam",
        given="Léa",
        family="Adam",
        mailboxes=("lea.adam@pro.mssante.fr", "secretariat@ch.mssante.fr"),
        expert=True,
        distance_km=1.5,
    )
    display = to_display(c)
    assert display["name"] == "Dr Léa Adam"
    assert display["address"] == "lea.adam@pro.mssante.fr"
    assert from_display("lea.adam@pro.mssante.fr", display) == c
    partial = from_display("x@y.fr", {"name": "X", "unknown": 1, "kind": "robot"})
    assert partial.mailbox == "x@y.fr"
    assert partial.display_name == "X"


def test_initials_skip_titles() -> None:
    assert initials(minimal("k@x.fr", "Dr Karim Benali")) == "KB"
    assert initials(minimal("s@x.fr", "Secrétariat cardiologie")) == "SC"
    assert initials(minimal("x@x.fr", None)) == "X"
