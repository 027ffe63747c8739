"""Logging of the client: one logger per subsystem under "monsisra", an in-memory ring buffer for
the Journal view and bug reports, and a daily-rotated file.

Code logs ids, counts and durations, never contents. As a second line of defence a filter masks
what looks like a secret or an identity that slipped into a message anyway: bearer tokens, e-mail
addresses, NIR/INS numbers, long hex keys.
"""

from __future__ import annotations

import collections
import io
import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path

from app import paths

ROOT = "monsisra"

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:at|rt)_[A-Za-z0-9_-]{16,}"), "[jeton]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [masqué]"),
    (re.compile(r"(?i)(password|mot de passe|passwd|token|key)=\S+"), r"\1=[masqué]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[adresse]"),
    (re.compile(r"\b[12]\d{12}(?:\d{2})?\b"), "[ins]"),
    (re.compile(r"\b[0-9a-fA-F]{32,}\b"), "[hex]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks may quote values: keep the type and the frames, mask the message.
            exc = record.exc_info[1]
            record.exc_text = None
            record.msg = f"{record.msg} ({type(exc).__name__}: {redact(str(exc))})"
            record.exc_info = None
        return True


class RingBuffer(logging.Handler):
    """The last `capacity` formatted lines, for the Journal view."""

    def __init__(self, capacity: int = 2000) -> None:
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._lock_lines = threading.Lock()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._lock_lines:
            self._lines.append(line)

    def lines(self) -> list[str]:
        with self._lock_lines:
            return list(self._lines)


_ring = RingBuffer()


def ring() -> RingBuffer:
    return _ring


class PrivateFileHandler(logging.handlers.TimedRotatingFileHandler):
    """The daily file, created readable by its owner only (its rotated copies keep the mode)."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, paths.PRIVATE_FILE)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup(log_dir: Path | None, level: int = logging.INFO) -> None:
    """Idempotent: installs the redaction filter, the ring buffer and (if given) the daily file."""
    root = logging.getLogger(ROOT)
    root.setLevel(level)
    if getattr(root, "_monsisra_setup", False):
        return
    redacting = RedactingFilter()
    _ring.addFilter(redacting)
    root.addHandler(_ring)
    if log_dir is not None:
        paths.private_dir(log_dir)
        handler = PrivateFileHandler(
            log_dir / "monsisra.log", when="midnight", backupCount=14, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(redacting)
        root.addHandler(handler)
    root._monsisra_setup = True  # type: ignore[attr-defined]


def get(subsystem: str) -> logging.Logger:
    return logging.getLogger(f"{ROOT}.{subsystem}")
