"""The undo delay, through a real composer and the real status bar against the sandbox: a message
sent online counts down "Envoi dans N s…" with "Annuler"; "Annuler" brings it back into a composer
exactly as it was and nothing reaches the server; left alone it arrives once; with the setting at
0 it leaves at once. The delay comes from the setting "Délai d'annulation de l'envoi"."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.message.draft import ChosenPatient, Draft, DraftDocument
from app.message.mss import pdf_name
from app.message.patient import PatientIdentity
from app.records import Address
from server.testing import ServerThread
from tests.server.conftest import BOB
from tests.ui.composer_helpers import inbox_emails
from tests.ui.conftest import run_sync
from tests.ui.desk import Desk, alice_session
from ui.composer.composer import Composer

pytestmark = pytest.mark.send_delay

PATIENT = ChosenPatient(
    None,
    PatientIdentity(
        "248017512345678", "1.2.250.1.213.1.4.10", "Marie", "Dupont", date(1948, 1, 7), "female"
    ),
)
LETTER = b"%PDF-1.4 compte rendu\n" + bytes(range(256)) * 4


class ComposerDesk(Desk):
    """The desk where messages are written in a composer."""

    def send(self, subject: str, folder: Path) -> Composer:
        """A composer with everything a message can have, sent with its "Envoyer"."""
        letter = folder / "compte-rendu.pdf"
        letter.write_bytes(LETTER)
        draft = Draft(
            to=(Address("Bob Martin", BOB.email),),
            cc=(),
            subject=subject,
            body="Cher confrère,\nvoici le compte rendu de Mme Dupont.",
            patient=PATIENT,
            documents=(DraftDocument(letter, "11488-4"),),
        )
        composer = Composer(self.session, draft=draft)
        self.qtbot.addWidget(composer)
        composer.show()
        self.qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
        self.qtbot.waitUntil(lambda: not composer.isVisible(), timeout=10_000)
        return composer


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    server: ServerThread,
    data_root: Path,
) -> Iterator[ComposerDesk]:
    with alice_session(qtbot, server, data_root) as session:
        session.start()
        qtbot.waitUntil(lambda: session.online and session.engine is not None, timeout=10_000)
        yield ComposerDesk(qtbot, session)


def received(server: ServerThread, subject: str) -> int:
    return len(inbox_emails(server, BOB, subject))


def reopened_composer() -> Composer | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, Composer) and w.isVisible()),
        None,
    )


def test_annuler_in_the_delay_sends_nothing_and_reopens_the_message_as_it_was(
    qtbot: QtBot, desk: ComposerDesk, server: ServerThread, tmp_path: Path
) -> None:
    settings_mod.update(send_delay_s=5)
    desk.send("Compte rendu à revoir", tmp_path)
    [row] = desk.session.outbox_list()
    assert row.held_until is not None
    qtbot.waitUntil(lambda: desk.countdowns() in (["Envoi dans 5 s…"], ["Envoi dans 4 s…"]))
    assert received(server, "Compte rendu à revoir") == 0
    [line] = desk.status.held.lines.values()
    assert line.cancel_button.text() == "Annuler"
    qtbot.mouseClick(line.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reopened_composer() is not None)
    composer = reopened_composer()
    assert composer is not None
    qtbot.addWidget(composer)
    draft = composer.draft()
    assert [(a.name, a.email) for a in draft.to] == [("Bob Martin", BOB.email)]
    assert draft.subject == "Compte rendu à revoir"
    assert draft.body == "Cher confrère,\nvoici le compte rendu de Mme Dupont."
    assert draft.patient is not None
    assert draft.patient.identity == PATIENT.identity
    [document] = draft.documents
    # The document comes back under the name it was queued with: the MSSanté one (issue 14 §1).
    named = pdf_name(date.today(), "11488-4", PATIENT.identity)
    assert (document.path.name, document.type_code) == (named, "11488-4")
    assert document.path.read_bytes() == LETTER
    qtbot.waitUntil(lambda: desk.countdowns() == [])
    assert desk.session.outbox_list() == []
    assert [d.id for d in desk.session.drafts()] == [composer.draft_id]
    # Past the delay, a send pass finds nothing to send.
    held_until = row.held_until
    qtbot.waitUntil(lambda: time.time() * 1000 > held_until, timeout=10_000)
    run_sync(qtbot, desk.session.send_outbox())
    assert received(server, "Compte rendu à revoir") == 0
    composer.keeps_draft = False
    composer.close()


def test_left_alone_each_message_leaves_once_after_its_delay_unless_cancelled(
    qtbot: QtBot, desk: ComposerDesk, server: ServerThread, tmp_path: Path
) -> None:
    settings_mod.update(send_delay_s=3)
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    desk.send("Premier message", first)
    desk.send("Second message", second)
    qtbot.waitUntil(lambda: len(desk.countdowns()) == 2)
    assert received(server, "Premier message") == 0
    kept, cancelled = desk.session.outbox_list()
    assert kept.payload["subject"] == "Premier message"
    desk.status.held.lines[cancelled.id].cancel_button.click()
    qtbot.waitUntil(lambda: reopened_composer() is not None)
    composer = reopened_composer()
    assert composer is not None
    qtbot.addWidget(composer)
    assert composer.draft().subject == "Second message"
    qtbot.waitUntil(lambda: received(server, "Premier message") == 1, timeout=15_000)
    qtbot.waitUntil(lambda: [r.state for r in desk.session.outbox_list()] == ["sent"])
    assert desk.countdowns() == []
    assert received(server, "Second message") == 0
    composer.keeps_draft = False
    composer.close()


def test_with_the_delay_at_zero_the_message_leaves_at_once(
    qtbot: QtBot, desk: ComposerDesk, server: ServerThread, tmp_path: Path
) -> None:
    settings_mod.update(send_delay_s=0)
    desk.send("Sans délai", tmp_path)
    # The composer closed once the send pass was over: the message is already there.
    assert received(server, "Sans délai") == 1
    assert [r.state for r in desk.session.outbox_list()] == ["sent"]
    assert desk.countdowns() == []
