"""The settings' card "Délégation de la planification" on the demo GP's account, against the
sandbox: her secretary listed (the demo's delegation), removed after a question (and then refused
by the server when she plans in the GP's name), a cardiologist added from the directory picker,
the secretary added back by her MSSanté address, and the server's French sentence when an address
has no account."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.records import DirectoryQuery
from app.session import AccountSession
from server.regional.delegations import delegated
from server.testing import ServerThread
from tests.ui.conftest import run_sync
from ui.desktop.settings_delegation import DelegationCard
from ui.desktop.settings_dialog import SettingsDialog
from ui.directory.dialog import DirectoryDialog

WAIT = 15_000
SECRETARY_LOGIN = "sandrine.morel"


@pytest.fixture(autouse=True)
def settings_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(settings_mod, "_state", settings_mod.State())
    root = tmp_path / "réglages"
    settings_mod.use(root)
    return root


def rows(card: DelegationCard) -> list[str]:
    return [card.delegate_list.item(i).text() for i in range(card.delegate_list.count())]


def open_dialog(qtbot: QtBot, session: AccountSession | None) -> SettingsDialog:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def secretary_may_plan_for_the_gp(server: ServerThread, session: AccountSession) -> bool:
    secretary = server.sandbox.accounts.by_login(SECRETARY_LOGIN)
    gp = server.sandbox.accounts.by_login(session.account.ref.login)
    assert secretary is not None
    assert gp is not None
    with server.sandbox.db.read() as conn:
        return delegated(conn, gp.id, secretary.id)


def test_the_card_lists_removes_after_asking_and_adds_from_the_directory(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    dialog = open_dialog(qtbot, ui_session)
    card = dialog.delegation
    secretary = demo_server.sandbox.accounts.by_login(SECRETARY_LOGIN)
    assert secretary is not None
    qtbot.waitUntil(lambda: rows(card) != [], timeout=WAIT)
    assert rows(card) == [f"{secretary.display_name} — {secretary.email}"]
    assert not card.remove_button.isEnabled()  # nothing chosen yet

    card.delegate_list.setCurrentRow(0)
    assert card.remove_button.isEnabled()
    box = card.ask_remove()
    assert box is not None
    assert card.confirm_box is box
    assert "Sandrine Morel" in box.text()
    [cancel] = [b for b in box.buttons() if b.text() == "Annuler"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert secretary_may_plan_for_the_gp(demo_server, ui_session)  # asked, not removed

    box = card.ask_remove()
    assert box is not None
    [confirm] = [b for b in box.buttons() if b.text() == "Retirer"]
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rows(card) == [], timeout=WAIT)
    assert card.status_label.text() == "Personne ne planifie vos téléconsultations à votre place."
    assert not secretary_may_plan_for_the_gp(demo_server, ui_session)

    picker = card.choose()
    assert isinstance(picker, DirectoryDialog)
    page = run_sync(qtbot, ui_session.search_directory(DirectoryQuery(name="Benali")))
    cardio = next(c for c in page.correspondents if c.given == "Karim" and c.mailbox)
    picker.choose([cardio])
    qtbot.waitUntil(lambda: len(rows(card)) == 1, timeout=WAIT)
    assert rows(card)[0].startswith("Dr Karim Benali — ")

    qtbot.keyClicks(card.address_edit, secretary.email)
    qtbot.mouseClick(card.add_address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(rows(card)) == 2, timeout=WAIT)
    assert rows(card)[1] == f"{secretary.display_name} — {secretary.email}"
    assert card.address_edit.text() == ""
    assert secretary_may_plan_for_the_gp(demo_server, ui_session)


def test_an_address_without_an_account_is_refused_in_french(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    dialog = open_dialog(qtbot, ui_session)
    card = dialog.delegation
    qtbot.waitUntil(lambda: rows(card) != [], timeout=WAIT)
    qtbot.keyClicks(card.address_edit, "personne@sisra-demo.mssante.fr")
    qtbot.keyClick(card.address_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: card.status_label.property("error") is True, timeout=WAIT)
    assert dialog.isVisible()  # Entrée added (or tried to): it did not press OK
    assert card.status_label.isVisible()
    assert card.status_label.text() == (
        "Cette personne n'a pas de compte de télémédecine : elle ne peut pas planifier pour vous."
    )
    assert len(rows(card)) == 1  # nothing added


def test_without_an_account_the_card_says_to_sign_in(qtbot: QtBot, qloop: object) -> None:
    dialog = open_dialog(qtbot, None)
    card = dialog.delegation
    assert "Connectez-vous" in card.status_label.text()
    assert not card.add_button.isEnabled()
    assert not card.remove_button.isEnabled()
    assert card.choose() is None
