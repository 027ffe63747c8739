"""The desktop app's main flow against Cyrus IMAP: log in through the login window (HTTP Basic),
the corpus syncs, read bob's message, reply with a document — bob receives it intact. The regional
services Cyrus does not have are said unavailable, in French."""

from __future__ import annotations

import asyncio
import os
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.message.compose import reply_subject
from app.remote.jmap import JmapClient
from app.session import NoRegionalServices
from tests.interop import cyrus
from tests.interop.corpus import Corpus
from tests.interop.cyrus import ALICE, BOB, Cyrus
from tests.ui.composer_helpers import drop_files
from tests.ui.conftest import OFFSCREEN_ONLY, run_sync
from tests.ui.mail_helpers import row_where, synced
from ui.app import Controller
from ui.composer.composer import Composer
from ui.shell.main_window import MainWindow

pytestmark = [
    pytest.mark.interop,
    pytest.mark.qt_log_ignore(OFFSCREEN_ONLY, r"This plugin does not support raise\(\)"),
    pytest.mark.usefixtures("navigator_installed", "qt_shut_down_at_the_end"),
]

SUBJECT = "Avis sur Mme Dupont — échographie"
BOB_MESSAGE_ID = "<avis-dupont@example.com>"


def _from_bob() -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Dr Bob Durand <{BOB}>"
    msg["To"] = f"Dr Alice Martin <{ALICE}>"
    msg["Subject"] = SUBJECT
    msg["Message-ID"] = BOB_MESSAGE_ID
    msg.set_content("Chère consœur,\nPeux-tu m'envoyer le compte rendu de l'échographie ?\n")
    return bytes(msg)


async def _reply_received(server: Cyrus) -> list[dict[str, Any]]:
    async with cyrus.jmap_client(server, BOB) as bob:
        return await _replies(bob)


async def _replies(bob: JmapClient) -> list[dict[str, Any]]:
    answer = await bob.call_one(
        "Email/query", {"filter": {"header": ["In-Reply-To", BOB_MESSAGE_ID.strip("<>")]}}
    )
    got = await bob.get_all(
        "Email",
        answer["ids"],
        ["subject", "from", "attachments", "inReplyTo"],
        bodyProperties=["name", "type", "blobId", "header:Content-Description:asText"],
    )
    for email in got:
        for part in email["attachments"]:
            if part["name"].endswith(".pdf"):
                part["content"] = await bob.download_bytes(
                    part["blobId"], part["name"], part["type"], 10**7
                )
    return list(got)


def test_log_in_read_and_reply_with_a_document_on_cyrus(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    cyrus_server: Cyrus,
    alice_corpus: Corpus,
    data_root: Path,
    tmp_path: Path,
) -> None:
    assert cyrus.deliver(cyrus_server, [_from_bob()], ALICE, sender=BOB) == 1
    settings_mod.override(server_url=cyrus_server.server_url)
    controller = Controller(data_root)
    qtbot.addWidget(controller.login)
    controller.start()
    login = controller.login
    qtbot.waitUntil(lambda: login.server_reachable is not None, timeout=10_000)
    assert login.server_reachable  # Cyrus wants credentials for its Session: it answers
    login.login_edit.setText(ALICE)
    login.password_edit.setText(cyrus_server.passwords[ALICE])
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=60_000)
    window = controller.window
    session = controller.session
    assert isinstance(window, MainWindow)
    assert session is not None
    try:
        assert session.account.auth is not None
        assert session.account.auth.mode == "basic"
        qtbot.waitUntil(lambda: synced(session), timeout=120_000)
        assert session.count(None) >= len(alice_corpus.messages)

        # Read bob's message.
        row = row_where(window, lambda s: s.subject == SUBJECT)
        window.conversations.select_row(row)
        qtbot.waitUntil(lambda: bool(window.reader.cards), timeout=10_000)
        qtbot.waitUntil(
            lambda: "compte rendu de l'échographie" in window.reader.cards[-1].body.toPlainText()
        )

        # Reply with a document dropped from the file manager.
        report = tmp_path / "compte rendu écho.pdf"
        report.write_bytes(b"%PDF-1.4\n" + os.urandom(120_000) + b"\n%%EOF\n")
        window.reply()
        composer = window.composers[-1]
        assert isinstance(composer, Composer)
        qtbot.waitUntil(lambda: [a.email for a in composer.to_field.recipients()] == [BOB])
        assert composer.subject_edit.text() == reply_subject(SUBJECT)
        composer.inserter.choose_type = lambda path: "11488-4"
        entered, dropped = drop_files(composer, [report])
        assert entered
        assert dropped
        qtbot.waitUntil(lambda: len(composer.documents.documents) == 1)
        qtbot.keyClicks(composer.body, "Voici le compte rendu. ")
        with qtbot.waitSignal(composer.sent, timeout=60_000):
            qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: [r.state for r in session.outbox_list()] == ["sent"], timeout=60_000
        )

        [received] = run_sync(qtbot, _reply_received(cyrus_server))
        assert received["subject"] == reply_subject(SUBJECT)
        assert received["from"][0]["email"] == ALICE
        [document] = [a for a in received["attachments"] if a["name"] == report.name]
        assert document["content"] == report.read_bytes()
        assert document["header:Content-Description:asText"] == "Compte rendu de consultation"

        # Cyrus has no regional services: the app says so in French, and nothing breaks.
        window.open_portal()
        qtbot.waitUntil(lambda: window.status.currentMessage() == NoRegionalServices.message_fr)
        window.show_page("teleconsultations")
        page = window.pages.currentWidget()
        qtbot.waitUntil(lambda: page.status_label.text() == NoRegionalServices.message_fr)
    finally:
        window.close()
        qtbot.waitUntil(lambda: controller.done, timeout=30_000)
