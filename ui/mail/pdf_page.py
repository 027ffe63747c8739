"""The first page of a PDF as a thumbnail, rendered by PDFium (pypdfium2, Apache-2.0/BSD: Qt's
own PDF module is not in PySide6 Essentials), for the reader's document previews.

A PDF is the document a GP receives most, and the one most often sent by strangers, so it is
treated as hostile:
- PDFium reads the document in place, block by block as it needs them: from the encrypted cache
  (`AccountSession.document_content`, `FPDF_LoadCustomDocument`), so nothing decrypted is
  written to disk for a preview, or from a file's path; a 200 MB PDF is never loaded whole into
  memory;
- the page's size is checked before anything is drawn: a page larger than PDF itself allows
  (14,400 units a side, ISO 32000-1 annex C), empty, or a strip that would be a line of pixels is
  refused; otherwise the page is scaled into `side` × `side`, so the bitmap is never larger;
- drawing is progressive with a deadline (`FPDF_RenderPageBitmap_Start` and an IFSDK_PAUSE that
  asks PDFium to stop once `RENDER_SECONDS` have passed): a page of a million drawing operators
  is given up, not waited for;
- a corrupt file, one that needs a password, or one PDFium cannot render gives None, which the
  reader shows as "Aperçu indisponible"; nothing is logged (a document's name may name a patient).

PDFium is not thread-safe: every call goes through one dedicated worker thread (`PDFIUM`), never
the UI thread, never two at once. pypdfium2 is imported there, on the first preview, so the
library costs nothing to a session that never shows a PDF.
"""

from __future__ import annotations

import asyncio
import ctypes
import io
import math
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtGui import QImage

MAX_PAGE_UNITS = 14_400.0  # PDF's own limit for a page side, in units of 1/72 in (200 in)
MAX_ASPECT = 20.0  # longer side / shorter side: past it, a thumbnail is a line of pixels
RENDER_SECONDS = 3.0  # drawing the first page, at most

# The one thread that calls PDFium (it is not thread-safe).
PDFIUM = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdfium")


def page_pixels(width: float, height: float, side: int) -> tuple[int, int] | None:
    """The thumbnail's size in pixels for a page of `width` × `height` units, within `side` ×
    `side`, aspect kept; None for a page not to draw (empty, not a number, larger than PDF
    allows, or a strip)."""
    if not (math.isfinite(width) and math.isfinite(height)) or min(width, height) <= 0:
        return None
    longer, shorter = max(width, height), min(width, height)
    if longer > MAX_PAGE_UNITS or longer / shorter > MAX_ASPECT:
        return None
    scale = side / longer
    return max(1, round(width * scale)), max(1, round(height * scale))


def render_first_page(
    source: Path | io.RawIOBase, side: int, seconds: float = RENDER_SECONDS
) -> QImage | None:
    """Page 1 of the PDF at `source` (a path, or a seekable reader) within `side` × `side`
    pixels on white, or None when it cannot be shown safely. Call it on `PDFIUM` only."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError:  # not a PDF, damaged past repair, or a password is needed
        return None
    try:
        page = document[0]
        try:
            width, height = page.get_size()
            size = page_pixels(float(width), float(height), side)
            return None if size is None else _draw(page, *size, seconds)
        finally:
            page.close()
    except pdfium.PdfiumError:
        return None
    finally:
        document.close()


def _draw(page: object, width: int, height: int, seconds: float) -> QImage | None:
    """Draws `page` into a `width` × `height` bitmap, giving up after `seconds`."""
    import pypdfium2.raw as c

    deadline = time.monotonic() + seconds

    def past_deadline(_pause: object) -> int:
        return int(time.monotonic() > deadline)

    pause = c.IFSDK_PAUSE(version=1)
    pause.NeedToPauseNow = type(pause.NeedToPauseNow)(past_deadline)  # kept alive by `pause`
    bitmap = c.FPDFBitmap_Create(width, height, 1)  # BGRA
    if not bitmap:
        return None
    try:
        c.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xFFFFFFFF)
        flags = c.FPDF_ANNOT  # what a viewer shows: stamps and notes included
        state = c.FPDF_RenderPageBitmap_Start(bitmap, page, 0, 0, width, height, 0, flags, pause)
        while state == c.FPDF_RENDER_TOBECONTINUED and time.monotonic() <= deadline:
            state = c.FPDF_RenderPage_Continue(page, pause)
        c.FPDF_RenderPage_Close(page)
        if state != c.FPDF_RENDER_DONE:
            return None
        stride = c.FPDFBitmap_GetStride(bitmap)
        pixels = ctypes.string_at(c.FPDFBitmap_GetBuffer(bitmap), stride * height)
        image = QImage(pixels, width, height, stride, QImage.Format.Format_ARGB32)
        return image.convertToFormat(QImage.Format.Format_RGB32)  # a copy: `pixels` may go
    finally:
        c.FPDFBitmap_Destroy(bitmap)


async def load_first_page(source: Path | io.RawIOBase, side: int) -> QImage | None:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(PDFIUM, render_first_page, source, side)
