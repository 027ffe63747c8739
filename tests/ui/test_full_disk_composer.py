"""Issue 17 §2 in the composer: on a full disk (a real tmpfs, the real cache, the sandbox) the
autosave says so in French and never claims « Brouillon enregistré »; a close waits for its save
and, when it fails, the window stays open with the text; a send that cannot be queued leaves the
window open with its text and nothing half-queued. Once space is freed, all of it goes through."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from app.store.records import Address
from server.testing import ServerThread
from tests.faults.disk import SmallDisk, small_disk
from tests.ui.composer_helpers import styled
from tests.ui.conftest import GP_LOGIN, opened_session
from tests.ui.desktop_helpers import OFFSCREEN_RAISE
from ui.composer.composer import Composer
from ui.shell.main_window import MainWindow

SHOTS = os.environ.get("MONSISRA_SHOTS")  # a folder: the windows are saved there (review only)
FULL = "Impossible d'écrire sur le disque"
KARIM = Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")
# Longer than a free page of the cache: a save on a full disk must grow a file.
TEXT = "Tension a 15/9 ce matin, a revoir dans 8 jours. " * 200


@pytest.fixture
def on_disk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, tmp_path: Path
) -> Iterator[tuple[SmallDisk, AccountSession]]:
    """The demo GP's session (no background sync) with its data folder on a 16 MB tmpfs."""
    with (
        small_disk(tmp_path / "disk", 16 * 1024 * 1024) as disk,
        opened_session(qtbot, demo_server.base_url, disk.root / "data", GP_LOGIN) as session,
    ):
        yield disk, session
        disk.free()  # the session closes on a disk with room, as after the user freed some


def _composer(qtbot: QtBot, session: AccountSession, width: int = 900) -> Composer:
    composer = styled(Composer(session))
    assert isinstance(composer, Composer)
    qtbot.addWidget(composer)
    composer.resize(width, 640)
    composer.show()
    qtbot.waitExposed(composer)
    return composer


def _shows_disk_full(composer: Composer) -> bool:
    return composer.notice.isVisible() and FULL in composer.notice.text()


def _shoot(composer: Composer, name: str) -> None:
    if SHOTS:
        composer.grab().save(str(Path(SHOTS) / name))


def test_the_autosave_on_a_full_disk_says_so_then_saves_once_space_is_freed(
    qtbot: QtBot, on_disk: tuple[SmallDisk, AccountSession]
) -> None:
    disk, session = on_disk
    composer = _composer(qtbot, session)
    composer.to_field.add(KARIM)
    qtbot.keyClicks(composer.subject_edit, "Suivi tensionnel")
    disk.fill(leave=0)
    composer.body.insertPlainText(TEXT)
    qtbot.waitUntil(lambda: _shows_disk_full(composer), timeout=15_000)
    assert "Libérez de l'espace" in composer.notice.text()
    assert composer.notice.textFormat() == Qt.TextFormat.PlainText
    assert composer.draft_label.text() == "Brouillon non enregistré"
    assert composer.unsaved
    assert session.drafts() == []  # nothing half-saved
    _shoot(composer, "composer-disk-full.png")

    disk.free()
    qtbot.keyClicks(composer.body, " Appeler.")
    qtbot.waitUntil(lambda: composer.draft_label.text() == "Brouillon enregistré", timeout=15_000)
    assert not composer.notice.isVisible()  # no longer true: gone
    assert not composer.unsaved
    [saved] = session.drafts()
    assert saved.payload["body"].startswith(TEXT)
    assert saved.payload["body"].endswith(" Appeler.")


