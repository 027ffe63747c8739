"""What the app says it is: one version, from the package metadata, printed by `--version` of
both programs without a display, logged first at each start, and the versions of the core's
parts for the About dialog (SQLCipher asked for real)."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import socket
import subprocess
import sys
from pathlib import Path

from app import about

ROOT = Path(__file__).resolve().parents[2]
INSTALLED = importlib.metadata.version("monsisra-bureau")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def no_display() -> dict[str, str]:
    """A session without a display: a QApplication would abort here (xcb, no DISPLAY)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_the_version_is_the_distributions() -> None:
    assert about.version() == INSTALLED
    assert about.version_line() == f"MonSisra bureau {INSTALLED}"
    assert about.APP_ID == "fr.sante_ara.MonSisraBureau"


def test_both_programs_print_their_version_without_a_display() -> None:
    for module in ("ui.app", "app.cli"):
        done = run("-m", module, "--version", env=no_display())
        assert done.returncode == 0, (module, done.stderr)
        assert done.stdout.strip() == f"MonSisra bureau {INSTALLED}", module
        assert done.stderr == "", module


def test_the_cli_logs_its_version_python_and_platform_first(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on: the login fails, after the log line
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**no_display(), "MONSISRA_PASSWORD": "x"}
    data = tmp_path / "data"
    done = run(
        "-m", "app.cli", "--server", f"http://127.0.0.1:{port}", "--login", "x",
        "--data", str(data), "sync", env=env,
    )  # fmt: skip
    assert done.returncode == 1
    first = (data / "logs" / "monsisra.log").read_text(encoding="utf-8").splitlines()[0]
    assert f"INFO monsisra.cli: monsisra-cli: MonSisra bureau {INSTALLED}" in first
    assert f"Python {platform.python_version()}" in first
    assert platform.system() in first


def test_the_core_versions_name_sqlcipher_and_the_openssl_it_encrypts_with() -> None:
    versions = about.core_versions()
    assert versions.app == INSTALLED
    assert versions.python.startswith(platform.python_version())
    assert versions.sqlcipher[0].isdigit(), versions.sqlcipher  # "4.19.0 community"
    assert versions.sqlcipher_crypto.startswith("OpenSSL "), versions.sqlcipher_crypto
    assert versions.tls.startswith("OpenSSL ")
