"""The tray icon: the unread count drawn on the app icon, a tooltip that says it, a small menu
(Ouvrir, Nouveau message, Verrouiller, Quitter) and the notifications' balloons.

Notifications quote senders and, when allowed, subjects: what reaches the platform goes through
`notification_text` (no markup a notification server would read, no bidirectional controls).

The count also goes to the window title ("(3) MonSisra bureau") and to the platform's own badge
(taskbar, dock) where Qt has one. Where there is no system tray (some Linux desktops, the
offscreen platform of the tests) `Tray` keeps the same state without an icon on screen, so the
logic stays testable and the title still shows the count.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ui import theme
from ui.plain import notification_text, plain_tooltip

log = logging.getLogger("monsisra.ui.tray")

APP_TITLE = "MonSisra bureau"
BADGE_COLOR = "#c2410c"  # a warm orange-red: visible on light and dark panels
ICON_SIZE = 64
MESSAGE_MS = 8_000
KEEP_SHOWN = 50


def badge_text(unread: int) -> str:
    """What the badge says: nothing at 0, "99+" past 99."""
    if unread <= 0:
        return ""
    return "99+" if unread > 99 else str(unread)


def tooltip_fr(unread: int) -> str:
    if unread <= 0:
        count = QCoreApplication.translate("Tray", "Aucun message non lu")
    elif unread == 1:
        count = QCoreApplication.translate("Tray", "1 message non lu")
    else:
        count = QCoreApplication.translate("Tray", "{n} messages non lus").format(n=unread)
    return f"{APP_TITLE} — {count}"


def window_title(unread: int, base: str = APP_TITLE) -> str:
    return f"({unread}) {base}" if unread > 0 else base


def badge_pixmap(base: QIcon, unread: int, size: int = ICON_SIZE) -> QPixmap:
    """The app icon with the count in a round badge at its top right."""
    pixmap = base.pixmap(size, size)
    if pixmap.isNull():
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(theme.ACCENT))
    text = badge_text(unread)
    if not text:
        return pixmap
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(theme.FONT_FAMILY)
    font.setBold(True)
    font.setPixelSize(int(size * (0.34 if len(text) < 3 else 0.27)))
    painter.setFont(font)
    height = size * 0.56
    width = max(height, painter.fontMetrics().horizontalAdvance(text) + size * 0.2)
    rect = QRectF(size - width, 0, width, height)
    painter.setPen(QColor("#ffffff"))
    painter.setBrush(QColor(BADGE_COLOR))
    painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), height / 2, height / 2)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


@dataclass(frozen=True)
class Notification:
    """A balloon: its title and text (already free of patient data unless allowed), and the
    messages it is about (the first is opened when it is clicked)."""

    title: str
    text: str
    email_ids: tuple[str, ...]


class Tray(QObject):
    """The app's presence in the system tray. Signals ask the controller to act."""

    openRequested = Signal()
    composeRequested = Signal()
    lockRequested = Signal()
    quitRequested = Signal()
    messageClicked = Signal()

    def __init__(self, parent: QObject | None = None, use_system_tray: bool | None = None) -> None:
        super().__init__(parent)
        available = (
            QSystemTrayIcon.isSystemTrayAvailable() if use_system_tray is None else use_system_tray
        )
        self.unread = 0
        self.tooltip = tooltip_fr(0)
        self.pixmap = badge_pixmap(theme.app_icon(), 0)
        self.shown: list[Notification] = []  # the last balloons asked for
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.act_open = self.menu.addAction(
            theme.app_icon(), QCoreApplication.translate("Tray", "Ouvrir MonSisra bureau")
        )
        self.act_compose = self.menu.addAction(
            theme.icon("action-compose"), QCoreApplication.translate("Tray", "Nouveau message")
        )
        self.act_lock = self.menu.addAction(
            theme.icon("lock"), QCoreApplication.translate("Tray", "Verrouiller")
        )
        self.menu.addSeparator()
        self.act_quit = self.menu.addAction(
            theme.icon("quit"), QCoreApplication.translate("Tray", "Quitter")
        )
        self.act_open.triggered.connect(self.openRequested)
        self.act_compose.triggered.connect(self.composeRequested)
        self.act_lock.triggered.connect(self.lockRequested)
        self.act_quit.triggered.connect(self.quitRequested)
        self.icon: QSystemTrayIcon | None = None
        if available:
            self.icon = QSystemTrayIcon(QIcon(self.pixmap), self)
            self.icon.setToolTip(plain_tooltip(self.tooltip))
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.messageClicked.connect(self.messageClicked)
            self.icon.show()
        else:
            log.info("no system tray here: the unread count shows in the window title only")
        self.set_locked(True)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.openRequested.emit()

    def set_locked(self, locked: bool) -> None:
        """Locked (or not logged in): nothing to write or lock; no count shown."""
        self.act_compose.setEnabled(not locked)
        self.act_lock.setEnabled(not locked)
        if locked:
            self.set_unread(0)

    def set_unread(self, unread: int) -> None:
        self.unread = max(0, unread)
        self.tooltip = tooltip_fr(self.unread)
        self.pixmap = badge_pixmap(theme.app_icon(), self.unread)
        if self.icon is not None:
            self.icon.setIcon(QIcon(self.pixmap))
            self.icon.setToolTip(plain_tooltip(self.tooltip))
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.setBadgeNumber(self.unread)  # taskbar / dock, where the platform has one

    def show_message(self, notification: Notification) -> None:
        """Hands the balloon to the platform, as `notification_text` makes it (`shown` keeps
        what was handed)."""
        balloon = Notification(
            notification_text(notification.title),
            notification_text(notification.text),
            notification.email_ids,
        )
        self.shown.append(balloon)
        del self.shown[:-KEEP_SHOWN]
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(
                balloon.title, balloon.text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS
            )

    def close(self) -> None:
        if self.icon is not None:
            self.icon.hide()
        self.menu.deleteLater()
