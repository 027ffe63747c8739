"""The demo's generated PDFs and PNGs are real files (unit tests: pure functions, no server)."""

from __future__ import annotations

import re
import struct
import zlib

from server.demo.images import ecg_png, lesion_png, scan_png
from server.documents.pdf import PdfDocument, make_pdf, wrap


def _document(paragraphs: tuple[str, ...]) -> bytes:
    return make_pdf(
        PdfDocument(
            title="Compte rendu de consultation",
            organisation="CHU de Lyon — Hôpital cardiologique",
            organisation_lines=("Cardiologue", "Lyon"),
            patient_line="Patient : Mme Élodie Cœur (née le 02/03/1950)",
            place_date="Lyon, le 12 novembre 2026",
            paragraphs=paragraphs,
            signature="Dr Karim Benali",
        )
    )


def _check_xref(pdf: bytes) -> int:
    """Checks every xref entry against the object it points at; returns the object count."""
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref\n0 ")
    header = re.match(rb"xref\n0 (\d+)\n", pdf[startxref:])
    assert header is not None
    size = int(header.group(1))
    entries = pdf[startxref + header.end() :].split(b"\n")[:size]
    assert entries[0] == b"0000000000 65535 f "
    for number, entry in enumerate(entries[1:], start=1):
        assert len(entry) == 19
        assert entry.endswith(b" 00000 n ")
        offset = int(entry[:10])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    trailer = pdf[pdf.rindex(b"trailer") :]
    assert b"/Size %d" % size in trailer
    assert b"/Root 1 0 R" in trailer
    return size - 1


def test_pdf_xref_offsets_point_at_their_objects() -> None:
    assert _check_xref(_document(("Examen normal.",))) == 7


def test_pdf_stream_lengths_are_exact() -> None:
    pdf = _document(("Texte " * 50,))
    for match in re.finditer(rb"<< /Length (\d+) >>\nstream\n", pdf):
        length = int(match.group(1))
        assert pdf[match.end() + length :].startswith(b"endstream")


def test_pdf_uses_helvetica_in_winansi_so_accents_show() -> None:
    pdf = _document(("Écho cœur : fraction d'éjection préservée.",))
    assert b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding" in pdf
    assert "(Écho cœur : fraction d'éjection préservée.)".encode("cp1252") in pdf
    assert "(Dr Karim Benali)".encode("cp1252") in pdf


def test_pdf_escapes_parentheses_and_backslashes() -> None:
    pdf = _document(("Valeur (normale) \\ fin",))
    assert rb"(Valeur \(normale\) \\ fin)" in pdf


def test_long_pdf_flows_onto_more_pages_with_a_correct_xref() -> None:
    pdf = _document(tuple(f"Paragraphe {i} : " + "observation clinique " * 30 for i in range(30)))
    count = int(re.search(rb"/Count (\d+)", pdf).group(1))  # type: ignore[union-attr]
    assert count >= 2
    assert _check_xref(pdf) == 5 + 2 * count
    assert b"(Page 2/%d)" % count in pdf


def test_wrap_keeps_lines_short_and_words_whole() -> None:
    text = "mot " * 100
    lines = wrap(text.strip(), 40)
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines).split() == text.split()


def _decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    chunks: dict[bytes, bytes] = {}
    idat = b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IDAT":
            idat += body
        chunks[kind] = body
        pos += 12 + length
    assert b"IEND" in chunks
    width, height, depth, color_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8
    return width, height, {0: 1, 2: 3}[color_type], zlib.decompress(idat)


def test_ecg_png_decodes_with_its_dimensions() -> None:
    width, height, channels, raw = _decode_png(ecg_png(1, width=300, height=120))
    assert (width, height, channels) == (300, 120, 3)
    assert len(raw) == height * (1 + width * channels)
    assert all(raw[row * (1 + width * 3)] == 0 for row in range(height))
    assert b"\x14\x14\x1e" in raw  # the ink of the trace is drawn


def test_scan_and_lesion_pngs_decode() -> None:
    width, height, channels, raw = _decode_png(scan_png(2, width=200, height=280))
    assert (width, height, channels) == (200, 280, 1)
    assert len(raw) == 280 * 201
    width, height, channels, raw = _decode_png(lesion_png(3, width=120, height=90))
    assert (width, height, channels) == (120, 90, 3)
    assert len(raw) == 90 * (1 + 120 * 3)


def test_documents_are_deterministic() -> None:
    assert ecg_png(4, 200, 100) == ecg_png(4, 200, 100)
    assert ecg_png(4, 200, 100) != ecg_png(5, 200, 100)
    assert _document(("a",)) == _document(("a",))
