"""The first page of a PDF under its chip in the reader (PDFium, ui/mail/pdf_page.py): a letter
shows as a thumbnail within 240 px with its page's aspect and what is drawn on it, read in place
from the encrypted cache (no decrypted copy on disk), and a click opens it; a corrupt PDF, one
locked by a password, one claiming a page larger than PDF allows and one too long to draw say
"Aperçu indisponible", the gigantic page refused before anything is drawn; every PDFium call
runs on its one worker thread."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from server.documents.pdf import PdfDocument, make_pdf
from server.testing import ServerThread
from tests.ui import mail_helpers
from tests.ui.conftest import run_sync
from tests.ui.desktop_helpers import CARDIO, deliver_to_gp
from tests.ui.mail_helpers import open_message
from tests.ui.pdf_make import one_page_pdf
from tests.ui.test_print_preview import previews_of
from ui import theme
from ui.mail import pdf_page
from ui.mail.pdf_page import page_pixels, render_first_page
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture

LETTER = make_pdf(
    PdfDocument(
        title="Compte rendu de consultation",
        organisation="Cabinet de cardiologie",
        organisation_lines=("Cardiologue", "Lyon — MSSanté : karim.benali@sisra-demo.mssante.fr"),
        patient_line="Mme Jeanne DUPONT, née le 02/03/1948",
        place_date="Lyon, le 24 novembre 2026",
        paragraphs=("Chère consœur, " * 40,),
        signature="Dr Karim Benali",
        pdf_date="20261124130500",
    )
)  # an A4 page, 595 × 842


def dark_pixels(image: QImage) -> int:
    """Within the page, its grey edge left out."""
    return sum(
        1
        for y in range(1, image.height() - 1)
        for x in range(1, image.width() - 1)
        if QColor(image.pixel(x, y)).lightness() < 160
    )


def test_a_pdf_letter_shows_its_first_page_within_240_px_that_opens_it(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver_to_gp(
        demo_server,
        CARDIO,
        "Compte rendu en PDF",
        documents=[("compte-rendu.pdf", "application/pdf", LETTER)],
    )
    open_message(qtbot, window, "Compte rendu en PDF")
    (preview,) = previews_of(qtbot, window)
    qtbot.waitUntil(lambda: preview.image is not None, timeout=10_000)
    assert preview.image is not None
    assert preview.image.size() == QSize(170, 240)  # A4's 595 × 842, aspect kept
    assert dark_pixels(preview.image) > 200  # the letter's text, not a white page
    assert QColor(preview.image.pixel(0, 0)).name() == theme.MUTED  # the page's edge
    assert preview.picture.isVisible()
    assert not preview.status.isVisible()
    # Drawn from the encrypted cache, in place: no decrypted copy on disk, and kept offline.
    copies = preview.chip.session.copies.folder
    assert preview.chip.copy is None
    assert copies is None or not any(p.is_file() for p in copies.rglob("*"))
    assert preview.chip.available_offline
    opened: list[Any] = []
    monkeypatch.setattr(preview.chip, "open", lambda: opened.append(True))
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=preview.picture.geometry().center())
    assert opened == [True]


def test_a_landscape_page_is_240_px_wide_with_its_drawing_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "paysage.pdf"
    path.write_bytes(one_page_pdf(842, 595))
    image = render_first_page(path, 240)
    assert image is not None
    assert image.size() == QSize(240, 170)
    assert QColor(image.pixel(120, 85)).name() == "#1a3380"  # the rectangle (0.1 0.2 0.5 rg)
    assert QColor(image.pixel(5, 5)).name() == "#ffffff"  # the page around it


@pytest.mark.parametrize(
    "data",
    [
        one_page_pdf(595, 842)[:150],
        b"%PDF-1.4\n" + bytes(range(256)) * 64,
        one_page_pdf(595, 842, user_password="secret"),
    ],
    ids=["truncated", "garbage after the header", "locked by a password"],
)
def test_a_pdf_that_cannot_be_read_says_apercu_indisponible(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    assert render_first_page(path, 240) is None
    deliver_to_gp(
        demo_server, CARDIO, "PDF illisible", documents=[("bilan.pdf", "application/pdf", data)]
    )
    open_message(qtbot, window, "PDF illisible")
    (preview,) = previews_of(qtbot, window)
    qtbot.waitUntil(lambda: preview.status.text() == "Aperçu indisponible", timeout=10_000)
    assert preview.image is None
    assert not preview.picture.isVisible()
    assert preview.chip.open_button is not None  # the document itself still opens


def test_the_locked_pdf_is_a_valid_one_that_its_password_opens(tmp_path: Path) -> None:
    """The password test's file is refused for its password, not for a fault of the file."""
    import pypdfium2 as pdfium

    path = tmp_path / "verrouillé.pdf"
    path.write_bytes(one_page_pdf(595, 842, user_password="secret"))
    with pytest.raises(pdfium.PdfiumError) as refused:
        pdfium.PdfDocument(path)
    assert refused.value.err_code == pdfium.raw.FPDF_ERR_PASSWORD
    document = pdfium.PdfDocument(path, password="secret")
    assert document[0].get_size() == (595, 842)
    document.close()


