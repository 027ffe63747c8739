"""Start-up measure for bench/ui.py: with MONSISRA_FIRST_PAINT=1 in the environment, a watched
window prints `first-paint <time.monotonic()>` once it has first painted, then closes.

Qt paints a window and all its children in one pass; a zero-delay timer queued at the window's
first paint event fires after that pass (and its flush to the screen) has finished. The bench
runs the same few lines in a bare PySide6 window, so that both are measured alike.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV = "MONSISRA_FIRST_PAINT"


class _FirstPaint(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        print(f"first-paint {time.monotonic():.6f}", flush=True)
        self.window.close()


def watch(window: QWidget) -> None:
    """Does nothing unless MONSISRA_FIRST_PAINT is set (the bench sets it)."""
    if os.environ.get(ENV):
        window.installEventFilter(_FirstPaint(window))
