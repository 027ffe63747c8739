"""The frozen app trusts the OS store as the venv does: certifi's bundle is never read (httpx is
always given our context), and an OpenSSL whose built-in store points at folders this system
lacks falls back to the distribution's bundle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("tls_frozen_child.py")


def test_a_frozen_style_run_without_certifi_trusts_the_system_store(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SSL_CERT_FILE": str(tmp_path / "absent.pem"),
        "SSL_CERT_DIR": str(tmp_path / "absent"),
    }
    done = subprocess.run(
        [sys.executable, str(CHILD), str(tmp_path / "_internal")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["stats"]["x509_ca"] > 10  # the distribution's roots (Debian: ~140)
