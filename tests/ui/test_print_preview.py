"""Printing a conversation (Ctrl+P, to a PDF file here) and image previews in the reader: the PDF
holds the patient, each message's header and text, and its documents, as plain text whatever
the sender wrote; a PNG shows a thumbnail within 240 px; a hostile image (a header declaring
20,000 × 20,000 pixels, a truncated file) says "Aperçu indisponible" and nothing breaks."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.records import Address, AttachmentRecord, EmailRecord, PatientRef
from server.testing import ServerThread
from tests.ui import mail_helpers, pdf_text
from tests.ui.desktop_helpers import CARDIO, deliver_to_gp
from tests.ui.mail_helpers import open_message, row_where
from ui.mail import printing
from ui.mail.preview import DocumentPreview, decode_thumbnail
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture

HOSTILE_SUBJECT = "<b>Résultats</b> <img src='http://tracker.example/x.png'>"


def png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2b6cb0"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with a few bytes of data: a bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


class PdfDialog:
    """Stands for QPrintDialog (a modal dialog cannot be clicked offscreen): the user chose
    "print to a file" at `path`."""

    path: Path

    def __init__(self, printer: QPrinter, parent: QWidget | None = None) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        self.title = ""

    def setWindowTitle(self, title: str) -> None:
        self.title = title

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted


def flat(text: str) -> str:
    return "".join(text.split())


def test_ctrl_p_prints_the_patient_the_messages_and_their_documents(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A conversation of the demo about a patient, with documents."""
    row = row_where(
        window, lambda s: s.patient is not None and bool(s.patient.ins) and s.has_attachment
    )
    window.conversations.select_row(row)
    qtbot.waitUntil(lambda: window.reader.banner is not None, timeout=10_000)
    records = window.reader.records
    output = tmp_path / "imprimé.pdf"
    PdfDialog.path = output
    monkeypatch.setattr(printing, "QPrintDialog", PdfDialog)
    assert window.act_print.isEnabled()
    assert window.act_print.shortcut().toString() == "Ctrl+P"
    window.act_print.trigger()
    qtbot.waitUntil(output.exists, timeout=10_000)

    assert pdf_text.pages(output) == 1
    printed = flat(pdf_text.text(output))
    patient = records[-1].patient
    assert patient is not None
    assert flat("Patient : " + printing.patient_text(patient)) in printed
    assert flat(records[-1].subject) in printed
    for message in records:
        sender = message.from_[0]
        assert flat(f"De : {sender.name} <{sender.email}>") in printed
    names = [a.name or "" for m in records for a in m.attachments if "XDM" not in (a.name or "")]
    assert names
    for name in names:
        assert flat("• " + name) in printed
    assert "IHE_XDM" not in printed  # the patient package is the banner, not a document


def record(body: str) -> EmailRecord:
    return EmailRecord(
        id="m1",
        thread_id="t1",
        mailbox_ids=frozenset(),
        received_at=dt.datetime(2026, 11, 24, 13, 5, tzinfo=dt.UTC),
        subject=HOSTILE_SUBJECT,
        from_=[Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")],
        to=[Address("", "gp@sisra-demo.mssante.fr")],
        text_body=body,
        attachments=[AttachmentRecord(None, "b1", "bilan.pdf", "application/pdf", 2048, None)],
        patient=PatientRef("260057512345684", None, "Jeanne", "Dupont", dt.date(1948, 3, 2)),
    )


def test_a_long_message_prints_as_plain_text_on_numbered_pages_with_every_line_in_order(
    qtbot: QtBot, tmp_path: Path
) -> None:
    lines = [f"Ligne {n:03d} du compte rendu" for n in range(1, 301)]
    message = record("<i>Bonjour</i>\n" + "\n".join(lines))
    output = tmp_path / "long.pdf"
    printing.print_document([message], [message.text_body or ""], printing.pdf_printer(output))

    count = pdf_text.pages(output)
    assert count > 2
    printed = pdf_text.text(output).splitlines()
    # The sender's markup is text: no bold, no italics, no image fetched.
    assert flat(HOSTILE_SUBJECT) in flat("".join(printed))
    assert flat("<i>Bonjour</i>") in map(flat, printed)
    assert flat("• bilan.pdf — application/pdf · 2 Ko") in map(flat, printed)
    shown = [flat(line) for line in printed if flat(line).startswith("Ligne")]
    assert shown == [flat(line) for line in lines]
    # Qt numbers the pages at their foot: 1 … count, each once.
    numbers = [int(line) for line in printed if line.strip().isdigit()]
    assert numbers == list(range(1, count + 1))


def previews_of(qtbot: QtBot, window: MainWindow) -> list[DocumentPreview]:
    qtbot.waitUntil(lambda: any(card.previews for card in window.reader.cards), timeout=10_000)
    return [p for card in window.reader.cards for p in card.previews]


def test_a_png_shows_a_thumbnail_within_240_px_that_opens_the_document(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver_to_gp(
        demo_server,
        CARDIO,
        "Photo de la plaie",
        documents=[("plaie.png", "image/png", png(800, 400)), ("notes.txt", "text/plain", b"x")],
    )
    open_message(qtbot, window, "Photo de la plaie")
    (preview,) = previews_of(qtbot, window)  # the text document has none
    qtbot.waitUntil(lambda: preview.image is not None, timeout=10_000)
    assert preview.image is not None
    assert preview.image.size() == QSize(240, 120)  # aspect kept
    assert preview.picture.isVisible()
    assert not preview.status.isVisible()
    opened: list[Any] = []
    monkeypatch.setattr(preview.chip, "open", lambda: opened.append(True))
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=preview.picture.geometry().center())
    assert opened == [True]


@pytest.mark.parametrize(
    "data",
    [png_declaring(20_000, 20_000), png(400, 400)[:300]],
    ids=["declares 20000x20000", "truncated"],
)
def test_a_hostile_image_says_apercu_indisponible(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(data)
    assert decode_thumbnail(path) is None
    deliver_to_gp(demo_server, CARDIO, "Image piégée", documents=[("piège.png", "image/png", data)])
    open_message(qtbot, window, "Image piégée")
    (preview,) = previews_of(qtbot, window)
    qtbot.waitUntil(lambda: preview.status.text() == "Aperçu indisponible", timeout=10_000)
    assert preview.image is None
    assert not preview.picture.isVisible()
    assert preview.chip.open_button is not None  # the document itself still opens
