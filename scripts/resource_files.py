"""Which files of resources/ a build must carry, and the check that fails a build without them.

A build that lost its resources runs, exits 0 and logs nothing: only its window looks wrong
(PLATFORM.md, "Packaging"). So the wheel (setup.py), the frozen build (build.spec) and their tests
compare what they carry with this list, made from the source tree: every style sheet and icon
of resources/, the compiled .qm of every .ts, and the generated third-party notices.

    python scripts/resource_files.py [FOLDER]   # exits 1, naming what FOLDER lacks
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources"
PACKAGE = "monsisra_resources"  # the name resources/ is installed under (setup.py)
NOTICES = "notices/THIRD-PARTY-NOTICES.txt"  # made by scripts/notices.py


def expected(source: Path = SOURCE) -> list[str]:
    """The paths, relative to the resources folder, that every build must hold."""
    names = [p.name for p in source.glob("*.qss")]
    names += [f"icons/{p.name}" for p in (source / "icons").glob("*.svg")]
    names += [f"translations/{p.stem}.qm" for p in (source / "translations").glob("*.ts")]
    names.append(NOTICES)
    return sorted(names)


def missing(folder: Path, source: Path = SOURCE) -> list[str]:
    """What `folder` (a resources folder: the source, an installed package, a bundle's) lacks."""
    return [name for name in expected(source) if not (folder / name).is_file()]


class MissingResources(RuntimeError):
    def __init__(self, folder: Path, names: list[str]) -> None:
        hint = ""
        if any(name.endswith(".qm") for name in names) or NOTICES in names:
            hint = " (the .qm and the notices are built: make package, or make demo for a checkout)"
        super().__init__(f"{folder} lacks {len(names)} resource files: {', '.join(names)}{hint}")


def check(folder: Path, source: Path = SOURCE) -> None:
    """Raises MissingResources naming every file of `expected` that `folder` lacks."""
    names = missing(folder, source)
    if names:
        raise MissingResources(folder, names)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else SOURCE
    try:
        check(folder)
    except MissingResources as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{folder}: the {len(expected())} resource files are there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
