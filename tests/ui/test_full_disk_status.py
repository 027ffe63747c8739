"""Issue 17 §2 on the desktop: the main window's status bar says, in French, that the disk is
full while the background sync cannot write, and the line goes once there is room again."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from server.testing import ServerThread
from tests.faults.disk import small_disk
from tests.ui.conftest import GP_LOGIN, opened_session
from ui.shell.main_window import MainWindow

SHOTS = os.environ.get("MONSISRA_SHOTS")  # a folder: the window is saved there (review only)


def test_the_status_bar_says_the_disk_is_full_during_a_sync_then_clears(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, demo_server: ServerThread, tmp_path: Path
) -> None:
    with (
        small_disk(tmp_path / "disk", 16 * 1024 * 1024) as disk,
        opened_session(qtbot, demo_server.base_url, disk.root / "data", GP_LOGIN) as session,
    ):
        win = MainWindow(session, restore_drafts=False)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        notice = win.status.disk_notice
        assert not notice.isVisible()
        disk.fill(leave=64 * 1024)
        session.start()
        qtbot.waitUntil(notice.isVisible, timeout=30_000)
        assert "Impossible d'écrire sur le disque" in notice.text()
        assert "Libérez de l'espace" in notice.text()
        assert not win.status.progress.isVisible()
        assert not win.status.last_sync.isVisible()  # no "Synchronisé à" while nothing is written
        if SHOTS:
            win.grab().save(str(Path(SHOTS) / "status-disk-full.png"))
        disk.free()
        session.sync_now()
        qtbot.waitUntil(lambda: not notice.isVisible(), timeout=30_000)
        qtbot.waitUntil(lambda: session.unread_total() > 0, timeout=30_000)
        assert win.status.last_sync.isVisible()
        if SHOTS:
            win.grab().save(str(Path(SHOTS) / "status-disk-freed.png"))
        win.close()
