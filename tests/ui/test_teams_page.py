"""The « Équipes ressources » page through the real app against the demo sandbox (issue 13 §4): the
cardiologist declares a team with a member picked from the directory and a template dropped on
its card (the server's limits shown beside); the GP finds it in the Annuaire (a result of its own
kind), opens its card on the teams page, and « Remplir et renvoyer » saves the template, hands it
to the system's program, and opens a message to the team with the file attached — the file sent
is the one filled after attaching. Then edit, delete a template, and withdraw."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from app.records import DirectoryQuery
from app.regional.records import ResourceTeam
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import User
from tests.ui import mail_helpers
from tests.ui.composer_helpers import drop_files
from tests.ui.conftest import opened_session, run_sync
from tests.ui.page_helpers import WAIT, shown
from tests.ui.server_probe import Probe
from ui.composer.composer import Composer
from ui.shell.main_window import MainWindow
from ui.teams.card import DECLARANT, REQUESTER, TeamCard
from ui.teams.view import TeamsView

window = mail_helpers.window  # fixture
# The composer is brought forward when it opens: the offscreen platform says it cannot.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")
CARDIO = User("karim.benali", DEMO_PASSWORD, "Dr Karim Benali", "")
TEAM_NAME = "Équipe ressource douleur chronique — Hôpital Édouard-Herriot"


@pytest.fixture
def cardio(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread, tmp_path: Path
) -> Iterator[AccountSession]:
    """The cardiologist's own session on the same sandbox (not started: no background sync),
    beside the GP's (whose fixture runs the event loop both use)."""
    with opened_session(qtbot, demo_server.base_url, tmp_path / "cardio", CARDIO.login) as session:
        yield session


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system's program for documents: it "opens" the file (records it) and says it did."""
    files: list[str] = []

    def open_url(url: QUrl) -> bool:
        files.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return files


def page(qtbot: QtBot, session: AccountSession) -> TeamsView:
    view = shown(qtbot, TeamsView(session), "teams.qss", (1180, 760))
    view.confirm = lambda *_args: True
    return view


def declared(qtbot: QtBot, view: TeamsView, session: AccountSession) -> ResourceTeam:
    """Declared through the form: a member from the directory (the dermatologist)."""
    form = view.declare()
    qtbot.waitUntil(lambda: "@" in form.contact_edit.text(), timeout=WAIT)  # my address
    form.name_edit.setText(TEAM_NAME)
    form.activity_edit.setPlainText("Évaluation et prise en charge de la douleur chronique.")
    form.prerequisites_edit.setPlainText("Dernier courrier du médecin traitant, échelle EVA.")
    page_ = run_sync(qtbot, session.search_directory(DirectoryQuery(name="Lefèvre")))
    dermato = next(c for c in page_.correspondents if c.mailbox and c.expert)
    form.members.add_correspondents([dermato])
    assert form.members.list.count() == 1
    with qtbot.waitSignal(form.saved, timeout=WAIT) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    team: ResourceTeam = saved.args[0]
    assert [m.mssante_address for m in team.members] == [dermato.mailbox]
    return team


def test_declare_find_and_send_back_a_filled_template(
    qtbot: QtBot,
    cardio: AccountSession,
    window: MainWindow,
    demo_server: ServerThread,
    opened: list[str],
    tmp_path: Path,
) -> None:
    # The cardiologist declares the team, then drops a template on its card.
    mine = page(qtbot, cardio)
    team = declared(qtbot, mine, cardio)
    card = mine.mine_card
    qtbot.waitUntil(lambda: card.team is not None and card.team.id == team.id, timeout=WAIT)
    assert card.role == DECLARANT
    assert card.drop_zone.isVisibleTo(mine)
    assert "10 Mo au plus par modèle, 20 modèles au plus (0 pour l'instant)" in (
        card.limits_label.text()
    )
    blank = tmp_path / "Fiche de demande douleur.odt"
    blank.write_bytes(b"fiche vierge " * 40)
    assert drop_files(card.viewport(), [blank]) == (True, True)
    qtbot.waitUntil(lambda: card.team is not None and len(card.team.templates) == 1, timeout=WAIT)
    assert [r.template.file_name for r in card.rows] == ["Fiche de demande douleur.odt"]
    assert "(1 pour l'instant)" in card.limits_label.text()
    assert "Modèle ajouté." in card.feedback.text()

    # The GP finds it in the Annuaire, as an équipe ressource, and opens its card.
    window.show_page("directory")
    directory: Any = window.regional.page("directory")
    directory.category_combo.setCurrentIndex(directory.category_combo.findData("equipe-ressource"))
    directory.name_edit.setText("douleur")
    directory.search()
    qtbot.waitUntil(lambda: not directory.searching, timeout=WAIT)
    model = directory.results_model
    rows = [model.correspondent(r) for r in range(model.rowCount())]
    assert {c.kind for c in rows} == {"team"}  # the teams only, of their own kind
    [found] = [c for c in rows if c.id == team.id]
    assert found.display_name == TEAM_NAME
    assert found.mailbox == team.contact_address
    directory.results.setCurrentIndex(model.index(rows.index(found)))
    assert directory.team_button.isVisible()
    assert not directory.teleexpertise_button.isVisible()
    qtbot.mouseClick(directory.team_button, Qt.MouseButton.LeftButton)
    teams = window.regional.page("teams")
    assert isinstance(teams, TeamsView)
    assert window.pages.currentWidget() is teams
    found_card: TeamCard = teams.found_card
    qtbot.waitUntil(lambda: found_card.team is not None, timeout=WAIT)
    assert found_card.role == REQUESTER
    assert found_card.title.text() == TEAM_NAME
    assert found_card.sections["prerequisites"][1].text() == (
        "Dernier courrier du médecin traitant, échelle EVA."
    )
    assert "Lefèvre" in found_card.sections["members"][1].text()
    assert not found_card.drop_zone.isVisibleTo(teams)

    # "Remplir et renvoyer": saved where the user says, opened, a message to the team with it.
    target = tmp_path / "rempli" / "Fiche de demande douleur.odt"
    target.parent.mkdir()
    asked: list[str] = []
    teams.errands.ask_path = lambda _parent, name, title: asked.append(title) or str(target)
    [row] = found_card.rows
    qtbot.mouseClick(row.buttons["send_back"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.composers), timeout=WAIT)
    assert asked == ["Enregistrer le modèle à remplir"]
    assert opened == [str(target)]
    assert target.read_bytes() == blank.read_bytes()
    composer = window.composers[-1]
    assert isinstance(composer, Composer)
    assert [a.email for a in composer.to_field.recipients()] == [team.contact_address]
    assert [d.path for d in composer.documents.documents] == [target]
    assert "tel qu'il est enregistré" in composer.notice_text
    # The user fills it in their program and saves; back in the message, it sends that file.
    filled = b"fiche remplie : patiente de 58 ans, lombalgie chronique, EVA 7/10. " * 20
    target.write_bytes(filled)
    composer.documents.sizes_from_disk()
    assert composer.documents.documents[0].size == len(filled)
    composer.body.setPlainText("Voici la fiche remplie.")
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)

    def arrived() -> list[dict[str, Any]]:
        with Probe(demo_server, CARDIO) as probe:
            about = {"accountId": probe.account, "filter": {"subject": "douleur"}}
            got = probe.call(
                ["Email/query", about, "q"],
                [
                    "Email/get",
                    {
                        "accountId": probe.account,
                        "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                        "properties": ["subject", "attachments"],
                        "bodyProperties": ["name", "blobId", "type"],
                    },
                    "g",
                ],
            )
            return [
                {**e, "content": probe.download(e["attachments"][0]["blobId"])}
                for e in got[1][1]["list"]
                if e["attachments"]
            ]

    qtbot.waitUntil(lambda: bool(arrived()), timeout=WAIT)
    [email] = arrived()
    assert email["subject"] == f"{TEAM_NAME} — Fiche de demande douleur"
    assert email["attachments"][0]["name"] == "Fiche de demande douleur.odt"
    assert email["content"] == filled


