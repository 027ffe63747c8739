"""The tray's count: the badge drawn on the icon, the tooltip, the window title, following the
inbox's unread count as messages are read and marked unread; and the tray's menu."""

from __future__ import annotations

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from tests.ui import mail_helpers
from tests.ui.conftest import run_sync
from ui import theme
from ui.desktop.tray import (
    BADGE_COLOR,
    ICON_SIZE,
    Tray,
    badge_pixmap,
    badge_text,
    tooltip_fr,
    window_title,
)
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture


def test_the_count_is_said_right_in_french() -> None:
    assert [badge_text(n) for n in (0, 1, 42, 99, 100, 12_345)] == [
        "",
        "1",
        "42",
        "99",
        "99+",
        "99+",
    ]
    assert tooltip_fr(0) == "MonSisra bureau — Aucun message non lu"
    assert tooltip_fr(1) == "MonSisra bureau — 1 message non lu"
    assert tooltip_fr(3) == "MonSisra bureau — 3 messages non lus"
    assert window_title(0) == "MonSisra bureau"
    assert window_title(3) == "(3) MonSisra bureau"


def test_the_badge_is_drawn_over_the_app_icon_only_when_there_is_something_unread() -> None:
    plain = badge_pixmap(theme.app_icon(), 0).toImage()
    badged = badge_pixmap(theme.app_icon(), 7).toImage()
    crowded = badge_pixmap(theme.app_icon(), 250).toImage()
    assert plain.width() == badged.width() == ICON_SIZE
    corner = (ICON_SIZE - 8, 16)  # inside the badge's round top right
    assert badged.pixelColor(*corner).name() == BADGE_COLOR
    assert plain.pixelColor(*corner).name() != BADGE_COLOR
    # The bottom left keeps the app icon as it is.
    assert badged.pixelColor(8, ICON_SIZE - 8) == plain.pixelColor(8, ICON_SIZE - 8)

    # "99+" needs a wider badge than "7": it starts further left.
    def left_edge(image: QImage) -> int:
        return min(x for x in range(ICON_SIZE) if image.pixelColor(x, 16).name() == BADGE_COLOR)

    assert left_edge(crowded) < left_edge(badged)


def test_count_tooltip_and_title_follow_reading_and_marking_unread(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    tray = Tray(use_system_tray=False)  # as where there is no tray: the same state, no icon
    assert tray.icon is None
    window.unreadChanged.connect(tray.set_unread)
    tray.set_unread(window.unread)
    before = ui_session.unread_total()
    assert before > 1
    assert tray.unread == before
    assert tray.tooltip == f"MonSisra bureau — {before} messages non lus"
    assert window.windowTitle() == f"({before}) MonSisra bureau"

    inbox = ui_session.mailbox_by_role("inbox")
    assert inbox is not None
    unread = [s.id for s in ui_session.summaries(ui_session.list_ids(inbox.id)) if s.unread][:2]
    run_sync(qtbot, ui_session.set_seen(unread, True))
    qtbot.waitUntil(lambda: tray.unread == before - 2)
    assert tray.tooltip == f"MonSisra bureau — {before - 2} messages non lus"
    assert window.windowTitle() == f"({before - 2}) MonSisra bureau"
    badge = tray.pixmap.toImage()
    # Somewhere in the top right quarter, wherever the digits of this count fall.
    corner = {
        badge.pixelColor(x, y).name()
        for x in range(ICON_SIZE // 2, ICON_SIZE)
        for y in range(ICON_SIZE // 2)
    }
    assert BADGE_COLOR in corner

    run_sync(qtbot, ui_session.set_seen(unread[:1], False))
    qtbot.waitUntil(lambda: tray.unread == before - 1)
    assert window.windowTitle() == f"({before - 1}) MonSisra bureau"

    tray.set_locked(True)  # locked: no count, nothing to write or lock
    assert tray.unread == 0
    assert tray.tooltip == "MonSisra bureau — Aucun message non lu"
    assert not tray.act_compose.isEnabled()
    assert not tray.act_lock.isEnabled()
    tray.close()


def test_the_tray_menu_offers_open_write_lock_and_quit(qtbot: QtBot) -> None:
    tray = Tray(use_system_tray=False)
    asked: list[str] = []
    for name in ("openRequested", "composeRequested", "lockRequested", "quitRequested"):
        getattr(tray, name).connect(lambda name=name: asked.append(name))
    labels = [a.text() for a in tray.menu.actions()]
    assert labels == ["Ouvrir MonSisra bureau", "Nouveau message", "Verrouiller", "", "Quitter"]
    tray.set_locked(False)
    for action in (tray.act_open, tray.act_compose, tray.act_lock, tray.act_quit):
        action.trigger()
    assert asked == ["openRequested", "composeRequested", "lockRequested", "quitRequested"]
    tray.close()
