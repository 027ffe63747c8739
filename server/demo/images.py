"""Real images for the demo's attachments, made locally: PNG files (zlib-compressed scanlines) of
an ECG strip, a scanned letter and a skin lesion. No imaging library; the output is deterministic
for given inputs, so the demo's blobs are the same from one generation to the next. The demo's
PDF letters are made by server/documents/pdf.py.
"""

from __future__ import annotations

import math
import random
import struct
import zlib


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
