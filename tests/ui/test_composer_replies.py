"""Signature, reply to all and forward as attachment, against the running sandbox: the signature
set in the settings (or kept by the server for my address) under a new message and above the
quote of a reply, once; a reply to all that reaches everyone but me; the original message attached
whole, as `message/rfc822`, with its documents and its patient package inside."""

from __future__ import annotations

import email
import email.policy
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.records import EmailRecord
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import User
from tests.ui import mail_helpers
from tests.ui.composer_helpers import styled
from tests.ui.conftest import GP_LOGIN, run_sync
from tests.ui.desktop_helpers import (
    CARDIO,
    GP,
    OFFSCREEN_RAISE,
    PATIENT,
    PHARMA,
    deliver_to_gp,
)
from tests.ui.mail_helpers import UrlRecorder
from tests.ui.server_probe import Probe
from ui import tasks
from ui.composer.composer import Composer
from ui.desktop.settings_dialog import SettingsDialog
from ui.mail.reader import ReaderView
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixtures
opened_urls = mail_helpers.opened_urls

SIGNATURE = "Dr Hélène Garnier\nMédecin généraliste — 04 72 00 00 00"
CABINET = "cabinet.garnier@sisra-demo.mssante.fr"  # a second address of the GP's
HELENE = User(GP_LOGIN, DEMO_PASSWORD, GP.name or "", GP.email)
KARIM = User("karim.benali", DEMO_PASSWORD, CARDIO.name or "", CARDIO.email)


@pytest.fixture
def gp_identities(demo_server: ServerThread) -> None:
    """The GP sends from two addresses (her own, then her practice's), before she logs in."""
    account = demo_server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    demo_server.sandbox.mail.set_identity(account.id, CABINET, "Cabinet Garnier")


@pytest.fixture
def gp_server_signature(demo_server: ServerThread) -> None:
    """The server keeps a signature for the GP's address (written on a Windows server)."""
    account = demo_server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    demo_server.sandbox.mail.set_identity(account.id, GP.email, text_signature="Dr H. G.\r\nMG")


def received(session: AccountSession, qtbot: QtBot, subject: str) -> EmailRecord:
    """The message with this subject, once synced into the GP's cache."""
    found: list[EmailRecord] = []

    def arrived() -> bool:
        inbox = session.mailbox_by_role("inbox")
        assert inbox is not None
        for summary in session.summaries(session.list_ids(inbox.id, limit=50)):
            if summary.subject == subject:
                found[:] = [e for e in session.thread(summary.thread_id) if e.id == summary.id]
        return bool(found)

    qtbot.waitUntil(arrived, timeout=20_000)
    return found[0]


def sent_emails(server: ServerThread, user: User, subject: str) -> list[dict[str, Any]]:
    """`user`'s emails with this subject, with their recipients and text."""
    with Probe(server, user) as probe:
        responses = probe.call(
            ["Email/query", {"accountId": probe.account, "filter": {"subject": subject}}, "q"],
            [
                "Email/get",
                {
                    "accountId": probe.account,
                    "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                    "properties": ["subject", "from", "to", "cc", "textBody", "bodyValues"],
                    "fetchTextBodyValues": True,
                },
                "g",
            ],
        )
    emails: list[dict[str, Any]] = responses[1][1]["list"]
    return [e for e in emails if e["subject"] == subject]


def text_of(found: dict[str, Any]) -> str:
    return "".join(found["bodyValues"][p["partId"]]["value"] for p in found["textBody"])


def send(qtbot: QtBot, composer: Composer) -> None:
    qtbot.waitUntil(lambda: composer.inserter.limits is not None, timeout=10_000)
    composer.send()
    qtbot.waitUntil(lambda: not composer.isVisible(), timeout=20_000)


def opened(qtbot: QtBot, composer: Composer, filled: str) -> Composer:
    qtbot.addWidget(styled(composer))
    composer.show()
    qtbot.waitUntil(lambda: filled in composer.body.toPlainText(), timeout=10_000)
    return composer


