"""What the app is: its name, id, version and the versions of what it is built on — for support.

One source for the version: the `monsisra-bureau` distribution's metadata (`version` in
pyproject.toml; a frozen build copies the metadata in), so that `monsisra --version`,
`monsisra-cli --version`, the first line of each log and the "À propos" dialog can never
disagree. Qt-free: the desktop app adds Qt's and PySide6's versions itself, and the CLI prints
its version without loading Qt. SQLCipher is asked here (`ui/` may not import sqlcipher3).
"""

from __future__ import annotations

import importlib.metadata
import platform
import secrets
import ssl
import sys
from dataclasses import dataclass
from typing import Any

PRODUCT_NAME = "MonSisra bureau"
# Reverse-DNS of the organisation's domain (sante-ara.fr, GCS SARA); the hyphen becomes "_" as
# AppStream and D-Bus ask. Also the desktop file's and the icon's name.
APP_ID = "fr.sante_ara.MonSisraBureau"
DISTRIBUTION = "monsisra-bureau"
LICENCE = "EUPL-1.2"
LICENCE_NAME = "Licence publique de l'Union européenne (EUPL) 1.2"
UNKNOWN = "inconnue"


def window_title(what: str = "") -> str:
    """Every window's title: "<what> — MonSisra bureau", the app's name once and last (what the
    taskbar cuts is the end); the name alone for the main window."""
    return f"{what} — {PRODUCT_NAME}" if what else PRODUCT_NAME


def version() -> str:
    """The installed distribution's version ("inconnue" for code run without being installed)."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def version_line() -> str:
    """What `--version` prints: "MonSisra bureau 0.1.0"."""
    return f"{PRODUCT_NAME} {version()}"


def start_line(program: str) -> str:
    """The first log line of a run: which program, which version, on what (for support)."""
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    return (
        f"{program}: {version_line()}{frozen}, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )


@dataclass(frozen=True)
class CoreVersions:
    """The core's parts, for the About dialog (which names them in the user's language)."""

    app: str
    python: str
    sqlcipher: str
    sqlcipher_crypto: str  # the library SQLCipher encrypts with ("OpenSSL 3.6.0 …"), if it says
    tls: str  # the OpenSSL of Python's ssl module: the connections to the server
    system: str


def core_versions() -> CoreVersions:
    """Opens a throwaway in-memory SQLCipher database (the crypto provider answers only once a
    key is set; the key is random and nothing is written): run it off the UI thread."""
    sqlcipher, crypto = _sqlcipher_versions()
    return CoreVersions(
        app=version(),
        python=f"{platform.python_version()} ({platform.python_implementation()})",
        sqlcipher=sqlcipher or UNKNOWN,
        sqlcipher_crypto=crypto or UNKNOWN,
        tls=ssl.OPENSSL_VERSION,
        system=platform.platform(),
    )


def _sqlcipher_versions() -> tuple[str, str]:
    import sqlcipher3

    db = sqlcipher3.connect(":memory:")
    try:
        db.execute(f"PRAGMA key = \"x'{secrets.token_hex(32)}'\"")
        return _pragma(db, "cipher_version"), _pragma(db, "cipher_provider_version")
    finally:
        db.close()


def _pragma(db: Any, name: str) -> str:
    row = db.execute(f"PRAGMA {name}").fetchone()
    return str(row[0]) if row else ""


def licence_text() -> str | None:
    """The project's LICENSE as the distribution's metadata carries it (a wheel, and the frozen
    app that copies the metadata: `licenses/LICENSE` since PEP 639, `LICENSE` before), None
    where it is not there (a checkout run without installing)."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for name in ("licenses/LICENSE", "LICENSE"):
        text = dist.read_text(name)
        if text:
            return text
    return None
