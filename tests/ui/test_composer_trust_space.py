"""The trust space in the composer (issue 14 §3): a recipient outside the sandbox's whitelist is
marked « hors espace de confiance » on its chip, sending is refused with a French explanation and
nothing the user wrote is lost; once that recipient is removed the message goes. While no list
was ever received nothing is blocked, and the chip's tooltip says so."""

from __future__ import annotations

import uuid

import pytest
from pytestqt.qtbot import QtBot

from app.records import Address
from app.session import AccountSession
from app.trust.space import TrustSpace
from server.testing import ServerThread
from tests.ui.composer_helpers import styled
from tests.ui.desktop_helpers import CARDIO
from tests.ui.test_composer_replies import KARIM, send, sent_emails
from ui.composer.chips import Chip
from ui.composer.composer import Composer

OUTSIDE = Address("Secrétariat", "secretariat@hopital.example")


def chip_of(composer: Composer, email: str) -> Chip:
    field = composer.to_field
    [chip] = [c for a, c in zip(field.recipients(), field._chips, strict=True) if a.email == email]
    return chip


def written(qtbot: QtBot, session: AccountSession, subject: str) -> Composer:
    composer = Composer(session)
    qtbot.addWidget(styled(composer))
    composer.show()
    composer.to_field.add(CARDIO)
    composer.to_field.add(OUTSIDE)
    composer.subject_edit.setText(subject)
    composer.body.setPlainText("Pouvez-vous le recevoir mardi ?")
    return composer


def test_a_recipient_outside_is_marked_and_refused_then_the_message_goes_without_it(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    qtbot.waitUntil(lambda: ui_session.trust_space.received, timeout=20_000)
    subject = f"Avis {uuid.uuid4().hex[:6]}"
    composer = written(qtbot, ui_session, subject)
    outside = chip_of(composer, OUTSIDE.email)
    assert not outside.warning.isHidden()
    assert outside.warning.text() == "hors espace de confiance"
    assert "« hopital.example » n'est pas dans la liste blanche" in outside.toolTip()
    assert outside.property("warning") is True
    inside = chip_of(composer, CARDIO.email)
    assert inside.warning.isHidden()
    assert inside.property("warning") is False

    composer.send()
    qtbot.wait(300)
    assert composer.isVisible()  # refused: the message stays in the window
    assert composer.notice.isVisible()
    assert composer.notice_text.startswith(
        "Envoi impossible : secretariat@hopital.example est hors"
    )
    assert composer.subject_edit.text() == subject
    assert composer.body.toPlainText() == "Pouvez-vous le recevoir mardi ?"
    assert [a.email for a in composer.to_field.recipients()] == [CARDIO.email, OUTSIDE.email]
    assert ui_session.outbox_list() == []

    outside.remove_button.click()
    send(qtbot, composer)
    qtbot.waitUntil(lambda: bool(sent_emails(demo_server, KARIM, subject)), timeout=20_000)
    [got] = sent_emails(demo_server, KARIM, subject)
    assert [a["email"] for a in got["to"]] == [CARDIO.email]


def test_patient_mailboxes_follow_the_list_and_a_list_never_received_blocks_nothing(
    qtbot: QtBot, ui_session: AccountSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: ui_session.trust_space.received, timeout=20_000)
    composer = written(qtbot, ui_session, "Résultats")
    patient = Address("", "2840769012345@patient.mssante.fr")
    composer.to_field.add(patient)
    assert chip_of(composer, patient.email).warning.isHidden()  # in the sandbox's list
    composer.close()

    never = TrustSpace(lambda: ui_session.account.cache, ui_session.account.ref.server_url)
    monkeypatch.setattr(ui_session, "trust_space", never)  # a server that publishes none
    composer = written(qtbot, ui_session, "Résultats")
    outside = chip_of(composer, OUTSIDE.email)
    assert outside.warning.isHidden()
    assert "n'a pas encore été reçue" in outside.toolTip()
    assert composer.can_go()
