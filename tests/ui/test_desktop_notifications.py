"""Notifications of new messages, through the Controller as the app runs them: nothing for the
initial sync, one per new message (or per burst) delivered on the sandbox afterwards, without the
subject or the patient unless the setting allows them, and a click opens the message."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.store.records import PatientRef
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.ui import desktop_helpers
from tests.ui.desktop_helpers import CARDIO, PATIENT, PHARMA, deliver_to_gp, open_main_window
from ui.app import Controller
from ui.desktop.notifications import notification_for
from ui.desktop.tray import Notification

OFFSCREEN_RAISE = desktop_helpers.OFFSCREEN_RAISE


@OFFSCREEN_RAISE
def test_new_messages_notify_without_patient_data_unless_allowed_and_a_click_opens_them(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,
    data_root: Path,
    tmp_path: Path,
) -> None:
    settings_mod.override(server_url=demo_server.base_url)
    controller = Controller(data_root, notify_ms=300)
    controller.start()
    window = open_main_window(qtbot, controller, DEMO_PASSWORD)
    session = controller.session
    assert session is not None
    assert controller.notifier is not None
    shown = controller.tray.shown
    # The initial sync brought hundreds of unread messages: not one notification.
    assert session.unread_total() > 10
    assert controller.notifier.flush() is None
    assert shown == []

    # A message about a patient, whose subject names her: by default neither is shown.
    subject = "Adressage — Mme DUPONT Jeanne, douleur thoracique"
    deliver_to_gp(demo_server, CARDIO, subject, PATIENT, tmp_path)
    session.sync_now()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=30_000)
    note = shown[0]
    assert note.title == "Nouveau message de Dr Karim Benali"
    assert note.text == "Cliquez pour l'ouvrir."
    for private in ("DUPONT", "Jeanne", "thoracique", "Adressage"):
        assert private not in note.title + note.text
    # Once only, even when the patient read from its IHE_XDM.ZIP changes the message again.
    qtbot.waitUntil(lambda: session.summaries(list(note.email_ids))[0].patient is not None)
    assert controller.notifier.flush() is None
    assert len(shown) == 1

    # Clicking the notification opens the message in the main window.
    window.show_page("teleconsultations")
    controller.tray.messageClicked.emit()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.mail_page)
    selected = window.conversations.selected_summary()
    assert selected is not None
    assert selected.id == note.email_ids[0]
    qtbot.waitUntil(lambda: any(c.record.subject == subject for c in window.reader.cards))

    # With the setting on: sender, subject and patient.
    settings_mod.override(notify_patient_names=True)
    subject = "Résultats — Mme DUPONT Jeanne"
    deliver_to_gp(demo_server, CARDIO, subject, PATIENT, tmp_path)
    session.sync_now()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=30_000)
    assert shown[1].title == "Nouveau message de Dr Karim Benali"
    assert subject in shown[1].text

    # A burst: one notification for three messages, senders only (setting off again).
    settings_mod.override(notify_patient_names=False)
    with demo_server.sandbox.db.write():  # delivered together, as one change on the server
        for sender, text in (
            (PHARMA, "Ordonnance de Mme PETIT"),
            (CARDIO, "ECG de M. ROUX"),
            (PHARMA, "Renouvellement de Mme BLANC"),
        ):
            deliver_to_gp(demo_server, sender, text)
    session.sync_now()
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=30_000)
    burst = shown[2]
    assert burst.title == "3 nouveaux messages"
    senders = burst.text.removeprefix("De ").removesuffix(".").split(", ")
    assert sorted(senders) == ["Dr Karim Benali", "Mme Julie Perrin"]  # each named once
    assert len(burst.email_ids) == 3
    for private in ("ROUX", "PETIT", "BLANC", "ECG", "Ordonnance"):
        assert private not in burst.title + burst.text

    qtbot.addWidget(controller.login)  # deleted on the UI thread after the test
    controller.quit()
    qtbot.waitUntil(lambda: controller.done, timeout=30_000)


def test_the_patient_shows_only_when_allowed() -> None:
    """The texts themselves, for one message about a patient (the patient may arrive after the
    first notification in the app: here it is known)."""
    from datetime import UTC, datetime

    from app.store.records import Address, EmailSummary

    summary = EmailSummary(
        id="E1",
        thread_id="T1",
        subject="Adressage — Mme DUPONT Jeanne",
        from_=[Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")],
        to=[],
        received_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        preview="Chère consœur",
        has_attachment=True,
        unread=True,
        flagged=False,
        patient=PatientRef("260057512345684", None, "Jeanne", "DUPONT"),
        thread_size=1,
    )
    assert notification_for([summary], False) == Notification(
        "Nouveau message de Dr Karim Benali", "Cliquez pour l'ouvrir.", ("E1",)
    )
    assert notification_for([summary], True) == Notification(
        "Nouveau message de Dr Karim Benali",
        "Adressage — Mme DUPONT Jeanne\nPatient : DUPONT Jeanne",
        ("E1",),
    )
    nameless = EmailSummary(**{**summary.__dict__, "id": "E2", "from_": [], "patient": None})
    several = notification_for([summary, nameless], True)
    assert several.title == "2 nouveaux messages"
    assert several.text == (
        "Dr Karim Benali — Adressage — Mme DUPONT Jeanne (DUPONT Jeanne)\n"
        "expéditeur inconnu — Adressage — Mme DUPONT Jeanne"
    )
