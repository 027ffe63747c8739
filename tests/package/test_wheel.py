"""The wheel (`pip install .`, and what the frozen build is made from) carries every resource under
monsisra_resources/, its licence and metadata; and its build fails, naming the file, when a
resource is missing, instead of giving an app that starts unstyled."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from scripts import resource_files
from tests.package.conftest import ROOT

# What a wheel is built from: the checkout without its venvs, build products and history.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".bench-cache",
    ".demo-data",
    ".hypothesis",
    "screenshots",
)


def build_wheel(build_python: Path, source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`pip wheel --no-deps` with the build venv's setuptools (from the lock: no download)."""
    return subprocess.run(
        [
            str(build_python),
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(build_python: Path, tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    source = tmp_path_factory.mktemp("source") / "checkout"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    out = tmp_path_factory.mktemp("wheel")
    done = build_wheel(build_python, source, out)
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = out.glob("monsisra_bureau-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_holds_every_resource(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = {f"{resource_files.PACKAGE}/{name}" for name in resource_files.expected()}
    assert expected - names == set()
    assert f"{resource_files.PACKAGE}/__init__.py" in names  # importable: importlib.resources


def test_the_wheel_declares_the_eupl_and_carries_its_text(wheel: zipfile.ZipFile) -> None:
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    text = wheel.read(metadata).decode()
    assert "License-Expression: EUPL-1.2" in text
    (licence,) = [n for n in wheel.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    assert wheel.read(licence).decode().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")


def test_the_runtime_needs_neither_the_server_nor_the_dev_tools(wheel: zipfile.ZipFile) -> None:
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    requires = [
        line for line in wheel.read(metadata).decode().splitlines() if line.startswith("Requires")
    ]
    runtime = [line for line in requires if "extra ==" not in line and "Python" not in line]
    names = " ".join(runtime).lower()
    for package in ("fastapi", "uvicorn", "python-multipart", "pytest", "pyinstaller"):
        assert package not in names
    assert any("fastapi" in line and 'extra == "server"' in line for line in requires)


def test_a_wheel_without_a_resource_is_refused_naming_it(
    build_python: Path, tmp_path: Path
) -> None:
    source = tmp_path / "checkout"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    (source / "resources" / "translations" / "monsisra_en.qm").unlink()
    done = build_wheel(build_python, source, tmp_path / "out")
    assert done.returncode != 0
    assert "translations/monsisra_en.qm" in done.stdout + done.stderr
    assert not list((tmp_path / "out").glob("*.whl"))
