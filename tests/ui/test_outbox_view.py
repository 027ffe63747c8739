"""The outbox, through its real view against the real sandbox: the counter is the unsent file's
(however many wait, are refused or are being sent), a message queued offline is said on the
status bar, and each row can be cancelled (asked first), reopened in a composer, or retried now —
and every refusal of the server (the email, the submission, no identity) shows a French reason on
the row and loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle
from pytestqt.qtbot import QtBot

from app import messages
from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.records import Address
from app.store import outbox as outbox_rows
from app.store.outbox import OutboxState
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.server.conftest import ALICE, BOB
from tests.ui.conftest import run_sync
from tests.ui.desk import Desk, alice_session
from ui.composer.composer import Composer
from ui.mail.outbox import SUBJECT, OutboxView
from ui.mail.status import StatusBar

LETTER = b"%PDF-1.4 compte rendu\n" + bytes(range(256)) * 8


def message(subject: str, attachments: list[OutgoingAttachment] | None = None) -> OutgoingMessage:
    return OutgoingMessage(
        from_=Address(None, ALICE.email),
        to=[Address("Bob Martin", BOB.email)],
        subject=subject,
        text="Cher confrère, voici le compte rendu.",
        attachments=attachments or [],
    )


class OutboxDesk(Desk):
    """The desk where messages are sent by the session, as a composer hands them over."""

    def send(self, msg: OutgoingMessage) -> str:
        return run_sync(self.qtbot, self.session.send(msg))

    def retry(self, view: OutboxView, outbox_id: str) -> None:
        """ "Réessayer maintenant" on the message's row, until the server has taken it."""
        view.select(outbox_id)
        view.retry_button.click()
        self.qtbot.waitUntil(
            lambda: [r.state for r in self.session.outbox_list()] == ["sent"], timeout=10_000
        )


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    server: ServerThread,
    tmp_path: Path,
) -> Iterator[OutboxDesk]:
    with alice_session(qtbot, server, tmp_path / "client") as session:
        run_sync(qtbot, session.own_address())
        yield OutboxDesk(qtbot, session)


def received_by_bob(qtbot: QtBot, server: ServerThread, message_id: str) -> int:
    """How many messages of this Message-ID Bob's account holds."""

    async def query() -> int:
        async with jmap_client(server, BOB) as bob:
            found = await bob.call_one(
                "Email/query", {"filter": {"header": ["Message-ID", message_id]}}
            )
        return len(found["ids"])

    return run_sync(qtbot, query())


def row_texts(view: OutboxView, row: int) -> list[str]:
    return [view.table.item(row, column).text() for column in range(view.table.columnCount())]


def fits_its_text(view: OutboxView, row: int) -> bool:
    """Whether the row is as tall as its tallest text wrapped at its column's current width (to
    within a line: the item's own margins are the style's)."""
    table = view.table
    metrics = table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    needed = max(
        metrics.boundingRect(
            QRect(0, 0, table.columnWidth(column) - margin, 100_000),
            Qt.TextFlag.TextWordWrap,
            table.item(row, column).text(),
        ).height()
        for column in range(table.columnCount())
    )
    return abs(table.rowHeight(row) - needed) <= metrics.lineSpacing()


def test_the_counter_counts_every_message_queued_offline_refused_or_sending(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
) -> None:
    server = server_factory()
    with alice_session(qtbot, server, tmp_path / "client") as known:
        run_sync(qtbot, known.own_address())
    server.stop()
    with alice_session(qtbot, server, tmp_path / "client") as session:
        assert not session.online
        desk = OutboxDesk(qtbot, session)
        assert not desk.status.queued_notice.isVisible()
        first = desk.send(message("Premier"))
        second = desk.send(message("Deuxième"))
        qtbot.waitUntil(lambda: desk.counter() == "Boîte d'envoi : 2 en attente")
        # Said on the status bar, not in a box to close after each message.
        assert desk.status.queued_notice.isVisible()
        assert (
            desk.status.queued_notice.text() == "Le message sera envoyé au retour de la connexion."
        )
        desk.send(message("Troisième"))
        qtbot.waitUntil(lambda: desk.counter() == "Boîte d'envoi : 3 en attente")
        assert session.outbox_counts().pending == 3

        def mark(c: object, outbox_id: str, state: OutboxState) -> None:
            outbox_rows.update(c, outbox_id, state=state, error="Refusé pour l'essai.")  # type: ignore[arg-type]

        run_sync(
            qtbot,
            session.account.cache.write(partial(mark, outbox_id=first, state=OutboxState.FAILED)),
        )
        run_sync(
            qtbot,
            session.account.cache.write(partial(mark, outbox_id=second, state=OutboxState.SENDING)),
        )
        run_sync(qtbot, session.outbox.publish_counts())
        qtbot.waitUntil(lambda: desk.counter() == "Boîte d'envoi : 2 en attente · 1 en échec")
        # A new status bar (the window opened again) counts the same from the unsent file.
        again = StatusBar(session, desk.bridge, desk.window)
        assert again.outbox.text() == "Boîte d'envoi : 2 en attente · 1 en échec"
        assert (again.pending, again.failed) == (2, 1)


