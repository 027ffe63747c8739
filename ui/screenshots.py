"""Renders the app's main screens to PNG (for `make screenshots`, and for reviewing the look).

Each screen module exposes `demo_screenshot(session) -> QWidget` (or a coroutine giving one); this
module imports those lazily, shows each widget, lets it load and paint, and saves
`QWidget.grab()`. A module that is not in this build is skipped with a printed line. The sandbox
that feeds the screens is started by scripts/screenshots.py (ui/ never imports the server).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.session import AccountSession

SETTLE_SECONDS = 1.5  # lets a screen's first background load finish and paint


@dataclass(frozen=True)
class Screen:
    name: str  # the PNG's name
    module: str  # where `demo_screenshot` lives
    function: str = "demo_screenshot"  # another state of the same screen: its own function


SESSION_SCREENS: tuple[Screen, ...] = (
    Screen("main-window", "ui.shell.main_window"),
    Screen("main-window-filtered-1024", "ui.shell.demo_states", "demo_filtered_screenshot"),
    Screen("brouillons", "ui.shell.demo_states", "demo_drafts_screenshot"),
    Screen("reader-document-preview", "ui.mail.reader", "demo_preview_screenshot"),
    Screen("composer", "ui.composer.composer"),
    Screen("composer-long-error", "ui.shell.demo_states", "demo_error_screenshot"),
    # Issue 14 §3: a recipient outside the trust space, sending refused.
    Screen("composer-trust-space", "ui.composer.trust_demo", "demo_refused_screenshot"),
    Screen("composer-trust-space-small", "ui.composer.trust_demo", "demo_refused_small_screenshot"),
    Screen("directory", "ui.directory.view"),
    Screen("directory-favorites", "ui.directory.view", "demo_favorites_screenshot"),  # §5
    Screen("teleconsultations", "ui.teleconsultations.view"),
    Screen("patients", "ui.patients.view"),
    Screen("patients-journal", "ui.patients.view", "demo_journal_screenshot"),
    Screen("teleexpertise", "ui.teleexpertise.view"),
    Screen("shortcuts", "ui.desktop.shortcuts"),
    Screen("locked", "ui.login.locked"),
    Screen("settings", "ui.desktop.settings_dialog"),
    Screen("settings-delegation", "ui.desktop.settings_delegation"),
    Screen("settings-delegation-empty", "ui.desktop.settings_delegation", "demo_empty_screenshot"),
    Screen("settings-delegation-error", "ui.desktop.settings_delegation", "demo_error_screenshot"),
    Screen("about", "ui.desktop.about"),
    Screen("about-notices-missing", "ui.desktop.about", "demo_missing_screenshot"),
    Screen("journal", "ui.desktop.journal"),  # last: it shows the lines of the whole run
)
# For a session whose server stopped answering, with a message the server refused before.
OFFLINE_SCREENS: tuple[Screen, ...] = (
    Screen("main-window-offline-queued", "ui.shell.demo_states", "demo_offline_screenshot"),
    Screen("outbox", "ui.shell.demo_states", "demo_outbox_screenshot"),
)


async def settle(seconds: float = SETTLE_SECONDS) -> None:
    """Waits while Qt (and the qasync loop) keep running: data loads, layouts settle, paints."""
    await asyncio.sleep(seconds)  # the qasync loop is Qt's: events are processed meanwhile


async def capture(widget: QWidget, path: Path, seconds: float = SETTLE_SECONDS) -> Path:
    """Shows `widget`, lets it settle, saves its picture to `path` (PNG) and closes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.show()
    await settle(seconds)
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    widget.close()
    widget.deleteLater()  # now, on Qt's loop: not at interpreter exit, after QApplication
    await asyncio.sleep(0.1)
    return path


async def render_session_screens(
    session: AccountSession,
    out_dir: Path,
    report: Callable[[str], None] = print,
    screens: tuple[Screen, ...] = SESSION_SCREENS,
) -> list[Path]:
    """Every screen that needs an open account, one PNG each."""
    saved = []
    for screen in screens:
        try:
            module = importlib.import_module(screen.module)
        except ModuleNotFoundError as e:
            report(f"{screen.name} : ignoré ({screen.module} absent : {e.name})")
            continue
        make = getattr(module, screen.function, None)
        if make is None:
            report(f"{screen.name} : ignoré ({screen.module} n'a pas de {screen.function})")
            continue
        widget = make(session)
        if inspect.isawaitable(widget):
            widget = await widget
        path = await capture(widget, out_dir / f"{screen.name}.png")
        report(f"{screen.name} : {path}")
        saved.append(path)
    return saved
