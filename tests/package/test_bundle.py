"""The frozen bundle `make package` built (dist/monsisra-bureau/), checked as shipped: both
programs run and say the project's version; it holds every module of app/ and ui/ and none of the
server, the tests, the benchmarks or the dev tools; it carries PDFium, which renders a page as
shipped; it is trimmed (no GTK theme, Qt translations
in French and English only, no dangling link), stripped, within its size budget, carries every
resource; and its window really starts styled, which only its pixels tell (a build without its
resources exits 0 and logs nothing: PLATFORM.md, "Packaging")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from scripts import resource_files
from tests.package.conftest import EXE, ROOT, program
from tests.ui.pdf_make import one_page_pdf
from ui import theme

PROGRAMS = ("monsisra", "monsisra-cli")
FORBIDDEN = (
    "server", "tests", "bench", "fastapi", "starlette", "pydantic", "pydantic_core", "uvicorn",
    "rich", "pygments", "_pytest", "pytest", "click",
)  # fmt: skip
BUDGET_MB = 170  # 156 MB, then PDFium's 7 MB for the PDF previews (163 MB)
# The login window of a styled build paints ≈14,000 pixels of the accent colour (the button, the
# logo, the links); an unstyled one none. Half of the former tells them apart with room to spare.
ACCENT_PIXELS_MIN = 7_000
OFFLINE_SERVER = "http://127.0.0.1:9"  # nothing answers: the window shows without a server


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        version: str = tomllib.load(f)["project"]["version"]
    return version


def user_env(home: Path) -> dict[str, str]:
    """What a user's session gives a program: no PYTHONPATH, no venv, a home of its own."""
    if sys.platform == "win32":  # Windows needs its own folder and profile variables to start
        kept = ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA", "APPDATA")
        system = os.environ.get("SYSTEMROOT", r"C:\Windows")
        return {
            **{name: os.environ[name] for name in kept if name in os.environ},
            "PATH": f"{system}\\system32;{system}",
        }
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",  # the one UTF-8 locale every system has
        "XDG_RUNTIME_DIR": str(runtime),
    }


