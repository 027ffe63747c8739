"""The look: one style sheet and the icons, from the resources, the base font and a light palette
so that what the style sheet does not cover (dialogs, menus, tooltips) matches it.

The resources (resources/ in the checkout) are installed as the package `monsisra_resources`, and
found through importlib.resources wherever the app runs: an installed wheel, an editable install,
the frozen app (PyInstaller serves the package's folder under _internal/). A checkout run without
installing the project (PYTHONPATH) has no such package and reads its own resources/ folder.
A build without them runs but looks broken, so their absence is logged at start and said on the
login window (`missing_resources`).
"""

from __future__ import annotations

import importlib.resources
import logging
import re
from functools import cache
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ACCENT = "#0f6e8c"
ACCENT_DARK = "#0c5d77"
TEXT = "#1f2933"
MUTED = "#616e7c"
BACKGROUND = "#ffffff"
SURFACE = "#f5f7f9"
BORDER = "#e4e8ec"
DANGER = "#b42318"
BASE_FONT_PX = 14
FONT_FAMILY = "DejaVu Sans"
ICONS_MARK = "@ICONS@"  # in a .qss: replaced by the icons folder, for url(@ICONS@/check.svg)
RESOURCES_PACKAGE = "monsisra_resources"
NOTICES = "notices/THIRD-PARTY-NOTICES.txt"  # made at build time by scripts/notices.py

log = logging.getLogger("monsisra.ui.theme")


@cache
def resources_dir() -> Path:
    """The one place the app reads its resources from (see the module's docstring)."""
    try:
        return Path(str(importlib.resources.files(RESOURCES_PACKAGE)))
    except ModuleNotFoundError:  # a checkout, not installed
        return Path(__file__).resolve().parent.parent / "resources"


@cache
def missing_resources() -> list[str]:
    """The files the app reads by name that are not there (relative to `resources_dir()`): the
    main style sheet, the app's icon, the icons the style sheets name, the translation of each
    language offered and the third-party notices. Looked for once per run (the style sheets are
    read again for it): start-up logs it, and every login window shown after a lock asks again."""
    from ui import i18n

    folder = resources_dir()
    named = ["style.qss", "icons/monsisra.svg", NOTICES]
    languages = [lang for lang in i18n.LOCALES if lang != i18n.SOURCE_LANGUAGE]
    named += [i18n.qm_path(lang, Path("translations")).as_posix() for lang in languages]
    for sheet in folder.glob("*.qss"):
        text = sheet.read_text(encoding="utf-8")
        named += [f"icons/{name}" for name in re.findall(rf"{ICONS_MARK}/([\w.-]+)", text)]
    return sorted(name for name in set(named) if not (folder / name).is_file())


@cache
def icon(name: str) -> QIcon:
    """resources/icons/<name>.svg (an empty icon when missing: a missing icon is no crash)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    return icon("monsisra")


def style_sheet() -> str:
    """style.qss first, then every other resources/*.qss (one per screen) in sorted order."""
    base = resources_dir() / "style.qss"
    sheets = [base] if base.exists() else []
    sheets += [p for p in sorted(resources_dir().glob("*.qss")) if p.name != "style.qss"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sheets)
    return text.replace(ICONS_MARK, (resources_dir() / "icons").as_posix())


def palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BACKGROUND,
        QPalette.ColorRole.AlternateBase: SURFACE,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: TEXT,
        QPalette.ColorRole.ToolTipText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9aa5b1",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa5b1"))
    return p


def apply(app: QApplication) -> None:
    """Fusion (the same on every OS, fully styleable), the palette, the 14 px base font, the
    window icon and the style sheets."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    font = QFont(FONT_FAMILY)
    font.setPixelSize(BASE_FONT_PX)
    app.setFont(font)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(style_sheet())
    missing = missing_resources()
    if missing:
        log.error("resource files missing from %s: %s", resources_dir(), ", ".join(missing))


def restyle(widget: QWidget, **properties: object) -> None:
    """Sets dynamic properties and has the style sheet read again, so that selectors such as
    `QLabel[error="true"]` follow the new values (Qt does not re-polish by itself)."""
    for name, value in properties.items():
        widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
