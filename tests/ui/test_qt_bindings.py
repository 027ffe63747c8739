"""The Qt bindings themselves: a fault there crashes the app whatever our code does."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qapp: object) -> None:
    """PySide6 6.12.0 dropped a reference to None on each such call: Python 3.11 then aborts
    ("none_dealloc") once a list has painted some thousand rows."""
    label = QLabel()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("a")
        painter.setPen(QColor("#1f2933"))
        painter.drawLine(0, 0, 4, 4)
    after = sys.getrefcount(None)
    painter.end()
    assert after - before >= 0


def test_calls_returning_a_bool_keep_true_and_false_alive(qapp: object) -> None:
    """The same fault on bools ended test runs with "Fatal Python error: bool_dealloc"."""
    label = QLabel()
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        label.isVisible()
        label.isEnabled()
    assert sys.getrefcount(True) >= before[0]
    assert sys.getrefcount(False) >= before[1]
