"""Read receipts through the windows (issue 14 §2): Alice asks for one in the composer, Bob's
reader offers « Envoyer / Ignorer », he sends it, and Alice's reader shows « Lu par … »."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.message.compose import OutgoingMessage
from app.records import Address, EmailRecord
from app.session import AccountSession
from app.store import mail
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB
from tests.ui.composer_helpers import styled
from tests.ui.conftest import run_sync
from ui import tasks
from ui.composer.composer import Composer
from ui.mail.reader import ReaderView


def cached(session: AccountSession, subject: str) -> EmailRecord:
    with session.account.cache.read() as conn:
        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    [record] = [e for e in found if e is not None and e.subject == subject]
    return record


def reader(qtbot: QtBot, session: AccountSession, record: EmailRecord) -> ReaderView:
    view = ReaderView(session)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_thread(record.thread_id, record.id, mark_read=False)
    return view


def test_asked_in_the_composer_sent_from_the_bar_shown_read_to_the_sender(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, server: ServerThread, tmp_path: Path
) -> None:
    url = server.base_url
    alice = run_sync(qtbot, AccountSession.open(tmp_path / "a", url, ALICE.login, ALICE.password))
    bob = run_sync(qtbot, AccountSession.open(tmp_path / "b", url, BOB.login, BOB.password))
    try:
        composer = styled(Composer(alice))
        assert isinstance(composer, Composer)
        qtbot.addWidget(composer)
        composer.show()
        composer.to_field.add(Address(BOB.name, BOB.email))
        qtbot.keyClicks(composer.subject_edit, "Resultats de Mme Durand")
        qtbot.keyClicks(composer.body, "Les resultats sont normaux.")
        assert not composer.read_receipt_box.isChecked()  # asked only when the user wants it
        composer.read_receipt_box.setChecked(True)
        with qtbot.waitSignal(composer.sent, timeout=60_000):
            qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
        run_sync(qtbot, alice.sync_once())
        run_sync(qtbot, bob.sync_once())

        received = cached(bob, "Resultats de Mme Durand")
        view = reader(qtbot, bob, received)
        [card] = view.cards
        question = card.receipt_question
        assert question is not None
        assert question.isVisible()
        assert question.label.text() == f"{ALICE.name} demande un accusé de lecture"
        notices: list[str] = []
        view.notice.connect(notices.append)
        qtbot.mouseClick(question.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not question.isVisible(), timeout=20_000)
        assert notices == ["Accusé de lecture envoyé."]
        # Asked once: shown again, the message no longer asks.
        view.show_thread(received.thread_id, received.id, mark_read=False)
        assert view.cards[0].receipt_question is None

        run_sync(qtbot, alice.sync_once())
        sent = cached(alice, "Resultats de Mme Durand")
        mine = reader(qtbot, alice, sent)
        [card] = mine.cards
        assert card.receipt_question is None  # her own message asks her nothing
        assert card.read_status is not None
        assert card.read_status.text().startswith(f"Lu par {BOB.name} le ")
    finally:
        run_sync(qtbot, alice.close())
        run_sync(qtbot, bob.close())


def test_ignored_the_bar_goes_and_never_comes_back(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, server: ServerThread, tmp_path: Path
) -> None:
    url = server.base_url
    alice = run_sync(qtbot, AccountSession.open(tmp_path / "a", url, ALICE.login, ALICE.password))
    bob = run_sync(qtbot, AccountSession.open(tmp_path / "b", url, BOB.login, BOB.password))
    try:
        me = run_sync(qtbot, alice.own_address())
        message = OutgoingMessage(me, [Address(None, BOB.email)], subject="Avis", read_receipt=True)
        run_sync(qtbot, alice.send(message))
        run_sync(qtbot, alice.sync_once())
        run_sync(qtbot, bob.sync_once())
        view = reader(qtbot, bob, cached(bob, "Avis"))
        question = view.cards[0].receipt_question
        assert question is not None
        qtbot.mouseClick(question.ignore_button, Qt.MouseButton.LeftButton)
        assert not question.isVisible()
        run_sync(qtbot, tasks.settle())
        run_sync(qtbot, bob.sync_once())
        view.show_thread(view.records[0].thread_id, None, mark_read=False)
        assert view.cards[0].receipt_question is None
        run_sync(qtbot, alice.sync_once())
        assert cached(alice, "Avis").read_by == []  # nothing was sent
    finally:
        run_sync(qtbot, alice.close())
        run_sync(qtbot, bob.close())
