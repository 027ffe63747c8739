"""Showing one of the regional pages (teleconsultations, patients, téléexpertise) in a test."""

from __future__ import annotations

from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

from ui import theme

W = TypeVar("W")
WAIT = 20_000


def style(sheet: str) -> str:
    return (theme.resources_dir() / sheet).read_text(encoding="utf-8")


def shown(qtbot: QtBot, view: W, sheet: str, size: tuple[int, int]) -> W:
    """`view` with its style sheet, shown offscreen, once its first load is over (and did not
    fail: the page's status line says why when it does)."""
    page: Any = view
    page.setStyleSheet(style(sheet))
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    assert not page.status_label.property("error"), page.status_label.text()
    return view
