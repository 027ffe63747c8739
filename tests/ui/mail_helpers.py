"""Shared pieces of the mail window tests: a window on the demo GP's synced cache, and a
recorder for the URLs the app hands to the system (QDesktopServices.setUrlHandler)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from app.store import mail
from app.sync.engine import INITIAL_STATE_KEY
from ui.shell.main_window import MainWindow


def synced(session: AccountSession) -> bool:
    """The initial sync is over: every message is in the cache, with its patient (read from the
    IHE_XDM.ZIP packages after the messages)."""
    with session.account.cache.read() as conn:
        return (
            mail.get_state(conn, "Email") is not None
            and mail.get_state(conn, INITIAL_STATE_KEY) is None
            and not mail.emails_missing_patient(conn, 1)
        )


class UrlRecorder(QObject):
    """Receives what QDesktopServices.openUrl would give the system's browser or viewer."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def record(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened_urls() -> Iterator[UrlRecorder]:
    recorder = UrlRecorder()
    for scheme in ("http", "https", "file"):
        QDesktopServices.setUrlHandler(scheme, recorder, "record")
    yield recorder
    for scheme in ("http", "https", "file"):
        QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture
def window(qtbot: QtBot, ui_session: AccountSession) -> Iterator[MainWindow]:
    qtbot.waitUntil(lambda: synced(ui_session), timeout=30_000)
    win = MainWindow(ui_session, restore_drafts=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def a_pdf(session: AccountSession) -> tuple[str, str, str, int]:
    """(blob id, name, type, size) of a PDF document in the cache, for open_document."""
    with session.account.cache.read() as conn:
        return next(
            (a.blob_id, a.name or "document.pdf", a.type, a.size)
            for email_id in sorted(mail.email_ids(conn))
            if (email := mail.get_email(conn, email_id)) is not None
            for a in email.attachments
            if a.type == "application/pdf"
        )


def load_all(win: MainWindow) -> None:
    model = win.conversations.model
    while model.canFetchMore(model.index(0).parent()):
        model.fetchMore(model.index(0).parent())


def row_where(win: MainWindow, predicate: object) -> int:
    """The first row whose summary satisfies `predicate` (every page loaded first)."""
    load_all(win)
    model = win.conversations.model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and predicate(summary):  # type: ignore[operator]
            return row
    raise AssertionError("no such row in the list")


def open_message(qtbot: QtBot, window: MainWindow, subject: str) -> None:
    """Waits until the list holds the message titled `subject` (the sync brings it), selects it
    and waits until the reader shows it."""

    def listed() -> bool:
        try:
            row_where(window, lambda s: s.subject == subject)
        except AssertionError:
            return False
        return True

    qtbot.waitUntil(listed, timeout=20_000)
    window.conversations.select_row(row_where(window, lambda s: s.subject == subject))
    qtbot.waitUntil(lambda: bool(window.reader.cards), timeout=10_000)
