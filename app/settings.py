"""The app's settings: a declarative schema (name, type, default, French label), stored as JSON in
the settings folder (app.paths: distinct from the data folder, it roams with a Windows profile),
versioned and migrated on upgrade (the qutebrowser configdata / Picard typed options idea). No
secret ever goes here: passwords stay in the user's head, tokens in the keyring.

Qt-free, in the core: the desktop app, the command line and the tests read the same schema; the
settings dialog (ui/desktop/settings_dialog.py) only shows and edits it.

A value of the wrong type in the file (hand-edited, older build) falls back to its default
instead of breaking the start-up; unknown keys are dropped.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app import paths
from app.versioned import Migration, upgrade

log = logging.getLogger("monsisra.settings")

FILE_NAME = paths.SETTINGS_FILE_NAME
VERSION = 1
DEFAULT_SERVER_URL = "https://sante-ara.fr"

# MIGRATIONS[n] turns a version-n file into a version-(n+1) one. Never edit a shipped step.
MIGRATIONS: dict[int, Migration] = {}


@dataclass(frozen=True)
class PracticeLocation:
    """Where the practice is, for "autour de moi" searches of the directory."""

    lat: float
    lon: float
    commune: str | None = None


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: Any
    label_fr: str
    minimum: int | None = None


SCHEMA: tuple[Setting, ...] = (
    Setting("server_url", str, DEFAULT_SERVER_URL, "Adresse du serveur"),
    Setting("last_login", str, "", "Dernier identifiant utilisé"),
    Setting("remember_me", bool, False, "Se souvenir de moi"),
    Setting("cache_budget_mb", int, 500, "Place réservée aux documents (Mo)", minimum=50),
    # Added in place (no version change): a file without it gets the default, 30 days.
    Setting("offline_days", int, 30, "Documents reçus gardés hors connexion (jours)", minimum=1),
    Setting(
        "notify_patient_names",
        bool,
        False,
        "Afficher le nom des patients dans les notifications",
    ),
    Setting("autolock_minutes", int, 120, "Verrouillage après inactivité (minutes)", minimum=1),
    Setting(
        "practice_location", PracticeLocation, None, "Lieu d'exercice (pour « autour de moi »)"
    ),
    Setting("language", str, "fr", "Langue"),
    # Added in place (no version change): a file without it gets the default, none.
    Setting("ca_bundle", str, "", "Certificats d'autorité supplémentaires (IGC Santé)"),
    # Added in place too: plain text, used when the server keeps no signature for my address.
    Setting("signature", str, "", "Signature"),
    # Added in place: a file without it gets the default (10 s, as Gmail and Thunderbird).
    Setting("send_delay_s", int, 10, "Délai d'annulation de l'envoi (secondes)", minimum=0),
    # Added in place (issue 14 §5): a file without it gets the default, a year.
    Setting("traces_keep_days", int, 365, "Conserver les traces (jours)", minimum=1),
)
BY_NAME = {s.name: s for s in SCHEMA}


@dataclass(frozen=True)
class Settings:
    server_url: str = DEFAULT_SERVER_URL
    last_login: str = ""
    remember_me: bool = False
    cache_budget_mb: int = 500
    offline_days: int = 30  # the documents of these last days are downloaded ahead
    notify_patient_names: bool = False
    autolock_minutes: int = 120
    practice_location: PracticeLocation | None = None
    language: str = "fr"
    ca_bundle: str = ""  # a PEM file of extra certificate authorities, "" for none
    signature: str = ""  # below my messages, when the server keeps none for my address
    send_delay_s: int = 10  # a message sent online leaves after this delay ("Annuler"); 0 = none
    traces_keep_days: int = 365  # issue 14 §5: the trace of mailbox actions, kept this long

    def ca_bundle_path(self) -> Path | None:
        """The extra authorities' file given to the core's clients (login, probe, session)."""
        return Path(self.ca_bundle) if self.ca_bundle else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, PracticeLocation):
                value = {"lat": value.lat, "lon": value.lon, "commune": value.commune}
            out[f.name] = value
        return out

    @classmethod
    def from_json(
        cls,
        doc: object,
        migrations: dict[int, Migration] | None = None,
        version: int = VERSION,
    ) -> Settings:
        """Migrated up to `version`; each value checked against the schema."""
        if not isinstance(doc, dict):
            return cls()
        data = dict(doc)
        found = data.get("version", 1)
        found = found if isinstance(found, int) and not isinstance(found, bool) else 1
        data = upgrade(data, found, version, MIGRATIONS if migrations is None else migrations, log)
        values = {s.name: _checked(s, data[s.name]) for s in SCHEMA if s.name in data}
        return cls(**{k: v for k, v in values.items() if v is not _INVALID})

    def with_(self, **changes: Any) -> Settings:
        for name, value in changes.items():
            setting = BY_NAME.get(name)
            if setting is None or _checked(setting, value) is _INVALID:
                raise ValueError(f"setting {name}: invalid value")
        return replace(self, **changes)


_INVALID: Any = object()


def _checked(setting: Setting, value: object) -> Any:
    """`value` when it fits `setting`, else _INVALID."""
    if value is None:
        return None if setting.default is None else _INVALID
    if setting.kind is PracticeLocation:
        return _location(value)
    if setting.kind is bool:
        return value if isinstance(value, bool) else _INVALID
    if setting.kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            return _INVALID
        return value if setting.minimum is None or value >= setting.minimum else _INVALID
    return value if isinstance(value, setting.kind) else _INVALID


def _location(value: object) -> PracticeLocation | Any:
    if isinstance(value, PracticeLocation):
        return value
    if not isinstance(value, dict):
        return _INVALID
    lat, lon, commune = value.get("lat"), value.get("lon"), value.get("commune")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not numbers or not isinstance(commune, str | None):
        return _INVALID
    assert isinstance(lat, int | float)
    assert isinstance(lon, int | float)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return _INVALID
    return PracticeLocation(float(lat), float(lon), commune)


def path_in(root: Path) -> Path:
    return root / FILE_NAME


def load(root: Path) -> Settings:
    """The settings of this data root (defaults when there is no file or it is unreadable)."""
    path = path_in(root)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        log.warning("settings file unreadable: defaults used")
        return Settings()
    return Settings.from_json(doc)


def save(root: Path, settings: Settings) -> None:
    """Atomically (a crash mid-write leaves the previous file)."""
    paths.private_dir(root)
    text = json.dumps(settings.to_json(), ensure_ascii=False, indent=2)
    # mkstemp creates it 0600: the last login and the practice place are the user's business.
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path_in(root))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class State:
    """The settings in use and the data root they are saved in (None: not saved)."""

    settings: Settings = field(default_factory=Settings)
    root: Path | None = None


_state = State()


def current() -> Settings:
    """The settings loaded at start-up (views read them: `settings.current().practice_location`)."""
    return _state.settings


def use(root: Path) -> Settings:
    """Loads the settings of `root` and makes them current (app start-up)."""
    _state.settings, _state.root = load(root), root
    return _state.settings


def folder() -> Path | None:
    """The folder the current settings are saved in (None: not saved)."""
    return _state.root


def override(**changes: Any) -> Settings:
    """Changes the current settings for this run only (command-line options)."""
    _state.settings = _state.settings.with_(**changes)
    return _state.settings


def update(**changes: Any) -> Settings:
    """Changes the current settings and saves them (when a data root is in use)."""
    _state.settings = _state.settings.with_(**changes)
    if _state.root is not None:
        save(_state.root, _state.settings)
    return _state.settings