@OFFSCREEN_RAISE
def test_the_signature_set_in_the_settings_goes_under_a_new_message_and_above_a_replys_quote_once(
    qtbot: QtBot,
    data_root: Path,
    demo_server: ServerThread,
    ui_session: AccountSession,
    window: MainWindow,
) -> None:
    dialog = SettingsDialog(ui_session)
    qtbot.addWidget(dialog)
    dialog.signature.signature_edit.setPlainText(SIGNATURE + "\n")
    dialog.accept()
    assert settings_mod.current().signature == SIGNATURE
    assert dialog.signature.server_label.isHidden()  # the server keeps none for her address

    # Ctrl+N: the signature under the (empty) text, the cursor above it.
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.composers))
    new = window.composers[-1]
    assert isinstance(new, Composer)
    qtbot.waitUntil(lambda: "-- " in new.body.toPlainText(), timeout=10_000)
    assert new.body.toPlainText() == "\n\n-- \n" + SIGNATURE
    assert new.body.textCursor().position() == 0
    new.close()  # a signature alone is no draft
    run_sync(qtbot, tasks.settle())
    assert ui_session.drafts() == []

    # A reply: the signature between the user's words and the quote, the cursor above it.
    subject = f"Signature {uuid.uuid4().hex[:6]}"
    deliver_to_gp(demo_server, CARDIO, subject)
    reply = opened(
        qtbot, Composer(ui_session, reply_to=received(ui_session, qtbot, subject)), "a écrit :"
    )
    body = reply.body.toPlainText()
    assert body.startswith("\n\n-- \n" + SIGNATURE + "\n\nLe ")
    assert reply.body.textCursor().position() == 0
    reply.body.insertPlainText("Vu, merci.")
    send(qtbot, reply)

    [got] = sent_emails(demo_server, KARIM, "RE: " + subject)
    text = text_of(got)
    assert text.startswith("Vu, merci.\n\n-- \n" + SIGNATURE + "\n\nLe ")
    assert text.count(SIGNATURE) == 1


def test_the_servers_signature_for_my_address_wins_and_a_resumed_draft_is_not_signed_again(
    qtbot: QtBot, data_root: Path, gp_server_signature: None, ui_session: AccountSession
) -> None:
    settings_mod.update(signature="Signature locale")
    dialog = SettingsDialog(ui_session)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.signature.server_label.isHidden(), timeout=10_000)
    assert GP.email in dialog.signature.server_label.text()

    composer = opened(qtbot, Composer(ui_session), "-- ")
    assert composer.body.toPlainText() == "\n\n-- \nDr H. G.\nMG"
    composer.to_field.add(CARDIO)
    composer.save_draft()
    run_sync(qtbot, tasks.settle())
    [saved] = ui_session.drafts()
    composer.done = True
    composer.close()
    resumed = opened(qtbot, Composer(ui_session, draft=composer.draft(), draft_id=saved.id), "MG")
    qtbot.wait(300)  # a signature would be on screen by now
    assert resumed.body.toPlainText().count("-- ") == 1
    # "Modifier" in the outbox opens a new composer with the message's text: signed already.
    again = opened(qtbot, Composer(ui_session, draft=composer.draft()), "MG")
    qtbot.wait(300)
    assert again.body.toPlainText().count("Dr H. G.") == 1


def test_reply_all_goes_to_everyone_but_any_of_my_addresses_sender_first_cc_as_cc(
    qtbot: QtBot, gp_identities: None, demo_server: ServerThread, ui_session: AccountSession
) -> None:
    subject = f"Concertation {uuid.uuid4().hex[:6]}"
    msg = EmailMessage()
    msg["From"] = f"{CARDIO.name} <{CARDIO.email}>"
    msg["To"] = f"{GP.name} <{GP.email.upper()}>, {PHARMA.name} <{PHARMA.email}>"
    msg["Cc"] = f"Cabinet <{CABINET}>, {PHARMA.email.upper()}, secretariat@pro.mssante.fr"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<all-{uuid.uuid4().hex}@sisra-demo.mssante.fr>"
    msg.set_content("Avis de chacun ?")
    account = demo_server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    demo_server.sandbox.mail.import_message(account.id, msg.as_bytes())

    record = received(ui_session, qtbot, subject)
    reply = opened(qtbot, Composer(ui_session, reply_to=record, reply_all=True), "a écrit :")
    assert [a.email for a in reply.to_field.recipients()] == [CARDIO.email, PHARMA.email]
    assert [a.email for a in reply.cc_field.recipients()] == ["secretariat@pro.mssante.fr"]
    reply.body.insertPlainText("D'accord.")
    send(qtbot, reply)

    [got] = sent_emails(demo_server, KARIM, "RE: " + subject)
    assert [a["email"] for a in got["to"]] == [CARDIO.email, PHARMA.email]
    assert [a["email"] for a in got["cc"]] == ["secretariat@pro.mssante.fr"]
    assert got["from"][0]["email"] == GP.email


