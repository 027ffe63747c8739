"""Start-up measure for bench/ui.py: with MONSISRA_FIRST_PAINT=1 in the environment, a watched
window prints `first-paint <time.monotonic()>` once it has first painted, then closes.

Qt paints a window and all its children in one pass; a zero-delay timer queued at the window's
first paint event fires after that pass (and its flush to the screen) has finished. The bench
runs the same few lines in a bare PySide6 window, so that both are measured alike.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV = "MONSISRA_FIRST_PAINT"


class AfterFirstPaint(QObject):
    """Calls `then()` once after `widget`'s first paint pass (a zero-delay timer queued at its
    first paint event): the main window makes what its first paint did not need then."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.then = then
        self.seen = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.then)  # not once the widget is gone
        return False


def watch(window: QWidget) -> None:
    """Does nothing unless MONSISRA_FIRST_PAINT is set (the bench sets it)."""
    if os.environ.get(ENV):

        def painted() -> None:
            print(f"first-paint {time.monotonic():.6f}", flush=True)
            window.close()

        AfterFirstPaint(window, painted)
