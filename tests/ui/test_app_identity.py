"""The app's identity for the desktop: the reverse-DNS desktop file name (launchers match our
windows with it), a display name for people, and an application name without a space, because Qt
builds D-Bus object paths from it (the launcher badge's /com/canonical/unity/launcherentry/<name>):
"MonSisra bureau" made an invalid path and a warning at each start. Checked for real: the app
run on an X display with a D-Bus session bus, its stderr and its log read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import about
from tests.ui.test_app_main import app_command
from ui import app as ui_app

ROOT = Path(__file__).resolve().parents[2]
DBUS_PATH_ELEMENT = re.compile(r"[A-Za-z0-9_]+")


@pytest.fixture
def names_restored(qapp: QApplication) -> Iterator[None]:
    before = (
        QApplication.applicationName(),
        QApplication.applicationDisplayName(),
        QApplication.applicationVersion(),
        QApplication.desktopFileName(),
    )
    yield
    QApplication.setApplicationName(before[0])
    QApplication.setApplicationDisplayName(before[1])
    QApplication.setApplicationVersion(before[2])
    QApplication.setDesktopFileName(before[3])


@pytest.mark.usefixtures("names_restored")
def test_the_application_is_named_for_people_and_for_d_bus() -> None:
    app = ui_app.make_application([])
    assert app.desktopFileName() == "fr.sante_ara.MonSisraBureau"
    assert app.applicationDisplayName() == "MonSisra bureau"
    assert app.applicationVersion() == about.version()
    assert DBUS_PATH_ELEMENT.fullmatch(app.applicationName())


def test_no_d_bus_warning_on_a_desktop_session(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("QT_")},
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": str(ROOT),
    }
    command = app_command(data, "--quit-after", "3")
    assert command[0] == sys.executable
    done = subprocess.run(
        ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    log = (data / "logs" / "monsisra.log").read_text(encoding="utf-8")
    assert "app closed" in log  # it ran, on the display, to its end
    for output in (done.stderr, log):
        assert "Invalid object path" not in output
        assert "qt.dbus" not in output
