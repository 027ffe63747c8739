"""Drafts: saved in the encrypted cache a few seconds after typing and on close, reopened by
restore_all (after a crash or the next login) with the same content; a reply is prefilled."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.session import AccountSession
from app.store.records import Address
from ui.composer.composer import Composer


def test_a_draft_survives_closing_the_window_and_is_restored(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    report = tmp_path / "bilan.pdf"
    report.write_bytes(b"%PDF-1.4 bilan")
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    composer.choose_type = lambda _path: "11502-2"
    composer.choose_files = lambda: [report]
    composer.to_field.add(Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"))
    qtbot.keyClicks(composer.subject_edit, "Suivi tensionnel")
    qtbot.keyClicks(composer.body, "Tension a 15/9 ce matin.")
    composer.insert_documents()
    assert [d.type_label for d in composer.documents.documents] == ["CR d'examens biologiques"]

    # Saved by itself about 3 s after the last change, without closing.
    qtbot.waitUntil(lambda: len(ui_session.drafts()) == 1, timeout=10_000)
    saved = ui_session.drafts()[0]
    assert saved.id == composer.draft_id
    assert saved.payload["body"] == "Tension a 15/9 ce matin."

    qtbot.keyClicks(composer.body, " Revoir dans 8 jours.")
    composer.close()  # without sending: the draft is saved on close
    qtbot.waitUntil(
        lambda: ui_session.drafts()[0].payload["body"].endswith("Revoir dans 8 jours."),
        timeout=10_000,
    )

    reopened = Composer.restore_all(ui_session)
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
    assert Composer.restore_all(ui_session) == []  # already open: not twice

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
