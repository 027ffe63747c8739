"""A message body in the reader: sanitised HTML in a QTextBrowser that fetches nothing.

`loadResource` answers only `cid:` images (parts of the same message, from the encrypted cache) and
refuses every other URL; links open in the browser only when the user clicks them. A body longer
than the viewer can lay out at once is shown in part, and says so (`TruncatedNotice`): its whole
text can be copied or saved (the viewer would hold the window for seconds).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import (
    QImage,
    QResizeEvent,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QWidget,
)

from app.message.html import full_text, viewable
from app.records import EmailRecord
from ui import browser, tasks
from ui.mail.saving import ask_text_path, save_text
from ui.plain import PlainLabel

log = logging.getLogger("monsisra.ui.reader")


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


class MessageBody(QTextBrowser):
    """A message body that never reaches the network and grows to its content's height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBody")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(0)
        self.refused: list[str] = []  # every non-cid URL the document asked for
        self.images: dict[str, QImage] = {}  # cid → image of a part of this message
        self.truncated = False  # only the start of the body is shown
        self.anchorClicked.connect(self.open_link)

    def show_email(self, record: EmailRecord) -> None:
        body = viewable(record.html_body, record.text_body or record.preview or "")
        self.truncated = body.truncated
        self.setHtml(body.html)
        self.fit()

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        url = QUrl(url)
        if url.scheme().lower() == "cid" and url.path() in self.images:
            return self.images[url.path()]
        if url.scheme().lower() != "cid":
            self.refused.append(url.toString())
            log.info("resource refused (scheme %s)", url.scheme() or "none")
        # Something, never nothing: given nothing, Qt would try the URL as a local file name.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return _blank_image()
        return QByteArray()

    def add_image(self, cid: str, image: QImage) -> None:
        self.images[cid] = image
        self.document().addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl("cid:" + cid), image
        )
        self.setHtml(self.toHtml())
        self.fit()

    def open_link(self, url: QUrl) -> None:
        """Only what the user clicked, only web and mail links, in the system's browser."""
        if url.scheme().lower() in ("http", "https", "mailto"):
            browser.open_link(url, self)

    def fit(self) -> None:
        document = self.document()
        document.setTextWidth(max(1, self.viewport().width()))
        height = math.ceil(document.size().height()) + 2 * self.frameWidth() + 4
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """The reading pane scrolls, never the body inside it: a body that scrolled on its own by
        a few pixels hid its first line (its height is its text's, so it has nothing to show by
        scrolling). Shift+wheel still moves a wide table sideways."""
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        event.ignore()  # on to the reading pane's scroll area


class TruncatedNotice(QFrame):
    """Under a body shown in part: says so, and hands over its whole text (copied or saved)."""

    notice = Signal(str)
    # Replaced in tests: (parent, suggested name) → chosen path, "" when cancelled.
    ask_save_path: Callable[[QWidget, str], str] = staticmethod(ask_text_path)

    def __init__(self, record: EmailRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.setObjectName("truncatedNotice")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(8)
        self.label = PlainLabel(
            self.tr(
                "Message tronqué à l'affichage : il est trop long pour être affiché en entier. "
                "Son texte complet peut être copié ou enregistré."
            )
        )
        self.label.setObjectName("truncatedText")
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.copy_button = QPushButton(self.tr("Copier le texte complet"))
        self.copy_button.clicked.connect(lambda _checked=False: self.copy())
        self.save_button = QPushButton(self.tr("Enregistrer le texte complet…"))
        self.save_button.clicked.connect(lambda _checked=False: self.save_as())
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)

    def copy(self) -> None:
        r = self.record
        tasks.run(
            asyncio.to_thread(full_text, r.html_body, r.text_body),
            self,
            self._copied,
            self.notice.emit,
        )

    def _copied(self, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.notice.emit(self.tr("Texte complet du message copié."))

    def save_as(self) -> None:
        chosen = self.ask_save_path(self, self.tr("Texte du message.txt"))
        if not chosen:
            return
        r = self.record
        tasks.change(
            asyncio.to_thread(save_text, Path(chosen), r.html_body, r.text_body),
            self,
            lambda path: self.notice.emit(
                self.tr("Texte du message enregistré : {name}").format(name=path.name)
            ),
            self.notice.emit,
        )
