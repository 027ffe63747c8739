"""Delivery status through the windows (issue 14 §2): the reader says where a message I sent
stands for each recipient (a failure in the error colour), and the Envoyés list shows a compact
status with the per-recipient detail in its tooltip."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.message.compose import OutgoingMessage
from app.records import Address
from app.session import AccountSession
from server.testing import ServerThread
from tests.app.test_delivery_status import OUTSIDE, deliver_to_alice, dsn
from tests.server.conftest import ALICE, BOB
from tests.ui.conftest import run_sync
from ui import theme
from ui.mail.conversation_delegate import STATUS, ConversationDelegate
from ui.mail.conversation_model import ConversationModel
from ui.mail.reader import ReaderView

LONG_NAME = "Dr Marie-Amélie de La Tour-Fontaine-Beauregard, service de cardiologie pédiatrique"


def test_the_reader_and_the_sent_list_say_where_the_message_stands(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, server: ServerThread, tmp_path: Path
) -> None:
    alice = run_sync(
        qtbot, AccountSession.open(tmp_path / "a", server.base_url, ALICE.login, ALICE.password)
    )
    try:
        me = run_sync(qtbot, alice.own_address())
        message = OutgoingMessage(
            me,
            [Address(BOB.name, BOB.email), Address(LONG_NAME, OUTSIDE)],
            subject="Compte rendu d'échographie",
            text="Compte rendu joint.",
        )
        outbox_id = run_sync(qtbot, alice.send(message))
        row = alice.outbox_row(outbox_id)
        assert row is not None
        deliver_to_alice(server, dsn(row.message_id.strip("<>"), [(OUTSIDE, "failed", "5.1.1")]))
        run_sync(qtbot, alice.sync_once())
        record = alice.email_by_message_id(row.message_id)
        assert record is not None

        view = ReaderView(alice)
        qtbot.addWidget(view)
        view.resize(900, 600)
        view.show()
        view.show_thread(record.thread_id, record.id, mark_read=False)
        [card] = view.cards
        assert card.read_status is not None
        lines = [(label.objectName(), label.text()) for label in card.read_status.lines]
        assert lines[0][0] == "deliveryLine"
        assert lines[0][1].startswith(f"Remis à {BOB.name} le ")
        assert lines[1] == ("deliveryFailed", f"Non distribué à {LONG_NAME} : adresse inconnue")
        assert card.read_status.lines[1].isVisible()
        # The stylesheet of the mail pages gives the failure the error colour.
        view.setStyleSheet((theme.resources_dir() / "mail.qss").read_text(encoding="utf-8"))
        failed, delivered = card.read_status.lines[1], card.read_status.lines[0]
        failed.ensurePolished()
        delivered.ensurePolished()
        assert failed.palette().color(failed.foregroundRole()).name() == "#b42318"
        assert delivered.palette().color(delivered.foregroundRole()).name() != "#b42318"

        [sent] = [m for m in alice.mailboxes() if m.role == "sent"]
        model = ConversationModel(alice)
        model.set_query(sent.id, show_recipients=True)
        list_view = QListView()
        qtbot.addWidget(list_view)
        list_view.setModel(model)
        delegate = ConversationDelegate(model)
        list_view.setItemDelegate(delegate)
        list_view.resize(420, 300)
        list_view.show()
        index = model.index(model.row_of(record.thread_id))
        tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert f"Remis à {BOB.name} le " in tooltip
        assert f"Non distribué à {LONG_NAME} : adresse inconnue" in tooltip
        assert [s.state for s in model.delivery(record.thread_id)] == ["delivered", "failed"]
        # The row is painted with the « Non distribué » pill, in the failure's colours.
        image = QImage(420, 80, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        option = QStyleOptionViewItem()
        option.rect = QRect(0, 0, 420, 80)
        option.state = QStyle.StateFlag.State_Enabled
        painter = QPainter(image)
        delegate.paint(painter, option, index)
        painter.end()
        background = STATUS["failed"][0].name()
        assert any(
            image.pixelColor(x, y).name() == background for x in range(420) for y in range(0, 30)
        )

        # In the Inbox, no status is drawn nor read.
        [inbox] = [m for m in alice.mailboxes() if m.role == "inbox"]
        model.set_query(inbox.id, show_recipients=False)
        assert all(model.delivery(t) == [] for t in model.ids())
    finally:
        run_sync(qtbot, alice.close())
