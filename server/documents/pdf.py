"""Real PDF documents made by the sandbox: the demo's letters and the compte rendu a téléexpertise
files in the patient's record (server/regional/report.py).

No PDF library: a PDF here is a handful of objects (catalog, pages, two standard Helvetica fonts
in WinAnsiEncoding so French accents show, one content stream per page) and an exact xref table.
Output is deterministic for given inputs, so the demo's blobs are the same from one generation to
the next.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

# A4 in points, margins of 2 cm.
PAGE_WIDTH = 595
PAGE_HEIGHT = 842
MARGIN = 57
BODY_SIZE = 10.5
LINE_HEIGHT = 14.0
# Helvetica averages ~0.5 em a character in French prose: this fits the text width without
# needing the font's metrics table.
WRAP_COLUMNS = 92


@dataclass(frozen=True)
class PdfDocument:
    """What a medical document shows: who writes, about whom, what, when, signed by whom."""

    title: str
    organisation: str
    organisation_lines: tuple[str, ...] = ()
    patient_line: str = ""
    place_date: str = ""  # "Lyon, le 12 novembre 2026"
    paragraphs: tuple[str, ...] = ()
    signature: str = ""
    pdf_date: str = "20261120090000"  # YYYYMMDDHHMMSS, for /CreationDate
    keywords: tuple[str, ...] = field(default_factory=tuple)


def pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252); characters outside it become '?'."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def wrap(text: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """Greedy word wrap; a blank line in `text` stays a blank line."""
    lines: list[str] = []
    for source in text.split("\n"):
        current = ""
        for word in source.split(" "):
            if current and len(current) + 1 + len(word) > columns:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return lines


def _page_streams(doc: PdfDocument) -> list[bytes]:
    """The content streams, one per page, of the laid-out document."""
    ops: list[list[bytes]] = [[]]
    y = float(PAGE_HEIGHT - MARGIN)

    def text(x: float, size: float, font: str, value: str) -> None:
        ops[-1].append(
            b"BT /%s %.1f Tf %.1f %.1f Td %s Tj ET" % (font.encode(), size, x, y, pdf_text(value))
        )

    def new_page() -> None:
        nonlocal y
        ops.append([])
        y = float(PAGE_HEIGHT - MARGIN)

    # Header: the sender's organisation, then a rule.
    text(MARGIN, 13, "F2", doc.organisation)
    y -= 15
    for line in doc.organisation_lines:
        text(MARGIN, 9, "F1", line)
        y -= 11
    y -= 4
    ops[-1].append(b"0.6 G 0.8 w %d %.1f m %d %.1f l S 0 G" % (MARGIN, y, PAGE_WIDTH - MARGIN, y))
    y -= 22
    if doc.place_date:
        text(PAGE_WIDTH - MARGIN - 5.2 * len(doc.place_date), BODY_SIZE, "F1", doc.place_date)
        y -= 26
    text(MARGIN, 14, "F2", doc.title)
    y -= 20
    if doc.patient_line:
        text(MARGIN, BODY_SIZE, "F2", doc.patient_line)
        y -= 24
    for paragraph in doc.paragraphs:
        for line in wrap(paragraph):
            if y < MARGIN + 40:
                new_page()
            if line:
                text(MARGIN, BODY_SIZE, "F1", line)
            y -= LINE_HEIGHT
        y -= LINE_HEIGHT * 0.5
    if doc.signature:
        if y < MARGIN + 60:
            new_page()
        y -= 18
        text(PAGE_WIDTH / 2, BODY_SIZE, "F2", doc.signature)
        y -= 14
        text(PAGE_WIDTH / 2, 8.5, "F1", "Document signé électroniquement")
    pages = len(ops)
    for number, page in enumerate(ops, start=1):
        if pages > 1:
            label = f"Page {number}/{pages}"
            page.append(
                b"BT /F1 8 Tf %d %d Td %s Tj ET" % (PAGE_WIDTH - MARGIN - 40, 30, pdf_text(label))
            )
    return [b"\n".join(page) + b"\n" for page in ops]


def make_pdf(doc: PdfDocument) -> bytes:
    """A valid PDF 1.4: objects in order, xref offsets exact, trailer with /Root and /Info."""
    streams = _page_streams(doc)
    # 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then (page, content) pairs.
    first_page = 6
    page_ids = [first_page + 2 * i for i in range(len(streams))]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % p for p in page_ids), len(page_ids)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Author %s /Producer (MonSisra sandbox) /CreationDate (D:%s+01'00') >>"
        % (pdf_text(doc.title), pdf_text(doc.signature or doc.organisation), doc.pdf_date.encode()),
    ]
    for page_id, stream in zip(page_ids, streams, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
    out, xref_at = pdf_body(objects)
    file_id = zlib.crc32(bytes(out)).to_bytes(4, "big").hex().encode() * 4
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, file_id, file_id, xref_at)
    )
    return bytes(out)


def pdf_body(objects: list[bytes]) -> tuple[bytearray, int]:
    """A PDF file up to its trailer: the header, `objects` numbered from 1, and their
    cross-reference table; with where that table starts (the trailer's startxref)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    return out, xref_at
