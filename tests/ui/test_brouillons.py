"""Drafts in "Brouillons": a draft closed with the window's × is listed there at once ("Sur cet
ordinateur") and reopens; a server draft opens in a composer (Enter, double-click, "Reprendre le
brouillon"), is kept on this computer when closed, and is destroyed once sent; deleting a draft
of either kind is asked first, "Annuler" the default."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.records import Address, EmailRecord
from app.session import AccountSession
from app.store import mail
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.ui import mail_helpers
from tests.ui.composer_helpers import inbox_emails
from tests.ui.conftest import GP_LOGIN
from tests.ui.mail_helpers import load_all
from tests.ui.server_probe import User
from ui.composer.composer import Composer
from ui.shell.main_window import MainWindow

window = mail_helpers.window
# A composer already open is brought forward: the offscreen platform cannot raise a window.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")
GP = User(GP_LOGIN, DEMO_PASSWORD, "Dr Hélène Garnier", "helene.garnier@sisra-demo.mssante.fr")


def show_drafts(win: MainWindow) -> str:
    box = win.session.mailbox_by_role("drafts")
    assert box is not None
    win.show_mailbox(box.id)
    load_all(win)
    return box.id


def server_draft(win: MainWindow) -> EmailRecord:
    """The demo GP's draft of the Drafts mailbox (written "on the web"), selected in the list."""
    show_drafts(win)
    assert win.conversations.model.rowCount() == 1
    win.conversations.select_row(0)
    record = win.mail_page.selected_record()
    assert record is not None
    assert "$draft" in record.keywords
    return record


def composer_for(draft_id: str | None = None, replaces: str | None = None) -> Composer:
    found = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, Composer)
        and w.isVisible()
        and (draft_id is None or w.draft_id == draft_id)
        and (replaces is None or w.replaces == replaces)
    ]
    assert len(found) == 1, found
    return found[0]


def open_box() -> QMessageBox:
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "deleteDraftBox" and w.isVisible()
    ]
    assert len(boxes) == 1
    return boxes[0]


def test_a_draft_closed_with_the_window_cross_is_listed_at_once_and_reopens(
    qtbot: QtBot, ui_session: AccountSession, window: MainWindow
) -> None:
    show_drafts(window)
    local = window.mail_page.local_drafts
    assert not local.isVisible()  # nothing on this computer yet

    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    composer.to_field.add(Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"))
    qtbot.keyClicks(composer.subject_edit, "Avis cardio pour M. Roux")
    qtbot.keyClicks(composer.body, "Bonjour, pourrais-tu revoir son ECG ?")
    draft_id = composer.draft_id
    composer.close()  # the window's ×: the draft saved, then the window closes
    qtbot.waitUntil(lambda: not composer.isVisible(), timeout=10_000)

    qtbot.waitUntil(lambda: local.list.count() == 1, timeout=10_000)
    assert local.isVisible()
    assert "Sur cet ordinateur" in local.heading.text()
    row = local.list.item(0).text()
    assert row.startswith("Avis cardio pour M. Roux\n")
    assert "Dr Karim Benali" in row

    local.list.setCurrentRow(0)
    qtbot.keyClick(local.list, Qt.Key.Key_Return)  # Enter opens it
    again = composer_for(draft_id)  # the main window's: deleted when it closes
    assert again.body.toPlainText() == "Bonjour, pourrais-tu revoir son ECG ?"
    local.open_selected()  # again: the same window, not a second one
    assert composer_for(draft_id) is again

    # Another mailbox: the list of this computer's drafts belongs to "Brouillons" only.
    inbox = ui_session.mailbox_by_role("inbox")
    assert inbox is not None
    window.show_mailbox(inbox.id)
    assert not local.isVisible()
    again.discard()


def test_deleting_a_local_draft_asks_first_and_annuler_is_the_default(
    qtbot: QtBot, ui_session: AccountSession, window: MainWindow
) -> None:
    show_drafts(window)
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    qtbot.keyClicks(composer.body, "Certificat a finir")  # no subject yet
    composer.close()
    qtbot.waitUntil(lambda: not composer.isVisible(), timeout=10_000)  # saved, then closed
    local = window.mail_page.local_drafts
    qtbot.waitUntil(lambda: local.list.count() == 1, timeout=10_000)
    assert local.list.item(0).text().startswith("(sans objet)\n")
    local.list.setCurrentRow(0)

    box = local.ask_delete()
    assert box is not None
    assert box is open_box()
    assert box.text() == "Supprimer ce brouillon ?"
    assert box.informativeText() == "(sans objet)"
    assert box.defaultButton().text() == "Annuler"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: nothing deleted
    qtbot.waitUntil(lambda: not box.isVisible())
    assert len(ui_session.drafts()) == 1

    box = local.ask_delete()
    assert box is not None
    delete = next(b for b in box.buttons() if b.text() == "Supprimer")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ui_session.drafts() == [], timeout=10_000)
    qtbot.waitUntil(lambda: not local.isVisible())


