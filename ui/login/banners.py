"""The login window's sentences: calm banners (a notice, offline, an error, the lock), the demo
hint, and the word-wrapped text they use.

A sentence here may be long (the core's reasons quote a certificate's names or an address a server
gave) and the login card has a fixed width: word-wrapped labels must take the lines they need, so
the label follows its width and the window grows to fit once one is shown (`grow_to_fit`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from ui import theme
from ui.plain import PlainLabel


@dataclass(frozen=True)
class DemoHint:
    """The demo account, pre-filled and shown (only ever a sandbox's published demo login)."""

    login: str
    password: str

    @classmethod
    def parse(cls, text: str) -> DemoHint:
        """From `{"login": …, "password": …}` or a sandbox's start line (`{"accounts": […]}`)."""
        doc = json.loads(text)
        if isinstance(doc, dict) and isinstance(doc.get("accounts"), list) and doc["accounts"]:
            doc = doc["accounts"][0]
        if not (
            isinstance(doc, dict)
            and isinstance(doc.get("login"), str)
            and isinstance(doc.get("password"), str)
        ):
            raise ValueError("a demo hint needs a login and a password")
        return cls(doc["login"], doc["password"])


class WrappedText(PlainLabel):
    """Word-wrapped plain text whose minimum height follows its width. Inside the fixed-width
    card, layouts would otherwise give it the height of a guessed width and cut the sentence."""

    def setText(self, text: str | None) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        needed = self.heightForWidth(self.width()) if self.width() > 0 else -1
        if needed >= 0:  # -1: nothing to wrap yet
            self.setMinimumHeight(needed)


class Banner(QFrame):
    """A calm band with an icon and a sentence (kinds: info, offline, error; see style.qss)."""

    def __init__(self, kind: str, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("banner", kind)
        self.setObjectName(f"{kind}Banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(8)
        icon = PlainLabel()
        icon.setPixmap(theme.icon(icon_name).pixmap(QSize(18, 18)))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = WrappedText()  # the core's sentences may quote a certificate's names
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        self.hide()

    def say(self, text: str) -> None:
        self.text.setText(text)
        self.show()
        grow_to_fit(self.window())


def grow_to_fit(window: QWidget) -> None:
    """A window does not grow for its word-wrapped labels. Called once one is shown, it grows to
    show the whole card — up to the screen's height, never past it: beyond, the card scrolls
    (the login form's content is in a scroll area) rather than going under the screen's edge."""
    content = window.findChild(QWidget, "loginContent")
    layout = content.layout() if content is not None else None
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.heightForWidth(window.width())
    screen = window.screen()
    if screen is not None:
        frame = window.frameGeometry().height() - window.height()
        needed = min(needed, screen.availableGeometry().height() - frame)
    if needed > window.height():
        window.resize(window.width(), needed)
