"""Alice's desk in the sending tests: her session on the sandbox with the main window's status bar
(the outbox counter, the undo countdowns, the outbox view) and nothing else of the window, so that
what is asserted is what the status bar says."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from server.testing import ServerThread
from tests.server.conftest import ALICE
from tests.ui.conftest import run_sync
from ui.bridge import EventBridge
from ui.mail.outbox import OutboxView
from ui.mail.status import StatusBar


@contextmanager
def alice_session(qtbot: QtBot, server: ServerThread, root: Path) -> Iterator[AccountSession]:
    """Alice's session on the sandbox (its files under `root`), closed when the block ends."""
    session = run_sync(
        qtbot, AccountSession.open(root, server.base_url, ALICE.login, ALICE.password)
    )
    try:
        yield session
    finally:
        run_sync(qtbot, session.close())


class Desk:
    """Alice's session (opened by the test's fixture), with the main window's status bar."""

    def __init__(self, qtbot: QtBot, session: AccountSession) -> None:
        self.qtbot = qtbot
        self.session = session
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.bridge = EventBridge(session.bus, self.window)
        self.status = StatusBar(session, self.bridge, self.window)
        layout = QVBoxLayout(self.window)
        layout.addStretch(1)
        layout.addWidget(self.status)
        self.window.resize(1100, 120)
        self.window.show()

    def counter(self) -> str:
        """The outbox counter as shown ("" when hidden)."""
        return self.status.outbox.text() if self.status.outbox.isVisible() else ""

    def countdowns(self) -> list[str]:
        """The undo delay's lines as shown, one per message held."""
        held = self.status.held
        if not held.isVisible():
            return []
        return [line.label.text() for line in held.lines.values()]

    def view(self) -> OutboxView:
        """The outbox view, opened from the status bar's counter."""
        view = self.status.show_outbox()
        self.qtbot.waitExposed(view)
        return view
