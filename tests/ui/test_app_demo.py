"""`make demo`'s script: the sandbox starts with demo data, the app opens on it with the demo
account, and when the app quits the sandbox is stopped too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_starts_the_sandbox_and_the_app_and_stops_both(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "scripts/demo.py", "--data", str(data), "--", "--quit-after", "3"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "serveur arrêté" in done.stdout
    log = (data / "client" / "logs" / "monsisra.log").read_text(encoding="utf-8")
    assert "app closed" in log
    assert (data / "server").is_dir()
    # The sandbox process is gone: its URL no longer answers.
    url = next(w for w in done.stdout.split() if w.startswith("http://127.0.0.1:"))
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/.well-known/jmap", timeout=2)
