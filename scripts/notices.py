"""`scripts/notices.py --out FILE`: the third-party notices of everything the running interpreter
has installed, written as one plain-text file the app ships and shows (resources/notices/).

Run with the build venv's Python it lists what the frozen app bundles (the runtime dependencies,
PyInstaller's bootloader); with the dev venv's, what a checkout runs on. For each distribution
but this project's own: its name, version, licence (the SPDX expression of PEP 639, else the
older License field, else the licence classifiers) and the text of every licence file its
metadata carries: those named so (LICENSE, COPYING…) and everything in its `licenses/` folder
(PEP 639), where pypdfium2 puts its own and PDFium's under their SPDX or project names. Then
Python's own licence, and the licences of code that wheels link in without shipping its text:
Qt (LGPL-3.0, in PySide6's wheels) and SQLCipher and OpenSSL (statically in sqlcipher3's). Those
texts come from scripts/licenses/ (SPDX texts, npm package spdx-license-list 6.12.0).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

LICENSES = Path(__file__).resolve().parent / "licenses"
LICENSE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
RULE = "=" * 100
OURS = "monsisra-bureau"


@dataclass(frozen=True)
class Embedded:
    """Code a wheel links in whose licence text the wheel does not ship."""

    what: str
    licence: str  # SPDX id, the name of its text in scripts/licenses/
    holder: str


EMBEDDED: dict[str, tuple[Embedded, ...]] = {
    "pyside6-essentials": (
        Embedded("Qt 6 (libraries, plugins, translations)", "LGPL-3.0-only", "The Qt Company Ltd."),
    ),
    "shiboken6": (Embedded("Shiboken 6", "LGPL-3.0-only", "The Qt Company Ltd."),),
    "sqlcipher3": (
        Embedded("SQLCipher 4 (statically linked)", "BSD-3-Clause", "ZETETIC LLC"),
        Embedded("OpenSSL 3 (statically linked)", "Apache-2.0", "The OpenSSL Project Authors"),
    ),
}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(metadata: importlib.metadata.PackageMetadata) -> str:
    expression = metadata.get("License-Expression")
    if expression:
        return str(expression)
    field = str(metadata.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 100:  # a name, not a pasted text
        return field
    classifiers = [
        c.rsplit(" :: ", 1)[-1]
        for c in metadata.get_all("Classifier") or []
        if c.startswith("License :: ")
    ]
    if classifiers:
        return " / ".join(classifiers)
    return "not declared (see the files below)" if field else "not declared"


def licence_files(dist: importlib.metadata.Distribution) -> list[tuple[str, str]]:
    """(name, text) of each licence file in the distribution's metadata folder."""
    found = []
    for file in dist.files or []:
        parts = file.parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        if LICENSE_FILE.search(file.name) or parts[1:2] == ("licenses",):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                name = "/".join(parts[1:])
                found.append((name, path.read_text(encoding="utf-8", errors="replace")))
    return sorted(found)


def section(title: str, body: str) -> str:
    return f"{RULE}\n{title}\n{RULE}\n\n{body.strip()}\n\n"


def python_licence() -> str:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for candidate in (stdlib / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace")
    return "PSF-2.0: https://docs.python.org/3/license.html"


def notices() -> str:
    dists = {normalized(d.metadata["Name"]): d for d in importlib.metadata.distributions()}
    dists.pop(OURS, None)  # not third-party (and installed after the notices, in a build)
    out = [
        "MonSisra bureau — licences des composants tiers / third-party notices\n\n"
        f"Python {sys.version.split()[0]} and {len(dists)} distributions, "
        "from the environment the app was built from.\n\n"
    ]
    for key in sorted(dists):
        dist = dists[key]
        name, version = dist.metadata["Name"], dist.version
        body = f"Licence: {licence_of(dist.metadata)}\n"
        for file_name, text in licence_files(dist):
            body += f"\n--- {file_name} ---\n\n{text.strip()}\n"
        for embedded in EMBEDDED.get(key, ()):
            text = (LICENSES / f"{embedded.licence}.txt").read_text(encoding="utf-8")
            body += (
                f"\n--- {embedded.what}: {embedded.licence}, copyright {embedded.holder} "
                "(text not shipped in the wheel; SPDX text) ---\n\n"
                f"{text.strip()}\n"
            )
        out.append(section(f"{name} {version}", body))
    out.append(section(f"Python {sys.version.split()[0]}", python_licence()))
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--out", type=Path, required=True, help="the notices file to write")
    args = p.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(notices(), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
