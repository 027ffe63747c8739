"""`make demo`'s script: the sandbox starts with demo data, the app opens on it with the demo
account, and when the app quits the sandbox is stopped too; without a display, under Xvfb."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from scripts import demo

ROOT = Path(__file__).resolve().parents[2]

NO_DISPLAY = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
}


@pytest.mark.slow
def test_demo_starts_the_sandbox_and_the_app_and_stops_both(tmp_path: Path) -> None:
    """Run as on a machine without a screen (ssh, CI): the script goes under Xvfb by itself."""
    data = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "scripts/demo.py", "--data", str(data), "--", "--quit-after", "3"],
        env=NO_DISPLAY,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sous Xvfb" in done.stdout
    assert "serveur arrêté" in done.stdout
    log = (data / "client" / "logs" / "monsisra.log").read_text(encoding="utf-8")
    assert "app closed" in log
    assert (data / "server").is_dir()
    # The sandbox process is gone: its URL no longer answers.
    url = next(w for w in done.stdout.split() if w.startswith("http://127.0.0.1:"))
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/.well-known/jmap", timeout=2)


def test_demo_without_a_display_says_what_to_install_when_xvfb_is_missing() -> None:
    with pytest.raises(SystemExit) as stopped:
        demo.virtual_display({}, "linux", None)
    assert "sudo apt-get install xvfb xauth" in str(stopped.value.code)


@pytest.mark.parametrize(
    "environ",
    [{"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "offscreen"}],
)
def test_demo_with_a_display_runs_as_it_is(environ: dict[str, str]) -> None:
    assert demo.virtual_display(environ, "linux", "/usr/bin/xvfb-run") == []


def test_demo_outside_linux_never_looks_for_xvfb() -> None:
    assert demo.virtual_display({}, "win32", None) == []