@pytest.mark.parametrize("how", ["enter", "double-click", "button"])
def test_a_server_draft_opens_in_the_composer_to_be_finished(
    qtbot: QtBot, window: MainWindow, how: str
) -> None:
    record = server_draft(window)
    view = window.conversations.view
    if how == "enter":
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Return)
    elif how == "double-click":
        rect = view.visualRect(view.currentIndex())
        # As a hand does: a press, then the second press that makes it a double-click (QTest's
        # double-click alone gives the view no first press to pair it with).
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        qtbot.waitUntil(lambda: bool(window.reader.cards), timeout=10_000)
        button = window.reader.cards[-1].resume_button
        assert button is not None
        assert button.text() == "Reprendre le brouillon"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    composer = composer_for(replaces=record.id)  # the main window's: deleted when it closes
    qtbot.waitUntil(lambda: composer.subject_edit.text() == record.subject, timeout=10_000)
    assert composer.to_field.recipients() == record.to
    assert composer.body.toPlainText() == record.text_body
    assert composer.body.textCursor().position() == len(composer.body.toPlainText())
    composer.discard()


def test_a_server_draft_closed_is_kept_here_and_sending_it_removes_it_from_the_server(
    qtbot: QtBot, ui_session: AccountSession, window: MainWindow, demo_server: ServerThread
) -> None:
    record = server_draft(window)
    window.resume_draft(record)
    composer = composer_for(replaces=record.id)
    qtbot.waitUntil(lambda: composer.subject_edit.text() == record.subject, timeout=10_000)
    qtbot.keyClicks(composer.body, "Merci d'avance.")
    composer.close()  # kept on this computer, as continuing the server's draft
    qtbot.waitUntil(lambda: composer not in window.composers, timeout=10_000)  # saved, closed
    qtbot.waitUntil(lambda: len(ui_session.drafts()) == 1, timeout=10_000)
    saved = ui_session.drafts()[0]
    assert saved.payload["replaces"] == record.id

    window.resume_draft(record)  # taken up again: this computer's version, not the server's
    again = composer_for(replaces=record.id)  # the main window's: deleted when it closes
    assert again.draft_id == saved.id
    assert again.body.toPlainText().endswith("Merci d'avance.")

    with qtbot.waitSignal(again.sent, timeout=60_000):
        again._hand_over()
    assert ui_session.drafts() == []

    def gone_from_server() -> bool:
        found = inbox_emails(demo_server, GP, record.subject)
        return record.id not in {e["id"] for e in found} and len(found) == 1  # the sent copy

    qtbot.waitUntil(gone_from_server, timeout=30_000)
    with ui_session.account.cache.read() as conn:
        assert mail.get_email(conn, record.id) is None


def test_deleting_a_server_draft_asks_first(
    qtbot: QtBot, ui_session: AccountSession, window: MainWindow
) -> None:
    record = server_draft(window)
    box = window.mail_page.delete()
    assert box is not None
    assert box is open_box()
    assert box.informativeText() == record.subject
    box.reject()  # "Annuler", as Escape does
    qtbot.waitUntil(lambda: not box.isVisible())
    assert [s.id for s in ui_session.summaries([record.id])] == [record.id]

    box = window.mail_page.delete()
    assert box is not None
    delete = next(b for b in box.buttons() if b.text() == "Supprimer")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    trash = ui_session.mailbox_by_role("trash")
    assert trash is not None

    def in_trash() -> bool:
        with ui_session.account.cache.read() as conn:
            email = mail.get_email(conn, record.id)
        return email is not None and email.mailbox_ids == {trash.id}

    qtbot.waitUntil(in_trash, timeout=10_000)
