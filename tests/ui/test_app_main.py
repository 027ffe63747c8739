"""`monsisra` as a process: the screenshot mode paints the login window to a PNG; a second
launch on the same data folder tells the first to come forward and exits; --quit-after ends the
app cleanly (the smoke test of a build)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def app_command(data: Path, *extra: str) -> list[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return [
        sys.executable,
        "-m",
        "ui.app",
        "--data",
        str(data),
        "--server",
        f"http://127.0.0.1:{port}",
        *extra,
    ]


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def wait_for_line(log: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(encoding="utf-8"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never logged")


def test_screenshot_mode_paints_the_login_window_to_a_png(tmp_path: Path) -> None:
    hint = '{"login": "helene.garnier", "password": "sisra-demo-2026"}'
    out = tmp_path / "shots"
    done = subprocess.run(
        app_command(
            tmp_path / "data",
            "--screenshot-mode",
            "--screenshot-dir",
            str(out),
            "--demo-hint",
            hint,
        ),
        env=env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out / "login.png"))
    assert image.width() >= 480
    assert image.height() >= 600
    # The page background is the theme's light grey, not Qt's default.
    assert image.pixelColor(5, 5).name() == "#eef2f5"


def test_a_second_launch_brings_the_first_forward_and_exits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    log = data / "logs" / "monsisra.log"
    # As a context manager, Popen closes its pipes once the app has ended.
    with subprocess.Popen(
        app_command(data, "--quit-after", "8"),
        env=env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as first:
        try:
            wait_for_line(log, "single-instance socket listening")
            second = subprocess.run(
                app_command(data),
                env=env(),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            assert second.returncode == 0, second.stderr
            assert "déjà ouvert" in second.stdout
            wait_for_line(log, "asked to come forward by a second launch")
            assert first.wait(timeout=30) == 0  # --quit-after: closed cleanly
            assert "app closed" in log.read_text(encoding="utf-8")
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()


def test_the_entry_point_leaves_the_core_and_the_main_window_for_later() -> None:
    """The core (HTTP, crypto, cache: about half a second) loads in a worker thread once the
    login window painted, and the main window's features after it (ui/app.py `_settle`):
    importing the entry point must load neither."""
    probe = (
        "import sys, ui.app; "
        "print(sorted(m for m in ('app.session', 'app.store', 'ui.shell.main_window', "
        "'ui.composer', 'ui.mail') if m in sys.modules))"
    )
    assert _printed_by(probe) == "[]"


def test_the_first_connection_imports_nothing_and_reads_no_trust_store_on_the_ui_thread() -> None:
    """The login window's first probe (or the login itself) would import httpx's transport and
    read the system's trust store on the UI thread (0.1-0.3 s, a stall at the first login): the
    core's loading (`load_core`, in a worker thread) does both before."""
    probe = (
        "import asyncio, sys\n"
        "from ui.login.core import load_core\n"
        "from app.remote import tls\n"
        "core = asyncio.run(load_core())\n"
        "before, built = set(sys.modules), tls._context.cache_info().misses\n"
        "asyncio.run(core.probe('http://127.0.0.1:9', None))\n"
        "print(sorted(set(sys.modules) - before), tls._context.cache_info().misses - built)\n"
    )
    assert _printed_by(probe) == "[] 0"


def _printed_by(probe: str) -> str:
    """What `probe` prints, run by a fresh interpreter on the repository (nothing imported yet)."""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**env(), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()