def test_retry_now_sends_a_message_whose_submission_was_refused(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread
) -> None:
    server.sandbox.refusals.submission_create = {"type": "forbiddenToSend"}
    desk.send(message("Refusé puis renvoyé"))
    [row] = desk.session.outbox_list()
    assert row.state == OutboxState.FAILED
    qtbot.waitUntil(lambda: desk.counter() == "Boîte d'envoi : 1 en échec")
    view = desk.view()
    assert row_texts(view, 0) == [
        "Refusé puis renvoyé",
        "Bob Martin",
        "Refusé",
        messages.SEND_SUBMISSION_REFUSED.fill(reason="forbiddenToSend").text(),
    ]
    # The list has the keyboard once the view is active: its first message is selected.
    qtbot.waitUntil(lambda: view.selected() == row)
    server.sandbox.refusals.submission_create = None
    view.select(row.id)
    assert view.retry_button.isEnabled()
    view.retry_button.click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=10_000)
    assert [r.state for r in desk.session.outbox_list()] == ["sent"]
    qtbot.waitUntil(lambda: desk.counter() == "")

    assert (
        received_by_bob(qtbot, server, row.message_id) == 1
    )  # once, though created at the first try


def test_refused_recipients_say_to_check_the_addresses(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread
) -> None:
    server.sandbox.refusals.submission_create = {"type": "invalidRecipients"}
    desk.send(message("Adresse refusée"))
    view = desk.view()
    assert row_texts(view, 0)[3] == messages.SEND_RECIPIENTS_REFUSED.text()


def test_a_refused_email_is_reopened_in_a_composer_with_everything(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread, tmp_path: Path
) -> None:
    server.sandbox.refusals.email_create = {"type": "overQuota"}
    letter = tmp_path / "compte-rendu.pdf"
    letter.write_bytes(LETTER)
    attachment = OutgoingAttachment(letter, "compte-rendu.pdf", "application/pdf", "autre")
    desk.send(message("Avec un document", [attachment]))
    letter.unlink()  # the outbox holds its own copy
    [row] = desk.session.outbox_list()
    view = desk.view()
    reason = messages.SEND_EMAIL_REFUSED.fill(reason="overQuota").text()
    assert row_texts(view, 0)[2:] == ["Refusé", reason]
    view.select(row.id)
    view.edit_button.click()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, Composer) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
    )
    composer = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, Composer) and w.isVisible()
    )
    qtbot.addWidget(composer)
    draft = composer.draft()
    assert [a.email for a in draft.to] == [BOB.email]
    assert draft.subject == "Avec un document"
    assert draft.body == "Cher confrère, voici le compte rendu."
    [document] = draft.documents
    assert document.path.name == "compte-rendu.pdf"
    assert document.path.read_bytes() == LETTER
    # Out of the outbox once reopened, and already a saved draft: the composer's own.
    qtbot.waitUntil(lambda: view.table.rowCount() == 0)
    assert desk.session.outbox_list() == []
    assert [d.id for d in desk.session.drafts()] == [composer.draft_id]
    qtbot.waitUntil(lambda: desk.counter() == "")
    composer.keeps_draft = False
    composer.close()


