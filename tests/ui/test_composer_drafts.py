"""Drafts: saved in the encrypted cache a few seconds after typing and on close, reopened by
restore_all (after a crash or the next login) with the same content, including one saved by the
composer before drafts were typed (tests/app/data/draft-v1.json); one written by a newer version
stays in the cache unopened and the user is told; a reply is prefilled."""

from __future__ import annotations

import gc
import json
import logging
from functools import partial
from pathlib import Path

from _pytest.logging import LogCaptureHandler
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.message.draft import DraftUnreadable
from app.session import AccountSession
from app.store import drafts
from app.store.records import Address
from tests.ui.conftest import run_sync
from ui.composer.composer import Composer
from ui.composer.reopening import restore_all

V1_DRAFT = Path(__file__).parent.parent / "app" / "data" / "draft-v1.json"


def test_a_draft_survives_closing_the_window_and_is_restored(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    report = tmp_path / "bilan.pdf"
    report.write_bytes(b"%PDF-1.4 bilan")
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    composer.inserter.choose_type = lambda _path: "11502-2"
    composer.inserter.choose_files = lambda: [report]
    composer.to_field.add(Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"))
    qtbot.keyClicks(composer.subject_edit, "Suivi tensionnel")
    qtbot.keyClicks(composer.body, "Tension a 15/9 ce matin.")
    composer.inserter.insert_documents()
    assert [d.type_label for d in composer.documents.documents] == ["CR d'examens biologiques"]

    # Saved by itself about 3 s after the last change, without closing.
    qtbot.waitUntil(lambda: len(ui_session.drafts()) == 1, timeout=10_000)
    saved = ui_session.drafts()[0]
    assert saved.id == composer.draft_id
    assert saved.payload["body"] == "Tension a 15/9 ce matin."

    qtbot.keyClicks(composer.body, " Revoir dans 8 jours.")
    composer.close()  # without sending: the draft is saved, then the window closes
    qtbot.waitUntil(lambda: not composer.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: ui_session.drafts()[0].payload["body"].endswith("Revoir dans 8 jours."),
        timeout=10_000,
    )

    reopened = restore_all(ui_session)
    assert len(reopened) == 1
    again = reopened[0]
    qtbot.addWidget(again)
    assert again.draft_id == composer.draft_id
    assert again.subject_edit.text() == "Suivi tensionnel"
    assert again.body.toPlainText() == "Tension a 15/9 ce matin. Revoir dans 8 jours."
    assert again.to_field.recipients() == [
        Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")
    ]
    assert [(d.path, d.type_code) for d in again.documents.documents] == [(report, "11502-2")]
    assert restore_all(ui_session) == []  # already open: not twice

    again.discard()
    qtbot.waitUntil(lambda: ui_session.drafts() == [], timeout=10_000)


def test_a_reply_is_prefilled_from_the_message(qtbot: QtBot, ui_session: AccountSession) -> None:
    inbox = ui_session.mailbox_by_role("inbox")
    assert inbox is not None
    summary = ui_session.summaries(ui_session.list_ids(inbox.id, limit=1))[0]
    original = next(e for e in ui_session.thread(summary.thread_id) if e.id == summary.id)
    composer = Composer(ui_session, reply_to=original)
    qtbot.addWidget(composer)
    qtbot.waitUntil(lambda: bool(composer.to_field.recipients()), timeout=10_000)
    assert composer.to_field.recipients()[0].email == original.from_[0].email
    assert composer.subject_edit.text().startswith("RE: ")
    assert composer.in_reply_to == [m.strip("<>") for m in original.message_id][:1]
    assert "a écrit :" in composer.body.toPlainText()


def test_a_draft_saved_by_the_first_composer_reopens_whole(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    stored = json.loads(V1_DRAFT.read_text(encoding="utf-8"))
    for document in stored["documents"]:  # the files it names, where this test can make them
        path = tmp_path / Path(document["path"]).name
        path.write_bytes(b"%PDF-1.4")
        document["path"] = str(path)
    run_sync(
        qtbot, ui_session.account.cache.write(partial(drafts.save, draft_id="v1", payload=stored))
    )

    (composer,) = restore_all(ui_session)
    qtbot.addWidget(composer)
    assert composer.draft_id == "v1"
    assert composer.to_field.recipients() == [
        Address("Dr Nadia Lefèvre", "nadia.lefevre@sisra-demo.mssante.fr")
    ]
    assert composer.cc_field.recipients() == [Address(None, "secretariat@sisra-demo.mssante.fr")]
    assert composer.subject_edit.text() == stored["subject"]
    assert composer.body.toPlainText() == stored["body"]
    assert composer.patient is not None
    assert composer.patient.identity.ins == "297016926678357"
    assert [(d.name, d.type_code) for d in composer.documents.documents] == [
        ("Courrier adressage é.pdf", "11488-4"),
        ("photo_lesion.jpg", "autre"),
    ]
    assert composer.in_reply_to == stored["in_reply_to"]
    assert composer.references == stored["references"]
    assert composer.draft().to_stored() == stored  # saved again as it was


def test_a_draft_from_a_newer_version_stays_in_the_cache_unopened_and_the_user_is_told(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    newer = {"v": 2, "subject": "Écrit par la version suivante", "corps": {"texte": "…"}}
    run_sync(
        qtbot, ui_session.account.cache.write(partial(drafts.save, draft_id="v2", payload=newer))
    )

    assert restore_all(ui_session) == []
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert [b.text() for b in boxes] == [DraftUnreadable.message_fr]
    for box in boxes:
        box.close()
    assert [(d.id, d.payload) for d in ui_session.drafts()] == [("v2", newer)]  # kept as it was


def test_the_notice_about_an_unreadable_draft_outlives_a_garbage_collection(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    """The notice has no parent here: only a reference kept until it closes keeps it on screen.
    Not the record of the warning logged about the draft (the app's handlers keep lines, not
    records; pytest's keep records, whose error holds the frame that made the notice)."""
    newer = {"v": 2, "subject": "Écrit par la version suivante"}
    run_sync(
        qtbot, ui_session.account.cache.write(partial(drafts.save, draft_id="v2", payload=newer))
    )

    assert restore_all(ui_session) == []
    for handler in logging.getLogger().handlers:
        if isinstance(handler, LogCaptureHandler):
            handler.clear()
    gc.collect()
    qtbot.wait(10)
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert [b.text() for b in boxes] == [DraftUnreadable.message_fr]
    for box in boxes:
        box.close()