def pyz_modules(bundle: Path, build_python: Path) -> set[str]:
    """The modules of the bundle's PYZ archive (PyInstaller's own reader, from the build venv)."""
    viewer = build_python.parent / f"pyi-archive_viewer{EXE}"
    listing = subprocess.run(
        [str(viewer), "--recursive", "--brief", str(program(bundle, "monsisra"))],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    _, _, pyz = listing.partition("Contents of 'PYZ.pyz' (PYZ):")
    return {line.strip() for line in pyz.splitlines() if line.strip()}


def source_modules(package: str) -> set[str]:
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.add(".".join(parts))
    return names


def files(bundle: Path) -> Iterator[Path]:
    for folder, _, names in os.walk(bundle):
        for name in names:
            yield Path(folder, name)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


@pytest.mark.parametrize("name", PROGRAMS)
def test_each_program_prints_the_version_of_pyproject(
    bundle: Path, name: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [str(program(bundle, name)), "--version"],
        capture_output=True,
        text=True,
        env=user_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pyproject_version() in done.stdout.split(), done.stdout


def test_every_module_of_app_and_ui_is_in_the_bundle(bundle: Path, build_python: Path) -> None:
    bundled = pyz_modules(bundle, build_python)
    missing = (source_modules("app") | source_modules("ui")) - bundled
    assert not missing, sorted(missing)
    assert resource_files.PACKAGE in bundled  # what importlib.resources resolves


def test_nothing_of_the_server_the_tests_or_the_dev_tools_is_in_the_bundle(
    bundle: Path, build_python: Path
) -> None:
    modules = [n for n in pyz_modules(bundle, build_python) if n.split(".")[0] in FORBIDDEN]
    internal = bundle / "_internal"
    folders = {
        p.name
        for p in internal.iterdir()
        if re.split(r"[-.]", p.name)[0].lower().replace("-", "_") in FORBIDDEN
    }
    assert not modules, sorted(modules)
    assert not folders, sorted(folders)


def pdfium_library(bundle: Path) -> Path:
    name = {"win32": "pdfium.dll", "darwin": "libpdfium.dylib"}.get(sys.platform, "libpdfium.so")
    return bundle / "_internal" / "pypdfium2_raw" / name


def test_pdfium_and_pypdfium2_are_in_the_bundle(bundle: Path, build_python: Path) -> None:
    """PDFium is loaded by ctypes from pypdfium2_raw's folder, and pypdfium2 reads its version
    files at import: none of them is found by following imports."""
    assert pdfium_library(bundle).is_file()
    for package in ("pypdfium2", "pypdfium2_raw"):
        assert (bundle / "_internal" / package / "version.json").is_file(), package
    modules = pyz_modules(bundle, build_python)
    assert {"pypdfium2", "pypdfium2_raw.bindings", "ui.mail.pdf_page"} <= modules


def test_the_bundled_pdfium_renders_a_page(bundle: Path, tmp_path: Path) -> None:
    """The bundle's own PDFium, stripped as shipped, draws a 200 × 100 page with a 100 × 50
    rectangle in its middle (in a process of its own: tests/package/pdfium_probe.py)."""
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(one_page_pdf(200, 100))
    probe = Path(__file__).with_name("pdfium_probe.py")
    done = subprocess.run(
        [sys.executable, str(probe), str(pdfium_library(bundle)), str(pdf)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.split() == ["200x100", "5000"]


def test_qt_gtk_theme_is_not_bundled(bundle: Path) -> None:
    gtk = [p for p in files(bundle) if "qgtk3" in p.name or p.name.startswith("libgtk-3")]
    assert not gtk, gtk


def test_qt_translations_are_french_and_english_only(bundle: Path) -> None:
    folder = bundle / "_internal" / "PySide6" / "Qt" / "translations"
    names = sorted(p.name for p in folder.iterdir())
    assert "qtbase_fr.qm" in names
    others = [n for n in names if not re.search(r"_(fr|en)\.qm$", n)]
    assert not others, others


def test_no_link_in_the_bundle_is_dangling(bundle: Path) -> None:
    dangling = [p for p in files(bundle) if p.is_symlink() and not p.exists()]
    assert not dangling, dangling


def test_every_resource_is_in_the_bundle(bundle: Path) -> None:
    folder = bundle / "_internal" / resource_files.PACKAGE
    assert resource_files.missing(folder) == []


def test_the_notices_cover_what_is_bundled_and_what_wheels_link_in(bundle: Path) -> None:
    notices = (bundle / "_internal" / resource_files.PACKAGE / theme.NOTICES).read_text()
    sections = ("PySide6_Essentials ", "sqlcipher3 ", "httpx ", "pypdfium2 ", "pyinstaller ")
    for section in (*sections, "Python 3."):
        assert f"\n{section}" in notices, section
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in notices  # Qt
    assert "Apache License" in notices  # OpenSSL, in sqlcipher3
    assert "ZETETIC LLC" in notices  # SQLCipher
    assert "The PDFium Authors" in notices  # in pypdfium2's licenses/ folder
    assert "\nfastapi " not in notices  # the build venv's, not the dev venv's
    assert "\nmonsisra-bureau " not in notices  # ours is no third party


def test_every_elf_file_is_stripped(bundle: Path) -> None:
    elves = [str(p) for p in files(bundle) if is_elf(p)]
    assert len(elves) > 50  # the executables, Qt, Python and its extensions
    described = subprocess.run(
        ["file", *elves], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    unstripped = [line for line in described.splitlines() if "not stripped" in line]
    assert not unstripped, unstripped


def test_bundle_fits_its_size_budget(bundle: Path) -> None:
    size = sum(p.stat().st_size for p in files(bundle) if not p.is_symlink())
    print(f"bundle: {size / 1e6:.1f} MB (budget {BUDGET_MB} MB)")
    assert size <= BUDGET_MB * 1e6


def accent_pixels(png: Path) -> int:
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB32)
    accent = QColor(theme.ACCENT).rgb()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixel(x, y) == accent
    )


def test_frozen_app_starts_styled_under_x_and_says_nothing_unexpected(
    bundle: Path, tmp_path: Path
) -> None:
    shots = tmp_path / "shots"
    app = [str(program(bundle, "monsisra")), "--screenshot-mode", "--screenshot-dir", str(shots)]
    env = user_env(tmp_path)
    if sys.platform.startswith("linux"):  # Xvfb; the Windows and macOS runners have a desktop
        app = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *app]
        env["QT_QPA_PLATFORM"] = "xcb"
    done = subprocess.run(
        [*app, "--data", str(tmp_path / "data"), "--server", OFFLINE_SERVER],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr  # a Qt warning, a missing file, a traceback
    pixels = accent_pixels(shots / "login.png")
    print(f"accent pixels on the frozen login window: {pixels}")
    assert pixels >= ACCENT_PIXELS_MIN
