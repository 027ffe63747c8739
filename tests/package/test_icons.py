"""The icons `make package` made from the one SVG (scripts/icons.py): every hicolor size a PNG of
that size, the SVG itself, and .ico and .icns files whose directories point at PNG images of the
sizes they claim (read back here with the formats' own rules, and decoded by Qt)."""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtGui import QImage

from scripts import icons as icon_script


def png_size(data: bytes) -> tuple[int, int]:
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    return image.width(), image.height()


def test_every_hicolor_size_is_a_png_of_that_size(icons: Path) -> None:
    for size in icon_script.HICOLOR_SIZES:
        path = icons / "hicolor" / f"{size}x{size}" / "apps" / f"{icon_script.APP_ID}.png"
        assert png_size(path.read_bytes()) == (size, size)
    scalable = icons / "hicolor" / "scalable" / "apps" / f"{icon_script.APP_ID}.svg"
    assert scalable.read_bytes() == icon_script.SOURCE.read_bytes()


def test_the_ico_directory_points_at_pngs_of_the_sizes_it_claims(icons: Path) -> None:
    data = (icons / "monsisra.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(icon_script.ICO_SIZES))
    seen = []
    for i in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        side = width or 256
        assert width == height
        assert (planes, bits) == (1, 32)
        assert png_size(data[offset : offset + length]) == (side, side)
        seen.append(side)
    assert seen == sorted(icon_script.ICO_SIZES)


def test_the_icns_elements_are_pngs_of_their_types_size(icons: Path) -> None:
    data = (icons / "monsisra.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    offset, seen = 8, []
    while offset < len(data):
        kind = data[offset : offset + 4]
        length = struct.unpack_from(">I", data, offset + 4)[0]
        side = dict(icon_script.ICNS_TYPES)[kind]
        assert png_size(data[offset + 8 : offset + length]) == (side, side)
        seen.append(kind)
        offset += length
    assert offset == len(data)
    assert seen == [kind for kind, _ in icon_script.ICNS_TYPES]
