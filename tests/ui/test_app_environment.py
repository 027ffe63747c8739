"""A frozen build hands the programs it opens the user's environment: a link opened by the app
runs xdg-open (here a fake one, first on PATH, that records its environment) with the user's
LD_LIBRARY_PATH and without Qt's plugin path into the bundle. Under Xvfb: Qt opens links through
xdg-open on a real X display only (the offscreen platform cannot open them)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("open_url_child.py")
URL = "https://portail.sante-ara.fr/aide"


def fake_xdg_open(folder: Path) -> tuple[Path, Path]:
    """A folder holding an `xdg-open` that writes its arguments and environment to a file."""
    record = folder / "xdg-open.env"
    script = folder / "bin" / "xdg-open"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\n{{ echo "ARGS=$*"; env; }} > "{record}.tmp"\n'
                      f'mv "{record}.tmp" "{record}"\n')  # fmt: skip
    script.chmod(0o755)
    return script.parent, record


def recorded(record: Path, timeout: float = 20) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while not record.exists():
        assert time.monotonic() < deadline, "xdg-open was never run"
        time.sleep(0.1)
    lines = record.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_a_link_opened_by_the_frozen_app_gets_the_users_environment(tmp_path: Path) -> None:
    bundle = tmp_path / "monsisra-bureau" / "_internal"
    bundle.mkdir(parents=True)
    bin_dir, record = fake_xdg_open(tmp_path)
    user_lib = "/opt/hopital/lib"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("QT_")},
        "PYTHONPATH": str(ROOT),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        # What the bootloader and PySide6's start-up hook leave in a frozen app's environment.
        "LD_LIBRARY_PATH": f"{bundle}:{user_lib}",
        "LD_LIBRARY_PATH_ORIG": user_lib,
        "QT_PLUGIN_PATH": str(bundle / "PySide6" / "Qt" / "plugins"),
        "QT_QPA_PLATFORM": "xcb",
    }
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", sys.executable, str(CHILD),
         str(bundle), URL],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = recorded(record)
    assert seen["ARGS"] == URL
    assert seen["LD_LIBRARY_PATH"] == user_lib
    assert "LD_LIBRARY_PATH_ORIG" not in seen
    assert "QT_PLUGIN_PATH" not in seen
    assert seen["PATH"].startswith(str(bin_dir))  # the user's PATH, untouched on Linux