def test_edit_delete_a_template_and_withdraw(
    qtbot: QtBot, cardio: AccountSession, ui_session: AccountSession, tmp_path: Path
) -> None:
    mine = page(qtbot, cardio)
    team = declared(qtbot, mine, cardio)
    card = mine.mine_card
    qtbot.waitUntil(lambda: card.team is not None and card.team.id == team.id, timeout=WAIT)
    fiche = tmp_path / "fiche.pdf"
    fiche.write_bytes(b"%PDF-1.4 fiche")
    mine.choose_files = lambda: [fiche]
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.team is not None and len(card.team.templates) == 1, timeout=WAIT)

    # A template over the server's limit is refused before any upload, the file named.
    big = tmp_path / "scanner.pdf"
    big.write_bytes(b"x" * (10 * 1024 * 1024 + 1))
    assert card.team is not None
    mine.add_templates(card, [big])
    qtbot.waitUntil(lambda: "scanner.pdf" in card.feedback.text(), timeout=WAIT)
    assert card.feedback.property("error")
    assert "ne peut pas dépasser 10 Mo" in card.feedback.text()
    assert len(card.team.templates) == 1

    # Edit: the form opens filled, the change is the server's.
    form = mine.edit(card)
    assert form is not None
    assert form.name_edit.text() == TEAM_NAME
    assert form.members.list.count() == 1
    form.prerequisites_edit.setPlainText("Échelle EVA datée.")
    form.members.list.setCurrentRow(0)
    form.members.remove_selected()
    with qtbot.waitSignal(form.saved, timeout=WAIT):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    fresh = run_sync(qtbot, ui_session.teams.get(team.id))
    assert fresh.prerequisites == "Échelle EVA datée."
    assert fresh.members == []

    # Delete the template, then withdraw: the GP no longer finds the team.
    qtbot.waitUntil(lambda: len(card.rows) == 1, timeout=WAIT)
    qtbot.mouseClick(card.rows[0].buttons["delete"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.team is not None and not card.team.templates, timeout=WAIT)
    assert run_sync(qtbot, ui_session.teams.get(team.id)).templates == []
    qtbot.mouseClick(card.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.team is None, timeout=WAIT)
    assert "retirée" in card.feedback.text()
    assert team.id not in {t.id for t in run_sync(qtbot, ui_session.teams.search("douleur"))}
    qtbot.waitUntil(lambda: not mine.loading, timeout=WAIT)
    assert team.id not in mine.mine


def test_a_refused_declaration_keeps_what_was_typed(qtbot: QtBot, cardio: AccountSession) -> None:
    mine = page(qtbot, cardio)
    form = mine.declare()
    qtbot.waitUntil(lambda: "@" in form.contact_edit.text(), timeout=WAIT)
    form.name_edit.setText("Équipe test")
    form.activity_edit.setPlainText("Activité décrite.")
    form.contact_edit.setText("pas-une-adresse")
    form.save()
    qtbot.waitUntil(lambda: bool(form.error_label.property("error")), timeout=WAIT)
    assert form.error_label.text() == "L'adresse MSSanté de contact est invalide."
    assert form.isVisible()
    assert form.name_edit.text() == "Équipe test"
    assert form.activity_edit.toPlainText() == "Activité décrite."