def test_closing_on_a_full_disk_keeps_the_window_and_its_text_then_closes_once_saved(
    qtbot: QtBot, on_disk: tuple[SmallDisk, AccountSession]
) -> None:
    disk, session = on_disk
    composer = _composer(qtbot, session, width=600)  # a narrow window: the sentence wraps
    composer.to_field.add(KARIM)
    qtbot.keyClicks(composer.subject_edit, "Suivi tensionnel")
    qtbot.keyClicks(composer.body, "Premier jet.")
    composer.save_draft()
    qtbot.waitUntil(lambda: not composer.unsaved, timeout=15_000)

    disk.fill(leave=0)
    composer.body.insertPlainText(TEXT)  # typed since the last good save
    composer.close()  # the save starts at once, the window waits for it
    assert composer.isVisible()
    qtbot.waitUntil(lambda: _shows_disk_full(composer), timeout=15_000)
    assert composer.isVisible()  # the save failed: still open, with the text
    assert composer.body.toPlainText().endswith(TEXT)
    assert composer.draft_label.text() == "Brouillon non enregistré"
    assert composer in Composer._open
    [kept] = session.drafts()
    assert kept.payload["body"].startswith("Premier jet.")  # the last good save, whole
    _shoot(composer, "composer-narrow-disk-full.png")

    composer.close()  # again, still full: again open
    qtbot.waitUntil(lambda: composer.draft_label.text() == "Brouillon non enregistré")
    assert composer.isVisible()

    disk.free()
    composer.close()
    qtbot.waitUntil(lambda: not composer.isVisible(), timeout=15_000)
    assert composer not in Composer._open
    [saved] = session.drafts()
    assert saved.payload["body"].endswith(TEXT)


def test_sending_on_a_full_disk_keeps_the_window_and_queues_nothing_then_sends(
    qtbot: QtBot, on_disk: tuple[SmallDisk, AccountSession]
) -> None:
    disk, session = on_disk
    composer = _composer(qtbot, session)
    sent: list[str] = []
    composer.sent.connect(sent.append)
    composer.to_field.add(KARIM)
    qtbot.keyClicks(composer.subject_edit, "Suivi tensionnel")
    composer.body.insertPlainText(TEXT)
    composer.save_draft()
    qtbot.waitUntil(lambda: not composer.unsaved, timeout=15_000)

    disk.fill(leave=0)
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _shows_disk_full(composer), timeout=15_000)
    assert not composer.sending
    assert composer.isVisible()
    assert composer.body.toPlainText().startswith(TEXT)
    assert composer.send_button.isEnabled()  # the user can try again
    assert sent == []
    assert session.outbox_list() == []  # nothing half-queued
    assert len(session.drafts()) == 1  # the draft still there
    _shoot(composer, "composer-send-disk-full.png")

    disk.free()
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=15_000)
    qtbot.waitUntil(lambda: not composer.isVisible(), timeout=15_000)
    assert [r.id for r in session.outbox_list()] == sent
    qtbot.waitUntil(lambda: session.drafts() == [], timeout=15_000)


@OFFSCREEN_RAISE  # the main window raises the composer it opens
def test_closing_the_main_window_on_a_full_disk_waits_and_keeps_the_composer_then_closes(
    qtbot: QtBot, on_disk: tuple[SmallDisk, AccountSession]
) -> None:
    disk, session = on_disk
    win = MainWindow(session, restore_drafts=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    composer = win.compose()
    assert isinstance(composer, Composer)
    qtbot.waitExposed(composer)
    closed: list[bool] = []
    win.closed.connect(lambda: closed.append(True))
    composer.to_field.add(KARIM)
    disk.fill(leave=0)
    composer.body.insertPlainText(TEXT)

    win.close()  # quitting: the draft's save fails, both stay open
    qtbot.waitUntil(lambda: _shows_disk_full(composer), timeout=15_000)
    assert composer.isVisible()
    assert win.isVisible()
    assert closed == []
    assert session.drafts() == []

    disk.free()
    win.close()  # space freed: saved, then both close
    qtbot.waitUntil(lambda: closed == [True], timeout=15_000)
    qtbot.waitUntil(lambda: win.composers == [], timeout=15_000)  # closed, then deleted
    assert not win.isVisible()
    [saved] = session.drafts()
    assert saved.payload["body"].startswith(TEXT)
