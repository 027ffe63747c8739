"""The first-page preview of a large PDF, read in place from the encrypted cache (printed, not
asserted):

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/pdf_preview.py [--size-mb 200] [--runs 3]

The PDF: page 1 a letter, page 2 a scan of `--size-mb` MB (an uncompressed grey image), the shape
of a scanned file sent whole. It is stored in a fresh encrypted cache (app/store, 256 KiB chunks)
and its first page drawn as the reader does (AccountSession.document_content's CachedContent →
ui/mail/pdf_page.render_first_page on PDFium's thread). Printed: the time of each draw, the bytes
PDFium pulled through the reader (the scan is never read), and the growth of the process's peak
memory during the draws (the document is never whole in memory).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QGuiApplication

from app.attachments import CachedContent
from app.store import attachments
from app.store.db import Cache
from app.store.key import CacheKey
from ui.mail.pdf_page import PDFIUM, load_first_page

LETTER = b"BT /F1 11 Tf 72 760 Td (Compte rendu de consultation) Tj ET\n" + b"".join(
    b"BT /F1 10 Tf 72 %d Td (Ligne %d du compte rendu, sans rien de particulier.) Tj ET\n"
    % (740 - 14 * n, n)
    for n in range(45)
)


def large_pdf(scan_bytes: int) -> list[bytes]:
    """The PDF's pieces (a generator would do as well: the cache takes any pieces)."""
    side = int(scan_bytes**0.5)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
        b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(LETTER), LETTER),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R "
        b"/Resources << /XObject << /Im1 7 0 R >> >> >>",
        b"<< /Length 30 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
    ]
    pieces = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    at = len(pieces[0])
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(at)
        piece = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        pieces.append(piece)
        at += len(piece)
    offsets.append(at)
    head = (
        b"7 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, side * side)
    )
    pieces.append(head)
    row = bytes(range(256)) * (side // 256 + 1)
    for _ in range(side):
        pieces.append(row[:side])
    pieces.append(b"\nendstream\nendobj\n")
    at += len(head) + side * side + len(pieces[-1])
    xref = b"xref\n0 8\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pieces.append(xref + b"trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % at)
    return pieces


class Counted(CachedContent):
    """The reader, counting what PDFium pulls through it."""

    pulled = 0

    def readinto(self, buffer: object) -> int:
        n = super().readinto(buffer)
        Counted.pulled += n
        return n


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size-mb", type=int, default=200)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    app = QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="monsisra-bench-pdf-") as tmp:
        cache = Cache.open(Path(tmp) / "cache.db", CacheKey.random())
        started = time.perf_counter()
        size = cache.write_blocking(
            lambda c: attachments.put_content(c, "scan", large_pdf(args.size_mb * 1024 * 1024))
        )
        took = time.perf_counter() - started
        print(f"PDF of {size / 1e6:.1f} MB stored in the cache in {took:.1f} s")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for run in range(1, args.runs + 1):
            Counted.pulled = 0
            started = time.perf_counter()
            with Counted(cache, "scan", size) as content:
                image = asyncio.run(load_first_page(content, 240))
            took = time.perf_counter() - started
            shown = "none" if image is None else f"{image.width()}×{image.height()}"
            print(
                f"run {run}: page 1 drawn in {took * 1000:.0f} ms ({shown}), "
                f"{Counted.pulled / 1e3:.0f} kB read of {size / 1e6:.0f} MB"
            )
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak memory grew by {(after - before) / 1024:.1f} MB during the draws")
        PDFIUM.shutdown()
        cache.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
