"""The package tests check what `make package` built, as it is: they run after it (the Makefile's
`package-test`), never in the main pytest run. What they need and cannot find fails them with
"run make package first": a package test is never skipped."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_VENV = ROOT / ".venv-build"  # the Makefile's runtime-only build venv
# The same smoke tests run on the Windows and macOS runners (.github/workflows/package.yml).
EXE = ".exe" if sys.platform == "win32" else ""
VENV_BIN = "Scripts" if sys.platform == "win32" else "bin"


def program(bundle: Path, name: str) -> Path:
    """One of the bundle's two programs (`monsisra`, `monsisra-cli`) as this OS names it."""
    return bundle / f"{name}{EXE}"


def built(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} not found at {path}: run make package first", pytrace=False)
    return path


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The frozen app's folder (MONSISRA_BUNDLE, default dist/monsisra-bureau)."""
    path = Path(os.environ.get("MONSISRA_BUNDLE", ROOT / "dist" / "monsisra-bureau"))
    built(program(path, "monsisra"), "the bundle's monsisra")
    return path.resolve()


@pytest.fixture(scope="session")
def build_python() -> Path:
    """The build venv's Python (PyInstaller's archive reader, setuptools for the wheel)."""
    return built(BUILD_VENV / VENV_BIN / f"python{EXE}", "the build venv")


@pytest.fixture(scope="session")
def icons() -> Path:
    """The icons `make package` made (scripts/icons.py --out build/icons)."""
    return built(ROOT / "build" / "icons", "the icons")


@pytest.fixture(scope="session")
def deb() -> Path:
    """The Debian package (MONSISRA_DEB, default the one .deb in dist/)."""
    if "MONSISRA_DEB" in os.environ:
        return built(Path(os.environ["MONSISRA_DEB"]), "the .deb").resolve()
    debs = sorted((ROOT / "dist").glob("*.deb"))
    if len(debs) != 1:
        pytest.fail(f"expected one .deb in dist/, found {len(debs)}: run make package first")
    return debs[0]
