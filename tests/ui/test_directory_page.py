"""The "Annuaire" page of the main window (issue 12): opened from the sidebar, a search shows the
cards with their telephone numbers (a click copies one), "Écrire à …" opens a composer to that
person, and the recent correspondents are the people of the Sent mailbox from the first sync."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.records import Correspondent
from app.session import AccountSession
from server.demo.names import mss_address
from server.testing import ServerThread
from tests.ui import mail_helpers
from ui import tasks
from ui.card_delegate import CardFonts
from ui.composer.composer import Composer
from ui.directory.model import CorrespondentDelegate, phone_label, phone_text
from ui.directory.view import DirectoryView
from ui.mail.navigation import KEY_ROLE
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

window = mail_helpers.window  # fixtures
WAIT = 20_000


def open_directory(qtbot: QtBot, window: MainWindow) -> DirectoryView:
    """Clicks "Annuaire" in the sidebar, as a user does."""
    nav = window.navigation
    index = next(
        nav.model.index(r, 0)
        for r in range(nav.model.rowCount())
        if nav.model.index(r, 0).data(KEY_ROLE) == "directory"
    )
    assert index.data() == "Annuaire"
    rect = nav.view.visualRect(index)
    qtbot.mouseClick(nav.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.pages.currentWidget()
    assert isinstance(page, DirectoryView)
    return page


def search_benali(qtbot: QtBot, page: DirectoryView) -> int:
    """Searches "Benali Karim" and returns the row of Dr Karim Benali."""
    page.name_edit.setText("Karim Benali")
    page.search()
    qtbot.waitUntil(lambda: not page.searching, timeout=WAIT)
    model = page.results_model
    found = [model.correspondent(r) for r in range(model.rowCount())]
    return next(r for r, c in enumerate(found) if c and c.display_name == "Dr Karim Benali")


def test_the_sidebar_opens_the_directory_page_and_its_cards_show_telephones(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_directory(qtbot, window)
    assert window.navigation.view.currentIndex().data(KEY_ROLE) == "directory"
    row = search_benali(qtbot, page)
    benali = page.results_model.correspondent(row)
    assert benali is not None
    assert benali.phone  # the practice's telephone, from the directory's Organization
    digits = "".join(ch for ch in benali.phone if ch.isdigit())
    assert phone_text(benali.phone) == " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    assert phone_label(benali) == f"Tél. {phone_text(benali.phone)}"

    # A click on the number copies it, and says so.
    QGuiApplication.clipboard().clear()
    rect = page.results.visualRect(page.results_model.index(row))
    phone = CorrespondentDelegate.phone_rect(rect, benali, CardFonts(page.results.font()))
    assert phone.isValid()
    qtbot.mouseClick(page.results.viewport(), Qt.MouseButton.LeftButton, pos=phone.center())
    assert QGuiApplication.clipboard().text() == phone_text(benali.phone)
    assert "Numéro copié" in page.feedback_label.text()

    # Back to the mail and to the directory: the same page, its search kept.
    window.navigation_to_mail()
    assert open_directory(qtbot, window) is page
    assert page.results_model.rowCount() > 0


def test_write_to_opens_a_composer_to_that_person(qtbot: QtBot, window: MainWindow) -> None:
    page = open_directory(qtbot, window)
    row = search_benali(qtbot, page)
    page.results.setCurrentIndex(page.results_model.index(row))
    assert page.write_button.text() == "Écrire à Dr Karim Benali"
    before = set(map(id, Composer._open))
    qtbot.mouseClick(page.write_button, Qt.MouseButton.LeftButton)
    opened = [c for c in Composer._open if id(c) not in before]
    assert len(opened) == 1
    composer = opened[0]
    benali = page.results_model.correspondent(row)
    assert isinstance(benali, Correspondent)
    assert [(a.name, a.email) for a in composer.to_field.recipients()] == [
        ("Dr Karim Benali", benali.mailbox)
    ]
    composer.discard()
    qtbot.waitUntil(lambda: not tasks.pending(composer), timeout=WAIT)


def sent_counts(session: AccountSession) -> dict[str, tuple[int, int]]:
    """(messages, newest date) per address of the To and Cc of the Sent mailbox, read here
    without the query under test."""
    people: dict[str, tuple[int, int]] = {}
    with session.account.cache.read() as conn:
        rows = conn.execute(
            "SELECT e.to_json, e.cc_json, e.received_at FROM emails e "
            "JOIN email_mailboxes m ON m.email_rowid = e.rowid "
            "JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.role = 'sent'"
        ).fetchall()
    for to_json, cc_json, at in rows:
        for email in {a["email"].casefold() for a in json.loads(to_json) + json.loads(cc_json)}:
            count, last = people.get(email, (0, 0))
            people[email] = (count + 1, max(last, at))
    return people


def test_recent_correspondents_after_a_first_sync_are_the_people_of_sent_mail(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    sent = sent_counts(ui_session)
    assert len(sent) > 1, "the demo GP's Sent mailbox has messages to several people"
    page = open_directory(qtbot, window)
    model = page.home.recents_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT)  # read in a worker thread
    listed = [c.mailbox for r in range(model.rowCount()) if (c := model.correspondent(r))]
    assert listed
    assert all(address is not None and address.casefold() in sent for address in listed)
    assert len(listed) == min(len(sent), 20)
    # Most written-to first: nobody comes before someone written to more often and more lately.
    order = [sent[a.casefold()] for a in listed if a]
    for i, (count, last) in enumerate(order):
        for later_count, later_last in order[i + 1 :]:
            assert not (later_count > count and later_last >= last), (i, order)
    assert page.home.recents_list.isVisible()
    assert not page.home.recents_empty.isVisible()


def test_the_sent_mailbox_is_counted_in_a_worker_thread_each_time_the_page_is_shown(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recents count the Sent mailbox (tens of milliseconds with 10,000 sent messages): the
    Annuaire page reads them again each time it is shown, never on the UI thread; until they
    first arrive, the page says neither that there are none nor shows an empty list."""
    import threading

    from app.store import contacts

    counted_on: list[threading.Thread] = []
    written_to = contacts._written_to

    def watched(conn: object) -> object:
        counted_on.append(threading.current_thread())
        return written_to(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(contacts, "_written_to", watched)
    page = open_directory(qtbot, window)
    home = page.home
    assert not home.recents_empty.isVisible()  # not "nobody yet" before they are read
    qtbot.waitUntil(lambda: home.recents_model.rowCount() > 0, timeout=WAIT)
    assert home.recents_list.isVisible()
    window.navigation_to_mail()  # away, and back: read again
    open_directory(qtbot, window)
    qtbot.waitUntil(lambda: len(counted_on) >= 2, timeout=WAIT)
    assert threading.main_thread() not in counted_on


def test_telephone_numbers_are_written_by_pairs_the_french_way() -> None:
    assert phone_text("0478123456") == "04 78 12 34 56"
    assert phone_text("04.78.12.34.56") == "04 78 12 34 56"
    assert phone_text("+33478123456") == "+33 4 78 12 34 56"
    assert phone_text("+33 (0)4 78") == "+33 (0)4 78"  # not a whole number: as written
    assert phone_text("15") == "15"


def search_typed(qtbot: QtBot, page: DirectoryView, typed: str) -> list[Correspondent]:
    """`typed` in the name field, as a user pastes it, searched; the results."""
    page.name_edit.setText(typed)
    page.search()
    qtbot.waitUntil(lambda: not page.searching, timeout=WAIT)
    model = page.results_model
    return [c for r in range(model.rowCount()) if (c := model.correspondent(r)) is not None]


def a_service_mailbox(server: ServerThread) -> str:
    """A service's box of the demo directory (an organisation's 'secretariat.…' address), read
    straight from the sandbox's database."""
    conn = sqlite3.connect(f"file:{server.config.database_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT email FROM dir_mailbox WHERE email LIKE 'secretariat.%' ORDER BY email"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])


def test_an_mssante_address_pasted_in_the_name_field_finds_its_owner(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread
) -> None:
    page = open_directory(qtbot, window)
    assert "adresse MSSanté" in page.name_edit.placeholderText()

    # A professional's own address, pasted from a letter: another case, spaces around.
    benali = mss_address("Karim", "Benali", "sisra-demo.mssante.fr")
    found = search_typed(qtbot, page, f"  {benali.upper()}\u200b ")
    assert [c.display_name for c in found] == ["Dr Karim Benali"]
    assert found[0].mailbox == benali
    assert page.status_label.text() == "1 résultat"
    rect = page.results.visualRect(page.results_model.index(0))
    assert rect.isValid()

    # A service's box: its organisation, with that box first (the row shows it).
    service = a_service_mailbox(demo_server)
    found = search_typed(qtbot, page, service.title())
    assert len(found) == 1
    assert found[0].kind == "organization"
    assert found[0].mailbox == service

    # An address nobody has: said in French, with the address.
    found = search_typed(qtbot, page, "Personne@Nulle-Part.mssante.fr")
    assert found == []
    assert page.status_label.text() == (
        "Aucun professionnel ni service n'a l'adresse personne@nulle-part.mssante.fr "
        "dans l'annuaire."
    )