def test_no_identity_keeps_the_message_until_the_server_has_one(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread
) -> None:
    with server.sandbox.db.write() as conn:
        kept = [dict(r) for r in conn.execute("SELECT * FROM identities")]
        conn.execute("DELETE FROM identities")
    desk.send(message("Sans identité"))
    view = desk.view()
    assert row_texts(view, 0)[2:] == ["Refusé", messages.SEND_NO_IDENTITY.text()]
    with server.sandbox.db.write() as conn:
        for identity in kept:
            columns = ", ".join(identity)
            marks = ", ".join("?" for _ in identity)
            conn.execute(
                f"INSERT INTO identities ({columns}) VALUES ({marks})", tuple(identity.values())
            )
    desk.retry(view, desk.session.outbox_list()[0].id)


def test_cancel_asks_first_then_removes_the_message_and_its_documents(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread, tmp_path: Path
) -> None:
    server.sandbox.refusals.email_create = {"type": "invalidProperties"}
    letter = tmp_path / "ordonnance.pdf"
    letter.write_bytes(LETTER)
    desk.send(
        message("À annuler", [OutgoingAttachment(letter, "ordonnance.pdf", "application/pdf")])
    )
    [row] = desk.session.outbox_list()
    view = desk.view()
    view.select(row.id)
    box = view.ask_cancel()
    assert isinstance(box, QMessageBox)
    keep = next(b for b in box.buttons() if b.text() == "Garder le message")
    keep.click()
    qtbot.waitUntil(lambda: view.confirm_box is None)
    assert [r.id for r in desk.session.outbox_list()] == [row.id]
    box = view.ask_cancel()
    assert box is not None
    assert box.text() == "Retirer « À annuler » de la boîte d'envoi ?"
    box.defaultButton().click()
    qtbot.waitUntil(lambda: desk.session.outbox_list() == [])
    qtbot.waitUntil(lambda: view.table.rowCount() == 0)
    qtbot.waitUntil(lambda: desk.counter() == "")
    with desk.session.account.cache.read() as conn:
        assert outbox_rows.linked_content(conn, row.id) == []
        left = conn.execute("SELECT COUNT(*) FROM unsent.outbox_documents").fetchone()[0]
    assert left == 0


def test_a_draft_the_server_lost_twice_is_kept_with_its_reason_and_retry_sends_it_once(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread
) -> None:
    server.sandbox.refusals.drafts_lost = 2
    desk.send(message("Brouillon perdu par le serveur"))
    [row] = desk.session.outbox_list()
    assert row.state == OutboxState.FAILED  # not "sent": nothing was submitted
    qtbot.waitUntil(lambda: desk.counter() == "Boîte d'envoi : 1 en échec")
    view = desk.view()
    assert row_texts(view, 0)[2:] == ["Refusé", messages.SEND_DRAFT_LOST.text()]
    desk.retry(view, row.id)

    assert received_by_bob(qtbot, server, row.message_id) == 1


def test_rows_are_as_tall_as_their_wrapped_text_and_fit_again_when_resized(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread
) -> None:
    server.sandbox.refusals.drafts_lost = 4  # the longest reason the server gives, twice
    desk.send(message("Ordonnance de sortie"))
    desk.send(message("Compte rendu"))
    view = desk.view()
    assert row_texts(view, 0)[3] == messages.SEND_DRAFT_LOST.text()
    qtbot.waitUntil(lambda: fits_its_text(view, 0) and fits_its_text(view, 1))
    wide = view.table.rowHeight(0)
    view.resize(640, 400)  # the reason's column narrower: more lines
    qtbot.waitUntil(lambda: fits_its_text(view, 0) and view.table.rowHeight(0) > wide)
    view.table.horizontalHeader().resizeSection(SUBJECT, 120)  # dragged by the user
    qtbot.waitUntil(lambda: fits_its_text(view, 0) and fits_its_text(view, 1))


def test_the_keyboard_selects_the_row_it_is_on_and_the_actions_follow(
    qtbot: QtBot, desk: OutboxDesk, server: ServerThread
) -> None:
    server.sandbox.refusals.drafts_lost = 4
    desk.send(message("Ordonnance de sortie"))
    desk.send(message("Compte rendu"))
    first, second = desk.session.outbox_list()
    view = desk.view()
    # The list has the keyboard once the view is active: its first message is the one selected.
    qtbot.waitUntil(view.table.hasFocus)
    assert view.selected() == first
    assert view.retry_button.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected() == second
    assert view.edit_button.isEnabled()
