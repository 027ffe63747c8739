"""Instant local search (offline too), the status bar, and events reaching the UI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QThread
from pytestqt.qtbot import QtBot

from app.events import ConnectionChanged, OutboxChanged, SyncProgress
from app.messages import Message
from app.session import AccountSession
from server.testing import ServerThread
from tests.ui import mail_helpers
from ui.mail.search import DEBOUNCE_MS
from ui.plain import plain_tooltip
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # the fixture


def test_search_finds_messages_offline_and_escape_goes_back(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    model = window.conversations.model
    inbox_rows = model.rowCount()
    assert window.status.connection.text() == "En ligne"
    demo_server.stop()

    def offline() -> bool:
        ui_session.sync_now()  # "Synchroniser" (F5): the engine finds the server gone
        return window.status.connection.text() == "Hors connexion"

    qtbot.waitUntil(offline, timeout=30_000)
    assert window.status.dot.property("online") is False

    window.focus_search()
    qtbot.keyClicks(window.search, "vaccination")
    assert model.search_text is None  # debounced: nothing yet
    qtbot.waitUntil(lambda: model.search_text == "vaccination", timeout=DEBOUNCE_MS * 5)
    assert 1 <= model.rowCount() < inbox_rows
    subjects = [s.subject for row in range(model.rowCount()) if (s := model.summary(row))]
    assert any("vaccination" in s.lower() for s in subjects)
    assert "résultat" in window.conversations.title.text()
    # Typing on restarts the wait; capitals do not matter.
    window.search.clear()
    qtbot.keyClicks(window.search, "VACCI")
    qtbot.keyClicks(window.search, "NATION")
    qtbot.waitUntil(lambda: model.search_text == "VACCINATION", timeout=DEBOUNCE_MS * 5)
    again = [s.subject for row in range(model.rowCount()) if (s := model.summary(row))]
    assert again == subjects

    window.conversations.select_row(0)
    qtbot.waitUntil(lambda: len(window.reader.cards) >= 1)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert model.search_text is None
    assert model.rowCount() == inbox_rows
    assert window.conversations.title.text() == "Boîte de réception"

    qtbot.keyClicks(window.search, "zzqxwv")
    qtbot.waitUntil(lambda: model.search_text == "zzqxwv", timeout=DEBOUNCE_MS * 5)
    assert model.rowCount() == 0
    assert window.conversations.empty.isVisibleTo(window)


def test_events_from_other_threads_reach_the_status_bar(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    status = window.status
    assert not status.outbox.isVisibleTo(window)
    seen_on: list[QThread] = []
    status.bridge.outboxChanged.connect(lambda _e: seen_on.append(QThread.currentThread()))

    def publish() -> None:  # as the store's writer thread would
        ui_session.bus.publish(SyncProgress("initial", 40, 100))
        ui_session.bus.publish(OutboxChanged(pending=2, failed=1))

    worker = threading.Thread(target=publish)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: status.outbox.isVisibleTo(window))
    assert seen_on == [window.thread()]  # the slot ran on the UI thread
    assert status.outbox.text() == "Boîte d'envoi : 2 en attente · 1 en échec"
    assert status.outbox.property("failed") is True
    assert status.progress.isVisibleTo(window)
    assert (status.progress.value(), status.progress.maximum()) == (40, 100)
    ui_session.bus.publish(SyncProgress("initial", 100, 100))
    qtbot.waitUntil(lambda: not status.progress.isVisibleTo(window))
    assert status.last_sync.text().startswith("Synchronisé à ")
    # A click lists the outbox (nothing really waiting in this account's cache).
    dialog = status.show_outbox()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.retry_button.isEnabled()
    dialog.close()
    ui_session.bus.publish(OutboxChanged(pending=0, failed=0))
    qtbot.waitUntil(lambda: not status.outbox.isVisibleTo(window))


def test_closing_the_window_stops_listening_to_the_session(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert closed == [True]
    received: list[object] = []
    window.bridge.outboxChanged.connect(received.append)
    ui_session.bus.publish(OutboxChanged(pending=1, failed=0))
    qtbot.wait(50)
    assert received == []


def test_the_reason_of_a_lost_connection_is_shown_as_plain_text(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    """The reason may name an address a server gave (a refused Session): never markup."""
    reason = "Le serveur demande d'envoyer vos identifiants à <img src=/dev/zero> : refusé."
    ui_session.bus.publish(ConnectionChanged(False, Message.said(reason)))
    qtbot.waitUntil(lambda: window.status.connection.text() == "Hors connexion")
    assert window.status.connection.toolTip() == plain_tooltip(reason)
    assert "&lt;img" in window.status.connection.toolTip()
