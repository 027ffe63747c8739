"""Helpers of the composer tests: real drops from the "file manager", the composer's style sheet
(so that a bad rule warns, and warnings fail), and what a recipient finds in their inbox on the
sandbox (asked over HTTP with their own token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from server.testing import ServerThread
from tests.server.conftest import User
from tests.ui.server_probe import Probe
from ui import theme


def styled(widget: QWidget) -> QWidget:
    widget.setStyleSheet((theme.resources_dir() / "composer.qss").read_text(encoding="utf-8"))
    return widget


def drop_files(target: QWidget, paths: list[Path]) -> tuple[bool, bool]:
    """Sends a real drag-enter then drop of these files; returns whether each was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    # PySide6 6.11 (pinned) builds a drag-enter from a QPoint only; 6.12 wants a QPointF there.
    position = QPoint(40, 40)
    enter = QDragEnterEvent(
        position,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(
        QPointF(position),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return enter.isAccepted(), drop.isAccepted()


def inbox_emails(server: ServerThread, user: User, subject: str) -> list[dict[str, Any]]:
    """The emails with this subject in `user`'s mailboxes, with their attachments' types."""
    with Probe(server, user) as probe:
        responses = probe.call(
            ["Email/query", {"accountId": probe.account, "filter": {"subject": subject}}, "q"],
            [
                "Email/get",
                {
                    "accountId": probe.account,
                    "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                    "properties": ["subject", "from", "to", "mailboxIds", "attachments"],
                    "bodyProperties": ["name", "type", "size", "header:Content-Description:asText"],
                },
                "g",
            ],
        )
    emails: list[dict[str, Any]] = responses[1][1]["list"]
    return emails
