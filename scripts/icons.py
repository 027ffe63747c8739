"""`scripts/icons.py --out DIR`: the app's icon at every size the installers need, from its one
source, resources/icons/monsisra.svg (Qt's own SVG renderer, so the pictures match the window's).

    DIR/hicolor/<N>x<N>/apps/fr.sante_ara.MonSisraBureau.png   N = 16 … 512 (Linux launchers)
    DIR/hicolor/scalable/apps/fr.sante_ara.MonSisraBureau.svg
    DIR/monsisra.ico    (Windows: PNG images in an ICO directory, 16 … 256)
    DIR/monsisra.icns   (macOS: PNG images in an ICNS container, 16 … 1024)

Both containers are written here rather than by another tool: each is a small header and a list
of (type or size, length) entries followed by PNG data, which every supported Windows and macOS
version reads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "monsisra.svg"
APP_ID = "fr.sante_ara.MonSisraBureau"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types share a size with another).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"ic11", 32),  # 16@2x
    (b"icp5", 32),
    (b"ic12", 64),  # 32@2x
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic13", 256),  # 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
)


def render(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """PNG bytes of `svg` drawn at each size (square, transparent background)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    out = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"could not encode the {size} px icon as PNG")
        out[size] = bytes(data.data())
    del app
    return out


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: ICONDIR (reserved, type 1 = icon, count), one 16-byte ICONDIRENTRY per image
    (width and height, 0 meaning 256; no palette; 1 plane; 32 bits; length; offset), the PNGs."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns' and the file's length, then per image its type, its length (the
    8-byte element header included) and the PNG; lengths are big-endian."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def build(out: Path, svg: Path = SOURCE) -> list[Path]:
    sizes = {*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)}
    pngs = render(svg, sizes)
    written = []
    for size in HICOLOR_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    (out / "monsisra.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (out / "monsisra.icns").write_bytes(icns(pngs))
    written += [out / "monsisra.ico", out / "monsisra.icns"]
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--out", type=Path, required=True, help="the folder to write the icons to")
    args = p.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
