"""Writing and sending from the composer against the running sandbox: documents dropped from the
file manager with their types, a patient from the regional directory, and the message found in
the recipient's inbox; offline, the message waits and goes once when the server is back."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.events import OutboxChanged
from app.message.mss import pdf_name
from app.message.patient import format_ins
from app.session import AccountSession
from app.store.records import Address
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread, quick_config
from tests.server.conftest import ALICE, BOB, User
from tests.ui.composer_helpers import drop_files, inbox_emails, styled
from tests.ui.conftest import run_sync
from ui.composer.composer import Composer
from ui.patient_picker import PatientDialog

KARIM = User("karim.benali", DEMO_PASSWORD, "Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")


def test_dropped_documents_reach_the_recipient_with_their_types(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread, tmp_path: Path
) -> None:
    prescription = tmp_path / "ordonnance.pdf"
    prescription.write_bytes(b"%PDF-1.4 ordonnance " + b"x" * 3000)
    report = tmp_path / "compte-rendu.txt"
    report.write_text("Compte rendu de consultation : RAS.", encoding="utf-8")
    composer = styled(Composer(ui_session))
    assert isinstance(composer, Composer)
    qtbot.addWidget(composer)
    composer.show()
    asked: list[str] = []
    types = {"ordonnance.pdf": "57833-6", "compte-rendu.txt": "11488-4"}

    def answer(path: Path) -> str:
        asked.append(path.name)
        return types[path.name]

    composer.inserter.choose_type = answer

    # The patient, from the regional patient directory (the real dialog, driven as a user).
    dialog = PatientDialog(ui_session, composer)
    qtbot.addWidget(dialog)
    dialog.chosen.connect(composer.set_patient)
    regional = run_sync(qtbot, ui_session.regional())
    helene = next(p for p in run_sync(qtbot, regional.file_active()) if p.family == "André")
    # The directory needs the name with the birth date; QTest types ASCII only.
    qtbot.keyClicks(dialog.form.family_edit, "Andre")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    assert "date de naissance" in dialog.status.text()  # said before asking the server
    assert dialog.list.count() == 0
    qtbot.keyClicks(dialog.form.birth_edit, f"{helene.birth_date:%d/%m/%Y}")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() > 0, timeout=20_000)
    assert helene.ins is not None
    grouped = f"INS {format_ins(helene.ins)}"  # as every screen shows an INS
    assert grouped in dialog.list.item(0).text()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert composer.patient is not None
    assert composer.patient.identity.family == "André"
    helene_identity = composer.patient.identity
    assert composer.patient_chip is not None
    assert grouped in composer.patient_chip.detail.text()

    entered, dropped = drop_files(composer, [prescription, report])
    assert entered
    assert dropped
    qtbot.waitUntil(lambda: len(composer.documents.documents) == 2)
    assert asked == ["ordonnance.pdf", "compte-rendu.txt"]  # one question per document
    assert "2 documents" in composer.documents.total.text()

    composer.to_field.add(Address(KARIM.name, KARIM.email))
    subject = "Adressage avec deux documents"
    qtbot.keyClicks(composer.subject_edit, subject)
    qtbot.keyClicks(composer.body, "Cher confrere, voici les documents.")
    composer.activateWindow()  # Ctrl+Entrée is the window's shortcut (no window manager here)
    qtbot.waitUntil(composer.isActiveWindow)
    with qtbot.waitSignal(composer.sent, timeout=60_000):
        qtbot.keyClick(composer.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert composer.sending, composer.notice_text  # Ctrl+Entrée sends; progress bar shows
        assert composer.progress.isVisible()
    qtbot.waitUntil(lambda: not composer.isVisible())
    assert composer.notice_box is None  # sent at once: nothing to tell

    found = inbox_emails(demo_server, KARIM, subject)
    assert len(found) == 1
    parts = {a["name"]: a for a in found[0]["attachments"]}
    # About a patient, a PDF is named `<date>_<type>_<NOM>_<prénom>.pdf` (issue 14 §1).
    pdf = pdf_name(date.today(), "57833-6", helene_identity)
    assert pdf.endswith("_Ordonnance_ANDRE_Helene.pdf")
    assert parts[pdf]["header:Content-Description:asText"] == "Ordonnance"
    assert (
        parts["compte-rendu.txt"]["header:Content-Description:asText"]
        == "Compte rendu de consultation"
    )
    assert "IHE_XDM.ZIP" in parts  # about a patient: the package goes with the documents
    assert ui_session.drafts() == []  # sending deleted the draft


def test_offline_message_is_queued_then_sent_once_when_the_server_is_back(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
) -> None:
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    session = run_sync(
        qtbot, AccountSession.open(tmp_path / "client", url, ALICE.login, ALICE.password)
    )
    again: ServerThread | None = None
    try:
        session.start()
        qtbot.waitUntil(lambda: bool(session.mailboxes()), timeout=20_000)
        composer = Composer(session)
        qtbot.addWidget(composer)
        composer.show()
        qtbot.waitUntil(lambda: composer.inserter.limits is not None, timeout=10_000)
        first.stop()

        composer.to_field.add(Address(BOB.name, BOB.email))
        subject = "Écrit hors connexion"
        composer.subject_edit.setText(subject)
        composer.body.setPlainText("Partira au retour du serveur.")
        qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not composer.isVisible(), timeout=20_000)  # the outbox has it
        assert composer.notice_box is None  # no box for a message queued offline
        # Waiting in the outbox (a send attempt may still be failing: "sending" → "queued").
        qtbot.waitUntil(
            lambda: [r.state for r in session.outbox_list()] == ["queued"], timeout=20_000
        )
        again = ServerThread(quick_config(data), port=int(url.rsplit(":", 1)[1])).start()
        qtbot.waitUntil(
            # The session retries with a growing delay (at most 30 s, plus jitter).
            lambda: [r.state for r in session.outbox_list()] == ["sent"],
            timeout=90_000,
        )
        assert len(inbox_emails(again, BOB, subject)) == 1
    finally:
        run_sync(qtbot, session.close())
        if again is not None:
            again.stop()


def test_outbox_news_from_another_thread_reach_the_progress_line_on_the_ui_thread(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    """The bus calls back on the publisher's thread (the cache's writer, a sync task): the
    composer hears of the outbox through the EventBridge, so widgets change on the UI thread."""
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    composer._set_sending(True)  # as while a send is in flight
    assert composer.progress_label.text() == "Envoi en cours…"

    publisher = threading.Thread(
        target=lambda: ui_session.bus.publish(OutboxChanged(pending=0, failed=0))
    )
    publisher.start()
    publisher.join()
    assert composer.progress_label.text() == "Envoi en cours…"  # not touched from that thread
    qtbot.waitUntil(lambda: composer.progress_label.text() == "Envoi terminé", timeout=5_000)
    composer._set_sending(False)
    composer.discard()
