"""`make translations`: refreshes every resources/translations/monsisra_<lang>.ts from the strings
of ui/ and from the core's catalogue of sentences, app/messages/ (context "core", marked there
with QT_TRANSLATE_NOOP) — lupdate: new strings come in unfinished, existing translations are kept,
strings gone from the code are dropped — and compiles each into the .qm the app loads (lrelease).

`--compile` only compiles, leaving the .ts as they are: what `make demo`, `make test` and
`make screenshots` need. The .qm files are build products, never committed.

French is the source language (the strings written in tr()): it has no .ts of its own.
`--add de` starts the .ts of a new language.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
SOURCES = ROOT / "ui"
CATALOGUE = ROOT / "app" / "messages"  # the core's sentences (Qt-free: lupdate only reads them)
SOURCE_LANGUAGE = "fr"
PREFIX = "monsisra_"


def tool(name: str) -> str:
    """A Qt tool of the PySide6 wheel: the one beside this Python first (the venv), then PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install the project (make) or PySide6 first")
    return found


def run_tool(name: str, *args: str) -> None:
    subprocess.run([tool(name), "-silent", *args], check=True)  # noqa: S603 (fixed argv, no shell)


def ui_sources() -> list[Path]:
    """Every Python file of the desktop app, in a stable order."""
    return sorted(SOURCES.rglob("*.py"))


def sources() -> list[Path]:
    """What lupdate reads: the desktop app, then the core's catalogue."""
    return [*ui_sources(), *sorted(CATALOGUE.glob("*.py"))]


def ts_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob(f"{PREFIX}*.ts"))


def language_of(ts: Path) -> str:
    return ts.stem.removeprefix(PREFIX)


def qm_for(ts: Path, out_dir: Path | None = None) -> Path:
    return (out_dir or ts.parent) / f"{ts.stem}.qm"


def extract(ts: Path, language: str) -> None:
    """Creates or updates `ts` with the strings of ui/ and of the core's catalogue (translations
    already in it are kept).
    Line locations are relative, so that an edit elsewhere in a file does not rewrite them all."""
    ts.parent.mkdir(parents=True, exist_ok=True)
    run_tool(
        "pyside6-lupdate",
        "-no-obsolete",
        "-locations",
        "relative",
        "-source-language",
        SOURCE_LANGUAGE,
        "-target-language",
        language,
        *(str(p) for p in sources()),
        "-ts",
        str(ts),
    )


def compile_ts(ts: Path, qm: Path) -> None:
    """`ts` → `qm`; unfinished messages are left out (the French source shows instead)."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    run_tool("pyside6-lrelease", str(ts), "-qm", str(qm))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--compile", action="store_true", help="only compile the .qm, without running lupdate"
    )
    p.add_argument("--add", metavar="LANG", help="start the .ts of a new language (e.g. de)")
    args = p.parse_args(argv)
    if args.add:
        extract(TRANSLATIONS / f"{PREFIX}{args.add}.ts", args.add)
    for ts in ts_files():
        if not args.compile:
            extract(ts, language_of(ts))
        qm = qm_for(ts)
        compile_ts(ts, qm)
        print(qm.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
