"""Bodies too long for the viewer: shown in part with a notice, their whole text copied or saved;
a huge word is offered breaks; a very long message arriving in the inbox opens that way."""

from __future__ import annotations

import asyncio
import datetime as dt
import stat
from email.message import EmailMessage
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.message.html import MAX_SHOWN, to_text
from app.store.records import EmailRecord
from server.testing import ServerThread
from tests.ui import mail_helpers
from tests.ui.conftest import GP_LOGIN
from tests.ui.mail_helpers import load_all
from ui.mail.message_body import MessageBody, TruncatedNotice
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture

LINES = "\n".join(f"Ligne {n} du compte rendu" for n in range(100_000))  # 2.6 MB


def record(text: str | None = None, html: str | None = None) -> EmailRecord:
    return EmailRecord(
        id="M1",
        thread_id="T1",
        mailbox_ids=frozenset({"inbox"}),
        received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
        subject="Compte rendu",
        text_body=text,
        html_body=html,
    )


def shown(qtbot: QtBot, email: EmailRecord) -> MessageBody:
    body = MessageBody()
    qtbot.addWidget(body)
    body.resize(700, 400)
    body.show_email(email)
    return body


def test_a_long_text_is_shown_in_part_and_says_so(qtbot: QtBot) -> None:
    body = shown(qtbot, record(LINES))
    assert body.truncated
    text = body.toPlainText()
    assert text.startswith("Ligne 0 du compte rendu")
    assert "Ligne 99999 du compte rendu" not in text
    assert MAX_SHOWN * 0.9 < len(text) <= MAX_SHOWN


def test_an_ordinary_body_is_shown_whole(qtbot: QtBot) -> None:
    body = shown(qtbot, record("Chère consœur,\n\nvoici le compte rendu.\nCordialement"))
    assert not body.truncated
    assert body.toPlainText() == "Chère consœur,\nvoici le compte rendu.\nCordialement"


def test_a_huge_word_is_offered_breaks_and_laid_out_in_part(qtbot: QtBot) -> None:
    """A 5 MB line without a space kept Qt busy for more than ten minutes."""
    body = shown(qtbot, record("x" * 5 * 1024 * 1024))
    assert body.truncated
    text = body.toPlainText()
    assert text.count("\u200b") == len(text.replace("\u200b", "")) // 1000 - 1
    assert max(len(run) for run in text.split("\u200b")) == 1000
    assert body.height() > 10_000  # wrapped into lines, not one line scrolled sideways


def test_a_long_html_body_is_shown_in_part(qtbot: QtBot) -> None:
    html = "<p>Résultat <b>normal</b>.</p>" * 20_000
    body = shown(qtbot, record(html=html))
    assert body.truncated
    assert "Résultat normal." in body.toPlainText()


def test_the_whole_text_is_copied_and_saved_for_its_owner_only(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    html = "<p>Résultat <b>normal</b>.</p>" * 20_000
    notice = TruncatedNotice(record("le texte de l'expéditeur " * 20_000, html))
    qtbot.addWidget(notice)
    said: list[str] = []
    notice.notice.connect(said.append)
    QApplication.clipboard().clear()
    notice.copy_button.click()
    qtbot.waitUntil(lambda: len(said) == 1)
    assert QApplication.clipboard().text() == "le texte de l'expéditeur " * 20_000
    assert said == ["Texte complet du message copié."]
    target = tmp_path / "compte rendu.txt"
    notice.ask_save_path = lambda _parent, _name: str(target)  # type: ignore[method-assign]
    notice.save_button.click()
    qtbot.waitUntil(lambda: len(said) == 2)
    assert said[1] == "Texte du message enregistré : compte rendu.txt"
    assert target.read_text(encoding="utf-8") == "le texte de l'expéditeur " * 20_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compte rendu.txt"]
    # HTML only: the text of the HTML.
    html_only = TruncatedNotice(record(None, html))
    qtbot.addWidget(html_only)
    html_only.notice.connect(said.append)
    html_only.copy_button.click()
    qtbot.waitUntil(lambda: len(said) == 3)
    assert QApplication.clipboard().text() == to_text(html)


def test_a_very_long_message_in_the_inbox_opens_in_part_with_its_notice(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread
) -> None:
    account = demo_server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    msg = EmailMessage()
    msg["From"] = "Laboratoire <labo@sisra-demo.mssante.fr>"
    msg["To"] = "Dr Hélène Garnier <helene.garnier@sisra-demo.mssante.fr>"
    msg["Subject"] = "Export complet des résultats"
    msg["Message-ID"] = "<long-export@sisra-demo.mssante.fr>"
    msg.set_content(LINES)
    demo_server.sandbox.mail.import_message(
        account.id, msg.as_bytes(), received_at=dt.datetime.now(dt.UTC)
    )
    model = window.conversations.model

    def row() -> int | None:
        load_all(window)
        for n in range(model.rowCount()):
            summary = model.summary(n)
            if summary is not None and summary.subject == "Export complet des résultats":
                return n
        return None

    qtbot.waitUntil(lambda: row() is not None, timeout=30_000)
    found = row()
    assert found is not None
    window.conversations.select_row(found)
    qtbot.waitUntil(lambda: len(window.reader.cards) == 1)
    card = window.reader.cards[0]
    assert card.body.truncated
    assert card.truncation is not None
    assert card.truncation.isVisible()
    said: list[str] = []
    window.reader.notice.connect(said.append)
    card.truncation.copy_button.click()
    qtbot.waitUntil(lambda: said == ["Texte complet du message copié."])
    # The server gives bodies up to 512 KB: what it gave is what is copied.
    copied = QApplication.clipboard().text()
    assert copied.startswith("Ligne 0 du compte rendu\nLigne 1")
    assert len(copied) > len(card.body.toPlainText())
