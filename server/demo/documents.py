"""Real documents for the demo's attachments: small PDF 1.4 files and PNG images, made locally.

No PDF or imaging library: a PDF here is a handful of objects (catalog, pages, two standard
Helvetica fonts in WinAnsiEncoding so French accents show, one content stream per page) and an
exact xref table; a PNG is zlib-compressed scanlines. Output is deterministic for given inputs,
so the demo's blobs are the same from one generation to the next.
"""

from __future__ import annotations

import math
import random
import struct
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


# --- PNG ---------------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def make_png(width: int, height: int, rows: list[bytes], color: bool) -> bytes:
    """A PNG from raw scanlines (8-bit grey or RGB), each row given without its filter byte."""
    channels = 3 if color else 1
    if len(rows) != height or any(len(r) != width * channels for r in rows):
        raise ValueError("rows do not match the image size")
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if color else 0, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def _heartbeat(t: float, rng_jitter: float) -> float:
    """One synthetic P-QRS-T cycle over t in [0, 1), in millivolts (a teaching shape)."""

    def bump(center: float, width: float, height: float) -> float:
        return height * math.exp(-(((t - center) / width) ** 2))

    return (
        bump(0.18, 0.025, 0.15)
        + bump(0.30, 0.008, -0.12)
        + bump(0.33, 0.010, 1.2 + rng_jitter)
        + bump(0.36, 0.010, -0.25)
        + bump(0.58, 0.045, 0.30)
    )


def ecg_png(seed: int, width: int = 1100, height: int = 420) -> bytes:
    """A 3-strip ECG on pink millimetre paper, rhythm slightly varying with `seed`."""
    rng = random.Random(seed)
    paper = (255, 240, 240)
    minor = (247, 200, 200)
    major = (235, 150, 150)
    ink = (20, 20, 30)
    plain = bytes(paper) * width
    minor_row = bytearray(plain)
    for x in range(0, width, 5):
        minor_row[3 * x : 3 * x + 3] = bytes(minor if x % 25 else major)
    rows: list[bytearray] = []
    for y in range(height):
        if y % 25 == 0:
            rows.append(bytearray(bytes(major) * width))
        elif y % 5 == 0:
            rows.append(bytearray(bytes(minor) * width))
        else:
            rows.append(bytearray(minor_row))
    strips = 3
    strip_height = height // strips
    rate = rng.uniform(0.85, 1.25)  # beats per 200 px
    for strip in range(strips):
        baseline = strip * strip_height + strip_height * 0.62
        previous: int | None = None
        jitter = [rng.uniform(-0.15, 0.15) for _ in range(20)]
        for x in range(width):
            phase = (x * rate / 200.0) + strip * 0.37
            beat = int(phase)
            value = _heartbeat(phase - beat, jitter[beat % len(jitter)])
            y = int(baseline - value * 50)
            y = max(0, min(height - 1, y))
            low, high = (y, y) if previous is None else (min(y, previous), max(y, previous))
            for yy in range(low, high + 1):
                rows[yy][3 * x : 3 * x + 3] = bytes(ink)
                if x + 1 < width:
                    rows[yy][3 * x + 3 : 3 * x + 6] = bytes(ink)
            previous = y
    return make_png(width, height, [bytes(r) for r in rows], color=True)


def scan_png(seed: int, width: int = 620, height: int = 877) -> bytes:
    """A greyscale 'scanned' paper document: header block, lines of words, a signature."""
    rng = random.Random(seed)
    noisy = [bytes(rng.randint(232, 248) for _ in range(width)) for _ in range(12)]
    rows = [bytearray(noisy[rng.randrange(len(noisy))]) for _ in range(height)]

    def block(x0: int, y0: int, x1: int, y1: int, shade: int) -> None:
        for y in range(max(0, y0), min(height, y1)):
            rows[y][max(0, x0) : min(width, x1)] = bytes([shade]) * (min(width, x1) - max(0, x0))

    # Letterhead: two lines of bold "words" at the top left, a rule under them.
    x = 48
    for y0, h in ((50, 12), (70, 7), (84, 7)):
        x = 48
        while x < 300:
            w = rng.randint(20, 70)
            block(x, y0, x + w, y0 + h, rng.randint(40, 80))
            x += w + 8
    block(40, 104, width - 40, 106, 90)
    # Body: lines of handwritten-looking word blobs.
    y = 170
    while y < height - 200:
        x = 70 if rng.random() < 0.8 else 90
        end = rng.randint(width // 2, width - 60)
        while x < end:
            w = rng.randint(14, 60)
            block(x, y, x + w, y + rng.randint(5, 8), rng.randint(50, 110))
            x += w + rng.randint(6, 12)
        y += rng.randint(26, 34)
    # Signature: a scribble.
    cx, cy = width - 200, height - 130
    for step in range(400):
        t = step / 400
        px = int(cx + 150 * t)
        py = int(cy + 14 * math.sin(t * 23 + seed) * (1 - t))
        block(px, py, px + 2, py + 2, 30)
    return make_png(width, height, [bytes(r) for r in rows], color=False)


def lesion_png(seed: int, width: int = 480, height: int = 360) -> bytes:
    """A close-up 'photo' of a pigmented skin lesion: skin tones, an irregular brown blot."""
    rng = random.Random(seed)
    skin = [(rng.randint(222, 236), rng.randint(180, 194), rng.randint(158, 170)) for _ in range(8)]
    cx, cy = width / 2 + rng.uniform(-30, 30), height / 2 + rng.uniform(-20, 20)
    base = rng.uniform(48, 70)
    lobes = [(rng.uniform(2, 6), rng.uniform(0, 6.3), rng.uniform(3, 12)) for _ in range(4)]
    rows: list[bytes] = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            angle = math.atan2(y - cy, x - cx)
            radius = base + sum(a * math.sin(k * angle + p) for k, p, a in lobes)
            distance = math.hypot(x - cx, (y - cy) * 1.2)
            if distance < radius:
                depth = 1 - distance / radius
                row += bytes((int(140 - 80 * depth), int(92 - 60 * depth), int(62 - 40 * depth)))
            else:
                row += bytes(skin[(x // 7 + y // 5 + (x * y) % 3) % len(skin)])
        rows.append(bytes(row))
    return make_png(width, height, rows, color=True)
