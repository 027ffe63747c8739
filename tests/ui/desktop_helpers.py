"""Shared pieces of the desktop tests: a data root of the test's own, logging in through the
Controller's login window, and mail delivered to the demo GP as an incoming mail server would
(with a patient's IHE_XDM.ZIP when asked)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.message.compose import OutgoingAttachment, OutgoingMessage, build_message_xdm
from app.message.patient import INS_NIA_TEST_OID, PatientIdentity
from app.store.records import Address
from server.testing import ServerThread
from tests.ui.conftest import GP_LOGIN
from tests.ui.mail_helpers import synced
from ui.app import Controller
from ui.composer.composer import Composer
from ui.login.window import LoginWindow
from ui.shell.main_window import MainWindow

CARDIO = Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")
PHARMA = Address("Mme Julie Perrin", "julie.perrin@sisra-demo.mssante.fr")
GP = Address("Dr Hélène Garnier", "helene.garnier@sisra-demo.mssante.fr")
PATIENT = PatientIdentity(
    "260057512345684", INS_NIA_TEST_OID, "Jeanne", "DUPONT", dt.date(1948, 3, 2), "female"
)
# The offscreen platform (tests) has no window manager: Qt says it can neither pass size hints to
# one (tests/ui/conftest.py ignores that everywhere; a test's own mark replaces that one) nor
# raise a window brought forward. True, and not a bug of ours.
OFFSCREEN_RAISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def log_in(qtbot: QtBot, login: LoginWindow, password: str) -> None:
    """Types the identifiant (unless filled) and the password, and presses Enter, as the user
    does."""
    qtbot.waitUntil(lambda: login.isVisible() and login.server_reachable is not None)
    if not login.login_edit.text():
        qtbot.keyClicks(login.login_edit, GP_LOGIN)
    login.password_edit.clear()
    qtbot.keyClicks(login.password_edit, password)
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)


def open_main_window(qtbot: QtBot, controller: Controller, password: str) -> MainWindow:
    """Logs in through the controller's login window; the main window once the sync is over."""
    log_in(qtbot, controller.login, password)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    window = controller.window
    assert isinstance(window, MainWindow)
    session = controller.session
    assert session is not None
    qtbot.waitUntil(lambda: synced(session), timeout=60_000)
    return window


def reopened_composer(
    qtbot: QtBot, controller: Controller, password: str, login: LoginWindow
) -> Composer:
    """Logs in again (after a lock or a sign-out) and returns the one composer the new main
    window reopened from its saved draft."""
    log_in(qtbot, login, password)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    again = controller.window
    assert isinstance(again, MainWindow)
    qtbot.waitUntil(lambda: len(again.composers) == 1, timeout=10_000)
    restored = again.composers[0]
    assert isinstance(restored, Composer)
    return restored


def deliver_to_gp(
    server: ServerThread,
    sender: Address,
    subject: str,
    patient: PatientIdentity | None = None,
    tmp: Path | None = None,
    documents: Sequence[tuple[str, str, bytes]] = (),
    in_reply_to: str | None = None,
) -> str:
    """A message from `sender` lands in the GP's inbox now, with `documents` (name, type,
    content) attached as they come, in the conversation of the message `in_reply_to` names;
    returns its Message-ID."""
    account = server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    msg = EmailMessage()
    msg["From"] = f"{sender.name} <{sender.email}>"
    msg["To"] = f"{GP.name} <{GP.email}>"
    msg["Subject"] = subject
    message_id = f"<desktop-{uuid.uuid4().hex}@sisra-demo.mssante.fr>"
    msg["Message-ID"] = message_id
    if in_reply_to is not None:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content("Chère consœur, veuillez trouver ci-joint le compte rendu.")
    if patient is not None:
        assert tmp is not None
        report = tmp / "compte-rendu.pdf"
        report.write_bytes(PDF)
        outgoing = OutgoingMessage(
            from_=sender,
            to=[GP],
            subject=subject,
            patient=patient,
            attachments=[OutgoingAttachment(report, report.name, "application/pdf", "11488-4")],
        )
        msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=report.name)
        msg.add_attachment(
            build_message_xdm(outgoing),
            maintype="application",
            subtype="zip",
            filename="IHE_XDM.ZIP",
        )
    for name, type_, data in documents:
        maintype, _, subtype = type_.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    server.sandbox.mail.import_message(
        account.id, msg.as_bytes(), received_at=dt.datetime.now(dt.UTC)
    )
    return message_id
