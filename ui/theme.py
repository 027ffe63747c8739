"""The look: one style sheet and the icons, from resources/ (next to the packages in a checkout,
bundled beside the executable in a frozen build)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

ACCENT = "#0f6e8c"


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@cache
def icon(name: str) -> QIcon:
    """resources/icons/<name>.svg (an empty icon when missing: a missing icon is no crash)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def apply(app: QApplication) -> None:
    style = resources_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
