"""The Journal: recent redacted log lines, newest at the bottom, growing while it is open (from
any thread), a level filter, Copier and Enregistrer…, and no secret after a real login."""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app import logs
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from ui.desktop.journal import JournalDialog, level_of

log = logs.get("journal-test")


@pytest.fixture
def journal(qtbot: QtBot) -> JournalDialog:
    """Open; qtbot closes it after the test (which stops its logging handler)."""
    logs.setup(None)  # the ring buffer, as the app sets it up (idempotent)
    dialog = JournalDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def marker() -> str:
    return uuid.uuid4().hex[:12]


def test_it_shows_earlier_lines_and_lines_logged_after_it_opened_at_the_bottom(
    qtbot: QtBot,
) -> None:
    logs.setup(None)
    before = marker()
    log.info("earlier line %s", before)
    dialog = JournalDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert before in dialog.text.toPlainText()

    after = marker()
    log.info("later line %s", after)
    qtbot.waitUntil(lambda: after in dialog.text.toPlainText(), timeout=5_000)
    assert dialog.text.toPlainText().splitlines()[-1].endswith(f"later line {after}")

    from_thread = marker()
    worker = threading.Thread(target=lambda: log.warning("from a worker %s", from_thread))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: from_thread in dialog.text.toPlainText(), timeout=5_000)
    assert dialog.text.font().family() == "DejaVu Sans Mono"
    dialog.close()


def test_the_filter_hides_info_lines(qtbot: QtBot, journal: JournalDialog) -> None:
    info, warning, error = marker(), marker(), marker()
    log.info("info %s", info)
    log.warning("warning %s", warning)
    log.error("error %s", error)
    qtbot.waitUntil(lambda: error in journal.text.toPlainText(), timeout=5_000)
    assert info in journal.text.toPlainText()

    journal.filter_combo.setCurrentIndex(journal.filter_combo.findText("Avertissements et erreurs"))
    shown = journal.text.toPlainText()
    assert info not in shown
    assert warning in shown
    assert error in shown
    assert all(level_of(line) >= logging.WARNING for line in journal.shown_lines())
    assert journal.count_label.text() == f"{len(journal.shown_lines())} lignes"
    # Filtered live too: a new info line stays hidden, a new warning shows.
    hidden, seen = marker(), marker()
    log.info("info %s", hidden)
    log.warning("warning %s", seen)
    qtbot.waitUntil(lambda: seen in journal.text.toPlainText(), timeout=5_000)
    assert hidden not in journal.text.toPlainText()
    expected = f"{len(journal.shown_lines())} lignes"
    qtbot.waitUntil(lambda: journal.count_label.text() == expected, timeout=5_000)

    journal.filter_combo.setCurrentIndex(journal.filter_combo.findText("Tout"))
    assert hidden in journal.text.toPlainText()


def test_copier_puts_the_lines_in_the_clipboard(qtbot: QtBot, journal: JournalDialog) -> None:
    line = marker()
    log.warning("to copy %s", line)
    qtbot.waitUntil(lambda: line in journal.text.toPlainText(), timeout=5_000)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(journal.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert line in copied
    assert copied == journal.journal_text()
    assert "copié" in journal.feedback.text()


def test_enregistrer_writes_the_file_and_says_so(
    qtbot: QtBot, journal: JournalDialog, tmp_path: Path
) -> None:
    line = marker()
    log.error("to save %s", line)
    qtbot.waitUntil(lambda: line in journal.text.toPlainText(), timeout=5_000)
    target = tmp_path / "journal été.txt"
    assert journal.save(target) == target
    text = target.read_text(encoding="utf-8")
    assert line in text
    assert text == journal.journal_text()
    assert "journal été.txt" in journal.feedback.text()
    # A folder that cannot be written: a French sentence, no file, no crash.
    assert journal.save(tmp_path / "absent" / "journal.txt") is None
    assert "n'a pas pu être enregistré" in journal.feedback.text()


def test_closing_it_stops_listening(qtbot: QtBot) -> None:
    logs.setup(None)
    root = logging.getLogger(logs.ROOT)
    before = list(root.handlers)
    dialog = JournalDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(root.handlers) == len(before) + 1
    dialog.close()
    assert root.handlers == before
    line = marker()
    log.warning("after closing %s", line)
    qtbot.wait(50)
    assert line not in dialog.text.toPlainText()


def test_no_password_or_token_shows_after_a_login(
    qtbot: QtBot, journal: JournalDialog, ui_session: AccountSession
) -> None:
    auth = ui_session.account.auth
    assert auth is not None
    tokens = auth._tokens  # the live tokens of this login, to look for them
    assert tokens is not None
    secrets = [DEMO_PASSWORD, tokens.access_token]
    if tokens.refresh_token:
        secrets.append(tokens.refresh_token)
    # A careless line, as a bug might write one: masked before it reaches the journal.
    log.warning(
        "request failed: Authorization: Bearer %s password=%s refresh=%s",
        tokens.access_token,
        DEMO_PASSWORD,
        tokens.refresh_token,
    )
    qtbot.waitUntil(lambda: "request failed" in journal.text.toPlainText(), timeout=5_000)
    reopened = JournalDialog()  # what the ring kept of the whole login, read afresh
    qtbot.addWidget(reopened)
    for text in (journal.journal_text(), reopened.journal_text()):
        assert "monsisra." in text  # the login and the sync did log
        for secret in secrets:
            assert secret not in text
    assert "[masqué]" in journal.journal_text()
    reopened.close()
