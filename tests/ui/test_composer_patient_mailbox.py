"""The composer and patients' mailboxes (issue 14 §1): the option « Le patient ne peut pas
répondre » appears with such a recipient; a message goes there only about that one patient, with a
qualified INS, within 25 Mo — else the composer says why, in French, and keeps everything typed;
a message that can go carries X-MSS-MES: FIN when asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.message.draft import ChosenPatient
from app.message.patient import INS_NIR_OID, INS_NIR_TEST_OID, PatientIdentity
from app.records import OutboxState
from app.session import AccountSession
from app.store.records import Address
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import User
from tests.ui.composer_helpers import styled
from tests.ui.conftest import GP_LOGIN
from tests.ui.server_probe import Probe
from ui.composer.composer import Composer
from ui.documents import Document

INS = "248017512345626"
MAILBOX = f"{INS}@patient.mssante.fr"
OTHER_MAILBOX = "175069912304551@patient.mssante.fr"
QUALIFIED = ChosenPatient(
    None, PatientIdentity(INS, INS_NIR_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female")
)
NOT_QUALIFIED = ChosenPatient(
    None, PatientIdentity(INS, INS_NIR_TEST_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female")
)


def _composer(qtbot: QtBot, session: AccountSession, tmp_path: Path, size: int = 4000) -> Composer:
    composer = styled(Composer(session))
    assert isinstance(composer, Composer)
    qtbot.addWidget(composer)
    composer.show()
    report = tmp_path / "resultats.pdf"
    with report.open("wb") as f:  # sparse: a big file costs no disk
        f.write(b"%PDF-1.4 ")
        f.truncate(size)
    composer.documents.add(Document.of(report, "11502-2"))
    composer.subject_edit.setText("Vos résultats")
    composer.body.setPlainText("Bonjour, voici vos résultats.")
    return composer


def _refused(qtbot: QtBot, composer: Composer, words: str) -> None:
    """Send is clicked; the composer stays, says why, and keeps what was typed."""
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: words in composer.notice_text and not composer.sending, timeout=20_000)
    assert composer.isVisible()
    assert composer.notice.isVisible()
    assert composer.subject_edit.text() == "Vos résultats"
    assert len(composer.documents.documents) == 1


def test_the_no_reply_option_shows_only_with_a_patient_mailbox(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    composer = _composer(qtbot, ui_session, tmp_path)
    assert not composer.no_reply_check.isVisible()
    composer.to_field.add(Address("Marie Dupont", MAILBOX))
    assert composer.no_reply_check.isVisible()
    assert composer.no_reply_check.text() == "Le patient ne peut pas répondre"
    composer.no_reply_check.setChecked(True)
    composer.to_field.set_recipients([])
    assert not composer.no_reply_check.isVisible()
    assert not composer.no_reply_check.isChecked()


def test_a_patient_mailbox_without_its_patient_or_qualified_ins_is_refused(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    composer = _composer(qtbot, ui_session, tmp_path)
    composer.to_field.add(Address("Marie Dupont", MAILBOX))
    _refused(qtbot, composer, "choisissez ce patient")
    composer.set_patient(NOT_QUALIFIED)
    _refused(qtbot, composer, "l'INS est qualifiée")
    composer.set_patient(QUALIFIED)
    composer.cc_field.add(Address(None, OTHER_MAILBOX))
    _refused(qtbot, composer, "qu'un seul patient")
    assert OTHER_MAILBOX in composer.notice_text
    assert ui_session.outbox_list() == []


def test_a_message_over_25_mo_for_a_patient_mailbox_is_refused_before_sending(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    composer = _composer(qtbot, ui_session, tmp_path, size=20 * 1024 * 1024)
    composer.set_patient(QUALIFIED)
    composer.to_field.add(Address("Marie Dupont", MAILBOX))
    _refused(qtbot, composer, "ne peut pas dépasser 25 Mo")
    assert ui_session.outbox_list() == []


def test_the_patient_cannot_reply_goes_as_x_mss_mes_fin(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread, tmp_path: Path
) -> None:
    composer = _composer(qtbot, ui_session, tmp_path)
    composer.set_patient(QUALIFIED)
    composer.to_field.add(Address("Marie Dupont", MAILBOX))
    composer.no_reply_check.click()  # as a click on it (its geometry is set when laid out)
    assert composer.no_reply_check.isChecked()
    with qtbot.waitSignal(composer.sent, timeout=60_000):
        qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ui_session.outbox_list()[0].state == OutboxState.SENT, timeout=30_000)
    with Probe(demo_server, User(GP_LOGIN, DEMO_PASSWORD, "", "")) as probe:
        found = probe.call(
            [
                "Email/query",
                {"accountId": probe.account, "filter": {"subject": "Vos résultats"}},
                "q",
            ],
            [
                "Email/get",
                {
                    "accountId": probe.account,
                    "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                    "properties": [
                        "header:X-MSS-MES:asText",
                        "header:X-MSS-INS:asText",
                        "header:X-MSS-CODECDA:asText",
                        "attachments",
                    ],
                },
                "g",
            ],
        )[1][1]["list"]
    assert len(found) == 1
    assert found[0]["header:X-MSS-MES:asText"] == "FIN"
    assert found[0]["header:X-MSS-INS:asText"] == "O"
    assert found[0]["header:X-MSS-CODECDA:asText"] == "11502-2"
    names = [a["name"] for a in found[0]["attachments"]]
    pdf = f"{dt.date.today():%Y%m%d}_CR-d-examens-biologiques_DUPONT_Marie.pdf"
    assert names == [pdf, "IHE_XDM.ZIP"]