def test_a_forward_as_attachment_carries_the_original_message_whole(
    qtbot: QtBot, tmp_path: Path, demo_server: ServerThread, ui_session: AccountSession
) -> None:
    subject = f"Compte rendu {uuid.uuid4().hex[:6]}"
    deliver_to_gp(demo_server, CARDIO, subject, PATIENT, tmp_path)
    original = received(ui_session, qtbot, subject)
    composer = Composer(ui_session, forward=original, attach=True)
    qtbot.addWidget(styled(composer))
    composer.show()
    qtbot.waitUntil(lambda: len(composer.documents.documents) == 1, timeout=20_000)
    [attached] = composer.documents.documents
    assert attached.name == subject + ".eml"
    assert attached.mime_type == "message/rfc822"
    assert composer.subject_edit.text() == "TR: " + subject
    assert composer.patient is None  # the patient's package travels inside the attached message
    composer.to_field.add(PHARMA)
    composer.body.insertPlainText("Pour information.")
    send(qtbot, composer)

    julie = User("julie.perrin", DEMO_PASSWORD, PHARMA.name or "", PHARMA.email)
    with Probe(demo_server, julie) as probe:
        q = probe.call(
            [
                "Email/query",
                {"accountId": probe.account, "filter": {"subject": "TR: " + subject}},
                "q",
            ],
            [
                "Email/get",
                {
                    "accountId": probe.account,
                    "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                    "properties": ["attachments"],
                },
                "g",
            ],
        )
        [got] = q[1][1]["list"]
        [part] = [a for a in got["attachments"] if a["type"] == "message/rfc822"]
        raw = probe.download(part["blobId"], "message.eml", "message/rfc822")
    inner = email.message_from_bytes(raw, policy=email.policy.default)
    assert inner["Subject"] == subject
    assert CARDIO.email in str(inner["From"])
    names = [p.get_filename() for p in inner.iter_attachments()]  # type: ignore[attr-defined]
    assert names == ["compte-rendu.pdf", "IHE_XDM.ZIP"]


def test_the_reader_says_what_an_attached_message_is_and_opens_it(
    qtbot: QtBot, demo_server: ServerThread, ui_session: AccountSession, opened_urls: UrlRecorder
) -> None:
    inner = EmailMessage()
    inner["From"] = f"{PHARMA.name} <{PHARMA.email}>"
    inner["To"] = CARDIO.email
    inner["Subject"] = "Interaction \u202eAVK"  # a bidirectional control is not shown
    inner.set_content("Attention à l'association.")
    outer = EmailMessage()
    outer["From"] = f"{CARDIO.name} <{CARDIO.email}>"
    outer["To"] = GP.email
    subject = f"TR: Interaction {uuid.uuid4().hex[:6]}"
    outer["Subject"] = subject
    outer.set_content("Pour information.")
    outer.add_attachment(inner)  # message/rfc822, without a file name, as many clients send it
    account = demo_server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    demo_server.sandbox.mail.import_message(account.id, outer.as_bytes())

    record = received(ui_session, qtbot, subject)
    reader = ReaderView(ui_session)
    qtbot.addWidget(reader)
    reader.show_thread(record.thread_id, record.id, mark_read=False)
    [chip] = [c for card in reader.cards for c in card.chips]
    assert chip.name == "message.eml"  # the system opens it with the mail program
    qtbot.waitUntil(lambda: chip.title.text().startswith("Message : "), timeout=10_000)
    assert chip.title.toolTip() == "Message : Interaction AVK"
    assert chip.details.text().startswith(f"De : {PHARMA.name} <")  # elided: the tooltip has it
    assert PHARMA.email in chip.details.toolTip()
    chip.open()
    qtbot.waitUntil(lambda: bool(opened_urls.urls))
    opened_file = Path(opened_urls.urls[0].toLocalFile())
    assert opened_file.name == "message.eml"
    assert b"Attention" in opened_file.read_bytes()