@pytest.mark.parametrize(
    ("width", "height"),
    [(200_000, 200_000), (14_401, 10), (10, 5_000)],
    ids=["gigantic", "wider than PDF allows", "a strip"],
)
def test_a_page_not_to_draw_is_refused_before_any_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: float, height: float
) -> None:
    drawn: list[Any] = []
    monkeypatch.setattr(pdf_page, "_draw", lambda *args: drawn.append(args))
    path = tmp_path / "géant.pdf"
    path.write_bytes(one_page_pdf(width, height))
    assert page_pixels(width, height, 240) is None
    assert render_first_page(path, 240) is None
    assert drawn == []


@pytest.mark.parametrize(
    "size", [(0, 842), (-595, 842), (float("nan"), 842), (595, float("inf"))], ids=str
)
def test_a_size_that_is_no_page_is_refused(size: tuple[float, float]) -> None:
    """PDFium gives a page without a usable MediaBox the letter size; these never reach it."""
    assert page_pixels(*size, 240) is None


def test_the_largest_page_pdf_allows_is_drawn_at_thumbnail_size(tmp_path: Path) -> None:
    path = tmp_path / "affiche.pdf"
    path.write_bytes(one_page_pdf(14_400, 7_200))
    image = render_first_page(path, 240)
    assert image is not None
    assert image.size() == QSize(240, 120)


def busy_pdf(rectangles: int) -> bytes:
    """A page of `rectangles` tiny filled rectangles: slow to draw, small on disk."""
    data = one_page_pdf(595, 842)
    ops = b"".join(
        b"0 0 1 rg %d %d 1 1 re f\n" % (i % 590, i // 590 % 840) for i in range(rectangles)
    )
    old = b"0.1 0.2 0.5 rg 148.75 210.50 297.50 421.00 re f\n"
    assert old in data
    start = data.index(b"4 0 obj")
    head, body = data[:start], data[start:]
    body = body.replace(b"/Length %d" % len(old), b"/Length %d" % len(ops), 1).replace(old, ops, 1)
    # The xref's offsets after object 4 moved: PDFium rebuilds them, as for any damaged file.
    return head + body


def test_a_page_too_long_to_draw_is_given_up_at_its_deadline(tmp_path: Path) -> None:
    path = tmp_path / "lourd.pdf"
    path.write_bytes(busy_pdf(100_000))
    assert render_first_page(path, 240) is not None  # drawable within the real deadline
    assert render_first_page(path, 240, seconds=0.0) is None  # but not within none


def test_every_pdfium_call_runs_on_its_one_worker_thread(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[str] = set()
    real = pdf_page.render_first_page

    def spy(path: Path, side: int, seconds: float = pdf_page.RENDER_SECONDS) -> QImage | None:
        threads.add(threading.current_thread().name)
        return real(path, side, seconds)

    monkeypatch.setattr(pdf_page, "render_first_page", spy)
    path = tmp_path / "lettre.pdf"
    path.write_bytes(LETTER)
    images = run_sync(qtbot, asyncio.gather(*(pdf_page.load_first_page(path, 240) for _ in "abc")))
    assert all(image is not None for image in images)
    assert len(threads) == 1
    (name,) = threads
    assert name.startswith("pdfium")
    assert pdf_page.PDFIUM._max_workers == 1
