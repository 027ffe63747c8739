"""Qt's own messages into Python logging (the qutebrowser utils/qtlog idea): a Qt warning is a bug,
so it lands in the Journal and the log file with the rest instead of vanishing on stderr."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("monsisra.qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "qt"
    log.log(LEVELS.get(kind, logging.WARNING), "%s: %s", category, message)


def install() -> None:
    """Routes every Qt message through `handle` (idempotent)."""
    qInstallMessageHandler(handle)


def uninstall() -> None:
    qInstallMessageHandler(None)
