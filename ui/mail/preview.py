"""A thumbnail of a document under its chip in the reader — an image, or the first page of a PDF
(ui/mail/pdf_page.py) —, so that a photo of a wound or a letter is seen without opening a viewer.

The file comes through the chip's own private copy (`AttachmentChip.prepare`: the encrypted cache
first, the server otherwise), the one "Ouvrir" uses, so it is fetched once. An image is decoded off
the UI thread (`asyncio.to_thread`) and never whole when large: the dimensions the file declares are
read first and a file that claims more than `MAX_PIXELS` is refused before any pixel is decoded
(a 20,000 × 20,000 "bomb" would take 1.6 GB), then the reader scales while decoding where the
format allows (JPEG). A file that does not decode (truncated, lying about its type) shows
"Aperçu indisponible" — the document itself can still be opened or saved. A PDF is rendered by
PDFium on its own worker thread, with its own limits (ui/mail/pdf_page.py). Not cached and
offline: nothing is fetched until the user asks, so the reader does not promise what it cannot
show.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from app.records import AttachmentRecord
from app.session import AccountSession
from ui import tasks, theme
from ui.mail.documents import AttachmentChip
from ui.mail.pdf_page import load_first_page
from ui.plain import PlainLabel

PDF_TYPE = "application/pdf"
PREVIEWED_TYPES = frozenset({"image/png", "image/jpeg", PDF_TYPE})
THUMBNAIL_SIDE = 240  # px, the longer side at most
MAX_PIXELS = 50_000_000  # a 50-megapixel photo at most (200 MB decoded): any camera's


def previewable(chip: AttachmentChip) -> bool:
    """A document the reader may show: PNG, JPEG or PDF, and not a program dressed as one."""
    return not chip.runs_code and chip.attachment.type.lower() in PREVIEWED_TYPES


def thumbnail_size(declared: QSize, side: int = THUMBNAIL_SIDE) -> QSize:
    """The thumbnail's size: within `side` × `side`, aspect kept, never enlarged."""
    if declared.width() <= side and declared.height() <= side:
        return QSize(declared)
    return declared.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio)


def decode_thumbnail(path: Path, side: int = THUMBNAIL_SIDE) -> QImage | None:
    """The image at `path` at thumbnail size, or None when it cannot be shown safely (too large
    by its own header, unreadable, truncated). Runs in a worker thread: QImageReader is not tied
    to the UI thread."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    declared = reader.size()
    if not declared.isValid() or declared.width() * declared.height() > MAX_PIXELS:
        return None
    reader.setScaledSize(thumbnail_size(declared, side))
    image = reader.read()
    return None if image.isNull() else image


async def load_thumbnail(path: Path, side: int = THUMBNAIL_SIDE) -> QImage | None:
    return await asyncio.to_thread(decode_thumbnail, path, side)


async def load_pdf_thumbnail(
    session: AccountSession, attachment: AttachmentRecord, name: str, side: int = THUMBNAIL_SIDE
) -> QImage | None:
    """Page 1 of a PDF read in place from the encrypted cache (fetched into it first if needed):
    no decrypted copy on disk, only the blocks PDFium asks for in memory."""
    a = attachment
    content = await session.document_content(a.blob_id, name, a.type, a.size)
    with content:
        return await load_first_page(content, side)


def page_edge(page: QImage) -> QImage:
    """A page drawn with a grey edge, so that a white page stands out from the white card it lies
    on."""
    framed = page.copy()
    painter = QPainter(framed)
    painter.setPen(QColor(theme.MUTED))
    painter.drawRect(framed.rect().adjusted(0, 0, -1, -1))
    painter.end()
    return framed


class DocumentPreview(QWidget):
    """The thumbnail of `chip`'s document; a click opens the document, as the chip does."""

    def __init__(self, chip: AttachmentChip, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chip = chip
        self.setObjectName("documentPreview")
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 0, 0, 0)  # under the chip's text, past its icon
        column.setSpacing(4)
        self.picture = PlainLabel()
        self.picture.setObjectName("documentPreviewPicture")
        self.picture.setAccessibleName(self.tr("Aperçu de {name}").format(name=chip.name))
        self.picture.hide()
        column.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignLeft)
        self.status = PlainLabel()
        self.status.setObjectName("documentPreviewStatus")
        self.status.hide()
        column.addWidget(self.status, 0, Qt.AlignmentFlag.AlignLeft)
        self.show_button = QPushButton(self.tr("Afficher l'aperçu"))
        self.show_button.setObjectName("documentPreviewShow")
        self.show_button.setToolTip(
            self.tr("Le document n'est pas encore sur cet ordinateur : il sera téléchargé.")
        )
        self.show_button.clicked.connect(lambda _checked=False: self.load())
        self.show_button.hide()
        column.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.image: QImage | None = None
        self.loading = False  # fetching or drawing: neither the thumbnail nor a reason yet
        chip.fetchFailed.connect(self._unavailable)  # its reason is in the status bar
        if chip.available_offline or chip.session.online:
            self.load()
        else:
            self.show_button.show()

    def load(self) -> None:
        """An image: fetches the private copy (once, shared with the chip), then decodes it off
        the UI thread. A PDF: drawn from the cache, with no copy (`load_pdf_thumbnail`)."""
        self.show_button.hide()
        self.loading = True
        self._say(self.tr("Chargement de l'aperçu…"))
        if self.chip.attachment.type.lower() == PDF_TYPE:
            tasks.run(
                load_pdf_thumbnail(self.chip.session, self.chip.attachment, self.chip.name),
                self,
                self._drawn,
                self._fetch_failed,
            )
        else:
            self.chip.prepare(self._decode)

    def _decode(self, path: Path) -> None:
        tasks.run(load_thumbnail(path), self, self._show, self._unavailable)

    def _drawn(self, image: QImage | None) -> None:
        self.chip.show_availability()  # fetched for the preview, it is kept
        self._show(None if image is None else page_edge(image))

    def _fetch_failed(self, message: str) -> None:
        self.chip.notice.emit(message)  # the reason, in the status bar, as for "Ouvrir"
        self._unavailable()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def _show(self, image: QImage | None) -> None:
        self.loading = False
        if image is None:
            self._unavailable()
            return
        self.image = image
        self.picture.setPixmap(QPixmap.fromImage(image))
        self.picture.setFixedSize(image.size())
        self.picture.setCursor(Qt.CursorShape.PointingHandCursor)
        self.picture.setToolTip(self.tr("Cliquez pour ouvrir le document"))
        self.picture.show()
        self.status.hide()

    def _unavailable(self, _message: str = "") -> None:
        self.loading = False
        self.picture.hide()
        self._say(self.tr("Aperçu indisponible"))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.image is not None
            and self.picture.geometry().contains(event.position().toPoint())
        ):
            self.chip.open()
            return
        super().mouseReleaseEvent(event)
