"""Reads back what a PDF written by Qt says: its page count and its text, without a PDF library
(none is a dependency): Qt compresses content streams with zlib, shows glyphs by their index in
a subset font (`<0012> Tj`) and gives each font a ToUnicode map from glyph to character — enough
to get the text back. For tests only: it reads Qt's output, not PDFs in general."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_PAGE = re.compile(rb"/Type /Page\b(?!s)")


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number → (its dictionary, its stream decompressed, b"" when none)."""
    found: dict[int, tuple[bytes, bytes]] = {}
    for number, body in _OBJECT.findall(data):
        head = body.split(b"stream", 1)[0]
        match = _STREAM.search(body)
        stream = match.group(1) if match else b""
        if stream and b"/FlateDecode" in head:
            stream = zlib.decompress(stream)
        found[int(number)] = (head, stream)
    return found


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's glyph → text (bfchar, and bfrange in both its forms)."""
    table: dict[int, str] = {}

    def text(hex_: bytes) -> str:
        return bytes.fromhex(hex_.decode()).decode("utf-16-be")

    for section in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, char in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
            table[int(glyph, 16)] = text(char)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", section
        ):
            start, end = int(first, 16), int(last, 16)
            if target.startswith(b"["):
                for offset, char in enumerate(_HEX.findall(target)):
                    table[start + offset] = text(char)
            else:
                base = int(target[1:-1], 16)
                for offset in range(end - start + 1):
                    table[start + offset] = chr(base + offset)
    return table


def pages(path: Path) -> int:
    return len(_PAGE.findall(path.read_bytes()))


def text(path: Path) -> str:
    """All the text shown on the pages, in drawing order, one line per text position change."""
    objects = _objects(path.read_bytes())
    fonts: dict[int, dict[int, str]] = {}
    for number, (head, _stream) in objects.items():
        match = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if match:
            fonts[number] = _to_unicode(objects[int(match.group(1))][1])
    lines: list[str] = []
    for head, _stream in objects.values():
        if not _PAGE.search(head):
            continue
        contents = re.search(rb"/Contents (\d+) 0 R", head)
        resources = re.search(rb"/Resources (\d+) 0 R", head)
        if contents is None or resources is None:
            continue
        names = {
            name: int(obj)
            for name, obj in re.findall(rb"/(F\d+) (\d+) 0 R", objects[int(resources.group(1))][0])
        }
        table: dict[int, str] = {}
        line = ""
        ops = re.finditer(
            rb"/(F\d+) [\d.]+ Tf|[-\d.]+ ([-\d.]+) Td|<([0-9A-Fa-f]+)> Tj|\[(.*?)\] TJ",
            objects[int(contents.group(1))][1],
            re.S,
        )
        for op in ops:
            font, moved_y, shown, array = op.groups()
            if font is not None:
                table = fonts.get(names.get(font, -1), {})
            elif moved_y is not None and float(moved_y) != 0:
                lines.append(line)
                line = ""
            for hex_ in [shown] if shown is not None else _HEX.findall(array or b""):
                codes = bytes.fromhex(hex_.decode())
                for i in range(0, len(codes), 2):
                    line += table.get(int.from_bytes(codes[i : i + 2], "big"), "?")
        lines.append(line)
    return "\n".join(lines)
