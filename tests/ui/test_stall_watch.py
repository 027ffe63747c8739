"""The stall watch sees the UI thread blocked on purpose, counts it and tells the Journal; the
start-up hook of bench/ui.py says when a window has painted.

Only an injected block is asserted (a 200 ms sleep on the UI thread cannot pass by accident);
how calm an idle loop is depends on the machine and is measured in bench/ui.py, not here."""

from __future__ import annotations

import logging
import re
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui import first_paint
from ui.stall import StallWatch

BLOCK_S = 0.2


def test_a_blocked_ui_thread_is_reported_counted_and_logged(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    watch = StallWatch(interval_ms=5, log_over_ms=150)
    blocked: list[float] = []

    def block() -> None:
        started = time.monotonic()
        time.sleep(BLOCK_S)  # the UI thread does nothing else meanwhile, as in a slow slot
        blocked.append(time.monotonic() - started)

    with caplog.at_level(logging.WARNING, logger="monsisra.ui.stall"):
        watch.start()
        QTimer.singleShot(30, block)
        qtbot.waitUntil(lambda: bool(blocked) and watch.report().ticks > 10, timeout=5_000)
        watch.stop()
    report = watch.report()
    assert blocked[0] >= BLOCK_S
    assert report.longest_ms >= BLOCK_S * 1000
    assert report.over_100 >= 1
    assert report.over_50 >= report.over_100
    assert report.logged >= 1
    warnings = [r for r in caplog.records if r.name == "monsisra.ui.stall"]
    assert warnings
    assert all(r.levelno == logging.WARNING for r in warnings)
    assert any("ms" in r.getMessage() for r in warnings)
    assert "longest stall" in report.line()


def test_a_stopped_watch_no_longer_ticks(qtbot: QtBot) -> None:
    watch = StallWatch(interval_ms=5, log_over_ms=None)
    watch.start()
    qtbot.waitUntil(lambda: watch.report().ticks >= 3, timeout=5_000)
    watch.stop()
    assert not watch.running
    ticks = watch.report().ticks
    qtbot.wait(60)
    assert watch.report().ticks == ticks


def test_the_figures_are_the_gaps_seen() -> None:
    watch = StallWatch(interval_ms=5, log_over_ms=100)
    for _ in range(98):
        watch.note(5.2)
    watch.note(60.0)
    watch.note(130.0)
    report = watch.report()
    assert report.ticks == 100
    assert report.longest_ms == 130.0
    assert report.over_50 == 2
    assert report.over_100 == 1
    assert report.logged == 1
    assert report.p99_ms == 60.0  # 99 of the 100 gaps were at most 60 ms
    assert report.p99_late_ms == 55.0
    watch.reset()
    assert watch.report().ticks == 0
    assert watch.report().longest_ms == 0.0


def test_no_tick_no_figures() -> None:
    report = StallWatch().report()
    assert (report.ticks, report.longest_ms, report.p99_ms, report.over_50) == (0, 0.0, 0.0, 0)


def small_window(qtbot: QtBot) -> QWidget:
    window = QWidget()
    window.setMinimumSize(200, 100)
    QVBoxLayout(window).addWidget(QLabel("Bonjour"))
    qtbot.addWidget(window)
    return window


def test_the_first_paint_hook_prints_when_painted_then_closes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(first_paint.ENV, "1")
    window = small_window(qtbot)
    first_paint.watch(window)
    before = time.monotonic()
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    lines = re.findall(r"^first-paint (\d+\.\d+)$", capsys.readouterr().out, re.MULTILINE)
    assert len(lines) == 1
    assert before <= float(lines[0]) <= time.monotonic()


def test_without_the_variable_the_hook_does_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(first_paint.ENV, raising=False)
    window = small_window(qtbot)
    first_paint.watch(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert window.isVisible()
    assert "first-paint" not in capsys.readouterr().out
